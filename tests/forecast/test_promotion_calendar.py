"""Promotion months beyond the calendar repeat last year's; a see-saw series is not extrapolated."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lashi.forecast import fit_predict, promotion_share

CAL = pd.DataFrame({"kind": ["promotion", "promotion"], "start_date": ["2025-05-20", "2025-10-20"],
                    "end_date": ["2025-06-18", "2025-11-11"]})


def test_future_months_take_last_years_promotion_share():
    s = promotion_share(["2025-06", "2026-01", "2026-06", "2026-11"], CAL)
    assert s["2025-06"] == pytest.approx(18 / 30)
    assert s["2026-01"] == 0
    assert s["2026-06"] == pytest.approx(18 / 30)     # 618 comes back
    assert s["2026-11"] == pytest.approx(11 / 30)     # 双十一 too
    assert promotion_share(["2026-06"], CAL, repeat_yearly=False)["2026-06"] == 0


def test_negative_autocorrelation_falls_back_to_the_level_model():
    rng = np.random.default_rng(3)
    y = [50.0]
    for _ in range(11):
        y.append(50 - 0.6 * (y[-1] - 50) + rng.normal(0, 2))
    fc = fit_predict(np.array(y), None, None, h=3)
    assert (fc["lags"] == 0).all()
    assert np.ptp(fc["forecast"]) == pytest.approx(0.0, abs=1e-9)   # flat at the level, no see-saw
    assert abs(fc["forecast"].iloc[0] - np.mean(y)) < 1e-6
