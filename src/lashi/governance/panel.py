"""The edge where governance, validation and forecasting read the store: a monthly index panel
(every subject, every month, one indicator pass), period evaluations, and activity counts
(orders and cases per subject and month). Everything downstream is a pure function of these
tables, so tests can hand-build them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from lashi.indicators.engine import IndicatorSpec, PeriodSpec
from lashi.indicators.periods import Period, _add_months, parse_period
from lashi.indicators.run import compute, data_span, subjects_frame
from lashi.scoring.config import Catalogue, load_catalogue
from lashi.scoring.evaluation import Evaluation, evaluate
from lashi.store import Workspace


@dataclass
class MonthlyPanel:
    """The monthly health index of every subject over a span of months (bootstrap off: periods
    are independent rows of one evaluation)."""

    evaluation: Evaluation
    values: pd.DataFrame
    subjects: pd.DataFrame
    activity: pd.DataFrame  # subject_id, period, orders, cases
    months: list[str]

    @property
    def index(self) -> pd.DataFrame:
        return self.evaluation.index


def _specs(cat: Catalogue) -> list[IndicatorSpec]:
    return [IndicatorSpec(i.id, i.definition) for i in cat.indicators]


def span_months(ws: Workspace) -> tuple[date, date]:
    con = ws.connect(read_only=True)
    try:
        lo, hi = data_span(con)
    finally:
        con.close()
    return lo.replace(day=1), _add_months(hi.replace(day=1), 1)


def monthly_panel(ws: Workspace, start: date | None = None, end: date | None = None,
                  catalogue: Catalogue | None = None) -> MonthlyPanel:
    """Index of every subject for every month in [start, end) (default: the whole data span)."""
    cat = catalogue or load_catalogue()
    lo, hi = span_months(ws)
    start = start or lo
    end = end or hi
    values = compute(ws, _specs(cat), PeriodSpec.monthly(start, end))
    if values.empty:
        raise ValueError("no cases in the span / 该时间段没有工单")
    subjects = subjects_frame(ws)
    ev = evaluate(values, subjects, catalogue=cat, B=0)
    months = sorted(values["period"].unique())
    return MonthlyPanel(ev, values, subjects, activity(ws, start, end), months)


def period_values(ws: Workspace, period: str | Period, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """The indicator table for one labelled period (month, quarter, year)."""
    cat = catalogue or load_catalogue()
    p = parse_period(period) if isinstance(period, str) else period
    return compute(ws, _specs(cat), PeriodSpec.of(p))


def period_evaluation(ws: Workspace, period: str | Period, catalogue: Catalogue | None = None,
                      B: int = 0) -> Evaluation | None:
    """Evaluation of one period (None when the period holds no cases)."""
    cat = catalogue or load_catalogue()
    values = period_values(ws, period, cat)
    if values.empty:
        return None
    return evaluate(values, subjects_frame(ws), catalogue=cat, B=B)


_ACTIVITY_SQL = """
WITH o AS (
  SELECT o.order_id, strftime(o.ordered_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m') AS period,
         s.streamer_id, s.platform_id, p.brand_id, st.mcn_id
  FROM orders o
  JOIN live_sessions s USING (session_id)
  JOIN products p USING (product_id)
  LEFT JOIN subjects st ON st.subject_id = s.streamer_id
  WHERE o.ordered_at >= ? AND o.ordered_at < ?
), c AS (
  SELECT strftime(c.created_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m') AS period,
         s.streamer_id, s.platform_id, p.brand_id, st.mcn_id
  FROM cases c
  JOIN orders o USING (order_id)
  JOIN live_sessions s USING (session_id)
  JOIN products p USING (product_id)
  LEFT JOIN subjects st ON st.subject_id = s.streamer_id
  WHERE c.created_at >= ? AND c.created_at < ?
), u AS (
  SELECT period, streamer_id AS subject_id, 1 AS o, 0 AS c FROM o
  UNION ALL SELECT period, platform_id, 1, 0 FROM o
  UNION ALL SELECT period, brand_id, 1, 0 FROM o
  UNION ALL SELECT period, mcn_id, 1, 0 FROM o WHERE mcn_id IS NOT NULL
  UNION ALL SELECT period, 'INDUSTRY', 1, 0 FROM o
  UNION ALL SELECT period, streamer_id, 0, 1 FROM c
  UNION ALL SELECT period, platform_id, 0, 1 FROM c
  UNION ALL SELECT period, brand_id, 0, 1 FROM c
  UNION ALL SELECT period, mcn_id, 0, 1 FROM c WHERE mcn_id IS NOT NULL
  UNION ALL SELECT period, 'INDUSTRY', 0, 1 FROM c
)
SELECT subject_id, period, sum(o)::BIGINT AS orders, sum(c)::BIGINT AS cases
FROM u GROUP BY 1, 2 ORDER BY 1, 2
"""


def activity(ws: Workspace, start: date, end: date) -> pd.DataFrame:
    """Orders and after-sales cases (complaints) per subject and month."""
    con = ws.connect(read_only=True)
    try:
        s, e = f"{start.isoformat()} 00:00:00+08:00", f"{end.isoformat()} 00:00:00+08:00"
        return con.execute(_ACTIVITY_SQL, [s, e, s, e]).df()
    finally:
        con.close()


def mcn_brands(ws: Workspace, start: date, end: date) -> pd.DataFrame:
    """Which brands each MCN's streamers sold in [start, end), with orders and cases."""
    sql = """
    SELECT st.mcn_id, p.brand_id, count(DISTINCT o.order_id) AS orders, count(DISTINCT c.case_id) AS cases
    FROM orders o JOIN live_sessions s USING (session_id) JOIN products p USING (product_id)
    JOIN subjects st ON st.subject_id = s.streamer_id
    LEFT JOIN cases c ON c.order_id = o.order_id
    WHERE st.mcn_id IS NOT NULL AND o.ordered_at >= ? AND o.ordered_at < ?
    GROUP BY 1, 2 ORDER BY 1, 2
    """
    con = ws.connect(read_only=True)
    try:
        return con.execute(sql, [f"{start.isoformat()} 00:00:00+08:00", f"{end.isoformat()} 00:00:00+08:00"]).df()
    finally:
        con.close()
