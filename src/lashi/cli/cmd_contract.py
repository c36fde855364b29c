"""`lashi contract`: the data contract (tables, columns, rules)."""
from __future__ import annotations

from pathlib import Path

import click

from lashi.contract.docs import render_markdown


@click.group("contract")
def command() -> None:
    """The data contract. 数据契约。"""


@command.command("docs")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write Markdown here (default: print).")
def docs(out: Path | None) -> None:
    """Render the contract as Markdown (docs/data-contract.md). 生成数据契约文档。"""
    text = render_markdown()
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"written / 已写入 {out}")
    else:
        click.echo(text)
