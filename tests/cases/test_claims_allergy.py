import pytest

from lashi.cases.allergy import assess
from lashi.cases.claims import check_claim
from lashi.cases.ingredients import dictionary, lookup, normalise, split_label

LABEL = ["Water", "Glycerin", "Butylene Glycol", "Niacinamide", "Sodium Hyaluronate",
         "Alcohol Denat.", "Fragrance", "Phenoxyethanol", "Linalool"]


def verdicts(text, label=LABEL):
    return [(v.kind, v.subject, v.verdict) for v in check_claim(text, label)]


def test_dictionary_size_and_flags_have_sources():
    d = dictionary()
    assert len(d) >= 300
    assert all(i.zh and i.inci for i in d.values())
    assert lookup("Methylisothiazolinone").allergen


@pytest.mark.parametrize("token,expected", [
    ("玻尿酸", "sodium_hyaluronate"), ("透明质酸钠", "sodium_hyaluronate"), ("SODIUM HYALURONATE", "sodium_hyaluronate"),
    ("酒精", "alcohol"), ("Alcohol Denat.", "alcohol_denat"), ("alcohol denat", "alcohol_denat"),
    ("Parfum", "fragrance"), ("香料", "fragrance"), ("Fragrance (Parfum)", "fragrance"),
    ("烟酰胺", "niacinamide"), ("Titanium Dioxide (CI 77891)", "titanium_dioxide"),
    ("Butyrospermum Parkii (Shea) Butter", "butyrospermum_parkii_butter"), ("1,2-Hexanediol", "1_2_hexanediol"),
])
def test_normaliser(token, expected):
    assert normalise(token) == expected


def test_split_label_keeps_numbers_and_parentheses():
    assert split_label("Water, 1,2-Hexanediol, Iron Oxides (CI 77491, CI 77492), Glycerin.") == \
        ["Water", "1,2-Hexanediol", "Iron Oxides (CI 77491, CI 77492)", "Glycerin"]


@pytest.mark.parametrize("text,label,expected", [
    ("含95%玻尿酸", LABEL, ("percentage", "sodium_hyaluronate", "impossible")),
    ("含2%烟酰胺", LABEL, ("percentage", "niacinamide", "consistent")),
    ("烟酰胺含量高达30%", LABEL, ("percentage", "niacinamide", "impossible")),
    ("无酒精", LABEL, ("free_from", "alcohol", "contradicted")),
    ("无酒精", ["水", "甘油", "乙醇"], ("free_from", "alcohol", "contradicted")),
    ("无香精", LABEL, ("free_from", "fragrance", "contradicted")),
    ("0添加防腐剂", LABEL, ("free_from", "preservative", "contradicted")),
    ("敏感肌可用", LABEL, ("suitability", "sensitive", "warning")),
    ("敏感肌可用", ["Water", "Glycerin", "Squalane"], ("suitability", "sensitive", "consistent")),
    ("无酒精", ["Water", "Glycerin", "Squalane"], ("free_from", "alcohol", "consistent")),
    ("含10%玻尿酸", ["Water", "Glycerin"], ("percentage", "sodium_hyaluronate", "contradicted")),
])
def test_claim_table(text, label, expected):
    assert expected in verdicts(text, label)


def test_claim_without_label_cannot_tell():
    assert verdicts("含95%玻尿酸", [])[0][2] == "cannot_tell"


def test_reasons_are_bilingual():
    v = check_claim("含95%玻尿酸", LABEL)[0]
    assert "第5位" in v.reason_zh and "position 5" in v.reason_en


def test_allergy_culprits_and_deadline():
    a = assess("用了两天脸上刺痛泛红", LABEL)
    ids = [c.ingredient_id for c in a.culprits]
    assert "alcohol_denat" in ids and "fragrance" in ids
    assert a.severity == "general" and a.report_deadline_days == 30


def test_allergy_rash_points_to_preservative_allergen():
    a = assess("脸上起红疹，瘙痒", ["Water", "Glycerin", "Methylisothiazolinone", "Parfum"])
    assert [c.ingredient_id for c in a.culprits][:2] == ["methylisothiazolinone", "fragrance"] or \
        {"methylisothiazolinone", "fragrance"} <= {c.ingredient_id for c in a.culprits}


def test_allergy_severity_levels():
    assert assess("脸肿得眼睛睁不开，住院了", LABEL).report_deadline_days == 15
    assert assess("同一批好多人都过敏了，已经联系媒体", LABEL).report_deadline_days == 3


def test_allergy_negation():
    assert not assess("没有过敏，就是卡粉", LABEL).is_reaction
