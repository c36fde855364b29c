"""The stored log: appends, restart, proofs from stored nodes (O(log n) reads), portability,
torn-write detection."""
from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from evidence_helpers import claim_like
from lashi.evidence import (
    EnvelopeError, EvidenceLog, LogIntegrityError, NewEntry, mth, verify_consistency, verify_inclusion,
)
from lashi.evidence.envelope import envelope_leaf_hash


def test_append_assigns_indices_and_envelopes(log):
    out = log.append([claim_like(i) for i in range(5)], time="2025-11-10T12:00:00.000Z")
    assert [e.index for e in out] == [0, 1, 2, 3, 4]
    env = out[3].envelope
    assert env == {"v": 1, "index": 3, "kind": "claim", "ref": "test/3", "subjects": {"session_id": "L-000003"},
                   "time": "2025-11-10T12:00:00.000Z",
                   "content_sha256": "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce",  # sha256("3")
                   "metadata": {"i": 3}}
    # canonical: sorted keys, no spaces; leaf = SHA-256(0x00 || envelope bytes)
    assert out[3].envelope_json.startswith('{"content_sha256":"4e07')
    assert out[3].leaf_hash == envelope_leaf_hash(out[3].envelope_json)
    assert log.size == 5 and log.root() == mth([e.leaf_hash for e in out])


def test_bad_entries_are_refused_and_nothing_is_written(log):
    log.append([claim_like(0)])
    with pytest.raises(EnvelopeError):
        log.append([claim_like(1), NewEntry("claim", {}, "not-a-hash", "x")])
    with pytest.raises(EnvelopeError):
        log.append([NewEntry("Bad Kind!", {}, "0" * 64, "x")])
    assert log.size == 1
    assert EvidenceLog.open(log.storage.con).size == 1  # the failed batch was rolled back
    log.append([claim_like(1)])
    assert log.size == 2 and log.entry(1).ref == "test/1"


def test_restart_loses_nothing_and_proofs_still_verify(paths):
    con = duckdb.connect(str(paths.db))
    log = EvidenceLog.open(con)
    leaves = [e.leaf_hash for e in log.append([claim_like(i) for i in range(1000)])]
    root, log_id = log.root(), log.log_id
    con.close()
    con = duckdb.connect(str(paths.db))
    log = EvidenceLog.open(con)
    assert (log.size, log.root(), log.log_id) == (1000, root, log_id)
    leaves += [e.leaf_hash for e in log.append([claim_like(i) for i in range(1000, 1300)])]
    assert log.root() == mth(leaves)
    for i in (0, 1, 511, 999, 1000, 1299):
        verify_inclusion(i, 1300, leaves[i], log.inclusion_proof(i), log.root())
        verify_inclusion(i, 1300, leaves[i], log.inclusion_proof(i, 1300), mth(leaves))
    for m in (1, 2, 999, 1000, 1024, 1299):
        verify_consistency(m, 1300, mth(leaves[:m]), log.root(), log.consistency_proof(m))
        assert log.root_at(m) == mth(leaves[:m])
    verify_inclusion(7, 1000, leaves[7], log.inclusion_proof(7, 1000), root)
    con.close()


def test_proofs_read_only_log_n_stored_nodes(log):
    log.append([claim_like(i) for i in range(4099)])
    fetched = []
    real_nodes, real_leaves = log.storage.nodes, log.storage.leaf_hashes

    def count_nodes(keys):
        keys = list(keys)
        fetched.extend(keys)
        return real_nodes(keys)

    def count_leaves(seqs):
        seqs = list(seqs)
        fetched.extend(seqs)
        return real_leaves(seqs)

    log.storage.nodes, log.storage.leaf_hashes = count_nodes, count_leaves
    bound = 2 * math.ceil(math.log2(4099))  # 2 * 13 = 26
    for i in (0, 2047, 4095, 4098):
        fetched.clear()
        log.inclusion_proof(i)
        assert 0 < len(fetched) <= bound
    for m in (1, 1000, 4096):
        fetched.clear()
        log.consistency_proof(m)
        assert 0 < len(fetched) <= bound


def test_generic_sqlite_backend_is_interchangeable():
    # the portable path (DB-API executemany, ? placeholders) on sqlite3 gives the same tree
    lite, duck = sqlite3.connect(":memory:"), duckdb.connect(":memory:")
    a, b = EvidenceLog.open(lite), EvidenceLog.open(duck)
    t = "2025-11-10T12:00:00.000Z"
    ea = a.append([claim_like(i) for i in range(300)], time=t)
    eb = b.append([claim_like(i) for i in range(300)], time=t)
    assert [e.envelope_json for e in ea] == [e.envelope_json for e in eb]
    assert a.root() == b.root() == mth([e.leaf_hash for e in ea])
    assert a.inclusion_proof(123) == b.inclusion_proof(123)
    assert a.consistency_proof(77) == b.consistency_proof(77)
    assert EvidenceLog.open(lite).root() == a.root()


def test_missing_last_row_is_detected_on_open(paths, con):
    log = EvidenceLog.open(con)
    log.append([claim_like(i) for i in range(10)])
    con.execute("DELETE FROM evidence_entries WHERE seq = 9")
    with pytest.raises(LogIntegrityError, match="records 10 entries but the table holds 9"):
        EvidenceLog.open(con)


def test_uncommitted_rows_beyond_recorded_size_are_detected(con):
    # a backend without transactions could leave rows whose tree update never landed
    log = EvidenceLog.open(con)
    log.append([claim_like(i) for i in range(4)])
    row = con.execute("SELECT * FROM evidence_entries WHERE seq = 3").fetchone()
    con.execute("INSERT INTO evidence_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [4, *row[1:]])
    with pytest.raises(LogIntegrityError, match="torn write"):
        EvidenceLog.open(con)


def test_altered_last_entry_is_detected_on_open(con):
    log = EvidenceLog.open(con)
    log.append([claim_like(i) for i in range(3)])
    con.execute("UPDATE evidence_entries SET envelope = replace(envelope, '\"i\":2', '\"i\":7') WHERE seq = 2")
    with pytest.raises(LogIntegrityError, match="last entry #2"):
        EvidenceLog.open(con)


def test_process_killed_mid_append_leaves_a_consistent_log(paths):
    # A child appends 20k-entry batches forever; we SIGKILL it mid-way. Every committed batch is
    # kept, no partial batch is visible, and the log opens cleanly.
    code = textwrap.dedent(f"""
        import duckdb, sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from evidence_helpers import claim_like
        from lashi.evidence import EvidenceLog
        con = duckdb.connect({str(paths.db)!r})
        log = EvidenceLog.open(con)
        i = 0
        while True:
            log.append([claim_like(j) for j in range(i, i + 20000)])
            i += 20000
            print(i, flush=True)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    first = p.stdout.readline()  # one batch committed
    assert first.strip() == "20000"
    time.sleep(0.3)  # now inside a later batch
    p.send_signal(signal.SIGKILL)
    p.wait()
    con = duckdb.connect(str(paths.db))
    log = EvidenceLog.open(con)  # check_tail passes
    assert log.size >= 20000 and log.size % 20000 == 0
    leaves = [envelope_leaf_hash(env) for _, env, _ in log.storage.iter_entry_rows()]
    assert len(leaves) == log.size and log.root() == mth(leaves)
    con.close()


def test_find_by_index_or_ref(log):
    log.append([claim_like(i) for i in range(3)])
    assert log.find("2").index == 2 and log.find("#1").index == 1 and log.find("test/0").index == 0
    json.loads(log.find("test/2").envelope_json)
