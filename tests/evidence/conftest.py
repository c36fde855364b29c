"""Shared fixtures for the evidence-log tests."""
from __future__ import annotations

import hashlib

import duckdb
import pytest

from lashi.evidence import EvidenceLog, EvidencePaths, NewEntry, generate_keys


def claim_like(i: int, session: str | None = None) -> NewEntry:
    """A small, deterministic entry (content hash = SHA-256 of the decimal index)."""
    return NewEntry("claim", {"session_id": session or f"L-{i % 5:06d}"},
                    hashlib.sha256(str(i).encode()).hexdigest(), f"test/{i}", {"i": i})


@pytest.fixture
def paths(tmp_path):
    p = EvidencePaths(tmp_path / "ws")
    generate_keys(p.dir)
    return p


@pytest.fixture
def con(paths):
    c = duckdb.connect(str(paths.db))
    yield c
    c.close()


@pytest.fixture
def log(con):
    return EvidenceLog.open(con)
