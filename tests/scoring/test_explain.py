"""Explanation: points lost per dimension and indicator, sorted, adding up to 100 − index."""
import numpy as np
import pandas as pd
import pytest

from lashi.scoring import evaluate
from synth import at_score, frame, rows_for


@pytest.fixture()
def ev(cat):
    # D4 weak (C1..C5 at 40), E2 at 20, everything else 90; a promotion slice too
    over = {i.id: at_score(i, 40) for i in cat.indicators if i.dimension == "D4"}
    over["E2"] = at_score(cat.indicator("E2"), 20)
    rows = rows_for(cat, "A", "all", 100, 90, overrides=over)
    rows += rows_for(cat, "A", "base", 70, 90, overrides=over)
    rows += rows_for(cat, "A", "promotion", 30, 90, overrides=over)
    return evaluate(frame(rows), None, B=50)


def test_points_add_up(ev):
    e = ev.explain("A", "2025-11")
    assert e.dimensions["points_lost"].sum() == pytest.approx(100 - e.index)
    assert e.indicators["points_lost"].sum() == pytest.approx(100 - e.index)
    assert e.dimensions["weight"].sum() == pytest.approx(1.0)
    by_dim = e.indicators.groupby("dimension")["points_lost"].sum()
    for _, r in e.dimensions.iterrows():
        assert by_dim[r["dimension"]] == pytest.approx(r["points_lost"])


def test_ordering_and_hand_values(cat, ev):
    e = ev.explain("A")
    assert list(e.dimensions["points_lost"]) == sorted(e.dimensions["points_lost"], reverse=True)
    assert e.dimensions.iloc[0]["dimension"] == "D4"
    assert e.weakest_dimension == "D4" and e.costliest_dimension == "D4"
    # D4 effective weight: 70 % base (.15) + 30 % promotion (.42·.15/.55)
    w4 = 0.7 * 0.15 + 0.3 * 0.42 * 0.15 / 0.55
    d4 = e.dimensions.set_index("dimension").loc["D4"]
    assert d4["weight"] == pytest.approx(w4) and d4["points_lost"] == pytest.approx(w4 * 60)
    top = e.indicators.iloc[0]
    assert top["indicator_id"] == "E2"  # 80 points short, 1/6 of D2's weight
    w2 = 0.7 * 0.25 + 0.3 * 0.28
    assert top["points_lost"] == pytest.approx(w2 / 6 * 80)
    assert top["standard"].startswith("<= 7") and top["standard_met"] is False
    assert top["remedy_zh"] and top["remedy_en"]
    assert top["value"] == pytest.approx(at_score(cat.indicator("E2"), 20))
    assert list(e.indicators["points_lost"]) == sorted(e.indicators["points_lost"], reverse=True)
    text = e.to_text("zh")
    assert "责任划分清晰度" in text and "A 2025-11" in text
    assert "Responsibility clarity" in e.to_text("en")


def test_slice_explanation(ev):
    e = ev.explain("A", slice="promotion")
    assert e.dimensions["points_lost"].sum() == pytest.approx(100 - e.index)
    assert e.dimensions.set_index("dimension").at["D1", "weight"] == pytest.approx(0.30)


def test_unknown_subject(ev):
    with pytest.raises(KeyError):
        ev.explain("nobody")
