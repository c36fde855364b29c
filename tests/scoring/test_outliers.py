"""JRC outlier treatment (|skew| > 2 and kurtosis > 3.5 → winsorise ≤ 5 points, else log)."""
import numpy as np
import pandas as pd
import pytest

from lashi.scoring import evaluate, treat
from lashi.scoring.outliers import fails


def test_coinr_reference_vector_one_point():
    # COINr's documented example: 1..10, 30, 100 → the 100 is winsorised to 30 (one point)
    x = np.r_[np.arange(1, 11), 30, 100].astype(float)
    assert fails(x)
    y, flag, t = treat(x)
    assert t.method == "winsorise" and t.n_winsorised == 1 and t.hi == 30
    assert list(np.flatnonzero(flag)) == [11]
    assert y[-1] == 30 and not fails(y)


def test_two_points_winsorised():
    # 1..30 then 60, 400, 1000: capping 1000 at 400 still fails, capping both at 60 passes
    x = np.r_[np.arange(1, 31), 60, 400, 1000].astype(float)
    y, flag, t = treat(x)
    assert t.method == "winsorise" and t.n_winsorised == 2
    assert list(np.flatnonzero(flag)) == [31, 32]  # the 400 and the 1000
    assert y[31] == y[32] == 60 and y[30] == 60
    assert np.array_equal(y[:30], x[:30])


def test_negative_skew_winsorises_the_bottom():
    x = -np.r_[np.arange(1, 11), 30, 100].astype(float)
    y, flag, t = treat(x)
    assert t.n_winsorised == 1 and t.lo == -30 and y[-1] == -30


def test_still_failing_after_five_points_goes_to_log():
    # seven equal extreme points: capping five of them changes nothing → log of the originals
    x = np.r_[np.arange(1, 61), [1000] * 7].astype(float)
    assert fails(x)
    y, flag, t = treat(x)
    assert t.method == "log" and flag.all()
    assert np.allclose(y, np.log(x - x.min() + 1))
    assert not fails(y)


def test_normal_vector_untouched():
    x = np.random.default_rng(1).normal(size=200)
    y, flag, t = treat(x)
    assert t.method == "none" and not flag.any() and np.array_equal(x, y)


def test_evaluation_flags_and_keeps_the_original(cat):
    # 13 streamers' R4 (median hours) with the reference shape; other indicators constant
    hours = np.r_[np.arange(1, 11), 30, 100, 5].astype(float)
    rows = []
    for s, h in enumerate(hours):
        for ind in cat.indicators:
            v = h if ind.id == "R4" else (ind.target + ind.floor) / 2
            rows.append((f"S{s}", "streamer", "2025-11", "all", 100, ind.id, v, 100, np.nan))
    values = pd.DataFrame(rows, columns=["subject_id", "subject_kind", "period", "slice", "cases",
                                         "indicator_id", "value", "n", "se"])
    ev = evaluate(values, None, B=0)
    r4 = ev.indicator_scores[ev.indicator_scores["indicator_id"] == "R4"].set_index("subject_id")
    assert r4.at["S11", "value_raw"] == 100 and r4.at["S11", "value_treated"] == 30
    assert r4.at["S11", "outlier_flag"] == "winsorised" and "winsorised" in r4.at["S11", "flags"]
    assert (r4.drop("S11")["outlier_flag"] == "").all()
    assert len(ev.treatments) == 1 and ev.treatments.iloc[0]["n_winsorised"] == 1
    # the treated value is what gets scored: 30 h → 100·(30−48)/(1−48)
    assert r4.at["S11", "score"] == pytest.approx(100 * 18 / 47)
    off = ev.with_(outliers=False)
    r4b = off.indicator_scores[off.indicator_scores["indicator_id"] == "R4"].set_index("subject_id")
    assert r4b.at["S11", "score"] == 0.0
