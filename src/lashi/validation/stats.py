"""Small statistics used by the validation checks."""
from __future__ import annotations

import numpy as np
from scipy import stats


def fisher_ci(r: float, n: int, level: float = 0.95, se_scale: float = 1.0) -> tuple[float, float]:
    """Confidence interval of a correlation through Fisher's z (se = se_scale / √(n − 3));
    for Spearman's rho use se_scale = √1.06 (Fieller, Hartley and Pearson)."""
    if n <= 3 or not np.isfinite(r):
        return float("nan"), float("nan")
    z = np.arctanh(np.clip(r, -0.999999, 0.999999))
    h = stats.norm.ppf(0.5 + level / 2) * se_scale / np.sqrt(n - 3)
    return float(np.tanh(z - h)), float(np.tanh(z + h))


def correlations(x, y, level: float = 0.95) -> dict:
    """Pearson and Spearman with Fisher-z intervals and p-values over finite pairs."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(ok.sum())
    if n < 4 or np.std(x) == 0 or np.std(y) == 0:
        return {"n": n, "pearson": np.nan, "pearson_lo": np.nan, "pearson_hi": np.nan, "pearson_p": np.nan,
                "spearman": np.nan, "spearman_lo": np.nan, "spearman_hi": np.nan, "spearman_p": np.nan}
    r, rp = stats.pearsonr(x, y)
    s, sp = stats.spearmanr(x, y)
    lo, hi = fisher_ci(r, n, level)
    slo, shi = fisher_ci(s, n, level, se_scale=np.sqrt(1.06))
    return {"n": n, "pearson": float(r), "pearson_lo": lo, "pearson_hi": hi, "pearson_p": float(rp),
            "spearman": float(s), "spearman_lo": slo, "spearman_hi": shi, "spearman_p": float(sp)}


def icc(matrix: np.ndarray) -> dict:
    """Intraclass correlation of a subjects × raters matrix (complete rows only), two-way random
    effects, absolute agreement (Shrout & Fleiss ICC(2,1) for one rater, ICC(2,k) for the mean
    of k raters)."""
    Y = np.asarray(matrix, float)
    Y = Y[np.isfinite(Y).all(axis=1)]
    n, k = Y.shape if Y.ndim == 2 else (0, 0)
    if n < 2 or k < 2:
        return {"icc_single": np.nan, "icc_mean": np.nan, "subjects": n, "raters": k}
    grand = Y.mean()
    ssr = k * ((Y.mean(axis=1) - grand) ** 2).sum()
    ssc = n * ((Y.mean(axis=0) - grand) ** 2).sum()
    sse = ((Y - grand) ** 2).sum() - ssr - ssc
    msr, msc, mse = ssr / (n - 1), ssc / (k - 1), sse / ((n - 1) * (k - 1))
    single = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    mean = (msr - mse) / (msr + (msc - mse) / n)
    return {"icc_single": float(single), "icc_mean": float(mean), "subjects": int(n), "raters": int(k)}
