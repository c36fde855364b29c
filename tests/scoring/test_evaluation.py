"""The Evaluation object: results, variants, frames."""
import numpy as np
import pandas as pd
import pytest

from lashi.scoring import ConfigError, Evaluation, evaluate
from synth import frame, make_values, rows_for


@pytest.fixture(scope="module")
def ev():
    v, s = make_values(25, slices=("all", "base", "promotion"), seed=4)
    return evaluate(v, s, B=40)


def test_tables(ev, cat):
    assert isinstance(ev, Evaluation)
    assert len(ev.index) == 25 and len(ev.dimension_scores) == 25 * 6
    assert len(ev.indicator_scores) == 25 * 3 * 28
    assert ev.index["band"].notna().all() and ev.index["weakest_dimension"].notna().all()
    assert ev.index["rank"].min() == 1
    frames = ev.to_frames()
    assert {"index", "slice_index", "dimension_scores", "indicator_scores", "method"} <= set(frames)
    assert frames["method"].iloc[0]["B"] == 40


def test_variants_are_cheap_and_differ(ev):
    alt = ev.with_(weights={"D1": 0.40, "D2": 0.15, "D3": 0.15, "D4": 0.10, "D5": 0.10, "D6": 0.10}, B=0)
    assert alt._prep is not None and alt._prep.V is ev._prep.V   # inputs shared, not recomputed
    assert alt.catalogue.base_weights()["D1"] == 0.40 and ev.catalogue.base_weights()["D1"] == 0.20
    cmp = ev.compare(alt)
    assert len(cmp) == 25 and cmp["difference"].abs().max() > 0
    mm = ev.with_(normalisation="minmax", B=0)
    assert mm.index["index"].max() <= 100 and mm.method.normalisation == "minmax"
    z = ev.with_(normalisation="zscore", B=0)
    assert abs(z.indicator_scores.query("slice == 'all'")["score"].mean() - 50) < 1e-6
    g = ev.with_(aggregation="geometric", B=0)
    assert (g.index["index"] <= ev.index["index"] + 1e-9).all()  # geometric ≤ arithmetic
    with pytest.raises(TypeError):
        ev.with_(colour="red")
    with pytest.raises(ConfigError):
        ev.with_(normalisation="rank")


def test_missing_columns_error():
    with pytest.raises(ConfigError, match="missing column"):
        evaluate(pd.DataFrame({"subject_id": ["A"]}))
    with pytest.raises(ConfigError, match="empty"):
        evaluate(frame([]))


def test_unknown_indicator_is_noted(cat):
    rows = rows_for(cat, "A", "all", 100, 80) + [("A", "streamer", "2025-11", "all", 100, "X9", 1.0, 10, np.nan)]
    ev = evaluate(frame(rows), None, B=0)
    assert any("X9" in n for n in ev.notes)
