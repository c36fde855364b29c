"""Benchmark of the evidence log (lashi.evidence) on the default DuckDB storage.

Prints: batch append throughput (entries/s), inclusion and consistency proof generation time at
1k and at N entries (default 1M) and their ratio (O(log n) => roughly log2(N)/log2(1k), not
N/1k), bundle verification time, full audit time, and memory (Python peak during a batch,
process max RSS).

    .venv/bin/python benchmarks/bench_evidence.py [--entries 1000000] [--batch 10000] [--no-audit]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb

from lashi.evidence import (
    EvidenceLog, EvidencePaths, NewEntry, audit, generate_keys, make_bundle, publish_head, read_heads,
    verify_bundle, verify_consistency, verify_inclusion,
)
from lashi.evidence.storage import storage_for

TEXTS = ["含95%玻尿酸，敏感肌可用", "七天无理由退换，过敏包退", "无添加酒精和香精", "买二送一，限时直播价"]


def entries(start: int, n: int):
    for i in range(start, start + n):
        text = TEXTS[i % len(TEXTS)]
        yield NewEntry("claim", {"session_id": f"L-{i // 200:06d}", "product_id": f"P-{i % 997:04d}",
                                 "claim_id": f"CL-{i:09d}", "streamer_id": f"S-ST{i % 311:04d}"},
                       hashlib.sha256(f"{text}{i}".encode()).hexdigest(), f"claim/CL-{i:09d}",
                       {"text": text, "offset_seconds": i % 10800})


def fill(log: EvidenceLog, total: int, batch: int, label: str) -> float:
    t0 = time.perf_counter()
    done = log.size
    while done < total:
        n = min(batch, total - done)
        log.append(entries(done, n))
        done += n
        if done % (batch * 20) == 0:
            el = time.perf_counter() - t0
            print(f"  {label}: {done:>9,} entries, {done / el:,.0f}/s", file=sys.stderr, flush=True)
    return time.perf_counter() - t0


def time_proofs(log: EvidenceLog, samples: int, rng: random.Random) -> tuple[float, float, int, int]:
    n = log.size
    root = log.root()
    idx = [rng.randrange(n) for _ in range(samples)]
    t0 = time.perf_counter()
    proofs = [log.inclusion_proof(i) for i in idx]
    t_inc = (time.perf_counter() - t0) / samples
    for i, p in zip(idx[:20], proofs):
        verify_inclusion(i, n, log.entry(i).leaf_hash, p, root)
    olds = [rng.randrange(1, n) for _ in range(samples)]
    t0 = time.perf_counter()
    cproofs = [log.consistency_proof(m) for m in olds]
    t_con = (time.perf_counter() - t0) / samples
    for m, p in zip(olds[:20], cproofs):
        verify_consistency(m, n, log.root_at(m), root, p)
    return t_inc, t_con, max(len(p) for p in proofs), max(len(p) for p in cproofs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--no-audit", action="store_true")
    a = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        small_paths = EvidencePaths(Path(tmp) / "small")
        big_paths = EvidencePaths(Path(tmp) / "big")
        for p in (small_paths, big_paths):
            generate_keys(p.dir)

        small_con = duckdb.connect(str(small_paths.db))
        small = EvidenceLog.open(small_con)
        fill(small, 1_000, 1_000, "1k")

        big_con = duckdb.connect(str(big_paths.db))
        big = EvidenceLog.open(big_con)
        # one measured batch for Python heap peak
        tracemalloc.start()
        big.append(entries(0, a.batch))
        _, batch_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        t_fill = fill(big, a.entries, a.batch, f"{a.entries:,}")
        rate = (a.entries - a.batch) / t_fill
        db_mb = big_paths.db.stat().st_size / 1e6 if big_paths.db.exists() else float("nan")

        si, sc, sil, scl = time_proofs(small, a.samples, rng)
        bi, bc, bil, bcl = time_proofs(big, a.samples, rng)

        # reopen cost (restart): reading the right edge and checking the tail
        big_con.close()
        t0 = time.perf_counter()
        big_con = duckdb.connect(str(big_paths.db))
        big = EvidenceLog.open(big_con)
        t_open = time.perf_counter() - t0

        head = publish_head(big, big_paths)
        pub = big_paths.load_public()
        bundle = make_bundle(big, big.entry(a.entries // 3), head, pub)
        t0 = time.perf_counter()
        reps = 200
        for _ in range(reps):
            assert verify_bundle(bundle, pub).ok
        t_verify = (time.perf_counter() - t0) / reps

        t_audit = None
        if not a.no_audit:
            t0 = time.perf_counter()
            rep = audit(storage_for(big_con), read_heads(big_paths.heads), pub)
            t_audit = time.perf_counter() - t0
            assert rep.ok, rep.problems
        big_con.close()
        small_con.close()

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"entries: {a.entries:,} in batches of {a.batch:,} (DuckDB file, {db_mb:,.0f} MB)")
    print(f"append throughput: {rate:,.0f} entries/s (batch append incl. hashing, envelopes, nodes, commit)")
    print(f"inclusion proof:   1k: {si * 1e3:.2f} ms ({sil} hashes)   {a.entries:,}: {bi * 1e3:.2f} ms ({bil} hashes)"
          f"   ratio {bi / si:.2f}x for {a.entries / 1000:,.0f}x more entries")
    print(f"consistency proof: 1k: {sc * 1e3:.2f} ms ({scl} hashes)   {a.entries:,}: {bc * 1e3:.2f} ms ({bcl} hashes)"
          f"   ratio {bc / sc:.2f}x")
    print(f"reopen (restart) of the {a.entries:,}-entry log: {t_open * 1e3:.0f} ms")
    print(f"bundle verification (offline): {t_verify * 1e3:.2f} ms")
    if t_audit is not None:
        print(f"full audit (re-hash {a.entries:,} entries + all nodes): {t_audit:.1f} s "
              f"({a.entries / t_audit:,.0f} entries/s)")
    print(f"memory: Python heap peak during one {a.batch:,}-entry batch {batch_peak / 1e6:.1f} MB; "
          f"process max RSS {rss_mb:,.0f} MB")


if __name__ == "__main__":
    main()
