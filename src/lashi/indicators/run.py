"""Compute the indicator table from a workspace store (the embedded DuckDB engine)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

import ibis
import pandas as pd

from lashi.indicators import facts
from lashi.indicators.calendar import days_table
from lashi.indicators.engine import IndicatorSpec, PeriodSpec, indicator_table
from lashi.store import Workspace
from lashi.store.workspace import DEFAULT_TZ

SOURCE_TABLES = ("subjects", "products", "live_sessions", "orders", "cases", "case_events", "messages", "surveys")


def data_span(con) -> tuple[date, date]:
    lo, hi = con.execute(
        "SELECT least(min(CAST(created_at AS DATE)), (SELECT min(CAST(ordered_at AS DATE)) FROM orders)), "
        "greatest(max(CAST(created_at AS DATE)), (SELECT max(CAST(ordered_at AS DATE)) FROM orders)) FROM cases"
    ).fetchone()
    if lo is None:
        raise ValueError("the store holds no cases; run `lashi load DIR` first / 数据库中没有工单")
    return lo, hi


def _notarized(con) -> pd.DataFrame:
    try:
        from lashi.evidence import notarized_sessions
    except ImportError:  # the evidence log is optional for the indicators
        return pd.DataFrame({"session_id": pd.Series([], dtype="string")})
    return pd.DataFrame({"session_id": pd.Series(sorted(notarized_sessions(con)), dtype="string")})


def duckdb_sources(ws: Workspace, memory_limit: str | None = None):
    """Open the store with Ibis and return (Sources, executor, raw duckdb connection)."""
    raw = ws.connect(read_only=True, memory_limit=memory_limit)
    lo, hi = data_span(raw)
    cal = raw.execute("SELECT window_id, kind, name, start_date, end_date FROM calendar").df()
    days = days_table(cal, lo - timedelta(days=1), hi + timedelta(days=400))
    notarized = _notarized(raw)
    con = ibis.duckdb.from_connection(raw)
    con.raw_sql(f"SET TimeZone = '{DEFAULT_TZ}'")
    t = {name: con.table(name) for name in SOURCE_TABLES}
    s = facts.Sources(
        **t,
        days=ibis.memtable(days[["day", "is_workday", "workday_index", "is_promotion"]]),
        notarized_sessions=ibis.memtable(notarized),
    )
    return s, con.execute, raw


def compute(ws: Workspace, indicators: Iterable[IndicatorSpec], period: PeriodSpec,
            progress: Callable[[str], None] | None = None, memory_limit: str | None = None) -> pd.DataFrame:
    s, execute, raw = duckdb_sources(ws, memory_limit)
    try:
        return indicator_table(s, indicators, period, execute, progress)
    finally:
        raw.close()


def subjects_frame(ws: Workspace) -> pd.DataFrame:
    con = ws.connect(read_only=True)
    try:
        return con.execute("SELECT subject_id, kind, name, tier, platform_id, mcn_id, origin FROM subjects").df()
    finally:
        con.close()
