"""ETA in working days (“预计2个工作日内处理完毕”), learned from past resolved cases of the same
category, party and subject, backing off to (category, party), (category) and all cases when a
group is too small. The ETA is a high quantile (rules.yaml eta.quantile) of past working days to
resolution, so most cases are done by it; `accuracy` measures that on held-back history."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import load_rules

HISTORY_SQL = """
WITH r AS (SELECT case_id, min("at") AS resolved_at FROM case_events WHERE kind = 'resolved' GROUP BY case_id),
     q AS (SELECT DISTINCT ON (case_id) case_id, party FROM case_events WHERE kind = 'routed'
           ORDER BY case_id, "at", event_id)
SELECT k.case_id, coalesce(k.category_confirmed, k.category_predicted) AS category, q.party,
       CASE q.party WHEN 'brand' THEN p.brand_id
                    WHEN 'streamer' THEN s.streamer_id
                    WHEN 'mcn' THEN st.mcn_id
                    ELSE s.platform_id END AS subject_id,
       k.created_at, r.resolved_at
FROM cases k JOIN r USING (case_id) JOIN q USING (case_id)
JOIN orders o ON o.order_id = k.order_id
JOIN products p ON p.product_id = o.product_id
JOIN live_sessions s ON s.session_id = o.session_id
LEFT JOIN subjects st ON st.subject_id = s.streamer_id
WHERE r.resolved_at >= k.created_at
"""


def _calendar(con) -> tuple[np.ndarray, set]:
    rows = con.execute("SELECT kind, start_date, end_date FROM calendar WHERE kind IN ('holiday','workday')").fetchall()
    hol, work = [], set()
    for kind, a, b in rows:
        for d in pd.date_range(a, b, freq="D"):
            (hol.append(d.date()) if kind == "holiday" else work.add(d.date()))
    return np.array(sorted(set(hol)), dtype="datetime64[D]"), work


def working_days(start, end, holidays: np.ndarray, workdays: set) -> np.ndarray:
    """Working days between local dates (start excluded, end included), arrays of datetime64[D]."""
    s = np.asarray(start, dtype="datetime64[D]")
    e = np.asarray(end, dtype="datetime64[D]")
    n = np.busday_count(s + 1, e + 1, holidays=holidays)
    if workdays:
        w = np.array(sorted(workdays), dtype="datetime64[D]")
        n = n + np.array([np.count_nonzero((w > a) & (w <= b)) for a, b in zip(s, e)])
    return n


def history(con) -> pd.DataFrame:
    """Past resolved cases with their working days to resolution (local dates, Asia/Shanghai)."""
    df = con.execute(HISTORY_SQL).df()
    if df.empty:
        df["days"] = []
        return df
    hol, work = _calendar(con)
    loc = lambda c: pd.to_datetime(df[c], utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    df["created_at"], df["resolved_at"] = loc("created_at"), loc("resolved_at")
    df["days"] = working_days(df["created_at"].values.astype("datetime64[D]"),
                              df["resolved_at"].values.astype("datetime64[D]"), hol, work)
    return df


LEVELS = (("category", "party", "subject_id"), ("category", "party"), ("category",), ())


@dataclass
class EtaModel:
    quantile: float
    min_group: int
    tables: dict = field(default_factory=dict)     # level → {key tuple: (eta, n)}
    overall: tuple[int, int] = (3, 0)

    @classmethod
    def fit(cls, hist: pd.DataFrame, rules: dict | None = None) -> "EtaModel":
        cfg = (rules or load_rules())["eta"]
        m = cls(cfg["quantile"], cfg["min_group"])
        if hist.empty:
            return m
        for lvl in LEVELS[:-1]:
            g = hist.groupby(list(lvl), dropna=False)["days"].agg(["count", lambda s: s.quantile(m.quantile)])
            g.columns = ["n", "q"]
            g = g[g["n"] >= m.min_group]
            m.tables[lvl] = {(k if isinstance(k, tuple) else (k,)): (max(1, math.ceil(v)), int(n))
                             for k, (n, v) in g.iterrows()}
        m.overall = (max(1, math.ceil(hist["days"].quantile(m.quantile))), len(hist))
        return m

    def predict(self, category: str, party: str, subject_id: str | None) -> dict:
        vals = {"category": category, "party": party, "subject_id": subject_id}
        for lvl in LEVELS[:-1]:
            hit = self.tables.get(lvl, {}).get(tuple(vals[c] for c in lvl))
            if hit:
                return self._out(hit, lvl)
        return self._out(self.overall, ())

    def _out(self, hit, lvl) -> dict:
        eta, n = hit
        return {"working_days": eta, "based_on": n, "group": list(lvl) or ["all"],
                "quantile": self.quantile,
                "zh": f"预计{eta}个工作日内处理完毕", "en": f"expected within {eta} working day{'s' if eta != 1 else ''}"}


def fit_from_store(con, rules: dict | None = None) -> EtaModel:
    return EtaModel.fit(history(con), rules)


def accuracy(hist: pd.DataFrame, rules: dict | None = None, holdout_share: float | None = None) -> dict:
    """Train on the earlier history, predict the latest `holdout_share` (by creation time):
    the share done by the ETA (target ≥ the quantile), mean absolute error, per level used."""
    r = rules or load_rules()
    share = holdout_share if holdout_share is not None else r["eta"]["holdout_share"]
    h = hist.sort_values("created_at").reset_index(drop=True)
    cut = int(len(h) * (1 - share))
    train, test = h.iloc[:cut], h.iloc[cut:]
    if train.empty or test.empty:
        raise ValueError("not enough resolved cases to measure ETA accuracy / 已解决工单不足，无法评估ETA准确率")
    m = EtaModel.fit(train, r)
    preds = [m.predict(c, p, s) for c, p, s in zip(test["category"], test["party"], test["subject_id"])]
    eta = np.array([p["working_days"] for p in preds])
    lvl = pd.Series(["/".join(p["group"]) for p in preds])
    hit = test["days"].to_numpy() <= eta
    by_level = (pd.DataFrame({"level": lvl, "hit": hit}).groupby("level")["hit"].agg(["mean", "size"])
                .rename(columns={"mean": "on_time", "size": "n"}).reset_index().to_dict("records"))
    by_cat = (pd.DataFrame({"category": test["category"].to_numpy(), "hit": hit}).groupby("category")["hit"]
              .agg(["mean", "size"]).rename(columns={"mean": "on_time", "size": "n"}).reset_index().to_dict("records"))
    return {"train": len(train), "test": len(test), "quantile": m.quantile,
            "on_time": float(hit.mean()), "mae_days": float(np.abs(test["days"].to_numpy() - eta).mean()),
            "median_eta": float(np.median(eta)), "by_level": by_level, "by_category": by_cat}
