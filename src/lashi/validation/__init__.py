"""Validation (spec §6): triangulation, blind test, dynamic calibration, predictive validity,
sensitivity and subject anomalies.

    from lashi.validation import validate
    v = validate(ws, "2025-Q4")     # reads the store once, then pure checks
    v.triangulation, v.blind, v.calibration, v.validity, v.sensitivity, v.anomalies
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .checks import (anomalies, blind_test, blind_verdict, calibration, predictive_validity,
                     sensitivity)
from .stats import correlations, fisher_ci, icc
from .triangulation import claim_test, triangulate

__all__ = ["Validation", "validate", "triangulate", "claim_test", "blind_test", "blind_verdict",
           "calibration", "predictive_validity", "sensitivity", "anomalies", "correlations",
           "fisher_ci", "icc"]


@dataclass
class Validation:
    period: str
    quarter: str
    previous_quarter: str
    triangulation: pd.DataFrame
    blind: dict
    calibration: pd.DataFrame
    validity: pd.DataFrame
    sensitivity: pd.DataFrame
    anomalies: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"triangulation": self.triangulation, "blind_test": pd.DataFrame([self.blind]) if self.blind else pd.DataFrame(),
                "calibration": self.calibration, "predictive_validity": self.validity,
                "sensitivity": self.sensitivity, "anomalies": self.anomalies}

    def write(self, out: Path) -> list[Path]:
        from lashi.store.export import write_csv_tables

        return write_csv_tables(self.frames(), out)


def _read(ws, sql: str, params=()) -> pd.DataFrame:
    con = ws.connect(read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def validate(ws, period: str, catalogue=None, runs: int = 40, alpha: float = 0.01,
             progress=None, values: pd.DataFrame | None = None, with_calibration: bool = True) -> Validation:
    """``values``: the period's indicator table if already computed (e.g. one month of a monthly
    panel); ``with_calibration=False`` skips the quarter-over-quarter calibration (three more
    indicator passes)."""
    from lashi.indicators.engine import PeriodSpec
    from lashi.indicators.periods import parse_period
    from lashi.indicators.run import compute, subjects_frame
    from lashi.scoring.config import load_catalogue
    from lashi.scoring.evaluation import evaluate

    from lashi.governance.panel import _specs

    say = progress or (lambda _m: None)
    cat = catalogue or load_catalogue()
    p = parse_period(period)
    if p.grain not in ("month", "quarter"):
        raise ValueError(f"period {period!r}: validation works on a month or a quarter / 请给出月份或季度")
    months = p.months()
    q = parse_period(f"{p.start.year}-Q{(p.start.month - 1) // 3 + 1}") if p.grain == "month" else p
    pq = q.previous()
    notes: list[str] = []
    specs = _specs(cat)
    say("indicators / 指标")
    if values is None:
        values = compute(ws, specs, PeriodSpec.of(p))
    if values.empty:
        raise ValueError(f"no cases in {p.label} / 该期间没有工单")
    subjects = subjects_frame(ws)
    ev = evaluate(values, subjects, catalogue=cat, B=0)
    ts = f"{p.start.isoformat()} 00:00:00+08:00"
    te = f"{p.end.isoformat()} 00:00:00+08:00"
    ph = ",".join("?" * len(months))

    say("triangulation / 三方交叉验证")
    sr = _read(ws, f"SELECT subject_id, period, indicator_id, claimed_value FROM self_reports WHERE period IN ({ph})", months)
    ms = _read(ws, 'SELECT subject_id, "at", scenario, first_response_hours, resolved FROM mystery_shops '
                   'WHERE "at" >= ? AND "at" < ?', [ts, te])
    pe = _read(ws, f"SELECT subject_id, period, indicator_id, respondents, perceived_value FROM perceptions WHERE period IN ({ph})", months)
    tri = triangulate(sr, ms, pe, values, alpha=alpha) if len(sr) else pd.DataFrame()
    if tri.empty:
        notes.append(f"no self-reports in {p.label} / 本期无自报数据")

    say("blind test / 盲测")
    pr = _read(ws, "SELECT r.rater_kind, r.rater_id, r.blind_code, r.score FROM panel_ratings r "
                   "WHERE r.period = ?", [q.label])
    try:
        blind = {"period": q.label, **blind_test(pr)} if len(pr) else {}
    except ValueError as e:
        blind = {}
        notes.append(str(e))
    if not blind:
        notes.append(f"no panel ratings for {q.label} / 本季度无盲测评分")

    say("calibration / 动态校准")
    qv = values if p.grain == "quarter" or not with_calibration else compute(ws, specs, PeriodSpec.of(q))
    pqv = compute(ws, specs, PeriodSpec.of(pq)) if with_calibration else pd.DataFrame()
    ranges = {i.id: (i.floor, i.target) for i in cat.indicators}
    if not with_calibration:
        calib = pd.DataFrame()
        notes.append("calibration not computed here: run lashi validate / 动态校准请运行 lashi validate")
    elif pqv.empty:
        calib = pd.DataFrame()
        notes.append(f"no cases in {pq.label}: calibration needs two quarters / 上季度无数据")
    else:
        mv = compute(ws, specs, PeriodSpec.monthly(q.start, q.end))
        calib = calibration(qv, pqv, ranges, monthly=mv)

    say("predictive validity / 预测效度")
    bh = _read(ws, f"SELECT subject_id, period, repurchase_rate, recommendation_rate FROM behaviour WHERE period IN ({ph})", months)
    validity = predictive_validity(ev.index, bh) if len(bh) else pd.DataFrame()

    say(f"sensitivity ({runs} runs) / 敏感性")
    sens, _ = sensitivity(ev, runs=runs) if runs > 0 else (pd.DataFrame(), None)

    say("anomalies / 异常主体")
    anom = anomalies(values)
    return Validation(p.label, q.label, pq.label, tri, blind, calib, validity, sens, anom, notes)
