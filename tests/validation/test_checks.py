"""Validation checks with hand-checkable figures."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lashi.validation import (anomalies, blind_test, blind_verdict, calibration, claim_test, fisher_ci, icc,
                              predictive_validity, triangulate)


def _se(p, n):
    return (p * (1 - p) / n) ** 0.5


def test_report_example_95_82_65_is_beautification():
    # claimed 95 %, mystery shoppers measured 82 % over 50 tests, 65 % of 200 consumers perceived it:
    # the most favourable source is 0.82; z = (0.95 − 0.82)/√(0.82·0.18/50) = 2.39, p = 0.0084 < 0.01.
    t = claim_test(0.95, [("mystery", 0.82, _se(0.82, 50)), ("perceived", 0.65, _se(0.65, 200))])
    assert t["supported_by"] == "mystery"
    assert t["z"] == pytest.approx(2.393, abs=0.01)
    assert t["p_one_sided"] == pytest.approx(0.0084, abs=0.0005)
    assert t["beautified"]


def test_claim_within_sampling_error_is_not_flagged():
    # 0.85 against 0.82 ± 0.054: z = 0.55
    t = claim_test(0.85, [("mystery", 0.82, _se(0.82, 50)), ("perceived", 0.65, _se(0.65, 200))])
    assert not t["beautified"] and t["z"] == pytest.approx(0.552, abs=0.01)
    # a claim below what was measured is never flagged
    assert not claim_test(0.70, [("mystery", 0.82, _se(0.82, 50))])["beautified"]


def test_triangulate_tables():
    sr = pd.DataFrame({"subject_id": ["S1", "S2"], "period": "2025-11", "indicator_id": "R1",
                       "claimed_value": [0.95, 0.83]})
    # S1: 41 of 50 mystery tests answered within 24 h (0.82); S2: 40 of 50 (0.80)
    hours = lambda k, n: [10.0] * k + [30.0] * (n - k - 1) + [None]
    ms = pd.DataFrame({"subject_id": ["S1"] * 50 + ["S2"] * 50,
                       "first_response_hours": hours(41, 50) + hours(40, 50), "resolved": True})
    pe = pd.DataFrame({"subject_id": ["S1", "S2"], "period": "2025-11", "indicator_id": "R1",
                       "respondents": 200, "perceived_value": [0.65, 0.66]})
    cv = pd.DataFrame(columns=["subject_id", "slice", "indicator_id", "value", "n", "se"])
    out = triangulate(sr, ms, pe, cv).set_index("subject_id")
    assert out.loc["S1", "mystery_r1"] == pytest.approx(0.82)
    assert out.loc["S1", "beautified"] and out.loc["S1", "verdict_zh"] == "数据美化"
    assert not out.loc["S2", "beautified"] and out.loc["S2", "verdict_en"] == "supported"


def test_fisher_interval_of_a_known_correlation():
    # r = 0.5, n = 28: z = 0.5493, se = 1/5 → tanh(0.5493 ± 0.392) = 0.156 … 0.736
    lo, hi = fisher_ci(0.5, 28)
    assert lo == pytest.approx(0.156, abs=0.002) and hi == pytest.approx(0.736, abs=0.002)


def test_blind_test_known_correlation_and_verdicts():
    rng = np.random.default_rng(3)
    truth = rng.uniform(40, 95, 40)
    rows = []
    for i, t in enumerate(truth):
        for e in range(5):
            rows.append(("expert", f"E{e}", f"X{i}", t + rng.normal(0, 2)))
        for c in range(10):
            rows.append(("consumer", f"C{c}", f"X{i}", t + rng.normal(0, 5)))
    r = blind_test(pd.DataFrame(rows, columns=["rater_kind", "rater_id", "blind_code", "score"]))
    assert r["pearson"] > 0.95 and r["verdict"] == "pass"
    assert r["pearson_lo"] < r["pearson"] < r["pearson_hi"]
    assert r["expert_icc_mean"] > 0.9
    assert blind_verdict(0.8)[0] == "pass" and blind_verdict(0.7)[0] == "review" and blind_verdict(0.59)[0] == "redesign"


def test_icc_of_identical_raters_is_one_and_of_noise_near_zero():
    x = np.arange(10, dtype=float)
    assert icc(np.column_stack([x, x, x]))["icc_single"] == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    assert abs(icc(rng.normal(size=(200, 4)))["icc_single"]) < 0.1


def test_calibration_flags_moves_over_20_percent_with_volume():
    def tab(vals, cases):
        return pd.DataFrame([("INDUSTRY", "all", k, v, 100, cases) for k, v in vals.items()],
                            columns=["subject_id", "slice", "indicator_id", "value", "n", "cases"])
    prev = tab({"R1": 0.80, "E3": 2.0, "R3": 0.0}, 1000)
    cur = tab({"R1": 0.85, "E3": 2.5, "R3": 0.10}, 1500)
    c = calibration(cur, prev, {"R1": (0.5, 1.0), "E3": (5.0, 1.0), "R3": (0.5, 0.0)}).set_index("indicator_id")
    assert not c.loc["R1", "flagged"]                         # +6.25 %
    assert c.loc["E3", "flagged"] and c.loc["E3", "relative_change"] == pytest.approx(0.25)
    assert c.loc["E3", "likely_cause"] == "volume change"     # cases +50 %
    assert c.loc["R3", "basis"] == "range" and c.loc["R3", "relative_change"] == pytest.approx(0.2)
    assert not c.loc["R3", "flagged"]                         # exactly 20 % is not "more than"


def test_predictive_validity_recovers_a_known_correlation():
    rng = np.random.default_rng(5)
    n = 200
    idx = rng.normal(60, 10, n)
    rep = 0.3 + 0.01 * idx + rng.normal(0, 0.1, n)   # corr = 0.1/√(0.1²+0.1²) = 0.707
    index = pd.DataFrame({"subject_id": [f"S{i}" for i in range(n)], "subject_kind": "streamer", "index": idx})
    beh = pd.DataFrame({"subject_id": index["subject_id"], "repurchase_rate": rep, "recommendation_rate": rep})
    v = predictive_validity(index, beh)
    row = v[(v["subjects"] == "all") & (v["outcome"] == "repurchase_rate")].iloc[0]
    assert row["pearson_lo"] < 0.707 < row["pearson_hi"]


def test_anomalies_find_the_planted_subject():
    rng = np.random.default_rng(1)
    rows = []
    for s in range(60):
        for k in range(8):
            v = rng.normal(0.7, 0.05)
            if s == 7 and k in (3, 5):
                v = 0.05 if k == 3 else 0.3
            rows.append((f"S{s}", "streamer", "all", 100, f"I{k}", v))
    values = pd.DataFrame(rows, columns=["subject_id", "subject_kind", "slice", "cases", "indicator_id", "value"])
    a = anomalies(values, contamination=0.03)
    assert a.iloc[0]["subject_id"] == "S7" and a.iloc[0]["anomalous"]
    assert a.iloc[0]["stand_out"].split(";")[0].startswith("I3")
    assert "I5" in a.iloc[0]["stand_out"]
