"""Benchmark of the sample generator: rows per second (cases and case events) and peak memory.

    python benchmarks/bench_sample.py                      # 1M cases, 12 months
    python benchmarks/bench_sample.py --cases 10000000     # the 10M run (2 cores, 24 GiB)

Peak memory is the process's maximum resident set size (ru_maxrss), which includes Arrow's
buffers and the Parquet writers, not only Python objects.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lashi.sample import generate  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--chunk-size", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=None, help="keep the output here (default: a temp dir, removed)")
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="lashi-bench-sample-"))
    t0 = time.perf_counter()
    m = generate(out, cases=args.cases, months=args.months, seed=args.seed, progress=args.progress,
                 chunk_size=args.chunk_size)
    dt = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    c = m["counts"]
    result = {
        "cases": args.cases, "months": args.months, "chunk_size": args.chunk_size,
        "seconds": round(dt, 1),
        "cases_per_s": round(args.cases / dt),
        "events": c["case_events"], "events_per_s": round(c["case_events"] / dt),
        "messages": c["messages"], "orders": c["orders"],
        "all_rows": sum(c.values()), "rows_per_s": round(sum(c.values()) / dt),
        "peak_rss_mib": round(peak_mib), "output_mib": round(size / 2**20),
    }
    print(json.dumps(result, indent=2))
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
