"""`lashi evaluate`: the health index of every subject for a period, with a ranking."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError, load_catalogue
from lashi.store import open_workspace
from lashi.workflow import ranking, run_evaluation, write_outputs

KIND_ZH = {"industry": "行业", "platform": "平台", "streamer": "主播", "brand": "品牌", "mcn": "MCN"}


def print_ranking(console: Console, rk, kind: str, top: int | None) -> None:
    sub = rk[rk["subject_kind"] == kind]
    if sub.empty:
        return
    t = RichTable(title=f"{KIND_ZH.get(kind, kind)} / {kind} — 美妆直播售后健康指数 ranking")
    for c in ("#", "主体 subject", "指数 index", "区间 interval", "等级 band", "最弱维度 weakest", "工单 cases"):
        t.add_column(c, justify="right" if c[0] in "#指工" else "left")
    shown = sub if top is None else sub.head(top)
    for r in shown.itertuples():
        lo, hi = getattr(r, "lo", float("nan")), getattr(r, "hi", float("nan"))
        t.add_row(f"{int(r.rank)}" if r.rank == r.rank else "", f"{r.name} ({r.subject_id})",
                  f"{r.index:.1f}" if r.index == r.index else "—",
                  f"{lo:.1f}–{hi:.1f}" if lo == lo else "",
                  f"{r.band_zh or ''} {r.band_en or ''}" if r.index == r.index else "",
                  f"{r.weakest_dimension or ''} {r.weakest_zh or ''}", f"{int(r.cases)}")
    console.print(t)
    if top is not None and len(sub) > top:
        console.print(f"[dim]… {len(sub) - top} more / 另有 {len(sub) - top} 个，见输出文件[/dim]")


@click.command("evaluate")
@click.option("--period", "-p", required=True, help="2025-11, 2025-Q4, 2025 or 2025-11-01..2025-11-30")
@click.option("--kind", type=click.Choice(["platform", "streamer", "brand", "mcn", "industry"]), default=None,
              help="Only this subject kind in the printed ranking.")
@click.option("--context", default="auto", show_default=True,
              help="auto (slices by context) | none (base weights) | a context id, e.g. promotion or promotion+sensitive_skin")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write results here (default WORKSPACE/results/PERIOD).")
@click.option("--top", default=15, show_default=True, help="Rows per kind to print (0 = all).")
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your indicator catalogue overrides (YAML).")
@click.option("--weights", "weights_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your weights/contexts overrides (YAML).")
@click.option("--bootstrap", "B", type=int, default=None, help="Bootstrap replicates for intervals (default from config).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="Engine for the indicators: duckdb (embedded) or spark (PySpark; needs --data). 计算引擎。")
@click.option("--data", "data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Read the tables straight from this Parquet directory (as written by `lashi sample`) "
                   "instead of the workspace store. 直接读取Parquet目录。")
@click.option("--master", default="local[2]", show_default=True,
              help="Spark master: local[N] or spark://host:7077 (with --engine spark).")
@click.option("--driver-memory", default="2g", show_default=True, help="Spark driver memory (with --engine spark).")
@workspace_option
def command(period, kind, context, out, top, catalogue, weights_file, B, engine, data, master, driver_memory,
            workspace) -> None:
    """Evaluate every platform, streamer, brand and MCN (and the industry) for a period: the 28
    indicators, six dimensions and the health index with its interval, band and weakest side.

    计算期间内所有平台、主播、品牌、MCN及行业整体的28项指标、六大维度与售后健康指数（含区间、等级、最弱维度）。
    """
    console = Console()
    ws = open_workspace(workspace)
    if engine == "spark" and data is None:
        raise click.UsageError("--engine spark reads Parquet: give --data PARQUET_DIR / Spark 需要 --data 指定Parquet目录")
    source = None
    try:
        cat = load_catalogue(catalogue, weights_file)
        if data is not None:
            from lashi.indicators.scale import ParquetSource, SparkSettings, notarized_from_workspace

            # T2 needs the evidence log, which lives in the workspace (if there is one).
            source = ParquetSource(data, engine, notarized=notarized_from_workspace(ws.path),
                                   spark=SparkSettings(master=master, driver_memory=driver_memory))
        with steps(console, f"评估 evaluating ({engine}{'' if data is None else ', Parquet'})") as say:
            run = run_evaluation(ws, period, context=context, catalogue=cat, B=B, progress=say, source=source)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    finally:
        if source is not None:
            source.close()
    rk = ranking(run)
    kinds = [kind] if kind else ["industry", "platform", "streamer", "brand", "mcn"]
    for k in kinds:
        print_ranking(console, rk, k, None if top == 0 else top)
    out = out or ((data / "results" if data is not None else ws.path / "results") / run.period.label)
    write_outputs(run, out)
    console.print(f"结果已写入 / results written to {out}")
