"""Shared fixtures for the evidence-log tests."""
from __future__ import annotations

import duckdb
import pytest

from lashi.evidence import EvidenceLog, EvidencePaths, generate_keys


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
