"""The case-service rules (rules.yaml next to this file), read once and validated."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from lashi.contract.enums import CASE_CATEGORIES, PARTIES, PRODUCT_STATES, ids

RULES_PATH = Path(__file__).resolve().parent / "rules.yaml"
CATS = set(ids(CASE_CATEGORIES))
STATES = set(ids(PRODUCT_STATES))
PARTY_IDS = set(ids(PARTIES))


class RulesError(ValueError):
    pass


def _check(rules: dict, where: str) -> dict:
    def fail(msg: str):
        raise RulesError(f"{where}: {msg}")

    resp = rules.get("responsibility") or fail("missing 'responsibility'")
    seen: dict[str, str] = {}
    for party, cats in resp.items():
        if party not in PARTY_IDS:
            fail(f"responsibility: unknown party {party!r} (expected one of {sorted(PARTY_IDS)})")
        for c in cats:
            if c not in CATS:
                fail(f"responsibility.{party}: unknown category {c!r}")
            if c in seen:
                fail(f"responsibility: category {c!r} listed for both {seen[c]} and {party}")
            seen[c] = party
    if rules.get("fallback_party") not in PARTY_IDS:
        fail("fallback_party must be a party")
    for cat, split in (rules.get("cost_split") or {}).items():
        if cat not in CATS:
            fail(f"cost_split: unknown category {cat!r}")
        if abs(sum(split.values()) - 1.0) > 1e-9:
            fail(f"cost_split.{cat}: shares must add up to 1 (got {sum(split.values())})")
    comp = rules.get("compensation") or {}
    ranks = rules.get("remedy_rank") or fail("missing remedy_rank")
    for name, pol in (rules.get("policies") or fail("missing policies")).items():
        if name not in PARTY_IDS:
            fail(f"policies: unknown party {name!r}")
        for i, r in enumerate(pol.get("rules", [])):
            w = f"policies.{name}.rules[{i}]"
            if r.get("state") != "any" and r.get("state") not in STATES:
                fail(f"{w}.state: {r.get('state')!r} is not any/{sorted(STATES)}")
            cats = r.get("categories")
            if cats != "any" and not (isinstance(cats, list) and set(cats) <= CATS):
                fail(f"{w}.categories: expected 'any' or a list of categories")
            if r.get("remedy") not in ranks:
                fail(f"{w}.remedy: {r.get('remedy')!r} not in remedy_rank")
            if r.get("compensation") and r["compensation"] not in comp:
                fail(f"{w}.compensation: unknown rule {r['compensation']!r}")
            if not isinstance(r.get("days"), int) or r["days"] <= 0:
                fail(f"{w}.days: a positive whole number of days")
            if not r.get("zh") or not r.get("en"):
                fail(f"{w}: needs zh and en reasons")
    q = rules["eta"]["quantile"]
    if not 0.5 <= q < 1:
        fail("eta.quantile must be in [0.5, 1)")
    return rules


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> dict:
    p = Path(path) if path else RULES_PATH
    with open(p, encoding="utf-8") as f:
        return _check(yaml.safe_load(f), str(p))
