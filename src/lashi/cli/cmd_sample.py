"""`lashi sample`: generate the realistic sample data set (one file per contract table)."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable


@click.command("sample")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--cases", "-n", type=click.IntRange(min=1), default=60_000, show_default=True,
              help="Number of after-sales cases. 售后工单数量。")
@click.option("--months", "-m", type=click.IntRange(min=1, max=60), default=12, show_default=True,
              help="Months covered. 覆盖月数。")
@click.option("--seed", "-s", type=int, default=7, show_default=True, help="Random seed (deterministic). 随机种子。")
@click.option("--start", default="2025-01", show_default=True, help="First month, YYYY-MM. 起始月份。")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]), default="parquet", show_default=True,
              help="File format (csv/jsonl for small samples). 文件格式。")
@click.option("--chunk-size", type=click.IntRange(min=1000), default=100_000, show_default=True,
              help="Cases generated and written per chunk (memory bound). 每批工单数。")
@click.option("--quiet", is_flag=True, help="No progress bar. 不显示进度条。")
def command(out_dir: Path, cases: int, months: int, seed: int, start: str, fmt: str, chunk_size: int,
            quiet: bool) -> None:
    """Generate realistic sample data into OUT_DIR: one file per contract table, a hidden truth
    in OUT_DIR/_truth/ (never read by the evaluation) and OUT_DIR/manifest.json.

    生成仿真样本数据：每个数据表一个文件，隐藏真值在 _truth/ 目录（评估不得读取），以及 manifest.json。
    """
    from lashi.sample import generate

    console = Console()
    try:
        m = generate(out_dir, cases=cases, months=months, seed=seed, start=start, fmt=fmt,
                     progress=not quiet, chunk_size=chunk_size)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    t = RichTable(title=f"样本数据 / Sample → {out_dir}")
    t.add_column("表 table")
    t.add_column("行数 rows", justify="right")
    for name, n in m["counts"].items():
        t.add_row(name, f"{n:,}")
    console.print(t)
    console.print(f"主体 subjects: {m['subjects']}  ·  种子 seed {m['seed']}  ·  "
                  f"{m['elapsed_seconds']} s  ·  真值 truth: {out_dir / '_truth'}")
