"""Options and helpers shared by the commands."""
from __future__ import annotations

import os
from pathlib import Path

import click

DEFAULT_WORKSPACE = "workspace"


def workspace_option(f):
    return click.option(
        "--workspace", "-w",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get("LASHI_WORKSPACE", DEFAULT_WORKSPACE),
        show_default="$LASHI_WORKSPACE or ./workspace",
        help="Workspace directory holding the store (lashi.duckdb). 工作区目录。",
    )(f)


def store_option(f):
    """--store postgresql://…: the server store (issue 9); default the workspace's DuckDB file."""
    return click.option(
        "--store",
        default=lambda: os.environ.get("LASHI_STORE") or None,
        show_default="$LASHI_STORE or the workspace's DuckDB file",
        help="postgresql://user@host:port/db — keep the case service / evidence log in PostgreSQL "
             "(run `lashi store migrate` first). 使用PostgreSQL服务器存储。",
    )(f)
