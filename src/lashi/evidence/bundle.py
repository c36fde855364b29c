"""Self-contained proof bundles and their offline verification.

A bundle (JSON, ``format: lashi-evidence-bundle/v1``) holds the entry's exact canonical
envelope, its leaf hash, an inclusion proof into a signed tree head, the head and the operator's
public key. Verification needs nothing else: no store, no network.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lashi.evidence.envelope import Entry, envelope_leaf_hash
from lashi.evidence.heads import HeadError, SignedHead, key_id, load_public_key, public_raw
from lashi.evidence.log import EvidenceLog
from lashi.evidence.merkle import ProofError, verify_inclusion

BUNDLE_FORMAT = "lashi-evidence-bundle/v1"

KIND_NAMES = {
    "recording_segment": ("直播录像片段", "a recording segment"),
    "claim": ("直播话术（口播声明）", "a claim said on air"),
    "responsibility_list": ("售后责任清单", "a responsibility list"),
}


class BundleError(ValueError):
    pass


def make_bundle(log: EvidenceLog, entry: Entry, head: SignedHead, public: Ed25519PublicKey) -> dict[str, Any]:
    if entry.index >= head.tree_size:
        raise BundleError(f"entry #{entry.index} is not covered by the head of size {head.tree_size}; sign a new "
                          f"head first / 该条目晚于最新签名树头，请先签发新树头")
    if log.root_at(head.tree_size).hex() != head.root_hash:
        raise BundleError(f"the stored log does not match the signed head of size {head.tree_size}: run "
                          f"`lashi evidence audit` / 存储的日志与签名树头不符，请运行审计")
    proof = log.inclusion_proof(entry.index, head.tree_size)
    return {
        "format": BUNDLE_FORMAT,
        "entry": entry.envelope,  # informative copy; the leaf is over envelope_json
        "envelope_json": entry.envelope_json,
        "leaf_index": entry.index,
        "leaf_hash": entry.leaf_hash.hex(),
        "hashing": "RFC 6962/9162: SHA-256, leaf = H(0x00 || utf8(envelope_json)), node = H(0x01 || left || right)",
        "inclusion_proof": [p.hex() for p in proof],
        "tree_head": {k: v for k, v in head.to_json().items()
                      if k not in ("prev_tree_size", "prev_root_hash", "consistency")},
        "public_key": {"algorithm": "Ed25519", "raw_base64": base64.b64encode(public_raw(public)).decode(),
                       "key_id": key_id(public)},
    }


@dataclass
class Verification:
    ok: bool
    problems: list[str] = field(default_factory=list)
    statement_zh: str = ""
    statement_en: str = ""
    key_pinned: bool = False


def verify_bundle(bundle: dict[str, Any], expected_public: Ed25519PublicKey | None = None) -> Verification:
    """Check a bundle offline. ``expected_public`` pins the operator key (recommended): without
    it the key inside the bundle is used, which proves integrity but not who signed."""
    v = Verification(ok=False)
    try:
        if bundle.get("format") != BUNDLE_FORMAT:
            raise BundleError(f"unknown bundle format {bundle.get('format')!r} / 未知的证明包格式")
        env_json = bundle["envelope_json"]
        env = json.loads(env_json)
        if bundle.get("entry") is not None and bundle["entry"] != env:
            raise BundleError("the readable 'entry' differs from 'envelope_json' / 条目副本与原文不一致")
        index = int(bundle["leaf_index"])
        if env.get("index") != index:
            raise BundleError(f"envelope says index {env.get('index')} but the proof is for leaf {index} / 序号不符")
        lh = envelope_leaf_hash(env_json)
        if lh.hex() != bundle["leaf_hash"]:
            raise BundleError("the entry content does not hash to the leaf hash: the entry was altered / "
                              "条目内容与叶哈希不符：条目被改动")
        head = SignedHead.from_json(bundle["tree_head"])
        public = load_public_key(bundle["public_key"]["raw_base64"])
        if expected_public is not None:
            if public_raw(public) != public_raw(expected_public):
                raise BundleError(f"bundle key {key_id(public)} is not the operator key {key_id(expected_public)} / "
                                  f"证明包中的公钥不是运营方公钥")
            v.key_pinned = True
        head.verify(public)
        verify_inclusion(index, head.tree_size, lh, [bytes.fromhex(p) for p in bundle["inclusion_proof"]],
                         bytes.fromhex(head.root_hash))
    except (BundleError, HeadError, ProofError, KeyError, TypeError, ValueError) as exc:
        v.problems.append(str(exc))
        v.statement_zh = f"验证失败：{exc}"
        v.statement_en = f"Verification FAILED: {exc}"
        return v
    v.ok = True
    zh_kind, en_kind = KIND_NAMES.get(env["kind"], (env["kind"], env["kind"]))
    subj = ", ".join(f"{k}={val}" for k, val in sorted(env.get("subjects", {}).items()))
    v.statement_zh = (
        f"该条目（{zh_kind}，{subj}，内容 SHA-256 {env['content_sha256'][:16]}…）于 {env['time']} 被记录为"
        f"日志 {head.log_id} 的第 {index} 号条目；运营方（密钥 {head.key_id}）于 {head.time} 签署的树头"
        f"（日志共 {head.tree_size} 条）包含它。此后该日志若删改此条目，将无法与这一树头保持一致。")
    v.statement_en = (
        f"This entry ({en_kind}, {subj}, content SHA-256 {env['content_sha256'][:16]}…) was recorded at "
        f"{env['time']} as entry #{index} of log {head.log_id}; the tree head of size {head.tree_size} that the "
        f"operator (key {head.key_id}) signed at {head.time} includes it. The log cannot later alter or remove "
        f"this entry without contradicting that signed head.")
    if not v.key_pinned:
        v.statement_zh += f" 注意：未指定运营方公钥，请核对密钥编号 {head.key_id}。"
        v.statement_en += f" Note: no operator key was pinned; check that key id {head.key_id} is the operator's."
    return v
