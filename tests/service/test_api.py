"""The HTTP API against a real `lashi serve` (uvicorn, one worker) on a free port: role × resource
boundaries, consumer secrets, validation, idempotent retries, the feedback loop, bounded fuzzing
(no 5xx), and indicators that see the cases created through the API."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.service.conftest import Server, create_key, world

FUZZ = int(os.environ.get("LASHI_FUZZ_EXAMPLES", "60"))   # raise for a longer hunt
TEXT = "直播间说含95%玻尿酸，到手成分表第五位，用了两天脸上刺痛泛红，客服一直推给品牌"


@pytest.fixture(scope="module")
def env(base_ws, tmp_path_factory):
    import shutil

    ws = tmp_path_factory.mktemp("api") / "ws"
    shutil.copytree(base_ws, ws)
    w = world(ws)
    a = w["order_a"]
    keys = {
        "admin": create_key(ws, "admin"),
        "evaluator": create_key(ws, "evaluator"),
        "brand": create_key(ws, "brand", a["brand_id"]),
        "other_brand": create_key(ws, "brand", w["other_brand"]),
        "platform": create_key(ws, "platform", a["platform_id"]),
        "other_platform": create_key(ws, "platform", w["other_platform"]),
        "st_a": create_key(ws, "streamer", w["st_a"]),
        "st_b": create_key(ws, "streamer", w["st_b"]),
        "mcn": create_key(ws, "mcn", w["mcn"]),
    }
    srv = Server(ws)
    yield {"srv": srv, "c": srv.client, "keys": keys, "w": w}
    srv.stop()


def H(key: str, **extra) -> dict:
    return {"Authorization": f"Bearer {key}", **extra}


def _new_case(env, order, key="admin", text=TEXT, **extra):
    at = (order["ordered_at"] + timedelta(days=3)).isoformat()
    r = env["c"].post("/cases", json={"text": text, "order_id": order["order_id"], "created_at": at, **extra},
                      headers=H(env["keys"][key]))
    assert r.status_code == 201, r.text
    return r.json()


def test_create_case_runs_the_whole_service(env):
    w = env["w"]
    body = _new_case(env, w["order_a"], key="st_a")
    assert body["triage"]["primary"] in ("ingredient_mismatch", "allergy", "false_advertising")
    assert body["routing"]["party"] in ("brand", "streamer", "platform")
    if not w["order_a"]["has_list"]:
        assert body["routing"]["party"] == "platform" and not body["routing"]["via_list"]
    assert body["product_state"] == "used"
    assert body["eligibility"]["reason"]["zh"] and body["eligibility"]["reason"]["en"]
    assert body["eta"]["working_days"] >= 1 and "工作日" in body["eta"]["zh"]
    assert body["triage"]["emotion"] != "anger" or {"anger_detected", "senior_agent_assigned",
                                                    "care_package_sent"} <= set(body["events"])
    assert {"created", "routed", "ai_reply", "qc_checked"} <= set(body["events"])
    # the consumer follows it with the secret
    c = env["c"].get(f"/cases/{body['case_id']}", params={"secret": body["secret"]})
    assert c.status_code == 200
    v = c.json()
    assert v["queue"] == body["routing"]["party"] and "consumer_id" not in v
    assert [m["sender"] for m in v["messages"]] == ["consumer", "ai"]
    assert v["timeline"][0]["kind"] == "created"


def test_role_boundaries(env):
    w, k, c = env["w"], env["keys"], env["c"]
    case_a = _new_case(env, w["order_a"])["case_id"]          # streamer A's order
    case_b = _new_case(env, w["order_b"])["case_id"]          # streamer B, same MCN
    sees = {
        "admin": (200, 200), "evaluator": (200, 200), "mcn": (200, 200),
        "st_a": (200, 404), "st_b": (404, 200),
        "brand": (200, 200 if w["order_b"]["brand_id"] == w["order_a"]["brand_id"] else 404),
        "other_brand": (404, 200 if w["order_b"]["brand_id"] == w["other_brand"] else 404),
        "platform": (200, 200 if w["order_b"]["platform_id"] == w["order_a"]["platform_id"] else 404),
    }
    for role, (ea, eb) in sees.items():
        assert c.get(f"/cases/{case_a}", headers=H(k[role])).status_code == ea, role
        assert c.get(f"/cases/{case_b}", headers=H(k[role])).status_code == eb, role
    # a streamer cannot write to its MCN's other streamer's case either
    assert c.post(f"/cases/{case_b}/messages", json={"text": "您好"}, headers=H(k["st_a"])).status_code == 404
    # a brand cannot open a case on another brand's order: the order is not found
    r = c.post("/cases", json={"text": TEXT, "order_id": w["order_a"]["order_id"]}, headers=H(k["other_brand"]))
    assert r.status_code == 404 and r.json()["field"] == "order_id"
    # evaluator reads but never writes
    r = c.post(f"/cases/{case_a}/events", json={"kind": "resolved"}, headers=H(k["evaluator"]))
    assert r.status_code == 403
    # consumers: wrong secret, other case's secret, no credentials → 404; unknown key → 401
    sec_a = _new_case(env, w["order_a"])
    assert c.get(f"/cases/{sec_a['case_id']}", params={"secret": "wrong"}).status_code == 404
    assert c.get(f"/cases/{case_a}", params={"secret": sec_a["secret"]}).status_code == 404
    assert c.get(f"/cases/{case_a}").status_code == 404
    assert c.get("/follow-ups", headers=H("lk_nope")).status_code == 401
    # a consumer secret does not open staff lists
    assert c.get("/follow-ups", params={"secret": sec_a["secret"]}).status_code == 401


def test_admin_creates_keys_while_serving(env):
    c, k, w = env["c"], env["keys"], env["w"]
    r = c.post("/keys", json={"role": "streamer", "subject": w["st_b"]}, headers=H(k["admin"]))
    assert r.status_code == 201
    new = r.json()["key"]
    case_b = _new_case(env, w["order_b"])["case_id"]
    assert c.get(f"/cases/{case_b}", headers=H(new)).status_code == 200
    assert c.post("/keys", json={"role": "admin"}, headers=H(k["brand"])).status_code == 403
    r = c.post("/keys", json={"role": "brand", "subject": w["st_b"]}, headers=H(k["admin"]))
    assert r.status_code == 422 and r.json()["field"] == "subject"


def test_validation_names_the_field(env):
    c, k = env["c"], env["keys"]
    r = c.post("/cases", json={"text": TEXT, "order_id": "O-1", "colour": "red"}, headers=H(k["admin"]))
    assert r.status_code == 422 and r.json()["field"] == "colour"
    r = c.post("/cases", json={"order_id": "O-1"}, headers=H(k["admin"]))
    assert r.status_code == 422 and r.json()["field"] == "text"
    r = c.post("/cases", json={"text": TEXT, "order_id": "O-1", "product_state": "melted"}, headers=H(k["admin"]))
    assert r.status_code == 422 and r.json()["field"] == "product_state"
    r = c.post("/cases", content=b'{"text": "x", "order_id": ', headers=H(k["admin"], **{"Content-Type": "application/json"}))
    assert r.status_code == 422
    r = c.post("/cases", content=b"x" * 70_000, headers=H(k["admin"], **{"Content-Type": "application/json"}))
    assert r.status_code == 413
    r = c.post("/cases", json={"text": TEXT, "order_id": "O-DOES-NOT-EXIST"}, headers=H(k["admin"]))
    assert r.status_code == 404 and r.json()["field"] == "order_id"


def test_idempotent_retries(env):
    c, k, w = env["c"], env["keys"], env["w"]
    body = {"text": TEXT, "order_id": w["order_a"]["order_id"],
            "created_at": (w["order_a"]["ordered_at"] + timedelta(days=2)).isoformat()}
    hdr = H(k["admin"], **{"Idempotency-Key": "retry-1"})
    r1, r2 = c.post("/cases", json=body, headers=hdr), c.post("/cases", json=body, headers=hdr)
    assert r1.status_code == r2.status_code == 201 and r1.json()["case_id"] == r2.json()["case_id"]
    case = r1.json()["case_id"]
    n = len(c.get(f"/cases/{case}", headers=H(k["admin"])).json()["events"])
    # same key, different request → 409; the case is untouched
    assert c.post("/cases", json={**body, "text": "别的"}, headers=hdr).status_code == 409
    # an event retried three times is written once
    eh = H(k["admin"], **{"Idempotency-Key": "ev-1"})
    for _ in range(3):
        assert c.post(f"/cases/{case}/events", json={"kind": "human_reply", "actor": "brand"}, headers=eh).status_code == 201
    assert len(c.get(f"/cases/{case}", headers=H(k["admin"])).json()["events"]) == n + 1


def test_feedback_loop(env):
    c, k, w = env["c"], env["keys"], env["w"]
    b = _new_case(env, w["order_a"])
    cid, sec = b["case_id"], b["secret"]
    # no survey before closing
    assert c.post(f"/cases/{cid}/survey", params={"secret": sec}, json={"csat": 1}).status_code == 422
    r = c.post(f"/cases/{cid}/messages", json={"text": "您好，非常抱歉给您带来不便，我们马上为您退款。"}, headers=H(k["admin"]))
    assert r.status_code == 201 and r.json()["tone"] and "qc_checked" in r.json()["events"]
    assert c.post(f"/cases/{cid}/events", json={"kind": "refund_issued", "actor": "brand"},
                  headers=H(k["admin"])).json()["field"] == "amount"
    assert c.post(f"/cases/{cid}/events", json={"kind": "resolved", "actor": "brand"}, headers=H(k["admin"])).status_code == 201
    r = c.post(f"/cases/{cid}/events", json={"kind": "closed", "actor": "platform"}, headers=H(k["admin"]))
    assert r.json()["survey"] == f"/cases/{cid}/survey"
    r = c.post(f"/cases/{cid}/survey", params={"secret": sec}, json={"csat": 2, "nps": 8})
    assert r.status_code == 201 and r.json()["follow_up_created"] is True
    fu = c.get("/follow-ups", headers=H(k["admin"])).json()["follow_ups"]
    assert cid in {f["case_id"] for f in fu}
    assert cid in {f["case_id"] for f in c.get("/follow-ups", headers=H(k["st_a"])).json()["follow_ups"]}
    assert cid not in {f["case_id"] for f in c.get("/follow-ups", headers=H(k["st_b"])).json()["follow_ups"]}
    r = c.post(f"/cases/{cid}/follow-up", json={"satisfied": True, "note": "已补发"}, headers=H(k["admin"]))
    assert r.status_code == 201
    assert cid not in {f["case_id"] for f in c.get("/follow-ups", headers=H(k["admin"])).json()["follow_ups"]}
    kinds = [e["kind"] for e in c.get(f"/cases/{cid}", headers=H(k["admin"])).json()["events"]]
    assert kinds.count("follow_up_created") == 1 and kinds.count("follow_up_done") == 1
    # a happy consumer creates no follow-up
    b2 = _new_case(env, w["order_a"])
    c.post(f"/cases/{b2['case_id']}/events", json={"kind": "closed", "actor": "platform"}, headers=H(k["admin"]))
    r = c.post(f"/cases/{b2['case_id']}/survey", params={"secret": b2["secret"]}, json={"csat": 5, "nps": 9})
    assert r.json()["follow_up_created"] is False


json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
                           | st.text(max_size=30), lambda ch: st.lists(ch, max_size=3) | st.dictionaries(st.text(max_size=8), ch, max_size=3),
                           max_leaves=8)


def _fuzz_body(fields: dict):
    return st.fixed_dictionaries({}, optional={**{f: s | json_values for f, s in fields.items()},
                                               "extra": json_values})


CASE_FIELDS = {"text": st.text(max_size=60), "order_id": st.sampled_from(["O-0000000003", "x", "", "O-0000000060"]),
               "product_state": st.sampled_from(["used", "unopened", "bad"]), "created_at": st.sampled_from(
                   ["2025-02-10T10:00:00+08:00", "2025-02-10T10:00:00", "1900-01-01T00:00:00Z", "not a date"]),
               "evidence": st.booleans()}
EVENT_FIELDS = {"kind": st.sampled_from(["resolved", "closed", "refund_issued", "routed", "created", "bogus",
                                         "compensation_offered", "follow_up_done"]),
                "actor": st.sampled_from(["brand", "platform", "ai", "nobody"]), "amount": st.floats(-5, 2e6),
                "payer": st.sampled_from(["brand", "x"]), "party": st.sampled_from(["streamer", "x"])}


def test_fuzz_no_5xx(env):
    c, k, w = env["c"], env["keys"], env["w"]
    case = _new_case(env, w["order_a"])
    seen = []

    @settings(max_examples=FUZZ, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=_fuzz_body(CASE_FIELDS), key=st.sampled_from(["admin", "brand", "evaluator", "st_b"]))
    def cases(body, key):
        r = c.post("/cases", json=body, headers=H(k[key]))
        seen.append(r.status_code)
        assert r.status_code < 500, (body, r.text)

    @settings(max_examples=FUZZ, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=_fuzz_body(EVENT_FIELDS), key=st.sampled_from(["admin", "brand", "st_a", "mcn"]),
           path=st.sampled_from([case["case_id"], "K-nope", "../x"]))
    def events(body, key, path):
        r = c.post(f"/cases/{path}/events", json=body, headers=H(k[key]))
        seen.append(r.status_code)
        assert r.status_code < 500, (body, r.text)

    @settings(max_examples=FUZZ * 2 // 3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=_fuzz_body({"csat": st.integers(-3, 12), "nps": st.integers(-3, 12)}),
           secret=st.sampled_from([case["secret"], "x", ""]), raw=st.binary(max_size=40))
    def survey(body, secret, raw):
        r = c.post(f"/cases/{case['case_id']}/survey", params={"secret": secret}, json=body)
        assert r.status_code < 500, (body, r.text)
        r = c.post(f"/cases/{case['case_id']}/messages", params={"secret": secret}, content=raw,
                   headers={"Content-Type": "application/json"})
        assert r.status_code < 500, (raw, r.text)

    cases()
    events()
    survey()
    assert any(s == 201 for s in seen) and any(400 <= s < 500 for s in seen)


def test_burst_reaches_the_indicators(base_ws, tmp_path):
    """A burst of cases created through the API in a month the sample has no cases in (2025-05) is
    exactly what that month's indicators see: T3 quality-check coverage 1.0 over the 12 cases, C5
    the share the service flagged as rule conflicts; the index over the API ranks the platform."""
    import shutil

    import duckdb

    from lashi.indicators.engine import IndicatorSpec, PeriodSpec
    from lashi.indicators.periods import parse_period
    from lashi.store import open_workspace
    from lashi.indicators.run import compute

    ws = tmp_path / "ws"
    shutil.copytree(base_ws, ws)
    con = duckdb.connect(str(ws / "lashi.duckdb"), read_only=True)
    order, platform = con.execute("""SELECT o.order_id, s.platform_id FROM orders o JOIN live_sessions s USING (session_id)
        WHERE o.ordered_at >= TIMESTAMPTZ '2025-03-25 00:00:00+08' ORDER BY o.order_id LIMIT 1""").fetchone()
    con.close()
    key = create_key(ws, "admin")
    srv = Server(ws)
    conflicts = 0
    try:
        conflicts = burst_cases(srv, key, order)
        r = srv.client.get("/rankings", params={"period": "2025-05", "kind": "platform"}, headers=H(key))
        assert r.status_code == 200, r.text
        rows = {x["subject_id"]: x for x in r.json()["rows"]}
        assert rows[platform]["cases"] == 12
        r = srv.client.get(f"/subjects/{platform}/index", params={"period": "2025-05"}, headers=H(key))
        assert r.status_code == 200 and r.json()["subject_id"] == platform
    finally:
        srv.stop()
    assert conflicts >= 2          # counterfeit: platform 假一赔三 vs brand 假一赔十
    vals = compute(open_workspace(ws), [IndicatorSpec("T3", "qc_coverage"), IndicatorSpec("C5", "rule_conflict_rate")],
                   PeriodSpec.of(parse_period("2025-05")))
    row = vals[(vals["subject_id"] == platform) & (vals["slice"] == "all")].set_index("indicator_id")
    assert row.loc["T3", "n"] == 12 and row.loc["T3", "value"] == pytest.approx(1.0)
    assert row.loc["C5", "value"] == pytest.approx(conflicts / 12)


BURST_TEXTS = ["用了两天脸上刺痛泛红，过敏了", "收到的是假货，防伪码查不到", "未拆封，不想要了",
               "快递压坏了，漏液", "主播说送的小样没收到", "直播间说含95%玻尿酸，成分表第五位"]


def burst_cases(srv, key: str, order: str, n: int = 12) -> int:
    """POST n complaints (used product, 2025-05-06..10) for one order; return how many had a rule conflict."""
    conflicts = 0
    for i in range(n):
        r = srv.client.post("/cases", json={"text": BURST_TEXTS[i % len(BURST_TEXTS)], "order_id": order,
                                            "product_state": "used",
                                            "created_at": f"2025-05-{6 + i % 5:02d}T10:00:00+08:00"},
                            headers=H(key, **{"Idempotency-Key": f"burst-{i}"}))
        assert r.status_code == 201, r.text
        conflicts += r.json()["eligibility"]["conflict"]
    return conflicts
