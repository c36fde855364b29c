"""Explanation of an index (spec §4.9): where the points went.

For the period index (a case-weighted mean of slice indices, each a weighted mean of dimension
scores) the points lost add up exactly, with arithmetic aggregation:

    100 − index = Σ_d lost_d,   lost_d = Σ_s c_s · w_{s,d} · (100 − D_{s,d})
    lost_d = Σ_{k∈d} lost_k,    lost_k = Σ_s c_s · w_{s,d} · m_k / Σ_{k'∈d} m_k' · (100 − S_{s,k})

with c_s the case share of slice s, w_{s,d} its dimension weight (renormalised over scored
dimensions), m_k the indicator weights within the dimension (over scored indicators).
With geometric aggregation the same quantities are reported as weighted gaps (they no longer
add up to 100 − index exactly).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .bands import band


@dataclass
class Explanation:
    subject_id: str
    period: str
    slice: str | None               # None: the period index over its slices
    index: float
    lo: float
    hi: float
    band_id: str | None
    band_zh: str | None
    band_en: str | None
    cases: float
    dimensions: pd.DataFrame        # sorted by points_lost, descending
    indicators: pd.DataFrame        # sorted by points_lost, descending
    weakest_dimension: str | None   # lowest dimension score (the radar's weakest side)
    costliest_dimension: str | None # most points lost against the weights

    def to_text(self, lang: str = "zh", top: int = 5) -> str:
        zh = lang == "zh"
        head = (f"{self.subject_id} {self.period}"
                + (f" [{self.slice}]" if self.slice else "")
                + f": {self.index:.1f} ({self.lo:.1f}–{self.hi:.1f}) "
                + f"{(self.band_zh if zh else self.band_en) or ''}, {int(self.cases)} "
                + ("件" if zh else "cases"))
        lines = [head]
        for _, r in self.dimensions.iterrows():
            lines.append(f"  {r['dimension']} {r['zh'] if zh else r['en']}: {r['score']:.1f} "
                         f"(w {r['weight']:.3f}) −{r['points_lost']:.2f}")
        lines.append("  " + ("失分最多的指标：" if zh else "Indicators costing most points:"))
        for _, r in self.indicators.head(top).iterrows():
            rem = r["remedy_zh"] if zh else r["remedy_en"]
            lines.append(f"    {r['indicator_id']} {r['zh'] if zh else r['en']}: "
                         f"{r['score']:.1f} −{r['points_lost']:.2f}  → {rem}")
        return "\n".join(lines)


def explain(ev, subject_id: str, period: str | None = None, slice: str | None = None) -> Explanation:
    """Points lost per dimension and per indicator for a subject's period (or one slice)."""
    cat = ev.catalogue
    idx = ev.index[ev.index["subject_id"] == subject_id]
    if idx.empty:
        raise KeyError(f"subject {subject_id!r} is not in the evaluation")
    if period is None:
        period = sorted(idx["period"])[-1]
    idx = idx[idx["period"] == str(period)]
    if idx.empty:
        raise KeyError(f"subject {subject_id!r} has no period {period!r}")
    si = ev.slice_index
    si = si[(si["subject_id"] == subject_id) & (si["period"] == str(period))]
    if slice is None:
        srows = si[si["in_index"]]
        shares = srows.set_index("slice")["case_share"]
        head = idx.iloc[0]
        value, lo, hi, cases = head["index"], head["lo"], head["hi"], head["cases"]
    else:
        srows = si[si["slice"] == slice]
        if srows.empty:
            raise KeyError(f"subject {subject_id!r} has no slice {slice!r} in {period}")
        shares = pd.Series(1.0, index=srows["slice"])
        value, lo, hi, cases = (srows["index"].iloc[0], srows["lo"].iloc[0], srows["hi"].iloc[0],
                                srows["cases"].iloc[0])
    sd = ev.slice_dimension_scores
    sd = sd[(sd["subject_id"] == subject_id) & (sd["period"] == str(period))
            & sd["slice"].isin(shares.index)]
    isc = ev.indicator_scores
    isc = isc[(isc["subject_id"] == subject_id) & (isc["period"] == str(period))]
    isl = isc[isc["slice"].isin(shares.index)]

    dim_ids = list(cat.dimension_ids)
    ind_w = {i.id: i.weight for i in cat.indicators}
    lost_d = dict.fromkeys(dim_ids, 0.0)
    effw_d = dict.fromkeys(dim_ids, 0.0)
    lost_k: dict[str, float] = {i.id: 0.0 for i in cat.indicators}
    effw_k: dict[str, float] = {i.id: 0.0 for i in cat.indicators}
    score_num = {i.id: 0.0 for i in cat.indicators}
    score_den = {i.id: 0.0 for i in cat.indicators}
    for s, c in shares.items():
        dsl = sd[sd["slice"] == s].set_index("dimension")
        scored = dsl["score"].notna()
        wsum = dsl.loc[scored, "weight"].sum()
        if wsum <= 0:
            continue
        ksl = isl[isl["slice"] == s].set_index("indicator_id")
        for d in dim_ids:
            if not scored.get(d, False):
                continue
            w = c * dsl.at[d, "weight"] / wsum
            effw_d[d] += w
            lost_d[d] += w * (100.0 - dsl.at[d, "score"])
            members = [i.id for i in cat.indicators if i.dimension == d
                       and i.id in ksl.index and np.isfinite(ksl.at[i.id, "score"])]
            msum = sum(ind_w[k] for k in members)
            for k in members:
                wk = w * ind_w[k] / msum
                effw_k[k] += wk
                lost_k[k] += wk * (100.0 - ksl.at[k, "score"])
                score_num[k] += c * ksl.at[k, "score"]
                score_den[k] += c

    # dimension table: scores from the period (or slice) dimension table
    if slice is None:
        dtab = ev.dimension_scores
        dtab = dtab[(dtab["subject_id"] == subject_id) & (dtab["period"] == str(period))]
    else:
        dtab = sd[sd["slice"] == slice]
    dtab = dtab.set_index("dimension")
    drows = []
    for d in cat.dimensions:
        sc = dtab.at[d.id, "score"] if d.id in dtab.index else math.nan
        drows.append({"dimension": d.id, "zh": d.zh, "en": d.en, "weight": effw_d[d.id],
                      "score": sc,
                      "lo": dtab.at[d.id, "lo"] if d.id in dtab.index else math.nan,
                      "hi": dtab.at[d.id, "hi"] if d.id in dtab.index else math.nan,
                      "points_lost": lost_d[d.id]})
    dims = pd.DataFrame(drows).sort_values("points_lost", ascending=False, kind="stable").reset_index(drop=True)

    # indicator table: the raw value of the whole period ('all' slice) where there is one
    whole = isc[isc["slice"] == "all"].set_index("indicator_id")
    if whole.empty and slice is None and len(shares) == 1:
        whole = isl.set_index("indicator_id")
    if slice is not None:
        whole = isl[isl["slice"] == slice].set_index("indicator_id")
    flags = isl.groupby("indicator_id")["flags"].agg(
        lambda s: ";".join(sorted({f for v in s for f in str(v).split(";") if f})))
    irows = []
    for i in cat.indicators:
        raw = whole.at[i.id, "value_raw"] if i.id in whole.index else math.nan
        n = whole.at[i.id, "n"] if i.id in whole.index else math.nan
        sc = score_num[i.id] / score_den[i.id] if score_den[i.id] > 0 else math.nan
        met = i.standard.met(raw) if i.standard is not None else None
        irows.append({
            "indicator_id": i.id, "dimension": i.dimension, "zh": i.zh, "en": i.en,
            "direction": i.direction, "unit": i.unit, "value": raw, "target": i.target,
            "floor": i.floor, "score": sc, "n": n, "flags": flags.get(i.id, ""),
            "weight": effw_k[i.id], "points_lost": lost_k[i.id],
            "standard": i.standard.text() if i.standard is not None else "",
            "standard_met": met, "remedy_zh": i.remedy_zh, "remedy_en": i.remedy_en,
        })
    inds = pd.DataFrame(irows).sort_values(["points_lost", "indicator_id"], ascending=[False, True],
                                           kind="stable").reset_index(drop=True)
    scored = dims[dims["score"].notna()]
    weakest = scored.loc[scored["score"].idxmin(), "dimension"] if len(scored) else None
    costliest = dims.iloc[0]["dimension"] if len(dims) and dims.iloc[0]["points_lost"] > 0 else None
    b = band(value, cat)
    return Explanation(subject_id, str(period), slice, float(value), float(lo), float(hi),
                       b.id if b else None, b.zh if b else None, b.en if b else None,
                       float(cases), dims, inds, weakest, costliest)
