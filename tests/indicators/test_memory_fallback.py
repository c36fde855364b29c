"""The engine's out-of-memory fallback: when DuckDB cannot spill a kept unit table (seen at 10 M
cases, a quarter, a 4 GB limit), `indicator_table` computes again without keeping the unit tables —
and the result must be exactly what the not-keeping path gives. Other errors must not be swallowed.

The out-of-memory error is injected at the executor (DuckDB raises `duckdb.OutOfMemoryException`;
a class of that name is raised here) because a real one needs ~10 M cases; everything else runs on
the real store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from lashi.indicators.engine import IndicatorSpec, PeriodSpec, indicator_table
from lashi.indicators.periods import parse_period
from lashi.indicators.run import duckdb_sources
from lashi.store import load_directory, open_workspace
from tests.indicators.world import World


class OutOfMemoryException(Exception):
    """Same class name as duckdb's, which is what the engine recognises."""


def _setup(tmp_path):
    w = World()
    w.window("promotion", "2025-11-05", "2025-11-06", "双十一")
    w.case("2025-11-03 09:00", [(2, "human_reply", "platform")])
    w.case("2025-11-04 09:00", [(30, "human_reply", "platform")], promise=48)
    w.case("2025-11-06 09:00", [(1, "human_reply", "platform"), (48, "reopened", "consumer"),
                                (58, "human_reply", "platform")])
    ws = open_workspace(tmp_path / "ws")
    assert load_directory(ws, w.write(tmp_path / "data")).quarantined == 0
    cat = yaml.safe_load((Path(__file__).parents[2] / "src/lashi/indicators/catalogue.yaml").read_text())
    specs = [IndicatorSpec(i["id"], i["definition"]) for i in cat["indicators"]]
    return ws, specs, PeriodSpec.of(parse_period("2025-11"))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["subject_id", "slice", "indicator_id"]).reset_index(drop=True)


def test_out_of_memory_with_kept_tables_recomputes_without_keeping(tmp_path):
    ws, specs, period = _setup(tmp_path)
    s, execute, raw = duckdb_sources(ws)
    try:
        expected = indicator_table(s, specs, period, execute, materialize=False)
        calls = {"n": 0}

        def execute_failing_once(expr):
            calls["n"] += 1
            if calls["n"] == 1:
                raise OutOfMemoryException("failed to pin block of size 256.0 KiB (3.7 GiB/3.7 GiB used)")
            return execute(expr)

        said: list[str] = []
        got = indicator_table(s, specs, period, execute_failing_once, progress=said.append)
    finally:
        raw.close()
    assert any("out of memory" in m for m in said)
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected))
    # R1 on this world: rounds of 2, 30, 1 and 10 hours → 3 of 4 within 24 h
    r1 = got[(got.subject_id == "ST1") & (got.slice == "all") & (got.indicator_id == "R1")]
    assert r1["value"].iloc[0] == pytest.approx(0.75) and r1["n"].iloc[0] == 4


def test_other_errors_are_not_swallowed(tmp_path):
    ws, specs, period = _setup(tmp_path)
    s, execute, raw = duckdb_sources(ws)

    def broken(expr):
        raise RuntimeError("disk full")

    try:
        with pytest.raises(RuntimeError, match="disk full"):
            indicator_table(s, specs, period, broken)
    finally:
        raw.close()
