"""ETA learned with back-off and its accuracy on held-back generated history; trial problem rates
with Wilson intervals (hand-computed) and the 35% flag."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from lashi.cases.service import eta
from lashi.cases.service.trials import rates, wilson


def test_eta_accuracy_on_generated_history(base_ws):
    con = duckdb.connect(str(base_ws / "lashi.duckdb"), read_only=True)
    try:
        h = eta.history(con)
    finally:
        con.close()
    assert len(h) > 2000
    res = eta.accuracy(h)
    # ETA is the 85% quantile: at least 80% of the held-back cases must be done by it
    assert res["on_time"] >= 0.8, res
    assert res["test"] == pytest.approx(0.2 * len(h), abs=1)


def _hist(rows):
    return pd.DataFrame(rows, columns=["category", "party", "subject_id", "created_at", "days"])


def test_eta_backs_off_to_broader_groups():
    rng = np.random.default_rng(0)
    rows = [("allergy", "brand", "B1", i, int(d)) for i, d in enumerate(rng.integers(1, 4, 40))]  # B1 fast
    rows += [("allergy", "brand", "B2", i, 10) for i in range(5)]                                # B2: too few
    rows += [("allergy", "platform", "P1", i, 6) for i in range(30)]
    m = eta.EtaModel.fit(_hist(rows), {"eta": {"quantile": 0.85, "min_group": 20}})
    p1 = m.predict("allergy", "brand", "B1")
    assert p1["group"] == ["category", "party", "subject_id"] and p1["working_days"] == 3
    p2 = m.predict("allergy", "brand", "B2")        # B2 has 5 cases < 20 → (category, party) = 45 cases
    assert p2["group"] == ["category", "party"] and p2["based_on"] == 45
    p3 = m.predict("allergy", "streamer", "S9")     # no streamer history → category
    assert p3["group"] == ["category"]
    p4 = m.predict("counterfeit", "brand", "B1")    # unseen category → all
    assert p4["group"] == ["all"]
    assert "工作日" in p1["zh"]


def test_working_days_skip_weekends_and_holidays():
    hol = np.array(["2025-10-01", "2025-10-02", "2025-10-03"], dtype="datetime64[D]")
    # Fri 2025-09-26 → Mon 2025-09-29: one working day (Mon); weekend skipped
    assert eta.working_days(["2025-09-26"], ["2025-09-29"], hol, set())[0] == 1
    # Tue 09-30 → Mon 10-06: Wed–Fri are holidays, so only Mon 10-06 counts
    assert eta.working_days(["2025-09-30"], ["2025-10-06"], hol, set())[0] == 1
    # an adjusted working Sunday (调休) counts
    import datetime as dt
    assert eta.working_days(["2025-09-26"], ["2025-09-29"], hol, {dt.date(2025, 9, 28)})[0] == 2


def test_wilson_hand_computed():
    lo, hi = wilson(7, 20)      # p = 0.35, z = 1.96 → (0.1812, 0.5671)
    assert (round(lo, 4), round(hi, 4)) == (0.1812, 0.5671)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0


def test_trial_rates_flag_at_35_percent():
    rows = [("P1", "oily", ["闷痘"] if i < 7 else []) for i in range(20)]      # 7/20 = 35% → flagged
    rows += [("P1", "dry", ["卡粉"] if i < 6 else []) for i in range(20)]       # 6/20 = 30% → not
    rows += [("P2", "sensitive", ["泛红"]) for _ in range(3)]                   # 100% but n=3 < 5
    df = rates(pd.DataFrame(rows, columns=["product_id", "skin_type", "problems"]))
    got = {(r.product_id, r.skin_type): (r.rate, r.flagged) for r in df.itertuples()}
    assert got[("P1", "oily")] == (0.35, True)
    assert got[("P1", "dry")] == (0.3, False)
    assert got[("P2", "sensitive")] == (1.0, False)
    assert "闷痘(7)" in df.set_index("skin_type").loc["oily", "top_problems"]


def test_trials_table_loads_and_reports(ws, tmp_path):
    from lashi.store import load_files, open_workspace
    import json

    con = duckdb.connect(str(ws / "lashi.duckdb"), read_only=True)
    pid = con.execute("SELECT product_id FROM products ORDER BY product_id LIMIT 1").fetchone()[0]
    con.close()
    f = tmp_path / "trials.jsonl"
    with open(f, "w", encoding="utf-8") as fh:
        for i in range(10):
            fh.write(json.dumps({"trial_id": f"TR-{i}", "product_id": pid, "skin_type": "oily",
                                 "problems": ["闷痘"] if i < 4 else [], "at": "2025-02-01T10:00:00+08:00"},
                                ensure_ascii=False) + "\n")
        fh.write(json.dumps({"trial_id": "TR-bad", "product_id": "NOPE", "skin_type": "oily", "problems": [],
                             "at": "2025-02-01T10:00:00+08:00"}) + "\n")
    rep = load_files(open_workspace(ws), [("trials", f)])
    assert rep.files[0].loaded == 10 and rep.files[0].quarantined_rows == 1
    from tests.service.conftest import lashi
    out = lashi("cases", "trials", "-w", str(ws)).stdout
    assert "4/10" in out and "40%" in out and "FLAG" in out
