"""`lashi triage` — beauty-aware triage of a complaint (categories, emotion, urgency, claim check,
allergy mapping). 美妆售后工单智能分诊。"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from lashi.cli.common import workspace_option


def _analyse(text: str, ingredients: list[str]) -> dict:
    from lashi.cases.allergy import assess
    from lashi.cases.claims import check_claim
    from lashi.cases.triage import triage

    r = triage(text, ingredients or None)
    out = r.to_dict()
    out["claims"] = [v.to_dict() for v in check_claim(text, ingredients)]
    a = assess(text, ingredients)
    out["allergy"] = a.to_dict() if (a.is_reaction or "allergy" in r.category_ids) else None
    out["ingredients"] = ingredients
    return out


def _print(d: dict, source: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    c = Console()
    c.print(f"[bold]文本 Text:[/bold] {d['text']}")
    if source:
        c.print(f"[dim]成分表来源 label source: {source}[/dim]")
    t = Table(title="问题类别 Categories")
    t.add_column("id"); t.add_column("中文"); t.add_column("English"); t.add_column("score", justify="right")
    for cat in d["categories"]:
        t.add_row(cat["category"] + (" ★" if cat["category"] == d["primary"] else ""), cat["zh"], cat["en"],
                  f"{cat['score']:.2f}")
    c.print(t)
    c.print(f"主要类别 Primary: [bold]{d['primary_label']['zh']} / {d['primary_label']['en']}[/bold]")
    c.print(f"情绪 Emotion: {d['emotion_label']['zh']} / {d['emotion_label']['en']} "
            f"({d['emotion_scores'][d['emotion']]:.2f})")
    c.print(f"紧急度 Urgency: {d['urgency_label']['zh']} / {d['urgency_label']['en']}")
    if d["claims"]:
        c.print("[bold]宣称核查 Claim check[/bold]")
        for v in d["claims"]:
            c.print(f"  • “{v['claim']}” → [bold]{v['verdict_label']['zh']} / {v['verdict_label']['en']}[/bold]")
            c.print(f"    {v['reason_zh']}")
            c.print(f"    {v['reason_en']}")
    a = d.get("allergy")
    if a:
        c.print("[bold]不良反应 Adverse reaction[/bold]")
        c.print("  症状 Symptoms: " + ", ".join(f"{s['zh']}/{s['en']}" for s in a["symptom_labels"]))
        if a["culprits"]:
            c.print("  可疑成分 Likely culprits:")
            for cu in a["culprits"][:8]:
                c.print(f"    - 第{cu['position']}位 #{cu['position']} {cu['token']}（{cu['zh']}）: "
                        + "; ".join(r.split(' — ')[0] for r in cu["reasons"]))
        for n in a["notes"]:
            c.print(f"  {n}")
        c.print(f"  严重程度 Severity: {a['severity_label']['zh']} / {a['severity_label']['en']}")
        if a["report_deadline_days"]:
            c.print(f"  上报时限 Report deadline: {a['report_deadline_days']} 天 days — {a['report_rule']}")
        c.print("  需补充证据 Evidence requested: " + "；".join(e["zh"] for e in a["evidence_requested"]))


@click.command(name="triage")
@click.argument("text", required=False)
@click.option("--product", "product_id", help="Product id (store, else bundled demo: DEMO-001…). 商品ID")
@click.option("--ingredients", "ingredients", help='Label in order, e.g. "Water, Glycerin, ...". 成分表')
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Batch: CSV with a `text` column (optional `ingredients`, `product_id`). 批量")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Batch output CSV. 输出")
@click.option("--json", "as_json", is_flag=True, help="JSON output. 输出JSON")
@workspace_option
def command(text, product_id, ingredients, file_, out, as_json, workspace):
    """Triage a beauty complaint: categories, emotion, urgency, claim check, allergy mapping.
    美妆投诉分诊：问题类别、情绪、紧急度、宣称核查、过敏成分定位。"""
    from lashi.cases.ingredients import split_label
    from lashi.cases.products import product_label

    if file_:
        _batch(file_, out, workspace)
        return
    if not text:
        raise click.UsageError("TEXT or --file is required. 需要文本或 --file")
    label, source = [], None
    if ingredients:
        label, source = split_label(ingredients), "--ingredients"
    elif product_id:
        try:
            label, source = product_label(product_id, workspace)
        except KeyError as e:
            raise click.ClickException(f"unknown product 未知商品: {e.args[0]}")
    d = _analyse(text, label)
    d["label_source"] = source
    if as_json:
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        _print(d, source)


def _batch(path: Path, out: Path | None, workspace) -> None:
    from rich.progress import Progress

    from lashi.cases.allergy import assess
    from lashi.cases.claims import check_claim
    from lashi.cases.ingredients import split_label
    from lashi.cases.products import product_label
    from lashi.cases.triage import triage_batch

    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if rows and "text" not in rows[0]:
        raise click.ClickException("the CSV needs a `text` column / CSV 需要 text 列")
    fields = list(rows[0].keys()) if rows else ["text"]
    fields += ["categories", "primary", "emotion", "urgency", "claim_verdicts", "culprits", "report_deadline_days"]
    sink = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout
    w = csv.DictWriter(sink, fieldnames=fields)
    w.writeheader()
    step = 256
    with Progress(transient=True, disable=out is None) as prog:
        task = prog.add_task("triage 分诊", total=len(rows))
        for i in range(0, len(rows), step):
            chunk = rows[i:i + step]
            res = triage_batch([r["text"] or "" for r in chunk])
            for r, t in zip(chunk, res):
                label = []
                if r.get("ingredients"):
                    label = split_label(r["ingredients"])
                elif r.get("product_id"):
                    try:
                        label, _ = product_label(r["product_id"], workspace)
                    except KeyError:
                        label = []
                verdicts = check_claim(r["text"] or "", label) if label else []
                a = assess(r["text"] or "", label) if ("allergy" in t.category_ids) else None
                w.writerow({**r, "categories": ";".join(t.category_ids), "primary": t.primary,
                            "emotion": t.emotion, "urgency": t.urgency,
                            "claim_verdicts": ";".join(f"{v.subject}:{v.verdict}" for v in verdicts),
                            "culprits": ";".join(c.ingredient_id for c in a.culprits[:5]) if a else "",
                            "report_deadline_days": (a.report_deadline_days or "") if a else ""})
            prog.advance(task, len(chunk))
    if out:
        sink.close()
        click.echo(f"{len(rows)} rows → {out}")
