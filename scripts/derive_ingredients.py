"""Derive src/lashi/cases/data/ingredients.csv and demo_products.csv.

ingredients.csv: the curated dictionary (src/lashi/cases/data/ingredients_curated.txt, public
knowledge: Chinese names after 《已使用化妆品原料目录》, INCI names, synonyms, function, flags with
named sources) joined with how often each ingredient occurs in the real ingredient lists of
/work/shared/data/products/cosmetics.csv (Kaggle "cosmetics" set via GitHub
alishay-ashraf/SkinCareProductRecommendationSystem@36df3c7). The script also prints the most
frequent INCI tokens that the dictionary does not cover yet, to guide curation.

demo_products.csv: a few real products from cosmetics.csv, chosen to exercise the claim check
and allergy flow (hyaluronate early/late, alcohol, fragrance), for use when no workspace store exists.

    .venv/bin/python scripts/derive_ingredients.py
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "src" / "lashi" / "cases" / "data"
COSMETICS = Path(__file__).resolve().parents[2] / "shared" / "data" / "products" / "cosmetics.csv"  # ../shared


def curated() -> list[dict]:
    rows = []
    for line in (DATA / "ingredients_curated.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        inci, zh, syn, func, flags = [p.strip() for p in line.split("|")]
        from lashi.cases.ingredients import slug
        rows.append({"id": slug(inci), "inci": inci, "zh": zh,
                     "synonyms": ";".join(s.strip() for s in syn.split(";") if s.strip()),
                     "function": func, "flags": ";".join(f.strip() for f in flags.split(";") if f.strip())})
    return rows


def main() -> None:
    from lashi.cases import ingredients as ing_mod
    from lashi.cases.ingredients import FLAG_SOURCES, key, split_label

    rows = curated()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]
    for r in rows:
        for f in filter(None, r["flags"].split(";")):
            assert f in FLAG_SOURCES, (r["inci"], f)
    # provisional file so the normaliser can count coverage
    fields = ["id", "inci", "zh", "synonyms", "function", "flags", "flag_sources", "frequency"]
    products = list(csv.DictReader(open(COSMETICS, encoding="utf-8-sig")))
    for r in rows:
        r["frequency"] = 0
        r["flag_sources"] = " | ".join(FLAG_SOURCES[f][3] for f in filter(None, r["flags"].split(";")))
    with open(DATA / "ingredients.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    ing_mod.dictionary.cache_clear()
    ing_mod._index.cache_clear()
    freq: Counter = Counter()
    unknown: Counter = Counter()
    tokens = 0
    for p in products:
        for t in split_label(p["Ingredients"]):
            tokens += 1
            i = ing_mod.normalise(t)
            if i:
                freq[i] += 1
            elif len(t) < 60:
                unknown[key(t)] += 1
    for r in rows:
        r["frequency"] = freq.get(r["id"], 0)
    with open(DATA / "ingredients.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    covered = sum(freq.values())
    print(f"{len(rows)} ingredients; label tokens covered {covered}/{tokens} = {covered / tokens:.1%}")
    print("most frequent uncovered:", unknown.most_common(25))

    # demo products: real rows, picked by content
    ing_mod.dictionary.cache_clear()
    ing_mod._index.cache_clear()
    picks = []
    def ids_of(p):
        return [ing_mod.normalise(t) for t in split_label(p["Ingredients"])]
    want = [
        lambda L: "sodium_hyaluronate" in L[4:5] and "alcohol_denat" in L and "fragrance" in L,
        lambda L: "sodium_hyaluronate" in L[4:5] and ("alcohol_denat" in L or "alcohol" in L),
        lambda L: "niacinamide" in L[:4],
        lambda L: "fragrance" in L and "linalool" in L and "limonene" in L,
        lambda L: "salicylic_acid" in L or "glycolic_acid" in L,
        lambda L: "fragrance" not in L and "alcohol_denat" not in L and "alcohol" not in L and len(L) > 10,
    ]
    used = set()
    for cond in want:
        for n, p in enumerate(products, start=1):
            if n in used:
                continue
            if cond(ids_of(p)):
                picks.append((n, p))
                used.add(n)
                break
    with open(DATA / "demo_products.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["product_id", "brand", "name", "category", "ingredients", "sensitive_ok", "source"])
        for k, (n, p) in enumerate(picks, start=1):
            w.writerow([f"DEMO-{k:03d}", p["Brand"], p["Name"], p["Label"], p["Ingredients"],
                        p["Sensitive"], f"cosmetics.csv row {n} (Kaggle cosmetics via "
                        "alishay-ashraf/SkinCareProductRecommendationSystem@36df3c7)"])
    for k, (n, p) in enumerate(picks, start=1):
        print(f"DEMO-{k:03d}", p["Brand"], p["Name"], "| row", n)


if __name__ == "__main__":
    main()
