"""The governance / validation / forecast / reserve section that `lashi demo` prints at its end,
on a small generated workspace: every part prints its summary line and writes its tables."""
from __future__ import annotations

import pandas as pd
from rich.console import Console

from lashi.cli.demo_governance import governance_section

from .small_ws import build


def test_demo_section_prints_and_writes(tmp_path):
    ws = build(tmp_path)
    console = Console(record=True, width=160)
    written = governance_section(console, ws, "2025-11", tmp_path / "out", ws.path, sensitivity_runs=3, bootstrap=50)
    text = console.export_text()
    for line in ("主播红黄牌 cards 2025-11", "信用评级 credit rating", "三方交叉验证 triangulation",
                 "盲测 blind test", "三个月风险 3-month risk", "异常上升预警 category alerts",
                 "品牌赔付占GMV brand payouts 2025", "过敏全额赔付 allergy_full", "假一赔十 fake_ten",
                 "lashi govern --period 2025-11", "lashi reserve --period 2025"):
        assert line in text, line
    assert set(written) == {"governance", "validation", "forecast", "reserve"}
    cards = pd.read_csv(written["governance"] / "cards.csv")
    assert set(cards["card"]) <= {"red", "yellow", "green", "none"}
    assert (written["forecast"] / "alerts.csv").exists() and (written["forecast"] / "forecasts.csv").exists()
    assert (written["validation"] / "triangulation.csv").exists()
    ins = pd.read_csv(written["reserve"] / "insurance.csv")
    assert set(ins["cover"]) == {"allergy_full", "fake_ten"}
