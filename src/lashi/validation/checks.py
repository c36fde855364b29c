"""The validation checks of spec §6 beyond triangulation, as pure functions over tables:
blind test, dynamic calibration, predictive validity, sensitivity and subject anomalies."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .stats import correlations, icc

# -- 盲测评估 blind test ------------------------------------------------------------------------

BLIND_PASS, BLIND_REVIEW = 0.8, 0.6


def blind_verdict(r: float) -> tuple[str, str]:
    if not np.isfinite(r):
        return "insufficient", "数据不足"
    if r >= BLIND_PASS:
        return "pass", "通过"
    if r >= BLIND_REVIEW:
        return "review", "复核"
    return "redesign", "重新设计指标"


def blind_test(ratings: pd.DataFrame, level: float = 0.95) -> dict:
    """Expert vs consumer panel over blinded codes of one period. ratings: rater_kind, rater_id,
    blind_code, score. Correlation of the two panels' mean scores per code (Pearson, Spearman,
    Fisher-z intervals); verdict from Pearson (≥ 0.8 pass, 0.6–0.8 review, < 0.6 redesign);
    inter-rater agreement as ICC(2,1) and ICC(2,k) within each panel."""
    means = ratings.pivot_table(index="blind_code", columns="rater_kind", values="score", aggfunc="mean")
    if not {"expert", "consumer"} <= set(means.columns):
        raise ValueError("blind test needs both expert and consumer ratings / 需要专家与消费者两组评分")
    c = correlations(means["expert"], means["consumer"], level)
    verdict, zh = blind_verdict(c["pearson"])
    out = {**c, "verdict": verdict, "verdict_zh": zh, "level": level, "codes": int(len(means))}
    for kind in ("expert", "consumer"):
        m = ratings[ratings["rater_kind"] == kind].pivot_table(index="blind_code", columns="rater_id",
                                                               values="score", aggfunc="mean")
        a = icc(m.to_numpy())
        out[f"{kind}_icc_single"], out[f"{kind}_icc_mean"], out[f"{kind}_raters"] = \
            a["icc_single"], a["icc_mean"], a["raters"]
    return out


# -- 动态校准 dynamic calibration ---------------------------------------------------------------

def calibration(current: pd.DataFrame, previous: pd.DataFrame, ranges: dict[str, tuple[float, float]],
                threshold: float = 0.20, volume_change: float = 0.30,
                monthly: pd.DataFrame | None = None, subject_id: str = "INDUSTRY") -> pd.DataFrame:
    """Quarter-over-quarter movement of each indicator for one subject (default the industry).
    A move is relative to the previous value, or to the indicator's target–floor range when the
    previous value is near zero (|prev| < 10 % of the range). Moves over ``threshold`` are
    flagged with a likely cause: case volume changed by more than ``volume_change``
    (工单量变化), else a level break between months inside the quarter (人员/流程变动 — e.g. a staff
    change), else 'review'."""
    def pick(df):
        d = df[(df["subject_id"] == subject_id) & (df["slice"] == "all")]
        return d.set_index("indicator_id")[["value", "n", "cases"]]
    cur, prev = pick(current), pick(previous)
    j = cur.merge(prev.add_suffix("_prev"), left_index=True, right_index=True, how="inner")
    rows = []
    for ind, r in j.iterrows():
        lo, hi = ranges.get(ind, (np.nan, np.nan))
        span = abs(hi - lo) if np.isfinite(hi - lo) else np.nan
        d = r["value"] - r["value_prev"]
        if np.isfinite(span) and abs(r["value_prev"]) < 0.1 * span:
            rel, basis = d / span, "range"
        elif r["value_prev"] != 0:
            rel, basis = d / abs(r["value_prev"]), "previous"
        else:
            rel, basis = np.nan, "none"
        vol = (r["cases"] - r["cases_prev"]) / r["cases_prev"] if r["cases_prev"] else np.nan
        flagged = bool(np.isfinite(rel) and abs(rel) > threshold)
        cause, cause_zh = "", ""
        if flagged:
            if np.isfinite(vol) and abs(vol) > volume_change:
                cause, cause_zh = "volume change", "工单量变化"
            elif monthly is not None and _break(monthly, subject_id, ind, r["value_prev"]):
                cause, cause_zh = "level break (e.g. staff change)", "断点（如人员变动）"
            else:
                cause, cause_zh = "review", "待复核"
        rows.append({"indicator_id": ind, "previous": r["value_prev"], "current": r["value"], "change": d,
                     "relative_change": rel, "basis": basis, "n_previous": r["n_prev"], "n_current": r["n"],
                     "cases_previous": r["cases_prev"], "cases_current": r["cases"], "volume_change": vol,
                     "flagged": flagged, "likely_cause": cause, "likely_cause_zh": cause_zh})
    out = pd.DataFrame(rows)
    return out.sort_values("relative_change", key=lambda s: -s.abs()).reset_index(drop=True) if len(out) else out


def _break(monthly: pd.DataFrame, subject_id: str, ind: str, prev_value: float) -> bool:
    """Did the indicator jump inside the quarter (one month-to-month step carrying most of the move)?"""
    s = monthly[(monthly["subject_id"] == subject_id) & (monthly["slice"] == "all")
                & (monthly["indicator_id"] == ind)].sort_values("period")["value"].to_numpy()
    if len(s) < 3:
        return False
    steps = np.abs(np.diff(np.concatenate([[prev_value], s])))
    return bool(steps.max() > 0.6 * steps.sum()) if steps.sum() > 0 else False


# -- 预测效度 predictive validity --------------------------------------------------------------

def predictive_validity(index: pd.DataFrame, behaviour: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Correlation of the index with repurchase and recommendation rates across subjects (all
    kinds together and per kind). behaviour: subject_id, repurchase_rate, recommendation_rate
    (averaged over the period's months)."""
    b = behaviour.groupby("subject_id", as_index=False)[["repurchase_rate", "recommendation_rate"]].mean()
    df = index[index["subject_kind"] != "industry"][["subject_id", "subject_kind", "index"]].merge(b, on="subject_id")
    rows = []
    for kind, g in [("all", df), *df.groupby("subject_kind")]:
        for outcome in ("repurchase_rate", "recommendation_rate"):
            rows.append({"subjects": kind, "outcome": outcome, **correlations(g["index"], g[outcome], level)})
    return pd.DataFrame(rows)


# -- 敏感性 sensitivity ------------------------------------------------------------------------

def sensitivity(ev, runs: int = 40, perturb: float = 0.25, seed: int = 1,
                normalisations=("target_floor", "minmax", "zscore"),
                aggregations=("arithmetic", "geometric")) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-run the evaluation ``runs`` times with every dimension weight multiplied by a random
    factor in [1 − perturb, 1 + perturb] (renormalised), a random normalisation and a random
    aggregation. Returns (per-subject summary, per-run long table). Bands are read only from
    runs on the target/floor scale (the scale the bands are defined on); ranks from all runs."""
    rng = np.random.default_rng(seed)
    dims = [d.id for d in ev.catalogue.dimensions]
    base = np.array([d.base_weight for d in ev.catalogue.dimensions], float)
    key = ["subject_id", "subject_kind", "period"]
    ref = ev.index[key + ["index", "rank", "band"]].rename(
        columns={"index": "index_ref", "rank": "rank_ref", "band": "band_ref"})
    long = []
    for i in range(runs):
        w = base * rng.uniform(1 - perturb, 1 + perturb, len(base))
        w = w / w.sum()
        norm = normalisations[0] if i == 0 else rng.choice(normalisations)
        agg = aggregations[0] if i == 0 else rng.choice(aggregations)
        v = ev.with_(weights=dict(zip(dims, w)), normalisation=str(norm), aggregation=str(agg), B=0)
        x = v.index[key + ["index", "rank", "band"]].copy()
        x["run"], x["normalisation"], x["aggregation"] = i, str(norm), str(agg)
        long.append(x)
    L = pd.concat(long, ignore_index=True)
    g = L.groupby(key)
    s = g["rank"].agg(rank_median="median", rank_lo=lambda r: r.quantile(0.05), rank_hi=lambda r: r.quantile(0.95),
                      rank_min="min", rank_max="max").reset_index()
    tf = L[L["normalisation"] == "target_floor"].dropna(subset=["band"])
    bands = tf.groupby(key)["band"].agg(lambda b: ",".join(sorted(set(b)))).rename("bands").reset_index()
    s = s.merge(bands, on=key, how="left").merge(ref, on=key, how="left")
    s["band_depends"] = s["bands"].fillna("").str.contains(",")
    s["runs"] = runs
    return s.sort_values(["subject_kind", "rank_median"]).reset_index(drop=True), L


# -- 异常主体 anomalies ------------------------------------------------------------------------

def anomalies(values: pd.DataFrame, contamination: float = 0.05, seed: int = 0, top: int = 3,
              min_cases: int = 30) -> pd.DataFrame:
    """Isolation forest over subjects' indicator profiles (slice 'all', robust z per indicator,
    missing = median). Returns every subject with its anomaly score and, for those flagged, the
    indicators that made it stand out (largest |robust z|)."""
    from sklearn.ensemble import IsolationForest

    v = values[(values["slice"] == "all") & (values["subject_id"] != "INDUSTRY")]
    cases = v.groupby("subject_id")["cases"].max()
    keep = cases[cases >= min_cases].index
    X = v[v["subject_id"].isin(keep)].pivot_table(index="subject_id", columns="indicator_id", values="value")
    X = X.loc[:, X.notna().mean() >= 0.5]
    if len(X) < 10 or X.shape[1] < 2:
        return pd.DataFrame(columns=["subject_id", "anomaly_score", "anomalous", "stand_out"])
    med = X.median()
    mad = (X - med).abs().median() * 1.4826
    scale = mad.where(mad > 0, X.std().where(X.std() > 0, 1.0))
    Z = ((X - med) / scale).fillna(0.0).clip(-10, 10)
    f = IsolationForest(n_estimators=200, contamination=contamination, random_state=seed).fit(Z.to_numpy())
    score = -f.score_samples(Z.to_numpy())
    flag = f.predict(Z.to_numpy()) == -1
    kinds = v.drop_duplicates("subject_id").set_index("subject_id")["subject_kind"]
    rows = []
    for sid, sc, fl, (_, z) in zip(Z.index, score, flag, Z.iterrows()):
        feats = z.abs().sort_values(ascending=False).head(top)
        rows.append({"subject_id": sid, "subject_kind": kinds.get(sid), "cases": int(cases[sid]),
                     "anomaly_score": float(sc), "anomalous": bool(fl),
                     "stand_out": "; ".join(f"{k} {X.loc[sid, k]:.3g} (z {z[k]:+.1f})" for k in feats.index
                                            if np.isfinite(X.loc[sid, k]))})
    return pd.DataFrame(rows).sort_values("anomaly_score", ascending=False).reset_index(drop=True)
