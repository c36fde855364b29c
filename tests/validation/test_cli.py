"""`lashi validate` end to end on a small generated workspace."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from lashi.cli import main

from tests.governance.small_ws import build


@pytest.mark.slow
def test_validate_command(tmp_path):
    ws = build(tmp_path)
    out = tmp_path / "val"
    res = CliRunner().invoke(main, ["validate", "-p", "2025-Q4", "-w", str(ws.path), "--runs", "3",
                                    "--out", str(out)], terminal_width=200)
    assert res.exit_code == 0, res.output
    for word in ("三方交叉验证", "blind test", "calibration", "predictive validity", "sensitivity"):
        assert word in res.output
    tri = pd.read_csv(out / "triangulation.csv")
    assert {"claimed_value", "beautified", "p_one_sided"} <= set(tri.columns)
    blind = pd.read_csv(out / "blind_test.csv").iloc[0]
    assert -1 <= blind["pearson"] <= 1 and blind["verdict"] in ("pass", "review", "redesign")
    sens = pd.read_csv(out / "sensitivity.csv")
    assert (sens["rank_lo"] <= sens["rank_median"]).all() and (sens["rank_median"] <= sens["rank_hi"]).all()
