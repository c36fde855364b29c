"""`lashi explain`: why a subject scored what it did, and what to fix first."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError, load_catalogue
from lashi.store import open_workspace
from lashi.workflow import run_evaluation


def bar(score: float, width: int = 30) -> str:
    if score != score:
        return "·" * width
    n = int(round(max(0.0, min(100.0, score)) / 100 * width))
    return "█" * n + "░" * (width - n)


def _fmt(v, unit: str) -> str:
    if v != v or v is None:
        return "—"
    if unit == "share":
        return f"{v * 100:.1f}%"
    return f"{v:.2f}"


@click.command("explain")
@click.argument("subject")
@click.option("--period", "-p", required=True, help="2025-11, 2025-Q4 …")
@click.option("--context", default="auto", show_default=True)
@click.option("--top", default=6, show_default=True, help="Indicators to list.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@workspace_option
def command(subject, period, context, top, lang, catalogue, workspace) -> None:
    """Explain a subject's index: the six dimensions as a bar chart, the indicators that cost the
    most weighted points (raw value, target, score, sample size) and the report's remedy for each.

    解释主体的售后健康指数：六大维度条形图、失分最多的指标（原始值、目标、得分、样本量）及报告建议的改进措施。
    """
    console = Console()
    ws = open_workspace(workspace)
    try:
        cat = load_catalogue(catalogue)
        with steps(console, "评估 evaluating") as say:
            run = run_evaluation(ws, period, context=context, catalogue=cat, progress=say)
        ex = run.evaluation.explain(subject, run.period.label)
    except (ConfigError, ValueError, KeyError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    zh = lang == "zh"
    names = run.subjects.set_index("subject_id")["name"].to_dict()
    console.print(f"[bold]{names.get(subject, subject)} ({subject}) — {run.period.label}[/bold]")
    console.print(f"{'售后健康指数' if zh else 'Health index'}: [bold]{ex.index:.1f}[/bold] "
                  f"({ex.lo:.1f}–{ex.hi:.1f}), {(ex.band_zh if zh else ex.band_en) or ''}, "
                  f"{int(ex.cases)} {'件工单' if zh else 'cases'}")
    console.print()
    console.print("六大维度 / Six dimensions" + ("（▼ 最弱）" if zh else " (▼ weakest)"))
    dims = ex.dimensions.sort_values("dimension")
    for r in dims.itertuples():
        mark = " ▼" if r.dimension == ex.weakest_dimension else ""
        label = r.zh if zh else r.en
        console.print(f"  {r.dimension} {label:<12} {bar(r.score)} {r.score:5.1f}  "
                      f"w={r.weight:.3f} −{r.points_lost:.2f}{mark}")
    console.print()
    t = RichTable(title="失分最多的指标 / Indicators costing the most points")
    for c in ("id", "指标 indicator", "值 value", "目标 target", "得分 score", "n", "失分 lost", "建议 remedy"):
        t.add_column(c, overflow="fold")
    for r in ex.indicators.head(top).itertuples():
        ind = cat.indicator(r.indicator_id)
        t.add_row(r.indicator_id, ind.zh if zh else ind.en, _fmt(r.value, ind.unit), _fmt(ind.target, ind.unit),
                  f"{r.score:.1f}" if r.score == r.score else "—", str(int(r.n)) if r.n == r.n else "",
                  f"{r.points_lost:.2f}", r.remedy_zh if zh else r.remedy_en)
    console.print(t)
