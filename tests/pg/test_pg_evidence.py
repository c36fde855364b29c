"""The evidence-log suites (tests/evidence) run again with the log's tables in PostgreSQL, and
parallel writers: several processes appending to one log keep one consistent tree — every entry
once, each writer's order kept, and the inclusion and consistency proofs verify."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from evidence_helpers import claim_like
from lashi.evidence import EvidenceLog, audit, verify_consistency, verify_inclusion
from lashi.evidence.storage import PostgresStorage, storage_for
from tests.evidence.conftest import log, paths  # noqa: F401  (fixtures, over the `con` below)
from tests.evidence.test_evidence_heads import (  # noqa: F401
    test_heads_file_chain_and_witness, test_witness_rejects_a_rewritten_history,
)
from tests.evidence.test_evidence_log import (  # noqa: F401
    test_altered_last_entry_is_detected_on_open, test_append_assigns_indices_and_envelopes,
    test_bad_entries_are_refused_and_nothing_is_written, test_find_by_index_or_ref, test_missing_last_row_is_detected_on_open,
    test_proofs_read_only_log_n_stored_nodes, test_uncommitted_rows_beyond_recorded_size_are_detected,
)
from tests.evidence.test_evidence_tamper import (  # noqa: F401
    published, test_altered_interior_node_is_reported, test_dropped_entry, test_dropped_last_entries_and_rewritten_meta,
    test_history_rewritten_with_a_new_tree, test_one_changed_byte, test_one_changed_byte_with_leaf_hash_recomputed,
    test_two_entries_reordered,
)
from tests.pg.conftest import ROOT


@pytest.fixture
def con(pg, pg_head):
    """A fresh PostgreSQL database at the newest schema (lashi.pgstore's connection)."""
    from lashi.pgstore import connect

    url = pg.new_db(pg_head)
    c = connect(url)
    yield c
    c.close()
    pg.drop(url)


def test_the_storage_is_postgres(con):
    assert isinstance(storage_for(con), PostgresStorage)


WRITER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {helpers!r})
    from evidence_helpers import claim_like
    from lashi.evidence import EvidenceLog, NewEntry
    from lashi.pgstore import connect
    import os, time
    w, batches, per = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    log = EvidenceLog.open(connect({url!r}))     # opened before anyone appends: its head goes stale
    open(os.path.join({tmp!r}, f"ready{{w}}"), "w").close()
    t0 = time.time()
    while not os.path.exists(os.path.join({tmp!r}, "go")) and time.time() - t0 < 120:
        time.sleep(0.01)
    seen = []
    for b in range(batches):
        out = log.append([NewEntry("claim", {{"session_id": f"L-{{w}}"}}, claim_like(w * 10000 + b * per + i).content_sha256,
                                   f"w{{w}}/{{b * per + i}}", {{"w": w}}) for i in range(per)])
        seen.append([log.size, log.root().hex(), [e.index for e in out]])
    print(json.dumps(seen))
""")


def test_parallel_writers_keep_one_consistent_tree(pg, pg_head, tmp_path):
    """Four processes open the log, wait for a common start, then append 15 batches of 7 each."""
    import time

    from lashi.pgstore import connect

    url = pg.new_db(pg_head)
    writers, batches, per = 4, 15, 7
    code = WRITER.format(url=url, helpers=str(ROOT / "tests" / "evidence"), tmp=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(w), str(batches), str(per)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(writers)]
    t0 = time.time()
    while sum((tmp_path / f"ready{w}").exists() for w in range(writers)) < writers and time.time() - t0 < 120:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    con = connect(url)
    try:
        log = EvidenceLog.open(con)                   # check_tail: counts, nodes fold to the root
        n = writers * batches * per
        assert log.size == n
        indices = sorted(i for r in results for _, _, idx in r for i in idx)
        assert indices == list(range(n))              # every entry exactly once
        for w, r in enumerate(results):               # each writer's batches in its own order, contiguous
            for b, (_, _, idx) in enumerate(r):
                assert idx == list(range(idx[0], idx[0] + per))
                assert [log.entry(i).envelope_json for i in idx][0].find(f'"w{w}/{b * per}"') >= 0
        root = log.root()
        for i in range(0, n, 23):
            e = log.entry(i)
            verify_inclusion(i, n, e.leaf_hash, log.inclusion_proof(i), root)    # raises if wrong
        # every head a writer saw is a prefix of the final tree
        for size, old_root, _ in (x for r in results for x in r):
            assert log.root_at(size).hex() == old_root
            verify_consistency(size, n, bytes.fromhex(old_root), root, log.consistency_proof(size, n))
        rep = audit(storage_for(con), [], None)
        assert rep.ok and rep.entries_checked == n
    finally:
        con.close()
        pg.drop(url)
