"""Entry envelopes: what one leaf of the evidence log says, and its canonical bytes.

An envelope is a JSON object; its leaf is ``SHA-256(0x00 || canonical_json(envelope))`` where
canonical JSON is UTF-8, keys sorted, no insignificant whitespace, non-ASCII kept as is. The
exact canonical string is stored and shipped in proof bundles, so a verifier never has to
re-canonicalise (floats and escapes differ between JSON libraries).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from lashi.evidence.merkle import leaf_hash

ENVELOPE_VERSION = 1
KIND_RECORDING_SEGMENT = "recording_segment"
KIND_CLAIM = "claim"
KIND_RESPONSIBILITY_LIST = "responsibility_list"
KNOWN_KINDS = (KIND_RECORDING_SEGMENT, KIND_CLAIM, KIND_RESPONSIBILITY_LIST)
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
SUBJECT_KEYS = ("session_id", "product_id", "streamer_id", "brand_id", "mcn_id", "platform_id", "claim_id")


class EnvelopeError(ValueError):
    """An entry that cannot go into the log."""


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def utc_now() -> str:
    return format_time(datetime.now(timezone.utc))


def format_time(t: datetime) -> str:
    """RFC 3339 UTC with milliseconds, e.g. 2025-11-10T12:00:00.000Z."""
    if t.tzinfo is None:
        raise EnvelopeError("times must carry a time zone / 时间必须带时区")
    t = t.astimezone(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class NewEntry:
    """An entry before it is appended (the log assigns its index).

    ``ref`` is a stable external reference (e.g. ``claim/CL-000001``) used to find the entry
    again and to keep re-imports idempotent; it is part of the signed envelope.
    """

    kind: str
    subjects: dict[str, str]
    content_sha256: str
    ref: str
    metadata: dict[str, Any] = field(default_factory=dict)
    time: str | None = None  # RFC 3339 UTC; default: when appended

    def validate(self) -> None:
        if not _KIND_RE.match(self.kind or ""):
            raise EnvelopeError(f"bad kind {self.kind!r}: lowercase letters, digits, underscore / 类型名不合法")
        if not _HEX64.match(self.content_sha256 or ""):
            raise EnvelopeError(f"content_sha256 must be 64 lowercase hex digits, got {self.content_sha256!r} "
                                f"/ 内容哈希须为64位小写十六进制")
        if not self.ref or len(self.ref) > 512:
            raise EnvelopeError("ref must be a non-empty string of at most 512 characters / 引用不能为空")
        for k, v in self.subjects.items():
            if not isinstance(k, str) or not isinstance(v, str) or not v:
                raise EnvelopeError(f"subject {k!r} must map to a non-empty string id / 主体编号须为非空字符串")


@dataclass(frozen=True)
class Entry:
    """An appended entry: its index, canonical envelope and leaf hash."""

    index: int
    envelope_json: str
    leaf_hash: bytes

    @property
    def envelope(self) -> dict[str, Any]:
        return json.loads(self.envelope_json)

    @property
    def kind(self) -> str:
        return self.envelope["kind"]

    @property
    def ref(self) -> str:
        return self.envelope["ref"]


def build_envelope(index: int, e: NewEntry, default_time: str) -> str:
    e.validate()
    env = {
        "v": ENVELOPE_VERSION,
        "index": index,
        "kind": e.kind,
        "ref": e.ref,
        "subjects": dict(e.subjects),
        "time": e.time or default_time,
        "content_sha256": e.content_sha256,
        "metadata": e.metadata,
    }
    try:
        return canonical_json(env)
    except (TypeError, ValueError) as exc:
        raise EnvelopeError(f"metadata is not plain JSON: {exc} / 元数据不是合法 JSON") from exc


def envelope_leaf_hash(envelope_json: str) -> bytes:
    return leaf_hash(envelope_json.encode("utf-8"))
