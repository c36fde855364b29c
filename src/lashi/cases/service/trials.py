"""Skin-fit analysis of trials (试用官): problem rates by product and skin type with Wilson score
intervals; a rate at or above rules.yaml trials.flag_rate (35%, R) flags the product for a
formula change or a lower recommendation for that skin type."""
from __future__ import annotations

import math

import pandas as pd

from .config import load_rules


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def rates(trials: pd.DataFrame, rules: dict | None = None) -> pd.DataFrame:
    """trials: product_id, skin_type, problems (list). One row per product × skin type: n,
    with_problem, rate, lo, hi, flagged (rate ≥ flag_rate with n ≥ min_trials), common problems."""
    cfg = (rules or load_rules())["trials"]
    cols = ["product_id", "skin_type", "n", "with_problem", "rate", "lo", "hi", "flagged", "top_problems"]
    if trials.empty:
        return pd.DataFrame(columns=cols)
    t = trials.copy()
    t["has"] = t["problems"].map(lambda p: p is not None and len(p) > 0)
    out = []
    for (pid, skin), g in t.groupby(["product_id", "skin_type"], sort=True):
        n, k = len(g), int(g["has"].sum())
        lo, hi = wilson(k, n, cfg["z"])
        probs = pd.Series([x for p in g["problems"] if p is not None for x in p]).value_counts().head(3)
        rate = k / n
        out.append({"product_id": pid, "skin_type": skin, "n": n, "with_problem": k, "rate": rate, "lo": lo,
                    "hi": hi, "flagged": bool(rate >= cfg["flag_rate"] and n >= cfg["min_trials"]),
                    "top_problems": ", ".join(f"{a}({b})" for a, b in probs.items())})
    return pd.DataFrame(out, columns=cols)


def rates_from_store(con, product_id: str | None = None) -> pd.DataFrame:
    q = "SELECT product_id, skin_type, problems FROM trials"
    df = con.execute(q + (" WHERE product_id = ?" if product_id else ""), [product_id] if product_id else []).df()
    return rates(df)
