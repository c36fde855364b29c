"""Triage throughput on one core, batch mode: texts/second (target >= 2,000/s).

    .venv/bin/python benchmarks/bench_triage.py
"""
from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pandas as pd  # noqa: E402

from lashi.cases.triage import load_model, triage_batch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    texts = pd.concat([pd.read_csv(ROOT / "corpus/triage/real_reviewed.csv"),
                       pd.read_csv(ROOT / "corpus/triage/beauty_handwritten.csv")]).text.tolist()
    texts = (texts * (10000 // len(texts) + 1))[:10000]
    load_model()
    triage_batch(texts[:200])
    t0 = time.perf_counter()
    triage_batch(texts)
    dt = time.perf_counter() - t0
    print(f"triage_batch: {len(texts)} texts in {dt:.2f} s = {len(texts) / dt:,.0f} texts/s (one core)")


if __name__ == "__main__":
    main()
