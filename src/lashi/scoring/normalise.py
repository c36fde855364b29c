"""Normalisation of indicator values to scores (spec §3, §4.2).

* ``target_floor`` (default): distance to target, linear between the floor (0) and the target
  (100), clamped. The same formula serves both directions because for a 'low' indicator the
  floor lies above the target: score = 100 · (x − floor) / (target − floor).
* ``minmax``: 100 · (x − min) / (max − min) across the subjects of a group (kind, period, slice);
  reversed for 'low' indicators; clamped (replicates may leave the fitted range); a group whose
  values are all equal scores 100.
* ``zscore``: 50 + 10 · (x − mean) / sd across the group (a T-score), sign reversed for 'low';
  not clamped.

Every method is an affine map a·x + b (optionally clamped to 0–100), fitted once on the point
estimates and then applied unchanged to bootstrap replicates.
"""
from __future__ import annotations

import numpy as np

METHODS = ("target_floor", "minmax", "zscore")


def target_floor_score(x, target: float, floor: float):
    """Linear score 0–100 between floor and target, clamped. Works for both directions."""
    x = np.asarray(x, dtype=float)
    s = 100.0 * (x - floor) / (target - floor)
    out = np.clip(s, 0.0, 100.0)
    return float(out) if out.ndim == 0 else out


def minmax_score(x, direction: str = "high"):
    x = np.asarray(x, dtype=float)
    a, b = minmax_params(x, direction)
    return np.clip(a * x + b, 0.0, 100.0)


def zscore_score(x, direction: str = "high"):
    x = np.asarray(x, dtype=float)
    a, b = zscore_params(x, direction)
    return a * x + b


def target_floor_params(target: float, floor: float) -> tuple[float, float]:
    a = 100.0 / (target - floor)
    return a, -floor * a


def minmax_params(x: np.ndarray, direction: str) -> tuple[float, float]:
    v = x[np.isfinite(x)]
    if len(v) == 0:
        return np.nan, np.nan
    mn, mx = float(v.min()), float(v.max())
    if mx == mn:
        return 0.0, 100.0
    a = 100.0 / (mx - mn)
    if direction == "high":
        return a, -mn * a
    return -a, mx * a


def zscore_params(x: np.ndarray, direction: str) -> tuple[float, float]:
    v = x[np.isfinite(x)]
    if len(v) == 0:
        return np.nan, np.nan
    mu = float(v.mean())
    sd = float(v.std(ddof=1)) if len(v) > 1 else 0.0
    if sd == 0:
        return 0.0, 50.0
    a = 10.0 / sd * (1.0 if direction == "high" else -1.0)
    return a, 50.0 - a * mu


def clamps(method: str) -> bool:
    return method in ("target_floor", "minmax")
