"""Forecasts, backtest, risk levels and the effect model on series whose answer is known."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lashi.forecast import (add_months, backtest, fit_effect_model, fit_predict, forecast_all, load_config,
                            parse_changes, promotion_share, risk_level)
from lashi.forecast.model import complete_months

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]


def _panel(n_subjects=30, seed=0, noise=4.0):
    """Each subject holds a steady level (40–90) with month-to-month noise: the truth the naive
    last-value forecast chases and a mean-reverting model should track."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_subjects):
        level = rng.uniform(40, 90)
        for m in MONTHS:
            rows.append((f"S{s}", "streamer", m, level + rng.normal(0, noise), 100))
    return pd.DataFrame(rows, columns=["subject_id", "subject_kind", "period", "index", "cases"])


def test_promotion_share_counts_days_in_windows():
    cal = pd.DataFrame({"kind": ["promotion", "holiday"], "start_date": ["2025-10-20", "2025-10-01"],
                        "end_date": ["2025-11-11", "2025-10-08"]})
    s = promotion_share(["2025-10", "2025-11", "2025-12"], cal)
    assert s["2025-10"] == pytest.approx(12 / 31)   # 20–31 October
    assert s["2025-11"] == pytest.approx(11 / 30)   # 1–11 November
    assert s["2025-12"] == 0


def test_forecast_of_a_flat_series_is_flat_with_an_interval():
    rng = np.random.default_rng(1)
    y = 70 + rng.normal(0, 1, 12)
    fc = fit_predict(y, None, None, h=3)
    assert len(fc) == 3
    assert fc["forecast"].between(68, 72).all()
    assert (fc["lo"] < fc["forecast"]).all() and (fc["forecast"] < fc["hi"]).all()


def test_forecast_beats_naive_on_generated_panel_and_covers_near_nominal():
    cfg = load_config()
    promo = pd.Series(0.0, index=MONTHS + [add_months(MONTHS[-1], k) for k in (1, 2, 3)])
    summary, detail = backtest(_panel(), promo, cfg)
    allrow = summary[summary["step"] == "all"].iloc[0]
    # the naive forecast carries a noisy month forward (error sd √2·4 → MAE ≈ 4.5); the model
    # estimates the level (MAE ≈ 0.8·4 ≈ 3.2 plus estimation error)
    assert allrow["mae_model"] < 0.85 * allrow["mae_naive"]
    assert 0.8 <= allrow["coverage"] <= 0.97


def test_promotion_term_is_used_when_promotions_move_the_index():
    rng = np.random.default_rng(2)
    promo = np.array([0, 0, .3, 0, .4, .6, 0, 0, 0, .4, .4, .4] * 2, float)
    y = 75 - 20 * promo + rng.normal(0, 0.5, 24)
    fc = fit_predict(y[:21], promo[:21], promo[21:], h=3)
    assert fc["promotion_term"].all()
    assert np.abs(fc["forecast"].to_numpy() - (75 - 20 * promo[21:])).max() < 2.0


def test_risk_levels():
    cfg = load_config()
    assert risk_level(55, 50, 0, cfg)[0] == "high"
    assert risk_level(66, 62, -2.5, cfg)[0] == "high"      # under 70 and falling fast
    assert risk_level(66, 62, 0, cfg)[0] == "medium"
    assert risk_level(78, 58, 0, cfg)[0] == "medium"       # interval reaches the poor band
    assert risk_level(80, 75, -1.5, cfg)[0] == "medium"    # falling
    assert risk_level(80, 75, 0.5, cfg)[0] == "low"


def test_forecast_all_rows_and_partial_months():
    cfg = load_config()
    p = _panel(5)
    p = pd.concat([p, pd.DataFrame({"subject_id": "INDUSTRY", "subject_kind": "industry", "period": MONTHS,
                                    "index": 60.0, "cases": [1000] * 23 + [100]})])
    assert complete_months(p) == MONTHS[:-1]
    promo = pd.Series(0.0, index=MONTHS + [add_months(MONTHS[-1], k) for k in (1, 2, 3)])
    f = forecast_all(p, promo, cfg, kinds=["streamer"])
    assert len(f) == 5 * 3 and set(f["period"]) == {"2026-01", "2026-02", "2026-03"}
    assert set(f["risk"]) <= {"low", "medium", "high"}


def test_effect_model_recovers_known_slopes():
    # complaints per 100 orders = subject level − 20·T1 + 1.5·E2 + noise; repurchase = level + 0.1·T1
    rng = np.random.default_rng(4)
    rows = []
    for s in range(40):
        a, b = rng.uniform(20, 40), rng.uniform(0.3, 0.5)
        for m in MONTHS[:12]:
            t1, e2 = rng.uniform(0.6, 0.9), rng.uniform(3, 12)
            rows.append({"subject_id": f"S{s}", "period": m, "T1": t1, "E2": e2, "cases_in_values": 100,
                         "orders": 1000, "cases": 0,
                         "complaints_per_100_orders": a - 20 * t1 + 1.5 * e2 + rng.normal(0, 0.5),
                         "repurchase_rate": b + 0.1 * t1 + rng.normal(0, 0.005)})
    m = fit_effect_model(pd.DataFrame(rows))
    c = m.coefficients().set_index(["outcome", "indicator"])["coef"]
    assert c[("complaints_per_100_orders", "T1")] == pytest.approx(-20, abs=1.0)
    assert c[("complaints_per_100_orders", "E2")] == pytest.approx(1.5, abs=0.05)
    p = m.predict("S0", {"T1": 0.10, "E2": -2}).set_index("outcome")
    # −20·0.10 + 1.5·(−2) = −5 complaints per 100 orders, i.e. −50 a month at 1000 orders
    assert p.loc["complaints_per_100_orders", "change"] == pytest.approx(-5, abs=0.3)
    assert p.loc["complaints_per_100_orders", "complaints_change"] == pytest.approx(-50, abs=3)
    assert p.loc["complaints_per_100_orders", "change_lo"] < -5 < p.loc["complaints_per_100_orders", "change_hi"] + 0.3
    assert p.loc["repurchase_rate", "change"] == pytest.approx(0.01, abs=0.003)
    fit = m.fit_table().set_index("outcome")
    assert fit.loc["complaints_per_100_orders", "r2_within"] > 0.9
    assert fit.loc["complaints_per_100_orders", "oos_mae"] < fit.loc["complaints_per_100_orders", "oos_mae_baseline"]
    with pytest.raises(ValueError):
        m.predict("S0", {"Z9": 1})


def test_parse_changes():
    assert parse_changes(["T1=+0.10", "e2=-2"]) == {"T1": 0.10, "E2": -2.0}
    with pytest.raises(ValueError):
        parse_changes(["T1+0.1"])
