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
