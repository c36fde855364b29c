"""Dynamic weights, hand-checked (spec §4.6)."""
import pytest

from lashi.scoring import ConfigError, parse_slice, resolve_weights


def close(w, expected):
    assert set(w) == set(expected)
    for k, v in expected.items():
        assert w[k] == pytest.approx(v, abs=1e-12), k
    assert sum(w.values()) == pytest.approx(1.0)


def test_no_context_is_base(cat):
    close(resolve_weights(cat, []), {"D1": .20, "D2": .25, "D3": .20, "D4": .15, "D5": .10, "D6": .10})


def test_promotion(cat):
    # D1, D2 pinned at .30/.28; the rest share .42 in proportion to .20/.15/.10/.10 (sum .55)
    close(resolve_weights(cat, ["promotion"]), {
        "D1": .30, "D2": .28, "D3": .42 * .20 / .55, "D4": .42 * .15 / .55,
        "D5": .42 * .10 / .55, "D6": .42 * .10 / .55})
    w = resolve_weights(cat, ["promotion"])
    # NB: the free dimensions' base weights sum to 1 − .20 − .25 = .55, not .45 as a first draft
    # of this hand check had it (.42·.20/.45 = .18667 etc. would sum to 1.093, not 1).
    assert round(w["D4"], 5) == 0.11455 and round(w["D3"], 5) == 0.15273


def test_sensitive_skin(cat):
    # D5, D6 pinned at .15; the rest share .70 in proportion to base weights summing to .80
    close(resolve_weights(cat, ["sensitive_skin"]), {
        "D1": .70 * .20 / .80, "D2": .70 * .25 / .80, "D3": .70 * .20 / .80,
        "D4": .70 * .15 / .80, "D5": .15, "D6": .15})


def test_both(cat):
    close(resolve_weights(cat, ["promotion", "sensitive_skin"]), {
        "D1": .30, "D2": .28, "D5": .15, "D6": .15, "D3": .12 * .20 / .35, "D4": .12 * .15 / .35})


def test_unknown_context(cat):
    with pytest.raises(ConfigError, match="unknown context"):
        resolve_weights(cat, ["double11"])


def test_parse_slice(cat):
    assert parse_slice("all", cat) == ()
    assert parse_slice("base", cat) == ()
    assert parse_slice("sensitive_skin+promotion", cat) == ("promotion", "sensitive_skin")
    with pytest.raises(ConfigError, match="slice 'night'"):
        parse_slice("night", cat)
