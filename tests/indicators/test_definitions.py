"""Each indicator on a small hand-built world, against a value computed by hand in the comments.

The world: streamer ST1 (platform PF1, MCN M1) sells product P1 (brand B1, responsibility list
published) and P2 (sensitive-skin, no list); streamer ST2 on PF1 has no MCN.
"""
from __future__ import annotations

import math

import pytest

from tests.indicators.world import World

REFUND = {"amount": 100.0, "payer": "platform"}


def close(a, b, tol=1e-9):
    return a == pytest.approx(b, abs=tol)


def test_response_timeliness_with_reopen_and_promotion(tmp_path):
    w = World()
    w.window("promotion", "2025-11-05", "2025-11-06", "双十一")
    w.case("2025-11-03 09:00", [(2, "human_reply", "platform")])                      # round 2 h
    w.case("2025-11-04 09:00", [(30, "human_reply", "platform")], promise=48)         # 30 h, promise 48 met
    w.case("2025-11-05 09:00", [(0.1, "ai_reply", "ai")])                             # no human reply (promo)
    w.case("2025-11-06 09:00", [(1, "human_reply", "platform"), (48, "reopened", "consumer"),
                                (58, "human_reply", "platform")])                     # rounds 1 h (promo) and 10 h
    v = w.indicators(tmp_path)
    # five rounds: 2, 30, none, 1, 10 hours
    assert close(v["R1"][0], 3 / 5) and v["R1"][1] == 5          # ≤ 24 h: 2, 1, 10
    assert close(v["R2"][0], 4 / 5)                               # promise met: all but the unanswered round
    assert close(v["R3"][0], 1 / 2) and v["R3"][1] == 2          # promo rounds: unanswered (missed), 1 h (met)
    assert close(v["R4"][0], 6.0) and v["R4"][1] == 4            # median of 1, 2, 10, 30 = (2 + 10) / 2


def test_escalation_ai_and_quality_check(tmp_path):
    w = World()
    w.case("2025-11-03 09:00", [(0.05, "ai_reply", "ai"), (0.1, "escalated_to_human", "ai"),
                                (0.1 + 20 / 60, "human_reply", "platform"), (1, "qc_checked", "platform")],
           predicted="allergy", confirmed="allergy")
    w.case("2025-11-03 10:00", [(0.05, "ai_reply", "ai"), (0.1, "escalated_to_human", "ai"),
                                (1.1, "human_reply", "platform"), (2, "qc_checked", "platform")],
           predicted="skin_fit", confirmed="allergy")
    w.case("2025-11-03 11:00", [(0.05, "ai_reply", "ai")], predicted="other")
    w.case("2025-11-03 12:00", [(1, "human_reply", "platform"), (2, "ai_reply", "ai")],
           predicted="logistics_damage", confirmed="logistics_damage")
    v = w.indicators(tmp_path)
    assert close(v["R5"][0], 40.0, 1e-6)        # median of 20 and 60 minutes
    assert close(v["T4"][0], 2 / 3)             # first answered by AI: K1, K2, K3; escalated: K1, K2
    assert close(v["T1"][0], 2 / 3)             # both categories on K1, K2, K4; equal on K1, K4
    assert close(v["T3"][0], 2 / 4)             # qc on K1, K2 of four cases


def test_refunds_transfers_and_conflicts(tmp_path):
    w = World()
    w.case("2025-11-03 09:00", [(10, "refund_requested", "consumer"), (46, "refund_issued", "platform", REFUND)])
    w.case("2025-11-03 09:00", [(0, "refund_requested", "consumer"), (96, "refund_issued", "platform", REFUND),
                                (1, "transfer", "platform", {"party": "brand"}),
                                (2, "transfer", "brand", {"party": "streamer"}),
                                (3, "transfer", "streamer", {"party": "platform"})])
    w.case("2025-11-03 09:00", [(5, "refund_requested", "consumer"), (6, "transfer", "platform", {"party": "brand"}),
                                (7, "rule_conflict", "platform")])
    v = w.indicators(tmp_path)
    assert close(v["E1"][0], (1.5 + 4.0) / 2)   # 36 h = 1.5 d and 96 h = 4 d
    assert close(v["E4"][0], 1 / 3)             # requested 3, issued within 72 h: 1
    assert close(v["E3"][0], (0 + 3 + 1) / 3)
    assert close(v["C4"][0], 1 / 3)             # ≥ 3 transfers: K2
    assert close(v["C5"][0], 1 / 3)


def test_allergy_working_days_over_holiday_and_adjusted_workday(tmp_path):
    w = World()
    w.window("holiday", "2025-11-10", "2025-11-10", "假日")
    w.window("workday", "2025-11-08", "2025-11-08", "调休")
    # Thu 11-06 → Tue 11-11: Fri 07 work, Sat 08 adjusted work, Sun 09 no, Mon 10 holiday, Tue 11 work = 3
    w.case("2025-11-06 10:00", [(5 * 24, "resolved", "brand"),
                                (30, "medical_compensation_paid", "brand", {"amount": 200.0, "payer": "brand"})],
           confirmed="allergy")
    # resolved the same day: 0 working days
    w.case("2025-11-17 10:00", [(8, "resolved", "brand")], predicted="allergy", confirmed="allergy")
    # predicted allergy but confirmed skin fit: not an allergy case
    w.case("2025-11-18 10:00", [(8, "resolved", "brand")], predicted="allergy", confirmed="skin_fit")
    v = w.indicators(tmp_path)
    assert close(v["E2"][0], (3 + 0) / 2) and v["E2"][1] == 2
    assert close(v["E5"][0], 1 / 2) and v["E5"][1] == 2


def test_satisfaction_and_repeat_complaints(tmp_path):
    w = World()
    o1 = w.order()
    k1 = w.case("2025-11-03 09:00", [(1, "human_reply", "platform"), (2, "resolved", "platform")], order=o1)
    k2 = w.case("2025-11-04 09:00", [(1, "transfer", "platform", {"party": "brand"}), (2, "resolved", "brand")])
    k3 = w.case("2025-11-05 09:00", [(2, "resolved", "brand")])
    k4 = w.case("2025-11-06 09:00", [(2, "reopened", "consumer")], outcome="unresolved")
    w.case("2025-11-07 09:00", [], outcome="withdrawn")
    w.case("2025-11-08 09:00", [], outcome="open")
    w.case("2025-11-13 09:00", [], order=o1, outcome="open")      # a new case on K1's order 10 days later
    w.message(k1, "consumer")
    w.message(k3, "consumer")
    w.message(k3, "consumer")
    for s in (10, 9, 9, 7, 3):
        w.survey(k1, "nps", s)
    for s in (5, 4, 3):
        w.survey(k2, "csat", s)
    for s in (1, 1, 0, 1):
        w.survey(k3, "follow_up", s)
    v = w.indicators(tmp_path)
    assert close(v["S1"][0], 60 - 20) and v["S1"][1] == 5        # promoters 3/5, detractors 1/5
    assert close(v["S2"][0], 4.0) and v["S2"][1] == 3
    assert close(v["M3"][0], 3 / 4)
    assert close(v["S4"][0], 3 / 4)                               # resolved 3 of 4 closed (withdrawn, open excluded)
    assert close(v["S3"][0], 1 / 3)                               # K1 only: K2 transferred, K3 two contacts
    assert close(v["E6"][0], 2 / 7)                               # K1 (new case on its order), K4 (reopened)
    assert k4


def test_responsibility_clarity(tmp_path):
    w = World()
    w.order(amount=300.0, product="P1", at="2025-11-02 10:00")   # list published
    w.order(amount=100.0, product="P2", at="2025-11-02 11:00")   # no list
    w.case("2025-11-03 09:00", [(0, "routed", "platform", {"party": "brand"}), (24, "arbitration_opened", "consumer"),
                                (72, "arbitration_decided", "platform", {"party": "brand"})])
    w.case("2025-11-03 09:00", [(0, "routed", "platform", {"party": "streamer"}), (24, "arbitration_opened", "consumer"),
                                (24 + 6 * 24, "arbitration_decided", "platform", {"party": "brand"})])
    w.case("2025-11-03 09:00", [(24, "arbitration_opened", "consumer"),
                                (24 + 10 * 24, "arbitration_decided", "platform", {"party": "brand"})], channel="brand")
    v = w.indicators(tmp_path)
    assert close(v["C2"][0], 6.0, 1e-6)                           # median of 2, 6, 10 days
    assert close(v["C3"][0], 2 / 3)                               # K1 routed right; K3 falls back to its channel
    assert close(v["C1"][0], 300 / 400)                           # GMV-weighted over the period's orders


def test_emotional_communication(tmp_path):
    w = World()
    k1 = w.case("2025-11-03 09:00", [
        (0.5, "compensation_offered", "brand", {"compensation_kind": "personalized"}),
        (0.6, "compensation_offered", "brand", {"compensation_kind": "personalized"}),
        (0.7, "compensation_accepted", "consumer", {"compensation_kind": "personalized", "amount": 20.0, "payer": "brand"}),
        (1, "anger_detected", "ai"), (1 + 20 / 60, "senior_agent_assigned", "platform")])
    w.case("2025-11-03 10:00", [
        (0.5, "compensation_offered", "brand", {"compensation_kind": "standard"}),
        (0.7, "compensation_accepted", "consumer", {"compensation_kind": "standard", "amount": 10.0, "payer": "brand"}),
        (1, "anger_detected", "ai"), (2, "senior_agent_assigned", "platform")])
    w.case("2025-11-03 11:00", [(1, "anger_detected", "ai")])
    for tone in ("positive_empathetic", "positive_empathetic", "neutral", "cold"):
        w.message(k1, "agent", tone)
    w.message(k1, "agent", None)       # not judged yet: not counted
    w.message(k1, "consumer", None)
    v = w.indicators(tmp_path)
    assert close(v["M1"][0], 2 / 4) and v["M1"][1] == 4
    assert close(v["M2"][0], 1 / 2)                               # personalized: offered 2, accepted 1
    assert close(v["M4"][0], 1 / 3)                               # senior within 30 min: K1 only


def test_subjects_slices_and_promotion_boundary(tmp_path):
    w = World()
    w.window("promotion", "2025-11-01", "2025-11-11", "双十一")
    # created 23:30 on the last promotion day, answered the next day: the round is a promotion round
    w.case("2025-11-11 23:30", [(2, "human_reply", "platform")], product="P2")
    w.case("2025-11-12 09:00", [(30, "human_reply", "platform")], product="P1")
    w.case("2025-11-12 10:00", [(1, "human_reply", "platform")], product="P1", session="L2")   # streamer ST2
    v_all = w.indicators(tmp_path)
    tab = w.table
    cases = tab[tab.indicator_id == "R1"].set_index(["subject_id", "slice"])["cases"]
    assert cases[("ST1", "all")] == 2 and cases[("ST2", "all")] == 1
    assert cases[("M1", "all")] == 2                     # the MCN has ST1's cases only
    assert cases[("PF1", "all")] == 3 and cases[("B1", "all")] == 3 and cases[("INDUSTRY", "all")] == 3
    assert cases[("ST1", "promotion+sensitive_skin")] == 1 and cases[("ST1", "base")] == 1
    r3 = tab[(tab.subject_id == "ST1") & (tab.indicator_id == "R3") & (tab.slice == "all")].iloc[0]
    assert r3.n == 1 and r3.value == 0.0                 # the boundary case counts in the promotion, answered in time
    assert close(v_all["R1"][0], 1 / 2)


def test_missing_is_missing_not_zero(tmp_path):
    w = World()
    w.case("2025-11-03 09:00", [(1, "human_reply", "platform")])
    v = w.indicators(tmp_path)
    for ind in ("E2", "E5", "C2", "C3", "M2", "M4", "S1", "R5"):
        assert math.isnan(v[ind][0]) and v[ind][1] == 0, ind
