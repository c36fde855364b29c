"""Reserve and insurance sizing on hand-built orders and payouts (figures checkable by hand),
and `lashi reserve` on a small generated workspace."""
from __future__ import annotations

import copy
from datetime import date

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from lashi.cli import main
from lashi.governance.reserve import (ReserveFacts, claims, compound_poisson_interval, insurance_table,
                                      load_reserve_rules, reserve_table)

from .small_ws import build


def _orders(spec):
    """spec: (brand, month, count, amount, promotion) → one row per order."""
    rows, i = [], 0
    for brand, month, count, amount, promo in spec:
        for _ in range(count):
            i += 1
            rows.append((f"O{i}", brand, amount, date.fromisoformat(f"{month}-15"), month, promo))
    return pd.DataFrame(rows, columns=["order_id", "brand_id", "amount", "day", "month", "promotion"])


def _pay(rows):
    return pd.DataFrame(rows, columns=["case_id", "order_id", "brand_id", "kind", "amount", "payer", "month", "returned"])


@pytest.fixture
def rules():
    r = copy.deepcopy(load_reserve_rules())
    r["reserve"]["min_orders"] = 0
    return r


@pytest.fixture
def facts():
    o = _orders([
        ("B1", "2025-01", 2, 100.0, True), ("B1", "2025-01", 2, 100.0, False), ("B1", "2025-02", 4, 100.0, False),
        ("B2", "2025-01", 10, 100.0, False),
        ("B3", "2025-01", 5, 100.0, False), ("B3", "2025-02", 5, 100.0, False),
        ("B4", "2025-01", 1, 100.0, False), ("B4", "2025-02", 9, 100.0, False),
    ])
    first = o.groupby("brand_id")["order_id"].first()
    b1_feb = o[(o.brand_id == "B1") & (o.month == "2025-02")]["order_id"].iloc[0]
    p = _pay([
        ("K1", first["B1"], "B1", "refund_issued", 10.0, "brand", "2025-01", True),        # promotion-day order
        ("K2", b1_feb, "B1", "compensation_accepted", 20.0, "brand", "2025-02", False),
        ("K2", b1_feb, "B1", "medical_compensation_paid", 30.0, "brand", "2025-02", False),
        ("K3", first["B2"], "B2", "refund_issued", 25.0, "brand", "2025-01", False),
        ("K4", first["B2"], "B2", "refund_issued", 40.0, "platform", "2025-01", False),   # someone else's money
        ("K5", first["B3"], "B3", "refund_issued", 40.0, "brand", "2025-02", False),
        ("K6", first["B4"], "B4", "compensation_accepted", 40.0, "brand", "2025-01", False),
    ])
    return ReserveFacts(o, p, pd.DataFrame(), ["2025-01", "2025-02"])


def test_reserve_verdicts_by_hand(facts, rules):
    t, monthly = reserve_table(facts, rules)
    t = t.set_index("brand_id")
    # B1: GMV 800, brand paid 10 + 20 + 30 = 60 → 7.5 % > 5 %: under-reserved, 20 yuan short at 5 %
    assert t.loc["B1", "gmv"] == 800 and t.loc["B1", "payouts"] == 60
    assert t.loc["B1", "payout_ratio"] == pytest.approx(0.075)
    assert t.loc["B1", "verdict"] == "under" and t.loc["B1", "shortfall_at_max"] == pytest.approx(20.0)
    assert (t.loc["B1", "refunds"], t.loc["B1", "compensation"], t.loc["B1", "medical"]) == (10, 20, 30)
    # the 5 % account: January +20 − 10 = 10, February 10 + 20 − 50 = −20 → one month overdrawn
    m1 = monthly[monthly.brand_id == "B1"].set_index("month")
    assert m1.loc["2025-01", "balance_max"] == pytest.approx(10.0)
    assert m1.loc["2025-02", "balance_max"] == pytest.approx(-20.0)
    assert t.loc["B1", "months_short_at_max"] == 1 and t.loc["B1", "peak_month"] == "2025-02"
    assert t.loc["B1", "peak_month_ratio"] == pytest.approx(50 / 400)
    # promotion-day orders (200 yuan) carried the 10 refund: 5 %; other days 50 / 600
    assert t.loc["B1", "promotion_ratio"] == pytest.approx(0.05)
    assert t.loc["B1", "other_days_ratio"] == pytest.approx(50 / 600)
    # B2: brand paid 25 of 1000 = 2.5 % → 3 % covers it; the platform's 40 is shown, not counted
    assert t.loc["B2", "payout_ratio"] == pytest.approx(0.025) and t.loc["B2", "verdict"] == "adequate"
    assert t.loc["B2", "paid_by_others"] == pytest.approx(40.0)
    # B3: 40 of 1000 = 4 %, the 5 % account never runs dry (25, then 25 + 25 − 40 = 10) → raise to 5 %
    assert t.loc["B3", "verdict"] == "raise"
    # B4: 40 of 1000 = 4 % over the period, but January pays 40 on 100 of GMV → overdrawn: peak_short
    assert t.loc["B4", "verdict"] == "peak_short" and t.loc["B4", "min_balance_at_max"] == pytest.approx(-35.0)
    assert list(t.index[:2]) == ["B1", "B4"]  # worst first
    assert "7.5%" in t.loc["B1", "reason_zh"] and "7.5% of GMV" in t.loc["B1", "reason_en"]


def test_reserve_rules_choose_what_counts(facts, rules):
    rules["reserve"]["refunds"] = "unreturned"  # B1's refund came back with the goods
    t = reserve_table(facts, rules)[0].set_index("brand_id")
    assert t.loc["B1", "payouts"] == 50
    rules["reserve"]["refunds"] = "all"
    rules["reserve"]["payers"] = ["brand", "platform"]
    t = reserve_table(facts, rules)[0].set_index("brand_id")
    assert t.loc["B2", "payouts"] == 65 and t.loc["B2", "verdict"] == "under"


def _cases():
    return pd.DataFrame([
        ("C1", "O1", "allergy", "resolved", True, 50.0),
        ("C2", "O2", "allergy", "resolved", True, 0.0),
        ("C3", "O3", "allergy", "withdrawn", True, 0.0),   # withdrawn: no claim
        ("C4", "O4", "allergy", "resolved", False, 0.0),   # no evidence: no claim
        ("C5", "O5", "counterfeit", "resolved", True, 0.0),
    ], columns=["case_id", "order_id", "category", "outcome", "evidence", "medical"])


def test_claims_and_premium_by_hand(rules):
    o = _orders([("B1", "2025-01", 100, 200.0, False)])
    covers = {c["id"]: c for c in rules["insurance"]["covers"]}
    cl = claims(o, _cases(), covers["allergy_full"])
    assert sorted(cl["claim"]) == [200.0, 250.0]       # full price, + medical costs on C1
    assert list(claims(o, _cases(), covers["fake_ten"])["claim"]) == [2000.0]   # 假一赔十
    f = ReserveFacts(o, _pay([]), _cases(), ["2025-01"])
    ins = insurance_table(f, rules, B=2000).set_index(["cover", "subject_id"])
    a = ins.loc[("allergy_full", "INDUSTRY")]
    assert a.claims == 2 and a.pure_premium == pytest.approx(4.5)            # 450 yuan / 100 orders
    assert a.payout_ratio == pytest.approx(4.5 / 200)                         # 2.25 % of GMV
    assert a.pure_premium_lo <= a.pure_premium <= a.pure_premium_hi
    assert a.premium_per_order == pytest.approx(a.pure_premium_hi)            # basis gmv, no loading
    fk = ins.loc[("fake_ten", "INDUSTRY")]
    assert fk.pure_premium == pytest.approx(20.0) and fk.verdict == "over"    # 10 % of GMV > 5 %
    # basis premium: premium = upper bound ÷ 5 %, the payout ratio at that premium ≤ 5 %
    rules["insurance"]["basis"] = "premium"
    ins2 = insurance_table(f, rules, B=2000).set_index(["cover", "subject_id"])
    a2 = ins2.loc[("allergy_full", "INDUSTRY")]
    assert a2.premium_per_order == pytest.approx(a2.pure_premium_hi / 0.05)
    assert a2.payout_ratio <= 0.05


def test_compound_poisson_interval_matches_poisson_quantiles():
    # equal claims of 100 yuan, 50 claims on 1000 orders: the total is 100 × Poisson(50)
    rng = np.random.default_rng(0)
    lo, hi = compound_poisson_interval(np.full(50, 100.0), 50, 1000, 0.90, 20000, rng)
    assert lo == pytest.approx(stats.poisson.ppf(0.05, 50) * 100 / 1000, abs=0.11)   # ≈ 3.9
    assert hi == pytest.approx(stats.poisson.ppf(0.95, 50) * 100 / 1000, abs=0.11)   # ≈ 6.2


def test_reserve_rules_are_checked(tmp_path):
    from lashi.scoring.config import ConfigError

    bad = tmp_path / "r.yaml"
    bad.write_text("reserve: {rate_min: 0.05, rate_max: 0.03, refunds: all, payers: [brand]}\n", "utf-8")
    with pytest.raises(ConfigError):
        load_reserve_rules(bad)


def test_reserve_command(tmp_path):
    ws = build(tmp_path)
    out = tmp_path / "res"
    res = CliRunner().invoke(main, ["reserve", "-p", "2025-Q3", "-w", str(ws.path), "--out", str(out),
                                    "--bootstrap", "200"], terminal_width=200)
    assert res.exit_code == 0, res.output
    for word in ("brand reserve", "after-sales insurance", "过敏全额赔付", "假一赔十"):
        assert word in res.output
    b = pd.read_csv(out / "reserve_brands.csv")
    assert set(b["verdict"]) <= {"under", "peak_short", "raise", "adequate", "too_small"}
    assert np.allclose(b["payouts"], b["refunds"] + b["compensation"] + b["medical"])
    judged = b[b["verdict"] != "too_small"]
    assert ((judged["payout_ratio"] > 0.05) == (judged["verdict"] == "under")).all()
    m = pd.read_csv(out / "reserve_monthly.csv")
    assert set(m["month"]) == {"2025-07", "2025-08", "2025-09"}
    assert np.isclose(m["gmv"].sum(), b["gmv"].sum())
    ins = pd.read_csv(out / "insurance.csv")
    assert set(ins["cover"]) == {"allergy_full", "fake_ten"}
    assert (ins["pure_premium_lo"] <= ins["pure_premium"] + 1e-9).all()
    assert (ins["pure_premium"] <= ins["pure_premium_hi"] + 1e-9).all()
