"""Forecasts (spec §5 early warning, §7 effect model).

    from lashi.forecast import run_forecast, run_effect_model
    f = run_forecast(ws)                  # f.forecasts, f.backtest (per step), f.months
    m = run_effect_model(ws)              # m.predict("S-ST00016", {"T1": 0.10, "E2": -2})
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .effect import EffectModel, build_panel, fit_effect_model, parse_changes
from .model import add_months, backtest, fit_predict, forecast_all, load_config, promotion_share, risk_level

__all__ = ["ForecastRun", "run_forecast", "category_alerts_for", "run_effect_model", "EffectModel", "build_panel", "fit_effect_model",
           "parse_changes", "add_months", "backtest", "fit_predict", "forecast_all", "load_config",
           "promotion_share", "risk_level"]


@dataclass
class ForecastRun:
    months: list[str]
    forecasts: pd.DataFrame
    backtest: pd.DataFrame
    backtest_detail: pd.DataFrame
    config: dict
    notes: list[str] = field(default_factory=list)
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def write(self, out: Path) -> list[Path]:
        from lashi.store.export import write_csv_tables

        return write_csv_tables({"forecasts": self.forecasts, "backtest": self.backtest,
                                 "backtest_detail": self.backtest_detail, "alerts": self.alerts}, out)


def _calendar(ws) -> pd.DataFrame:
    con = ws.connect(read_only=True)
    try:
        return con.execute("SELECT kind, start_date, end_date FROM calendar").df()
    finally:
        con.close()


def run_forecast(ws, kinds: list[str] | None = None, with_backtest: bool = True, config: dict | None = None,
                 until: str | None = None, progress=None, panel=None) -> ForecastRun:
    """Forecast every subject's monthly index from the whole data span (or up to ``until``, a
    month, to check a forecast against what followed). ``panel``: a monthly panel over the whole
    span already computed (shared with governance)."""
    from lashi.governance.panel import monthly_panel, span_months
    from lashi.indicators.periods import parse_period

    say = progress or (lambda _m: None)
    cfg = config or load_config()
    lo, hi = span_months(ws)
    end = parse_period(until).end if until else hi
    if panel is None:
        say("monthly index / 月度指数")
        panel = monthly_panel(ws, lo, min(end, hi))
    from .model import complete_months

    pidx = panel.index
    if until:
        pidx = pidx[pidx["period"] <= parse_period(until).months()[-1]]
    months = complete_months(pidx)
    notes = []
    pm = sorted(pidx["period"].unique())
    if len(months) < len(pm):
        notes.append(f"partial month(s) {', '.join(pm[len(months):])} left out (too few cases yet) / 不完整月份未纳入")
    idx = panel.index[panel.index["period"].isin(months)]
    h = int(cfg["horizon"])
    promo = promotion_share(months + [add_months(months[-1], k) for k in range(1, h + 1)], _calendar(ws))
    if len(months) < int(cfg["min_months"]):
        notes.append(f"only {len(months)} months of data; forecasts need {cfg['min_months']} / 月份不足")
    say("forecast / 预测")
    fc = forecast_all(idx, promo, cfg, kinds)
    say("category alerts / 异常上升预警")
    alerts = category_alerts_for(ws, months[-1], promo, cfg.get("alerts"), kinds)
    bt, detail = (pd.DataFrame(), pd.DataFrame())
    if with_backtest:
        say("backtest / 回测")
        bt, detail = backtest(idx, promo, cfg, kinds)
        if bt.empty:
            notes.append("too few months for a rolling-origin backtest / 月份不足，无法回测")
    return ForecastRun(months, fc, bt, detail, cfg, notes, alerts)


def category_alerts_for(ws, month: str, promo: pd.Series | None = None, cfg: dict | None = None,
                        kinds: list[str] | None = None) -> pd.DataFrame:
    """Sudden rises of complaint rate or response time per subject and case category in
    ``month`` against the subject's previous months (see :mod:`lashi.forecast.alerts`)."""
    from lashi.governance.panel import activity

    from .alerts import DEFAULTS, case_facts, category_alerts

    c = {**DEFAULTS, **(cfg or {})}
    if kinds:
        c["kinds"] = [k for k in c["kinds"] if k in kinds or k == "industry"]
    end = pd.Period(month, freq="M")
    start = (end - int(c["baseline_months"])).start_time.date()
    stop = (end + 1).start_time.date()
    facts = case_facts(ws, start, stop)
    orders = activity(ws, start, stop)
    promo_months = set(promo[promo > 0].index) if promo is not None else set()
    a = category_alerts(facts, orders, month, c, promo_months)
    if kinds:
        a = a[a["subject_kind"].isin(kinds)].reset_index(drop=True)
    return a


def run_effect_model(ws, config: dict | None = None, progress=None) -> EffectModel:
    from lashi.governance.panel import _specs, activity, span_months
    from lashi.indicators.engine import PeriodSpec
    from lashi.indicators.run import compute
    from lashi.scoring.config import load_catalogue

    say = progress or (lambda _m: None)
    cfg = (config or load_config())["effect"]
    lo, hi = span_months(ws)
    say("monthly indicators / 月度指标")
    values = compute(ws, _specs(load_catalogue()), PeriodSpec.monthly(lo, hi))
    from .model import complete_months

    ind = values[(values["subject_id"] == "INDUSTRY") & (values["slice"] == "all")]
    months = complete_months(ind.drop_duplicates("period")[["subject_id", "period", "cases"]])
    values = values[values["period"].isin(months)]
    act = activity(ws, lo, hi)
    con = ws.connect(read_only=True)
    try:
        beh = con.execute("SELECT subject_id, period, repurchase_rate, recommendation_rate FROM behaviour").df()
    finally:
        con.close()
    say("panel regression / 面板回归")
    panel = build_panel(values, act, beh, int(cfg["min_cases"]))
    return fit_effect_model(panel, float(cfg["min_coverage"]), int(cfg["holdout_months"]))
