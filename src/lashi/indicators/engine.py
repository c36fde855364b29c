"""Run the indicator definitions on an engine and return the indicator table.

The heavy lifting is one Ibis expression per unit table: attach every unit row to its subjects
(streamer, platform, brand, MCN, and the industry), put it in its period and context slice, and
aggregate every definition of that unit in a single GROUP BY. Only the small aggregated result
comes back to Python, where value, sample size and standard error are read off the sums.

Output (one row per subject × period × slice × indicator):
subject_id, subject_kind, period, slice, cases, indicator_id, value, n, se
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from lashi.indicators import facts
from lashi.indicators.definitions import DEFINITIONS, Definition
from lashi.indicators.periods import Period

INDUSTRY = "INDUSTRY"
SUBJECT_KEYS = (("streamer", "streamer_id"), ("platform", "platform_id"), ("brand", "brand_id"), ("mcn", "mcn_id"))
SLICE_ORDER = ("base", "promotion", "sensitive_skin", "promotion+sensitive_skin")
GROUP = ["subject_id", "subject_kind", "period", "slice"]


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    definition: str


@dataclass(frozen=True)
class PeriodSpec:
    """Either one labelled period, or every month within [start, end)."""

    start: object
    end: object
    label: str | None = None  # None → label each unit by its month

    @classmethod
    def of(cls, p: Period) -> "PeriodSpec":
        return cls(p.start, p.end, p.label)

    @classmethod
    def monthly(cls, start, end) -> "PeriodSpec":
        return cls(start, end, None)


def _slice_expr(t: ir.Table) -> ir.Value:
    return ibis.cases(
        (t.promotion & t.sensitive, "promotion+sensitive_skin"),
        (t.promotion, "promotion"),
        (t.sensitive, "sensitive_skin"),
        else_="base",
    )


def _in_period(t: ir.Table, ps: PeriodSpec) -> ir.Table:
    d = t.unit_at.date()
    t = t.filter((d >= ibis.date(ps.start)) & (d < ibis.date(ps.end)))
    label = ibis.literal(ps.label) if ps.label else t.unit_at.strftime("%Y-%m")
    return t.mutate(period=label, slice=_slice_expr(t))


def _attach_subjects(t: ir.Table, cols: list[str], with_all_slice: bool = True) -> ir.Table:
    parts = []
    for kind, key in SUBJECT_KEYS:
        part = t.filter(t[key].notnull()).mutate(subject_id=t[key], subject_kind=ibis.literal(kind))
        parts.append(part.select(*GROUP, *cols))
    parts.append(t.mutate(subject_id=ibis.literal(INDUSTRY), subject_kind=ibis.literal("industry"))
                 .select(*GROUP, *cols))
    u = ibis.union(*parts)
    if with_all_slice:
        u = u.union(u.mutate(slice=ibis.literal("all")))
    return u


def _aggregates(ind_id: str, d: Definition, t: ir.Table) -> dict[str, ir.Value]:
    """Named aggregate columns for one definition over a unit table."""
    if d.kind == "share":
        den = d.den(t).cast("int64").fill_null(0)
        num = d.num(t).cast("int64").fill_null(0)
        num = ibis.ifelse(den > 0, num, 0)
        w = d.weight(t).cast("float64").fill_null(0.0) if d.weight else None
        out = {f"{ind_id}__num": num.sum(), f"{ind_id}__den": den.sum()}
        if w is not None:
            out[f"{ind_id}__wnum"] = (w * ibis.ifelse(num > 0, 1.0, 0.0)).sum()
            out[f"{ind_id}__wden"] = (w * ibis.ifelse(den > 0, 1.0, 0.0)).sum()
        return out
    if d.kind in ("mean", "median"):
        # a median is aggregated separately (_medians): its state keeps every value in memory
        x = d.x(t).cast("float64")
        return {f"{ind_id}__n": x.count(), f"{ind_id}__mean": x.mean(), f"{ind_id}__std": x.std()}
    if d.kind == "nps":
        den = d.den(t).fill_null(False)
        x = d.x(t)
        return {
            f"{ind_id}__n": den.cast("int64").sum(),
            f"{ind_id}__prom": ibis.ifelse(den & (x >= 9), 1, 0).sum(),
            f"{ind_id}__det": ibis.ifelse(den & (x <= 6), 1, 0).sum(),
        }
    raise ValueError(f"unknown definition kind {d.kind!r}")


def _medians(t: ir.Table, specs: list[IndicatorSpec], execute) -> pd.DataFrame:
    """`ID__median` columns per group, one subject kind at a time.

    A median's aggregate state holds every value of its group in memory and cannot be spilled
    (DuckDB keeps quantile states in arena memory outside what it can evict; the same holds for
    Spark's exact percentile). In the one GROUP BY over all subject kinds and slices, every unit
    row appears about ten times (five subject kinds × its slice and "all"), which at 50 M cases
    exceeded a 4 GB limit. One query per subject kind holds each value twice at most."""
    parts = []
    for kind, key in SUBJECT_KEYS + (("industry", None),):
        sub = t.filter(t[key].notnull()) if key else t
        sub = sub.mutate(subject_id=sub[key] if key else ibis.literal(INDUSTRY), subject_kind=ibis.literal(kind))
        cols = {sp.id: DEFINITIONS[sp.definition].x(sub).cast("float64") for sp in specs}
        sub = sub.select(*GROUP, **cols)
        sub = sub.union(sub.mutate(slice=ibis.literal("all")))
        parts.append(execute(sub.group_by(GROUP).aggregate(
            **{f"{sp.id}__median": sub[sp.id].median() for sp in specs})))
    return pd.concat(parts, ignore_index=True)


def _value_n_se(ind_id: str, d: Definition, row: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    g = lambda k: row[f"{ind_id}__{k}"].astype("float64")  # noqa: E731
    if d.kind == "share":
        n = g("den")
        if d.weight is not None:
            wd = g("wden")
            value = g("wnum") / wd.where(wd > 0)
        else:
            value = g("num") / n.where(n > 0)
        se = np.sqrt(value * (1 - value) / n.where(n > 0))
        return value, n, se
    if d.kind in ("mean", "median"):
        n = g("n")
        value = g("mean") if d.kind == "mean" else g("median")
        se = g("std") / np.sqrt(n.where(n > 0))
        if d.kind == "median":
            se = se * math.sqrt(math.pi / 2)  # asymptotic SE of a median under normality
        return value.where(n > 0), n, se
    n = g("n")
    p, q = g("prom") / n.where(n > 0), g("det") / n.where(n > 0)
    value = (p - q) * 100
    se = 100 * np.sqrt((p + q - (p - q) ** 2) / n.where(n > 0))
    return value, n, se


def build_units(s: facts.Sources) -> dict[str, ir.Table]:
    cases = facts.case_units(s)
    return {
        "cases": cases,
        "rounds": facts.round_units(s, cases),
        "orders": facts.order_units(s),
        "surveys": facts.survey_units(s, cases),
        "messages": facts.message_units(s, cases),
    }


def indicator_table(
    s: facts.Sources,
    indicators: Iterable[IndicatorSpec],
    period: PeriodSpec,
    execute: Callable[[ir.Expr], pd.DataFrame],
    progress: Callable[[str], None] | None = None,
    materialize: bool = True,
) -> pd.DataFrame:
    specs = list(indicators)
    for sp in specs:
        if sp.definition not in DEFINITIONS:
            raise KeyError(f"indicator {sp.id}: no definition named {sp.definition!r} in lashi.indicators.definitions")
    # The period's case units are computed once and kept by the engine (DuckDB: a temporary
    # table; Spark: a cached DataFrame); the other units read them instead of rebuilding every
    # case's event summary, and each unit in the period is kept while its subjects are attached
    # (ten union branches would otherwise each recompute it on engines that inline CTEs).
    cached: list[ir.Table] = []

    def keep(t: ir.Table) -> ir.Table:
        if not materialize:
            return t
        c = t.cache()
        cached.append(c)
        return c

    try:
        return _indicator_table(s, specs, period, execute, progress, keep)
    except Exception as e:
        # DuckDB could not spill a kept table under its memory limit ("failed to pin block",
        # seen at 10 M cases, a quarter, 4 GB, 2 threads): the same result without keeping.
        if not materialize or "OutOfMemory" not in type(e).__name__:
            raise
        for c in cached:
            c.release()
        cached.clear()
        if progress:
            progress("out of memory with kept unit tables; computing again without / 内存不足，改为不缓存重算")
        return _indicator_table(s, specs, period, execute, progress, lambda t: t)
    finally:
        for c in cached:
            c.release()


def _indicator_table(s, specs, period, execute, progress, keep) -> pd.DataFrame:
    cases_p = keep(_in_period(facts.case_units(s, period.start, period.end, keep=keep), period))
    units = {
        "cases": cases_p,
        "rounds": facts.round_units(s, cases_p),
        "orders": facts.order_units(s),
        "surveys": facts.survey_units(s, cases_p),
        "messages": facts.message_units(s, cases_p),
    }
    by_unit: dict[str, list[IndicatorSpec]] = {}
    for sp in specs:
        by_unit.setdefault(DEFINITIONS[sp.definition].unit, []).append(sp)
    by_unit.setdefault("cases", [])

    frames = []
    case_counts = None
    for unit, unit_specs in by_unit.items():
        if progress:
            progress(unit)
        t = cases_p if unit == "cases" else keep(_in_period(units[unit], period))
        u = _attach_subjects(t, [c for c in t.columns if c not in GROUP])
        aggs: dict[str, ir.Value] = {}
        for sp in unit_specs:
            aggs.update(_aggregates(sp.id, DEFINITIONS[sp.definition], u))
        if unit == "cases":
            aggs["__cases"] = u.count()
        grouped = u.group_by(GROUP).aggregate(**aggs)
        df = execute(grouped)
        medians = [sp for sp in unit_specs if DEFINITIONS[sp.definition].kind == "median"]
        if medians:
            df = df.merge(_medians(t, medians, execute), on=GROUP, how="left")
        if unit == "cases":
            case_counts = df[GROUP + ["__cases"]].rename(columns={"__cases": "cases"})
        for sp in unit_specs:
            d = DEFINITIONS[sp.definition]
            value, n, se = _value_n_se(sp.id, d, df)
            frames.append(pd.DataFrame({**{k: df[k] for k in GROUP}, "indicator_id": sp.id,
                                        "value": value, "n": n.fillna(0).astype("int64"), "se": se}))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=GROUP + ["indicator_id"])
    # Every group with cases gets a row for every indicator: no denominator → missing, not absent.
    grid = case_counts[GROUP].merge(pd.DataFrame({"indicator_id": [sp.id for sp in specs]}), how="cross")
    out = grid.merge(out, on=GROUP + ["indicator_id"], how="outer")
    out["n"] = out["n"].fillna(0).astype("int64")
    out = out.merge(case_counts, on=GROUP, how="left")
    out["cases"] = out["cases"].fillna(0).astype("int64")
    out["value"] = out["value"].astype("float64")
    return out[GROUP[:4] + ["cases", "indicator_id", "value", "n", "se"]].sort_values(
        ["subject_kind", "subject_id", "period", "slice", "indicator_id"]).reset_index(drop=True)
