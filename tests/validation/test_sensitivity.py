"""Sensitivity analysis (OECD/JRC handbook): with a large true quality gap the top and bottom
subjects keep their band and rank under every weight / normalisation / aggregation choice; a
subject sitting on a band edge with an uneven profile is marked as depending on the choices."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lashi.scoring import load_catalogue
from lashi.scoring.evaluation import evaluate
from lashi.validation import sensitivity

from tests.scoring.synth import frame, rows_for


def test_top_and_bottom_bands_are_stable_when_the_gap_is_large():
    cat = load_catalogue()
    rows = rows_for(cat, "TOP", "all", 500, score=97) + rows_for(cat, "BOTTOM", "all", 500, score=5)
    for i, s in enumerate(np.linspace(30, 80, 16)):
        rows += rows_for(cat, f"MID{i:02d}", "all", 500, score=float(s))
    # on the 70 edge: strong on D1–D3 (score 85), weak on D4–D6 (score 42) → 0.65·85 + 0.35·42 ≈ 70
    dim_of = {i.id: i.dimension for i in cat.indicators}
    edge = {i.id: (i.floor + (0.85 if dim_of[i.id] in ("D1", "D2", "D3") else 0.42) * (i.target - i.floor))
            for i in cat.indicators}
    rows += rows_for(cat, "EDGE", "all", 500, overrides=edge)
    values = frame(rows)
    ids = sorted(values["subject_id"].unique())
    subjects = pd.DataFrame({"subject_id": ids, "kind": "streamer", "tier": "mid", "platform_id": None,
                             "mcn_id": None, "origin": None})
    ev = evaluate(values, subjects, catalogue=cat, B=0)
    s, long = sensitivity(ev, runs=30)
    s = s.set_index("subject_id")
    n = len(ids)
    assert s.loc["TOP", "band_ref"] == "excellent" and not s.loc["TOP", "band_depends"]
    assert s.loc["BOTTOM", "band_ref"] == "poor" and not s.loc["BOTTOM", "band_depends"]
    assert s.loc["TOP", "rank_min"] == s.loc["TOP", "rank_max"] == 1
    assert s.loc["BOTTOM", "rank_min"] == s.loc["BOTTOM", "rank_max"] == n
    assert s.loc["EDGE", "band_depends"] and set(s.loc["EDGE", "bands"].split(",")) == {"good", "fair"}
    assert set(long["normalisation"]) == {"target_floor", "minmax", "zscore"}
    assert set(long["aggregation"]) == {"arithmetic", "geometric"}
