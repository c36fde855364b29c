"""`lashi store`: the PostgreSQL server store — schema migrations and moving data between it and
the workspace's DuckDB file."""
from __future__ import annotations

import click

from lashi.cli.common import workspace_option
from lashi.store import open_workspace


def _url_option(f):
    import os

    return click.option("--store", required=True, default=lambda: os.environ.get("LASHI_STORE") or None,
                        help="postgresql://user@host:port/db ($LASHI_STORE). PostgreSQL地址。")(f)


def _connect(store: str):
    from lashi.pgstore import connect, is_postgres

    if not is_postgres(store):
        raise click.BadParameter("expected postgresql://… / 需要 postgresql:// 地址", param_hint="--store")
    try:
        return connect(store)
    except ConnectionError as e:
        raise click.ClickException(str(e)) from None


@click.group("store")
def command() -> None:
    """PostgreSQL server store: migrate, status, push, pull. PostgreSQL服务器存储。

    \b
    lashi store migrate --store URL        create / upgrade the schema (never loses data)
    lashi store push -w WS --store URL     workspace → PostgreSQL (subjects, orders, ...)
    lashi store pull -w WS --store URL     PostgreSQL → workspace (then `lashi evaluate -w WS`)
    """


@command.command("migrate")
@click.option("--to", "target", type=int, default=None, help="Stop at this version (default: the newest).")
@_url_option
def migrate(target, store) -> None:
    """Apply pending schema migrations (numbered, additive, one transaction). 升级数据库结构。"""
    from lashi.pgstore.migrate import MigrationError, current, upgrade

    con = _connect(store)
    try:
        before = current(con)
        done = upgrade(con, target)
        for m in done:
            click.echo(f"applied {m.version:04d}_{m.name} / 已应用")
        click.echo(f"schema version {before} → {current(con)} / 结构版本")
    except MigrationError as e:
        raise click.ClickException(str(e)) from None
    finally:
        con.close()


@command.command("status")
@_url_option
def status(store) -> None:
    """Schema version, pending migrations and row counts. 结构版本与行数。"""
    from lashi.contract import TABLES
    from lashi.pgstore.migrate import applied, migrations

    con = _connect(store)
    try:
        have = applied(con)
        for m in migrations():
            click.echo(f"{m.version:04d}_{m.name}\t{'applied' if m.version in have else 'PENDING / 待应用'}")
        if have:
            for t in [t.name for t in TABLES] + ["api_keys", "idempotency", "evidence_entries"]:
                if con.execute("SELECT to_regclass(?) IS NOT NULL", [t]).fetchone()[0]:
                    n = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    click.echo(f"{t}\t{n}")
    finally:
        con.close()


@command.command("push")
@workspace_option
@_url_option
def push_(workspace, store) -> None:
    """Copy the workspace's contract tables into PostgreSQL (rows already there are kept).
    把工作区数据复制到PostgreSQL（已有主键的行保留不变）。"""
    from lashi.pgstore.migrate import MigrationError, require_head
    from lashi.pgstore.sync import push

    con = _connect(store)
    try:
        require_head(con)
        for c in push(open_workspace(workspace), con):
            click.echo(f"{c.table}\tread {c.rows}\tnew {c.written}")
    except (MigrationError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    finally:
        con.close()


@command.command("pull")
@workspace_option
@_url_option
def pull_(workspace, store) -> None:
    """Replace the workspace's contract tables with PostgreSQL's (one consistent snapshot), so
    `lashi evaluate` sees the cases created on the server. 从PostgreSQL复制到工作区，供评估使用。"""
    from lashi.pgstore.migrate import MigrationError, require_head
    from lashi.pgstore.sync import pull

    con = _connect(store)
    try:
        require_head(con)
        for c in pull(con, open_workspace(workspace)):
            click.echo(f"{c.table}\t{c.rows}")
    except MigrationError as e:
        raise click.ClickException(str(e)) from None
    finally:
        con.close()
