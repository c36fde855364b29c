"""Cosmetic ingredient dictionary and label normaliser.

Data: ``lashi/cases/data/ingredients.csv`` (derived by scripts/derive_ingredients.py from the
curated list ``ingredients_curated.txt`` and the real INCI lists of the Kaggle cosmetics set).
Each irritant/allergen flag names its source (FLAG_SOURCES).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# code -> (kind, zh, en, source)
FLAG_SOURCES: dict[str, tuple[str, str, str, str]] = {
    "F26": ("allergen", "香料致敏原", "fragrance allergen",
            "EU Regulation (EC) No 1223/2009 Annex III — the 26 fragrance allergens that must be "
            "labelled above 0.001% (leave-on) / 0.01% (rinse-off)"),
    "FR": ("allergen", "香精(混合香料)", "fragrance (mixture)",
           "American Contact Dermatitis Society (ACDS) Contact Allergen of the Year 2007: fragrance; "
           "fragrance is among the leading causes reported under China's cosmetics adverse-reaction "
           "monitoring (NMPA, 化妆品不良反应监测管理办法 2022)"),
    "MI": ("allergen", "异噻唑啉酮类防腐剂", "isothiazolinone preservative",
           "ACDS Contact Allergen of the Year 2013: methylisothiazolinone; banned in leave-on products "
           "by EU Regulation 2016/1198"),
    "FA": ("allergen", "甲醛/甲醛释放体", "formaldehyde / formaldehyde releaser",
           "ACDS Contact Allergen of the Year 2015: formaldehyde; EU Regulation 2022/1181 "
           "('releases formaldehyde' labelling)"),
    "PG": ("allergen", "丙二醇", "propylene glycol", "ACDS Contact Allergen of the Year 2018: propylene glycol"),
    "CAPB": ("allergen", "椰油酰胺丙基甜菜碱", "cocamidopropyl betaine",
             "ACDS Contact Allergen of the Year 2004: cocamidopropyl betaine"),
    "APG": ("allergen", "烷基葡糖苷", "alkyl glucoside", "ACDS Contact Allergen of the Year 2017: alkyl glucosides"),
    "LAN": ("allergen", "羊毛脂", "lanolin", "ACDS Contact Allergen of the Year 2023: lanolin"),
    "ACR": ("allergen", "丙烯酸酯", "acrylates", "ACDS Contact Allergen of the Year 2012: acrylates"),
    "BP3": ("allergen", "二苯酮类防晒剂", "benzophenone UV filter",
            "ACDS Contact Allergen of the Year 2014: benzophenones"),
    "OCT": ("allergen", "奥克立林(光)致敏", "octocrylene (photo)allergy",
            "de Groot AC, Roberts DW. Contact and photocontact allergy to octocrylene: a review. "
            "Contact Dermatitis 2014;70:193-204"),
    "PPD": ("allergen", "染发剂致敏原", "hair-dye allergen",
            "ACDS Contact Allergen of the Year 2006: p-phenylenediamine; China 化妆品安全技术规范 (2015) "
            "restricted hair-dye substances"),
    "PROP": ("allergen", "蜂胶", "propolis", "contact-dermatitis literature (propolis in the "
             "North American / European baseline patch-test series)"),
    "COMP": ("allergen", "菊科植物", "Compositae plant",
             "contact-dermatitis literature: Compositae (sesquiterpene lactone) mix in the European baseline series"),
    "EO": ("allergen", "精油(含香料致敏成分)", "essential oil (contains fragrance allergens)",
           "EU SCCS Opinion on fragrance allergens in cosmetic products, SCCS/1459/11 (2012)"),
    "IPBC": ("allergen", "碘丙炔醇丁基氨甲酸酯", "IPBC", "EU Regulation 1223/2009 Annex V entry 56 (restricted, "
             "not in products for children under 3); contact-dermatitis literature"),
    "PARA": ("note", "尼泊金酯类防腐剂", "paraben preservative",
             "EU Regulation 1223/2009 Annex V (limits); ACDS named parabens 'Non-Allergen of the Year' 2019 — "
             "low sensitisation risk on intact skin"),
    "ALC": ("irritant", "乙醇(刺痛/干燥)", "ethanol (stinging, drying)",
            "Löffler H et al. How irritant is alcohol? Br J Dermatol 2007;157:74-81 — stinging and barrier "
            "irritation on damaged or sensitive skin"),
    "AHA": ("irritant", "果酸(α-羟基酸)", "alpha-hydroxy acid",
            "US FDA Guidance for Industry: Labeling for Cosmetics Containing Alpha Hydroxy Acids (2005) — "
            "irritation and sun sensitivity"),
    "BHA": ("irritant", "水杨酸(β-羟基酸)", "beta-hydroxy acid",
            "US FDA AHA/BHA guidance (2005); EU Regulation 1223/2009 Annex III entry 98 (salicylic acid limits)"),
    "ACID": ("irritant", "酸性活性成分", "acidic active", "contact-dermatitis literature: low-pH actives cause stinging"),
    "RET": ("irritant", "视黄醇类(A醇)", "retinoid",
            "EU SCCS Opinion on Vitamin A, SCCS/1576/16 — retinoid irritation; not for pregnancy use"),
    "SLS": ("irritant", "强清洁表活", "strong anionic surfactant",
            "Tupker RA et al. Guidelines on sodium lauryl sulfate exposure tests (ESCD). "
            "Contact Dermatitis 1997;37:53-69 — the reference skin irritant"),
    "SLES": ("irritant", "阴离子表活", "anionic surfactant", "contact-dermatitis literature (milder than SLS)"),
    "FLUSH": ("irritant", "烟酸(潮红)", "niacin (flushing)", "pharmacology literature: nicotinic acid causes cutaneous flushing"),
    "KER": ("irritant", "尿素(高浓度刺痛)", "urea (stinging at high strength)", "dermatology literature on keratolytics"),
    "KOJ": ("allergen", "曲酸", "kojic acid", "EU SCCS Opinion on kojic acid, SCCS/1637/21 (sensitiser)"),
    "COOL": ("irritant", "清凉剂", "cooling agent", "contact-dermatitis literature: menthol/camphor sensory irritation"),
    "HOT": ("irritant", "温感剂", "warming agent", "capsaicinoids: sensory irritation"),
    "PHOTO": ("irritant", "光敏(呋喃香豆素)", "phototoxic (furocoumarins)",
              "EU Regulation 1223/2009 Annex II/III furocoumarin limits; SCCS/1459/11"),
    "QUAT": ("irritant", "阳离子季铵盐", "quaternary ammonium", "contact-dermatitis literature (irritant in leave-on use)"),
    "ALUM": ("irritant", "铝盐止汗剂", "aluminium antiperspirant", "dermatology literature (axillary irritation)"),
    "OXID": ("irritant", "强碱/氧化剂", "alkali / oxidiser", "China 化妆品安全技术规范 (2015) restricted substances"),
    "UVF": ("allergen", "化学防晒剂", "organic UV filter", "contact-dermatitis literature on photocontact allergy to UV filters"),
}


@dataclass(frozen=True)
class Ingredient:
    id: str
    inci: str
    zh: str
    synonyms: tuple[str, ...]
    function: str
    flags: tuple[str, ...]
    frequency: int

    @property
    def irritant(self) -> bool:
        return any(FLAG_SOURCES[f][0] == "irritant" for f in self.flags)

    @property
    def allergen(self) -> bool:
        return any(FLAG_SOURCES[f][0] == "allergen" for f in self.flags)

    def flag_details(self) -> list[dict]:
        return [{"code": f, "kind": FLAG_SOURCES[f][0], "zh": FLAG_SOURCES[f][1], "en": FLAG_SOURCES[f][2],
                 "source": FLAG_SOURCES[f][3]} for f in self.flags]


_PARENS = re.compile(r"[\(（\[【].*?[\)）\]】]")
_STAR = re.compile(r"[*†‡^°]+")


def key(token: str) -> str:
    """Normalisation key of a label token: NFKC, lower case, no trailing dot/asterisk, unified
    punctuation and spacing ("Alcohol Denat." == "alcohol denat", "CI 77891" == "ci77891")."""
    t = unicodedata.normalize("NFKC", token or "").lower().strip()
    t = _STAR.sub("", t)
    t = t.replace("–", "-").replace("—", "-").replace("／", "/")
    t = re.sub(r"[\s\.·・,;:'\"]+", "", t)
    return t


def slug(inci: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", inci.lower()).strip("_")


@lru_cache(maxsize=1)
def dictionary() -> dict[str, Ingredient]:
    out = {}
    with open(DATA / "ingredients.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[r["id"]] = Ingredient(r["id"], r["inci"], r["zh"],
                                      tuple(s for s in r["synonyms"].split(";") if s),
                                      r["function"], tuple(s for s in r["flags"].split(";") if s),
                                      int(r["frequency"] or 0))
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for ing in dictionary().values():
        for name in (ing.inci, ing.zh, *ing.synonyms):
            k = key(name)
            if k and k not in idx:
                idx[k] = ing.id
    for ing in dictionary().values():   # INCI and Chinese names win over synonyms
        idx[key(ing.inci)] = ing.id
        idx[key(ing.zh)] = ing.id
    return idx


def normalise(token: str) -> str | None:
    """Map a label token (INCI with parentheses, any case/punctuation, or a Chinese name) to a
    dictionary id, or None when unknown."""
    idx = _index()
    k = key(token)
    if not k:
        return None
    if k in idx:
        return idx[k]
    k2 = key(_PARENS.sub("", token))            # "Butyrospermum Parkii (Shea) Butter"
    if k2 in idx:
        return idx[k2]
    inner = re.findall(r"[\(（](.*?)[\)）]", token)   # "Titanium Dioxide (CI 77891)" / "(Pitera)"
    for part in inner:
        if key(part) in idx:
            return idx[key(part)]
    for part in re.split(r"/", token):          # "Parfum/Fragrance"
        if key(part) in idx and part.strip() != token.strip():
            return idx[key(part)]
    return None


def lookup(token: str) -> Ingredient | None:
    i = normalise(token)
    return dictionary()[i] if i else None


_SPLIT = re.compile(r"(?:[，、;；\n]|,(?!\d))\s*(?![^()（）]*[\)）])")


def split_label(text: str) -> list[str]:
    """Split a label string into tokens in label order (commas inside parentheses are kept)."""
    parts = [p.strip().strip(".。").strip() for p in _SPLIT.split(text or "")]
    return [p for p in parts if p]


def synonyms_of(ingredient_id: str) -> list[str]:
    ing = dictionary()[ingredient_id]
    return [ing.inci, ing.zh, *ing.synonyms]
