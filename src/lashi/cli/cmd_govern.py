"""`lashi govern`: streamer cards, credit ratings, MCN brand credit, rectification list and
phase targets for a period (spec §5)."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError
from lashi.store import open_workspace

_CARD_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green", "none": "dim"}


def _table(title: str, cols: list[str]) -> RichTable:
    t = RichTable(title=title)
    for c in cols:
        t.add_column(c, overflow="fold")
    return t


def _num(x, fmt="{:.1f}") -> str:
    return "—" if x is None or x != x else fmt.format(x)


@click.command("govern")
@click.option("--period", "-p", required=True, help="A month (2025-11) or a quarter (2025-Q4; cards for its last month).")
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your governance rules (YAML sections replace the shipped ones).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write CSV tables here (default WORKSPACE/results/PERIOD/governance).")
@click.option("--top", default=15, show_default=True, help="Rows to print per table (0 = all).")
@workspace_option
def command(period, rules_file, out, top, workspace) -> None:
    """Governance outputs: streamer red/yellow/green cards, credit rating A/B/C, brand credit in
    each MCN, the quarterly rectification list and progress towards the phase targets.

    治理输出：主播红黄牌、售后信用评级、MCN品牌信用分、季度整改约谈名单、阶段目标进度。
    """
    from lashi.governance import govern, load_rules

    console = Console()
    ws = open_workspace(workspace)
    try:
        rules = load_rules(rules_file)
        with steps(console, "治理 governance") as say:
            g = govern(ws, period, rules, progress=say)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    n = None if top == 0 else top

    c = g.cards
    counts = c["card"].value_counts().to_dict()
    t = _table(f"主播售后红黄牌 streamer cards — {g.card_month}  "
               f"红 red {counts.get('red', 0)} · 黄 yellow {counts.get('yellow', 0)} · "
               f"绿 green {counts.get('green', 0)} · 无 none {counts.get('none', 0)}",
               ["主播 streamer", "牌 card", "指数 index (上月 prev)", "理由 reason"])
    for r in c.head(n).itertuples():
        t.add_row(f"{r.subject_id}\n{r.cases} cases", f"[{_CARD_STYLE[r.card]}]{r.card_zh}\n{r.card}[/]",
                  f"{_num(r.index)} ({_num(r.previous_index)})", f"{r.reason_zh}\n{r.reason_en}")
    console.print(t)

    cr = g.credit
    t = _table(f"主播售后信用评级 credit rating — {g.period}  " +
               " · ".join(f"{k} {v}" for k, v in sorted(cr["rating"].value_counts().to_dict().items())),
               ["主播 streamer", "级 rating", "依据 basis", "后果 consequence"])
    for r in cr.head(n).itertuples():
        t.add_row(r.subject_id, r.rating, f"{r.basis_zh}\n{r.basis_en}", f"{r.consequence_zh}\n{r.consequence_en}")
    console.print(t)

    mb = g.mcn_brands
    t = _table(f"MCN售后信用分 brand credit inside MCNs — {g.period}  " +
               " · ".join(f"{k} {v}" for k, v in mb["decision"].value_counts().to_dict().items()),
               ["MCN", "品牌 brand", "订单 orders", "信用分 credit", "D1", "D2", "决定 decision"])
    for r in mb.head(n).itertuples():
        t.add_row(r.mcn_id, r.brand_id, str(r.orders), _num(r.credit_score), _num(getattr(r, "score_D1", None)),
                  _num(getattr(r, "score_D2", None)), f"{r.decision_zh} {r.decision_en}")
    console.print(t)

    rc = g.rectification
    t = _table(f"季度整改约谈 rectification — {g.previous_quarter} + {g.quarter}: {len(rc)}",
               ["主体 subject", "类型 kind", f"{g.previous_quarter}", f"{g.quarter}", "最弱维度 weakest"])
    for r in rc.head(n).itertuples():
        t.add_row(r.subject_id, r.subject_kind, _num(r.previous_index), _num(r.index),
                  f"{r.weakest_dimension} {r.weakest_zh} {r.weakest_en}")
    console.print(t)

    t = _table(f"阶段目标 phase targets (chapter 8.3) — as of {g.period}",
               ["目标 target", "基线→当前 baseline→current", "进度 progress", "趋势 trend/mo", "状态 status"])
    for r in g.targets.itertuples():
        cur = getattr(r, "current", float("nan"))
        t.add_row(f"{r.id} {r.op} {r.target:g} by {r.deadline}\n{r.zh}",
                  f"{_num(getattr(r, 'baseline', None), '{:.3g}')} → {_num(cur, '{:.3g}')}",
                  _num(getattr(r, "progress", None), "{:.0%}"), _num(getattr(r, "trend_per_month", None), "{:+.2g}"),
                  f"{r.status_zh}\n{r.status}")
    console.print(t)
    for note in g.notes:
        console.print(f"[yellow]注意 note:[/] {note}")
    out = out or (ws.path / "results" / g.period / "governance")
    g.write(out)
    console.print(f"结果已写入 / written to {out}")
