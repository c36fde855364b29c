from __future__ import annotations

import pytest

from lashi.sample import generate

CALIB_CASES = 30_000


@pytest.fixture(scope="session")
def calib_dir(tmp_path_factory):
    """A 30k-case, 12-month sample (seed 11) shared by the contract and calibration tests."""
    d = tmp_path_factory.mktemp("sample30k")
    generate(d, cases=CALIB_CASES, months=12, seed=11, start="2025-01", fmt="parquet", progress=False)
    return d
