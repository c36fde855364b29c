"""The sample calendar: promotion windows (618, 双十一, 双十二, 38节), Chinese public holidays and
adjusted working days (调休), and per-day arrays the generator uses (volume, slowness).

Public holidays and 调休 follow the State Council notices for 2023–2026; for other years only the
fixed-date holidays (元旦, 劳动节, 国庆) are generated and the manifest says so.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

# (name, [(first, last)], [adjusted working days]) per year, from the State Council notices.
HOLIDAYS: dict[int, list[tuple[str, str, str, list[str]]]] = {
    2023: [
        ("元旦", "2022-12-31", "2023-01-02", []),
        ("春节", "2023-01-21", "2023-01-27", ["2023-01-28", "2023-01-29"]),
        ("清明节", "2023-04-05", "2023-04-05", []),
        ("劳动节", "2023-04-29", "2023-05-03", ["2023-04-23", "2023-05-06"]),
        ("端午节", "2023-06-22", "2023-06-24", ["2023-06-25"]),
        ("中秋节/国庆节", "2023-09-29", "2023-10-06", ["2023-10-07", "2023-10-08"]),
    ],
    2024: [
        ("元旦", "2024-01-01", "2024-01-01", []),
        ("春节", "2024-02-10", "2024-02-17", ["2024-02-04", "2024-02-18"]),
        ("清明节", "2024-04-04", "2024-04-06", ["2024-04-07"]),
        ("劳动节", "2024-05-01", "2024-05-05", ["2024-04-28", "2024-05-11"]),
        ("端午节", "2024-06-08", "2024-06-10", []),
        ("中秋节", "2024-09-15", "2024-09-17", ["2024-09-14"]),
        ("国庆节", "2024-10-01", "2024-10-07", ["2024-09-29", "2024-10-12"]),
    ],
    2025: [
        ("元旦", "2025-01-01", "2025-01-01", []),
        ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("清明节", "2025-04-04", "2025-04-06", []),
        ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
        ("端午节", "2025-05-31", "2025-06-02", []),
        ("国庆节/中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    ],
    2026: [
        ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明节", "2026-04-04", "2026-04-06", []),
        ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", []),
        ("中秋节", "2026-09-25", "2026-09-27", []),
        ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ],
}
KNOWN_YEARS = tuple(sorted(HOLIDAYS))

# Promotion windows (month-day), with the volume multiplier of their days and of their peak day.
PROMOTIONS = (
    ("38", "38节", "03-01", "03-08", 1.5),
    ("618", "618", "05-20", "06-18", 1.8),
    ("double11", "双十一", "10-20", "11-11", 2.4),
    ("double12", "双十二", "12-01", "12-12", 1.6),
)


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def holidays_for(year: int) -> list[tuple[str, str, str, list[str]]]:
    if year in HOLIDAYS:
        return HOLIDAYS[year]
    return [("元旦", f"{year}-01-01", f"{year}-01-01", []),
            ("劳动节", f"{year}-05-01", f"{year}-05-05", []),
            ("国庆节", f"{year}-10-01", f"{year}-10-07", [])]


def calendar_rows(first: dt.date, last: dt.date) -> list[dict]:
    """Calendar table rows covering the years from `first` to `last` (both dates inclusive)."""
    rows = []
    for year in range(first.year, last.year + 1):
        for wid, name, a, b, _ in PROMOTIONS:
            rows.append({"window_id": f"{year}-{wid}", "kind": "promotion", "name": name,
                         "start_date": _d(f"{year}-{a}"), "end_date": _d(f"{year}-{b}"),
                         "context": "promotion"})
        for i, (name, a, b, work) in enumerate(holidays_for(year)):
            rows.append({"window_id": f"{year}-holiday-{i + 1}", "kind": "holiday", "name": name,
                         "start_date": _d(a), "end_date": _d(b), "context": None})
            for j, w in enumerate(work):
                rows.append({"window_id": f"{year}-workday-{i + 1}-{j + 1}", "kind": "workday",
                             "name": f"{name}调休上班", "start_date": _d(w), "end_date": _d(w),
                             "context": None})
    return rows


class Days:
    """Per-day arrays over [first, last + tail] (local dates, +08:00)."""

    def __init__(self, first: dt.date, n_days: int, tail_days: int = 420):
        self.first = first
        self.n_days = n_days
        total = n_days + tail_days
        self.dates = [first + dt.timedelta(days=i) for i in range(total)]
        idx = {d: i for i, d in enumerate(self.dates)}
        self.promotion = np.zeros(total, bool)
        self.volume = np.ones(total)
        self.holiday = np.zeros(total, bool)
        weekday = np.array([d.weekday() for d in self.dates])
        self.workday = weekday < 5
        years = range(first.year, self.dates[-1].year + 1)
        for year in years:
            for _, _, a, b, mult in PROMOTIONS:
                da, db = _d(f"{year}-{a}"), _d(f"{year}-{b}")
                for k in range((db - da).days + 1):
                    i = idx.get(da + dt.timedelta(days=k))
                    if i is not None:
                        self.promotion[i] = True
                        # ramp towards the last (peak) day of the window
                        self.volume[i] = max(self.volume[i], 1.0 + (mult - 1.0) * (0.6 + 0.4 * k / max(1, (db - da).days)))
                i = idx.get(db)
                if i is not None:
                    self.volume[i] = mult * 1.8
            for _, a, b, work in holidays_for(year):
                da, db = _d(a), _d(b)
                for k in range((db - da).days + 1):
                    i = idx.get(da + dt.timedelta(days=k))
                    if i is not None:
                        self.holiday[i] = True
                        self.workday[i] = False
                        self.volume[i] *= 0.8
                for w in work:
                    i = idx.get(_d(w))
                    if i is not None:
                        self.workday[i] = True
        # working days before each day index (for working-day durations)
        self.workday_cum = np.concatenate([[0], np.cumsum(self.workday)])
