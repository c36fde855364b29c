"""Linear triage models over character n-grams plus beauty-lexicon tokens.

Training lives in :func:`train`; the fitted bundle is a small joblib file shipped in
``lashi/cases/data/triage_model.joblib``. Nothing is downloaded; CPU only.
"""
from __future__ import annotations

import gzip
import re
import unicodedata
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from lashi.contract.enums import CASE_CATEGORIES, EMOTIONS, ids

from .lexicon import analyse

CATEGORY_IDS = ids(CASE_CATEGORIES)
EMOTION_IDS = ids(EMOTIONS)
TONE_IDS = ("positive_empathetic", "neutral", "cold")

_SPACE = re.compile(r"\s+")
WORD_CLUSTERS = Path(__file__).resolve().parents[1] / "data" / "word_clusters.tsv.gz"


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, collapse spaces."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    return _SPACE.sub(" ", t).strip()


def prepare(texts) -> tuple[list[str], list[str]]:
    masked, lex = [], []
    for t in texts:
        n = normalise(t)
        m, toks = analyse(n)
        masked.append(m)
        # punctuation intensity as tokens (anger cue)
        extra = []
        if n.count("!") + n.count("！") >= 2:
            extra.append("PUNCT_bang")
        if len(n) < 15:
            extra.append("LEN_short")
        lex.append(" ".join(toks + extra))
    return masked, lex


def segment(texts) -> list[str]:
    """jieba words (dictionary only, no HMM: faster and stable), space-joined."""
    import jieba

    jieba.setLogLevel(60)
    return [" ".join(jieba.lcut(t, HMM=False)) for t in texts]


def load_word_clusters(path: Path = WORD_CLUSTERS) -> dict[str, str]:
    """word → its cluster tokens ("C100_7 C400_212 C1600_903"), from the table that
    scripts/derive_word_clusters.py learns from unlabelled real reviews."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")[1:]
        out = {}
        for line in f:
            word, *ids = line.rstrip("\n").split("\t")
            out[word] = " ".join(f"C{k[1:]}_{i}" for k, i in zip(head, ids))
    return out


class Featurizer:
    """TF-IDF character 1-3-grams of the (negation-masked) text + beauty-lexicon tokens, and
    optionally jieba word 1-2-grams and the unsupervised cluster ids of those words."""

    def __init__(self, max_features: int = 30000, words: bool = False, clusters: bool = False):
        self.char = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2,
                                    max_features=max_features, sublinear_tf=True, dtype=np.float32)
        self.lex = TfidfVectorizer(analyzer=str.split, lowercase=False, sublinear_tf=True,
                                   dtype=np.float32)
        self.word = (TfidfVectorizer(analyzer="word", tokenizer=str.split, token_pattern=None,
                                     lowercase=False, ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                     dtype=np.float32) if words else None)
        self.cluster_of = load_word_clusters() if clusters else None
        self.cluster = (TfidfVectorizer(analyzer=str.split, lowercase=False, min_df=2, sublinear_tf=True,
                                        dtype=np.float32) if clusters else None)

    def _cluster_tokens(self, segmented: list[str]) -> list[str]:
        get = self.cluster_of.get
        return [" ".join(c for c in map(get, s.split()) if c) for s in segmented]

    def fit(self, texts):
        masked, lex = prepare(texts)
        self.char.fit(masked)
        self.lex.fit(lex)
        words = getattr(self, "word", None) is not None
        clusters = getattr(self, "cluster", None) is not None
        segmented = segment(masked) if words or clusters else None
        if words:
            self.word.fit(segmented)
        if clusters:
            self.cluster.fit(self._cluster_tokens(segmented))
        return self

    def transform(self, texts):
        return self.transform_with_tokens(texts)[0]

    def transform_with_tokens(self, texts):
        """Features and, per text, the space-joined lexicon tokens (LEX_/NEG_/POS_ groups)."""
        masked, lex = prepare(texts)
        parts = [self.char.transform(masked), 2.0 * self.lex.transform(lex)]
        words = getattr(self, "word", None) is not None
        clusters = getattr(self, "cluster", None) is not None
        segmented = segment(masked) if words or clusters else None
        if words:
            parts.append(self.word.transform(segmented))
        if clusters:
            parts.append(self.cluster.transform(self._cluster_tokens(segmented)))
        return sparse.hstack(parts).tocsr(), lex


def _lr(c: float = 4.0) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")


def nb_ratio(X, y, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratio of each feature for a binary label (Wang & Manning 2012,
    NBSVM): log of how much more often the feature occurs in positive than in negative texts."""
    B = (X > 0).astype(np.float64)
    p = alpha + np.asarray(B[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(B[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def fit_categories(X, label_sets: list[set[str]], c: float = 4.0, nb: bool = False) -> dict:
    """One binary classifier per category (multi-label); the primary is chosen at prediction time
    by the priority rule among the categories over their thresholds.

    With ``nb`` the features of each category's classifier are first scaled by their NB
    log-count ratio; the scaling is folded into the stored weights (w·r), so prediction is the
    same dot product either way."""
    W, b = [], []
    for cat in CATEGORY_IDS:
        y = np.array([cat in s for s in label_sets], dtype=int)
        if nb:
            r = nb_ratio(X, y)
            clf = _lr(c).fit(X @ sparse.diags(r), y)
            w = clf.coef_[0] * r
        else:
            clf = _lr(c).fit(X, y)
            w = clf.coef_[0]
        W.append(w.astype(np.float32))
        b.append(float(clf.intercept_[0]))
    return {"W": np.vstack(W), "b": np.array(b, dtype=np.float32)}


def fit_multiclass(X, y: list[str], classes: tuple[str, ...], c: float = 4.0) -> dict:
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    clf.fit(X, y)
    order = [list(clf.classes_).index(k) for k in classes if k in clf.classes_]
    return {"classes": tuple(clf.classes_[i] for i in order),
            "W": clf.coef_[order].astype(np.float32), "b": clf.intercept_[order].astype(np.float32)}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def category_scores(bundle: dict, X) -> np.ndarray:
    m = bundle["categories"]
    return sigmoid(np.asarray(X @ m["W"].T) + m["b"])


def multiclass_probs(head: dict, X) -> np.ndarray:
    return softmax(np.asarray(X @ head["W"].T) + head["b"])
