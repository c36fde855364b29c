"""Print the Markdown tables of the triage model's measured quality (README, docs/triage.md)
from src/lashi/cases/data/triage_metrics.json, so the documents quote the measured figures.

    .venv/bin/python scripts/triage_tables.py
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABBR = {"ingredient_mismatch": "MIS", "false_advertising": "ADV", "allergy": "ALG", "skin_fit": "FIT",
        "logistics_damage": "LOG", "return_refund": "RET", "gift_missing": "GFT", "counterfeit": "FAK",
        "service_attitude": "SVC", "other": "OTH"}


def matrix(labels, rows, names) -> str:
    head = "| true \\ pred | " + " | ".join(names) + " |"
    sep = "|---" * (len(names) + 1) + "|"
    body = [f"| {n} | " + " | ".join(map(str, r)) + " |" for n, r in zip(names, rows)]
    return "\n".join([head, sep, *body])


def main() -> None:
    m = json.loads((ROOT / "src/lashi/cases/data/triage_metrics.json").read_text())
    labels = m["confusion_labels"]
    print(f"n_test {m['n_test']} n_train {m['n_train']} accuracy {m['primary_accuracy']:.3f} "
          f"macro-F1 {m['primary_macro_f1']:.3f} cv {m['cv_train_macro_f1']}\n")
    print(matrix(labels, m["confusion"], [ABBR[k] for k in labels]) + "\n")
    print("| category | F1 (primary) | F1 (multi-label) | test support (primary) |\n|---|---|---|---|")
    for k in labels:
        print(f"| {k} | {m['per_class_f1'][k]:.3f} | {m['multilabel_per_class_f1'][k]:.3f} | {m['support'][k]} |")
    print()
    print(matrix(m["emotion_confusion_labels"], m["emotion_confusion"], m["emotion_confusion_labels"]) + "\n")
    print(matrix(m["tone_confusion_labels"], m["tone_confusion"], m["tone_confusion_labels"]) + "\n")
    for k in ("primary_in_true_set", "multilabel_macro_f1", "multilabel_micro_f1", "real_primary_accuracy",
              "real_primary_macro_f1", "beauty_primary_accuracy", "beauty_primary_macro_f1", "emotion_accuracy",
              "emotion_macro_f1", "urgency_accuracy", "tone_accuracy", "tone_macro_f1"):
        print(f"{k:26s} {m[k]:.3f}")
    print("thresholds", m["thresholds"])
    v1 = m["v1_test"]
    print(f"v1 rows: n={v1['n_test']} accuracy {v1['primary_accuracy']:.3f} macro-F1 {v1['primary_macro_f1']:.3f}")


if __name__ == "__main__":
    main()
