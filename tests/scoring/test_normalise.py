"""Target/floor normalisation by hand (spec §3) and the alternatives."""
import numpy as np
import pytest

from lashi.scoring import minmax_score, target_floor_score, zscore_score


def test_r4_low_indicator_midpoint(cat):
    r4 = cat.indicator("R4")  # target 1 h, floor 48 h: 24.5 h is half-way
    assert target_floor_score(24.5, r4.target, r4.floor) == pytest.approx(50.0)
    assert target_floor_score(1.0, r4.target, r4.floor) == pytest.approx(100.0)
    assert target_floor_score(48.0, r4.target, r4.floor) == pytest.approx(0.0)


def test_share_midpoint():
    assert target_floor_score(0.75, 1.0, 0.5) == pytest.approx(50.0)


def test_nps_and_csat(cat):
    s1, s2 = cat.indicator("S1"), cat.indicator("S2")  # NPS 40/−20, CSAT 4.5/3.0
    assert target_floor_score(10.0, s1.target, s1.floor) == pytest.approx(50.0)
    assert target_floor_score(4.2, s2.target, s2.floor) == pytest.approx(80.0)


def test_clamping():
    assert target_floor_score(0.2, 1.0, 0.5) == 0.0     # below the floor
    assert target_floor_score(1.5, 1.0, 0.5) == 100.0   # beyond the target
    assert target_floor_score(0.0, 0.0, 0.5) == 100.0   # low indicator at target
    assert target_floor_score(0.9, 0.0, 0.5) == 0.0     # low indicator beyond floor
    assert np.array_equal(target_floor_score(np.array([-1.0, 60.0]), 1.0, 48.0), [100.0, 0.0])


def test_minmax_and_zscore_direction():
    x = np.array([1.0, 2.0, 3.0])
    assert np.allclose(minmax_score(x, "high"), [0, 50, 100])
    assert np.allclose(minmax_score(x, "low"), [100, 50, 0])
    z = zscore_score(x, "high")
    assert np.allclose(z, [40, 50, 60])  # 50 ± 10 per sd (sd = 1)
    assert np.allclose(zscore_score(x, "low"), [60, 50, 40])
