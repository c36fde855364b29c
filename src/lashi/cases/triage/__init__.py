"""Triage of consumer complaint text and tone of agent replies (spec §8, issue 5).

Stable API::

    from lashi.cases.triage import triage, triage_batch, reply_tone
    r = triage("用了两天脸上刺痛泛红，客服一直推给品牌")
    r.primary, r.categories, r.emotion, r.urgency

The model (linear, character n-grams + beauty lexicon with negation marking) is loaded lazily
from ``lashi/cases/data/triage_model.joblib`` on first use.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from lashi.contract.enums import CASE_CATEGORIES, EMOTIONS, label

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "triage_model.joblib"
THRESHOLD = 0.5
TONE_LABELS = {"positive_empathetic": ("积极/共情", "positive / empathetic"),
               "neutral": ("中性", "neutral"), "cold": ("冷漠", "cold")}
# A category whose lexicon group is mentioned only under negation that denies the problem
# (没有过敏, 不是假货, 并没有漏) is damped; gifts, refunds, delivery and service are not: there the
# negated mention is usually the complaint (没有赠品, 还没退款, 没发货, 客服没回).
NEGATION_DAMPED = {"symptom": "allergy", "fake": "counterfeit", "damage": "logistics_damage"}
# A refund or return only declined by the consumer (懒得退了, 也不想退换) is not the complaint.
OPT_DAMPED = {"refund": "return_refund"}
# ... and a group only praised ("物流很快", "客服态度很好") is not the complaint either.
PRAISE_DAMPED = {"logistics": "logistics_damage", "service": "service_attitude", "attitude": "service_attitude"}
# which token marks damp which table (a group never affirmed, only marked, is not the complaint)
_DAMPING = ((("NEG", "OPT"), NEGATION_DAMPED), (("OPT",), OPT_DAMPED), (("POS",), PRAISE_DAMPED))
URGENCY_LABELS = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
# Primary category of a multi-label complaint: the first of its categories in this order.
# Root causes that decide who answers (spec §8 responsibility list) come before how the case was
# handled: an adverse reaction first (legal report deadline), then fakes, label/claim problems,
# fit, transport, gifts; refund trouble and service attitude only when nothing else is raised;
# `other` last. The corpus labels and the predictions both use it.
PRIMARY_PRIORITY = ("allergy", "counterfeit", "ingredient_mismatch", "false_advertising", "skin_fit",
                    "logistics_damage", "gift_missing", "return_refund", "service_attitude", "other")


def by_priority(categories) -> list[str]:
    """Categories ordered by PRIMARY_PRIORITY (the first is the primary); duplicates dropped."""
    return sorted(set(categories), key=PRIMARY_PRIORITY.index)


@dataclass(frozen=True)
class CategoryScore:
    category: str
    score: float
    zh: str
    en: str


@dataclass(frozen=True)
class TriageResult:
    text: str
    categories: list[CategoryScore]          # predicted categories: primary first, then PRIMARY_PRIORITY order
    primary: str
    emotion: str
    emotion_scores: dict[str, float]
    urgency: str
    scores: dict[str, float] = field(default_factory=dict)   # every category's score

    @property
    def category_ids(self) -> list[str]:
        return [c.category for c in self.categories]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["primary_label"] = {"zh": label(CASE_CATEGORIES, self.primary, "zh"),
                              "en": label(CASE_CATEGORIES, self.primary, "en")}
        d["emotion_label"] = {"zh": label(EMOTIONS, self.emotion, "zh"), "en": label(EMOTIONS, self.emotion, "en")}
        d["urgency_label"] = dict(zip(("zh", "en"), URGENCY_LABELS[self.urgency]))
        return d


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> dict:
    import joblib

    return joblib.load(path or MODEL_PATH)


def category_matrix(bundle: dict, texts: list[str]):
    """Features X and category scores S (negation-damped) of a batch."""
    from .model import CATEGORY_IDS, category_scores

    X, lex = bundle["featurizer"].transform_with_tokens(texts)
    S = category_scores(bundle, X)
    # negation scope: a category whose lexicon group is mentioned only under negation
    # (没有过敏, 不是假货, 并没有漏) is damped, whatever the n-grams around it say
    for i, line in enumerate(lex):
        toks = set(line.split())
        for marks, table in _DAMPING:
            for group, cat in table.items():
                if any(f"{m}_{group}" in toks for m in marks) and f"LEX_{group}" not in toks:
                    S[i, CATEGORY_IDS.index(cat)] *= 0.3
    return X, S


def _predict_batch(bundle: dict, texts: list[str]) -> list[TriageResult]:
    from .model import CATEGORY_IDS, multiclass_probs
    from .urgency import urgency_of

    X, S = category_matrix(bundle, texts)
    E = multiclass_probs(bundle["emotion"], X)
    emo_classes = bundle["emotion"]["classes"]
    th, member = thresholds(bundle)
    out = []
    for i, text in enumerate(texts):
        s = S[i]
        ids_ = choose(s, th, member)
        cats = [CategoryScore(k, round(float(s[CATEGORY_IDS.index(k)]), 4), label(CASE_CATEGORIES, k, "zh"),
                              label(CASE_CATEGORIES, k, "en")) for k in ids_]
        emo = emo_classes[int(E[i].argmax())]
        out.append(TriageResult(text=text, categories=cats, primary=ids_[0], emotion=emo,
                                emotion_scores={k: round(float(v), 4) for k, v in zip(emo_classes, E[i])},
                                urgency=urgency_of(text, ids_, emo),
                                scores={k: round(float(v), 4) for k, v in zip(CATEGORY_IDS, s)}))
    return out


def thresholds(bundle: dict):
    """(primary thresholds, membership thresholds) per category. The primary ones are tuned by
    cross-validation on the train split for the primary category; the membership ones decide
    which further categories a text is listed with (0.5 when the bundle has none)."""
    import numpy as np

    from .model import CATEGORY_IDS

    cat = bundle["categories"]
    th = cat.get("thresholds")
    primary = np.asarray(th if th is not None else [THRESHOLD] * len(CATEGORY_IDS), dtype=float)
    member = np.asarray(cat.get("member_thresholds") or [THRESHOLD] * len(CATEGORY_IDS), dtype=float)
    return primary, member


def choose(s, th, member=None) -> list[str]:
    """Categories of one text, primary first.

    Primary: among the categories whose score reaches their primary threshold (`other` only when
    alone; when none does, the one closest to its threshold), the first in PRIMARY_PRIORITY.
    The others: every further category whose score reaches its membership threshold (`other`
    only when nothing else is listed), in PRIMARY_PRIORITY order."""
    from .model import CATEGORY_IDS

    chosen = [CATEGORY_IDS[j] for j in range(len(CATEGORY_IDS)) if s[j] >= th[j]]
    if len(chosen) > 1:
        chosen = [k for k in chosen if k != "other"]
    if not chosen:
        chosen = [CATEGORY_IDS[int((s - th).argmax())]]
    primary = by_priority(chosen)[0]
    if member is None:
        return [primary] + [k for k in by_priority(chosen) if k != primary]
    more = [CATEGORY_IDS[j] for j in range(len(CATEGORY_IDS))
            if s[j] >= member[j] and CATEGORY_IDS[j] not in (primary, "other")]
    return [primary] + by_priority(set(more) | set(chosen) - {primary, "other"})


def _tone_batch(bundle: dict, texts: list[str]) -> list[str]:
    from .model import multiclass_probs

    P = multiclass_probs(bundle["tone"], bundle["tone_featurizer"].transform(texts))
    cls = bundle["tone"]["classes"]
    return [cls[int(p.argmax())] for p in P]


def triage(text: str, ingredients: list[str] | None = None) -> TriageResult:
    """Categories with scores, primary, emotion and urgency of one complaint.

    With the product's label (`ingredients`, label order), an on-air claim that the claim check
    finds impossible or contradicted is evidence of ingredient_mismatch and is fused in
    (score raised to at least 0.9)."""
    r = _predict_batch(load_model(), [text])[0]
    if ingredients:
        from ..claims import check_claim

        if any(v.verdict in ("impossible", "contradicted") for v in check_claim(text, ingredients)):
            r = _fuse(r, "ingredient_mismatch", 0.9)
    return r


def _fuse(r: TriageResult, cat: str, floor: float) -> TriageResult:
    import numpy as np

    from .model import CATEGORY_IDS
    from .urgency import urgency_of

    scores = dict(r.scores)
    scores[cat] = max(scores.get(cat, 0.0), floor)
    s = np.array([scores[k] for k in CATEGORY_IDS])
    chosen = choose(s, *thresholds(load_model()))
    cats = [CategoryScore(k, round(scores[k], 4), label(CASE_CATEGORIES, k, "zh"), label(CASE_CATEGORIES, k, "en"))
            for k in chosen]
    return TriageResult(text=r.text, categories=cats, primary=chosen[0], emotion=r.emotion,
                        emotion_scores=r.emotion_scores, urgency=urgency_of(r.text, chosen, r.emotion),
                        scores=scores)


def triage_batch(texts: list[str], batch_size: int = 512) -> list[TriageResult]:
    bundle = load_model()
    out: list[TriageResult] = []
    for i in range(0, len(texts), batch_size):
        out.extend(_predict_batch(bundle, list(texts[i:i + batch_size])))
    return out


def reply_tone(text: str) -> str:
    """Tone of an agent reply: positive_empathetic / neutral / cold (feeds indicator M1)."""
    return _tone_batch(load_model(), [text])[0]


def reply_tone_batch(texts: list[str]) -> list[str]:
    return _tone_batch(load_model(), list(texts))


__all__ = ["PRIMARY_PRIORITY", "by_priority", "TriageResult", "CategoryScore", "triage", "triage_batch", "reply_tone",
           "reply_tone_batch", "load_model", "TONE_LABELS", "URGENCY_LABELS"]
