"""Index forecasts (spec §5 early warning): per subject, the monthly health index a few months
ahead with a prediction interval, from an autoregressive model with a promotion-month regressor
(share of the month's days inside promotion windows), fitted with statsmodels; a risk level from
the forecast and the trend; a rolling-origin backtest against the naive last-value forecast.
"""
from __future__ import annotations

import warnings
from importlib import resources

import numpy as np
import pandas as pd
import yaml
from scipy import stats


def load_config(path=None) -> dict:
    base = yaml.safe_load(resources.files("lashi.forecast").joinpath("forecast.yaml").read_text("utf-8"))
    if path is not None:
        from pathlib import Path
        base.update(yaml.safe_load(Path(path).read_text("utf-8")) or {})
    return base


def promotion_share(months: list[str], calendar: pd.DataFrame, repeat_yearly: bool = True) -> pd.Series:
    """Share of each month's days inside promotion windows (calendar: kind, start_date, end_date,
    both ends inclusive). With ``repeat_yearly``, a month after the calendar's last promotion day
    takes the share of the same month a year (or two) earlier: 618 and 双十一 come back every year,
    and a forecast into a year the calendar does not hold yet should know it."""
    promo = calendar[calendar["kind"] == "promotion"]
    days = set()
    for r in promo.itertuples():
        for d in pd.date_range(pd.Timestamp(r.start_date), pd.Timestamp(r.end_date), freq="D"):
            days.add(d.strftime("%Y-%m-%d"))
    last = max(days) if days else None

    def share(m: str) -> float:
        rng = pd.date_range(f"{m}-01", periods=pd.Period(m).days_in_month, freq="D")
        return sum(d.strftime("%Y-%m-%d") in days for d in rng) / len(rng)

    out = {}
    for m in months:
        v = share(m)
        if repeat_yearly and last is not None and v == 0 and f"{m}-01" > last:
            for back in (12, 24):
                prev = str(pd.Period(m, freq="M") - back)
                if f"{prev}-01" <= last:
                    v = share(prev)
                    break
        out[m] = v
    return pd.Series(out, name="promotion_share")


def add_months(label: str, k: int) -> str:
    return str(pd.Period(label, freq="M") + k)


def fit_predict(y: np.ndarray, x: np.ndarray | None, x_future: np.ndarray | None, h: int,
                level: float = 0.9, max_lag: int = 1) -> pd.DataFrame:
    """Forecast h steps of ``y`` (with optional regressor x). AutoReg with a constant, lag
    ``max_lag`` when the series is long enough and stationary, else the level model. Intervals
    use the t distribution on the residual degrees of freedom with the unbiased variance."""
    from statsmodels.tsa.ar_model import AutoReg

    y = np.asarray(y, float)
    n = len(y)
    use_x = x is not None and np.ptp(np.asarray(x, float)) > 0
    for lags in ([max_lag, 0] if max_lag > 0 and n >= 6 + max_lag else [0]):
        k = 1 + lags + (1 if use_x else 0)
        if n - lags - k < 2:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                res = AutoReg(y, lags=lags, trend="c", exog=x[:, None] if use_x else None).fit()
            except (ValueError, np.linalg.LinAlgError):
                continue
            if lags and abs(res.params[1]) >= 0.98:
                continue  # a unit root on a dozen points is not to be extrapolated
            if lags and res.params[1] < 0:
                continue  # a see-saw from month to month is noise on a dozen points: level model
            pr = res.get_prediction(start=n, end=n + h - 1,
                                    exog_oos=np.asarray(x_future, float)[:, None] if use_x else None)
        sf = pr.summary_frame()
        nobs = n - lags
        df = max(nobs - k, 1)
        se = sf["mean_se"].to_numpy() * np.sqrt(nobs / df)
        q = stats.t.ppf(0.5 + level / 2, df)
        mean = sf["mean"].to_numpy()
        return pd.DataFrame({"step": np.arange(1, h + 1), "forecast": mean, "se": se,
                             "lo": mean - q * se, "hi": mean + q * se, "lags": lags, "promotion_term": use_x})
    # too short for a regression: last value with the spread of the series
    sd = np.std(y, ddof=1) if n > 1 else np.nan
    q = stats.norm.ppf(0.5 + level / 2)
    mean = np.full(h, y[-1])
    se = np.full(h, sd)
    return pd.DataFrame({"step": np.arange(1, h + 1), "forecast": mean, "se": se, "lo": mean - q * se,
                         "hi": mean + q * se, "lags": -1, "promotion_term": False})


def risk_level(forecast_mean: float, lower: float, slope: float, cfg: dict) -> tuple[str, str, str]:
    """(level, 中文, reason) from the mean forecast over the horizon, its lowest interval bound
    and the recent trend (points per month)."""
    r = cfg["risk"]
    hi, me = r["high"], r["medium"]
    s = slope if np.isfinite(slope) else 0.0
    if forecast_mean < hi["forecast_below"]:
        return "high", "高", f"forecast {forecast_mean:.1f} < {hi['forecast_below']}"
    if forecast_mean < hi["falling_below"] and s <= hi["falling_slope"]:
        return "high", "高", f"forecast {forecast_mean:.1f} < {hi['falling_below']} and falling {s:+.1f}/month"
    if forecast_mean < me["forecast_below"]:
        return "medium", "中", f"forecast {forecast_mean:.1f} < {me['forecast_below']}"
    if lower < me["lower_bound_below"]:
        return "medium", "中", f"interval reaches {lower:.1f} < {me['lower_bound_below']}"
    if s <= me["falling_slope"]:
        return "medium", "中", f"falling {s:+.1f}/month"
    return "low", "低", f"forecast {forecast_mean:.1f}, trend {s:+.1f}/month"


def _slope(y: np.ndarray) -> float:
    return float(np.polyfit(np.arange(len(y)), y, 1)[0]) if len(y) >= 3 else float("nan")


def _run_start(y: np.ndarray) -> int | None:
    """Start of the run of finite values that ends with the last month (None if the last is missing)."""
    ok = np.isfinite(y)
    if not ok[-1]:
        return None
    return 0 if ok.all() else len(y) - int(np.argmin(ok[::-1]))


def complete_months(monthly: pd.DataFrame, share: float = 0.5) -> list[str]:
    """Months of the panel without trailing partial months: a last month whose industry case
    count is below ``share`` of the median month is dropped (data still arriving)."""
    months = sorted(monthly["period"].unique())
    ind = monthly[monthly["subject_id"] == "INDUSTRY"].set_index("period")["cases"].reindex(months)
    if ind.isna().all():
        return months
    med = float(ind.median())
    while len(months) > 1 and (not np.isfinite(ind[months[-1]]) or ind[months[-1]] < share * med):
        months = months[:-1]
    return months


def _series(monthly: pd.DataFrame, months: list[str]):
    """subject → (subject_kind, index array over ``months``, NaN where missing)."""
    piv = monthly.pivot_table(index="subject_id", columns="period", values="index").reindex(columns=months)
    kinds = monthly.drop_duplicates("subject_id").set_index("subject_id")["subject_kind"]
    return piv, kinds


def forecast_all(monthly: pd.DataFrame, promo: pd.Series, cfg: dict, kinds: list[str] | None = None) -> pd.DataFrame:
    """One row per subject and step: the forecast of the monthly index with its interval, and the
    subject's risk level. monthly: subject_id, subject_kind, period, index. ``promo`` is indexed
    by month and must cover the forecast months too. A subject's series is its run of months up
    to the last month of the panel (a gap ends the earlier part)."""
    months = sorted(monthly["period"].unique())
    h, level = int(cfg["horizon"]), float(cfg["level"])
    future = [add_months(months[-1], k) for k in range(1, h + 1)]
    piv, kind_of = _series(monthly, months)
    rows = []
    for sid, row in piv.iterrows():
        if kinds and kind_of[sid] not in kinds:
            continue
        start = _run_start(row.to_numpy())
        if start is None:
            continue
        y = row.to_numpy()[start:]
        if len(y) < int(cfg["min_months"]):
            continue
        xm = months[start:]
        x = promo.reindex(xm).to_numpy()
        fc = fit_predict(y, x, promo.reindex(future).to_numpy(), h, level, int(cfg["max_lag"]))
        slope = _slope(y[-int(cfg["risk"]["trend_months"]):])
        lvl, zh, why = risk_level(float(fc["forecast"].mean()), float(fc["lo"].min()), slope, cfg)
        for f, per in zip(fc.itertuples(), future):
            rows.append({"subject_id": sid, "subject_kind": kind_of[sid], "period": per, "step": f.step,
                         "forecast": f.forecast, "lo": f.lo, "hi": f.hi, "level": level,
                         "last_period": months[-1], "last_index": y[-1], "months_used": len(y),
                         "trend_per_month": slope, "model": "AR(1)+promo" if f.lags == 1 else
                         ("level+promo" if f.lags == 0 else "last value"),
                         "risk": lvl, "risk_zh": zh, "risk_reason": why})
    return pd.DataFrame(rows)


def backtest(monthly: pd.DataFrame, promo: pd.Series, cfg: dict, kinds: list[str] | None = None,
             min_train: int | None = None, max_subjects: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin backtest: for every origin with at least ``min_train`` months behind it,
    forecast up to the horizon and compare with what happened. Returns (summary per step:
    MAE of the model and of the naive last-value forecast, interval coverage; long table)."""
    months = sorted(monthly["period"].unique())
    h, level = int(cfg["horizon"]), float(cfg["level"])
    min_train = min_train or int(cfg["min_months"])
    piv, kind_of = _series(monthly, months)
    if kinds:
        piv = piv[piv.index.map(lambda s: kind_of[s] in kinds)]
    if max_subjects and len(piv) > max_subjects:
        piv = piv.iloc[np.linspace(0, len(piv) - 1, max_subjects).astype(int)]
    x_all = promo.reindex(months).to_numpy()
    rows = []
    for sid, row in piv.iterrows():
        start = _run_start(row.to_numpy())
        if start is None:
            continue
        y, x, ms = row.to_numpy()[start:], x_all[start:], months[start:]
        for t in range(min_train, len(y)):
            steps = min(h, len(y) - t)
            fc = fit_predict(y[:t], x[:t], x[t:t + steps], steps, level, int(cfg["max_lag"]))
            for f in fc.itertuples():
                actual = y[t + f.step - 1]
                rows.append({"subject_id": sid, "origin": ms[t - 1], "step": f.step, "actual": actual,
                             "forecast": f.forecast, "naive": y[t - 1], "lo": f.lo, "hi": f.hi,
                             "covered": bool(f.lo <= actual <= f.hi)})
    L = pd.DataFrame(rows)
    if L.empty:
        return pd.DataFrame(), L
    L["err_model"] = (L["forecast"] - L["actual"]).abs()
    L["err_naive"] = (L["naive"] - L["actual"]).abs()
    s = L.groupby("step").agg(forecasts=("actual", "size"), mae_model=("err_model", "mean"),
                              mae_naive=("err_naive", "mean"), coverage=("covered", "mean")).reset_index()
    tot = pd.DataFrame([{"step": "all", "forecasts": len(L), "mae_model": L["err_model"].mean(),
                         "mae_naive": L["err_naive"].mean(), "coverage": L["covered"].mean()}])
    s = pd.concat([s.astype({"step": object}), tot], ignore_index=True)
    s["skill"] = 1 - s["mae_model"] / s["mae_naive"]
    s["nominal"] = level
    s["subjects"] = L["subject_id"].nunique()
    return s, L
