"""Periods: a month (2025-11), a quarter (2025-Q4), a year (2025) or a custom range
(2025-11-01..2025-11-30, both ends inclusive). All in the local calendar (+08:00)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    label: str
    start: date  # inclusive
    end: date    # exclusive
    grain: str   # month | quarter | year | range

    def months(self) -> list[str]:
        out, d = [], self.start.replace(day=1)
        while d < self.end:
            out.append(f"{d.year:04d}-{d.month:02d}")
            d = _add_months(d, 1)
        return out

    def previous(self) -> "Period":
        if self.grain == "month":
            return parse_period(_fmt_month(_add_months(self.start, -1)))
        if self.grain == "quarter":
            p = _add_months(self.start, -3)
            return parse_period(f"{p.year}-Q{(p.month - 1) // 3 + 1}")
        if self.grain == "year":
            return parse_period(str(self.start.year - 1))
        span = self.end - self.start
        return Period(f"{self.start - span}..{self.start - timedelta(days=1)}", self.start - span, self.start, "range")


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _fmt_month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def parse_period(text: str) -> Period:
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise ValueError(f"period {text!r}: month must be 1–12")
        s = date(y, mo, 1)
        return Period(f"{y:04d}-{mo:02d}", s, _add_months(s, 1), "month")
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", t, flags=re.I):
        y, q = int(m[1]), int(m[2])
        s = date(y, 3 * (q - 1) + 1, 1)
        return Period(f"{y}-Q{q}", s, _add_months(s, 3), "quarter")
    if m := re.fullmatch(r"(\d{4})", t):
        y = int(m[1])
        return Period(str(y), date(y, 1, 1), date(y + 1, 1, 1), "year")
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", t):
        s, e = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        if e < s:
            raise ValueError(f"period {text!r}: end before start")
        return Period(t, s, e + timedelta(days=1), "range")
    raise ValueError(f"period {text!r}: expected 2025-11, 2025-Q4, 2025 or 2025-11-01..2025-11-30 / 期间格式不正确")


def months_between(start: date, end: date) -> list[Period]:
    out, d = [], start.replace(day=1)
    while d < end:
        out.append(parse_period(_fmt_month(d)))
        d = _add_months(d, 1)
    return out
