"""`lashi serve`: the HTTP API (case service, follow-ups, index, rankings)."""
from __future__ import annotations

import os

import click

from lashi.cli.common import store_option, workspace_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes; more than 1 only with a PostgreSQL --store. 工作进程数。")
@workspace_option
@store_option
def command(host, port, workers, workspace, store) -> None:
    """Serve the HTTP API. On the workspace's DuckDB store: one worker (DuckDB allows one
    writer). With --store postgresql://…: any number of workers, the schema is migrated to the
    current version first. Create keys first with `lashi keys create`. Docs at /docs. Pages:
    evaluator dashboard /ui (admin/evaluator key), consumer page /ui/case/ID?secret=…, public
    board /board (see docs/dashboard.md).

    启动HTTP接口。DuckDB工作区仅单进程；使用 --store postgresql://… 时可多进程（启动前自动迁移结构）。
    先用 lashi keys create 创建密钥。页面：评估仪表盘 /ui，消费者进度页 /ui/case/ID?secret=…，公开看板 /board。
    """
    import uvicorn

    from lashi.pgstore import is_postgres

    if store and not is_postgres(store):
        raise click.BadParameter("expected postgresql://… / 需要 postgresql:// 地址", param_hint="--store")
    if workers > 1 and not store:
        raise click.BadParameter("several workers need a PostgreSQL --store: DuckDB has one writer / "
                                 "多进程需要PostgreSQL存储", param_hint="--workers")
    if store:
        from lashi.pgstore import connect
        from lashi.pgstore.migrate import upgrade

        try:
            con = connect(store)
        except ConnectionError as e:
            raise click.ClickException(str(e)) from None
        try:
            for m in upgrade(con):
                click.echo(f"migrated to {m.version:04d}_{m.name} / 已迁移", err=True)
        finally:
            con.close()
    if workers == 1:
        from lashi.api import create_app

        uvicorn.run(create_app(workspace, store), host=host, port=port, workers=1, log_level="info")
    else:
        os.environ["LASHI_SERVE_WORKSPACE"] = str(workspace)
        os.environ["LASHI_SERVE_STORE"] = store
        uvicorn.run("lashi.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info")
