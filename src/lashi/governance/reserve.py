"""Reserve and insurance sizing (spec §5; the report's chapters 5.1, 5.3, 6.3, 8.4).

* **售后准备金 / 专项售后账户** — the report asks brands to set aside 3–5 % of live GMV for
  after-sales payouts. For each brand: the payouts (refunds, compensation, medical costs; whose,
  and which refunds, in ``reserve.yaml``) made in the period against that reserve; month by month
  an account that accrues ``rate × GMV`` of the month and pays the month's payouts (does it run dry
  in the promotion peaks?); and the payout ratio of orders placed on promotion days against the
  other days. Verdicts: ``adequate`` (≤ 3 %), ``raise`` (3–5 %), ``peak_short`` (≤ 5 % over the
  period but the 5 % account is overdrawn in some month), ``under`` (> 5 %).
* **售后险** — for each cover (过敏全额赔付, 假一赔十): claims from the case history on the orders
  placed in the period (claim = multiple × order amount, plus medical costs paid where counted;
  withdrawn cases never claim; with ``evidence``, only cases where evidence was received), the
  expected claims per order (the pure premium) with a compound-Poisson bootstrap interval (claim
  count ~ Poisson(k), amounts resampled from the observed ones), and the premium per order that
  keeps the payout ratio within the target.

:func:`reserve_facts` reads the store; everything else is a pure function of its frames.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lashi.scoring.config import ConfigError

MONEY_KINDS = {"refund_issued": "refunds", "compensation_accepted": "compensation",
               "medical_compensation_paid": "medical"}


def load_reserve_rules(path: str | Path | None = None) -> dict:
    """The shipped ``reserve.yaml``, with ``path``'s top-level sections replacing its own."""
    base = yaml.safe_load(resources.files("lashi.governance").joinpath("reserve.yaml").read_text("utf-8"))
    if path is not None:
        user = yaml.safe_load(Path(path).read_text("utf-8")) or {}
        if not isinstance(user, dict):
            raise ConfigError(f"{path}: expected a mapping of sections")
        base.update(user)
    r, i = base.get("reserve") or {}, base.get("insurance") or {}
    if not 0 <= float(r.get("rate_min", -1)) <= float(r.get("rate_max", -1)) <= 1:
        raise ConfigError("reserve rules: need 0 ≤ reserve.rate_min ≤ reserve.rate_max ≤ 1")
    if r.get("refunds") not in ("all", "unreturned", "none"):
        raise ConfigError("reserve rules: reserve.refunds must be all, unreturned or none")
    if i.get("basis") not in ("gmv", "premium"):
        raise ConfigError("reserve rules: insurance.basis must be gmv or premium")
    if not 0 < float(i.get("target_payout_ratio", 0)) <= 1 or not 0 < float(i.get("level", 0)) < 1:
        raise ConfigError("reserve rules: insurance.target_payout_ratio in (0, 1] and level in (0, 1)")
    for c in i.get("covers") or []:
        for k in ("id", "categories", "multiple"):
            if k not in c:
                raise ConfigError(f"reserve rules: cover {c.get('id', '?')} lacks {k}")
    return base


# --- reading the store -----------------------------------------------------------------------

_ORDERS_SQL = """
SELECT o.order_id, p.brand_id, o.amount,
       CAST(o.ordered_at AT TIME ZONE 'Asia/Shanghai' AS DATE) AS day,
       strftime(o.ordered_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m') AS month
FROM orders o JOIN products p USING (product_id)
WHERE o.ordered_at >= ? AND o.ordered_at < ?
"""

_PAYOUTS_SQL = """
WITH ret AS (SELECT DISTINCT case_id FROM case_events WHERE kind = 'return_received')
SELECT e.case_id, c.order_id, p.brand_id, e.kind, e.amount, e.payer,
       strftime(e."at" AT TIME ZONE 'Asia/Shanghai', '%Y-%m') AS month,
       (r.case_id IS NOT NULL) AS returned
FROM case_events e JOIN cases c USING (case_id) JOIN orders o USING (order_id) JOIN products p USING (product_id)
LEFT JOIN ret r ON r.case_id = e.case_id
WHERE e.kind IN ('refund_issued', 'compensation_accepted', 'medical_compensation_paid') AND e.amount IS NOT NULL
  AND ((e."at" >= ? AND e."at" < ?) OR (o.ordered_at >= ? AND o.ordered_at < ?))
"""

_CASES_SQL = """
WITH ev AS (
  SELECT case_id, bool_or(kind = 'evidence_received') AS evidence,
         coalesce(sum(amount) FILTER (WHERE kind = 'medical_compensation_paid'), 0) AS medical
  FROM case_events GROUP BY 1
)
SELECT c.case_id, c.order_id, coalesce(c.category_confirmed, c.category_predicted, 'other') AS category,
       c.outcome, coalesce(ev.evidence, false) AS evidence, coalesce(ev.medical, 0) AS medical
FROM cases c JOIN orders o USING (order_id) LEFT JOIN ev USING (case_id)
WHERE o.ordered_at >= ? AND o.ordered_at < ?
"""


@dataclass
class ReserveFacts:
    orders: pd.DataFrame    # order_id, brand_id, amount, day, month, promotion
    payouts: pd.DataFrame   # case_id, order_id, brand_id, kind, amount, payer, month, returned
    cases: pd.DataFrame     # case_id, order_id, category, outcome, evidence, medical
    months: list[str]       # the months of the period
    data_end: date | None = None


def promotion_days(calendar: pd.DataFrame) -> set[date]:
    days: set[date] = set()
    for r in calendar[calendar["kind"] == "promotion"].itertuples():
        for d in pd.date_range(pd.Timestamp(r.start_date), pd.Timestamp(r.end_date), freq="D"):
            days.add(d.date())
    return days


def reserve_facts(ws, period: str) -> ReserveFacts:
    """Orders placed in the period, payouts made in it or on its orders, and the cases on its
    orders (for claims)."""
    from lashi.indicators.periods import parse_period
    from lashi.indicators.run import data_span

    p = parse_period(period)
    s, e = f"{p.start.isoformat()} 00:00:00+08:00", f"{p.end.isoformat()} 00:00:00+08:00"
    con = ws.connect(read_only=True)
    try:
        orders = con.execute(_ORDERS_SQL, [s, e]).df()
        payouts = con.execute(_PAYOUTS_SQL, [s, e, s, e]).df()
        cases = con.execute(_CASES_SQL, [s, e]).df()
        cal = con.execute("SELECT kind, start_date, end_date FROM calendar").df()
        lo, hi = data_span(con)
    finally:
        con.close()
    promo = promotion_days(cal)
    orders["day"] = pd.to_datetime(orders["day"]).dt.date
    orders["promotion"] = orders["day"].isin(promo)
    months = [m.strftime("%Y-%m") for m in pd.period_range(p.start, p.end - timedelta(days=1), freq="M")]
    # months of the period the data do not reach are left out (no zero months after the data end)
    months = [m for m in months if lo.strftime("%Y-%m") <= m <= hi.strftime("%Y-%m")] or months
    return ReserveFacts(orders, payouts, cases, months, hi)


# --- the reserve -----------------------------------------------------------------------------

def counted_payouts(payouts: pd.DataFrame, rules: dict) -> pd.Series:
    """Boolean mask: the payouts the brand's reserve must meet under ``rules['reserve']``."""
    r = rules["reserve"]
    kind = payouts["kind"].map(MONEY_KINDS)
    ok = payouts["payer"].isin(list(r.get("payers") or []))
    refund = kind == "refunds"
    if r["refunds"] == "none":
        ok &= ~refund
    elif r["refunds"] == "unreturned":
        ok &= ~refund | ~payouts["returned"].astype(bool)
    if not r.get("compensation", True):
        ok &= kind != "compensation"
    if not r.get("medical", True):
        ok &= kind != "medical"
    return ok


def _pct(x: float) -> str:
    return "—" if x != x else f"{x:.1%}"


def reserve_table(facts: ReserveFacts, rules: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per brand, per brand and month). Cash view for the period and the months (payouts made in
    the month against the reserve accrued on the month's GMV); cohort view for promotion vs other
    days (payouts on the orders placed on those days, whenever paid)."""
    r = rules["reserve"]
    lo_r, hi_r = float(r["rate_min"]), float(r["rate_max"])
    o, pay, months = facts.orders, facts.payouts.copy(), facts.months
    pay["counted"] = counted_payouts(pay, rules)
    pay["part"] = pay["kind"].map(MONEY_KINDS)
    in_p = pay["month"].isin(months)
    brands = sorted(set(o["brand_id"]) | set(pay.loc[in_p, "brand_id"]))

    gmv_m = o.groupby(["brand_id", "month"])["amount"].sum()
    cash = pay[in_p & pay["counted"]].groupby(["brand_id", "month"])["amount"].sum()
    monthly = pd.DataFrame(index=pd.MultiIndex.from_product([brands, months], names=["brand_id", "month"]))
    monthly["gmv"] = gmv_m.reindex(monthly.index).fillna(0.0)
    monthly["payouts"] = cash.reindex(monthly.index).fillna(0.0)
    monthly = monthly.reset_index()
    monthly["accrual_min"] = lo_r * monthly["gmv"]
    monthly["accrual_max"] = hi_r * monthly["gmv"]
    monthly["payout_ratio"] = monthly["payouts"] / monthly["gmv"].where(monthly["gmv"] > 0)
    # months with little GMV (the data start or end inside them) make meaningless peaks
    mg = monthly.groupby("month")["gmv"].sum()
    pos = mg[mg > 0]
    full = set(pos[pos >= 0.5 * pos.median()].index) if len(pos) else set()
    monthly["full_month"] = monthly["month"].isin(full)
    g = monthly.groupby("brand_id", sort=False)
    monthly["balance_min"] = g["accrual_min"].cumsum() - g["payouts"].cumsum()
    monthly["balance_max"] = (monthly["accrual_max"] - monthly["payouts"]).groupby(monthly["brand_id"]).cumsum()
    monthly["short_at_max"] = monthly["balance_max"] < 0

    parts = pay[in_p].pivot_table(index="brand_id", columns="part", values="amount", aggfunc="sum",
                                  fill_value=0.0) if in_p.any() else pd.DataFrame()
    own = pay[in_p & pay["counted"]].pivot_table(index="brand_id", columns="part", values="amount", aggfunc="sum",
                                                 fill_value=0.0) if (in_p & pay["counted"]).any() else pd.DataFrame()
    # cohort: payouts on the orders placed on promotion days vs the other days
    opromo = o.set_index("order_id")["promotion"]
    cp = pay[pay["counted"] & pay["order_id"].isin(opromo.index)]
    cp = cp.assign(promotion=cp["order_id"].map(opromo))
    coh_pay = cp.groupby(["brand_id", "promotion"])["amount"].sum()
    coh_gmv = o.groupby(["brand_id", "promotion"])["amount"].sum()
    rows = []
    verdicts = r.get("verdicts", {})
    min_orders = int(r.get("min_orders", 0))
    n_orders = o.groupby("brand_id").size()
    for b in brands:
        mb = monthly[monthly["brand_id"] == b]
        gmv, paid = float(mb["gmv"].sum()), float(mb["payouts"].sum())
        ratio = paid / gmv if gmv > 0 else float("nan")
        row = {"brand_id": b, "orders": int(n_orders.get(b, 0)), "gmv": gmv, "payouts": paid, "payout_ratio": ratio}
        for part in ("refunds", "compensation", "medical"):
            row[part] = float(own.loc[b, part]) if b in own.index and part in own.columns else 0.0
            allp = float(parts.loc[b, part]) if b in parts.index and part in parts.columns else 0.0
            row[f"{part}_by_others"] = allp - row[part]
        row["paid_by_others"] = row["refunds_by_others"] + row["compensation_by_others"] + row["medical_by_others"]
        row["reserve_min"], row["reserve_max"] = lo_r * gmv, hi_r * gmv
        row["shortfall_at_max"] = max(0.0, paid - hi_r * gmv)
        row["min_balance_at_max"] = float(mb["balance_max"].min()) if len(mb) else 0.0
        row["months_short_at_max"] = int(mb["short_at_max"].sum())
        ratios = mb[mb["full_month"]].set_index("month")["payout_ratio"]
        row["peak_month"] = ratios.idxmax() if ratios.notna().any() else None
        row["peak_month_ratio"] = float(ratios.max()) if ratios.notna().any() else float("nan")
        pg, ng = float(coh_gmv.get((b, True), 0.0)), float(coh_gmv.get((b, False), 0.0))
        row["promotion_ratio"] = float(coh_pay.get((b, True), 0.0)) / pg if pg > 0 else float("nan")
        row["other_days_ratio"] = float(coh_pay.get((b, False), 0.0)) / ng if ng > 0 else float("nan")
        if row["orders"] < min_orders or gmv <= 0:
            v = "too_small"
        elif ratio <= lo_r and row["min_balance_at_max"] >= 0:
            v = "adequate"
        elif ratio > hi_r:
            v = "under"
        elif row["min_balance_at_max"] < 0:
            v = "peak_short"
        else:
            v = "raise"
        row["verdict"] = v
        row["verdict_zh"] = verdicts.get(v, {}).get("zh", v)
        row["verdict_en"] = verdicts.get(v, {}).get("en", v)
        peak = (f"，高峰{row['peak_month']}达{_pct(row['peak_month_ratio'])}" if row["peak_month"] else "")
        peak_en = (f", peak {row['peak_month']} {_pct(row['peak_month_ratio'])}" if row["peak_month"] else "")
        row["reason_zh"] = (f"赔付{paid:,.0f}元，占GMV {_pct(ratio)}（3%={lo_r * gmv:,.0f}元，5%={hi_r * gmv:,.0f}元）"
                            f"{peak}；大促订单{_pct(row['promotion_ratio'])}，平日{_pct(row['other_days_ratio'])}"
                            + (f"；按5%计提有{row['months_short_at_max']}个月透支" if row["months_short_at_max"] else ""))
        row["reason_en"] = (f"paid {paid:,.0f} yuan, {_pct(ratio)} of GMV (3% = {lo_r * gmv:,.0f}, 5% = {hi_r * gmv:,.0f})"
                            f"{peak_en}; promotion-day orders {_pct(row['promotion_ratio'])}, other days "
                            f"{_pct(row['other_days_ratio'])}"
                            + (f"; a 5% account is overdrawn in {row['months_short_at_max']} month(s)"
                               if row["months_short_at_max"] else ""))
        rows.append(row)
    t = pd.DataFrame(rows)
    order = {"under": 0, "peak_short": 1, "raise": 2, "adequate": 3, "too_small": 4}
    if len(t):
        t = t.sort_values(["verdict", "payout_ratio"], key=lambda s: s.map(order) if s.name == "verdict" else -s)
        t = t.reset_index(drop=True)
    return t, monthly


# --- insurance -------------------------------------------------------------------------------

def claims(orders: pd.DataFrame, cases: pd.DataFrame, cover: dict) -> pd.DataFrame:
    """The claims a cover would have paid on ``orders``: order_id, brand_id, claim amount."""
    c = cases[cases["category"].isin(cover["categories"]) & (cases["outcome"] != "withdrawn")]
    if cover.get("evidence", False):
        c = c[c["evidence"].astype(bool)]
    c = c.drop_duplicates("order_id")  # one claim per order
    j = c.merge(orders[["order_id", "brand_id", "amount"]], on="order_id")
    j["claim"] = float(cover["multiple"]) * j["amount"] + (j["medical"] if cover.get("medical", False) else 0.0)
    return j[["order_id", "brand_id", "claim"]]


def compound_poisson_interval(severities: np.ndarray, k: int, n: int, level: float, B: int,
                              rng: np.random.Generator) -> tuple[float, float]:
    """Interval for the expected claims per order: B draws of (N* ~ Poisson(k), N* amounts
    resampled from ``severities``), summed and divided by n orders."""
    if n <= 0 or len(severities) == 0:
        return (0.0, 0.0) if n > 0 else (float("nan"), float("nan"))
    N = rng.poisson(max(k, 0.5), B)  # k = 0: still a chance of claims
    tot = np.zeros(B)
    for lo in range(0, B, 100):  # chunks keep memory flat for large markets
        Nc = N[lo:lo + 100]
        draws = severities[rng.integers(0, len(severities), int(Nc.sum()))]
        tot[lo:lo + len(Nc)] = np.bincount(np.repeat(np.arange(len(Nc)), Nc), weights=draws, minlength=len(Nc))
    a = (1 - level) / 2
    q = np.quantile(tot / n, [a, 1 - a])
    return float(q[0]), float(q[1])


def insurance_table(facts: ReserveFacts, rules: dict, B: int | None = None) -> pd.DataFrame:
    """One row per cover and subject (INDUSTRY, then each brand with enough orders)."""
    ins = rules["insurance"]
    level, target = float(ins["level"]), float(ins["target_payout_ratio"])
    B = int(B if B is not None else ins.get("bootstrap", 1000))
    load = float(ins.get("expense_loading", 0.0))
    min_orders, min_claims = int(ins.get("min_orders", 0)), int(ins.get("min_claims", 5))
    rng = np.random.default_rng(int(ins.get("seed", 0)))
    o = facts.orders
    groups = [("INDUSTRY", o)] + [(b, g) for b, g in o.groupby("brand_id") if len(g) >= min_orders]
    rows = []
    for cover in ins.get("covers") or []:
        cl = claims(o, facts.cases, cover)
        market_sev = cl["claim"].to_numpy()
        for sid, og in groups:
            cg = cl if sid == "INDUSTRY" else cl[cl["brand_id"] == sid]
            n, k = len(og), len(cg)
            aov = float(og["amount"].mean()) if n else float("nan")
            total = float(cg["claim"].sum())
            pure = total / n if n else float("nan")
            sev = cg["claim"].to_numpy() if k >= min_claims else market_sev
            lo, hi = compound_poisson_interval(sev, k, n, level, B, rng)
            if ins["basis"] == "gmv":
                premium = hi * (1 + load)
                ratio, ratio_lo, ratio_hi = pure / aov, lo / aov, hi / aov
                ok, border = ratio_hi <= target, ratio <= target
            else:
                premium = hi * (1 + load) / target
                ratio, ratio_lo, ratio_hi = pure / premium, lo / premium, hi / premium
                ok, border = True, True
            v = "within" if ok else ("borderline" if border else "over")
            vz = {"within": "赔付率在目标内", "borderline": "区间跨过目标", "over": "超出目标"}[v]
            ve = {"within": "payout ratio within target", "borderline": "interval straddles the target",
                  "over": "above the target"}[v]
            basis_zh = "赔付占GMV" if ins["basis"] == "gmv" else "赔付÷保费"
            rows.append({
                "cover": cover["id"], "cover_zh": cover.get("zh", cover["id"]), "cover_en": cover.get("en", cover["id"]),
                "subject_id": sid, "orders": n, "claims": k, "claim_frequency": k / n if n else float("nan"),
                "mean_claim": total / k if k else float("nan"), "avg_order_value": aov,
                "pure_premium": pure, "pure_premium_lo": lo, "pure_premium_hi": hi,
                "premium_per_order": premium, "premium_share_of_order": premium / aov if aov else float("nan"),
                "payout_ratio": ratio, "payout_ratio_lo": ratio_lo, "payout_ratio_hi": ratio_hi,
                "basis": ins["basis"], "target": target, "level": level, "pooled_severity": k < min_claims,
                "verdict": v, "verdict_zh": vz, "verdict_en": ve,
                "reason_zh": (f"{k}件理赔/{n}单（{k / n:.2%}），单均赔付{pure:.2f}元"
                              f"（{int(level * 100)}%区间{lo:.2f}–{hi:.2f}）；每单保费{premium:.2f}元"
                              f"（客单价{aov:.0f}元的{premium / aov:.1%}）；{basis_zh}{ratio:.1%}，目标≤{target:.0%}"),
                "reason_en": (f"{k} claims on {n} orders ({k / n:.2%}), {pure:.2f} yuan per order "
                              f"({int(level * 100)}% interval {lo:.2f}–{hi:.2f}); premium {premium:.2f} per order "
                              f"({premium / aov:.1%} of the {aov:.0f} average order); payout ratio {ratio:.1%} "
                              f"({'of GMV' if ins['basis'] == 'gmv' else 'of premiums'}), target ≤ {target:.0%}"),
            })
    return pd.DataFrame(rows)


# --- together --------------------------------------------------------------------------------

@dataclass
class ReserveRun:
    period: str
    months: list[str]
    brands: pd.DataFrame
    monthly: pd.DataFrame
    industry_monthly: pd.DataFrame
    insurance: pd.DataFrame
    rules: dict
    notes: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"reserve_brands": self.brands, "reserve_monthly": self.monthly,
                "reserve_industry_monthly": self.industry_monthly, "insurance": self.insurance}

    def write(self, out: Path) -> list[Path]:
        from lashi.store.export import write_csv_tables

        return write_csv_tables(self.frames(), out)


def run_reserve(ws, period: str, rules: dict | None = None, B: int | None = None, progress=None) -> ReserveRun:
    from lashi.indicators.periods import parse_period

    say = progress or (lambda _m: None)
    r = rules or load_reserve_rules()
    p = parse_period(period)
    say("orders and payouts / 订单与赔付")
    f = reserve_facts(ws, period)
    if f.orders.empty:
        raise ValueError(f"no orders in {p.label} / 该期间没有订单")
    say("reserve / 准备金")
    brands, monthly = reserve_table(f, r)
    im = monthly.groupby("month", as_index=False)[["gmv", "payouts", "accrual_min", "accrual_max"]].sum()
    im["payout_ratio"] = im["payouts"] / im["gmv"].where(im["gmv"] > 0)
    pm = f.orders.groupby("month")["promotion"].mean()
    im["promotion_day_share_of_orders"] = im["month"].map(pm)
    im["full_month"] = im["month"].map(monthly.drop_duplicates("month").set_index("month")["full_month"])
    part = im[(im["gmv"] > 0) & ~im["full_month"].astype(bool)]["month"].tolist()
    say("insurance / 售后险")
    ins = insurance_table(f, r, B)
    notes = []
    if part:
        notes.append(f"month(s) {', '.join(part)} hold under half a usual month's GMV (data start or end): "
                     f"left out of the peaks / GMV不足常规月份一半，不参与高峰判断")
    if f.data_end is not None and p.end > f.data_end + timedelta(days=1):
        notes.append(f"the data end on {f.data_end}: {p.label} is not complete / 数据截至{f.data_end}，本期不完整")
    if f.data_end is not None and p.end > f.data_end - timedelta(days=45):
        notes.append("payouts on the last weeks' orders may still be to come (cases take weeks): the promotion "
                     "and insurance figures of the period's end are low / 期末订单的赔付可能尚未发生")
    return ReserveRun(p.label, f.months, brands, monthly, im, ins, r, notes)
