"""`lashi quarantine`: show rows that were refused at load, with their reasons."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.store import open_workspace


@click.command("quarantine")
@click.option("--table", "table_name", default=None, help="Only this table.")
@click.option("--reason", default=None, help="Only this reason.")
@click.option("--limit", default=50, show_default=True, help="Rows to show.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write all matching rows to this CSV file.")
@workspace_option
def command(table_name, reason, limit, csv_out, workspace) -> None:
    """List quarantined rows: table, file, row, field, value, reason. 查看隔离的行及原因。"""
    con = open_workspace(workspace).connect(read_only=True)
    where, params = [], []
    if table_name:
        where.append("table_name = ?")
        params.append(table_name)
    if reason:
        where.append("reason = ?")
        params.append(reason)
    w = ("WHERE " + " AND ".join(where)) if where else ""
    counts = con.execute(f"SELECT table_name, reason, count(*) FROM quarantine {w} GROUP BY ALL ORDER BY 3 DESC",
                         params).fetchall()
    console = Console()
    s = RichTable(title="隔离汇总 / Quarantine summary")
    for c in ("table", "reason", "fields"):
        s.add_column(c)
    for row in counts:
        s.add_row(*map(str, row))
    console.print(s)
    q = (f"SELECT table_name, file, row_number, field, value, reason, message FROM quarantine {w} "
         f"ORDER BY table_name, file, row_number")
    if csv_out:
        con.execute(f"COPY ({q}) TO '{csv_out}' (HEADER)", params)
        console.print(f"written / 已写入 {csv_out}")
    rows = con.execute(q + f" LIMIT {int(limit)}", params).fetchall()
    t = RichTable(title="隔离的行 / Quarantined rows (row 1 = first data record)")
    for c in ("table", "file", "row", "field", "value", "reason", "message"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(r[0], Path(r[1]).name, str(r[2]), r[3] or "", (r[4] or "")[:40], r[5], r[6])
    console.print(t)
