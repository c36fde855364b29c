"""`lashi weights`: the dimension weights resolved for a set of contexts (dynamic weights)."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.scoring.config import ConfigError, load_catalogue
from lashi.scoring.weights import resolve_weights


@click.command("weights")
@click.option("--context", "contexts", multiple=True,
              help="An active context (repeatable), e.g. promotion, sensitive_skin. 启用的情境。")
@click.option("--catalogue", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Your indicator catalogue overriding the shipped one. 自定义指标目录。")
@click.option("--weights", "weights_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Your weights/contexts file overriding the shipped one. 自定义权重文件。")
def command(contexts, catalogue, weights_file) -> None:
    """Show the dimension weights for the given contexts. 显示情境下的维度权重。

    Pinned dimensions take the context's weight; the others share the rest in proportion to
    their base weights. 被情境固定的维度取固定权重，其余维度按基础权重比例分配剩余权重。
    """
    console = Console()
    try:
        cat = load_catalogue(catalogue, weights_file)
        w = resolve_weights(cat, contexts)
    except ConfigError as exc:
        raise click.ClickException(f"配置错误 / configuration error: {exc}") from None
    pins: dict[str, str] = {}
    for c in sorted(set(contexts)):
        for d, p in cat.contexts[c].pins.items():
            if d not in pins or p >= cat.contexts[pins[d]].pins[d]:
                pins[d] = c
    label = " + ".join(f"{c} {cat.contexts[c].zh}" for c in sorted(set(contexts))) or "无 / none"
    t = RichTable(title=f"维度权重 / Dimension weights — 情境 / contexts: {label}")
    for col, just in (("id", "left"), ("维度", "left"), ("dimension", "left"),
                      ("base", "right"), ("weight", "right"), ("", "left"), ("pinned by", "left")):
        t.add_column(col, justify=just, no_wrap=col in ("", "base", "weight", "id"))
    for d in cat.dimensions:
        bar = "█" * round(w[d.id] * 40)  # 2.5 % per block
        t.add_row(d.id, d.zh, d.en, f"{d.base_weight:.2%}", f"{w[d.id]:.2%}", bar,
                  pins.get(d.id, ""))
    t.add_row("", "合计", "total", f"{sum(cat.base_weights().values()):.2%}",
              f"{sum(w.values()):.2%}", "", "")
    console.print(t)
