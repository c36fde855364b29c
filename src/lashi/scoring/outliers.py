"""Outlier treatment of indicator values across subjects (spec §4.1), the practice of the EU's
JRC composite-indicator handbook as implemented by COINr:

1. an indicator *fails* when |skewness| > 2 **and** (excess) kurtosis > 3.5;
2. a failing indicator is winsorised one point at a time — the most extreme point on the side
   of the skew takes the value of the next one in — re-checking after each point, at most 5;
3. if it still fails after 5 points, winsorisation is dropped and the *original* values are
   log-transformed instead: log(x − min + 1) for a positive skew, −log(max − x + 1) for a
   negative one (monotone, so the direction of the indicator is kept).

Skewness and kurtosis are the sample-adjusted estimators (scipy ``bias=False``, as Excel's
SKEW/KURT). Groups with fewer than ``min_points`` values are left alone.

The functions here work on one vector; ``fit_treatment`` returns the treatment as parameters
(caps and a log shift) so that the same treatment can be applied to bootstrap replicates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

SKEW_THRESHOLD = 2.0
KURT_THRESHOLD = 3.5
WINMAX = 5
MIN_POINTS = 5


def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 4 or np.ptp(x) == 0:
        return 0.0, 0.0
    return float(stats.skew(x, bias=False)), float(stats.kurtosis(x, fisher=True, bias=False))


def fails(x: np.ndarray, skew_threshold: float = SKEW_THRESHOLD,
          kurt_threshold: float = KURT_THRESHOLD) -> bool:
    s, k = skew_kurt(x)
    return abs(s) > skew_threshold and k > kurt_threshold


@dataclass(frozen=True)
class Treatment:
    """How one indicator's values in one group were treated.

    method: 'none' | 'winsorise' | 'log'. For 'winsorise', values are clipped to [lo, hi]. For
    'log', sign = +1 → log(x − shift + 1), sign = −1 → −log(shift − x + 1); values are first
    clipped to [lo, hi] so the logarithm stays defined for replicates outside the fitted range.
    """

    method: str = "none"
    lo: float = -math.inf
    hi: float = math.inf
    sign: int = 0
    shift: float = 0.0
    n_winsorised: int = 0
    skew_before: float = 0.0
    kurt_before: float = 0.0
    skew_after: float = 0.0
    kurt_after: float = 0.0

    def apply(self, x):
        x = np.clip(np.asarray(x, dtype=float), self.lo, self.hi)
        if self.method == "log":
            if self.sign > 0:
                return np.log(x - self.shift + 1.0)
            return -np.log(self.shift - x + 1.0)
        return x


def fit_treatment(x: np.ndarray, *, anchors: tuple[float, ...] = (), winmax: int = WINMAX,
                  skew_threshold: float = SKEW_THRESHOLD, kurt_threshold: float = KURT_THRESHOLD,
                  min_points: int = MIN_POINTS) -> Treatment:
    """Decide the JRC treatment of a vector (NaNs ignored).

    ``anchors`` (e.g. the indicator's target and floor) are included when choosing the log shift
    so they can be mapped through the same transform.
    """
    x = np.asarray(x, dtype=float)
    v = x[np.isfinite(x)]
    s0, k0 = skew_kurt(v)
    if len(v) < min_points or not (abs(s0) > skew_threshold and k0 > kurt_threshold):
        return Treatment(skew_before=s0, kurt_before=k0, skew_after=s0, kurt_after=k0)
    w = np.sort(v)
    lo, hi = -math.inf, math.inf
    nwin = 0
    s, k = s0, k0
    while nwin < winmax and abs(s) > skew_threshold and k > kurt_threshold:
        if s > 0:  # winsorise the top point down to the next one
            hi = w[-(nwin + 2)]
            w = np.minimum(w, hi)
        else:
            lo = w[nwin + 1]
            w = np.maximum(w, lo)
        nwin += 1
        s, k = skew_kurt(w)
    if not (abs(s) > skew_threshold and k > kurt_threshold):
        return Treatment("winsorise", lo, hi, 0, 0.0, nwin, s0, k0, s, k)
    # still failing: log-transform the original values
    anchors = tuple(a for a in anchors if math.isfinite(a))
    if s0 > 0:
        shift = float(min(v.min(), *anchors)) if anchors else float(v.min())
        t = Treatment("log", shift, math.inf, +1, shift, 0, s0, k0)
    else:
        shift = float(max(v.max(), *anchors)) if anchors else float(v.max())
        t = Treatment("log", -math.inf, shift, -1, shift, 0, s0, k0)
    s2, k2 = skew_kurt(t.apply(v))
    return Treatment(t.method, t.lo, t.hi, t.sign, t.shift, 0, s0, k0, s2, k2)


def treat(x: np.ndarray, **kw) -> tuple[np.ndarray, np.ndarray, Treatment]:
    """Treat a vector: (treated values, boolean flag per value that changed, the treatment)."""
    x = np.asarray(x, dtype=float)
    t = fit_treatment(x, **kw)
    y = t.apply(x) if t.method != "none" else x.copy()
    if t.method == "winsorise":
        flag = np.isfinite(x) & (y != x)
    elif t.method == "log":
        flag = np.isfinite(x)
    else:
        flag = np.zeros(len(x), dtype=bool)
    return y, flag, t
