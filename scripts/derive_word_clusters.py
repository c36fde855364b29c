"""Derive src/lashi/cases/data/word_clusters.tsv.gz: a word → cluster table learnt without labels.

Why: the triage model reads character and word n-grams; a word it never saw in a labelled text
(派送员 where training said 快递员, 驳回 where it said 拒绝) carries no weight. Words that occur in
the same contexts in real reviews get the same cluster id, and the cluster ids are features next
to the words, so what was learnt for one word reaches its neighbours.

How: every real review in ../shared/data/reviews (SophonPlus/ChineseNlpCorpus@a0b781d,
online_shopping_9_cats and waimai_10k, 64,761 texts, star labels unused) plus the TRAIN split of
the triage corpus, with every text of the triage TEST split left out (so the test split stays
unseen). Texts are normalised and segmented as the model does (jieba, dictionary only); words seen
at least 3 times; co-occurrence within ±4 words; positive PMI with context smoothing 0.75; a
200-dimensional truncated SVD (singular values weighted ^0.5), rows unit-normalised (Levy, Goldberg
& Dagan 2015: "Improving distributional similarity with lessons learned from word embeddings");
k-means at three granularities (100, 400 and 1,600 clusters) — coarse clusters pool topics, fine
ones near-synonyms. Deterministic (fixed seeds); ~1 minute on one core.

    .venv/bin/python scripts/derive_word_clusters.py
"""
from __future__ import annotations

import gzip
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lashi.cases.triage import model as M  # noqa: E402

REVIEWS = ROOT.parent / "shared" / "data" / "reviews"
OUT = ROOT / "src" / "lashi" / "cases" / "data" / "word_clusters.tsv.gz"
MIN_COUNT, WINDOW, DIMS, KS = 3, 4, 200, (100, 400, 1600)


def corpus_texts() -> list[str]:
    tri = pd.concat([pd.read_csv(ROOT / "corpus/triage/real_reviewed.csv"),
                     pd.read_csv(ROOT / "corpus/triage/beauty_handwritten.csv")], ignore_index=True)
    test = {M.normalise(t) for t in tri[tri.split == "test"].text}
    pool = pd.concat([pd.read_csv(REVIEWS / "online_shopping_9_cats.csv").review,
                      pd.read_csv(REVIEWS / "waimai_10k.csv").review]).dropna().astype(str).tolist()
    pool += tri[tri.split == "train"].text.tolist()
    texts = [M.normalise(t) for t in pool]
    kept = [t for t in texts if t not in test]
    print(f"texts {len(kept):,} ({len(texts) - len(kept):,} left out: in the test split)")
    return kept


def ppmi_vectors(segmented: list[list[str]]) -> tuple[list[str], np.ndarray]:
    from sklearn.decomposition import TruncatedSVD

    counts = Counter(w for s in segmented for w in s if w.strip())
    vocab = sorted(w for w, c in counts.items() if c >= MIN_COUNT)
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols = [], []
    for s in segmented:
        ids = [index.get(w, -1) for w in s]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for j in range(max(0, i - WINDOW), min(len(ids), i + WINDOW + 1)):
                if j != i and ids[j] >= 0:
                    rows.append(a)
                    cols.append(ids[j])
    V = len(vocab)
    C = sparse.coo_matrix((np.ones(len(rows), np.float64), (rows, cols)), shape=(V, V)).tocsr().tocoo()
    total = C.sum()
    row_sum = np.asarray(C.sum(1)).ravel()
    ctx = np.asarray(C.sum(0)).ravel() ** 0.75
    ctx = ctx / ctx.sum() * total
    pmi = np.log(C.data * total / (row_sum[C.row] * ctx[C.col]))
    keep = pmi > 0
    P = sparse.csr_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=(V, V))
    svd = TruncatedSVD(DIMS, random_state=0, algorithm="randomized", n_iter=7)
    U = svd.fit_transform(P) / np.sqrt(svd.singular_values_)
    U /= np.linalg.norm(U, axis=1, keepdims=True) + 1e-9
    return vocab, U


def main() -> None:
    import jieba
    from sklearn.cluster import MiniBatchKMeans

    t0 = time.time()
    jieba.setLogLevel(60)
    segmented = [jieba.lcut(t, HMM=False) for t in corpus_texts()]
    vocab, U = ppmi_vectors(segmented)
    print(f"vocabulary {len(vocab):,} words, vectors {U.shape[1]}-d ({time.time() - t0:.0f}s)")
    labels = [MiniBatchKMeans(k, random_state=0, n_init=3, batch_size=4096).fit_predict(U) for k in KS]
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("word\t" + "\t".join(f"k{k}" for k in KS) + "\n")
        for i, w in enumerate(vocab):
            f.write(w + "\t" + "\t".join(str(int(c[i])) for c in labels) + "\n")
    index = {w: i for i, w in enumerate(vocab)}
    for w in ("快递", "客服", "假货", "退款", "过敏", "赠品", "宣传"):
        if w in index:
            near = [vocab[j] for j in np.argsort(-(U @ U[index[w]]))[1:7]]
            print(f"  {w}: {' '.join(near)}")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB, {time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
