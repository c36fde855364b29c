"""Same seed → same data; the generator streams (memory does not grow with the number of chunks)."""
from __future__ import annotations

import tracemalloc

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from lashi.sample import generate

TABLES = ("subjects", "products", "live_sessions", "recording_segments", "claims", "orders", "cases",
          "case_events", "messages", "surveys", "self_reports", "mystery_shops", "perceptions",
          "panel_ratings", "blinding", "behaviour", "calendar")


def test_same_seed_same_data(tmp_path):
    a = generate(tmp_path / "a", cases=3000, months=3, seed=5, progress=False, chunk_size=1000)
    b = generate(tmp_path / "b", cases=3000, months=3, seed=5, progress=False, chunk_size=1000)
    c = generate(tmp_path / "c", cases=3000, months=3, seed=6, progress=False, chunk_size=1000)
    assert a["counts"] == b["counts"]
    for t in TABLES:
        ta = pq.read_table(tmp_path / "a" / f"{t}.parquet")
        assert ta.equals(pq.read_table(tmp_path / "b" / f"{t}.parquet")), t
    for t in ("subjects_truth", "cases_truth"):
        assert pq.read_table(tmp_path / "a" / "_truth" / f"{t}.parquet").to_pandas().equals(
            pq.read_table(tmp_path / "b" / "_truth" / f"{t}.parquet").to_pandas()), t
    assert not pq.read_table(tmp_path / "a" / "case_events.parquet").equals(
        pq.read_table(tmp_path / "c" / "case_events.parquet"))
    assert (tmp_path / "a" / "manifest.json").exists()


def test_chunks_become_row_groups(tmp_path):
    generate(tmp_path, cases=2500, months=2, seed=1, progress=False, chunk_size=1000)
    assert pq.ParquetFile(tmp_path / "cases.parquet").num_row_groups == 3


def _peak(tmp_path, n_chunks: int, chunk: int = 4000) -> int:
    pool = pa.default_memory_pool()
    tracemalloc.start()
    generate(tmp_path / f"m{n_chunks}", cases=n_chunks * chunk, months=6, seed=2, progress=False, chunk_size=chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak + pool.max_memory()


def test_memory_bounded_by_chunk_not_total(tmp_path):
    """Peak (Python allocations traced by tracemalloc, numpy included) for 8 chunks stays close to
    that for 2 chunks: the generator holds one chunk at a time."""
    p2 = _peak(tmp_path, 2)
    p8 = _peak(tmp_path, 8)
    assert p8 < 1.6 * p2, f"peak with 8 chunks {p8 / 2**20:.1f} MiB vs 2 chunks {p2 / 2**20:.1f} MiB"


def test_cli(tmp_path):
    from lashi.cli import main

    r = CliRunner().invoke(main, ["sample", "--cases", "600", "--months", "2", "--seed", "4", "--quiet",
                                  "--format", "csv", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "case_events.csv").exists() and (tmp_path / "out" / "_truth" / "subjects_truth.parquet").exists()
    r = CliRunner().invoke(main, ["sample", "--cases", "0", str(tmp_path / "bad")])
    assert r.exit_code != 0


@pytest.mark.slow
def test_large_run_memory(tmp_path):
    """400k cases in 100k chunks: peak traced memory stays well under 2 GiB."""
    tracemalloc.start()
    m = generate(tmp_path, cases=400_000, months=12, seed=9, progress=False, chunk_size=100_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert m["counts"]["cases"] == 400_000
    assert peak < 2 * 2**30
