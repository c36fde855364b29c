"""Generalisation to writers the model never saw: hold out one whole hand-written beauty batch
(every text of its writers, train and test rows alike), train the category model on the rest of the
train split, and score the held-out batch with the shipped thresholds.

    .venv/bin/python scripts/triage_unseen_writers.py          # ~1 min; prints one line per batch

Batches v6 (eight writers) and v7 (six writers) were written by people who never saw the corpus
(docs/triage.md). The figure complements the fixed test split, whose texts share writers with the
training data; it does not replace it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_triage as T  # noqa: E402
from lashi.cases.triage import category_matrix, choose  # noqa: E402


def main(batches=("v6", "v7")) -> None:
    tri, _ = T.load()
    beauty = tri.source.str.startswith("handwritten")
    metrics = json.loads((T.DATA / "triage_metrics.json").read_text())
    th = [metrics["thresholds"][k] for k in T.M.CATEGORY_IDS]
    labels = list(T.M.CATEGORY_IDS)
    for b in batches:
        held = beauty & (tri.batch == b)
        part, _ = T.fit_categories_only(tri[(tri.split == "train") & ~held])
        te = tri[held]
        pred = [choose(s, th)[0] for s in category_matrix(part, te.text.tolist())[1]]
        f1 = f1_score(te.primary, pred, labels=labels, average="macro", zero_division=0)
        acc = float(np.mean(np.array(pred) == te.primary.to_numpy()))
        print(f"held-out hand-written batch {b}: {len(te)} texts, primary macro-F1 {f1:.3f}, accuracy {acc:.3f}")


if __name__ == "__main__":
    main()
