"""End-to-end jobs over a workspace: store → indicators → scoring → result files.

The faces (command line, API, report) call these; they hold no rules of their own.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lashi.indicators.engine import IndicatorSpec, PeriodSpec
from lashi.indicators.periods import Period, parse_period
from lashi.indicators.run import compute, subjects_frame
from lashi.scoring.config import Catalogue, load_catalogue
from lashi.scoring.evaluation import Evaluation, evaluate
from lashi.scoring.weights import resolve_weights
from lashi.store import Workspace


@dataclass
class EvaluationRun:
    period: Period
    context: str
    evaluation: Evaluation
    values: pd.DataFrame
    subjects: pd.DataFrame


def _longer_window(p: Period) -> PeriodSpec:
    """The subject's own longer window that backs up a missing value: the three months ending
    with the period (for a month), else the period itself."""
    from lashi.indicators.periods import _add_months

    start = _add_months(p.start, -2) if p.grain == "month" else p.start
    return PeriodSpec(start, p.end, p.label)


def run_evaluation(ws: Workspace, period: str, *, context: str = "auto", catalogue: Catalogue | None = None,
                   B: int | None = None, progress: Callable[[str], None] | None = None,
                   memory_limit: str | None = None, source=None) -> EvaluationRun:
    """Evaluate every subject for a period.

    source: None reads the workspace store (embedded DuckDB); or an object with
    `compute(specs, period_spec, progress=)` and `subjects()`, e.g.
    lashi.indicators.scale.ParquetSource (DuckDB or Spark over Parquet); ws may then be None.

    context: `auto` — slices by context, each with its own weights (spec §4.7); `none` — base
    weights for the whole period; a context id (e.g. `promotion`) — that context's weights for
    the whole period.
    """
    p = parse_period(period)
    cat = catalogue or load_catalogue()
    specs = [IndicatorSpec(i.id, i.definition) for i in cat.indicators]
    say = progress or (lambda _m: None)
    say("indicators / 计算指标")
    if source is not None:
        _compute = lambda sp, ps, progress=None, memory_limit=None: source.compute(sp, ps, progress=progress)  # noqa: E731
        _subjects = source.subjects
    else:
        _compute = lambda sp, ps, progress=None, memory_limit=None: compute(  # noqa: E731
            ws, sp, ps, progress=progress, memory_limit=memory_limit)
        _subjects = lambda: subjects_frame(ws)  # noqa: E731
    values = _compute(specs, PeriodSpec.of(p), progress=lambda u: say(f"indicators: {u}"),
                      memory_limit=memory_limit)
    if values.empty:
        raise ValueError(f"no cases in period {p.label} / 该期间没有工单")
    say("longer window / 长窗口")
    longer = _compute(specs, _longer_window(p), memory_limit=memory_limit)
    longer = longer[longer["slice"] == "all"]
    subjects = _subjects()
    kw = {} if B is None else {"B": B}
    say("scoring / 评分")
    if context == "auto":
        ev = evaluate(values, subjects, longer_window=longer, catalogue=cat, contexts="slices", **kw)
    elif context == "none":
        ev = evaluate(values, subjects, longer_window=longer, catalogue=cat, contexts="base", **kw)
    else:
        known = set(cat.contexts)
        wanted = [c.strip() for c in context.split("+")]
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ValueError(f"unknown context(s) {', '.join(unknown)}; known: auto, none, {', '.join(sorted(known))}")
        forced = cat.with_weights(resolve_weights(cat, wanted))
        ev = evaluate(values, subjects, longer_window=longer, catalogue=forced, contexts="base", **kw)
    return EvaluationRun(p, context, ev, values, subjects)


def ranking(run: EvaluationRun, kind: str | None = None) -> pd.DataFrame:
    idx = run.evaluation.index.copy()
    names = run.subjects.set_index("subject_id")["name"].to_dict()
    idx["name"] = idx["subject_id"].map(names).fillna(idx["subject_id"].replace({"INDUSTRY": "行业整体 industry"}))
    if kind:
        idx = idx[idx["subject_kind"] == kind]
    return idx.sort_values(["subject_kind", "index"], ascending=[True, False])


def write_outputs(run: EvaluationRun, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    frames = run.evaluation.to_frames()
    frames["indicator_values"] = run.values
    for name, df in frames.items():
        df = df.copy()
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v)
        pq = out / f"{name}.parquet"
        df.to_parquet(pq, index=False)
        df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
        written += [pq, out / f"{name}.csv"]
    summary = {
        "period": run.period.label, "context": run.context,
        "index": json.loads(run.evaluation.index.to_json(orient="records", force_ascii=False)),
    }
    (out / "result.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    written.append(out / "result.json")
    return written


def enrich_tones(ws: Workspace, progress: Callable[[str], None] | None = None) -> int:
    """Judge the tone of every agent/AI message not yet judged, with the shipped tone model
    (feeds M1). Distinct texts are classified once. Returns the number of messages updated."""
    from lashi.cases.triage import reply_tone_batch

    con = ws.connect()
    try:
        texts = [r[0] for r in con.execute(
            "SELECT DISTINCT text FROM messages WHERE sender IN ('agent', 'ai') AND tone IS NULL").fetchall()]
        if not texts:
            return 0
        if progress:
            progress(f"tone model: {len(texts)} distinct texts / 语气模型")
        tones = reply_tone_batch(texts)
        mapping = pd.DataFrame({"text": texts, "tone_new": tones})
        con.register("tone_map", mapping)
        con.execute("BEGIN TRANSACTION")
        n = con.execute("SELECT count(*) FROM messages m JOIN tone_map t ON m.text = t.text "
                        "WHERE m.sender IN ('agent','ai') AND m.tone IS NULL").fetchone()[0]
        con.execute("UPDATE messages SET tone = t.tone_new FROM tone_map t "
                    "WHERE messages.text = t.text AND messages.sender IN ('agent','ai') AND messages.tone IS NULL")
        con.execute("COMMIT")
        return int(n)
    finally:
        con.close()
