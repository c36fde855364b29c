"""`lashi serve`: the HTTP API (case service, follow-ups, index, rankings)."""
from __future__ import annotations

import click

from lashi.cli.common import workspace_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@workspace_option
def command(host, port, workspace) -> None:
    """Serve the HTTP API on one worker (DuckDB allows one writer). Create keys first with
    `lashi keys create`. Docs at /docs.

    启动HTTP接口（单进程，DuckDB单写入者）。先用 lashi keys create 创建密钥。
    """
    import uvicorn

    from lashi.api import create_app

    uvicorn.run(create_app(workspace), host=host, port=port, workers=1, log_level="info")
