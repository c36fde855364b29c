"""Days and working days from the calendar table (pure functions, no I/O).

A day is a working day when it is Monday–Friday and not a public holiday, or when it is an
adjusted working day (调休). `workday_index` counts working days from the first day of the table,
so the working days in (a, b] are `workday_index[b] - workday_index[a]`.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd


def days_table(calendar: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """One row per day in [start, end]: date, is_workday, workday_index, is_promotion, promotion."""
    days = pd.date_range(start, end, freq="D")
    df = pd.DataFrame({"day": days.date})
    weekday = days.day_of_week
    is_work = weekday < 5
    promo_name = [None] * len(df)
    holidays: set[date] = set()
    workdays: set[date] = set()
    promo_days: dict[date, str] = {}
    for row in calendar.itertuples(index=False):
        s, e = pd.Timestamp(row.start_date).date(), pd.Timestamp(row.end_date).date()
        d = s
        while d <= e:
            if row.kind == "holiday":
                holidays.add(d)
            elif row.kind == "workday":
                workdays.add(d)
            elif row.kind == "promotion":
                promo_days.setdefault(d, row.name)
            d += timedelta(days=1)
    is_work = [((w and d not in holidays) or d in workdays) for w, d in zip(is_work, df["day"])]
    promo_name = [promo_days.get(d) for d in df["day"]]
    df["is_workday"] = is_work
    df["workday_index"] = pd.Series(is_work).cumsum().astype("int64")
    df["is_promotion"] = [p is not None for p in promo_name]
    df["promotion"] = promo_name
    return df


def working_days_between(days: pd.DataFrame, a: date, b: date) -> int:
    """Working days in (a, b]: the day a case is created does not count, the day it ends does."""
    idx = dict(zip(days["day"], days["workday_index"]))
    return int(idx[b] - idx[a])
