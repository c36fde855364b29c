"""三方交叉验证 triangulation (spec §6): a subject's self-reported figure beside what independent
sources measured (mystery-shopper tests, LASHI's own case records) and what consumers perceived,
with a one-sided test of whether the claim exceeds what the independent sources support.

The test is against the *most favourable* independent source: the claim is flagged as data
beautification (数据美化) only when it exceeds every independent estimate beyond sampling error
(one-sided z test, p < alpha for each source, i.e. for the highest one) and by more than a
practical margin. A claim within sampling error of any one source is not flagged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SHARE_INDICATORS = {"R1", "E4", "M3"}  # indicators that are proportions (binomial error)


def claim_test(claimed: float, sources: list[tuple[str, float, float]], alpha: float = 0.01,
               margin: float = 0.02) -> dict:
    """sources: (name, estimate, standard error). Returns the source most favourable to the claim,
    its z and one-sided p, and whether the claim is flagged."""
    usable = [(n, v, se) for n, v, se in sources if np.isfinite(v) and np.isfinite(se) and se >= 0]
    if not usable or not np.isfinite(claimed):
        return {"supported_by": None, "support_value": np.nan, "z": np.nan, "p_one_sided": np.nan,
                "beautified": False}
    zs = []
    for name, v, se in usable:
        z = (claimed - v) / se if se > 0 else (np.inf if claimed > v else -np.inf)
        zs.append((z, name, v))
    z, name, v = min(zs)  # the source that supports the claim best
    p = float(stats.norm.sf(z))
    flagged = bool(p < alpha and claimed - v > margin)
    return {"supported_by": name, "support_value": float(v), "z": float(z), "p_one_sided": p,
            "beautified": flagged}


def _binom_se(p: float, n: float) -> float:
    if not (n and n > 0 and np.isfinite(p)):
        return np.nan
    p = min(max(p, 0.5 / n), 1 - 0.5 / n)  # keep 0 % and 100 % from having zero error
    return float(np.sqrt(p * (1 - p) / n))


def triangulate(self_reports: pd.DataFrame, mystery: pd.DataFrame, perceptions: pd.DataFrame,
                case_values: pd.DataFrame, alpha: float = 0.01, margin: float = 0.02) -> pd.DataFrame:
    """One row per subject and indicator with a self-report in the period.

    self_reports: subject_id, indicator_id, claimed_value (already restricted to the period; months
        are averaged); mystery: subject_id, first_response_hours (None = never answered), resolved;
    perceptions: subject_id, indicator_id, respondents, perceived_value;
    case_values: the indicator table for the period (slice 'all' is used): value, n, se.
    """
    claims = self_reports.groupby(["subject_id", "indicator_id"], as_index=False)["claimed_value"].mean()
    ms = mystery.assign(ok=mystery["first_response_hours"].fillna(np.inf) <= 24.0)
    ms = ms.groupby("subject_id").agg(mystery_tests=("ok", "size"), mystery_r1=("ok", "mean")).reset_index()
    pe = perceptions.assign(w=perceptions["respondents"] * perceptions["perceived_value"]).groupby(
        ["subject_id", "indicator_id"], as_index=False).agg(respondents=("respondents", "sum"), w=("w", "sum"))
    pe["perceived_value"] = pe["w"] / pe["respondents"]
    cv = case_values[case_values["slice"] == "all"][["subject_id", "indicator_id", "value", "n", "se"]].rename(
        columns={"value": "case_value", "n": "case_n", "se": "case_se"})
    df = claims.merge(cv, on=["subject_id", "indicator_id"], how="left")
    df = df.merge(pe[["subject_id", "indicator_id", "respondents", "perceived_value"]],
                  on=["subject_id", "indicator_id"], how="left")
    df = df.merge(ms, on="subject_id", how="left")
    df.loc[df["indicator_id"] != "R1", ["mystery_tests", "mystery_r1"]] = np.nan
    rows = []
    for r in df.itertuples(index=False):
        share = r.indicator_id in SHARE_INDICATORS
        src = []
        if r.mystery_tests == r.mystery_tests and r.mystery_tests > 0:
            src.append(("mystery", r.mystery_r1, _binom_se(r.mystery_r1, r.mystery_tests)))
        if r.case_value == r.case_value:
            se = _binom_se(r.case_value, r.case_n) if share else r.case_se
            src.append(("cases", r.case_value, se))
        if share and r.perceived_value == r.perceived_value:
            src.append(("perceived", r.perceived_value, _binom_se(r.perceived_value, r.respondents)))
        t = claim_test(r.claimed_value, src, alpha, margin if share else margin * 10)
        rows.append({**r._asdict(), **t, "sources": len(src)})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["verdict_zh"] = np.where(out["beautified"], "数据美化", np.where(out["sources"] == 0, "无独立来源", "可信"))
    out["verdict_en"] = np.where(out["beautified"], "beautified", np.where(out["sources"] == 0, "no independent source", "supported"))
    return out.sort_values(["beautified", "z"], ascending=[False, False]).reset_index(drop=True)
