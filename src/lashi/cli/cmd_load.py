"""`lashi load`: load files into the workspace store, with quarantine."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.contract import BY_NAME
from lashi.store import InputError, load_directory, load_files, open_workspace


def print_report(report, console: Console) -> None:
    t = RichTable(title=f"载入结果 / Load {report.load_id}")
    for col in ("表 table", "文件 file", "读取 read", "载入 loaded", "已存在 present", "隔离 quarantined"):
        t.add_column(col, justify="right" if col[0] in "读载已隔" else "left")
    for f in report.files:
        t.add_row(f.table, Path(f.file).name, str(f.rows_read), str(f.loaded), str(f.already_present),
                  str(f.quarantined_rows))
    console.print(t)
    reasons = report.reasons()
    if reasons:
        r = RichTable(title="隔离原因 / Quarantine reasons (rows)")
        r.add_column("reason")
        r.add_column("rows", justify="right")
        for reason, n in reasons.most_common():
            r.add_row(reason, str(n))
        console.print(r)
        console.print("查看详情 / details: [bold]lashi quarantine[/bold]")
    for f in report.files:
        for w in f.warnings:
            console.print(f"[yellow]注意 / warning:[/yellow] {w}")
        if f.error:
            console.print(f"[red]错误 / error:[/red] {f.error}")


@click.command("load")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--table", "table_name", type=click.Choice(sorted(BY_NAME)), default=None,
              help="Load SOURCE (a file) into this table. 指定单个文件所属的表。")
@click.option("--encoding", default=None, help="Text encoding of CSV/JSONL (default: detect UTF-8 or GB18030/GBK).")
@workspace_option
def command(source: Path, table_name: str | None, encoding: str | None, workspace: Path) -> None:
    """Load a directory of CSV / JSON Lines / Parquet files (one per table, named after it) into
    the store. Broken rows go to quarantine with their reason; loading twice changes nothing;
    the whole load is one transaction.

    载入数据目录（每表一个文件，以表名命名）。不合规的行进入隔离表并注明原因；重复载入不改变数据；整个载入是一个事务。
    """
    console = Console()
    ws = open_workspace(workspace)
    kill_after = os.environ.get("LASHI_TEST_KILL_AFTER")  # tests: die hard mid-load

    def progress(msg: str) -> None:
        console.print(f"[dim]载入 loading[/dim] {msg}")
        if kill_after and msg.startswith(kill_after + " "):
            os.kill(os.getpid(), signal.SIGKILL)

    try:
        if table_name:
            if source.is_dir():
                raise click.UsageError("--table takes a file, not a directory")
            report = load_files(ws, [(table_name, source)], encoding=encoding, progress=progress)
        elif source.is_dir():
            report = load_directory(ws, source, encoding=encoding, progress=progress)
        else:
            stem = source.name.split(".")[0].split("-")[0]
            if stem not in BY_NAME:
                raise click.UsageError(f"{source}: cannot tell its table from the name; use --table")
            report = load_files(ws, [(stem, source)], encoding=encoding, progress=progress)
    except InputError as e:
        raise click.ClickException(str(e)) from None
    if not report.files:
        raise click.ClickException(f"{source}: no file named after a contract table (e.g. cases.csv) / 未找到数据文件")
    print_report(report, console)
    console.print(f"共载入 {report.loaded} 行，隔离 {report.quarantined} 行 / loaded {report.loaded} rows, "
                  f"quarantined {report.quarantined} rows → {ws.db_path}")
    if any(f.error for f in report.files):
        raise SystemExit(1)
