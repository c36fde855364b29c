"""Generated rows satisfy the data contract: columns, required values, enums, ranges, keys,
references and row rules — checked with plain duckdb from the contract's own definitions."""
from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq
import pytest

from lashi.contract import TABLES
from lashi.sample import generate


@pytest.fixture(scope="module")
def con(calib_dir):
    c = duckdb.connect()
    c.execute("SET TimeZone='Asia/Shanghai'")
    for t in TABLES:
        c.execute(f"CREATE VIEW {t.name} AS SELECT * FROM read_parquet('{calib_dir / (t.name + '.parquet')}')")
    return c


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.name)
def test_table_satisfies_contract(con, calib_dir, t):
    cols = pq.read_schema(calib_dir / f"{t.name}.parquet").names
    assert set(t.column_names) <= set(cols), f"{t.name}: missing columns {set(t.column_names) - set(cols)}"
    assert con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] > 0, f"{t.name} is empty"
    for c in t.columns:
        q = f'"{c.name}"'
        if c.required:
            n = con.execute(f"SELECT count(*) FROM {t.name} WHERE {q} IS NULL").fetchone()[0]
            assert n == 0, f"{t.name}.{c.name}: {n} nulls in a required column"
        if c.enum:
            allowed = ", ".join(f"'{v}'" for v in c.enum)
            bad = con.execute(f"SELECT DISTINCT {q} FROM {t.name} WHERE {q} IS NOT NULL AND {q} NOT IN ({allowed})").fetchall()
            assert not bad, f"{t.name}.{c.name}: values outside the enum: {bad[:5]}"
        if c.min is not None:
            assert con.execute(f"SELECT count(*) FROM {t.name} WHERE {q} < {c.min}").fetchone()[0] == 0
        if c.max is not None:
            assert con.execute(f"SELECT count(*) FROM {t.name} WHERE {q} > {c.max}").fetchone()[0] == 0
        if c.ref:
            rt, rc = c.ref.split(".")
            n = con.execute(f"SELECT count(*) FROM {t.name} x WHERE x.{q} IS NOT NULL AND NOT EXISTS "
                            f"(SELECT 1 FROM {rt} y WHERE y.{rc} = x.{q})").fetchone()[0]
            assert n == 0, f"{t.name}.{c.name}: {n} rows refer to unknown {c.ref}"
    key = ", ".join(t.key)
    dup = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {t.name} GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
    assert dup == 0, f"{t.name}: duplicate keys"
    for rule in t.rules:
        joins = " ".join(f"JOIN {j}" for j in rule.joins)
        n = con.execute(f"SELECT count(*) FROM {t.name} r {joins} WHERE ({rule.violation})").fetchone()[0]
        assert n == 0, f"{t.name}: {n} rows break rule {rule.reason}"


def test_survey_ranges_and_event_payloads(con):
    assert con.execute("SELECT count(*) FROM surveys WHERE kind='nps' AND score NOT BETWEEN 0 AND 10").fetchone()[0] == 0
    # money events carry amount and payer; party events the party; compensation the kind
    assert con.execute("""SELECT count(*) FROM case_events WHERE kind IN
        ('refund_issued','compensation_accepted','medical_compensation_paid') AND (amount IS NULL OR payer IS NULL)""").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM case_events WHERE kind='transfer' AND party = actor").fetchone()[0] == 0
    # every case starts with its created event, and events are never before it
    assert con.execute("""SELECT count(*) FROM cases k WHERE NOT EXISTS (SELECT 1 FROM case_events e
        WHERE e.case_id = k.case_id AND e.kind = 'created' AND e.at = k.created_at)""").fetchone()[0] == 0
    # closed cases have a closed event; open ones are the cut-off's
    assert con.execute("""SELECT count(*) FROM cases k WHERE outcome <> 'open' AND NOT EXISTS
        (SELECT 1 FROM case_events e WHERE e.case_id = k.case_id AND e.kind = 'closed')""").fetchone()[0] == 0
    # all event kinds of the contract's vocabulary that the spec lists appear
    kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM case_events").fetchall()}
    for k in ("created", "routed", "ai_reply", "escalated_to_human", "human_reply", "transfer", "evidence_requested",
              "evidence_received", "refund_requested", "return_received", "refund_issued", "rule_conflict", "resolved",
              "closed", "reopened", "arbitration_opened", "arbitration_decided", "compensation_offered",
              "compensation_accepted", "medical_compensation_paid", "qc_checked", "anger_detected",
              "senior_agent_assigned", "care_package_sent", "follow_up_created", "follow_up_done"):
        assert k in kinds, k


def test_subjects_scale_and_links(con, calib_dir):
    m = json.loads((calib_dir / "manifest.json").read_text())
    assert m["subjects"]["platform"] == 4
    names = {r[0] for r in con.execute("SELECT name FROM subjects WHERE kind='platform'").fetchall()}
    assert names == {"抖音", "淘宝直播", "快手", "拼多多"}
    assert {r[0] for r in con.execute("SELECT DISTINCT tier FROM subjects WHERE kind='streamer'").fetchall()} == {"head", "mid", "small"}
    assert {r[0] for r in con.execute("SELECT DISTINCT origin FROM subjects WHERE kind='brand'").fetchall()} == {
        "international", "domestic", "niche"}
    # most streamers have an MCN
    share = con.execute("SELECT avg(CASE WHEN mcn_id IS NOT NULL THEN 1 ELSE 0 END) FROM subjects WHERE kind='streamer'").fetchone()[0]
    assert share > 0.7
    # heavy-tailed volume: head streamers have far more cases than small ones
    per = dict(con.execute("""SELECT s.tier, count(*)::DOUBLE / count(DISTINCT s.subject_id) FROM cases k
        JOIN orders o USING (order_id) JOIN live_sessions l USING (session_id) JOIN subjects s ON s.subject_id = l.streamer_id
        GROUP BY 1""").fetchall())
    assert per["head"] > 10 * per["small"]


def test_products_real_labels_and_claims(con, calib_dir):
    import pandas as pd

    prods = con.execute("SELECT product_id, ingredients, tags, category, responsibility_list FROM products").df()
    assert (prods.ingredients.map(len) >= 3).all()
    assert prods.category.isin(["skincare", "makeup"]).all() and (prods.category == "skincare").mean() > 0.8
    assert prods.tags.map(lambda t: "sensitive_skin" in list(t)).mean() > 0.1
    # exaggerated "含X%玻尿酸" / "含X%烟酰胺" claims really exceed what the label position allows (≤ 100/k %)
    truth = pd.read_parquet(calib_dir / "_truth" / "claims_truth.parquet")
    claims = con.execute("SELECT claim_id, product_id, text FROM claims").df().merge(truth, on="claim_id")
    pct = claims[claims.reason == "percent_exceeds_label_position"].merge(prods, on="product_id")
    assert len(pct) > 0
    for _, r in pct.head(300).iterrows():
        word = "hyaluron" if "玻尿酸" in r.text else "niacinamide"
        k = next(i for i, x in enumerate(r.ingredients, start=1) if word in x.lower())
        x = float(r.text.split("含")[1].split("%")[0])
        assert x > 100.0 / k
    alc = claims[claims.reason == "alcohol_listed"].merge(prods, on="product_id")
    assert len(alc) > 0 and alc.ingredients.map(lambda ing: any("alcohol" in x.lower() and "cetyl" not in x.lower()
                                                                 for x in ing)).all()


def test_recording_segments(con):
    r = con.execute("""SELECT count(*), count(DISTINCT session_id), min(segment_index),
        avg(end_offset_s - start_offset_s) FROM recording_segments""").fetchone()
    assert r[0] > 0 and r[2] == 0 and 55 <= r[3] <= 60
    # only notarized sessions have segments, and every notarized one has them
    assert con.execute("""SELECT count(*) FROM live_sessions l WHERE (evidence_ref IS NOT NULL) <>
        EXISTS (SELECT 1 FROM recording_segments g WHERE g.session_id = l.session_id)""").fetchone()[0] == 0
    share = con.execute("SELECT avg(CASE WHEN evidence_ref IS NOT NULL THEN 1 ELSE 0 END) FROM live_sessions").fetchone()[0]
    assert share < 0.4


def test_calendar_and_promotion_spikes(con):
    cal = {r[0]: r[1:] for r in con.execute("SELECT window_id, kind, name, start_date, end_date, context FROM calendar").fetchall()}
    import datetime as dt

    assert cal["2025-double11"][0] == "promotion" and cal["2025-double11"][2] == dt.date(2025, 10, 20)
    assert cal["2025-double11"][3] == dt.date(2025, 11, 11) and cal["2025-double11"][4] == "promotion"
    assert cal["2025-618"][3] == dt.date(2025, 6, 18)
    assert any(v[0] == "holiday" and v[1] == "春节" and v[2] == dt.date(2025, 1, 28) for v in cal.values())
    assert any(v[0] == "workday" and v[2] == dt.date(2025, 1, 26) for v in cal.values())
    # more cases per day inside promotion windows, and slower first replies there
    promo, other = con.execute("""WITH d AS (SELECT CAST(created_at AS DATE) d, count(*) n FROM cases GROUP BY 1),
        p AS (SELECT d.*, EXISTS (SELECT 1 FROM calendar c WHERE c.kind='promotion' AND d.d BETWEEN c.start_date AND c.end_date) pr FROM d)
        SELECT avg(n) FILTER (WHERE pr), avg(n) FILTER (WHERE NOT pr) FROM p""").fetchone()
    assert promo > 1.2 * other


def test_messages_varied_chinese(con):
    n, distinct = con.execute("SELECT count(*), count(DISTINCT text) FROM messages WHERE sender='consumer'").fetchone()
    assert distinct > 5000 and distinct / n > 0.1
    sample = [r[0] for r in con.execute("SELECT text FROM messages USING SAMPLE 200 ROWS").fetchall()]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in s) for s in sample)
    assert {r[0] for r in con.execute("SELECT DISTINCT sender FROM messages").fetchall()} == {"consumer", "agent", "ai"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_formats_load_cleanly(tmp_path, fmt):
    """Small CSV / JSONL samples pass the project's own loader with nothing quarantined."""
    d = tmp_path / fmt
    m = generate(d, cases=800, months=2, seed=3, fmt=fmt, progress=False)
    assert (d / f"cases.{fmt}").exists() and m["counts"]["cases"] == 800
    store = pytest.importorskip("lashi.store")
    ws = store.open_workspace(tmp_path / "ws")
    report = store.load_directory(ws, d)
    assert report.quarantined == 0, report.reasons()
    assert report.loaded == sum(m["counts"].values())
