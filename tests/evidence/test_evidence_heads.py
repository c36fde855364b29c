"""Signed tree heads, the heads file, the witness and proof bundles."""
from __future__ import annotations

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_helpers import claim_like
from lashi.evidence import (
    HeadError, WitnessState, load_private_key, make_bundle, publish_head, read_heads, sign_head, verify_bundle,
    witness_file,
)
from lashi.evidence.heads import append_head, key_id, public_raw


def test_signed_message_and_signature(paths):
    key = load_private_key(paths.dir)
    h = sign_head(key, "log-1", 7, bytes(32), timestamp_ms=1_762_776_000_000)
    assert h.signed_message() == (b"lashi-evidence-sth/v1\nlog-1\n7\n" + b"0" * 64 + b"\n1762776000000\n")
    assert h.time == "2025-11-10T12:00:00.000Z"
    h.verify(key.public_key())
    with pytest.raises(HeadError, match="bad signature"):
        type(h)(**{**h.__dict__, "tree_size": 8}).verify(key.public_key())
    with pytest.raises(HeadError, match="signed by key"):
        h.verify(Ed25519PrivateKey.generate().public_key())


def test_heads_file_chain_and_witness(paths, log):
    pub = load_private_key(paths.dir).public_key()
    publish_head(log, paths)  # size 0
    log.append([claim_like(i) for i in range(5)])
    publish_head(log, paths)
    assert publish_head(log, paths).tree_size == 5  # unchanged log: no new line
    log.append([claim_like(i) for i in range(5, 12)])
    h3 = publish_head(log, paths)
    heads = read_heads(paths.heads)
    assert [h.tree_size for h in heads] == [0, 5, 12]
    assert (h3.prev_tree_size, h3.prev_root_hash) == (5, heads[1].root_hash) and h3.consistency
    state, n = witness_file(WitnessState(), heads, pub)
    assert n == 3 and state.head == h3
    state, n = witness_file(state, heads, pub)
    assert n == 0
    log.append([claim_like(12)])
    publish_head(log, paths)
    state2, n = witness_file(state, read_heads(paths.heads), pub)
    assert n == 1 and state2.head.tree_size == 13


def test_witness_rejects_a_rewritten_history(paths, log, con):
    key = load_private_key(paths.dir)
    pub = key.public_key()
    log.append([claim_like(i) for i in range(6)])
    publish_head(log, paths)
    state, _ = witness_file(WitnessState(), read_heads(paths.heads), pub)
    old = state.head
    # the operator rebuilds a different tree of 8 entries and signs it with its genuine key,
    # carrying a proof from its own (fake) tree: the link to the head the witness saw fails
    from lashi.evidence import EvidenceLog
    import duckdb
    other = EvidenceLog.open(duckdb.connect(":memory:"))
    other.append([claim_like(i + 100) for i in range(8)])
    forged = sign_head(key, old.log_id, 8, other.root(), prev=old, consistency=other.consistency_proof(6))
    with pytest.raises(HeadError, match="history was rewritten"):
        witness_file(state, [old, forged], pub)
    # the same head size with another root is a fork
    fork = sign_head(key, old.log_id, 6, other.root_at(6))
    with pytest.raises(HeadError, match="forked"):
        witness_file(state, [old, fork], pub)
    # truncating or rewriting the mirrored file is noticed too
    with pytest.raises(HeadError, match="truncated"):
        witness_file(state, [], pub)
    with pytest.raises(HeadError, match="rewritten"):
        witness_file(state, [fork], pub)


def test_torn_heads_file_is_detected(paths, log):
    log.append([claim_like(0)])
    publish_head(log, paths)
    with open(paths.heads, "ab") as f:
        f.write(b'{"log_id": "x", "tree_si')
    with pytest.raises(HeadError, match="torn last line"):
        read_heads(paths.heads)


def _bundle(paths, log, index):
    head = publish_head(log, paths)
    return make_bundle(log, log.entry(index), head, load_private_key(paths.dir).public_key())


def test_bundle_verifies_offline_and_says_what_it_proves(paths, log):
    log.append([claim_like(i) for i in range(10)])
    b = json.loads(json.dumps(_bundle(paths, log, 6)))  # through JSON, as on another machine
    assert b["leaf_index"] == 6 and len(b["inclusion_proof"]) == 4  # size 10: ceil(log2 10) = 4 siblings
    pub = load_private_key(paths.dir).public_key()
    v = verify_bundle(b, pub)
    assert v.ok and v.key_pinned, v.problems
    assert "第 6 号条目" in v.statement_zh and "entry #6" in v.statement_en
    assert "size 10" in v.statement_en


@pytest.mark.parametrize("tamper, message", [
    (lambda b: b.update(envelope_json=b["envelope_json"].replace('"i":6', '"i":7'), entry=None), "altered"),
    (lambda b: b.update(leaf_index=5), "index"),
    (lambda b: b["inclusion_proof"].reverse(), "inclusion proof leads to root"),
    (lambda b: b["tree_head"].update(tree_size=11), "bad signature"),
    (lambda b: b["tree_head"].update(root_hash="00" * 32), "bad signature"),
    (lambda b: b.update(format="other/v9"), "unknown bundle format"),
])
def test_tampered_bundles_fail_with_a_reason(paths, log, tamper, message):
    log.append([claim_like(i) for i in range(10)])
    b = copy.deepcopy(_bundle(paths, log, 6))
    tamper(b)
    v = verify_bundle(b)
    assert not v.ok and message in v.problems[0]
    assert v.statement_zh.startswith("验证失败") and v.statement_en.startswith("Verification FAILED")


def test_bundle_signed_by_another_key_is_refused_when_the_operator_key_is_pinned(paths, log):
    log.append([claim_like(i) for i in range(3)])
    b = _bundle(paths, log, 1)
    impostor = Ed25519PrivateKey.generate()
    h = sign_head(impostor, b["tree_head"]["log_id"], 3, bytes.fromhex(b["tree_head"]["root_hash"]))
    b["tree_head"] = {k: v for k, v in h.to_json().items() if k in b["tree_head"]}
    b["public_key"] = {"algorithm": "Ed25519", "raw_base64": base64.b64encode(public_raw(impostor.public_key())).decode(),
                       "key_id": key_id(impostor.public_key())}
    assert verify_bundle(b).ok  # self-consistent, but ...
    v = verify_bundle(b, load_private_key(paths.dir).public_key())
    assert not v.ok and "not the operator key" in v.problems[0]


def test_append_head_is_one_json_line(paths, log):
    log.append([claim_like(0)])
    h = publish_head(log, paths)
    lines = paths.heads.read_bytes().split(b"\n")
    assert lines[-1] == b"" and json.loads(lines[-2])["tree_size"] == 1
    append_head(paths.heads, h)
    assert len(read_heads(paths.heads)) == 2
