"""The plain-pandas baseline: LASHI's 28 indicators for one period, written as an analyst would —
read the Parquet tables with pyarrow, then merge / groupby in pandas (no DuckDB, no Ibis).

    from pandas_baseline import compute
    table = compute("PARQUET_DIR", "2025-11")      # or "2025-Q4", "2025"

It reads the same data directory as `lashi evaluate --data DIR` (one file per contract table,
`cases.parquet`, or chunks `cases-0001.parquet`, …, as `lashi sample --format parquet` writes) and
returns one row per subject × indicator for the slice "all" (every context together), in the same
long shape as LASHI's indicator table:

    subject_id, subject_kind, period, slice, cases, indicator_id, value, n, se

for subject kinds industry (subject_id "INDUSTRY"), platform, streamer, brand and MCN. `n` is the
count the value rests on (denominator of a share, values of a mean / median, NPS answers); `cases`
is the group's cases in the period. tests/benchmarks/test_pandas_baseline.py checks it row by row
against LASHI (ParquetSource on DuckDB).

What each indicator is (the same definitions as src/lashi/indicators/definitions.py, facts.py):
- a case belongs to the period of the local (+08:00) day it was created; its rounds, surveys and
  messages go with it; an order belongs to the period of the day it was placed (C1, T2);
- a case / order is attached to the streamer and platform of its live session, the streamer's
  MCN and the product's brand, and to the industry;
- a response round starts at creation and at each reopen; its first human reply is the first
  one at or after the start and before the next round (R1–R4);
- working days (E2) and promotion days (R3) come from calendar.parquet: Monday–Friday except
  public holidays, plus adjusted working days (调休); the working days to resolve are those in
  (created day, resolved day];
- T2 counts the GMV of notarized live sessions. Which sessions are notarized is decided by the
  evidence log in a workspace, not by the Parquet tables; like LASHI without a workspace, the
  default is none (pass `notarized=` to give a set of session ids).
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

TZ = "Asia/Shanghai"
INDUSTRY = "INDUSTRY"
SUBJECT_KEYS = (("streamer", "streamer_id"), ("platform", "platform_id"), ("brand", "brand_id"), ("mcn", "mcn_id"))
KEYS = [k for _, k in SUBJECT_KEYS]
GROUP = ["subject_id", "subject_kind", "period", "slice"]

# indicator id -> (unit, statistic); the order is the catalogue's
INDICATORS = {
    "R1": ("rounds", "share"), "R2": ("rounds", "share"), "R3": ("rounds", "share"),
    "R4": ("rounds", "median"), "R5": ("cases", "median"),
    "E1": ("cases", "mean"), "E2": ("cases", "mean"), "E3": ("cases", "mean"), "E4": ("cases", "share"),
    "E5": ("cases", "share"), "E6": ("cases", "share"),
    "S1": ("surveys", "nps"), "S2": ("surveys", "mean"), "S3": ("cases", "share"), "S4": ("cases", "share"),
    "C1": ("orders", "wshare"), "C2": ("cases", "median"), "C3": ("cases", "share"), "C4": ("cases", "share"),
    "C5": ("cases", "share"),
    "T1": ("cases", "share"), "T2": ("orders", "wshare"), "T3": ("cases", "share"), "T4": ("cases", "share"),
    "M1": ("messages", "share"), "M2": ("cases", "share"), "M3": ("surveys", "share"), "M4": ("cases", "share"),
}


# --- reading -----------------------------------------------------------------------------------

def _files(data: Path, table: str) -> list[str]:
    one = data / f"{table}.parquet"
    files = ([one] if one.exists() else []) + sorted(data.glob(f"{table}-*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet file for table {table!r} in {data}")
    return [str(f) for f in files]


def read(data: Path, table: str, columns: list[str]) -> pd.DataFrame:
    df = pq.read_table(_files(data, table), columns=columns).to_pandas()
    for c in columns:  # every timestamp in local time, whatever zone the file was written in
        if isinstance(df[c].dtype, pd.DatetimeTZDtype):
            df[c] = df[c].dt.tz_convert(TZ)
    return df


def _local_day(ts: pd.Series) -> pd.Series:
    """The local calendar day of a timestamp, as a naive midnight (NaT stays NaT)."""
    return ts.dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()


def _hours(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds() / 3600.0


def _period_bounds(period: str) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """'2025-11' / '2025-Q4' / '2025' → (label, local start, local end exclusive)."""
    t = period.strip()
    if "-Q" in t.upper():
        y, q = t.upper().split("-Q")
        s = date(int(y), 3 * (int(q) - 1) + 1, 1)
        label, months = f"{int(y)}-Q{int(q)}", 3
    elif "-" in t:
        y, m = t.split("-")
        s = date(int(y), int(m), 1)
        label, months = f"{int(y):04d}-{int(m):02d}", 1
    else:
        s, label, months = date(int(t), 1, 1), str(int(t)), 12
    m = s.month - 1 + months
    e = date(s.year + m // 12, m % 12 + 1, 1)
    return label, pd.Timestamp(s, tz=TZ), pd.Timestamp(e, tz=TZ)


def working_days(calendar: pd.DataFrame, lo: date, hi: date) -> pd.DataFrame:
    """One row per day in [lo, hi]: workday_index (running count of working days) and is_promotion."""
    days = pd.DataFrame({"day": pd.date_range(lo, hi, freq="D")})

    def covered(kind: str) -> pd.Series:
        w = calendar[calendar["kind"] == kind]
        hit = pd.Series(False, index=days.index)
        for s, e in zip(pd.to_datetime(w["start_date"]), pd.to_datetime(w["end_date"])):
            hit |= (days["day"] >= s) & (days["day"] <= e)
        return hit

    weekday = days["day"].dt.day_of_week < 5
    is_work = (weekday & ~covered("holiday")) | covered("workday")
    days["workday_index"] = is_work.astype("int64").cumsum()
    days["is_promotion"] = covered("promotion")
    return days.set_index("day")


# --- the unit tables ----------------------------------------------------------------------------

def _order_context(data: Path, notarized: set[str]) -> pd.DataFrame:
    orders = read(data, "orders", ["order_id", "session_id", "product_id", "amount", "ordered_at"])
    sessions = read(data, "live_sessions", ["session_id", "streamer_id", "platform_id"])
    products = read(data, "products", ["product_id", "brand_id", "responsibility_list"])
    subjects = read(data, "subjects", ["subject_id", "kind", "mcn_id"])
    mcn = subjects[subjects["kind"] == "streamer"].rename(columns={"subject_id": "streamer_id"})
    o = (orders.merge(sessions, on="session_id").merge(products, on="product_id")
         .merge(mcn[["streamer_id", "mcn_id"]], on="streamer_id", how="left"))
    o["responsibility_list"] = o["responsibility_list"].fillna(False).astype(bool)
    o["notarized"] = o["session_id"].isin(notarized)
    return o


def compute(data, period: str, notarized: Iterable[str] = ()) -> pd.DataFrame:
    """All 28 indicators for every subject kind (slice "all") for one period; see the module doc."""
    data = Path(data)
    label, start, end = _period_bounds(period)
    o = _order_context(data, set(notarized))

    # all cases (the next case on the same order may fall after the period: E6)
    allc = read(data, "cases", ["case_id", "order_id", "created_at", "promised_response_hours", "channel",
                                "category_predicted", "category_confirmed", "outcome"])
    allc = allc.sort_values(["order_id", "created_at", "case_id"])
    allc["next_case_at"] = allc.groupby("order_id")["created_at"].shift(-1)
    cases = allc[(allc["created_at"] >= start) & (allc["created_at"] < end)]
    c = cases.merge(o[["order_id", *KEYS]], on="order_id")  # cases of orders we know

    # the working-day calendar over the span of the data, as LASHI builds it
    lo = min(_local_day(allc["created_at"]).min(), _local_day(o["ordered_at"]).min()).date()
    hi = max(_local_day(allc["created_at"]).max(), _local_day(o["ordered_at"]).max()).date()
    days = working_days(read(data, "calendar", ["kind", "start_date", "end_date"]),
                        lo - timedelta(days=1), hi + timedelta(days=400))

    # what the events of each case say
    ev = read(data, "case_events", ["event_id", "case_id", "at", "kind", "party", "compensation_kind"])
    ev = ev[ev["case_id"].isin(c["case_id"])]
    first_kinds = ["ai_reply", "human_reply", "escalated_to_human", "refund_requested", "refund_issued", "resolved",
                   "arbitration_opened", "arbitration_decided", "anger_detected", "senior_agent_assigned"]
    first = ev[ev["kind"].isin(first_kinds)].groupby(["case_id", "kind"])["at"].min().unstack("kind")
    first = first.reindex(columns=first_kinds)
    count_kinds = ["transfer", "reopened", "qc_checked", "rule_conflict", "medical_compensation_paid"]
    counts = ev[ev["kind"].isin(count_kinds)].groupby(["case_id", "kind"]).size().unstack("kind")
    counts = counts.reindex(columns=count_kinds)
    pers = ev[ev["compensation_kind"] == "personalized"]
    pers = pers[pers["kind"].isin(["compensation_offered", "compensation_accepted"])]
    pers = pers.groupby(["case_id", "kind"]).size().unstack("kind").reindex(
        columns=["compensation_offered", "compensation_accepted"])
    responsible = ev[ev["kind"] == "arbitration_decided"].groupby("case_id")["party"].max().rename("responsible_party")
    routed = (ev[ev["kind"] == "routed"].sort_values(["case_id", "at", "event_id"])
              .drop_duplicates("case_id").set_index("case_id")["party"].rename("first_routed_party"))
    replies = ev[ev["kind"] == "human_reply"][["case_id", "at"]].rename(columns={"at": "reply_at"})
    replies = replies.sort_values("reply_at")
    esc = first["escalated_to_human"].dropna().rename("escalated_at").reset_index().sort_values("escalated_at")
    esc = pd.merge_asof(esc, replies, left_on="escalated_at", right_on="reply_at", by="case_id", direction="forward")
    msgs = read(data, "messages", ["case_id", "sender", "tone"])
    msgs = msgs[msgs["case_id"].isin(c["case_id"])]
    consumer_msgs = msgs[msgs["sender"] == "consumer"].groupby("case_id").size().rename("n_consumer_messages")

    c = (c.join(first, on="case_id").join(counts, on="case_id").join(pers, on="case_id")
         .join(responsible, on="case_id").join(routed, on="case_id")
         .join(esc.set_index("case_id")["reply_at"].rename("reply_after_escalation_at"), on="case_id")
         .join(consumer_msgs, on="case_id"))
    for col in count_kinds + ["compensation_offered", "compensation_accepted", "n_consumer_messages"]:
        c[col] = c[col].fillna(0).astype("int64")
    c["first_routed_party"] = c["first_routed_party"].fillna(c["channel"])
    c["category"] = c["category_confirmed"].fillna(c["category_predicted"])
    c["promotion"] = _local_day(c["created_at"]).map(days["is_promotion"]).fillna(False).astype(bool)
    wd_created = _local_day(c["created_at"]).map(days["workday_index"])
    wd_resolved = _local_day(c["resolved"]).map(days["workday_index"])
    c["working_days_to_resolve"] = wd_resolved - wd_created

    # --- indicators over cases ---
    def share(df, ind, num, den):
        den = den.fillna(False).astype("int64") if den.dtype != "int64" else den
        df[f"{ind}__den"] = den
        df[f"{ind}__num"] = np.where(den > 0, num.fillna(False).astype("int64"), 0)

    yes = pd.Series(True, index=c.index)
    esc_h = _hours(c["reply_after_escalation_at"], c["escalated_to_human"])
    c["R5__x"] = esc_h * 60.0
    refund_h = _hours(c["refund_issued"], c["refund_requested"])
    c["E1__x"] = (refund_h * 3600.0 / 86400.0).where(c["refund_issued"] >= c["refund_requested"])
    c["E2__x"] = c["working_days_to_resolve"].astype("float64").where(c["category"] == "allergy")
    c["E3__x"] = c["transfer"].astype("float64")
    share(c, "E4", refund_h <= 72, c["refund_requested"].notna())
    share(c, "E5", c["medical_compensation_paid"] > 0, c["category_confirmed"] == "allergy")
    repeat = (c["reopened"] > 0) | (_hours(c["next_case_at"], c["created_at"]) <= 30 * 24)
    share(c, "E6", repeat, yes)
    share(c, "S3", (c["transfer"] == 0) & (c["reopened"] == 0) & (c["n_consumer_messages"] <= 1),
          c["outcome"] == "resolved")
    share(c, "S4", c["outcome"] == "resolved", c["outcome"].isin(["resolved", "unresolved"]))
    c["C2__x"] = _hours(c["arbitration_decided"], c["arbitration_opened"]) / 24.0
    share(c, "C3", c["first_routed_party"] == c["responsible_party"], c["responsible_party"].notna())
    share(c, "C4", c["transfer"] >= 3, yes)
    share(c, "C5", c["rule_conflict"] > 0, yes)
    share(c, "T1", c["category_predicted"] == c["category_confirmed"],
          c["category_predicted"].notna() & c["category_confirmed"].notna())
    share(c, "T3", c["qc_checked"] > 0, yes)
    share(c, "T4", c["escalated_to_human"].notna(),
          c["ai_reply"].notna() & (c["human_reply"].isna() | (c["ai_reply"] <= c["human_reply"])))
    c["M2__den"] = c["compensation_offered"]
    c["M2__num"] = np.where(c["compensation_offered"] > 0, c["compensation_accepted"], 0)
    anger_min = _hours(c["senior_agent_assigned"], c["anger_detected"]) * 60.0
    share(c, "M4", (anger_min <= 30) & (c["senior_agent_assigned"] >= c["anger_detected"]),
          c["anger_detected"].notna())

    # --- response rounds: creation and each reopen; first human reply inside each ---
    starts = pd.concat([c[["case_id", "created_at"]].rename(columns={"created_at": "round_start"}),
                        ev[ev["kind"] == "reopened"][["case_id", "at"]].rename(columns={"at": "round_start"})])
    starts = starts.drop_duplicates().sort_values(["case_id", "round_start"])
    starts["next_start"] = starts.groupby("case_id")["round_start"].shift(-1)
    r = pd.merge_asof(starts.sort_values("round_start"), replies, left_on="round_start", right_on="reply_at",
                      by="case_id", direction="forward")
    r["first_reply_at"] = r["reply_at"].where(r["next_start"].isna() | (r["reply_at"] < r["next_start"]))
    r = r.merge(c[["case_id", "promised_response_hours", *KEYS]], on="case_id")
    r["in_promotion"] = _local_day(r["round_start"]).map(days["is_promotion"]).fillna(False).astype(bool)
    rh = _hours(r["first_reply_at"], r["round_start"])
    share(r, "R1", rh <= 24, pd.Series(True, index=r.index))
    share(r, "R2", rh <= r["promised_response_hours"], pd.Series(True, index=r.index))
    share(r, "R3", (rh > r["promised_response_hours"]).where(rh.notna() & r["promised_response_hours"].notna(), True),
          r["in_promotion"])
    r["R4__x"] = rh

    # --- orders placed in the period (GMV-weighted) ---
    op = o[(o["ordered_at"] >= start) & (o["ordered_at"] < end)].copy()
    for ind, flag in (("C1", op["responsibility_list"]), ("T2", op["notarized"])):
        op[f"{ind}__den"] = 1
        op[f"{ind}__num"] = flag.astype("int64")
        op[f"{ind}__wden"] = op["amount"].fillna(0.0)
        op[f"{ind}__wnum"] = op["amount"].fillna(0.0).where(flag, 0.0)

    # --- surveys and messages of the period's cases ---
    keys = c[["case_id", *KEYS]]
    sv = read(data, "surveys", ["case_id", "kind", "score"]).merge(keys, on="case_id")
    nps = sv["kind"] == "nps"
    sv["S1__n"] = nps.astype("int64")
    sv["S1__prom"] = (nps & (sv["score"] >= 9)).astype("int64")
    sv["S1__det"] = (nps & (sv["score"] <= 6)).astype("int64")
    sv["S2__x"] = sv["score"].astype("float64").where(sv["kind"] == "csat")
    share(sv, "M3", sv["score"] == 1, sv["kind"] == "follow_up")
    ms = msgs.merge(keys, on="case_id")
    share(ms, "M1", ms["tone"] == "positive_empathetic", (ms["sender"] == "agent") & ms["tone"].notna())

    # --- per subject: groupby each key, and the whole industry ---
    units = {"cases": c, "rounds": r, "orders": op, "surveys": sv, "messages": ms}
    frames, case_counts = [], []
    for kind, key in SUBJECT_KEYS + (("industry", None),):
        for unit, df in units.items():
            ids = [i for i, (u, _) in INDICATORS.items() if u == unit]
            g = df.assign(__all=INDUSTRY).groupby("__all") if key is None else df.dropna(subset=[key]).groupby(key)
            if unit == "cases":
                case_counts.append(g.size().rename("cases").rename_axis("subject_id").reset_index()
                                   .assign(subject_kind=kind))
            for ind in ids:
                frames.append(_statistic(g, ind, INDICATORS[ind][1]).assign(subject_kind=kind, indicator_id=ind))
    out = pd.concat(frames, ignore_index=True)
    counts = pd.concat(case_counts, ignore_index=True)
    # every subject with cases gets a row for every indicator (no denominator → missing, not absent)
    grid = counts[["subject_id", "subject_kind"]].merge(pd.DataFrame({"indicator_id": list(INDICATORS)}), how="cross")
    out = grid.merge(out, on=["subject_id", "subject_kind", "indicator_id"], how="outer")
    out = out.merge(counts, on=["subject_id", "subject_kind"], how="left")
    out["cases"] = out["cases"].fillna(0).astype("int64")
    out["n"] = out["n"].fillna(0).astype("int64")
    out["period"], out["slice"] = label, "all"
    return out[GROUP + ["cases", "indicator_id", "value", "n", "se"]].sort_values(
        ["subject_kind", "subject_id", "indicator_id"]).reset_index(drop=True)


def _statistic(g, ind: str, stat: str) -> pd.DataFrame:
    """value, n, se of one indicator per group (the same formulas as LASHI's engine)."""
    if stat in ("share", "wshare"):
        s = g[[f"{ind}__num", f"{ind}__den"] + ([f"{ind}__wnum", f"{ind}__wden"] if stat == "wshare" else [])].sum()
        n = s[f"{ind}__den"].astype("float64")
        if stat == "wshare":
            wd = s[f"{ind}__wden"]
            value = s[f"{ind}__wnum"] / wd.where(wd > 0)
        else:
            value = s[f"{ind}__num"] / n.where(n > 0)
        se = np.sqrt(value * (1 - value) / n.where(n > 0))
    elif stat in ("mean", "median"):
        x = g[f"{ind}__x"]
        n = x.count().astype("float64")
        value = (x.mean() if stat == "mean" else x.median()).where(n > 0)
        se = x.std() / np.sqrt(n.where(n > 0))
        if stat == "median":
            se = se * math.sqrt(math.pi / 2)
    else:  # nps: % promoters − % detractors
        s = g[[f"{ind}__n", f"{ind}__prom", f"{ind}__det"]].sum()
        n = s[f"{ind}__n"].astype("float64")
        p, q = s[f"{ind}__prom"] / n.where(n > 0), s[f"{ind}__det"] / n.where(n > 0)
        value = (p - q) * 100
        se = 100 * np.sqrt((p + q - (p - q) ** 2) / n.where(n > 0))
    return pd.DataFrame({"value": value, "n": n, "se": se}).rename_axis("subject_id").reset_index()
