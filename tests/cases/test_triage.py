import json
from pathlib import Path

import pytest

from lashi.cases.triage import reply_tone, triage

METRICS = json.loads((Path(__file__).resolve().parents[2] / "src/lashi/cases/data/triage_metrics.json").read_text())
HEADLINE = "直播间说含95%玻尿酸，到手成分表第五位，用了两天脸上刺痛泛红，客服一直推给品牌"
LABEL = ["Water", "Glycerin", "Butylene Glycol", "Niacinamide", "Sodium Hyaluronate",
         "Alcohol Denat.", "Fragrance", "Phenoxyethanol", "Linalool"]


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def test_split():
    import pandas as pd

    from lashi.cases.triage import triage_batch

    tri = pd.concat([pd.read_csv(ROOT / "corpus/triage/real_reviewed.csv"),
                     pd.read_csv(ROOT / "corpus/triage/beauty_handwritten.csv")])
    te = tri[tri.split == "test"]
    return te, triage_batch(te.text.tolist())


def test_fixed_split_quality_recorded():
    # measured on the fixed test split by scripts/train_triage.py (docs/triage.md): macro-F1 0.815,
    # accuracy 0.820 on 4,222 texts (double-annotated real reviews + hand-written beauty
    # complaints); thresholds are the measured values minus a small margin.
    # The target of 0.85 is NOT reached (reported in docs/triage.md).
    assert METRICS["n_test"] >= 4220
    assert METRICS["primary_macro_f1"] >= 0.80
    assert METRICS["primary_accuracy"] >= 0.80
    assert METRICS["primary_in_true_set"] >= 0.87
    assert METRICS["per_class_f1"]["allergy"] >= 0.92
    assert METRICS["beauty_primary_macro_f1"] >= 0.86
    assert METRICS["real_primary_macro_f1"] >= 0.69
    assert min(METRICS["per_class_f1"].values()) >= 0.72
    assert METRICS["tone_macro_f1"] >= 0.85
    assert METRICS["emotion_macro_f1"] >= 0.62


def test_every_real_review_is_read_twice():
    """Every kept real review has a blind second reading; where the two differ the row carries
    the adjudicated labels (corpus/triage/adjudication.txt)."""
    import pandas as pd

    real = pd.read_csv(ROOT / "corpus/triage/real_reviewed.csv")
    assert set(real.second_pass) == {"agree", "adjudicated"}
    adjudicated = {line.split()[0] for line in
                   (ROOT / "corpus/triage/adjudication.txt").read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.startswith("#") and line.split()[1] != "drop"}
    assert set(real.id[real.second_pass == "adjudicated"]) == adjudicated
    agreement = json.loads((ROOT / "corpus/triage/agreement.json").read_text())
    assert agreement["all"]["n"] == len(real) + agreement["all"]["adjudicated_drops"]
    assert agreement["test"]["primary_kappa"] >= 0.85


@pytest.mark.parametrize("batch,n", [("v5", 600), ("v6", 1586), ("v7", 1466)])
def test_beauty_batches_carry_the_final_of_their_readings(batch, n):
    """Batches v5-v7 of the hand-written complaints were read a second time, blind; the corpus
    holds the writer's labels where the readings agree and the adjudicated ones where they do not."""
    import pandas as pd

    readings = pd.read_csv(ROOT / f"corpus/triage/beauty_{batch}_readings.csv", keep_default_na=False)
    assert len(readings) == n
    agree = readings.adjudicated == ""
    assert (readings.final_codes[agree] == readings.writer.str.split().str[0][agree]).all()
    assert (readings.final_codes[~agree] == readings.adjudicated.str.split().str[0][~agree]).all()
    beauty = pd.read_csv(ROOT / "corpus/triage/beauty_handwritten.csv")
    rows = beauty[beauty.batch == batch].set_index("text")
    assert len(rows) == len(readings)
    codes = {"A": "allergy", "F": "skin_fit", "M": "ingredient_mismatch", "D": "false_advertising",
             "L": "logistics_damage", "R": "return_refund", "G": "gift_missing", "C": "counterfeit",
             "S": "service_attitude", "O": "other"}
    for text, final in zip(readings.text, readings.final_codes):
        assert set(rows.loc[text, "categories"].split(";")) == {codes[c] for c in final}


def test_readme_reports_the_measured_confusion_matrix():
    """The README's primary-category confusion matrix is the one measured on the fixed split."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    abbr = {"ingredient_mismatch": "MIS", "false_advertising": "ADV", "allergy": "ALG", "skin_fit": "FIT",
            "logistics_damage": "LOG", "return_refund": "RET", "gift_missing": "GFT", "counterfeit": "FAK",
            "service_attitude": "SVC", "other": "OTH"}
    for label, row in zip(METRICS["confusion_labels"], METRICS["confusion"]):
        assert f"| {abbr[label]} | " + " | ".join(map(str, row)) + " |" in readme, label
    assert f"macro-F1 {METRICS['primary_macro_f1']:.3f}" in readme
    assert f"accuracy {METRICS['primary_accuracy']:.3f}" in readme


def test_shipped_model_on_fixed_test_split(test_split):
    from sklearn.metrics import f1_score

    from lashi.cases.triage.model import CATEGORY_IDS

    te, res = test_split
    pred = [r.primary for r in res]
    acc = sum(p == y for p, y in zip(pred, te.primary)) / len(te)
    f1 = f1_score(te.primary.tolist(), pred, labels=list(CATEGORY_IDS), average="macro")
    assert abs(acc - METRICS["primary_accuracy"]) < 1e-9   # the shipped model is the measured one
    assert f1 >= 0.80 and acc >= 0.80


def test_like_for_like_on_the_test_texts_of_before_the_latest_batches(test_split):
    """The test split grows with every batch, so the headline mixes model and test changes. On the
    2,948 test texts that existed before real batches 10-11 and hand-written batch v7, the model
    went from 0.802 (start of that work) to 0.824, then 0.829 with the word clusters
    (docs/triage.md, like-for-like table)."""
    from sklearn.metrics import f1_score

    from lashi.cases.triage.model import CATEGORY_IDS

    te, res = test_split
    real = te.source.str.startswith("SophonPlus")
    old = ((real & ~te.batch.isin(["v10", "v11"])) | (~real & (te.batch != "v7"))).to_numpy()
    y = te.primary.to_numpy()[old]
    pred = [r.primary for r, keep in zip(res, old) if keep]
    assert len(y) == 2948
    assert f1_score(list(y), pred, labels=list(CATEGORY_IDS), average="macro") >= 0.81


def test_word_clusters_are_shipped_and_used():
    """The word-cluster table (scripts/derive_word_clusters.py) gives every word three cluster ids
    within 100, 400 and 1,600 clusters; the shipped featurizer reads them; delivery words share a topic
    cluster that a taste word is not in (checkable in the table: 快递 45, 物流 45, 难吃 37)."""
    from lashi.cases.triage import load_model
    from lashi.cases.triage.model import load_word_clusters

    table = load_word_clusters()
    assert len(table) > 20000
    for word in ("快递", "退款", "客服"):
        ids = dict(t.split("_") for t in table[word].split())
        assert set(ids) == {"C100", "C400", "C1600"}
        assert int(ids["C100"]) < 100 and int(ids["C400"]) < 400 and int(ids["C1600"]) < 1600
    feat = load_model()["featurizer"]
    assert feat.cluster is not None and feat.cluster_of["快递"] == table["快递"]
    coarse = lambda w: table[w].split()[0]  # noqa: E731
    # delivery words share a topic cluster; a delivery word and a taste word do not
    assert coarse("快递") == coarse("物流") and coarse("快递") != coarse("难吃")


def test_corpus_is_real_or_handwritten_and_large_enough():
    import pandas as pd

    from lashi.cases.triage import by_priority
    from lashi.cases.triage.model import CATEGORY_IDS

    tri = pd.concat([pd.read_csv(ROOT / "corpus/triage/real_reviewed.csv"),
                     pd.read_csv(ROOT / "corpus/triage/beauty_handwritten.csv")])
    tone = pd.read_csv(ROOT / "corpus/tone/agent_replies.csv")
    assert len(tri) + len(tone) >= 3000
    assert tri.source.str.startswith(("SophonPlus/ChineseNlpCorpus@", "handwritten:")).all()
    assert tone.source.str.startswith("handwritten:").all()
    assert not tri.text.duplicated().any()
    for cats, primary in zip(tri.categories, tri.primary):
        cs = cats.split(";")
        assert set(cs) <= set(CATEGORY_IDS) and by_priority(cs)[0] == primary
    # the split is a pure function of the text (fixed, ~25% test)
    import hashlib
    for t, sp in zip(tri.text, tri.split):
        assert sp == ("test" if int(hashlib.sha1(t.encode("utf-8")).hexdigest()[:8], 16) % 4 == 0 else "train")


def test_headline_example():
    r = triage(HEADLINE, LABEL)
    cats = set(r.category_ids)
    assert {"ingredient_mismatch", "allergy", "service_attitude"} <= cats
    assert r.primary in ("ingredient_mismatch", "allergy")
    assert r.emotion == "anger"


@pytest.mark.parametrize("text,absent", [
    ("没有过敏，就是卡粉卡得厉害", "allergy"),
    ("不是假货，专柜验过了，就是物流太慢了", "counterfeit"),
    ("瓶子并没有漏，包装挺好的，但是赠品没给", "logistics_damage"),
])
def test_negation(text, absent):
    assert absent not in triage(text).category_ids


@pytest.mark.parametrize("text,expected", [
    ("没有过敏，就是卡粉卡得厉害", "skin_fit"),
    ("不是假货，专柜验过了，就是物流太慢了", "logistics_damage"),
    ("瓶子并没有漏，包装挺好的，但是赠品没给", "gift_missing"),
    ("用完脸上起红疹还痒", "allergy"),
])
def test_negation_keeps_the_real_problem(text, expected):
    assert expected in triage(text).category_ids


@pytest.mark.parametrize("text,urg", [
    ("孩子用了脸上红肿起疹子", "high"),
    ("假货！我要去12315投诉", "high"),
    ("包装有点简陋", "low"),
])
def test_urgency(text, urg):
    assert triage(text).urgency == urg


@pytest.mark.parametrize("text,absent", [
    ("物流很快，但是苹果烂了，又小又酸", "logistics_damage"),
    ("快递小哥态度很好，就是衣服质量太差", "service_attitude"),
])
def test_praise_is_not_the_complaint(text, absent):
    assert absent not in triage(text).category_ids


@pytest.mark.parametrize("text,expected", [
    # a negated mention that IS the complaint: not masked, not damped
    ("一般，还没给赠品", "gift_missing"),
    ("不爽，没赠品", "gift_missing"),
    ("下单五天了还没发货", "logistics_damage"),
    ("待机时间并没有宣传的那么长，说好的两天一充", "false_advertising"),
])
def test_negated_absence_is_the_complaint(text, expected):
    assert expected in triage(text).category_ids


@pytest.mark.parametrize("text", ["不是正品，有种被骗的感觉", "手机是不是翻新的，边框有划痕", "没有防伪码，扫不出来"])
def test_negated_genuineness_and_questions_point_to_a_fake(text):
    # 不是正品 / 没有防伪码 affirm a fake; 是不是翻新 is a question, not a negation
    assert "counterfeit" in triage(text).category_ids


def test_a_declined_return_is_not_a_return_complaint():
    from lashi.cases.triage.lexicon import analyse

    assert analyse("懒得退货了")[1] == ["OPT_refund"]
    assert analyse("还没退款")[1] == ["NEG_refund"]
    assert "return_refund" not in triage("苹果坏了好几个，懒得退货了，以后不买了").category_ids


def test_primary_by_priority():
    from lashi.cases.triage import PRIMARY_PRIORITY, by_priority

    assert PRIMARY_PRIORITY[0] == "allergy" and PRIMARY_PRIORITY[-1] == "other"
    assert by_priority(["service_attitude", "ingredient_mismatch", "allergy"])[0] == "allergy"
    r = triage("快递太慢了，等了十天，客服也不回消息")
    assert r.primary == "logistics_damage" and "service_attitude" in r.category_ids


def test_reply_tone():
    assert reply_tone("非常抱歉给您带来困扰，我们马上为您退款，请先停用") == "positive_empathetic"
    assert reply_tone("这个不归我们管，你去找品牌") == "cold"
