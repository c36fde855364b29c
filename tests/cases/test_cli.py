import json

import pytest
from click.testing import CliRunner

from lashi.cli import main

HEADLINE = "直播间说含95%玻尿酸，到手成分表第五位，用了两天脸上刺痛泛红，客服一直推给品牌"
LABEL = "Water, Glycerin, Butylene Glycol, Niacinamide, Sodium Hyaluronate, Alcohol Denat., Fragrance, Phenoxyethanol"


def test_triage_json_headline(tmp_path):
    r = CliRunner().invoke(main, ["triage", HEADLINE, "--ingredients", LABEL, "--json", "-w", str(tmp_path)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["primary"] in ("ingredient_mismatch", "allergy")
    assert any(v["verdict"] == "impossible" for v in d["claims"])
    assert {"alcohol_denat", "fragrance"} <= {c["ingredient_id"] for c in d["allergy"]["culprits"]}
    assert d["allergy"]["report_deadline_days"] == 30


def test_triage_demo_product(tmp_path):
    r = CliRunner().invoke(main, ["triage", HEADLINE, "--product", "DEMO-001", "--json", "-w", str(tmp_path)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    # the "done when": mismatch + allergy + service attitude, anger, the impossible verdict
    # with its reason, culprits from the product's label, and the report deadline
    assert {"ingredient_mismatch", "allergy", "service_attitude"} <= {c["category"] for c in d["categories"]}
    assert d["primary"] in ("ingredient_mismatch", "allergy")
    assert d["emotion"] == "anger"
    imp = [v for v in d["claims"] if v["verdict"] == "impossible"]
    assert imp and "20" in imp[0]["reason_en"] and "第5位" in imp[0]["reason_zh"]
    assert {"alcohol", "fragrance"} <= {c["ingredient_id"] for c in d["allergy"]["culprits"]}
    assert d["allergy"]["report_deadline_days"] == 30


def test_claims_check_and_batch(tmp_path):
    r = CliRunner().invoke(main, ["claims", "check", "无酒精", "--ingredients", LABEL, "-w", str(tmp_path)])
    assert r.exit_code == 0 and "contradicted" in r.output
    f = tmp_path / "in.csv"
    f.write_text("text\n用完刺痛泛红\n快递压坏了\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(main, ["triage", "--file", str(f), "--out", str(out), "-w", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").count("\n") == 3


def test_unreadable_store_is_named_and_demo_products_still_answer(tmp_path):
    from lashi.cases.products import product_label

    (tmp_path / "lashi.duckdb").write_text("not a database")
    with pytest.raises(KeyError, match="could not be read"):
        product_label("P-nope", tmp_path)
    ings, src = product_label("DEMO-001", tmp_path)
    assert src.startswith("demo:") and len(ings) > 3
