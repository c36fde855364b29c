"""Claim check (成分夸大, 功效宣称): claims said on air against the product label.

Rules: ingredients above 1% are listed in descending amount, so the ingredient at position k
(1-based) cannot exceed 100/k %; a free-from claim is contradicted by any listed synonym; a
sensitive-skin (or pregnancy / baby) claim with flagged ingredients gets a warning.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from . import ingredients as I

VERDICTS = {"impossible": ("不可能", "impossible"), "contradicted": ("与成分表矛盾", "contradicted"),
            "warning": ("需警示", "warning"), "consistent": ("与成分表一致", "consistent"),
            "cannot_tell": ("无法判断", "cannot tell")}

# Families: a claim on the left is about any of these dictionary ids.
FAMILIES: dict[str, tuple[str, ...]] = {
    "sodium_hyaluronate": ("sodium_hyaluronate", "hyaluronic_acid", "hydrolyzed_hyaluronic_acid",
                           "sodium_hyaluronate_crosspolymer", "sodium_acetylated_hyaluronate"),
    "hyaluronic_acid": ("sodium_hyaluronate", "hyaluronic_acid", "hydrolyzed_hyaluronic_acid",
                        "sodium_hyaluronate_crosspolymer", "sodium_acetylated_hyaluronate"),
    "alcohol": ("alcohol", "alcohol_denat"),
    "alcohol_denat": ("alcohol", "alcohol_denat"),
    "ascorbic_acid": ("ascorbic_acid", "3_o_ethyl_ascorbic_acid", "ascorbyl_glucoside",
                      "magnesium_ascorbyl_phosphate", "sodium_ascorbyl_phosphate",
                      "tetrahexyldecyl_ascorbate", "ascorbyl_palmitate"),
    "ceramide_np": ("ceramide_np", "ceramide_ap", "ceramide_eop"),
    "hydrolyzed_collagen": ("hydrolyzed_collagen",),
}

# Free-from classes (无酒精 / 无香精 / 无防腐剂 / 无硅油 / 无矿物油 / 无色素 / 无尼泊金 / 无甲醛)
CLASS_WORDS = {
    "alcohol": ("酒精", "乙醇", "alcohol"),
    "fragrance": ("香精", "香料", "香味剂", "fragrance", "parfum"),
    "preservative": ("防腐剂", "preservative"),
    "silicone": ("硅油", "silicone"),
    "mineral_oil": ("矿物油", "矿油", "mineral oil"),
    "colorant": ("色素", "人工色素", "colorant"),
    "paraben": ("尼泊金", "尼泊金酯", "paraben", "对羟基苯甲酸酯"),
    "formaldehyde": ("甲醛",),
    "sulfate": ("硫酸盐", "sls", "sulfate"),
}
CLASS_LABEL = {"alcohol": ("酒精(乙醇)", "alcohol"), "fragrance": ("香精", "fragrance"),
               "preservative": ("防腐剂", "preservatives"), "silicone": ("硅油", "silicones"),
               "mineral_oil": ("矿物油", "mineral oil"), "colorant": ("色素", "colorants"),
               "paraben": ("尼泊金酯", "parabens"), "formaldehyde": ("甲醛及释放体", "formaldehyde"),
               "sulfate": ("硫酸盐表活", "sulfate surfactants")}


def _in_class(cls: str, ing: I.Ingredient) -> bool:
    if cls == "alcohol":
        return ing.id in ("alcohol", "alcohol_denat")
    if cls == "fragrance":
        return ing.id == "fragrance"
    if cls == "preservative":
        return "preservative" in ing.function and "booster" not in ing.function
    if cls == "silicone":
        return bool(re.search(r"methicone|siloxane|silane", ing.inci.lower()))
    if cls == "mineral_oil":
        return ing.id in ("mineral_oil", "petrolatum", "paraffin", "microcrystalline_wax")
    if cls == "colorant":
        return ing.function.startswith("colorant")
    if cls == "paraben":
        return "PARA" in ing.flags
    if cls == "formaldehyde":
        return "FA" in ing.flags
    if cls == "sulfate":
        return ing.id in ("sodium_lauryl_sulfate", "sodium_laureth_sulfate", "ammonium_lauryl_sulfate")
    return False


@dataclass(frozen=True)
class ClaimVerdict:
    claim: str                 # the claim as found in the text
    kind: str                  # percentage / free_from / suitability / purity
    subject: str               # ingredient id, class or audience
    verdict: str               # impossible / contradicted / warning / consistent / cannot_tell
    reason_zh: str
    reason_en: str
    evidence: tuple[str, ...] = ()   # label tokens behind the verdict (with positions)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["verdict_label"] = dict(zip(("zh", "en"), VERDICTS[self.verdict]))
        return d


@lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern, dict[str, str]]:
    names: dict[str, str] = {}
    for ing in I.dictionary().values():
        for n in (ing.zh, ing.inci, *ing.synonyms):
            n2 = n.strip().lower()
            if len(n2) >= 2 and not re.fullmatch(r"[a-z]{1,2}|ci \d+|\d+", n2):
                names.setdefault(n2, ing.id)
    alts = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alts)), names


def _label(ingredients: list[str]) -> list[tuple[int, str, I.Ingredient | None]]:
    return [(k, tok, I.lookup(tok)) for k, tok in enumerate(ingredients, start=1)]


def _positions(label, ids: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(k, tok) for k, tok, ing in label if ing is not None and ing.id in ids]


PCT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
FREE = re.compile(r"(?:无|不含|不添加|零添加|0添加|无添加|没有添加|不加|free\s*of|free-from|-free)")
SUIT = re.compile(r"(敏感肌|敏敏肌|孕妇|孕期|哺乳期|婴儿|宝宝|儿童|婴幼儿)[^，。,.!！]{0,4}?(可用|可以用|能用|适用|专用|放心用|也能用|友好)")


def parse_and_check(text: str, ingredients: list[str]) -> list[ClaimVerdict]:
    t = text or ""
    low = t.lower()
    label = _label(ingredients)
    n_listed = len(label)
    out: list[ClaimVerdict] = []
    pat, names = _name_pattern()
    mentions = [(m.start(), m.end(), names[m.group(0)], m.group(0)) for m in pat.finditer(low)]

    # 1. percentages: nearest ingredient mention within 8 chars after (含95%玻尿酸) or before (玻尿酸含量95%)
    for m in PCT.finditer(low):
        pct = float(m.group(1))
        after = [x for x in mentions if 0 <= x[0] - m.end() <= 8]
        before = [x for x in mentions if 0 <= m.start() - x[1] <= 8]
        cand = (after[:1] or before[-1:])
        claim_txt = t[max(0, m.start() - 3):m.end() + 8].strip()
        if not cand:
            if pct >= 100 and re.search(r"纯", low[max(0, m.start() - 4):m.end() + 4]):
                out.append(_purity(claim_txt, label))
            continue
        _, _, iid, name = cand[0]
        ids = FAMILIES.get(iid, (iid,))
        pos = _positions(label, ids)
        ing = I.dictionary()[iid]
        claim_txt = t[min(m.start(), cand[0][0]):max(m.end(), cand[0][1])]
        if not label:
            out.append(ClaimVerdict(claim_txt, "percentage", iid, "cannot_tell",
                                    "没有成分表，无法核对含量宣称。", "No ingredient list to check the claim against."))
            continue
        if not pos:
            out.append(ClaimVerdict(claim_txt, "percentage", iid, "contradicted",
                                    f"宣称含{pct:g}%{ing.zh}，但成分表中没有{ing.zh}或其同义成分。",
                                    f"Claims {pct:g}% {ing.inci}, but neither it nor a synonym is on the label."))
            continue
        k, tok = pos[0]
        cap = 100.0 / k
        if pct > cap + 1e-9:
            out.append(ClaimVerdict(claim_txt, "percentage", iid, "impossible",
                                    f"{tok}在成分表第{k}位；按含量递减排列规则，第{k}位成分最多约{cap:.1f}%，"
                                    f"不可能达到宣称的{pct:g}%。",
                                    f"{tok} is at position {k} of the label; ingredients are listed in descending "
                                    f"amount, so position {k} can hold at most {cap:.1f}%, not the claimed {pct:g}%.",
                                    (f"{k}:{tok}",)))
        else:
            out.append(ClaimVerdict(claim_txt, "percentage", iid, "consistent",
                                    f"{tok}在成分表第{k}位，上限约{cap:.1f}%，宣称的{pct:g}%在此范围内（成分表不能证明确切含量）。",
                                    f"{tok} is at position {k}; its upper bound is {cap:.1f}%, so {pct:g}% is possible "
                                    "(the label cannot prove the exact amount).", (f"{k}:{tok}",)))

    # 2. free-from claims
    seen_cls = set()
    for m in FREE.finditer(low):
        window = low[m.end():m.end() + 6] if not m.group(0).endswith("free") else low[max(0, m.start() - 14):m.start()]
        for cls, words in CLASS_WORDS.items():
            if cls in seen_cls or not any(window.startswith(w) or (w in window and m.group(0).endswith("free")) for w in words):
                continue
            seen_cls.add(cls)
            zh, en = CLASS_LABEL[cls]
            claim_txt = t[m.start():m.end() + len(next(w for w in words if w in window))] if not m.group(0).endswith("free") else t[max(0, m.start() - 14):m.end()]
            if not label:
                out.append(ClaimVerdict(claim_txt, "free_from", cls, "cannot_tell", "没有成分表，无法核对。",
                                        "No ingredient list to check against."))
                continue
            hits = [(k, tok) for k, tok, ing in label if ing is not None and _in_class(cls, ing)]
            if hits:
                ev = tuple(f"{k}:{tok}" for k, tok in hits)
                out.append(ClaimVerdict(claim_txt, "free_from", cls, "contradicted",
                                        f"宣称不含{zh}，但成分表列有：" + "、".join(f"第{k}位 {tok}" for k, tok in hits) + "。",
                                        f"Claims to be free of {en}, but the label lists: " +
                                        ", ".join(f"{tok} (position {k})" for k, tok in hits) + ".", ev))
            else:
                extra_zh = extra_en = ""
                if cls == "fragrance":
                    f26 = [(k, tok) for k, tok, ing in label if ing is not None and ("F26" in ing.flags or "EO" in ing.flags)]
                    if f26:
                        out.append(ClaimVerdict(claim_txt, "free_from", cls, "warning",
                                                "未列香精，但含有香料致敏原/精油：" + "、".join(f"第{k}位 {tok}" for k, tok in f26) + "。",
                                                "No 'fragrance' listed, but fragrance allergens / essential oils are: " +
                                                ", ".join(f"{tok} ({k})" for k, tok in f26) + ".",
                                                tuple(f"{k}:{tok}" for k, tok in f26)))
                        continue
                unknown = sum(1 for _, _, ing in label if ing is None)
                if unknown:
                    extra_zh = f"（另有{unknown}个成分未能识别）"
                    extra_en = f" ({unknown} label tokens were not recognised)"
                out.append(ClaimVerdict(claim_txt, "free_from", cls, "consistent" if not unknown else "cannot_tell",
                                        f"成分表中未发现{zh}。{extra_zh}", f"No {en} found on the label.{extra_en}"))

    # 3. suitability claims
    for m in SUIT.finditer(t):
        who = m.group(1)
        audience = "sensitive" if "敏" in who else "pregnancy" if who in ("孕妇", "孕期", "哺乳期") else "baby"
        if not label:
            out.append(ClaimVerdict(m.group(0), "suitability", audience, "cannot_tell", "没有成分表，无法核对。",
                                    "No ingredient list to check against."))
            continue
        if audience == "sensitive":
            risky = [(k, tok, ing) for k, tok, ing in label if ing is not None and (ing.irritant or ing.allergen)]
        elif audience == "pregnancy":
            risky = [(k, tok, ing) for k, tok, ing in label if ing is not None and ({"RET", "BHA"} & set(ing.flags))]
        else:
            risky = [(k, tok, ing) for k, tok, ing in label if ing is not None and
                     ({"MI", "IPBC", "FR", "F26", "EO", "ALC", "FA"} & set(ing.flags))]
        if risky:
            ev = tuple(f"{k}:{tok}" for k, tok, _ in risky)
            zh_list = "、".join(f"第{k}位 {tok}（{ing.zh}，{'/'.join(FLAG := [I.FLAG_SOURCES[f][1] for f in ing.flags])}）" for k, tok, ing in risky[:8])
            en_list = ", ".join(f"{tok} (position {k}; " + "/".join(I.FLAG_SOURCES[f][2] for f in ing.flags) + ")" for k, tok, ing in risky[:8])
            out.append(ClaimVerdict(m.group(0), "suitability", audience, "warning",
                                    f"宣称“{m.group(0)}”，但成分表含有可能刺激或致敏的成分：{zh_list}。",
                                    f"Claims '{m.group(0)}', but the label has flagged ingredients: {en_list}.", ev))
        else:
            out.append(ClaimVerdict(m.group(0), "suitability", audience, "consistent",
                                    "成分表中未发现已标记的刺激或致敏成分。",
                                    "No flagged irritant or allergen found on the label."))
    return out


def _purity(claim_txt: str, label) -> ClaimVerdict:
    if not label:
        return ClaimVerdict(claim_txt, "purity", "", "cannot_tell", "没有成分表，无法核对。", "No ingredient list.")
    if len(label) > 1:
        return ClaimVerdict(claim_txt, "purity", label[0][1], "impossible",
                            f"宣称100%纯，但成分表列有{len(label)}种成分。",
                            f"Claims 100% pure, but the label lists {len(label)} ingredients.")
    return ClaimVerdict(claim_txt, "purity", label[0][1], "consistent", "成分表只有一种成分。",
                        "The label lists a single ingredient.")


def check_claim(text: str, ingredients: list[str] | str) -> list[ClaimVerdict]:
    """Parse the claims in `text` and check each against `ingredients` (label order; a list of
    tokens or one comma-separated string)."""
    if isinstance(ingredients, str):
        ingredients = I.split_label(ingredients)
    return parse_and_check(text, list(ingredients or []))
