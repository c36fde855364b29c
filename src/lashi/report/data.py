"""Gather everything the evaluation report shows, in language-neutral tables.

One evaluation of the period (`lashi.workflow.run_evaluation`) carries the index, the six
dimensions, the indicators, group differences, root causes, remedies and the method appendix;
governance, validation and the three-month forecast come from their own packages and can be
skipped. Nothing here formats text: `compose` turns this into a document in one language.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from lashi.scoring.explain import Explanation
from lashi.scoring.weights import resolve_weights
from lashi.workflow import EvaluationRun, run_evaluation

PARTS = ("governance", "validation", "forecast")
CONTEXT_SLICES = ("base", "promotion", "sensitive_skin", "promotion+sensitive_skin")
STREAMER_TIERS = ("head", "mid", "small")
BRAND_TYPES = ("international", "domestic", "niche")
TOP_CAUSES = 6


@dataclass
class ReportData:
    period: str
    grain: str
    context: str
    generated: str
    workspace: str
    run: EvaluationRun
    subjects: pd.DataFrame            # subject_id, kind, name, tier, platform_id, mcn_id, origin, group
    index: pd.DataFrame               # evaluation index + name, group
    dims: pd.DataFrame                # subject × D1..D6 (period dimension scores)
    industry: Explanation
    groups: pd.DataFrame              # one row per group: family, group, subjects, cases, mean, median, min, max, poor share …
    group_dims: pd.DataFrame          # group × dimension mean score (family, group, D1..D6, index)
    causes: pd.DataFrame              # the weakest indicators with where they concentrate
    concentration: dict[str, pd.DataFrame]  # indicator → per-group values (long)
    weakest_counts: pd.DataFrame      # subject kind × weakest dimension counts
    weights: pd.DataFrame             # slice × D1..D6 weights and the industry's case share
    imputation: pd.DataFrame          # subject kind × status/imputation counts
    outliers: pd.DataFrame            # outlier treatments
    span: tuple[str, str]
    governance: object | None = None
    validation: object | None = None
    forecast: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def catalogue(self):
        return self.run.evaluation.catalogue

    @property
    def industry_row(self) -> pd.Series:
        return self.index[self.index["subject_id"] == "INDUSTRY"].iloc[0]


def _group_of(row) -> str:
    kind = row["kind"]
    if kind == "streamer":
        return row["tier"] if row["tier"] in STREAMER_TIERS else "small"
    if kind == "brand":
        o = row.get("origin")
        if isinstance(o, str) and o in BRAND_TYPES:
            return o
        return {"head": "international", "mid": "domestic"}.get(row["tier"], "niche")
    if kind == "platform":
        return row["subject_id"]
    if kind == "mcn":
        return row["tier"] if row["tier"] in STREAMER_TIERS else "small"
    return "industry"


def _subjects(run: EvaluationRun) -> pd.DataFrame:
    s = run.subjects.copy()
    for c in ("name", "tier", "platform_id", "mcn_id", "origin"):
        if c not in s.columns:
            s[c] = None
    s["group"] = s.apply(_group_of, axis=1)
    ind = pd.DataFrame([{"subject_id": "INDUSTRY", "kind": "industry", "name": "INDUSTRY", "tier": "",
                         "platform_id": None, "mcn_id": None, "origin": None, "group": "industry"}])
    return pd.concat([ind, s[ind.columns]], ignore_index=True)


def _group_table(idx: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (fam, grp), g in idx[idx["subject_kind"] != "industry"].groupby(["subject_kind", "group"], sort=False):
        g = g.sort_values("index", ascending=False)
        vals = g["index"].dropna()
        rows.append({
            "family": fam, "group": grp, "subjects": len(g), "cases": float(g["cases"].sum()),
            "mean": float(vals.mean()) if len(vals) else math.nan,
            "median": float(vals.median()) if len(vals) else math.nan,
            "min": float(vals.min()) if len(vals) else math.nan,
            "max": float(vals.max()) if len(vals) else math.nan,
            "share_good": float((vals >= 70).mean()) if len(vals) else math.nan,
            "share_poor": float((vals < 60).mean()) if len(vals) else math.nan,
            "best": g.iloc[0]["name"] if len(g) else "", "best_index": float(g.iloc[0]["index"]) if len(g) else math.nan,
            "worst": g.iloc[-1]["name"] if len(g) else "", "worst_index": float(g.iloc[-1]["index"]) if len(g) else math.nan,
        })
    return pd.DataFrame(rows)


def _order(family: str) -> list[str]:
    return {"streamer": list(STREAMER_TIERS), "brand": list(BRAND_TYPES), "mcn": list(STREAMER_TIERS)}.get(family, [])


def _sort_groups(df: pd.DataFrame, by_index: pd.DataFrame) -> pd.DataFrame:
    fam_order = {"platform": 0, "streamer": 1, "brand": 2, "mcn": 3}
    plat_rank = by_index[by_index["subject_kind"] == "platform"].set_index("subject_id")["index"].rank(ascending=False)

    def key(r):
        order = _order(r["family"])
        pos = order.index(r["group"]) if r["group"] in order else plat_rank.get(r["group"], 99)
        return (fam_order.get(r["family"], 9), pos)

    if df.empty:
        return df
    df = df.copy()
    df["_k"] = df.apply(key, axis=1)
    return df.sort_values("_k").drop(columns="_k").reset_index(drop=True)


def _concentration(ev, subjects: pd.DataFrame, ind_id: str, direction: str) -> pd.DataFrame:
    """Whole-period values of one indicator by group (platforms; median over streamer tiers,
    brand types and MCN tiers) and for the industry by context slice."""
    isc = ev.indicator_scores
    whole = isc[(isc["slice"] == "all") & (isc["indicator_id"] == ind_id)]
    whole = whole.merge(subjects[["subject_id", "group", "name"]], on="subject_id", how="left")
    obs = whole[whole["status"] == "ok"] if "status" in whole.columns else whole
    rows = []
    for r in obs[obs["subject_kind"] == "platform"].itertuples():
        rows.append({"family": "platform", "group": r.subject_id, "label": r.name, "value": r.value_raw,
                     "score": r.score, "n": r.n, "subjects": 1})
    for fam in ("streamer", "brand", "mcn"):
        f = obs[obs["subject_kind"] == fam]
        for grp in _order(fam):
            g = f[f["group"] == grp]
            if len(g):
                rows.append({"family": fam, "group": grp, "label": grp, "value": float(g["value_raw"].median()),
                             "score": float(g["score"].median()), "n": float(g["n"].sum()), "subjects": len(g)})
    ctx = isc[(isc["subject_id"] == "INDUSTRY") & (isc["indicator_id"] == ind_id) & isc["slice"].isin(CONTEXT_SLICES)]
    for r in ctx.itertuples():
        rows.append({"family": "context", "group": r.slice, "label": r.slice, "value": r.value_raw,
                     "score": r.score, "n": r.n, "subjects": 1})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["indicator_id"] = ind_id
    return out


def _worst(conc: pd.DataFrame, family: str, direction: str):
    f = conc[(conc["family"] == family) & conc["value"].notna()]
    if f.empty or f["value"].nunique() < 2:   # nothing to single out when all are equal
        return None
    return f.loc[f["value"].idxmin()] if direction == "high" else f.loc[f["value"].idxmax()]


def _causes(data_ev, industry: Explanation, subjects: pd.DataFrame, index: pd.DataFrame, top: int):
    inds = industry.indicators
    weak = inds[inds["points_lost"] > 0].head(top)
    # also every indicator whose report standard is missed, if not already there
    missed = inds[(inds["standard_met"] == False) & ~inds["indicator_id"].isin(weak["indicator_id"])]  # noqa: E712
    weak = pd.concat([weak, missed.head(max(0, top + 2 - len(weak)))], ignore_index=True)
    isc = data_ev.indicator_scores
    whole = isc[isc["slice"] == "all"]
    rows, conc = [], {}
    for r in weak.itertuples():
        c = _concentration(data_ev, subjects, r.indicator_id, r.direction)
        conc[r.indicator_id] = c
        w = whole[(whole["indicator_id"] == r.indicator_id) & (whole["subject_kind"] == "streamer")
                  & (whole["status"] == "ok")]
        below = float((w["score"] < 60).mean()) if len(w) else math.nan
        row = {"indicator_id": r.indicator_id, "dimension": r.dimension, "zh": r.zh, "en": r.en,
               "unit": r.unit, "direction": r.direction, "value": r.value, "target": r.target,
               "score": r.score, "points_lost": r.points_lost, "standard": r.standard,
               "standard_met": r.standard_met, "remedy_zh": r.remedy_zh, "remedy_en": r.remedy_en,
               "streamers_below_60": below, "streamers_observed": len(w)}
        for fam in ("platform", "streamer", "brand", "mcn", "context"):
            x = _worst(c, fam, r.direction) if len(c) else None
            row[f"worst_{fam}"] = None if x is None else x["group"]
            row[f"worst_{fam}_label"] = None if x is None else x["label"]
            row[f"worst_{fam}_value"] = math.nan if x is None else float(x["value"])
        if len(c):
            base = c[(c["family"] == "context") & (c["group"] == "base")]["value"]
            promo = c[(c["family"] == "context") & (c["group"] == "promotion")]["value"]
            sens = c[(c["family"] == "context") & (c["group"] == "sensitive_skin")]["value"]
            row["base_value"] = float(base.iloc[0]) if len(base) else math.nan
            row["promotion_value"] = float(promo.iloc[0]) if len(promo) else math.nan
            row["sensitive_value"] = float(sens.iloc[0]) if len(sens) else math.nan
        rows.append(row)
    return pd.DataFrame(rows), conc


def _weights_table(run: EvaluationRun) -> pd.DataFrame:
    cat = run.evaluation.catalogue
    si = run.evaluation.slice_index
    ind = si[(si["subject_id"] == "INDUSTRY") & si["in_index"]].set_index("slice")
    rows = []
    for sl in ("base",) + tuple(s for s in CONTEXT_SLICES if s != "base"):
        ctx = [] if sl == "base" else sl.split("+")
        try:
            w = resolve_weights(cat, ctx)
        except Exception:  # a user catalogue without these contexts
            continue
        row = {"slice": sl, "case_share": float(ind.at[sl, "case_share"]) if sl in ind.index else 0.0,
               "cases": float(ind.at[sl, "cases"]) if sl in ind.index else 0.0,
               "pins": ", ".join(f"{d} {v:.0%}" for c in ctx for d, v in cat.contexts[c].pins.items())}
        row.update({d: w[d] for d in cat.dimension_ids})
        rows.append(row)
    return pd.DataFrame(rows)


def _imputation_table(ev) -> pd.DataFrame:
    isc = ev.indicator_scores
    used = isc[isc["in_index"]] if "in_index" in isc.columns else isc
    rows = []
    for kind, g in used.groupby("subject_kind", sort=False):
        flags = g["flags"].fillna("").astype(str)
        rows.append({
            "subject_kind": kind, "cells": len(g),
            "observed": int((g["status"] == "ok").sum()),
            "insufficient": int((g["status"] == "insufficient").sum()),
            "missing": int(g["status"].isin(["missing", "absent"]).sum()),
            "own_window": int((g["imputation"] == "own_window").sum()),
            "peer_median": int((g["imputation"] == "peer_median").sum()),
            "unscored": int(g["score"].isna().sum()),
            "winsorised": int(flags.str.contains("winsorised").sum()),
            "log": int(flags.str.contains(r"\blog\b", regex=True).sum()),
        })
    order = {"industry": 0, "platform": 1, "streamer": 2, "brand": 3, "mcn": 4}
    return pd.DataFrame(rows).sort_values("subject_kind", key=lambda s: s.map(order).fillna(9)).reset_index(drop=True)


def _forecast(ws, period, progress) -> dict:
    """Three-month outlook from the report's period (history and forecast of every subject)."""
    from lashi.forecast import add_months, backtest, forecast_all, load_config, promotion_share
    from lashi.forecast.model import complete_months
    from lashi.governance.panel import monthly_panel, span_months

    cfg = load_config()
    lo, hi = span_months(ws)
    end = min(period.end, hi)
    progress("forecast: monthly index / 月度指数")
    panel = monthly_panel(ws, lo, end)
    months = complete_months(panel.index)
    idx = panel.index[panel.index["period"].isin(months)]
    h = int(cfg["horizon"])
    con = ws.connect(read_only=True)
    try:
        cal = con.execute("SELECT kind, start_date, end_date FROM calendar").df()
    finally:
        con.close()
    promo = promotion_share(months + [add_months(months[-1], k) for k in range(1, h + 1)], cal)
    progress("forecast / 预测")
    fc = forecast_all(idx, promo, cfg) if len(months) >= int(cfg["min_months"]) else pd.DataFrame()
    bt = pd.DataFrame()
    if len(months) >= int(cfg["min_months"]) + 2:
        progress("forecast backtest / 回测")
        bt, _ = backtest(idx, promo, cfg, kinds=["industry", "platform"])
    history = idx[["subject_id", "subject_kind", "period", "index", "cases"]].copy()
    return {"forecasts": fc, "history": history, "backtest": bt, "months": months, "config": cfg}


def collect(ws, period: str, *, context: str = "auto", B: int | None = None, parts=PARTS,
            sensitivity_runs: int = 20, progress: Callable[[str], None] | None = None,
            catalogue=None) -> ReportData:
    """Evaluate the period and gather the report's tables. ``parts`` chooses which of
    governance, validation and forecast to add (each reads the store again)."""
    from lashi.indicators.periods import parse_period
    from lashi.indicators.run import data_span

    say = progress or (lambda _m: None)
    p = parse_period(period)
    run = run_evaluation(ws, period, context=context, B=B, progress=say, catalogue=catalogue)
    ev = run.evaluation
    say("report tables / 报告表格")
    subjects = _subjects(run)
    idx = ev.index.merge(subjects[["subject_id", "name", "group", "platform_id", "mcn_id", "origin"]],
                         on="subject_id", how="left")
    idx["name"] = idx["name"].fillna(idx["subject_id"])
    dims = ev.dimension_scores.pivot_table(index="subject_id", columns="dimension", values="score").reset_index()
    industry = ev.explain("INDUSTRY", p.label)
    groups = _sort_groups(_group_table(idx), idx)
    gd = idx[["subject_id", "subject_kind", "group", "index"]].merge(dims, on="subject_id", how="left")
    gd = gd[gd["subject_kind"] != "industry"]
    dcols = [d for d in ev.catalogue.dimension_ids if d in gd.columns]
    group_dims = gd.groupby(["subject_kind", "group"], sort=False)[["index"] + dcols].mean().reset_index()
    group_dims = group_dims.rename(columns={"subject_kind": "family"})
    group_dims = _sort_groups(group_dims, idx)
    causes, conc = _causes(ev, industry, subjects, idx, TOP_CAUSES)
    wc = idx[idx["subject_kind"] != "industry"].groupby(["subject_kind", "weakest_dimension"]).size()
    weakest_counts = wc.unstack(fill_value=0).reset_index()
    con = ws.connect(read_only=True)
    try:
        lo, hi = data_span(con)
    finally:
        con.close()
    data = ReportData(
        period=p.label, grain=p.grain, context=context,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        workspace=str(ws.path), run=run, subjects=subjects, index=idx, dims=dims, industry=industry,
        groups=groups, group_dims=group_dims, causes=causes, concentration=conc,
        weakest_counts=weakest_counts, weights=_weights_table(run), imputation=_imputation_table(ev),
        outliers=ev.to_frames().get("outlier_treatments", pd.DataFrame()),
        span=(str(lo), str(hi)))
    supported = p.grain in ("month", "quarter")
    if "governance" in parts:
        if supported:
            from lashi.governance import govern
            say("governance / 治理")
            try:
                data.governance = govern(ws, p.label, catalogue=catalogue, progress=lambda m: say(f"governance: {m}"))
            except (ValueError, KeyError) as e:
                data.notes.append(f"governance: {e}")
        else:
            data.notes.append("governance needs a month or a quarter / 治理输出需按月或季度")
    if "validation" in parts:
        if supported:
            from lashi.validation import validate
            say("validation / 验证")
            try:
                data.validation = validate(ws, p.label, catalogue=ev.catalogue, runs=sensitivity_runs,
                                           progress=lambda m: say(f"validation: {m}"))
            except (ValueError, KeyError) as e:
                data.notes.append(f"validation: {e}")
        else:
            data.notes.append("validation needs a month or a quarter / 验证需按月或季度")
    if "forecast" in parts:
        try:
            data.forecast = _forecast(ws, p, lambda m: say(m))
        except (ValueError, KeyError) as e:
            data.notes.append(f"forecast: {e}")
    return data


def finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


__all__ = ["ReportData", "collect", "PARTS", "finite", "np"]
