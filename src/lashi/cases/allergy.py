"""Allergy / adverse-reaction mapping (spec §8 allergy flow).

Symptom words → likely culprit ingredients present on the product's label, the evidence to
request, and the adverse-reaction report deadline under China's 化妆品不良反应监测管理办法
(NMPA, in force 2022-10-01): general reactions within 30 days, serious ones within 15 days,
those likely to cause major social impact within 3 days.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from . import ingredients as I
from .triage.lexicon import analyse

# symptom group -> (words, flag codes that can explain it, zh, en)
SYMPTOMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    "stinging": (("刺痛", "刺疼", "灼热", "灼烧", "火辣辣", "辣痛", "发烫", "烧灼", "刺刺"),
                 ("ALC", "AHA", "BHA", "ACID", "RET", "FR", "F26", "EO", "SLS", "SLES", "COOL", "HOT", "KER"),
                 "刺痛/灼热", "stinging / burning"),
    "redness": (("泛红", "发红", "红血丝", "脸红", "通红", "潮红"),
                ("ALC", "AHA", "BHA", "ACID", "RET", "FR", "F26", "EO", "FLUSH", "SLS", "PHOTO"),
                "泛红", "redness"),
    "rash_itch": (("红疹", "起疹", "疹子", "湿疹", "瘙痒", "痒", "风团", "红斑", "红点", "红疙瘩", "小疙瘩", "皮炎"),
                  ("FR", "F26", "EO", "MI", "FA", "PG", "CAPB", "APG", "LAN", "ACR", "BP3", "OCT", "PPD",
                   "PROP", "COMP", "KOJ", "IPBC", "UVF"),
                  "红疹/瘙痒", "rash / itching"),
    "swelling": (("红肿", "肿", "水泡", "渗液", "起泡"),
                 ("PPD", "MI", "FR", "F26", "FA", "EO", "OCT", "BP3", "PROP"),
                 "红肿/水疱", "swelling / blisters"),
    "peeling": (("脱皮", "起皮", "干裂", "紧绷"), ("ALC", "AHA", "BHA", "RET", "SLS", "SLES"),
                "脱皮/干燥", "peeling / dryness"),
    "acne": (("爆痘", "长痘", "闷痘", "闭口", "粉刺", "痘痘"), ("LAN", "COMEDO"), "爆痘/闭口", "breakouts"),
    "scalp": (("头皮痒", "头皮红", "头皮刺痛", "头屑"), ("PPD", "MI", "FR", "F26", "SLS", "SLES", "OXID"),
              "头皮反应", "scalp reaction"),
}
COMEDOGENIC = {"mineral_oil", "petrolatum", "lanolin", "cocos_nucifera_oil", "isopropyl_myristate",
               "butyrospermum_parkii_butter", "cera_alba", "myristyl_myristate", "lauric_acid"}

SERIOUS = re.compile(r"住院|ICU|休克|呼吸困难|喘不上气|喉咙肿|永久|毁容|急诊|打点滴|输液|全身|大面积|渗液|睁不开|眼睛肿")
MAJOR_SOCIAL = re.compile(r"媒体|曝光|很多人|好多人|大家都|一群人|多人|集体|批量|同一批|都过敏|上热搜|记者")
CHILD = re.compile(r"孩子|宝宝|小孩|儿童|婴儿|女儿|儿子|孕妇|怀孕")

DEADLINES = {"general": 30, "serious": 15, "major_social_impact": 3}
SEVERITY_LABELS = {"none": ("未见不良反应", "no adverse reaction"),
                   "general": ("一般不良反应", "general adverse reaction"),
                   "serious": ("严重不良反应", "serious adverse reaction"),
                   "major_social_impact": ("可能引发较大社会影响", "likely major social impact")}
RULE_REF = ("《化妆品不良反应监测管理办法》(国家药监局, 2022年10月1日施行)：一般不良反应30日内、严重不良反应15日内、"
            "可能引发较大社会影响的3日内报告 / NMPA Measures for Cosmetics Adverse Reaction Monitoring (2022): "
            "general 30 days, serious 15 days, likely major social impact 3 days")


@dataclass(frozen=True)
class Culprit:
    position: int
    token: str
    ingredient_id: str
    zh: str
    inci: str
    symptoms: tuple[str, ...]
    reasons: tuple[str, ...]          # flag descriptions with their sources


@dataclass(frozen=True)
class AllergyAssessment:
    is_reaction: bool
    symptoms: list[str]
    symptom_labels: list[dict]
    culprits: list[Culprit]
    severity: str
    report_deadline_days: int | None
    report_rule: str
    evidence_requested: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity_label"] = dict(zip(("zh", "en"), SEVERITY_LABELS[self.severity]))
        return d


def _affirmed_symptoms(text: str) -> list[str]:
    masked, _ = analyse(text)        # negated hits ("没有过敏", "不痒") are masked out
    found = []
    for group, (words, *_rest) in SYMPTOMS.items():
        if any(w in masked for w in words):
            found.append(group)
    if not found and "过敏" in masked:
        found.append("rash_itch")
    return found


def severity_of(text: str, symptoms: list[str]) -> str:
    if not symptoms:
        return "none"
    if MAJOR_SOCIAL.search(text):
        return "major_social_impact"
    if SERIOUS.search(text) or ("swelling" in symptoms and CHILD.search(text)):
        return "serious"
    return "general"


def evidence_for(severity: str, text: str) -> list[dict]:
    ev = [{"zh": "受影响部位的清晰照片（注明日期，多角度）", "en": "clear, dated photos of the affected skin"},
          {"zh": "产品包装、批号和成分表照片", "en": "photos of the product, batch number and ingredient list"},
          {"zh": "订单记录和使用时间线（开始使用、出现症状、停用）", "en": "order record and usage timeline"},
          {"zh": "保留剩余产品以备检测", "en": "keep the remaining product for testing"}]
    if severity in ("serious", "major_social_impact") or re.search(r"医院|就医|医生|皮肤科|病历", text):
        ev.append({"zh": "医院诊断证明/病历及医疗费用票据", "en": "medical diagnosis / records and receipts"})
    else:
        ev.append({"zh": "如就医，请提供诊断证明和票据", "en": "if seen by a doctor, the diagnosis and receipts"})
    return ev


def assess(text: str, ingredients: list[str] | str | None = None) -> AllergyAssessment:
    """Symptoms in `text` → likely culprits among `ingredients` (label order), severity, evidence
    to request and the report deadline."""
    if isinstance(ingredients, str):
        ingredients = I.split_label(ingredients)
    ingredients = list(ingredients or [])
    symptoms = _affirmed_symptoms(text or "")
    sev = severity_of(text or "", symptoms)
    culprits: list[Culprit] = []
    for k, tok in enumerate(ingredients, start=1):
        ing = I.lookup(tok)
        if ing is None:
            continue
        hit_sym, reasons = [], []
        for s in symptoms:
            codes = SYMPTOMS[s][1]
            flags = [f for f in ing.flags if f in codes]
            if s == "acne" and ing.id in COMEDOGENIC:
                flags.append("COMEDO")
            if flags:
                hit_sym.append(s)
                for f in flags:
                    r = ("致粉刺/封闭性 comedogenic / occlusive" if f == "COMEDO"
                         else f"{I.FLAG_SOURCES[f][1]} {I.FLAG_SOURCES[f][2]} — {I.FLAG_SOURCES[f][3]}")
                    if r not in reasons:
                        reasons.append(r)
        if hit_sym:
            culprits.append(Culprit(k, tok, ing.id, ing.zh, ing.inci, tuple(hit_sym), tuple(reasons)))
    # allergens that explain rashes rank first, then by label position (more of it earlier)
    culprits.sort(key=lambda c: (-len(c.symptoms), c.position))
    notes = []
    if symptoms and ingredients and not culprits:
        notes.append("成分表中未发现常见刺激/致敏成分，需结合斑贴试验判断 / no flagged culprit on the label; "
                     "a patch test is needed")
    if symptoms and not ingredients:
        notes.append("缺少成分表，无法定位可疑成分 / no ingredient list, culprits cannot be located")
    return AllergyAssessment(
        is_reaction=bool(symptoms), symptoms=symptoms,
        symptom_labels=[{"id": s, "zh": SYMPTOMS[s][2], "en": SYMPTOMS[s][3]} for s in symptoms],
        culprits=culprits, severity=sev,
        report_deadline_days=DEADLINES.get(sev), report_rule=RULE_REF,
        evidence_requested=evidence_for(sev, text or "") if symptoms else [], notes=notes)
