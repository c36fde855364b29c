"""Tamper evidence: each attack on the stored log is caught by checking it against a head that
was published before the attack, with a message that says what broke."""
from __future__ import annotations

import pytest

from evidence_helpers import claim_like
from lashi.evidence import (
    BundleError, EvidenceLog, LogIntegrityError, ProofError, WitnessState, audit, load_private_key, make_bundle,
    publish_head, read_heads, verify_inclusion, witness_file,
)
from lashi.evidence.envelope import envelope_leaf_hash
from lashi.evidence.storage import storage_for


@pytest.fixture
def published(paths, con):
    """A log of 8 entries with a head published over it; returns the head and the public key."""
    log = EvidenceLog.open(con)
    log.append([claim_like(i) for i in range(8)])
    head = publish_head(log, paths)
    pub = load_private_key(paths.dir).public_key()
    rep = audit(storage_for(con), read_heads(paths.heads), pub)
    assert rep.ok and rep.entries_checked == 8 and rep.heads_matched == 1
    return head, pub


def _audit(paths, con, pub):
    return audit(storage_for(con), read_heads(paths.heads), pub)


def _messages(rep):
    return "\n".join(p.en for p in rep.problems)


def test_one_changed_byte(paths, con, published):
    head, pub = published
    old = con.execute("SELECT envelope FROM evidence_entries WHERE seq = 3").fetchone()[0]
    new = old.replace('"i":3', '"i":4')
    assert sum(a != b for a, b in zip(old, new)) == 1
    con.execute("UPDATE evidence_entries SET envelope = ? WHERE seq = 3", [new])
    rep = _audit(paths, con, pub)
    assert {"entry_altered", "root_mismatch"} <= rep.codes()
    assert "entry #3 does not hash to its stored leaf hash" in _messages(rep)
    assert "no longer hash to the root signed" in _messages(rep)
    # the altered entry cannot be proven against the published head
    log = EvidenceLog.open(con, check=False)
    with pytest.raises(ProofError):
        verify_inclusion(3, 8, envelope_leaf_hash(new), log.inclusion_proof(3, 8), bytes.fromhex(head.root_hash))


def test_one_changed_byte_with_leaf_hash_recomputed(paths, con, published):
    # a careful forger also rewrites the stored leaf hash: the re-hashed tree still differs
    head, pub = published
    old = con.execute("SELECT envelope FROM evidence_entries WHERE seq = 3").fetchone()[0]
    new = old.replace('"i":3', '"i":4')
    con.execute("UPDATE evidence_entries SET envelope = ?, leaf_hash = ? WHERE seq = 3",
                [new, envelope_leaf_hash(new).hex()])
    rep = _audit(paths, con, pub)
    assert "root_mismatch" in rep.codes() and "entry_altered" not in rep.codes()


def test_dropped_entry(paths, con, published):
    _, pub = published
    con.execute("DELETE FROM evidence_entries WHERE seq = 4")
    with pytest.raises(LogIntegrityError, match="records 8 entries but the table holds 7"):
        EvidenceLog.open(con)
    rep = _audit(paths, con, pub)
    assert {"entry_missing", "entries_lost"} <= rep.codes()
    assert "entry #4 is missing (deleted)" in _messages(rep)
    assert "covers 8 entries but the store holds only 7" in _messages(rep)


def test_dropped_last_entries_and_rewritten_meta(paths, con, published):
    # truncating the log and fixing its bookkeeping is caught by the larger published head
    _, pub = published
    con.execute("DELETE FROM evidence_entries WHERE seq >= 6")
    con.execute("DELETE FROM evidence_meta")
    rep = _audit(paths, con, pub)
    assert "entries_lost" in rep.codes()
    assert "covers 8 entries but the store holds only 6" in _messages(rep)


def test_two_entries_reordered(paths, con, published):
    _, pub = published
    con.execute("UPDATE evidence_entries SET seq = -1 WHERE seq = 2")
    con.execute("UPDATE evidence_entries SET seq = 2 WHERE seq = 5")
    con.execute("UPDATE evidence_entries SET seq = 5 WHERE seq = -1")
    rep = _audit(paths, con, pub)
    assert {"entry_moved", "root_mismatch"} <= rep.codes()
    msgs = _messages(rep)
    assert "the entry stored at #2 says it is entry #5" in msgs and "the entry stored at #5 says it is entry #2" in msgs


def test_history_rewritten_with_a_new_tree(paths, con, published):
    head, pub = published
    # the operator throws the tables away and rebuilds a self-consistent log whose entry 3 differs
    for t in ("evidence_entries", "evidence_nodes", "evidence_meta"):
        con.execute(f"DELETE FROM {t}")
    forged = EvidenceLog.open(con)
    con.execute("UPDATE evidence_meta SET value = ? WHERE name = 'log_id'", [head.log_id])
    forged = EvidenceLog.open(con)
    forged.append([claim_like(i if i != 3 else 33) for i in range(10)])
    forged = EvidenceLog.open(con)  # opens cleanly: the forgery is internally consistent
    rep = _audit(paths, con, pub)
    assert rep.codes() == {"root_mismatch", "nodes_mismatch"}, _messages(rep)
    assert "entries #0..#7 no longer hash to the root signed" in _messages(rep)
    # the operator cannot publish a head over it: it does not extend the published one
    with pytest.raises(LogIntegrityError, match="no longer matches the head published"):
        publish_head(forged, paths)
    with pytest.raises(BundleError):
        make_bundle(forged, forged.entry(1), head, pub)
    # and if it signs one anyway (bypassing publish_head), a witness refuses it
    from lashi.evidence import sign_head
    key = load_private_key(paths.dir)
    state, _ = witness_file(WitnessState(), read_heads(paths.heads), pub)
    new = sign_head(key, head.log_id, forged.size, forged.root(), prev=head,
                    consistency=forged.consistency_proof(8))
    with pytest.raises(Exception, match="history was rewritten"):
        witness_file(state, read_heads(paths.heads) + [new], pub)


def test_altered_interior_node_is_reported(paths, con, published):
    _, pub = published
    con.execute("UPDATE evidence_nodes SET hash = ? WHERE node_key = (SELECT MIN(node_key) FROM evidence_nodes)",
                ["ab" * 32])
    rep = _audit(paths, con, pub)
    assert rep.codes() == {"node_mismatch"}, _messages(rep)
    assert "stored tree node (level 1, index 0) over entries #0..#1 is altered" in _messages(rep)
