"""Config loading and validation (spec §3–§4): every rule names the file and the field."""
import copy

import pytest
import yaml

from lashi.scoring.config import DEFAULT_CATALOGUE, DEFAULT_WEIGHTS, ConfigError, build_catalogue, load_catalogue


def raw():
    with open(DEFAULT_CATALOGUE, encoding="utf-8") as f:
        c = yaml.safe_load(f)
    with open(DEFAULT_WEIGHTS, encoding="utf-8") as f:
        w = yaml.safe_load(f)
    return c, w


def test_shipped_config_loads(cat):
    assert len(cat.indicators) == 28
    assert cat.dimension_ids == ("D1", "D2", "D3", "D4", "D5", "D6")
    assert cat.base_weights() == {"D1": .20, "D2": .25, "D3": .20, "D4": .15, "D5": .10, "D6": .10}
    assert set(cat.contexts) == {"promotion", "sensitive_skin"}
    r4 = cat.indicator("R4")
    assert (r4.direction, r4.target, r4.floor, r4.unit) == ("low", 1.0, 48.0, "hours")
    assert cat.indicator("E2").standard.op == "<="
    assert cat.indicator("S1").value_range == (-100.0, 100.0)
    assert cat.indicator("R1").remedy_zh and cat.indicator("R1").remedy_en


@pytest.mark.parametrize("mutate, message", [
    (lambda c, w: c["indicators"][0].update(dimension="D9"), "dimension 'D9'"),
    (lambda c, w: c["indicators"][0].update(floor=1.0), "target and floor are equal"),
    (lambda c, w: c["indicators"][0].update(direction="up"), "direction must be"),
    (lambda c, w: c["indicators"][0].update(direction="low"), "'low' needs floor > target"),
    (lambda c, w: c["dimensions"]["D1"].update(base_weight=0.3), "sum to 1.1"),
    (lambda c, w: w["contexts"]["promotion"]["pins"].update(D3=0.5), "pins sum to 1.08"),
    (lambda c, w: c["indicators"][0].pop("target"), "missing field 'target'"),
])
def test_validation_errors(mutate, message):
    c, w = raw()
    mutate(c, w)
    with pytest.raises(ConfigError, match=message):
        build_catalogue(c, w, ["test.yaml"])


def test_combined_pins_over_100_percent_names_the_contexts():
    c, w = raw()
    # each context alone is fine (0.58 and 0.30 + 0.25); together 0.30+0.28+0.25+0.15+0.15 > 1
    w["contexts"]["sensitive_skin"]["pins"] = {"D5": 0.15, "D6": 0.15, "D3": 0.25}
    w["contexts"]["promotion"]["pins"] = {"D1": 0.30, "D2": 0.28}
    with pytest.raises(ConfigError, match=r"promotion \+ sensitive_skin.*sums to 1\.13 > 1"):
        build_catalogue(c, w, ["w.yaml"])


def test_twice_pinned_dimension_takes_the_larger_pin():
    c, w = raw()
    w["contexts"]["sensitive_skin"]["pins"] = {"D1": 0.25, "D5": 0.15, "D6": 0.15}
    cat = build_catalogue(c, w)
    from lashi.scoring import resolve_weights
    assert resolve_weights(cat, ["promotion", "sensitive_skin"])["D1"] == pytest.approx(0.30)


def test_user_files_override_field_by_field(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "indicators:\n  - {id: R4, target: 2.0}\n  - id: G1\n    dimension: D6\n    zh: 直播间赠品缺失维权\n"
        "    en: Missing-gift claims resolved\n    direction: high\n    unit: share\n"
        "    target: 1.0\n    floor: 0.5\n    min_sample: 5\n", encoding="utf-8")
    (tmp_path / "w.yaml").write_text(
        "contexts:\n  night:\n    zh: 夜间\n    en: Night\n    pins: {D1: 0.25}\n", encoding="utf-8")
    cat = load_catalogue(tmp_path / "c.yaml", tmp_path / "w.yaml")
    assert cat.indicator("R4").target == 2.0 and cat.indicator("R4").floor == 48.0
    assert cat.indicator("G1").dimension == "D6" and len(cat.indicators) == 29
    assert set(cat.contexts) == {"promotion", "sensitive_skin", "night"}


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_catalogue(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators: [ {id: R1, target: x} ]", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml.*'target' must be a number"):
        load_catalogue(bad)


def test_with_weights_validates(cat):
    c2 = cat.with_weights({"D1": 0.25, "D2": 0.20, "R1": 2.0})
    assert c2.base_weights()["D1"] == 0.25 and c2.indicator("R1").weight == 2.0
    with pytest.raises(ConfigError, match="sum to 1"):
        cat.with_weights({"D1": 0.5})
