"""The governance / validation / forecast / reserve section at the end of `lashi demo`: one
monthly panel shared by cards, ratings, targets, forecasts and the validation of the month; the
slow parts (quarterly rectification, calibration, backtest) are left to the full commands, whose
command lines are printed."""
from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.rule import Rule


def _cmd(name: str, args: str, wsdir: Path) -> str:
    return f"  .venv/bin/lashi {name} {args} -w {wsdir}"


def governance_section(console: Console, ws, period: str, out_root: Path, wsdir: Path,
                       sensitivity_runs: int = 10, bootstrap: int = 200) -> dict[str, Path]:
    """Print a few lines each of governance, validation, forecast and reserve for ``period`` (a
    month) and write their tables under ``out_root``. Returns where each part was written."""
    from lashi.forecast import run_forecast
    from lashi.governance import govern
    from lashi.governance.panel import monthly_panel
    from lashi.governance.reserve import run_reserve
    from lashi.validation import blind_verdict, validate

    written: dict[str, Path] = {}
    t0 = time.time()
    with console.status("月度指数 monthly index panel …"):
        panel = monthly_panel(ws)

    # --- governance ----------------------------------------------------------------------------
    console.print(Rule("4.1 治理 / governance"))
    g = govern(ws, period, panel=panel, with_rectification=False)
    c = g.cards["card"].value_counts().to_dict()
    console.print(f"主播红黄牌 cards {g.card_month}: 红 red {c.get('red', 0)} · 黄 yellow {c.get('yellow', 0)} · "
                  f"绿 green {c.get('green', 0)} · 无 none {c.get('none', 0)}")
    for r in g.cards[g.cards["card"].isin(["red", "yellow"])].head(2).itertuples():
        console.print(f"  {r.subject_id} {r.card_zh}: {r.reason_zh}")
    cr = g.credit["rating"].value_counts().to_dict()
    console.print("信用评级 credit rating: " + " · ".join(f"{k} {cr.get(k, 0)}" for k in ("A", "B", "C")))
    mb = g.mcn_brands["decision"].value_counts().to_dict() if len(g.mcn_brands) else {}
    console.print("MCN品牌信用 brand credit in MCNs: " + " · ".join(f"{k} {v}" for k, v in mb.items()))
    for r in g.targets.itertuples():
        cur = getattr(r, "current", float("nan"))
        console.print(f"  目标 {r.id} {r.op} {r.target:g} by {r.deadline}: {cur:.3g} — {r.status_zh} {r.status}")
    written["governance"] = out_root / "governance"
    g.write(written["governance"])

    # --- validation ----------------------------------------------------------------------------
    console.print(Rule("4.2 验证 / validation"))
    values = panel.values[panel.values["period"] == period]
    v = validate(ws, period, runs=sensitivity_runs, values=values, with_calibration=False)
    tri = v.triangulation
    if len(tri):
        flagged = tri[tri["beautified"].astype(bool)]
        console.print(f"三方交叉验证 triangulation: {len(flagged)} of {len(tri)} self-reported figures flagged 数据美化")
        if len(flagged):
            w = flagged.sort_values("z", ascending=False).iloc[0]
            console.print(f"  e.g. {w['subject_id']} {w['indicator_id']}: claimed {w['claimed_value']:.3g}, "
                          f"independent sources {w['support_value']:.3g} (z {w['z']:.1f})")
    if v.blind:
        b = v.blind
        console.print(f"盲测 blind test {b.get('period')}: Pearson r {b.get('pearson', float('nan')):.2f}, "
                      f"Spearman ρ {b.get('spearman', float('nan')):.2f} — "
                      f"{b.get('verdict_zh', '')} {b.get('verdict', blind_verdict(b.get('pearson', 0.0)))}")
    val = v.validity[v.validity["subjects"] == "all"] if len(v.validity) else v.validity
    for r in val.itertuples():
        console.print(f"预测效度 validity index × {r.outcome}: r {r.pearson:.2f} [{r.pearson_lo:.2f}, {r.pearson_hi:.2f}] "
                      f"(n {r.n})")
    if len(v.sensitivity):
        console.print(f"敏感性 sensitivity ({sensitivity_runs} runs): "
                      f"{int(v.sensitivity['band_depends'].astype(bool).sum())} of {len(v.sensitivity)} subjects' "
                      f"band depends on weights/normalisation/aggregation")
    an = v.anomalies[v.anomalies["anomalous"].astype(bool)] if len(v.anomalies) else v.anomalies
    console.print(f"异常主体 anomalous subjects: {len(an)}" +
                  (f", e.g. {an.iloc[0]['subject_id']}: {an.iloc[0]['stand_out']}" if len(an) else ""))
    written["validation"] = out_root / "validation"
    v.write(written["validation"])

    # --- forecast ------------------------------------------------------------------------------
    console.print(Rule("4.3 预警 / early warning"))
    f = run_forecast(ws, with_backtest=False, panel=panel)
    if len(f.forecasts):
        first = f.forecasts[f.forecasts["step"] == 1]
        rk = first["risk"].value_counts().to_dict()
        console.print(f"三个月风险 3-month risk from {f.months[-1]}: 高 high {rk.get('high', 0)} · "
                      f"中 medium {rk.get('medium', 0)} · 低 low {rk.get('low', 0)}")
        non_streamer = first[first["subject_kind"].isin(["platform", "brand", "mcn", "industry"])]
        for r in non_streamer[non_streamer["risk"] == "high"].sort_values("forecast").head(2).itertuples():
            console.print(f"  {r.subject_id} ({r.subject_kind}) {r.risk_zh} {r.risk}: {r.risk_reason}")
    al = f.alerts
    console.print(f"异常上升预警 category alerts {f.months[-1]}: {len(al)}")
    from lashi.forecast.alerts import CATEGORY_EN, CATEGORY_ZH

    for r in al.head(3).itertuples():
        if r.metric == "complaint_rate":
            what = (f"投诉率 complaint rate {r.current:.2%} vs {r.baseline:.2%} expected "
                    f"(×{r.ratio:.1f}, {r.cases} cases, p {r.p_value:.1g})")
        else:
            what = f"首次回复 first reply {r.current:.1f} h vs {r.baseline:.1f} h (×{r.ratio:.1f}, {r.cases} cases)"
        console.print(f"  {r.subject_id} ({r.subject_kind}) · {CATEGORY_ZH.get(r.category, r.category)} "
                      f"{CATEGORY_EN.get(r.category, r.category)} · {what}")
    written["forecast"] = out_root / "forecast"
    f.write(written["forecast"])

    # --- reserve -------------------------------------------------------------------------------
    console.print(Rule("4.4 准备金与售后险 / reserve and insurance"))
    year = period[:4]
    rr = run_reserve(ws, year, B=bootstrap)
    im = rr.industry_monthly
    tot = im["payouts"].sum() / im["gmv"].sum() if im["gmv"].sum() > 0 else float("nan")
    fm = im[im["full_month"].astype(bool)]
    peak = fm.loc[fm["payout_ratio"].idxmax()] if fm["payout_ratio"].notna().any() else None
    vc = rr.brands["verdict"].value_counts().to_dict()
    rs = rr.rules["reserve"]
    console.print(f"品牌赔付占GMV brand payouts {year} (paid by {', '.join(rs['payers'])}): {tot:.1%}" +
                  (f", peak month {peak['month']} {peak['payout_ratio']:.1%}" if peak is not None else "") +
                  f"; reserve {rs['rate_min']:.0%}–{rs['rate_max']:.0%} of GMV")
    judged = rr.brands[rr.brands["verdict"] != "too_small"]
    console.print("  brands 品牌: " + " · ".join(f"{k} {v}" for k, v in vc.items()) +
                  (f"; their payout ratios {judged['payout_ratio'].min():.1%}–{judged['payout_ratio'].max():.1%}"
                   if len(judged) else ""))
    for r in rr.insurance[rr.insurance["subject_id"] == "INDUSTRY"].itertuples():
        console.print(f"  {r.cover_zh} {r.cover}: {r.claim_frequency:.2%} of orders claim, {r.pure_premium:.2f} "
                      f"yuan/order [{r.pure_premium_lo:.2f}–{r.pure_premium_hi:.2f}] → premium "
                      f"{r.premium_per_order:.2f}/order, payout ratio {r.payout_ratio:.1%} "
                      f"(target ≤ {r.target:.0%}) — {r.verdict_zh} {r.verdict}")
    written["reserve"] = out_root / "reserve"
    rr.write(written["reserve"])

    console.print(f"[dim]governance, validation, forecast and reserve took {time.time() - t0:.0f} s[/dim]")
    console.print("写入 written: " + ", ".join(f"{k} → {p}" for k, p in written.items()))
    console.print("完整版 full versions (rectification, calibration, backtest):")
    for line in (_cmd("govern", f"--period {period}", wsdir), _cmd("validate", f"--period {period}", wsdir),
                 _cmd("forecast", "", wsdir).replace("forecast  ", "forecast "),
                 _cmd("reserve", f"--period {year}", wsdir)):
        console.print(line)
    return written
