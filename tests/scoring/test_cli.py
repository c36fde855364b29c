"""`lashi weights` and `lashi indicators`."""
import json

from click.testing import CliRunner

from lashi.cli import main


def test_weights_both_contexts():
    r = CliRunner().invoke(main, ["weights", "--context", "promotion", "--context", "sensitive_skin"])
    assert r.exit_code == 0, r.output
    assert "30.00%" in r.output and "28.00%" in r.output and "6.86%" in r.output
    assert "服务响应" in r.output


def test_weights_over_100_percent(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text("contexts:\n  promotion:\n    pins: {D1: 0.6, D2: 0.5}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["weights", "--weights", str(w)])
    assert r.exit_code != 0
    assert "promotion" in r.output and "1.1 > 1" in r.output


def test_indicators_json_and_filter():
    r = CliRunner().invoke(main, ["indicators", "--dimension", "D1", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [d["id"] for d in data] == ["R1", "R2", "R3", "R4", "R5"]
    assert data[3]["target"] == 1.0 and data[3]["floor"] == 48.0
    r = CliRunner().invoke(main, ["indicators"])
    assert r.exit_code == 0 and "M4" in r.output
    r = CliRunner().invoke(main, ["indicators", "--dimension", "D9"])
    assert r.exit_code != 0
