"""`lashi cases`: the case service's rules and measurements from the command line."""
from __future__ import annotations

import json

import click

from lashi.cli.common import workspace_option
from lashi.store import open_workspace


@click.group("cases")
def command() -> None:
    """Case service: routing, return eligibility, ETA accuracy, trials. 工单服务。"""


@command.command("route")
@click.argument("category")
@click.option("--state", type=click.Choice(["unopened", "opened_unused", "used"]), default=None,
              help="Product state for the return decision.")
@click.option("--evidence/--no-evidence", default=False, help="Evidence (photos, medical record) given.")
@click.option("--days", type=float, default=1.0, show_default=True, help="Days since the order.")
@click.option("--no-list", is_flag=True, help="The product has no published responsibility list.")
def route_cmd(category, state, evidence, days, no_list) -> None:
    """Who handles CATEGORY and whether a return is allowed (rules.yaml). 分派与退货判定。"""
    from lashi.cases.service.eligibility import decide
    from lashi.cases.service.routing import cost_split, route

    r = route(category, not no_list)
    el = decide(category, state, evidence=evidence, days_since_order=days)
    click.echo(json.dumps({"party": r.party, "routing_reason": {"zh": r.reason_zh, "en": r.reason_en},
                           "eligibility": el.to_dict(), "cost_split": cost_split(category)},
                          ensure_ascii=False, indent=2))


@command.command("eta-accuracy")
@click.option("--holdout", type=float, default=None, help="Share of the latest history held back (default rules.yaml).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@workspace_option
def eta_accuracy(holdout, as_json, workspace) -> None:
    """Fit ETAs on the earlier resolved cases, check them on the latest ones: the share done by
    the ETA (target ≥ the quantile, 0.8 at least) and the mean absolute error in working days.

    用较早的已解决工单学习ETA，在最近的工单上检验：按时完成比例与平均误差（工作日）。"""
    from lashi.cases.service import eta

    con = open_workspace(workspace).connect(read_only=True)
    try:
        res = eta.accuracy(eta.history(con), holdout_share=holdout)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    finally:
        con.close()
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False, indent=2))
        return
    click.echo(f"ETA = {res['quantile']:.0%} quantile of working days to resolution; "
               f"train {res['train']} / held back {res['test']}")
    click.echo(f"按时完成 done by the ETA: {res['on_time']:.1%}   平均误差 MAE: {res['mae_days']:.2f} working days   "
               f"median ETA {res['median_eta']:.0f}")
    for r in res["by_category"]:
        click.echo(f"  {r['category']:<22} {r['on_time']:.1%}  (n={r['n']})")
    for r in res["by_level"]:
        click.echo(f"  level {r['level']:<28} {r['on_time']:.1%}  (n={r['n']})")


@command.command("trials")
@click.option("--product", default=None, help="Only this product.")
@click.option("--flagged", is_flag=True, help="Only product × skin type pairs at or above the flag rate.")
@workspace_option
def trials_cmd(product, flagged, workspace) -> None:
    """Problem rates of trials (试用官) by product and skin type with 95% Wilson intervals; a
    rate ≥ 35% flags the product for a formula change or a lower recommendation for that skin type.

    试用官问题率（按肤质，Wilson区间），≥35%标记为需调整配方或降低推荐。"""
    from lashi.cases.service.trials import rates_from_store

    con = open_workspace(workspace).connect(read_only=True)
    try:
        df = rates_from_store(con, product)
    finally:
        con.close()
    if flagged:
        df = df[df["flagged"]]
    if df.empty:
        click.echo("no trials / 没有试用数据")
        return
    for r in df.itertuples():
        mark = "  FLAG 需调整" if r.flagged else ""
        click.echo(f"{r.product_id}\t{r.skin_type:<12}\t{r.with_problem}/{r.n}\t{r.rate:.0%} "
                   f"[{r.lo:.0%}–{r.hi:.0%}]\t{r.top_problems}{mark}")
