"""Governance decisions on hand-built tables: each figure follows from the report's rule."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lashi.governance import (cards, complaint_rates, credit_ratings, load_rules, mcn_brand_credit,
                              phase_targets, rectification)
from lashi.scoring.config import ConfigError


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _monthly(rows):
    return pd.DataFrame(rows, columns=["subject_id", "subject_kind", "period", "index", "cases"])


def test_two_months_below_60_is_red_one_month_yellow_above_85_green(rules):
    m = _monthly([
        ("A", "streamer", "2025-10", 55.0, 100), ("A", "streamer", "2025-11", 58.0, 100),   # 2 running → red
        ("B", "streamer", "2025-10", 72.0, 100), ("B", "streamer", "2025-11", 59.9, 100),   # first month → yellow
        ("C", "streamer", "2025-10", 90.0, 100), ("C", "streamer", "2025-11", 86.0, 100),   # > 85 → green
        ("D", "streamer", "2025-11", 85.0, 100),                                             # exactly 85: none
        ("E", "streamer", "2025-09", 50.0, 100), ("E", "streamer", "2025-11", 50.0, 100),   # gap in Oct: yellow
        ("P", "platform", "2025-11", 40.0, 100),                                             # not a streamer
    ])
    c = cards(m, "2025-11", rules).set_index("subject_id")
    assert c.loc["A", "card"] == "red" and c.loc["A", "months_below"] == 2
    assert "连续2个月" in c.loc["A", "reason_zh"] and "2 months running" in c.loc["A", "reason_en"]
    assert c.loc["B", "card"] == "yellow"
    assert c.loc["C", "card"] == "green"
    assert c.loc["D", "card"] == "none"
    assert c.loc["E", "card"] == "yellow"
    assert "P" not in c.index


def test_credit_rating_from_index_and_complaint_rate(rules):
    # industry: 300 cases / 1000 orders = 0.30. A needs index ≥ 80 and rate ≤ 0.8 × 0.30 = 0.24;
    # C if index < 60 or rate ≥ 1.25 × 0.30 = 0.375.
    act = pd.DataFrame([
        ("INDUSTRY", "2025-11", 1000, 300),
        ("A", "2025-11", 100, 20),   # 0.20, index 88 → A
        ("B", "2025-11", 100, 30),   # 0.30, index 88 → B (rate too high for A)
        ("C1", "2025-11", 100, 20),  # index 55 → C
        ("C2", "2025-11", 100, 40),  # 0.40 ≥ 0.375 → C even with index 90
    ], columns=["subject_id", "period", "orders", "cases"])
    rates = complaint_rates(act, ["2025-11"])
    idx = _monthly([("A", "streamer", "2025-11", 88, 20), ("B", "streamer", "2025-11", 88, 30),
                    ("C1", "streamer", "2025-11", 55, 20), ("C2", "streamer", "2025-11", 90, 40)])
    cr = credit_ratings(idx, rates, rules).set_index("subject_id")
    assert cr["rating"].to_dict() == {"A": "A", "B": "B", "C1": "C", "C2": "C"}
    assert cr.loc["A", "industry_complaint_rate"] == pytest.approx(0.30)
    assert cr.loc["A", "consequence_zh"] == "保证金减免 + 流量倾斜"
    assert "mandatory" in cr.loc["C1", "consequence_en"]


def test_mcn_brand_credit_boost_keep_suspend(rules):
    dims = pd.DataFrame([
        ("B1", "brand", "2025-11", "D1", 95.0), ("B1", "brand", "2025-11", "D2", 85.0),  # 90 → boost
        ("B2", "brand", "2025-11", "D1", 80.0), ("B2", "brand", "2025-11", "D2", 70.0),  # 75 → keep
        ("B3", "brand", "2025-11", "D1", 70.0), ("B3", "brand", "2025-11", "D2", 69.0),  # 69.5 → suspend
    ], columns=["subject_id", "subject_kind", "period", "dimension", "score"])
    mb = pd.DataFrame([("M1", "B1", 10, 1), ("M1", "B2", 5, 1), ("M2", "B3", 7, 2), ("M2", "B9", 3, 0)],
                      columns=["mcn_id", "brand_id", "orders", "cases"])
    out = mcn_brand_credit(dims, mb, rules, "2025-11").set_index("brand_id")
    assert out.loc["B1", "credit_score"] == pytest.approx(90.0) and out.loc["B1", "decision"] == "boost"
    assert out.loc["B2", "decision"] == "keep"
    assert out.loc["B3", "credit_score"] == pytest.approx(69.5) and out.loc["B3", "decision"] == "suspend"
    assert out.loc["B9", "decision"] == "unscored"


def test_rectification_needs_two_quarters_below_60(rules):
    cur = _monthly([("X", "brand", "2025-Q4", 55, 10), ("Y", "brand", "2025-Q4", 55, 10),
                    ("Z", "brand", "2025-Q4", 65, 10)])
    prev = _monthly([("X", "brand", "2025-Q3", 58, 10), ("Y", "brand", "2025-Q3", 61, 10),
                     ("Z", "brand", "2025-Q3", 50, 10)])
    r = rectification(cur, prev, rules)
    assert r["subject_id"].tolist() == ["X"]
    assert r.iloc[0]["action_zh"] == "整改约谈"


def test_phase_target_progress_and_status(rules):
    # T1 from 0.75 to 0.80 against 0.85: half the gap closed; E3 from 3.0 to 1.8: met.
    series = pd.DataFrame([
        ("2025-01", "T1", 0.75), ("2025-02", "T1", 0.775), ("2025-03", "T1", 0.80),
        ("2025-01", "E3", 3.0), ("2025-02", "E3", 2.4), ("2025-03", "E3", 1.8),
    ], columns=["period", "indicator", "value"])
    r = dict(rules)
    r["phase_targets"] = [
        {"id": "T1", "indicator": "T1", "op": ">=", "target": 0.85, "deadline": date(2025, 5, 31)},
        {"id": "E3", "indicator": "E3", "op": "<=", "target": 1.8, "deadline": date(2025, 6, 30)},
        {"id": "T2", "indicator": "T2", "op": ">=", "target": 0.7, "deadline": date(2025, 6, 30)},
    ]
    t = phase_targets(series, r, as_of=date(2025, 3, 31)).set_index("id")
    assert t.loc["T1", "progress"] == pytest.approx(0.5)
    assert t.loc["T1", "trend_per_month"] == pytest.approx(0.025)
    # two months left at +0.025/month → 0.85 by the deadline: on track
    assert t.loc["T1", "status"] == "on_track"
    assert t.loc["E3", "status"] == "met" and t.loc["E3", "progress"] == 1.0
    assert t.loc["T2", "status"] == "no_data"
    late = phase_targets(series, r, as_of=date(2025, 7, 31)).set_index("id")
    assert late.loc["T1", "status"] == "missed"


def test_rules_are_validated(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("cards: {kinds: [streamer], yellow_below: 90, red_months: 2, green_above: 85, reasons: {}}\n")
    with pytest.raises(ConfigError):
        load_rules(bad)
