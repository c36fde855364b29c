"""Signed tree heads (Ed25519), the append-only heads file, and the witness.

A signed tree head (STH) commits the operator to (log id, tree size, root hash, time). The
signed message is the UTF-8 text::

    lashi-evidence-sth/v1
    <log_id>
    <tree_size>
    <root hash, 64 lowercase hex>
    <timestamp_ms, integer milliseconds since the Unix epoch, UTC>

each line ending with "\\n". Heads are published one JSON object per line to ``heads.jsonl``;
each line after the first also carries a consistency proof from the previous published head,
so a mirror of that file alone lets anyone check that the log only ever grew.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from lashi.evidence.envelope import canonical_json
from lashi.evidence.merkle import ProofError, verify_consistency

STH_TAG = "lashi-evidence-sth/v1"


class HeadError(ValueError):
    """A head whose signature, format or consistency does not check out."""


# ---------------------------------------------------------------------------------------------
# Keys


def key_id(public: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_raw(public)).hexdigest()[:16]


def public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(data: str | bytes) -> Ed25519PublicKey:
    """From PEM, or base64 of the raw 32 bytes."""
    raw = data.encode() if isinstance(data, str) else data
    raw = raw.strip()
    if raw.startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(raw)
        if not isinstance(key, Ed25519PublicKey):
            raise HeadError("the public key is not an Ed25519 key / 公钥不是 Ed25519 密钥")
        return key
    try:
        b = base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise HeadError("public key is neither PEM nor base64 / 公钥格式无法识别") from exc
    if len(b) != 32:
        raise HeadError("a raw Ed25519 public key has 32 bytes / Ed25519 公钥应为32字节")
    return Ed25519PublicKey.from_public_bytes(b)


def generate_keys(directory: Path, *, overwrite: bool = False) -> Ed25519PrivateKey:
    directory.mkdir(parents=True, exist_ok=True)
    priv_path = directory / "signing_key.pem"
    if priv_path.exists() and not overwrite:
        raise FileExistsError(f"{priv_path} exists; keys are not replaced / 签名密钥已存在，不会覆盖")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    (directory / "public_key.pem").write_text(public_pem(key.public_key()))
    return key


def load_private_key(directory: Path) -> Ed25519PrivateKey:
    path = directory / "signing_key.pem"
    if not path.exists():
        raise FileNotFoundError(f"no signing key at {path}; run `lashi evidence init` / 没有签名密钥，请先运行 init")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise HeadError(f"{path} is not an Ed25519 key")
    return key


# ---------------------------------------------------------------------------------------------
# Signed tree heads


@dataclass(frozen=True)
class SignedHead:
    log_id: str
    tree_size: int
    root_hash: str  # hex
    timestamp_ms: int
    key_id: str
    signature: str  # base64 Ed25519 signature of signed_message()
    prev_tree_size: int | None = None
    prev_root_hash: str | None = None
    consistency: list[str] = field(default_factory=list)  # hex proof from the previous head

    def signed_message(self) -> bytes:
        return sth_message(self.log_id, self.tree_size, self.root_hash, self.timestamp_ms)

    @property
    def time(self) -> str:
        t = datetime.fromtimestamp(self.timestamp_ms / 1000, tz=timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.timestamp_ms % 1000:03d}Z"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["time"] = self.time  # informative; the signature covers timestamp_ms
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "SignedHead":
        try:
            return cls(log_id=str(d["log_id"]), tree_size=int(d["tree_size"]), root_hash=str(d["root_hash"]),
                       timestamp_ms=int(d["timestamp_ms"]), key_id=str(d["key_id"]), signature=str(d["signature"]),
                       prev_tree_size=None if d.get("prev_tree_size") is None else int(d["prev_tree_size"]),
                       prev_root_hash=d.get("prev_root_hash"), consistency=list(d.get("consistency") or []))
        except (KeyError, TypeError, ValueError) as exc:
            raise HeadError(f"malformed signed head: {exc} / 签名树头格式错误") from exc

    def verify(self, public: Ed25519PublicKey) -> None:
        if self.key_id != key_id(public):
            raise HeadError(f"head was signed by key {self.key_id}, not by {key_id(public)} / 签名密钥不符")
        try:
            public.verify(base64.b64decode(self.signature), self.signed_message())
        except (InvalidSignature, ValueError) as exc:
            raise HeadError(f"bad signature on the head of size {self.tree_size} / 树头签名无效") from exc


def sth_message(log_id: str, tree_size: int, root_hex: str, timestamp_ms: int) -> bytes:
    return f"{STH_TAG}\n{log_id}\n{tree_size}\n{root_hex}\n{timestamp_ms}\n".encode()


def sign_head(key: Ed25519PrivateKey, log_id: str, tree_size: int, root: bytes, *,
              timestamp_ms: int | None = None, prev: SignedHead | None = None,
              consistency: list[bytes] | None = None) -> SignedHead:
    ts = int(datetime.now(timezone.utc).timestamp() * 1000) if timestamp_ms is None else timestamp_ms
    msg = sth_message(log_id, tree_size, root.hex(), ts)
    sig = base64.b64encode(key.sign(msg)).decode()
    return SignedHead(log_id, tree_size, root.hex(), ts, key_id(key.public_key()), sig,
                      prev.tree_size if prev else None, prev.root_hash if prev else None,
                      [h.hex() for h in (consistency or [])])


def check_link(prev: SignedHead, head: SignedHead) -> None:
    """Check that ``head`` extends ``prev`` using the consistency proof ``head`` carries."""
    if head.log_id != prev.log_id:
        raise HeadError(f"head belongs to log {head.log_id}, not {prev.log_id} / 树头属于另一日志")
    if head.tree_size < prev.tree_size:
        raise HeadError(f"the log shrank from {prev.tree_size} to {head.tree_size} entries / 日志条目数减少了")
    if head.tree_size == prev.tree_size:
        if head.root_hash != prev.root_hash:
            raise HeadError(f"two heads of size {head.tree_size} with different roots: the log forked / "
                            f"同一大小的两个树头根哈希不同：日志分叉")
        return
    if prev.tree_size == 0:
        return  # every tree extends the empty one
    if head.prev_tree_size != prev.tree_size or head.prev_root_hash != prev.root_hash:
        raise HeadError(f"head of size {head.tree_size} does not link to the previous head of size {prev.tree_size} "
                        f"/ 新树头未与上一树头相连")
    try:
        verify_consistency(prev.tree_size, head.tree_size, bytes.fromhex(prev.root_hash),
                           bytes.fromhex(head.root_hash), [bytes.fromhex(h) for h in head.consistency])
    except (ProofError, ValueError) as exc:
        raise HeadError(f"head of size {head.tree_size} is not consistent with the head of size {prev.tree_size}: "
                        f"{exc} — history was rewritten / 新树头与旧树头不一致：历史被改写") from exc


# ---------------------------------------------------------------------------------------------
# The heads file (JSON Lines, append-only)


def read_heads(path: Path) -> list[SignedHead]:
    """All heads in the file; a torn last line (no newline, bad JSON) is an error that says so."""
    if not path.exists():
        return []
    data = path.read_bytes()
    heads = []
    lines = data.split(b"\n")
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        last = no == len(lines)  # no trailing newline after it
        try:
            heads.append(SignedHead.from_json(json.loads(line)))
        except (ValueError, HeadError) as exc:
            what = "torn last line (interrupted write)" if last else "malformed line"
            raise HeadError(f"{path}:{no}: {what}: {exc} / 树头文件第 {no} 行损坏") from exc
        if last:
            raise HeadError(f"{path}:{no}: the last line has no newline (interrupted write) / 最后一行未写完")
    return heads


def append_head(path: Path, head: SignedHead) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = canonical_json(head.to_json()).encode() + b"\n"
    with open(path, "ab") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())


# ---------------------------------------------------------------------------------------------
# Witness


@dataclass
class WitnessState:
    """What a witness remembers: the last head it accepted and how many lines it has read."""

    head: SignedHead | None = None
    lines_seen: int = 0

    def save(self, path: Path) -> None:
        data = {"head": self.head.to_json() if self.head else None, "lines_seen": self.lines_seen}
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(data, indent=2))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "WitnessState":
        if not path.exists():
            return cls()
        d = json.loads(path.read_text())
        return cls(SignedHead.from_json(d["head"]) if d.get("head") else None, int(d.get("lines_seen", 0)))


def witness_head(state: WitnessState, head: SignedHead, public: Ed25519PublicKey) -> WitnessState:
    """Accept ``head`` if it is well signed and consistent with the last head seen."""
    head.verify(public)
    if state.head is not None:
        check_link(state.head, head)
    return WitnessState(head, state.lines_seen + 1)


def witness_file(state: WitnessState, heads: list[SignedHead], public: Ed25519PublicKey) -> tuple[WitnessState, int]:
    """Process the heads not yet seen in a (mirrored) heads file; return new state and count.

    The file must still begin with what the witness saw: the line it accepted last must be
    unchanged, else the file was truncated or rewritten.
    """
    if state.lines_seen > len(heads):
        raise HeadError(f"the heads file has {len(heads)} heads but {state.lines_seen} were seen before: "
                        f"it was truncated / 树头文件被截断")
    if state.head is not None and state.lines_seen:
        if heads[state.lines_seen - 1] != state.head:
            raise HeadError(f"head #{state.lines_seen} of the file differs from the one seen before: "
                            f"the heads file was rewritten / 树头文件被改写")
    new = 0
    for h in heads[state.lines_seen:]:
        state = witness_head(state, h, public)
        new += 1
    return state, new
