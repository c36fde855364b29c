"""`lashi govern` end to end on a small generated workspace."""
from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from lashi.cli import main

from .small_ws import build


def test_govern_command_prints_and_writes(tmp_path):
    ws = build(tmp_path)
    out = tmp_path / "gov"
    res = CliRunner().invoke(main, ["govern", "-p", "2025-11", "-w", str(ws.path), "--out", str(out)],
                             terminal_width=200)
    assert res.exit_code == 0, res.output
    for word in ("红黄牌", "credit rating", "MCN", "整改约谈", "phase targets"):
        assert word in res.output
    cards = pd.read_csv(out / "cards.csv")
    assert set(cards["card"]) <= {"red", "yellow", "green", "none"}
    # a red card always rests on at least two months below 60
    assert (cards.loc[cards["card"] == "red", "months_below"] >= 2).all()
    credit = pd.read_csv(out / "credit_ratings.csv")
    assert set(credit["rating"]) <= {"A", "B", "C"}
    targets = pd.read_csv(out / "phase_targets.csv")
    assert set(targets["id"]) == {"T1", "T2", "E3", "C1", "INDEX"}


def test_govern_rejects_a_year():
    res = CliRunner().invoke(main, ["govern", "-p", "2025", "-w", "/nonexistent"])
    assert res.exit_code != 0
