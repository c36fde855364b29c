"""Derive the sample generator's product table from the real cosmetics data set.

Source: /work/shared/data/products/cosmetics.csv — the Kaggle "cosmetics" data set (Sephora-listed
products) as published in GitHub alishay-ashraf/SkinCareProductRecommendationSystem, commit
36df3c7 (see /work/shared/data/README.md). 1,472 products with the full INCI ingredient list in
label order and 0/1 suitability for five skin types.

Output: src/lashi/sample/data/products.csv.gz with, per usable product (a real ingredient list of
at least 3 entries): the source row, source label (product type), price, the INCI list in label
order (';'-joined, INCI names kept as on the label), the five suitability flags, and features the
generator uses for on-air claims (label positions of sodium hyaluronate / niacinamide, alcohol
and fragrance present). Brand and product names of the source are NOT carried into the sample:
the sample's brands are fictional, only the real labels are reused.

Usage: python scripts/derive_sample_products.py [SOURCE_CSV] [OUT]
"""
from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "shared" / "data" / "products" / "cosmetics.csv"  # ../shared
OUT = Path(__file__).resolve().parents[1] / "src/lashi/sample/data/products.csv.gz"

MAKEUP_WORDS = re.compile(r"tint|foundation|primer|\bbb\b|\bcc\b|concealer|bronz|colou?r|lip|blush|glow", re.I)
ALCOHOL = re.compile(r"^(alcohol|alcohol denat\.?|sd alcohol.*|ethanol|denatured alcohol)$", re.I)
FRAGRANCE = re.compile(r"^(fragrance|parfum|perfume)", re.I)
HYALURONATE = re.compile(r"hyaluron", re.I)
NIACINAMIDE = re.compile(r"niacinamide", re.I)
RETINOL = re.compile(r"retin", re.I)
ASCORBIC = re.compile(r"ascorb", re.I)
CERAMIDE = re.compile(r"ceramide", re.I)
SALICYLIC = re.compile(r"salicylic", re.I)
PEPTIDE = re.compile(r"peptide", re.I)
CENTELLA = re.compile(r"centella", re.I)


def split_inci(text: str) -> list[str]:
    """Split a label ingredient string into INCI names, keeping parentheses intact."""
    text = text.strip().rstrip(".")
    # drop footnotes such as "*Organic." that follow the list
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    out = []
    for p in parts:
        p = re.sub(r"\s+", " ", p).strip().strip("*").strip()
        p = re.sub(r"\s*\*+.*$", "", p) if p.count("*") else p
        if not p or len(p) > 120 or p.lower().startswith(("visit the", "#name", "please be aware")):
            continue
        out.append(p.rstrip("."))
    return out


def first_pos(inci: list[str], rx: re.Pattern) -> int:
    for i, name in enumerate(inci, start=1):
        if rx.search(name):
            return i
    return 0


def main(src: Path = SRC, out: Path = OUT) -> int:
    rows = []
    with open(src, encoding="utf-8-sig", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=1):
            inci = split_inci(r["Ingredients"] or "")
            if len(inci) < 3:
                continue
            label = r["Label"].strip()
            makeup = bool(MAKEUP_WORDS.search(r["Name"])) and label in ("Moisturizer", "Sun protect", "Treatment")
            rows.append({
                "src_row": i,
                "label": label,
                "category": "makeup" if makeup else "skincare",
                "price": float(r["Price"] or 0),
                "rank": float(r["Rank"] or 0),
                "combination": int(r["Combination"] or 0), "dry": int(r["Dry"] or 0),
                "normal": int(r["Normal"] or 0), "oily": int(r["Oily"] or 0),
                "sensitive": int(r["Sensitive"] or 0),
                "n_ingredients": len(inci),
                "pos_hyaluronate": first_pos(inci, HYALURONATE),
                "pos_niacinamide": first_pos(inci, NIACINAMIDE),
                "pos_retinol": first_pos(inci, RETINOL),
                "pos_ascorbic": first_pos(inci, ASCORBIC),
                "pos_ceramide": first_pos(inci, CERAMIDE),
                "pos_salicylic": first_pos(inci, SALICYLIC),
                "pos_peptide": first_pos(inci, PEPTIDE),
                "pos_centella": first_pos(inci, CENTELLA),
                "has_alcohol": int(any(ALCOHOL.match(x) for x in inci)),
                "has_fragrance": int(any(FRAGRANCE.match(x) for x in inci)),
                "ingredients": ";".join(x.replace(";", ",") for x in inci),
            })
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} products → {out}")
    return 0


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    sys.exit(main(*args))
