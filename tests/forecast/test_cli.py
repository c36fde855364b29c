"""`lashi forecast` and `lashi predict` on generated workspaces."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from lashi.cli import main

from tests.governance.small_ws import build


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return build(tmp_path_factory.mktemp("fcws"))


def test_forecast_command(ws, tmp_path):
    res = CliRunner().invoke(main, ["forecast", "-w", str(ws.path), "--kind", "streamer", "--kind", "platform",
                                    "--out", str(tmp_path)], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "early warning" in res.output
    f = pd.read_csv(tmp_path / "forecasts.csv")
    assert set(f["subject_kind"]) <= {"streamer", "platform"} and set(f["step"]) == {1, 2, 3}
    assert (f["lo"] <= f["forecast"]).all() and (f["forecast"] <= f["hi"]).all()
    assert "category alerts" in res.output
    a = pd.read_csv(tmp_path / "alerts.csv")
    assert {"subject_id", "category", "metric", "ratio", "p_value", "reason_zh", "reason_en"} <= set(a.columns)
    assert set(a["subject_kind"]) <= {"streamer", "platform"}
    assert (a["p_value"] < 0.001).all() and (a["ratio"] >= 1.5).all()


def test_predict_command(ws):
    sid = "S-DY"
    res = CliRunner().invoke(main, ["predict", "-w", str(ws.path), "-s", sid, "--change", "T1=+0.10",
                                    "--change", "E2=-2"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "R²" in res.output and "投诉量/月" in res.output
    bad = CliRunner().invoke(main, ["predict", "-w", str(ws.path), "-s", sid, "--change", "T1"])
    assert bad.exit_code != 0 and "INDICATOR" in bad.output


@pytest.mark.slow
def test_forecast_beats_naive_on_sample_data(tmp_path):
    """12 months of generated data: the rolling-origin backtest's model error is below the naive
    last-value forecast's, and the 90 % intervals cover at least 80 % of outcomes."""
    from lashi.forecast import run_forecast

    w = build(tmp_path, cases=20000, months=12, seed=9)
    f = run_forecast(w, kinds=["streamer", "brand", "platform", "mcn"])
    allrow = f.backtest[f.backtest["step"] == "all"].iloc[0]
    assert allrow["mae_model"] < allrow["mae_naive"]
    assert allrow["coverage"] >= 0.8
