"""Category alerts (spec §5 early warning, report chapter 7.2 季度风险预警): sudden rises of the
complaint rate or of the response time within a case category, per subject and month.

For each subject (industry, platform, streamer, brand, MCN) and case category, the month under
watch is compared with the subject's own baseline — the ``baseline_months`` months before it:

* complaint rate = cases of the category ÷ the subject's orders that month. Under the baseline
  rate the month's count is Poisson with mean ``expected = baseline rate × orders this month``;
  an alert needs at least ``min_cases`` cases, ``observed ÷ expected ≥ min_ratio`` and a one-sided
  Poisson tail ``P(X ≥ observed) < alpha``.
* response time = hours from case creation to the first human reply. An alert needs at least
  ``min_cases`` replied cases in the month and in the baseline, a median at least ``min_ratio``
  times and ``min_hours`` above the baseline median, and a one-sided Mann–Whitney ``p < alpha``.

With ``industry_adjusted`` (default) a subject is held to the market's own move: when the
industry's rate (or median reply time) in the category rose by a factor f > 1 this month (a
promotion month does that), the subject's baseline is scaled by f before testing, so an alert
means a rise beyond the market's. The industry's own rows are tested unadjusted.

``alpha`` is small (default 0.001) because a month is screened across hundreds of subject ×
category pairs. Everything here is a pure function of two tables; :func:`case_facts` reads them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from lashi.contract import enums as E

CATEGORY_ZH = {t.id: t.zh for t in E.CASE_CATEGORIES}
CATEGORY_EN = {t.id: t.en for t in E.CASE_CATEGORIES}

DEFAULTS = {"baseline_months": 3, "min_cases": 10, "min_ratio": 1.5, "alpha": 0.001, "high_ratio": 2.5,
            "min_hours": 2.0, "industry_adjusted": True, "kinds": ["industry", "platform", "streamer", "brand", "mcn"]}

_FACTS_SQL = """
WITH fr AS (
  SELECT case_id, min("at") AS first_reply_at FROM case_events WHERE kind = 'human_reply' GROUP BY 1
), k AS (
  SELECT c.case_id, strftime(c.created_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m') AS period,
         coalesce(c.category_confirmed, c.category_predicted, 'other') AS category,
         CASE WHEN fr.first_reply_at >= c.created_at
              THEN epoch(fr.first_reply_at - c.created_at) / 3600.0 END AS reply_hours,
         s.streamer_id, s.platform_id, p.brand_id, st.mcn_id
  FROM cases c
  JOIN orders o USING (order_id)
  JOIN live_sessions s USING (session_id)
  JOIN products p USING (product_id)
  LEFT JOIN subjects st ON st.subject_id = s.streamer_id
  LEFT JOIN fr ON fr.case_id = c.case_id
  WHERE c.created_at >= ? AND c.created_at < ?
)
SELECT period, category, reply_hours, 'INDUSTRY' AS subject_id, 'industry' AS subject_kind FROM k
UNION ALL SELECT period, category, reply_hours, platform_id, 'platform' FROM k
UNION ALL SELECT period, category, reply_hours, streamer_id, 'streamer' FROM k
UNION ALL SELECT period, category, reply_hours, brand_id, 'brand' FROM k
UNION ALL SELECT period, category, reply_hours, mcn_id, 'mcn' FROM k WHERE mcn_id IS NOT NULL
"""


def case_facts(ws, start, end) -> pd.DataFrame:
    """One row per case and subject it counts for: subject_id, subject_kind, period, category,
    reply_hours (NaN when no human reply yet), for cases created in [start, end)."""
    con = ws.connect(read_only=True)
    try:
        s, e = f"{start.isoformat()} 00:00:00+08:00", f"{end.isoformat()} 00:00:00+08:00"
        return con.execute(_FACTS_SQL, [s, e]).df()
    finally:
        con.close()


def _months_before(month: str, k: int) -> list[str]:
    p = pd.Period(month, freq="M")
    return [str(p - i) for i in range(k, 0, -1)]


def _p_text(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def category_alerts(facts: pd.DataFrame, orders: pd.DataFrame, month: str, cfg: dict | None = None,
                    promotion_months: set[str] | None = None) -> pd.DataFrame:
    """Alerts for ``month``. facts: subject_id, subject_kind, period, category, reply_hours (one row
    per case); orders: subject_id, period, orders. Returns one row per alert, highest ratio first,
    with the figures behind it and the reason in Chinese and English."""
    c = {**DEFAULTS, **(cfg or {})}
    base_m = _months_before(month, int(c["baseline_months"]))
    min_cases, min_ratio, alpha = int(c["min_cases"]), float(c["min_ratio"]), float(c["alpha"])
    kinds = set(c["kinds"])
    f = facts[facts["period"].isin(base_m + [month]) & facts["subject_kind"].isin(kinds)]
    o = orders[orders["period"].isin(base_m + [month])]
    o_now = o[o["period"] == month].groupby("subject_id")["orders"].sum()
    o_base = o[o["period"].isin(base_m)].groupby("subject_id")["orders"].sum()
    promo_note = month in (promotion_months or set())
    rows = []
    now, base = f[f["period"] == month], f[f["period"].isin(base_m)]
    cnt_now = now.groupby(["subject_id", "subject_kind", "category"]).size()
    cnt_base = base.groupby(["subject_id", "category"]).size()
    adjust = bool(c["industry_adjusted"])
    ind_rate = {}  # category → the industry's rate ratio this month vs its baseline (≥ 1)
    if adjust and "INDUSTRY" in o_now.index and "INDUSTRY" in o_base.index:
        for (sid, _kind, cat), obs in cnt_now.items():
            b = float(cnt_base.get((sid, cat), 0))
            if sid == "INDUSTRY" and b > 0:
                ind_rate[cat] = max(1.0, (obs / o_now[sid]) / (b / o_base[sid]))
    # --- complaint rate ---------------------------------------------------------------------
    for (sid, kind, cat), obs in cnt_now.items():
        if obs < min_cases:
            continue
        n_now, n_base = float(o_now.get(sid, 0)), float(o_base.get(sid, 0))
        if n_now <= 0 or n_base <= 0:
            continue
        b = float(cnt_base.get((sid, cat), 0))
        base_rate = (b if b > 0 else 0.5) / n_base  # a category new to the subject: half a case
        f_ind = ind_rate.get(cat, 1.0) if sid != "INDUSTRY" else 1.0
        expected = base_rate * n_now * f_ind
        ratio = obs / expected
        if ratio < min_ratio:
            continue
        p = float(stats.poisson.sf(obs - 1, expected))
        if p >= alpha:
            continue
        rate = obs / n_now
        mz = f"；行业同类上升{f_ind:.1f}倍已计入" if f_ind > 1.0 else ""
        me = f"; industry ×{f_ind:.1f} in the category allowed for" if f_ind > 1.0 else ""
        rows.append({"subject_id": sid, "subject_kind": kind, "period": month, "category": cat,
                     "metric": "complaint_rate", "current": rate, "baseline": b / n_base * f_ind, "ratio": ratio,
                     "cases": int(obs), "expected_cases": expected, "baseline_cases": int(b),
                     "orders": int(n_now), "p_value": p,
                     "reason_zh": f"{CATEGORY_ZH.get(cat, cat)}投诉率{rate:.2%}，为按近{len(base_m)}个月"
                                  f"（{b / n_base:.2%}）预期的{ratio:.1f}倍：{int(obs)}件，按基线预期{expected:.1f}件"
                                  f"（{_p_text(p)}{mz}）",
                     "reason_en": f"{CATEGORY_EN.get(cat, cat)} complaints {rate:.2%} of orders, {ratio:.1f}× the "
                                  f"expected from the last {len(base_m)} months ({b / n_base:.2%}): {int(obs)} cases vs "
                                  f"{expected:.1f} expected ({_p_text(p)}{me})", "industry_factor": f_ind})
    # --- response time ----------------------------------------------------------------------
    rn = now.dropna(subset=["reply_hours"]).groupby(["subject_id", "subject_kind", "category"])["reply_hours"]
    rb = base.dropna(subset=["reply_hours"]).groupby(["subject_id", "category"])["reply_hours"]
    base_groups = {k: v.to_numpy() for k, v in rb}
    min_hours = float(c["min_hours"])
    ind_hours = {}
    if adjust:
        for (sid, kind, cat), x in rn:
            y = base_groups.get((sid, cat)) if sid == "INDUSTRY" else None
            if y is not None and len(y) and np.median(y) > 0:
                ind_hours[cat] = max(1.0, float(np.median(x)) / float(np.median(y)))
    for (sid, kind, cat), x in rn:
        x = x.to_numpy()
        y = base_groups.get((sid, cat))
        if len(x) < min_cases or y is None or len(y) < min_cases:
            continue
        f_ind = ind_hours.get(cat, 1.0) if sid != "INDUSTRY" else 1.0
        y = y * f_ind
        mx, my = float(np.median(x)), float(np.median(y))
        if my <= 0 or mx / my < min_ratio or mx - my < min_hours:
            continue
        p = float(stats.mannwhitneyu(x, y, alternative="greater").pvalue)
        if p >= alpha:
            continue
        ratio = mx / my
        mz = f"；行业同类上升{f_ind:.1f}倍已计入" if f_ind > 1.0 else ""
        me = f"; industry ×{f_ind:.1f} allowed for" if f_ind > 1.0 else ""
        rows.append({"subject_id": sid, "subject_kind": kind, "period": month, "category": cat,
                     "metric": "response_hours", "current": mx, "baseline": my, "ratio": ratio,
                     "cases": int(len(x)), "expected_cases": np.nan, "baseline_cases": int(len(y)),
                     "orders": int(o_now.get(sid, 0)), "p_value": p,
                     "reason_zh": f"{CATEGORY_ZH.get(cat, cat)}首次人工回复中位{mx:.1f}小时，为近{len(base_m)}个月"
                                  f"（{my:.1f}小时）的{ratio:.1f}倍（{len(x)}件，{_p_text(p)}{mz}）",
                     "reason_en": f"{CATEGORY_EN.get(cat, cat)}: median first human reply {mx:.1f} h, {ratio:.1f}× "
                                  f"the last {len(base_m)} months ({my:.1f} h; {len(x)} cases, {_p_text(p)}{me})",
                     "industry_factor": f_ind})
    cols = ["subject_id", "subject_kind", "period", "category", "metric", "level", "level_zh", "current",
            "baseline", "ratio", "cases", "expected_cases", "baseline_cases", "orders", "p_value",
            "industry_factor", "promotion_month", "reason_zh", "reason_en"]
    if not rows:
        return pd.DataFrame(columns=cols)
    a = pd.DataFrame(rows)
    high = a["ratio"] >= float(c["high_ratio"])
    a["level"] = np.where(high, "high", "medium")
    a["level_zh"] = np.where(high, "高", "中")
    a["promotion_month"] = promo_note
    if promo_note:
        a["reason_zh"] += "；本月含大促"
        a["reason_en"] += "; promotion month"
    a = a.sort_values(["level", "ratio"], ascending=[True, False], key=lambda s: s.map({"high": 0, "medium": 1})
                      if s.name == "level" else s).reset_index(drop=True)
    return a[cols]
