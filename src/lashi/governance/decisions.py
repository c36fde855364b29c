"""Governance decisions (spec §5) as pure functions over index tables.

- ``cards``: streamer red / yellow / green cards from the monthly index;
- ``credit_ratings``: streamer credit rating A/B/C from index and complaint rate;
- ``mcn_brand_credit``: brand credit score inside an MCN (boost / keep / suspend);
- ``rectification``: subjects below the line two quarters running;
- ``phase_targets``: the report's chapter 8.3 targets with deadlines and progress.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd


def _prev_month(label: str, k: int = 1) -> str:
    y, m = int(label[:4]), int(label[5:7])
    n = y * 12 + (m - 1) - k
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def cards(monthly: pd.DataFrame, month: str, rules: dict) -> pd.DataFrame:
    """Cards for ``month`` from a monthly index table (subject_id, subject_kind, period, index,
    cases). Red needs ``red_months`` consecutive calendar months below the line ending with
    ``month``; a month without an index breaks the run."""
    r = rules["cards"]
    lo, hi, need = float(r["yellow_below"]), float(r["green_above"]), int(r["red_months"])
    df = monthly[monthly["subject_kind"].isin(r["kinds"]) & monthly["index"].notna()]
    df = df[df["cases"] >= int(r.get("min_cases", 0))]
    by = {k: g.set_index("period")["index"] for k, g in df.groupby("subject_id")}
    now = df[df["period"] == month]
    rows = []
    for rec in now.itertuples():
        s = by[rec.subject_id]
        run = 0
        while run < 36 and (p := _prev_month(month, run)) in s.index and s[p] < lo:
            run += 1
        idx = float(rec.index)
        if run >= need:
            card = "red"
        elif idx < lo:
            card = "yellow"
        elif idx > hi:
            card = "green"
        else:
            card = "none"
        fill = {"index": _fmt(idx), "months": run, "yellow": _fmt(lo), "green": _fmt(hi),
                "threshold": _fmt(lo if card in ("red", "yellow") else hi)}
        reason = r["reasons"][card]
        prev = s.get(_prev_month(month), np.nan)
        rows.append({"subject_id": rec.subject_id, "subject_kind": rec.subject_kind, "period": month,
                     "index": idx, "previous_index": float(prev), "months_below": run,
                     "cases": int(rec.cases), "card": card,
                     "card_zh": {"red": "红牌", "yellow": "黄牌", "green": "绿牌", "none": "无"}[card],
                     "reason_zh": reason["zh"].format(**fill), "reason_en": reason["en"].format(**fill)})
    out = pd.DataFrame(rows, columns=["subject_id", "subject_kind", "period", "index", "previous_index",
                                      "months_below", "cases", "card", "card_zh", "reason_zh", "reason_en"])
    order = {"red": 0, "yellow": 1, "green": 2, "none": 3}
    return out.sort_values(["card", "index"], key=lambda c: c.map(order) if c.name == "card" else c
                           ).reset_index(drop=True)


def complaint_rates(activity: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Complaints per order per subject over ``months`` (cases / orders), and the industry's."""
    a = activity[activity["period"].isin(months)].groupby("subject_id")[["orders", "cases"]].sum()
    a["complaint_rate"] = np.where(a["orders"] > 0, a["cases"] / a["orders"].where(a["orders"] > 0), np.nan)
    return a.reset_index()


def credit_ratings(index: pd.DataFrame, rates: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """A/B/C rating: A needs index ≥ A.index_min and complaint rate ≤ A.complaint_ratio_max × the
    industry's; C if index < C.index_below or complaint rate ≥ C.complaint_ratio_min × industry's;
    otherwise B."""
    r = rules["credit_rating"]
    ind = rates.loc[rates["subject_id"] == "INDUSTRY", "complaint_rate"]
    industry = float(ind.iloc[0]) if len(ind) else float(rates["cases"].sum() / max(rates["orders"].sum(), 1))
    df = index[index["subject_kind"].isin(r["kinds"]) & index["index"].notna()][
        ["subject_id", "subject_kind", "period", "index", "cases"]].merge(
        rates[["subject_id", "orders", "complaint_rate"]], on="subject_id", how="left")
    ratio = df["complaint_rate"] / industry
    a_ok = (df["index"] >= r["A"]["index_min"]) & (ratio <= r["A"]["complaint_ratio_max"])
    c_bad = (df["index"] < r["C"]["index_below"]) | (ratio >= r["C"]["complaint_ratio_min"])
    df["industry_complaint_rate"] = industry
    df["complaint_ratio"] = ratio
    df["rating"] = np.where(c_bad, "C", np.where(a_ok, "A", "B"))
    why_zh, why_en = [], []
    for x in df.itertuples():
        parts_zh, parts_en = [f"指数{x.index:.1f}"], [f"index {x.index:.1f}"]
        if x.complaint_rate == x.complaint_rate:
            parts_zh.append(f"投诉率{x.complaint_rate:.1%}（行业{industry:.1%}的{x.complaint_ratio:.2f}倍）")
            parts_en.append(f"complaint rate {x.complaint_rate:.1%} ({x.complaint_ratio:.2f}× industry {industry:.1%})")
        why_zh.append("，".join(parts_zh))
        why_en.append(", ".join(parts_en))
    df["basis_zh"], df["basis_en"] = why_zh, why_en
    cons = r["consequences"]
    df["consequence_zh"] = df["rating"].map({k: v["zh"] for k, v in cons.items()})
    df["consequence_en"] = df["rating"].map({k: v["en"] for k, v in cons.items()})
    return df.sort_values(["rating", "index"], ascending=[True, False]).reset_index(drop=True)


def mcn_brand_credit(dimension_scores: pd.DataFrame, mcn_brands: pd.DataFrame, rules: dict,
                     period: str) -> pd.DataFrame:
    """Credit score of each brand sold through an MCN's streamers: the weighted mean of the
    brand's dimension scores named in the rules (response speed D1, resolution time D2)."""
    r = rules["mcn_brand_credit"]
    w = pd.Series(r["dimensions"], dtype=float)
    d = dimension_scores[(dimension_scores["subject_kind"] == "brand") & (dimension_scores["period"] == period)
                         & dimension_scores["dimension"].isin(w.index)]
    piv = d.pivot_table(index="subject_id", columns="dimension", values="score", aggfunc="first")
    piv = piv.reindex(columns=w.index)
    ok = piv.notna()
    score = (piv.fillna(0) * w).sum(axis=1) / (ok * w).sum(axis=1).replace(0, np.nan)
    brand = score.rename("credit_score").reset_index().rename(columns={"subject_id": "brand_id"})
    for dim in w.index:
        brand[f"score_{dim}"] = brand["brand_id"].map(piv[dim])
    mb = mcn_brands[mcn_brands["orders"] >= int(r.get("min_orders", 1))]
    out = mb.merge(brand, on="brand_id", how="left")
    out["decision"] = np.select(
        [out["credit_score"] >= r["boost_min"], out["credit_score"] < r["suspend_below"]],
        ["boost", "suspend"], "keep")
    out.loc[out["credit_score"].isna(), "decision"] = "unscored"
    cons = {**r["consequences"], "unscored": {"zh": "数据不足，未评分", "en": "not enough data to score"}}
    out["decision_zh"] = out["decision"].map({k: v["zh"] for k, v in cons.items()})
    out["decision_en"] = out["decision"].map({k: v["en"] for k, v in cons.items()})
    out["period"] = period
    return out.sort_values(["mcn_id", "credit_score"], ascending=[True, False]).reset_index(drop=True)


def rectification(current: pd.DataFrame, previous: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """Subjects below the line in the quarter and the quarter before (index tables of one period
    each). The report's rule needs two quarters running, so ``quarters`` > 2 is not supported."""
    r = rules["rectification"]
    if int(r.get("quarters", 2)) != 2:
        raise ValueError("rectification.quarters: only 2 (the report's rule) is supported")
    keep = ["subject_id", "subject_kind", "period", "index", "cases", "weakest_dimension", "weakest_zh", "weakest_en"]
    cur = current[current["subject_kind"].isin(r["kinds"])][[c for c in keep if c in current.columns]]
    prev = previous[["subject_id", "period", "index"]].rename(columns={"period": "previous_period",
                                                                      "index": "previous_index"})
    df = cur.merge(prev, on="subject_id", how="inner")
    df = df[(df["index"] < r["below"]) & (df["previous_index"] < r["below"])].copy()
    df["action_zh"], df["action_en"] = r["action"]["zh"], r["action"]["en"]
    df["reason_zh"] = [f"{a}季度{x:.1f}分、{b}季度{y:.1f}分，连续两季度低于{r['below']}分"
                       for a, x, b, y in zip(df["previous_period"], df["previous_index"], df["period"], df["index"])]
    df["reason_en"] = [f"{y:.1f} in {b} and {x:.1f} in {a}: below {r['below']} two quarters running"
                       for a, x, b, y in zip(df["previous_period"], df["previous_index"], df["period"], df["index"])]
    return df.sort_values("index").reset_index(drop=True)


def _met(v: float, op: str, target: float) -> bool:
    if op == ">=":
        return v >= target - 1e-12
    if op == "<=":
        return v <= target + 1e-12
    return abs(v - target) < 1e-9


def phase_targets(series: pd.DataFrame, rules: dict, as_of: date) -> pd.DataFrame:
    """Progress towards each phase target from an industry series (period, indicator, value;
    indicator 'index' for the health index). Progress = share of the gap from the first month
    closed by the latest month; the projection extends the least-squares trend of the months."""
    rows = []
    for t in rules["phase_targets"]:
        s = series[series["indicator"] == t["indicator"]].dropna(subset=["value"]).sort_values("period")
        s = s[s["period"] <= f"{as_of.year:04d}-{as_of.month:02d}"]
        base = dict(id=t["id"], indicator=t["indicator"], op=t["op"], target=float(t["target"]),
                    deadline=t["deadline"], zh=t.get("zh", ""), en=t.get("en", ""))
        if s.empty:
            rows.append({**base, "status": "no_data", "status_zh": "无数据"})
            continue
        first, last = float(s["value"].iloc[0]), float(s["value"].iloc[-1])
        target = float(t["target"])
        met = _met(last, t["op"], target)
        gap0 = target - first
        progress = 1.0 if met else (float(np.clip((last - first) / gap0, 0, 1)) if abs(gap0) > 1e-12 else 0.0)
        slope = float(np.polyfit(np.arange(len(s)), s["value"].to_numpy(), 1)[0]) if len(s) >= 3 else np.nan
        months_left = (t["deadline"].year - as_of.year) * 12 + (t["deadline"].month - as_of.month)
        projected = last + slope * max(months_left, 0) if slope == slope else np.nan
        if met:
            status, zh = "met", "已达成"
        elif months_left < 0:
            status, zh = "missed", "已逾期未达成"
        elif projected == projected and _met(projected, t["op"], target):
            status, zh = "on_track", "按趋势可达成"
        else:
            status, zh = "behind", "进度落后"
        rows.append({**base, "baseline_period": s["period"].iloc[0], "baseline": first,
                     "current_period": s["period"].iloc[-1], "current": last, "gap": target - last,
                     "progress": progress, "trend_per_month": slope, "months_to_deadline": months_left,
                     "projected_at_deadline": projected, "status": status, "status_zh": zh})
    return pd.DataFrame(rows)


def industry_series(monthly_values: pd.DataFrame, monthly_index: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """The industry's monthly value of each indicator (slice 'all') plus its index."""
    v = monthly_values[(monthly_values["subject_id"] == "INDUSTRY") & (monthly_values["slice"] == "all")
                       & monthly_values["indicator_id"].isin(indicators)]
    a = v[["period", "indicator_id", "value"]].rename(columns={"indicator_id": "indicator"})
    i = monthly_index[monthly_index["subject_id"] == "INDUSTRY"][["period", "index"]].rename(columns={"index": "value"})
    i["indicator"] = "index"
    return pd.concat([a, i], ignore_index=True)
