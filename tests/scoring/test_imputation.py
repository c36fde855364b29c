"""Minimum sample and imputation: own window first ('all' slice, then the longer window), then
the peer-group median (same kind, tier, period, slice), each flagged."""
import numpy as np
import pandas as pd
import pytest

from lashi.scoring import evaluate
from synth import at_score, frame, rows_for


def subjects(ids, tier="mid"):
    return pd.DataFrame({"subject_id": ids, "kind": "streamer", "tier": tier})


def cell(ev, sid, ind, slice_="all"):
    t = ev.indicator_scores
    return t[(t.subject_id == sid) & (t.indicator_id == ind) & (t.slice == slice_)].iloc[0]


def test_insufficient_sample_is_missing_and_flagged(cat):
    # E2 needs n ≥ 5; A has n = 3 for E2 → insufficient → peer median of B, C (scores 60, 80 → 70)
    rows = rows_for(cat, "A", "all", 100, 90, n=100)
    rows = [r[:7] + ((3,) if r[5] == "E2" else (r[7],)) + r[8:] for r in rows]
    rows += rows_for(cat, "B", "all", 100, 60) + rows_for(cat, "C", "all", 100, 80)
    ev = evaluate(frame(rows), subjects(["A", "B", "C"]), B=0)
    c = cell(ev, "A", "E2")
    assert c["status"] == "insufficient" and c["imputation"] == "peer_median"
    assert c["score"] == pytest.approx(70.0)
    assert c["flags"] == "insufficient;peer_median"
    assert c["value_raw"] == pytest.approx(at_score(cat.indicator("E2"), 90))  # original kept
    assert ev.index.set_index("subject_id").at["A", "n_insufficient"] == 1


def test_context_slice_takes_the_whole_period_first(cat):
    rows = rows_for(cat, "A", "all", 40, 70) + rows_for(cat, "A", "base", 30, 80)
    rows += rows_for(cat, "A", "promotion", 10, 60, drop=("R3",))
    rows += rows_for(cat, "B", "promotion", 10, 20)  # a peer that must not be used
    ev = evaluate(frame(rows), subjects(["A", "B"]), B=0)
    c = cell(ev, "A", "R3", "promotion")
    assert c["status"] == "absent" and c["imputation"] == "own_window" and c["imputed_from"] == "all"
    assert c["score"] == pytest.approx(70.0)


def test_all_slice_uses_the_longer_window_then_peers(cat):
    rows = rows_for(cat, "A", "all", 100, 90, overrides={"C2": np.nan})
    rows += rows_for(cat, "B", "all", 100, 90, overrides={"C2": np.nan})
    rows += rows_for(cat, "C", "all", 100, 40) + rows_for(cat, "D", "all", 100, 50)
    lw = frame(rows_for(cat, "A", "all", 300, 20, period="2025-Q4"))
    lw["for_period"] = "2025-11"
    ev = evaluate(frame(rows), subjects(["A", "B", "C", "D"]), longer_window=lw, B=0)
    a = cell(ev, "A", "C2")
    assert (a["status"], a["imputation"], a["imputed_from"]) == ("missing", "own_window", "longer_window")
    assert a["score"] == pytest.approx(20.0)
    b = cell(ev, "B", "C2")  # no longer window for B → median of C and D (40, 50)
    assert (b["imputation"], b["imputed_from"]) == ("peer_median", "peer_median")
    assert b["score"] == pytest.approx(45.0)


def test_peer_group_is_kind_and_tier(cat):
    rows = rows_for(cat, "A", "all", 100, 90, overrides={"M2": np.nan})
    rows += rows_for(cat, "H", "all", 100, 30)       # other tier
    rows += rows_for(cat, "M", "all", 100, 60)       # same tier
    subs = pd.DataFrame({"subject_id": ["A", "H", "M"], "kind": "streamer",
                         "tier": ["mid", "head", "mid"]})
    ev = evaluate(frame(rows), subs, B=0)
    assert cell(ev, "A", "M2")["score"] == pytest.approx(60.0)


def test_no_source_left_unscored(cat):
    rows = rows_for(cat, "A", "all", 100, 90, overrides={"M2": np.nan})
    ev = evaluate(frame(rows), subjects(["A"]), B=0)
    c = cell(ev, "A", "M2")
    assert c["imputation"] == "none" and np.isnan(c["score"])
    # D6 is then the mean of its three other indicators (all 90)
    d = ev.dimension_scores.set_index("dimension")
    assert d.at["D6", "score"] == pytest.approx(90.0)
    assert ev.index.iloc[0]["n_unscored"] == 1


def test_imputation_off(cat):
    rows = rows_for(cat, "A", "all", 100, 90, overrides={"M2": np.nan})
    rows += rows_for(cat, "B", "all", 100, 10)
    ev = evaluate(frame(rows), subjects(["A", "B"]), B=0, imputation=False)
    assert np.isnan(cell(ev, "A", "M2")["score"])
