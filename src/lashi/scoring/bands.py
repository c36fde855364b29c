"""Bands of the index (spec §4.8): 优秀 / 良好 / 中等 / 较差 and the GB/T 27922 scale."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .config import Band, Catalogue

_EPS = 1e-9  # 84.999999999 from floating arithmetic is still 85


def band_of(score: float, bands: tuple[Band, ...]) -> Band | None:
    """The first band (by descending min) whose min the score reaches; None for NaN."""
    if score is None or not math.isfinite(float(score)):
        return None
    for b in sorted(bands, key=lambda b: -b.min):
        if score + _EPS >= b.min:
            return b
    return None


def band(score: float, catalogue: Catalogue) -> Band | None:
    return band_of(score, catalogue.bands)


def gbt_band(score: float, catalogue: Catalogue) -> Band | None:
    return band_of(score, catalogue.gbt27922)


def band_columns(scores: pd.Series, bands: tuple[Band, ...], prefix: str) -> pd.DataFrame:
    """Vectorised banding: columns <prefix>, <prefix>_zh, <prefix>_en."""
    ordered = sorted(bands, key=lambda b: -b.min)
    x = scores.to_numpy(dtype=float)
    idx = np.full(len(x), -1)
    for k in range(len(ordered) - 1, -1, -1):  # lowest first so higher bands overwrite
        idx[np.isfinite(x) & (x + _EPS >= ordered[k].min)] = k
    def pick(attr):
        vals = np.array([getattr(b, attr) for b in ordered] + [None], dtype=object)
        return vals[idx]
    return pd.DataFrame({prefix: pick("id"), f"{prefix}_zh": pick("zh"), f"{prefix}_en": pick("en")},
                        index=scores.index)
