"""Scoring with bootstrap intervals for many subjects: seconds for 10,000 subjects with B = 200
replicates, beside the same scoring without intervals (B = 0) in the same process.

    .venv/bin/python benchmarks/bench_intervals.py [--subjects 10000] [--replicates 200]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "scoring")]

from lashi.scoring import evaluate  # noqa: E402
from synth import make_values  # noqa: E402  (the test suite's synthetic indicator values)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=10000)
    ap.add_argument("--replicates", type=int, default=200)
    a = ap.parse_args()
    v, s = make_values(a.subjects, seed=1)
    times = {}
    for b in (0, a.replicates):
        t0 = time.perf_counter()
        evaluate(v, s, B=b)
        times[b] = time.perf_counter() - t0
    base, full = times[0], times[a.replicates]
    print(f"{a.subjects:,} subjects: scoring without intervals {base:.2f} s; "
          f"with {a.replicates} bootstrap replicates {full:.2f} s ({full / base:.1f}× the scoring alone)")


if __name__ == "__main__":
    main()
