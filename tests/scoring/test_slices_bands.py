"""Slices (spec §4.7) and bands (§4.8)."""
import numpy as np
import pandas as pd
import pytest

from lashi.scoring import band, evaluate, gbt_band, resolve_weights
from synth import frame, rows_for


def test_case_weighted_mean_of_slices(cat):
    # base: 30 cases, every indicator at 80 → 80 whatever the weights; promotion: 10 cases at 60
    rows = rows_for(cat, "A", "all", 40, 75) + rows_for(cat, "A", "base", 30, 80)
    rows += rows_for(cat, "A", "promotion", 10, 60)
    ev = evaluate(frame(rows), None, B=0)
    si = ev.slice_index.set_index("slice")
    assert si.at["base", "index"] == pytest.approx(80) and si.at["promotion", "index"] == pytest.approx(60)
    assert si.at["base", "case_share"] == pytest.approx(0.75)
    assert not si.at["all", "in_index"]
    idx = ev.index.iloc[0]
    assert idx["index"] == pytest.approx(75.0)  # (30·80 + 10·60) / 40
    assert idx["cases"] == 40 and idx["slices"] == "base+promotion"


def test_each_slice_uses_its_own_weights(cat):
    # D1 at 100, all else at 50: the promotion slice weighs D1 at .30, base at .20
    over = {i.id: i.target for i in cat.indicators if i.dimension == "D1"}
    rows = rows_for(cat, "A", "promotion", 10, 50, overrides=over)
    rows += rows_for(cat, "A", "sensitive_skin", 10, 50, overrides=over)
    rows += rows_for(cat, "A", "promotion+sensitive_skin", 20, 50, overrides=over)
    ev = evaluate(frame(rows), None, B=0)
    si = ev.slice_index.set_index("slice")
    for s, ctx in (("promotion", ["promotion"]), ("sensitive_skin", ["sensitive_skin"]),
                   ("promotion+sensitive_skin", ["promotion", "sensitive_skin"])):
        w1 = resolve_weights(cat, ctx)["D1"]
        assert si.at[s, "index"] == pytest.approx(50 + 50 * w1)
        assert si.at[s, "w_D1"] == pytest.approx(w1)
    exp = (10 * (50 + 50 * .30) + 10 * (50 + 50 * .70 * .20 / .80) + 20 * (50 + 50 * .30)) / 40
    assert ev.index.iloc[0]["index"] == pytest.approx(exp)


def test_all_slice_only_uses_base_weights(cat):
    over = {i.id: i.target for i in cat.indicators if i.dimension == "D1"}
    ev = evaluate(frame(rows_for(cat, "A", "all", 50, 50, overrides=over)), None, B=0)
    assert ev.index.iloc[0]["index"] == pytest.approx(50 + 50 * 0.20)
    assert ev.slice_index.iloc[0]["contexts"] == "none"


def test_context_modes(cat):
    over = {i.id: i.target for i in cat.indicators if i.dimension == "D1"}
    rows = rows_for(cat, "A", "all", 40, 40, overrides=over)
    rows += rows_for(cat, "A", "promotion", 40, 50, overrides=over)
    ev = evaluate(frame(rows), None, B=0)
    assert ev.index.iloc[0]["index"] == pytest.approx(65.0)          # promotion weights
    assert ev.with_(contexts="base").index.iloc[0]["index"] == pytest.approx(60.0)
    assert ev.with_(contexts="all").index.iloc[0]["index"] == pytest.approx(52.0)


@pytest.mark.parametrize("score, expected", [
    (100, "excellent"), (85, "excellent"), (84.99, "good"), (70, "good"), (69.99, "fair"),
    (60, "fair"), (59.9, "poor"), (0, "poor")])
def test_bands_at_the_boundaries(cat, score, expected):
    assert band(score, cat).id == expected


def test_band_names_and_gbt(cat):
    assert (band(85, cat).zh, band(70, cat).zh, band(60, cat).zh, band(10, cat).zh) == ("优秀", "良好", "中等", "较差")
    assert [gbt_band(s, cat).id for s in (95, 94.9, 90, 80, 70, 69.9)] == [
        "five_star", "four_star", "four_star", "three_star", "compliant", "below"]
    assert band(float("nan"), cat) is None
    # 85 reached through floating-point arithmetic is still 85
    assert band(0.1 * 3 * 850 / 3 * 1.0 - 1e-12, cat).id == "excellent"
