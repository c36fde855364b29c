"""Derive the real-review part of the triage corpus.

Source: SophonPlus/ChineseNlpCorpus (commit a0b781d) — `online_shopping_10_cats` (as
/work/shared/data/reviews/online_shopping_9_cats.csv) and `waimai_10k`. Only negative reviews
(label 0) are used. The shared files are never modified; rows are copied with a source reference.

Two steps:
  propose  keyword rules PROPOSE categories / emotion / urgency for a seeded sample and write
           corpus/triage/real_proposed.csv (one row per sampled review, with `src_ref`).
  apply    merge the human review (corpus/triage/real_review_notes.txt: the ranges read, and per
           row either `drop` or corrected categories/emotion/urgency) into
           corpus/triage/real_reviewed.csv, the file the model trains and tests on. Only rows
           inside a reviewed range are kept.

    python scripts/derive_triage_corpus.py propose
    python scripts/derive_triage_corpus.py apply
    python scripts/derive_triage_corpus.py propose-more   # batch 2: appends R1101.. (other seed,
                                                         # quotas on the weak classes), never
                                                         # touches the existing rows
    python scripts/derive_triage_corpus.py handwritten   # hand-written beauty complaints and
                                                         # agent replies (txt) -> CSV with split
    python scripts/derive_triage_corpus.py propose-v7|...|propose-v11   # batches 7-11
                                                         # (rare-class pools, random, active selection)
    python scripts/derive_triage_corpus.py agreement     # blind second pass vs first pass:
                                                         # agreement.json + to_adjudicate.csv

Double annotation: every kept row is read a second time, blind to the first reading
(second_pass.txt). Rows whose category sets differ are read a third time by an adjudicator who
sees the text and both readings in random order, never a model output (adjudication.txt); `apply`
then takes the adjudicated labels for those rows. Column `second_pass` says which rows agreed.
"""
from __future__ import annotations

import csv
import hashlib
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "reviews"  # ../shared beside the repo
OUT = ROOT / "corpus" / "triage"
CITE = "SophonPlus/ChineseNlpCorpus@a0b781d"
sys.path.insert(0, str(ROOT / "src"))
from lashi.cases.triage import PRIMARY_PRIORITY as PRIMARY_IDS, by_priority  # noqa: E402

RULES = {
    "logistics_damage": r"快递|物流|破损|压坏|压扁|漏了|漏液|漏奶|送货|发货|发错|送错|烂了|包装破|送餐|送到|配送|超时|洒了|撒了",
    "counterfeit": r"假货|水货|翻新|不是正品|山寨|高仿|假的|冒牌|盗版",
    "return_refund": r"退货|退款|换货|退换|不给退|退不了|退钱|申请退",
    "service_attitude": r"客服|态度|推诿|踢皮球|不理|爱理不理|不回复|敷衍",
    "ingredient_mismatch": r"不符|货不对板|色差|与图片|和图片|跟图片|描述不|不一样|跟宣传的不|缩水",
    "false_advertising": r"宣传|夸大|虚假|忽悠|没效果|没有效果|名不副实|误导",
}
ANGER = r"垃圾|骗子|骗人|气死|坑人|坑爹|无语|恶心|再也不|投诉|12315|太差|差劲|滚|傻|黑心|什么玩意|！！|!!"
DISAPPOINT = r"失望|一般|不太|可惜|遗憾|后悔|有点|还行|不怎么|不如|郁闷"
HIGH = r"12315|投诉|起诉|报警|媒体|曝光|律师|孩子|宝宝|医院|就医|工商"

QUOTA = {"logistics_damage": 200, "counterfeit": 140, "return_refund": 150,
         "service_attitude": 170, "ingredient_mismatch": 140, "false_advertising": 100,
         "other": 200}
KEEP_CATS = {"衣服", "平板", "手机", "水果", "蒙牛", "计算机", "热水器"}


def split_of(text: str) -> str:
    """Fixed split from a hash of the text: ~25% test."""
    h = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h % 4 == 0 else "train"


def propose_one(text: str) -> dict:
    cats = [c for c, p in RULES.items() if re.search(p, text)]
    if not cats:
        cats = ["other"]
    emo = "anger" if re.search(ANGER, text) else "disappointment" if re.search(DISAPPOINT, text) else "neutral"
    urg = "high" if re.search(HIGH, text) else "medium" if emo == "anger" or len(cats) > 1 else "low"
    return {"categories": ";".join(cats), "primary": cats[0], "emotion": emo, "urgency": urg}


def load_negatives() -> list[dict]:
    rows = []
    with open(SHARED / "online_shopping_9_cats.csv", encoding="utf-8-sig") as f:
        for i, r in enumerate(csv.DictReader(f), start=1):
            t = (r["review"] or "").strip()
            if r["label"] == "0" and r["cat"] in KEEP_CATS and 6 <= len(t) <= 160:
                rows.append({"text": t, "src_ref": f"online_shopping_9_cats.csv#row{i}({r['cat']})"})
    with open(SHARED / "waimai_10k.csv", encoding="utf-8-sig") as f:
        for i, r in enumerate(csv.DictReader(f), start=1):
            t = (r["review"] or "").strip()
            if r["label"] == "0" and 6 <= len(t) <= 160:
                rows.append({"text": t, "src_ref": f"waimai_10k.csv#row{i}"})
    return rows


def propose() -> None:
    rng = random.Random(20240505)
    rows = load_negatives()
    rng.shuffle(rows)
    seen, picked = set(), []
    counts = {k: 0 for k in QUOTA}
    for r in rows:
        if r["text"] in seen:
            continue
        p = propose_one(r["text"])
        first = p["categories"].split(";")
        slot = next((c for c in first if counts[c] < QUOTA[c]), None)
        if slot is None:
            continue
        counts[slot] += 1
        seen.add(r["text"])
        picked.append({**r, **p})
    for n, r in enumerate(picked, start=1):
        r["id"] = f"R{n:04d}"
    fields = ["id", "text", "categories", "primary", "emotion", "urgency", "src_ref"]
    with open(OUT / "real_proposed.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in picked:
            w.writerow({k: r[k] for k in fields})
    print("proposed", len(picked), counts)


QUOTA2 = {"return_refund": 110, "service_attitude": 110, "logistics_damage": 90, "other": 80,
          "ingredient_mismatch": 30, "false_advertising": 30, "counterfeit": 20}


def propose_more() -> None:
    """Second sample (seed 20261124) appended to real_proposed.csv with ids after the last one.

    Texts already proposed are skipped; the existing rows (and their review) are unchanged."""
    path = OUT / "real_proposed.csv"
    with open(path, encoding="utf-8") as f:
        old = list(csv.DictReader(f))
    if any(r["id"] >= "R1101" for r in old):
        print("batch 2 already proposed")
        return
    seen = {r["text"] for r in old}
    rng = random.Random(20261124)
    rows = load_negatives()
    rng.shuffle(rows)
    counts = {k: 0 for k in QUOTA2}
    picked = []
    for r in rows:
        if r["text"] in seen:
            continue
        p = propose_one(r["text"])
        slot = next((c for c in p["categories"].split(";") if counts.get(c, 10**9) < QUOTA2[c]), None)
        if slot is None:
            continue
        counts[slot] += 1
        seen.add(r["text"])
        picked.append({**r, **p})
    fields = ["id", "text", "categories", "primary", "emotion", "urgency", "src_ref"]
    with open(path, "a", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        for n, r in enumerate(picked, start=len(old) + 1):
            r["id"] = f"R{n:04d}"
            w.writerow({k: r[k] for k in fields})
    print("proposed batch 2", len(picked), counts)


QUOTA3 = {"return_refund": 50, "false_advertising": 40, "service_attitude": 30, "gift_missing": 30,
          "other": 30, "logistics_damage": 20}


def propose_v3() -> None:
    """Third sample (seed 20261125) appended after the last id (R1571..); existing rows unchanged."""
    _propose_with_quota(QUOTA3, 20261125, after=1570, name="3")


def _proposed_so_far(after: int, name: str) -> list[dict] | None:
    """The rows of real_proposed.csv, or None (and a message) when batch `name` — ids after
    `after` — is already there."""
    with open(OUT / "real_proposed.csv", encoding="utf-8") as f:
        old = list(csv.DictReader(f))
    if any(int(r["id"][1:]) > after for r in old):
        print(f"batch {name} already proposed")
        return None
    return old


def _append_proposed(old: list[dict], picked: list[dict]) -> None:
    """Append `picked` to real_proposed.csv with ids following the existing rows."""
    fields = ["id", "text", "categories", "primary", "emotion", "urgency", "src_ref"]
    with open(OUT / "real_proposed.csv", "a", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        for n, r in enumerate(picked, start=len(old) + 1):
            r["id"] = f"R{n:04d}"
            w.writerow({k: r[k] for k in fields})


def _propose_with_quota(quota: dict, seed: int, after: int, name: str) -> None:
    """A seeded sample with quotas per proposed category (a review with 赠 is proposed as a gift
    complaint too), appended to real_proposed.csv after the last id; existing rows unchanged."""
    old = _proposed_so_far(after, name)
    if old is None:
        return
    seen = {r["text"] for r in old}
    rng = random.Random(seed)
    rows = load_negatives()
    rng.shuffle(rows)
    counts = {k: 0 for k in quota}
    picked = []
    for r in rows:
        if r["text"] in seen:
            continue
        p = propose_one(r["text"])
        if "赠" in r["text"] and "gift_missing" not in p["categories"]:
            p["categories"] = "gift_missing;" + p["categories"]
        slot = next((c for c in p["categories"].split(";") if counts.get(c, 10**9) < quota.get(c, 0)), None)
        if slot is None:
            continue
        counts[slot] += 1
        seen.add(r["text"])
        picked.append({**r, **p})
    _append_proposed(old, picked)
    print(f"proposed batch {name}", len(picked), counts)


def propose_v4(n: int = 160, seed: int = 20261126, after: int = 1770, name: str = "4") -> None:
    """Fourth sample (seed 20261126): n reviews at random, no quotas (the natural mix of
    negative reviews), appended after the last id; existing rows unchanged. Batch 5 is the same
    with seed 20261127 (R1931..)."""
    old = _proposed_so_far(after, name)
    if old is None:
        return
    seen = {r["text"] for r in old}
    rng = random.Random(seed)
    rows = [r for r in load_negatives() if r["text"] not in seen]
    rng.shuffle(rows)
    picked, texts = [], set()
    for r in rows:
        if r["text"] in texts:
            continue
        texts.add(r["text"])
        picked.append({**r, **propose_one(r["text"])})
        if len(picked) == n:
            break
    _append_proposed(old, picked)
    print(f"proposed batch {name}", len(picked))


QUOTA6 = {"return_refund": 110, "false_advertising": 90, "ingredient_mismatch": 90, "service_attitude": 60,
          "counterfeit": 50, "gift_missing": 40, "logistics_damage": 60, "other": 100}


def propose_v6() -> None:
    """Sixth sample (seed 20261128, R2091..): 600 reviews with quotas on the classes weakest in
    the test figures (return/refund, false advertising, not-as-described); appended after the last
    id, existing rows unchanged. Every row is then labelled by hand against G1-G7."""
    _propose_with_quota(QUOTA6, 20261128, after=2090, name="6")


QUOTA7 = {"return_refund": 348, "gift_missing": 174, "counterfeit": 109, "ingredient_mismatch": 498,
          "service_attitude": 500, "logistics_damage": 300, "other": 500}


def propose_v7() -> None:
    """Seventh sample (seed 20261129, R2616..): every remaining negative review the keyword rules
    propose for the rarer classes (returns, gifts, fakes, not-as-described) and quotas of the
    rest, ~2,400 rows; appended after the last id, existing rows unchanged. Every row is then
    labelled by hand (first pass in real_review_notes.txt, a blind second pass, adjudication)."""
    _propose_with_quota(QUOTA7, 20261129, after=2615, name="7")


def propose_v8() -> None:
    """Eighth sample (seed 20261130, R4989..): 2,400 of the remaining negative reviews at random
    (the natural mix; the keyword pools of the rarer classes were used up by batch 7), labelled
    like batch 7 (two blind readings and adjudication)."""
    propose_v4(2400, 20261130, 4988, "8")


QUOTA9 = {"false_advertising": 500, "return_refund": 400, "service_attitude": 400, "gift_missing": 300,
          "counterfeit": 200, "ingredient_mismatch": 200}
QUOTA10 = {"false_advertising": 600, "return_refund": 400, "service_attitude": 400, "gift_missing": 300,
           "counterfeit": 300}


def propose_v9(quota: dict | None = None, after: int = 7388, name: str = "9") -> None:
    """Ninth sample (R7389..): active selection for the classes the model is weakest at. The
    shipped triage model scores every remaining negative review; for each weak class the
    highest-scoring reviews are proposed (quotas QUOTA9, each review once). The model only
    chooses WHICH reviews get read: every row is then labelled by two readers blind to each other
    and to the model, and adjudicated, like batches 7-8. Batches 10 (R9389..) and 11 (R11389..) repeat it with the
    model retrained on batches 1-9 and 1-10 (QUOTA10)."""
    from lashi.cases.triage import triage_batch
    from lashi.cases.triage.model import CATEGORY_IDS

    quota = quota or QUOTA9
    old = _proposed_so_far(after, name)
    if old is None:
        return
    seen = {r["text"] for r in old}
    rows, texts = [], set()
    for r in load_negatives():
        if r["text"] not in seen and r["text"] not in texts:
            texts.add(r["text"])
            rows.append(r)
    res = triage_batch([r["text"] for r in rows])
    picked, taken = [], set()
    for cat, k in quota.items():
        order = sorted(range(len(rows)), key=lambda i: -res[i].scores[cat])
        n = 0
        for i in order:
            if n == k:
                break
            if i in taken:
                continue
            taken.add(i)
            n += 1
            picked.append({**rows[i], **propose_one(rows[i]["text"])})
    _append_proposed(old, picked)
    print(f"proposed batch {name}", len(picked), "from", len(rows), "remaining reviews", set(CATEGORY_IDS) >= set(quota))


EMO = {"a": "anger", "d": "disappointment", "n": "neutral"}
URG = {"h": "high", "m": "medium", "l": "low"}


def read_notes(path: Path) -> tuple[set[str], dict[str, dict]]:
    reviewed: set[str] = set()
    corr: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        m = re.match(r"#reviewed R(\d+)-R(\d+)", line)
        if m:
            reviewed.update(f"R{i:04d}" for i in range(int(m.group(1)), int(m.group(2)) + 1))
            continue
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        c = {"categories": parts[1]}
        for tok in parts[2:]:
            if tok in EMO:
                c["emotion"] = EMO[tok]
            elif tok in URG:
                c["urgency"] = URG[tok]
        # a later line overrides what it sets (categories always; emotion/urgency if given)
        corr.setdefault(parts[0], {}).update(c)
    return reviewed, corr


def first_pass() -> list[dict]:
    """Rows of the first reading (proposals merged with real_review_notes.txt), drops removed."""
    with open(OUT / "real_proposed.csv", encoding="utf-8") as f:
        prop = list(csv.DictReader(f))
    reviewed, corr = read_notes(OUT / "real_review_notes.txt")
    out = []
    for r in prop:
        if r["id"] not in reviewed:
            continue
        c = corr.get(r["id"])
        if c is not None:
            if c["categories"] == "drop":
                continue
            r["categories"] = c["categories"]
            r["emotion"] = c.get("emotion", r["emotion"])
            if "urgency" in c:
                r["urgency"] = c["urgency"]
            else:  # urgency follows the reviewed labels unless set by hand
                r["urgency"] = _urgency(r)
        r["reviewed"] = "corrected" if c is not None else "accepted"
        out.append(r)
    return out


def _urgency(r: dict) -> str:
    return ("high" if re.search(HIGH, r["text"]) else
            "medium" if r["emotion"] == "anger" or ";" in r["categories"] else "low")


def read_labels(path: Path) -> dict[str, dict]:
    """`ID categories [emotion]` or `ID drop` lines (second pass, adjudication); '#' comments."""
    out: dict[str, dict] = {}
    if not path.exists():
        return out
    valid = set(PRIMARY_IDS) | {"drop"}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) < 2 or not set(parts[1].split(";")) <= valid:
            raise SystemExit(f"{path}:{n}: field categories: expected `ID categories [emotion]` with "
                             f"categories from {sorted(valid)}, got {line!r}")
        d = {"categories": parts[1]}
        if len(parts) > 2 and parts[2] in EMO:
            d["emotion"] = EMO[parts[2]]
        out[parts[0]] = d
    return out


def _primary(categories: str) -> str:
    return "drop" if categories == "drop" else by_priority(categories.split(";"))[0]


def _same(a: dict, b: dict) -> bool:
    return set(a["categories"].split(";")) == set(b["categories"].split(";"))


def apply() -> None:
    """real_reviewed.csv = first pass, where a blind second pass exists: rows both readers label
    alike are kept as they are; rows they disagree on (categories or drop) take the adjudicated
    labels of a third reading (adjudication.txt) when there is one."""
    second = read_labels(OUT / "second_pass.txt")
    adjudicated = read_labels(OUT / "adjudication.txt")
    out = []
    for r in first_pass():
        b = second.get(r["id"])
        r["second_pass"] = "" if b is None else "agree" if _same(r, b) else "disagree"
        if r["second_pass"] == "disagree" and r["id"] in adjudicated:
            a = adjudicated[r["id"]]
            if a["categories"] == "drop":
                continue
            r["categories"] = a["categories"]
            r["emotion"] = a.get("emotion", r["emotion"])
            r["urgency"] = _urgency(r)
            r["second_pass"] = "adjudicated"
        # primary by the documented priority rule (not by the order written in the notes)
        r["categories"] = ";".join(by_priority(r["categories"].split(";")))
        r["primary"] = r["categories"].split(";")[0]
        r["source"] = f"{CITE}:{r.pop('src_ref')}"
        r["split"] = split_of(r["text"])
        # batch 1 = the rows of the original fixed split (R0001-R1100); batch 2 = propose-more
        n = int(r["id"][1:])
        r["batch"] = "v1" if n <= 1100 else "v2" if n <= 1570 else "v3" if n <= 1770 else "v4" if n <= 1930 else "v5" if n <= 2090 else "v6" if n <= 2615 else "v7" if n <= 4988 else "v8" if n <= 7388 else "v9" if n <= 9388 else "v10" if n <= 11388 else "v11"
        out.append(r)
    fields = ["id", "text", "categories", "primary", "emotion", "urgency", "source", "reviewed", "split",
              "batch", "second_pass"]
    with open(OUT / "real_reviewed.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(out)
    print("reviewed rows", len(out), "corrected", sum(r["reviewed"] == "corrected" for r in out),
          "second pass", {k: sum(r["second_pass"] == k for r in out) for k in ("agree", "disagree", "adjudicated")})


def agreement() -> None:
    """Agreement of the blind second pass with the first (before adjudication): exact label-set
    agreement, Cohen's kappa and macro-F1 of the primary (reader B scored against reader A), per
    split; writes corpus/triage/agreement.json and the rows to adjudicate
    (corpus/triage/to_adjudicate.csv: text and both readings, no model output)."""
    import json

    from sklearn.metrics import cohen_kappa_score, f1_score

    second = read_labels(OUT / "second_pass.txt")
    rows = [r for r in first_pass() if r["id"] in second]
    res, todo = {}, []
    for split in ("train", "test", "all"):
        part = [r for r in rows if split == "all" or split_of(r["text"]) == split]
        a = [by_priority(r["categories"].split(";"))[0] for r in part]
        b = [_primary(second[r["id"]]["categories"]) for r in part]
        kept = [(x, y) for x, y in zip(a, b) if y != "drop"]
        ka, kb = [x for x, _ in kept], [y for _, y in kept]
        labels = sorted(set(ka))
        res[split] = {"n": len(part), "b_drops": len(part) - len(kept),
                      "same_label_set": round(sum(_same(r, second[r["id"]]) for r in part) / len(part), 4),
                      "same_primary": round(sum(x == y for x, y in kept) / max(len(kept), 1), 4),
                      "primary_kappa": round(cohen_kappa_score(ka, kb), 4),
                      "primary_macro_f1_b_vs_a": round(f1_score(ka, kb, labels=labels, average="macro",
                                                                zero_division=0), 4),
                      "same_emotion": round(sum(r["emotion"] == second[r["id"]].get("emotion") for r in part)
                                            / len(part), 4)}
    done = read_labels(OUT / "adjudication.txt")
    res["all"]["adjudicated_drops"] = sum(1 for r in rows if done.get(r["id"], {}).get("categories") == "drop")
    for r in rows:
        if not _same(r, second[r["id"]]) and r["id"] not in done:
            todo.append({"id": r["id"], "text": r["text"], "reading_1": r["categories"],
                         "emotion_1": r["emotion"], "reading_2": second[r["id"]]["categories"],
                         "emotion_2": second[r["id"]].get("emotion", "")})
    (OUT / "agreement.json").write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    with open(OUT / "to_adjudicate.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "text", "reading_1", "emotion_1", "reading_2", "emotion_2"])
        w.writeheader()
        w.writerows(todo)
    print(json.dumps(res, ensure_ascii=False, indent=1))
    print("to adjudicate (not yet adjudicated)", len(todo))


CODES = {"A": "allergy", "F": "skin_fit", "M": "ingredient_mismatch", "D": "false_advertising",
         "L": "logistics_damage", "R": "return_refund", "G": "gift_missing", "C": "counterfeit",
         "S": "service_attitude", "O": "other"}
TONES = {"P": "positive_empathetic", "N": "neutral", "C": "cold"}


def handwritten() -> None:
    # a line `#batch v2` marks where the second batch of hand-written texts starts; rows before it
    # are the original fixed split (v1), kept unchanged
    rows = []
    src = OUT / "beauty_handwritten.txt"
    batch = "v1"
    for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#batch "):
            batch = line.split()[1]
        if not line.strip() or line.startswith("#"):
            continue
        codes, emo, urg, text = line.split(" ", 3)
        cats = by_priority([CODES[c] for c in codes])
        rows.append({"id": f"B{n:04d}", "text": text.strip(), "categories": ";".join(cats),
                     "primary": cats[0], "emotion": EMO[emo], "urgency": URG[urg],
                     "source": f"handwritten:corpus/triage/beauty_handwritten.txt#L{n}",
                     "reviewed": "handwritten", "split": split_of(text.strip()), "batch": batch})
    fields = ["id", "text", "categories", "primary", "emotion", "urgency", "source", "reviewed", "split",
              "batch"]
    with open(OUT / "beauty_handwritten.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    tone_dir = ROOT / "corpus" / "tone"
    trows = []
    batch = "v1"
    for n, line in enumerate((tone_dir / "agent_replies.txt").read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#batch "):
            batch = line.split()[1]
        if not line.strip() or line.startswith("#"):
            continue
        code, text = line.split(" ", 1)
        trows.append({"id": f"T{n:04d}", "text": text.strip(), "tone": TONES[code],
                      "source": f"handwritten:corpus/tone/agent_replies.txt#L{n}",
                      "split": split_of(text.strip()), "batch": batch})
    with open(tone_dir / "agent_replies.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "text", "tone", "source", "split", "batch"])
        w.writeheader()
        w.writerows(trows)
    print("beauty", len(rows), "tone", len(trows))


if __name__ == "__main__":
    {"propose": propose, "propose-more": propose_more, "propose-v3": propose_v3, "propose-v4": propose_v4,
     "propose-v5": lambda: propose_v4(160, 20261127, 1930, "5"), "propose-v6": propose_v6, "propose-v7": propose_v7, "propose-v8": propose_v8, "propose-v9": propose_v9,
     "propose-v10": lambda: propose_v9(QUOTA10, 9388, "10"),
     "propose-v11": lambda: propose_v9(QUOTA10, 11388, "11"), "apply": apply,
     "handwritten": handwritten, "agreement": agreement}[sys.argv[1]]()
