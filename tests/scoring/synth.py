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


COLUMNS = ["subject_id", "subject_kind", "period", "slice", "cases", "indicator_id", "value", "n", "se"]


def at_score(ind, score: float) -> float:
    """The raw value that scores `score` on indicator `ind` (inverse of target/floor)."""
    return ind.floor + score / 100.0 * (ind.target - ind.floor)


def rows_for(cat, subject_id, slice_, cases, score=None, overrides=None, kind="streamer",
             period="2025-11", n=None, se=np.nan, drop=()):
    """One row per indicator with every value at `score` (or overrides {id: value}); n defaults
    to 1000 so that no minimum sample bites unless a test asks for it."""
    overrides = overrides or {}
    out = []
    for ind in cat.indicators:
        if ind.id in drop:
            continue
        v = overrides.get(ind.id, at_score(ind, score) if score is not None else np.nan)
        out.append((subject_id, kind, period, slice_, cases, ind.id, v,
                    1000 if n is None else n, se))
    return out


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)
