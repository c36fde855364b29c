"""Helpers shared by the evidence-log tests (a uniquely named module, importable from tests)."""
from __future__ import annotations

import hashlib

from lashi.evidence import NewEntry


def claim_like(i: int, session: str | None = None) -> NewEntry:
    """A small, deterministic entry (content hash = SHA-256 of the decimal index)."""
    return NewEntry("claim", {"session_id": session or f"L-{i % 5:06d}"},
                    hashlib.sha256(str(i).encode()).hexdigest(), f"test/{i}", {"i": i})
