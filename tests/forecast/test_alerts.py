"""Category alerts on hand-built months whose answer can be checked with a calculator."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lashi.forecast.alerts import category_alerts
from lashi.forecast.effect import share_points

BASE = ["2025-06", "2025-07", "2025-08"]
NOW = "2025-09"


def _facts(counts: dict[tuple[str, str, str], int], hours: dict[tuple[str, str, str], float] | None = None):
    """counts: (subject, category, month) → cases; every case replied after ``hours`` (default 4 h)."""
    rows = []
    for (sid, cat, m), n in counts.items():
        h = (hours or {}).get((sid, cat, m), 4.0)
        kind = "industry" if sid == "INDUSTRY" else "brand"
        for i in range(n):
            rows.append((sid, kind, m, cat, h + 0.01 * i))
    return pd.DataFrame(rows, columns=["subject_id", "subject_kind", "period", "category", "reply_hours"])


def _orders(subjects=("B1",), n=1000):
    return pd.DataFrame([(s, m, n) for s in subjects for m in BASE + [NOW]], columns=["subject_id", "period", "orders"])


def test_tripled_allergy_complaints_alert_with_the_poisson_figures():
    # 10 allergy cases per 1000 orders for three months, then 30: expected 10, ratio 3.0
    counts = {("B1", "allergy", m): 10 for m in BASE} | {("B1", "allergy", NOW): 30}
    a = category_alerts(_facts(counts), _orders(), NOW, {"industry_adjusted": False})
    assert len(a) == 1
    r = a.iloc[0]
    assert (r.subject_id, r.category, r.metric) == ("B1", "allergy", "complaint_rate")
    assert r.expected_cases == pytest.approx(10.0)
    assert r.ratio == pytest.approx(3.0)
    assert r.current == pytest.approx(0.03) and r.baseline == pytest.approx(0.01)
    assert r.p_value == pytest.approx(stats.poisson.sf(29, 10.0))  # P(X ≥ 30 | mean 10) ≈ 7e-7
    assert r.level == "high"  # ratio ≥ 2.5
    assert "过敏" in r.reason_zh and "3.0×" in r.reason_en and "30 cases vs 10.0 expected" in r.reason_en


def test_a_small_wobble_and_a_low_volume_jump_do_not_alert():
    # 13 instead of 10 (ratio 1.3, P(X ≥ 13) ≈ 0.21); 1 → 3 cases (ratio 3 but under 10 cases)
    counts = {("B1", "allergy", m): 10 for m in BASE} | {("B1", "allergy", NOW): 13}
    counts |= {("B1", "counterfeit", m): 1 for m in BASE} | {("B1", "counterfeit", NOW): 3}
    a = category_alerts(_facts(counts), _orders(), NOW, {"industry_adjusted": False})
    assert a.empty


def test_rate_not_count_a_busier_month_is_no_alert():
    # orders triple in a promotion month and cases with them: the rate is unchanged
    counts = {("B1", "allergy", m): 10 for m in BASE} | {("B1", "allergy", NOW): 30}
    o = _orders()
    o.loc[o["period"] == NOW, "orders"] = 3000
    assert category_alerts(_facts(counts), o, NOW, {"industry_adjusted": False}).empty


def test_a_market_wide_rise_is_allowed_for():
    # the whole industry doubles its allergy rate; B1 goes 2.5× (25 vs 20 expected after the
    # market's doubling: no alert), B2 quadruples (alert)
    counts = {("INDUSTRY", "allergy", m): 100 for m in BASE} | {("INDUSTRY", "allergy", NOW): 200}
    counts |= {("B1", "allergy", m): 10 for m in BASE} | {("B1", "allergy", NOW): 25}
    counts |= {("B2", "allergy", m): 10 for m in BASE} | {("B2", "allergy", NOW): 40}
    o = pd.concat([_orders(("INDUSTRY",), 10000), _orders(("B1", "B2"))])
    a = category_alerts(_facts(counts), o, NOW)
    brands = a[a["subject_kind"] == "brand"]
    assert list(brands["subject_id"]) == ["B2"]
    r = brands.iloc[0]
    assert r.industry_factor == pytest.approx(2.0)
    assert r.expected_cases == pytest.approx(20.0) and r.ratio == pytest.approx(2.0)
    assert "industry ×2.0" in r.reason_en
    # the industry's own doubling is reported unadjusted: 200 vs 100 expected
    ind = a[a["subject_id"] == "INDUSTRY"].iloc[0]
    assert ind.ratio == pytest.approx(2.0) and ind.expected_cases == pytest.approx(100.0)
    # without the adjustment B1's 25 vs 10 expected (P(X ≥ 25) ≈ 1e-4) alerts too
    plain = category_alerts(_facts(counts), o, NOW, {"industry_adjusted": False})
    assert set(plain.loc[plain["subject_kind"] == "brand", "subject_id"]) == {"B1", "B2"}


def test_response_time_rise_alerts_with_a_floor_in_hours():
    counts = {("B1", "return_refund", m): 20 for m in BASE} | {("B1", "return_refund", NOW): 20}
    # median 4 h → 12 h: ratio ≈ 3, +8 h
    slow = _facts(counts, {("B1", "return_refund", NOW): 12.0})
    a = category_alerts(slow, _orders(), NOW, {"industry_adjusted": False})
    assert list(a["metric"]) == ["response_hours"]
    r = a.iloc[0]
    assert r.current == pytest.approx(12.095) and r.baseline == pytest.approx(4.095)
    assert "首次人工回复" in r.reason_zh
    # 0.5 h → 1.5 h is three times as slow but only one hour: no alert
    quick = _facts(counts, {**{("B1", "return_refund", m): 0.5 for m in BASE}, ("B1", "return_refund", NOW): 1.5})
    assert category_alerts(quick, _orders(), NOW, {"industry_adjusted": False}).empty


def test_share_changes_given_in_points():
    ch, notes = share_points({"T1": 10.0, "E2": -2.0, "R1": 0.05}, {"T1", "R1"})
    assert ch == {"T1": pytest.approx(0.10), "E2": -2.0, "R1": 0.05}
    assert len(notes) == 1 and "percentage points" in notes[0]
    assert np.isclose(sum(ch.values()), -1.85)
