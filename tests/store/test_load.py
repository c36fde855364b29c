"""Loading with contract checks: each broken row lands in quarantine with its reason, every valid
row is loaded, reloading changes nothing, and a failed or killed load leaves the store as it was."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lashi.store import load_directory, load_files, open_workspace
from tests.store import fixtures as F


def counts(ws) -> dict[str, int]:
    con = ws.connect(read_only=True)
    try:
        out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in F.TABLES}
        out["quarantine"] = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        return out
    finally:
        con.close()


def quarantined(ws) -> set[tuple[str, int, str]]:
    con = ws.connect(read_only=True)
    try:
        return set(con.execute("SELECT table_name, row_number, reason FROM quarantine").fetchall())
    finally:
        con.close()


def test_each_broken_row_is_quarantined_with_its_reason(tmp_path):
    data = F.write_csvs(tmp_path / "data")
    ws = open_workspace(tmp_path / "ws")
    report = load_directory(ws, data)
    assert quarantined(ws) == F.EXPECTED_QUARANTINE
    c = counts(ws)
    for t, n in F.EXPECTED_LOADED.items():
        assert c[t] == n, t
    # The identical duplicate (cases row 5) is skipped, not quarantined.
    cases = next(f for f in report.files if f.table == "cases")
    assert cases.duplicates_in_file == 1
    assert report.reasons()["unknown_reference"] == 1


def test_time_without_offset_is_read_as_beijing_time_and_reported(tmp_path):
    data = F.write_csvs(tmp_path / "data")
    ws = open_workspace(tmp_path / "ws")
    report = load_directory(ws, data)
    events = next(f for f in report.files if f.table == "case_events")
    assert any("mixes time zones" in w for w in events.warnings)
    con = ws.connect(read_only=True)
    utc = con.execute("SELECT CAST(timezone('UTC', \"at\") AS VARCHAR) FROM case_events WHERE event_id='E7'").fetchone()[0]
    assert utc.startswith("2025-11-14 04:00:00")  # 12:00 +08:00 = 04:00 UTC


def test_loading_twice_changes_nothing(tmp_path):
    data = F.write_csvs(tmp_path / "data")
    ws = open_workspace(tmp_path / "ws")
    load_directory(ws, data)
    before = counts(ws)
    again = load_directory(ws, data)
    assert counts(ws) == before
    assert again.loaded == 0
    assert sum(f.already_present for f in again.files) == sum(F.EXPECTED_LOADED.values())


def test_failed_load_leaves_store_as_before(tmp_path):
    data = F.write_csvs(tmp_path / "data")
    ws = open_workspace(tmp_path / "ws")
    load_files(ws, [("subjects", data / "subjects.csv")])
    before = counts(ws)
    with pytest.raises(RuntimeError):
        load_directory_files = [(t, data / f"{t}.csv") for t in F.TABLES]
        load_files(ws, load_directory_files, _fail_after="orders")
    assert counts(ws) == before


def test_killed_load_leaves_store_as_before(tmp_path):
    """A real SIGKILL in the middle of a load (after cases were staged): nothing of it survives."""
    data = F.write_csvs(tmp_path / "data")
    wsdir = tmp_path / "ws"
    ws = open_workspace(wsdir)
    load_files(ws, [("subjects", data / "subjects.csv")])
    before = counts(ws)
    env = dict(os.environ, LASHI_TEST_KILL_AFTER="case_events")
    proc = subprocess.run([sys.executable, "-m", "lashi.cli.__main__", "load", str(data), "-w", str(wsdir)],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert counts(ws) == before


def test_gbk_csv_is_detected_and_loaded(tmp_path):
    data = F.write_csvs(tmp_path / "data", encoding="gbk")
    ws = open_workspace(tmp_path / "ws")
    report = load_directory(ws, data)
    assert {f.table: f.loaded for f in report.files} == F.EXPECTED_LOADED
    con = ws.connect(read_only=True)
    assert con.execute("SELECT name FROM subjects WHERE subject_id='S-B1'").fetchone()[0] == "雅诗兰黛"


def test_wrong_declared_encoding_names_the_file(tmp_path):
    data = F.write_csvs(tmp_path / "data", encoding="gbk")
    ws = open_workspace(tmp_path / "ws")
    report = load_files(ws, [("subjects", data / "subjects.csv")], encoding="utf-8")
    assert report.files[0].error and "subjects.csv" in report.files[0].error and "encoding" in report.files[0].error


def test_missing_and_unknown_columns_and_empty_file(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    d = tmp_path / "d"
    d.mkdir()
    (d / "subjects.csv").write_text("subject_id,kind,name,colour\nS-1,platform,X,red\n", encoding="utf-8")
    (d / "products.csv").write_text("", encoding="utf-8")
    report = load_directory(ws, d)
    subj, prod = report.files
    assert subj.error and "tier" in subj.error and "subjects.csv" in subj.error
    assert any("colour" in w for w in subj.warnings)
    assert prod.loaded == 0 and any("empty" in w for w in prod.warnings)
    assert ("subjects", 0, "missing_column") in quarantined(ws)


def test_malformed_csv_row_is_quarantined_with_its_row_number(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    p = tmp_path / "subjects.csv"
    p.write_text("subject_id,kind,name,tier\nS-1,platform,A,head\nS-2,platform,B\nS-3,platform,C,mid\n"
                 "S-4,planet,D,mid\n", encoding="utf-8")
    load_files(ws, [("subjects", p)])
    # Row 4 comes after the malformed row 2: its number must still be its place in the file.
    assert quarantined(ws) == {("subjects", 2, "malformed_row"), ("subjects", 4, "unknown_enum")}
    assert counts(ws)["subjects"] == 2


def test_parquet_and_jsonl_load_the_same_rows_as_csv(tmp_path):
    import duckdb

    data = F.write_csvs(tmp_path / "data")
    pq_dir, js_dir = tmp_path / "pq", tmp_path / "js"
    pq_dir.mkdir()
    js_dir.mkdir()
    for name in F.TABLES:
        header, *rows = getattr(F, {"subjects": "SUBJECTS", "products": "PRODUCTS", "live_sessions": "SESSIONS",
                                    "orders": "ORDERS", "cases": "CASES", "case_events": "EVENTS"}[name])
        cols = {h: [r[i] or None for r in rows] for i, h in enumerate(header)}
        pq.write_table(pa.table(cols), pq_dir / f"{name}.parquet")
        with open(js_dir / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({h: (v or None) for h, v in zip(header, r)}, ensure_ascii=False) + "\n")
    results = {}
    for label, d in (("csv", data), ("parquet", pq_dir), ("jsonl", js_dir)):
        ws = open_workspace(tmp_path / f"ws-{label}")
        load_directory(ws, d)
        con = ws.connect(read_only=True)
        results[label] = (con.execute("SELECT * FROM case_events ORDER BY event_id").fetchall(),
                          con.execute("SELECT * FROM products").fetchall(), quarantined(ws))
        con.close()
    assert results["csv"] == results["parquet"] == results["jsonl"]
