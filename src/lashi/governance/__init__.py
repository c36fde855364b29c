"""Governance (spec §5): cards, credit ratings, MCN brand credit, rectification, phase targets.

    from lashi.governance import govern
    g = govern(ws, "2025-11")       # reads the store once, then pure decisions
    g.cards, g.credit, g.mcn_brands, g.rectification, g.targets
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .decisions import (cards, complaint_rates, credit_ratings, industry_series, mcn_brand_credit,
                        phase_targets, rectification)
from .rules import load_rules, validate_rules

__all__ = ["Governance", "govern", "load_rules", "validate_rules", "cards", "credit_ratings",
           "complaint_rates", "mcn_brand_credit", "rectification", "phase_targets", "industry_series"]


@dataclass
class Governance:
    period: str
    card_month: str
    quarter: str
    previous_quarter: str
    cards: pd.DataFrame
    credit: pd.DataFrame
    mcn_brands: pd.DataFrame
    rectification: pd.DataFrame
    targets: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"cards": self.cards, "credit_ratings": self.credit, "mcn_brand_credit": self.mcn_brands,
                "rectification": self.rectification, "phase_targets": self.targets}

    def write(self, out: Path) -> list[Path]:
        from lashi.store.export import write_csv_tables

        return write_csv_tables(self.frames(), out)


def govern(ws, period: str, rules: dict | None = None, catalogue=None,
           progress=None, panel=None, with_rectification: bool = True) -> Governance:
    """All governance outputs for a month (or a quarter: cards for its last month). ``panel``: a
    monthly panel over the whole data span already computed (``monthly_panel(ws)``), to share it
    with the forecasts; ``with_rectification=False`` skips the two quarterly evaluations."""
    from lashi.indicators.periods import _add_months, parse_period

    from .panel import mcn_brands, monthly_panel, period_evaluation, span_months

    say = progress or (lambda _m: None)
    r = rules or load_rules()
    p = parse_period(period)
    if p.grain not in ("month", "quarter"):
        raise ValueError(f"period {period!r}: governance works on a month or a quarter / 请给出月份或季度")
    months = p.months()
    card_month = months[-1]
    q = parse_period(f"{p.start.year}-Q{(p.start.month - 1) // 3 + 1}") if p.grain == "month" else p
    pq = q.previous()
    lo, hi = span_months(ws)
    start = min(lo, pq.start)
    if panel is None:
        say("monthly index / 月度指数")
        panel = monthly_panel(ws, max(start, lo), min(max(p.end, _add_months(p.start, 1)), hi), catalogue)
    if card_month not in panel.months:
        raise ValueError(f"no cases in {card_month} / 该月没有工单")
    notes = []
    say("cards / 红黄牌")
    c = cards(panel.index, card_month, r)
    rates = complaint_rates(panel.activity, months)
    if p.grain == "month":
        idx = panel.index[panel.index["period"] == card_month]
        dims = panel.evaluation.dimension_scores
    else:
        say("period evaluation / 期间评估")
        ev = period_evaluation(ws, p, catalogue)
        idx, dims = ev.index, ev.dimension_scores
    say("credit / 信用评级")
    credit = credit_ratings(idx, rates, r)
    mb = mcn_brand_credit(dims, mcn_brands(ws, p.start, p.end), r, p.label)
    say("rectification / 整改约谈")
    cur = period_evaluation(ws, q, catalogue) if with_rectification else None
    prev = period_evaluation(ws, pq, catalogue) if with_rectification else None
    if not with_rectification:
        notes.append("rectification not computed here: run lashi govern / 整改名单请运行 lashi govern")
        rect = pd.DataFrame()
    elif cur is None or prev is None:
        notes.append(f"rectification needs {pq.label} and {q.label}; one has no cases / 缺少季度数据")
        rect = pd.DataFrame()
    else:
        rect = rectification(cur.index, prev.index, r)
    if q.end > hi:
        notes.append(f"{q.label} is not complete in the data (ends {hi}) / 本季度数据不完整")
    inds = [t["indicator"] for t in r["phase_targets"] if t["indicator"] != "index"]
    series = industry_series(panel.values, panel.index, inds)
    from datetime import timedelta
    targets = phase_targets(series, r, as_of=p.end - timedelta(days=1))
    return Governance(p.label, card_month, q.label, pq.label, c, credit, mb, rect, targets, notes)
