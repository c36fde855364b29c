"""`lashi reserve`: the after-sales reserve (售后准备金, 3–5 % of live GMV) against what each brand
actually paid out, by month and in promotion peaks, and the premium per order of an after-sales
insurance cover (过敏全额赔付, 假一赔十) with its interval."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError
from lashi.store import open_workspace

_STYLE = {"under": "bold red", "peak_short": "red", "raise": "yellow", "adequate": "green", "too_small": "dim",
          "over": "bold red", "borderline": "yellow", "within": "green"}


def _t(title: str, cols: list[str]) -> RichTable:
    t = RichTable(title=title)
    for c in cols:
        t.add_column(c, overflow="fold")
    return t


def _p(x) -> str:
    return "—" if x is None or x != x else f"{x:.1%}"


def print_reserve(console: Console, run, top: int | None = 15) -> None:
    r = run.rules["reserve"]
    im = run.industry_monthly
    t = _t(f"行业月度赔付与准备金 industry payouts vs reserve — {run.period} "
           f"({r['rate_min']:.0%}–{r['rate_max']:.0%} of GMV; payers: {', '.join(r['payers'])}; refunds: {r['refunds']})",
           ["月份 month", "GMV", "赔付 payouts", "占比 ratio", f"{r['rate_min']:.0%}", f"{r['rate_max']:.0%}",
            "大促订单 promo orders"])
    for m in im.itertuples():
        t.add_row(m.month + ("" if m.full_month or m.gmv == 0 else " (partial)"), f"{m.gmv:,.0f}", f"{m.payouts:,.0f}", _p(m.payout_ratio), f"{m.accrual_min:,.0f}",
                  f"{m.accrual_max:,.0f}", _p(m.promotion_day_share_of_orders))
    console.print(t)
    b = run.brands
    counts = b["verdict"].value_counts().to_dict() if len(b) else {}
    t = _t(f"品牌售后准备金 brand reserve — {run.period}  " +
           " · ".join(f"{k} {v}" for k, v in counts.items()),
           ["品牌 brand", "GMV", "赔付占比 ratio (退款/补偿/医疗 refund/comp/medical)", "他方代付 paid by others",
            "高峰 peak", "大促/平日 promo/other", "结论 verdict"])
    for x in (b if top is None else b.head(top)).itertuples():
        g = x.gmv if x.gmv > 0 else float("nan")
        t.add_row(f"{x.brand_id}\n{x.orders} orders", f"{x.gmv:,.0f}",
                  f"{_p(x.payout_ratio)} ({_p(x.refunds / g)}/{_p(x.compensation / g)}/{_p(x.medical / g)})",
                  f"{x.paid_by_others:,.0f}", f"{x.peak_month or '—'} {_p(x.peak_month_ratio)}\n"
                  f"{x.months_short_at_max} mo short at {r['rate_max']:.0%}",
                  f"{_p(x.promotion_ratio)} / {_p(x.other_days_ratio)}",
                  f"[{_STYLE.get(x.verdict, '')}]{x.verdict_zh}\n{x.verdict}[/]")
    console.print(t)
    if top is not None and len(b) > top:
        console.print(f"… {len(b) - top} more brands / 另有 {len(b) - top} 个品牌，见输出文件")


def print_insurance(console: Console, run, top: int | None = 15) -> None:
    ins = run.insurance
    if ins.empty:
        return
    cfg = run.rules["insurance"]
    basis = "claims ÷ GMV 赔付占GMV" if cfg["basis"] == "gmv" else "claims ÷ premiums 赔付÷保费"
    t = _t(f"售后险 after-sales insurance — {run.period}: payout ratio = {basis}, target ≤ {cfg['target_payout_ratio']:.0%}, "
           f"{int(cfg['level'] * 100)}% intervals",
           ["保障 cover", "主体 subject", "理赔 claims", "单均赔付 per order", "每单保费 premium", "赔付率 payout ratio",
            "结论 verdict"])
    ind = ins[ins["subject_id"] == "INDUSTRY"]
    rest = ins[ins["subject_id"] != "INDUSTRY"].sort_values("payout_ratio", ascending=False)
    rows = list(ind.itertuples())
    for cover in ins["cover"].unique():
        g = rest[rest["cover"] == cover]
        rows += list((g if top is None else g.head(max(1, top // 3))).itertuples())
    for x in rows:
        t.add_row(f"{x.cover_zh}\n{x.cover}", x.subject_id, f"{x.claims} ({x.claim_frequency:.2%})",
                  f"{x.pure_premium:.2f}\n[{x.pure_premium_lo:.2f}–{x.pure_premium_hi:.2f}]",
                  f"{x.premium_per_order:.2f}\n{x.premium_share_of_order:.1%} of {x.avg_order_value:.0f}",
                  f"{_p(x.payout_ratio)}\n[{_p(x.payout_ratio_lo)}–{_p(x.payout_ratio_hi)}]",
                  f"[{_STYLE.get(x.verdict, '')}]{x.verdict_zh}\n{x.verdict}[/]")
    console.print(t)
    for cover in ins["cover"].unique():
        g = rest[rest["cover"] == cover]
        if len(g):
            c = g["verdict"].value_counts().to_dict()
            console.print(f"{g['cover_zh'].iloc[0]} {cover}: brands 品牌 " +
                          " · ".join(f"{k} {c.get(k, 0)}" for k in ("within", "borderline", "over")) +
                          f"; premium 保费 {g['premium_per_order'].min():.2f}–{g['premium_per_order'].max():.2f} per order")


@click.command("reserve")
@click.option("--period", "-p", required=True, help="A year (2025), quarter (2025-Q4) or month (2025-11).")
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your reserve / insurance rules (YAML sections replace the shipped reserve.yaml's).")
@click.option("--bootstrap", "B", type=int, default=None, help="Bootstrap draws for the premium interval (default from the rules).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write CSV tables here (default WORKSPACE/results/PERIOD/reserve).")
@click.option("--top", default=15, show_default=True, help="Brands to print (0 = all).")
@workspace_option
def command(period, rules_file, B, out, top, workspace) -> None:
    """After-sales reserve and insurance sizing: each brand's payouts (refunds, compensation,
    medical costs) against the 3–5 % of live GMV the report asks brands to set aside, month by
    month and on promotion-day orders, with under-reserved brands flagged; and the premium per
    order of an after-sales insurance cover (过敏全额赔付, 假一赔十) that keeps the payout ratio
    within the target, with a compound-Poisson bootstrap interval from the claim history.

    售后准备金与售后险测算：品牌实际赔付对照GMV的3%–5%准备金（按月、大促期间），标出准备金不足的品牌；
    按理赔历史估算售后险每单保费（含区间），使赔付率控制在目标以内。
    """
    from lashi.governance.reserve import load_reserve_rules, run_reserve

    console = Console()
    ws = open_workspace(workspace)
    try:
        rules = load_reserve_rules(rules_file)
        with steps(console, "准备金 reserve") as say:
            run = run_reserve(ws, period, rules, B, progress=say)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    n = None if top == 0 else top
    print_reserve(console, run, n)
    print_insurance(console, run, n)
    for note in run.notes:
        console.print(f"[yellow]注意 note:[/] {note}")
    out = out or (ws.path / "results" / run.period / "reserve")
    run.write(out)
    console.print(f"结果已写入 / written to {out}")
