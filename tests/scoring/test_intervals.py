"""Bootstrap intervals over case-level sampling error (spec §4.8)."""
import numpy as np
import pandas as pd
import pytest

from lashi.scoring import evaluate
from synth import frame, make_values, rows_for


def width(ev, sid):
    r = ev.index.set_index("subject_id").loc[sid]
    return r["hi"] - r["lo"]


def test_interval_shrinks_as_n_grows(cat):
    # same values, 40 cases vs 40,000 cases (the small streamer vs the head one, spec §4.8)
    rows = rows_for(cat, "small", "all", 40, 60, n=40) + rows_for(cat, "big", "all", 40000, 60, n=40000)
    rows += rows_for(cat, "mid", "all", 1000, 60, n=1000)
    ev = evaluate(frame(rows), None, B=300, seed=3)
    w_small, w_mid, w_big = width(ev, "small"), width(ev, "mid"), width(ev, "big")
    assert w_small > w_mid > w_big > 0
    # roughly 1/sqrt(n): 1000 vs 40000 cases → ~6x narrower
    assert 3 < w_mid / w_big < 10
    for sid in ("small", "mid", "big"):
        r = ev.index.set_index("subject_id").loc[sid]
        assert r["lo"] <= r["index"] <= r["hi"]
    d = ev.dimension_scores
    dw = (d["hi"] - d["lo"]).groupby(d["subject_id"]).mean()
    assert dw["small"] > dw["mid"] > dw["big"]


def test_given_se_is_used(cat):
    rows = rows_for(cat, "A", "all", 100, 60, n=100, se=0.0) + rows_for(cat, "B", "all", 100, 60, n=100)
    ev = evaluate(frame(rows), None, B=100)
    assert width(ev, "A") == pytest.approx(0.0)
    assert width(ev, "B") > 0
    assert set(ev.indicator_scores.query("subject_id == 'A'")["se_source"]) == {"given"}
    src = ev.indicator_scores.query("subject_id == 'B'").set_index("indicator_id")["se_source"]
    assert src["R1"] == "bounded" and src["R4"] == "cv" and src["S1"] == "bounded"


def test_seeded_and_level(cat):
    v, s = make_values(15, seed=2)
    a = evaluate(v, s, B=100, seed=9)
    b = evaluate(v, s, B=100, seed=9)
    assert np.array_equal(a.index["lo"], b.index["lo"])
    c = a.with_(level=0.5)
    assert ((c.index["hi"] - c.index["lo"]) < (a.index["hi"] - a.index["lo"])).all()


def test_slice_intervals(cat):
    rows = rows_for(cat, "A", "base", 30, 80, n=30) + rows_for(cat, "A", "promotion", 10, 60, n=10)
    ev = evaluate(frame(rows), None, B=100)
    si = ev.slice_index.set_index("slice")
    assert (si["hi"] - si["lo"] > 0).all()
    assert ev.slice_dimension_scores["lo"].notna().all()


def test_10000_subjects_all_get_an_interval_around_their_index():
    # time is measured in benchmarks/bench_intervals.py, not asserted here
    v, s = make_values(10000, seed=1)
    ev = evaluate(v, s, B=200)
    idx = ev.index
    assert len(idx) == 10000 and idx["lo"].notna().all() and idx["hi"].notna().all()
    assert ((idx["lo"] <= idx["index"] + 1e-9) & (idx["index"] <= idx["hi"] + 1e-9)).all()
