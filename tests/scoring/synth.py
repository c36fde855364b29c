"""Synthetic indicator tables for the scoring tests (no dependency on the indicator engine)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lashi.scoring import load_catalogue


def make_values(n_subjects: int = 20, slices=("all",), seed: int = 0, cases: int = 200,
                kind: str = "streamer", period: str = "2025-11", quality=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values between floor and target for every indicator; quality in 0–1 moves them."""
    cat = load_catalogue()
    rng = np.random.default_rng(seed)
    rows = []
    q = rng.uniform(0.2, 0.9, n_subjects) if quality is None else np.broadcast_to(quality, n_subjects)
    for s in range(n_subjects):
        sid = f"S{s:05d}"
        for sl in slices:
            c = cases if sl == "all" else max(1, cases // len([x for x in slices if x != "all"]))
            for ind in cat.indicators:
                v = ind.floor + q[s] * (ind.target - ind.floor)
                rows.append((sid, kind, period, sl, c, ind.id, v, c, np.nan))
    values = pd.DataFrame(rows, columns=["subject_id", "subject_kind", "period", "slice", "cases",
                                         "indicator_id", "value", "n", "se"])
    subjects = pd.DataFrame({"subject_id": [f"S{s:05d}" for s in range(n_subjects)],
                             "kind": kind, "tier": "mid", "platform_id": None, "mcn_id": None,
                             "origin": None})
    return values, subjects
