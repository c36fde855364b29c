"""Routing by the responsibility list (售后责任清单): case category → the responsible party's queue."""
from __future__ import annotations

from dataclasses import dataclass

from lashi.contract.enums import CASE_CATEGORIES, PARTIES, label

from .config import load_rules


@dataclass(frozen=True)
class Route:
    party: str                 # the queue: brand | streamer | logistics | platform
    category: str
    via_list: bool             # False: the product has no published list, platform fallback
    reason_zh: str
    reason_en: str


def route(category: str, has_list: bool = True, rules: dict | None = None) -> Route:
    """The responsible party for a case of `category` on a product with (`has_list`) or without
    a published responsibility list."""
    r = rules or load_rules()
    cz, ce = label(CASE_CATEGORIES, category, "zh"), label(CASE_CATEGORIES, category, "en")
    if not has_list:
        p = r["fallback_party"]
        return Route(p, category, False,
                     f"该商品未公示售后责任清单，由{label(PARTIES, p, 'zh')}兜底处理「{cz}」",
                     f"no responsibility list published for this product: the {label(PARTIES, p, 'en')} handles '{ce}'")
    for party, cats in r["responsibility"].items():
        if category in cats:
            return Route(party, category, True,
                         f"依售后责任清单，「{cz}」由{label(PARTIES, party, 'zh')}负责",
                         f"by the responsibility list, '{ce}' is the {label(PARTIES, party, 'en')}'s")
    p = r["fallback_party"]
    return Route(p, category, True, f"责任清单未列明「{cz}」，由{label(PARTIES, p, 'zh')}兜底",
                 f"'{ce}' is not on the list: the {label(PARTIES, p, 'en')} handles it")


def cost_split(category: str, rules: dict | None = None) -> dict[str, float] | None:
    """Shares of a refund's cost per party (e.g. exaggerated claims: brand 0.8, streamer 0.2)."""
    return dict((rules or load_rules()).get("cost_split", {}).get(category) or {}) or None
