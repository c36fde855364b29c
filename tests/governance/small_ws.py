"""A small generated workspace (4k cases, 6 months from 2025-07) shared by the governance,
validation and forecast command-line tests."""
from __future__ import annotations

from lashi.sample import generate
from lashi.store import load_directory, open_workspace


def build(root, cases: int = 4000, months: int = 6, seed: int = 5):
    generate(root / "data", cases=cases, months=months, seed=seed, start="2025-07", progress=False)
    ws = open_workspace(root / "ws")
    load_directory(ws, root / "data")
    return ws
