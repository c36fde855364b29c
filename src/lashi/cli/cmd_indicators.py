"""`lashi indicators`: list the indicator catalogue."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.scoring.config import ConfigError, load_catalogue


@click.command("indicators")
@click.option("--dimension", "dimension", default=None, help="Only this dimension, e.g. D1. 仅显示该维度。")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table. 输出JSON。")
@click.option("--catalogue", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Your indicator catalogue overriding the shipped one. 自定义指标目录。")
def command(dimension, as_json, catalogue) -> None:
    """List the indicator catalogue (评估指标体系): target, floor, standard, minimum sample."""
    try:
        cat = load_catalogue(catalogue)
    except ConfigError as exc:
        raise click.ClickException(f"配置错误 / configuration error: {exc}") from None
    if dimension and dimension not in cat.dimension_ids:
        raise click.ClickException(
            f"未知维度 / unknown dimension {dimension!r}; one of {', '.join(cat.dimension_ids)}")
    inds = [i for i in cat.indicators if dimension is None or i.dimension == dimension]
    if as_json:
        out = [{"id": i.id, "zh": i.zh, "en": i.en, "dimension": i.dimension,
                "dimension_zh": cat.dimension(i.dimension).zh,
                "dimension_en": cat.dimension(i.dimension).en,
                "direction": i.direction, "unit": i.unit, "target": i.target, "floor": i.floor,
                "weight": i.weight,
                "standard": ({"op": i.standard.op, "value": i.standard.value,
                              "source": i.standard.source} if i.standard else None),
                "min_sample": i.min_sample, "remedy": {"zh": i.remedy_zh, "en": i.remedy_en}}
               for i in inds]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    t = RichTable(title=f"评估指标体系 / Indicator catalogue ({len(inds)})")
    for col in ("id", "中文", "English", "dim", "better", "target", "floor", "standard", "min n"):
        t.add_column(col, overflow="fold",
                     justify="right" if col in ("target", "floor", "min n") else "left")
    for i in inds:
        t.add_row(i.id, i.zh, i.en, f"{i.dimension} {cat.dimension(i.dimension).zh}",
                  "↑ high" if i.direction == "high" else "↓ low",
                  f"{i.target:g}", f"{i.floor:g}",
                  f"{i.standard.op} {i.standard.value:g}" if i.standard else "",
                  str(i.min_sample))
    Console().print(t)
