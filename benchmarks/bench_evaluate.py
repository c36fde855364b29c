"""Benchmark: loading and evaluating N sample cases, against a plain-pandas baseline.

    .venv/bin/python benchmarks/bench_evaluate.py                 # 1 M cases
    .venv/bin/python benchmarks/bench_evaluate.py --cases 10000000

For each size: generate the sample (once, kept in --workdir), load it (rows/s), compute all 28
indicators for every subject kind for one month and one quarter and score them (cases/s), and,
in the same run, five indicators (E3, C4, C5, T3, R4) written the way an analyst would in plain
pandas, beside LASHI computing the same five: the ratio is printed. Every phase runs in its own
process so its peak memory (max RSS) is its own. Prints a Markdown table; --write appends it to
docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIVE = ("E3", "C4", "C5", "T3", "R4")


def _child(fn, args, q):
    t0 = time.perf_counter()
    out = fn(*args)
    q.put((time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, out))


def measured(fn, *args):
    """Run fn(*args) in a fresh process; return (seconds, peak MiB, result)."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn, args, q))
    p.start()
    res = q.get()
    p.join()
    return res


def phase_generate(data: str, cases: int, months: int) -> dict:
    from lashi.sample import generate

    return generate(Path(data), cases=cases, months=months, seed=11, progress=False)


def phase_load(data: str, ws: str) -> int:
    from lashi.store import load_directory, open_workspace

    rep = load_directory(open_workspace(ws), Path(data))
    return sum(f.rows_read for f in rep.files)


def _specs(only=None):
    from lashi.indicators.engine import IndicatorSpec
    from lashi.scoring.config import load_catalogue

    return [IndicatorSpec(i.id, i.definition) for i in load_catalogue().indicators if not only or i.id in only]


def phase_evaluate(ws: str, period: str) -> int:
    from lashi.store import open_workspace
    from lashi.workflow import run_evaluation

    run = run_evaluation(open_workspace(ws), period)
    return int(run.evaluation.index["cases"].max())


def phase_lashi_five(ws: str, period: str) -> int:
    from lashi.indicators.engine import PeriodSpec
    from lashi.indicators.periods import parse_period
    from lashi.indicators.run import compute
    from lashi.store import open_workspace

    df = compute(open_workspace(ws), _specs(FIVE), PeriodSpec.of(parse_period(period)))
    return len(df)


def phase_pandas_five(data: str, period: str) -> int:
    """Five indicators per subject (all kinds, slice 'all') as an analyst would write them."""
    import pandas as pd

    from lashi.indicators.periods import parse_period

    p = parse_period(period)
    d = Path(data)
    rd = lambda name, cols: pd.read_parquet(d / f"{name}.parquet", columns=cols)  # noqa: E731
    cases = rd("cases", ["case_id", "order_id", "created_at"])
    cases["created_at"] = pd.to_datetime(cases["created_at"], utc=True).dt.tz_convert("Asia/Shanghai")
    day = cases["created_at"].dt.date
    cases = cases[(day >= p.start) & (day < p.end)]
    orders = rd("orders", ["order_id", "session_id", "product_id"])
    sessions = rd("live_sessions", ["session_id", "streamer_id", "platform_id"])
    products = rd("products", ["product_id", "brand_id"])
    subjects = rd("subjects", ["subject_id", "kind", "mcn_id"])
    ev = rd("case_events", ["case_id", "at", "kind"])
    ev = ev[ev["case_id"].isin(cases["case_id"])]
    ev["at"] = pd.to_datetime(ev["at"], utc=True)
    per = ev.groupby("case_id").agg(
        transfers=("kind", lambda s: (s == "transfer").sum()),
        conflict=("kind", lambda s: (s == "rule_conflict").any()),
        qc=("kind", lambda s: (s == "qc_checked").any()))
    first = ev[ev["kind"] == "human_reply"].groupby("case_id")["at"].min().rename("first_reply")
    c = cases.merge(orders, on="order_id").merge(sessions, on="session_id").merge(products, on="product_id")
    c = c.merge(subjects[subjects.kind == "streamer"][["subject_id", "mcn_id"]].rename(
        columns={"subject_id": "streamer_id"}), on="streamer_id", how="left")
    c = c.join(per, on="case_id").join(first, on="case_id")
    c["reply_h"] = (c["first_reply"] - c["created_at"].dt.tz_convert("UTC")).dt.total_seconds() / 3600
    out = []
    for key in ("streamer_id", "platform_id", "brand_id", "mcn_id"):
        g = c.dropna(subset=[key]).groupby(key)
        out.append(pd.DataFrame({"E3": g["transfers"].mean(), "C4": g["transfers"].apply(lambda s: (s >= 3).mean()),
                                 "C5": g["conflict"].mean(), "T3": g["qc"].mean(), "R4": g["reply_h"].median()}))
    return sum(len(o) for o in out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, action="append")
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--workdir", type=Path, default=ROOT / "bench-work")
    ap.add_argument("--write", action="store_true", help="append the table to docs/benchmarks.md")
    ap.add_argument("--keep", action="store_true", help="keep generated data")
    a = ap.parse_args()
    sizes = a.cases or [1_000_000]
    rows = []
    for n in sizes:
        base = a.workdir / f"{n}"
        data, ws = base / "data", base / "ws"
        if not (data / "manifest.json").exists():
            t, mem, man = measured(phase_generate, str(data), n, a.months)
            rows.append((n, "generate sample", t, mem, f"{n / t:,.0f} cases/s"))
        if ws.exists():
            shutil.rmtree(ws)
        t, mem, nrows = measured(phase_load, str(data), str(ws))
        rows.append((n, f"load ({nrows:,} rows, all tables)", t, mem, f"{nrows / t:,.0f} rows/s"))
        from lashi.store import open_workspace

        con = open_workspace(ws).connect(read_only=True)
        month = con.execute("SELECT strftime(created_at, '%Y-%m') m FROM cases GROUP BY m ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        in_month = con.execute(f"SELECT count(*) FROM cases WHERE strftime(created_at, '%Y-%m') = '{month}'").fetchone()[0]
        con.close()
        y, m = map(int, month.split("-"))
        quarter = f"{y}-Q{(m - 1) // 3 + 1}"
        for label in (month, quarter):
            t, mem, _ = measured(phase_evaluate, str(ws), label)
            rows.append((n, f"evaluate 28 indicators + index, {label}", t, mem, f"{n / t:,.0f} cases/s (of all {n:,})"))
        t5, mem5, _ = measured(phase_lashi_five, str(ws), month)
        tp, memp, _ = measured(phase_pandas_five, str(data), month)
        rows.append((n, f"LASHI, 5 indicators, {month} ({in_month:,} cases)", t5, mem5, ""))
        rows.append((n, f"plain pandas, same 5 indicators, {month}", tp, memp, f"LASHI/pandas time ratio {t5 / tp:.2f}"))
        if not a.keep:
            shutil.rmtree(ws, ignore_errors=True)
    table = ["| cases | phase | seconds | peak MiB | throughput |", "| ---: | --- | ---: | ---: | --- |"]
    table += [f"| {n:,} | {ph} | {t:.1f} | {mem:,.0f} | {thr} |" for n, ph, t, mem, thr in rows]
    text = "\n".join(table)
    print(text)
    if a.write:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
            f.write(f"\n### Evaluation benchmark ({time.strftime('%Y-%m-%d')}, {mp.cpu_count()} cores)\n\n{text}\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
