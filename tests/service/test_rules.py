"""Routing, return eligibility and policy conflicts against hand-written tables (spec §8 and
rules.yaml): each row states the expected decision and the rule that makes it so."""
from __future__ import annotations

import pytest

from lashi.cases.service.config import RulesError, _check, load_rules
from lashi.cases.service.eligibility import decide, has_evidence, infer_state
from lashi.cases.service.routing import cost_split, route

# (category, product has a published list, expected queue) — 售后责任清单
ROUTING = [
    ("allergy", True, "brand"),                 # brand: allergy
    ("counterfeit", True, "brand"),             # brand: counterfeit
    ("skin_fit", True, "brand"),                # brand: formula
    ("false_advertising", True, "streamer"),    # streamer: what was said on air
    ("ingredient_mismatch", True, "streamer"),  # streamer: on-air ingredient claims
    ("gift_missing", True, "streamer"),         # streamer: gifts promised on air
    ("logistics_damage", True, "logistics"),    # logistics: transport damage
    ("return_refund", True, "platform"),        # platform: refund guarantee
    ("service_attitude", True, "platform"),     # platform: oversight
    ("allergy", False, "platform"),             # no list published → platform falls back
    ("logistics_damage", False, "platform"),
]


@pytest.mark.parametrize("category,has_list,party", ROUTING)
def test_routing_table(category, has_list, party):
    r = route(category, has_list)
    assert r.party == party
    assert r.via_list is has_list
    assert r.reason_zh and r.reason_en


def test_cost_split_for_exaggerated_claims():
    assert cost_split("false_advertising") == {"brand": 0.8, "streamer": 0.2}
    assert cost_split("allergy") is None


# (category, state, evidence, days since order) → (eligible, remedy, compensation, conflict, policy applied)
ELIGIBILITY = [
    # unopened and intact → 7-day no-reason return, whatever the reason
    ("skin_fit", "unopened", False, 3, True, "no_reason_return", None, False, "platform"),
    ("other", "unopened", False, 6.9, True, "no_reason_return", None, False, "platform"),
    ("other", "unopened", False, 8, False, "none", None, False, "platform"),          # past 7 days
    # opened but unused → return and refund
    ("skin_fit", "opened_unused", False, 5, True, "return_refund", None, False, "platform"),
    # used → no no-reason return…
    ("skin_fit", "used", False, 2, False, "none", None, False, None),
    ("other", "used", False, 2, False, "none", None, False, None),
    # …but allergy with evidence, quality / ingredient mismatch and counterfeit stay eligible
    ("allergy", "used", True, 5, True, "return_refund", None, False, "platform"),
    ("ingredient_mismatch", "used", False, 5, True, "return_refund", None, False, "platform"),
    ("false_advertising", "used", False, 5, True, "return_refund", None, False, "platform"),
    ("logistics_damage", "used", False, 5, True, "return_refund", None, False, "platform"),
]


@pytest.mark.parametrize("cat,state,ev,days,eligible,remedy,comp,conflict,policy", ELIGIBILITY)
def test_eligibility_table(cat, state, ev, days, eligible, remedy, comp, conflict, policy):
    d = decide(cat, state, evidence=ev, days_since_order=days)
    assert (d.eligible, d.remedy, d.compensation, d.conflict) == (eligible, remedy, comp, conflict)
    if policy:
        assert d.applied_policy == policy
    assert d.reason_zh and d.reason_en


# Conflicts: policies disagree → the most consumer-favourable applies, flagged as a conflict.
CONFLICTS = [
    # allergy without evidence: platform needs evidence, the streamer's 过敏包退 does not → streamer's
    ("allergy", "used", False, 5, "return_refund", None, "streamer"),
    # counterfeit: platform 假一赔三, brand 假一赔十 → 假一赔十 (10×)
    ("counterfeit", "used", False, 20, "return_refund", "jia_yi_pei_shi", "brand"),
]


@pytest.mark.parametrize("cat,state,ev,days,remedy,comp,policy", CONFLICTS)
def test_conflicts_apply_most_favourable(cat, state, ev, days, remedy, comp, policy):
    d = decide(cat, state, evidence=ev, days_since_order=days)
    assert d.conflict
    assert (d.remedy, d.compensation, d.applied_policy) == (remedy, comp, policy)
    assert "规则冲突" in d.reason_zh and "conflict" in d.reason_en
    if comp == "jia_yi_pei_shi":
        assert d.multiple == 10


def test_policies_that_agree_are_no_conflict_and_window_counts():
    # allergy with evidence within 30 days: platform and streamer both grant return → no conflict
    d = decide("allergy", "used", evidence=True, days_since_order=10)
    assert d.eligible and not d.conflict
    # after the streamer's 30 days only the platform (90 days, evidence) grants it: they disagree,
    # the favourable platform decision applies and the disagreement is flagged
    d = decide("allergy", "used", evidence=True, days_since_order=45)
    assert d.eligible and d.applied_policy == "platform" and d.conflict


def test_unknown_state_asks():
    d = decide("allergy", None)
    assert not d.eligible and "商品状态" in d.reason_zh


@pytest.mark.parametrize("text,state", [
    ("还没拆封，想退货", "unopened"),
    ("拆了但没用，不想要了", "opened_unused"),
    ("用了两天脸上刺痛泛红", "used"),
    ("物流太慢了", None),
])
def test_state_from_text(text, state):
    assert infer_state(text) == state


def test_evidence_from_text():
    assert has_evidence("已经拍了照片，也去了医院")
    assert not has_evidence("脸上刺痛")


def test_rules_are_validated():
    r = load_rules()
    bad = {**r, "responsibility": {**r["responsibility"], "logistics": ["logistics_damage", "allergy"]}}
    with pytest.raises(RulesError, match="allergy"):
        _check(bad, "test")
    bad = {**r, "cost_split": {"false_advertising": {"brand": 0.8, "streamer": 0.3}}}
    with pytest.raises(RulesError, match="add up to 1"):
        _check(bad, "test")
