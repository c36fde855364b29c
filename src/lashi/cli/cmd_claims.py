"""`lashi claims check` — check a claim made on air against the product label. 直播宣称核查。"""
from __future__ import annotations

import json

import click

from lashi.cli.common import workspace_option


@click.group(name="claims")
def command():
    """Claim check against the label (成分夸大, 功效宣称). 宣称与成分表核对。"""


@command.command("check")
@click.argument("claim")
@click.option("--product", "product_id", help="Product id (store, else bundled demo). 商品ID")
@click.option("--ingredients", help='Label in order, e.g. "Water, Glycerin, ...". 成分表')
@click.option("--json", "as_json", is_flag=True)
@workspace_option
def check(claim, product_id, ingredients, as_json, workspace):
    """Check CLAIM, e.g. "含95%玻尿酸" / "无酒精" / "敏感肌可用". 核查一条宣称。"""
    from lashi.cases.claims import check_claim
    from lashi.cases.ingredients import split_label
    from lashi.cases.products import product_label

    if ingredients:
        label, source = split_label(ingredients), "--ingredients"
    elif product_id:
        try:
            label, source = product_label(product_id, workspace)
        except KeyError as e:
            raise click.ClickException(f"unknown product 未知商品: {e.args[0]}")
    else:
        raise click.UsageError("--product or --ingredients is required. 需要 --product 或 --ingredients")
    verdicts = check_claim(claim, label)
    if as_json:
        click.echo(json.dumps({"claim": claim, "label_source": source, "ingredients": label,
                               "verdicts": [v.to_dict() for v in verdicts]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"宣称 Claim: {claim}   (成分表 label: {source}, {len(label)} 项 items)")
    if not verdicts:
        click.echo("未识别出可核查的宣称 / no checkable claim found (percentages, free-from, suitability)")
    for v in verdicts:
        zh, en = v.to_dict()["verdict_label"].values()
        click.echo(f"• “{v.claim}” → {zh} / {en}")
        click.echo(f"  {v.reason_zh}")
        click.echo(f"  {v.reason_en}")
