"""Benchmark: evaluation at scale over Parquet — LASHI (DuckDB) against the plain-pandas baseline,
the DuckDB floor and Spark local[2]; memory under LASHI_MEMORY_LIMIT.

    .venv/bin/python benchmarks/bench_scale.py run --data DIR [--spark] [--pandas] [--quarter]
    .venv/bin/python benchmarks/bench_scale.py replicate --src DIR10M --out DIR50M --times 5
    .venv/bin/python benchmarks/bench_scale.py report [--write]

`run` measures one data directory (a `lashi sample` output) and appends one JSON line per phase
to WORKDIR/results.jsonl; `report` prints the Markdown tables (ratios from the same run of each
size) and with --write adds them to docs/benchmarks.md.

Phases (each in a fresh process; peak memory = the largest summed RSS of the process and all its
children, polled every 0.2 s, so Spark's JVM counts too):
- `lashi evaluate`: all 28 indicators for every subject kind and context slice, both passes
  (the period and the 3-month window that backs up missing values), scoring with 200 bootstrap
  replicates — over DuckDB views of the Parquet files (the same Ibis definitions as the store;
  no load step), for the busiest month and its quarter;
- `indicators`: one pass of the 28 indicators for the month (what the floor and Spark compare to);
- `floor`: one DuckDB scan of every Parquet table the indicators read, grouped counts and sums
  only (cases by order, events/messages/surveys by case, orders by session) — the least any
  evaluation must pay;
- `pandas`: all 28 indicators per subject (industry, platform, streamer, brand, MCN; the slice
  "all") for the month, written as an analyst would with pyarrow reads and pandas merge/groupby
  (benchmarks/pandas_baseline.py; tests/benchmarks/test_pandas_baseline.py checks it gives
  LASHI's numbers), beside `subset`: LASHI computing the same 28 in one pass, measured right
  before it (LASHI also computes the four context slices, which pandas does not); pandas is
  stopped (reported as "did not fit") above --pandas-cap GiB;
- `spark`: the same evaluation on Spark local[2] (driver memory 4g).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKDIR = Path(os.environ.get("LASHI_SCALE_WORKDIR", Path(__file__).resolve().parents[1] / "bench-work" / "scale"))


# --- measuring ---------------------------------------------------------------------------------

def _tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of pid and its descendants, from /proc."""
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        todo += kids.get(p, [])
    return total


def _child(fn, args, env, q):
    os.environ.update(env)
    t0 = time.perf_counter()
    try:
        out = fn(*args)
        err = None
    except Exception as e:  # reported, not raised: the benchmark goes on
        out, err = None, f"{type(e).__name__}: {e}"[:300]
    q.put((time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, out, err))


def measured(fn, *args, env: dict | None = None, cap_gib: float | None = None) -> dict:
    """Run fn(*args) in a fresh process; seconds, peak tree MiB, result (or why it stopped)."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn, args, env or {}, q))
    t0 = time.perf_counter()
    p.start()
    peak, killed = 0, False
    while p.is_alive():
        rss = _tree_rss(p.pid)
        peak = max(peak, rss)
        if cap_gib and rss > cap_gib * 2**30:
            for_kill = p.pid
            os.kill(for_kill, 9)
            killed = True
            break
        if not q.empty():
            break
        time.sleep(0.2)
    if killed:
        p.join()
        return {"seconds": time.perf_counter() - t0, "peak_mib": peak / 2**20, "result": None,
                "error": f"did not fit: stopped above {cap_gib:g} GiB"}
    secs, maxrss, out, err = q.get()
    p.join()
    return {"seconds": secs, "peak_mib": max(peak / 2**20, maxrss), "result": out, "error": err}


# --- phases (run in the child) -----------------------------------------------------------------

def _specs(only=None):
    from lashi.indicators.engine import IndicatorSpec
    from lashi.scoring.config import load_catalogue

    return [IndicatorSpec(i.id, i.definition) for i in load_catalogue().indicators if not only or i.id in only]


def phase_evaluate(data: str, period: str, engine: str) -> dict:
    from lashi.indicators.scale import ParquetSource, SparkSettings
    from lashi.workflow import run_evaluation

    src = ParquetSource(Path(data), engine, spark=SparkSettings(driver_memory="4g", shuffle_partitions=16))
    try:
        run = run_evaluation(None, period, source=src)
    finally:
        src.close()
    idx = run.evaluation.index
    return {"subjects": len(idx), "period_cases": int(idx.loc[idx.subject_kind == "industry", "cases"].max())}


def phase_indicators(data: str, period: str, engine: str, only=None) -> int:
    from lashi.indicators.engine import PeriodSpec
    from lashi.indicators.periods import parse_period
    from lashi.indicators.scale import ParquetSource, SparkSettings

    src = ParquetSource(Path(data), engine, spark=SparkSettings(driver_memory="4g", shuffle_partitions=16))
    try:
        return len(src.compute(_specs(only), PeriodSpec.of(parse_period(period))))
    finally:
        src.close()


def phase_floor(data: str) -> int:
    """One scan of each table the indicators read: grouped counts and sums only."""
    import duckdb

    from lashi.indicators.scale import parquet_files

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{os.environ.get('LASHI_MEMORY_LIMIT', '4GB')}'")
    con.execute(f"SET temp_directory = '{Path(data) / '.tmp'}'")
    src = lambda t: "read_parquet([" + ", ".join(f"'{f}'" for f in parquet_files(Path(data), t)) + "])"  # noqa: E731
    q = {
        "cases": f"SELECT order_id, count(*), sum(promised_response_hours) FROM {src('cases')} GROUP BY order_id",
        "case_events": f"SELECT case_id, count(*), sum(amount) FROM {src('case_events')} GROUP BY case_id",
        "messages": f"SELECT case_id, count(*), sum(length(tone)) FROM {src('messages')} GROUP BY case_id",
        "surveys": f"SELECT case_id, count(*), sum(score) FROM {src('surveys')} GROUP BY case_id",
        "orders": f"SELECT session_id, count(*), sum(amount) FROM {src('orders')} GROUP BY session_id",
    }
    n = 0
    for sql in q.values():
        n += con.execute(f"SELECT count(*), sum(\"count_star()\") FROM ({sql})").fetchone()[1] or 0
    con.close()
    return int(n)


def phase_pandas(data: str, period: str) -> int:
    """All 28 indicators per subject (every kind, slice 'all') as an analyst would write them
    with pandas (benchmarks/pandas_baseline.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pandas_baseline

    return len(pandas_baseline.compute(Path(data), period))


# --- replicate: a larger sample from a generated one -------------------------------------------

ID_COLS = {
    "cases": ["case_id", "order_id", "consumer_id"],
    "case_events": ["event_id", "case_id"],
    "orders": ["order_id", "session_id", "consumer_id"],
    "live_sessions": ["session_id"],
    "messages": ["message_id", "case_id"],
    "surveys": ["survey_id", "case_id", "consumer_id"],
}
# Free text the evaluation never reads is left out of the copies (writing it is most of the cost).
DROP_COLS = {"case_events": ["actor", "payer", "detail"], "messages": ["text"], "live_sessions": ["evidence_ref"]}
SMALL_TABLES = ("subjects", "products", "calendar")


def replicate(src: Path, out: Path, times: int) -> None:
    """OUT holds SRC's tables the evaluation reads, the case-side ones copied `times` times with
    ids suffixed ~k (the same subjects, products and calendar; k-fold cases per subject and
    month; free-text columns left out)."""
    import shutil

    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET memory_limit = '4GB'")
    con.execute(f"SET temp_directory = '{out / '.tmp'}'")
    con.execute("SET preserve_insertion_order = false")
    for f in sorted(src.glob("*.parquet")):
        t = f.stem
        if t in SMALL_TABLES:
            shutil.copy(f, out / f.name)
        if t not in ID_COLS:
            continue
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{f}')").fetchall()
                if r[0] not in DROP_COLS.get(t, [])]
        for k in range(times):
            sel = ", ".join(f'"{c}" || \'~{k}\' AS "{c}"' if c in ID_COLS[t] and k else f'"{c}"' for c in cols)
            con.execute(f"COPY (SELECT {sel} FROM read_parquet('{f}')) TO '{out / f'{t}-{k + 1:04d}.parquet'}' "
                        "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000000)")
            print(f"{t} copy {k + 1}/{times}", flush=True)
    man = json.loads((src / "manifest.json").read_text())
    man["cases"] = man["cases"] * times
    man["replicated_from"] = {"dir": str(src), "times": times}
    (out / "manifest.json").write_text(json.dumps(man, indent=1))
    con.close()


# --- run / report --------------------------------------------------------------------------------

def busiest_month(data: Path) -> tuple[str, int]:
    import duckdb

    from lashi.indicators.scale import parquet_files

    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    files = ", ".join(f"'{f}'" for f in parquet_files(data, "cases"))
    m, n = con.execute(f"SELECT strftime(created_at, '%Y-%m') m, count(*) n FROM read_parquet([{files}]) "
                       "GROUP BY m ORDER BY n DESC LIMIT 1").fetchone()
    total = con.execute(f"SELECT count(*) FROM read_parquet([{files}])").fetchone()[0]
    con.close()
    return m, n, total


def run(a) -> None:
    data = Path(a.data).resolve()
    month, in_month, total = busiest_month(data)
    y, m = map(int, month.split("-"))
    quarter = f"{y}-Q{(m - 1) // 3 + 1}"
    env = {"LASHI_MEMORY_LIMIT": a.memory_limit}
    res_file = WORKDIR / "results.jsonl"

    phases = set(a.phases.split(",")) if a.phases else None

    def rec(phase, label, r, **kw):
        if a.tag:
            phase, label = f"{phase}@{a.tag}", f"{label}, {a.tag}"
        row = {"cases": total, "phase": phase, "label": label, "loadavg": os.getloadavg()[0], "month": month,
               "month_cases": in_month, "memory_limit": a.memory_limit, "at": time.strftime("%Y-%m-%d %H:%M"), **r, **kw}
        row.pop("result", None)
        with open(res_file, "a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)

    if not phases or "floor" in phases:
        rec("floor", "DuckDB floor: one scan, grouped counts/sums", measured(phase_floor, str(data), env=env))
    if not phases or "indicators" in phases:
        rec("indicators", f"LASHI 28 indicators, one pass, {month}",
            measured(phase_indicators, str(data), month, "duckdb", env=env))
    if not phases or "evaluate" in phases:
        rec("evaluate", f"LASHI evaluate (28 indicators + index), {month}",
            measured(phase_evaluate, str(data), month, "duckdb", env=env))
    if a.quarter:
        rec("evaluate_q", f"LASHI evaluate (28 indicators + index), {quarter}",
            measured(phase_evaluate, str(data), quarter, "duckdb", env=env))
    if a.pandas:
        rec("subset", f"LASHI, the same 28 indicators, one pass, {month}",
            measured(phase_indicators, str(data), month, "duckdb", env=env))
        rec("pandas", f"plain pandas, 28 indicators, {month}",
            measured(phase_pandas, str(data), month, env=env, cap_gib=a.pandas_cap))
    if a.spark:
        rec("spark_indicators", f"Spark local[2], 28 indicators, one pass, {month}",
            measured(phase_indicators, str(data), month, "spark", env=env))
        if a.spark_evaluate:
            rec("spark_evaluate", f"Spark local[2] evaluate (28 indicators + index), {month}",
                measured(phase_evaluate, str(data), month, "spark", env=env))


def report(a) -> str:
    rows = [json.loads(x) for x in (WORKDIR / "results.jsonl").read_text().splitlines() if x.strip()]
    last: dict[tuple, dict] = {}
    for r in rows:
        last[(r["cases"], r["phase"])] = r
    sizes = sorted({k[0] for k in last})
    out = ["| cases | phase | seconds | peak MiB | cases/s | ratio |", "| ---: | --- | ---: | ---: | ---: | --- |"]
    for n in sizes:
        g = {ph: r for (m, ph), r in last.items() if m == n}
        fl = g.get("floor", {}).get("seconds")
        ind = g.get("indicators", {}).get("seconds")
        order = ["floor", "indicators", "evaluate", "evaluate_q", "subset", "pandas", "spark_indicators",
                 "spark_evaluate"]
        for ph in order + sorted(set(g) - set(order)):
            if ph not in g:
                continue
            r = g[ph]
            ratio = ""
            if r.get("error"):
                err = r["error"].splitlines()[0][:110].replace("|", "/")
                out.append(f"| {n:,} | {r['label']} | — | {r['peak_mib']:,.0f} | — | failed: {err} |")
                continue
            s = r["seconds"]
            if ph in ("indicators", "evaluate", "evaluate_q") and fl:
                ratio = f"{s / fl:.1f}× floor"
            if ph == "pandas" and "subset" in g and not r.get("error"):
                ratio = f"LASHI/pandas {g['subset']['seconds'] / s:.2f}"
            if ph == "spark_indicators" and ind:
                ratio = f"Spark/DuckDB {s / ind:.2f}"
            if ph == "spark_evaluate" and "evaluate" in g:
                ratio = f"Spark/DuckDB {s / g['evaluate']['seconds']:.2f}"
            out.append(f"| {n:,} | {r['label']} | {s:,.1f} | {r['peak_mib']:,.0f} | {n / s:,.0f} | {ratio} |")
    text = "\n".join(out)
    print(text)
    return text


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--data", required=True)
    r.add_argument("--memory-limit", default=os.environ.get("LASHI_MEMORY_LIMIT", "4GB"))
    r.add_argument("--quarter", action="store_true")
    r.add_argument("--pandas", action="store_true")
    r.add_argument("--pandas-cap", type=float, default=12.0)
    r.add_argument("--spark", action="store_true")
    r.add_argument("--spark-evaluate", action="store_true")
    r.add_argument("--phases", default=None, help="comma list: floor,indicators,evaluate (default all)")
    r.add_argument("--tag", default=None, help="suffix for the phase names, e.g. 'limit 1GB'")
    rp = sub.add_parser("replicate")
    rp.add_argument("--src", required=True)
    rp.add_argument("--out", required=True)
    rp.add_argument("--times", type=int, default=5)
    rr = sub.add_parser("report")
    rr.add_argument("--write", action="store_true")
    a = ap.parse_args()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    if a.cmd == "run":
        run(a)
    elif a.cmd == "replicate":
        replicate(Path(a.src), Path(a.out), a.times)
    else:
        text = report(a)
        if a.write:
            with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
                f.write(f"\n### Scale benchmark ({time.strftime('%Y-%m-%d')})\n\n{text}\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
