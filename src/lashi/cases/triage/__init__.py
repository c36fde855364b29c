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
NEGATION_DAMPED = {"symptom": "allergy", "fake": "counterfeit", "logistics": "logistics_damage",
                   "gift": "gift_missing", "refund": "return_refund", "service": "service_attitude"}
URGENCY_LABELS = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


@dataclass(frozen=True)
class CategoryScore:
    category: str
    score: float
    zh: str
    en: str


@dataclass(frozen=True)
class TriageResult:
    text: str
    categories: list[CategoryScore]          # predicted categories, best first (primary first)
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


def _predict_batch(bundle: dict, texts: list[str]) -> list[TriageResult]:
    from .model import CATEGORY_IDS, category_scores, multiclass_probs
    from .urgency import urgency_of

    from .lexicon import analyse
    from .model import normalise

    X = bundle["featurizer"].transform(texts)
    S = category_scores(bundle, X)
    # negation scope: a category whose lexicon group is mentioned only under negation
    # (没有过敏, 不是假货, 并没有漏) is damped, whatever the n-grams around it say
    for i, text in enumerate(texts):
        toks = set(analyse(normalise(text))[1])
        for group, cat in NEGATION_DAMPED.items():
            if f"NEG_{group}" in toks and f"LEX_{group}" not in toks:
                S[i, CATEGORY_IDS.index(cat)] *= 0.3
    E = multiclass_probs(bundle["emotion"], X)
    emo_classes = bundle["emotion"]["classes"]
    out = []
    for i, text in enumerate(texts):
        s = S[i]
        order = s.argsort()[::-1]
        chosen = [j for j in order if s[j] >= THRESHOLD] or [order[0]]
        if len(chosen) > 1 and CATEGORY_IDS[chosen[0]] != "other":
            chosen = [j for j in chosen if CATEGORY_IDS[j] != "other"]
        cats = [CategoryScore(CATEGORY_IDS[j], round(float(s[j]), 4),
                              label(CASE_CATEGORIES, CATEGORY_IDS[j], "zh"),
                              label(CASE_CATEGORIES, CATEGORY_IDS[j], "en")) for j in chosen]
        emo = emo_classes[int(E[i].argmax())]
        ids_ = [c.category for c in cats]
        out.append(TriageResult(text=text, categories=cats, primary=ids_[0], emotion=emo,
                                emotion_scores={k: round(float(v), 4) for k, v in zip(emo_classes, E[i])},
                                urgency=urgency_of(text, ids_, emo),
                                scores={k: round(float(v), 4) for k, v in zip(CATEGORY_IDS, s)}))
    return out


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
    scores = dict(r.scores)
    scores[cat] = max(scores.get(cat, 0.0), floor)
    chosen = sorted([k for k, v in scores.items() if v >= THRESHOLD], key=lambda k: -scores[k])
    if len(chosen) > 1:
        chosen = [k for k in chosen if k != "other"]
    cats = [CategoryScore(k, round(scores[k], 4), label(CASE_CATEGORIES, k, "zh"), label(CASE_CATEGORIES, k, "en"))
            for k in chosen]
    from .urgency import urgency_of

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


__all__ = ["TriageResult", "CategoryScore", "triage", "triage_batch", "reply_tone",
           "reply_tone_batch", "load_model", "TONE_LABELS", "URGENCY_LABELS"]
