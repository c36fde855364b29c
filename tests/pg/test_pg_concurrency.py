"""Concurrent writers on one PostgreSQL store: a `lashi serve --workers 3` and a second, separate
`lashi serve` process, both on the same database, hit by parallel requests. Nothing is lost and
an Idempotency-Key creates one case however many workers receive it at once."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest

from tests.pg.conftest import PgServer, create_keys
from tests.service.conftest import world

TEXT = "用了两天脸上刺痛泛红，要求退款"


@pytest.fixture(scope="module")
def two_servers(pg, pg_world, base_ws, tmp_path_factory):
    url = pg.new_db(pg_world)
    ws = tmp_path_factory.mktemp("pg_conc") / "ws"
    shutil.copytree(base_ws, ws)
    w = world(ws)
    keys = create_keys(url, {"admin": ("admin",)})
    a = PgServer(ws, url, workers=3)
    try:
        b = PgServer(ws, url, workers=1)
    except BaseException:
        a.stop()
        raise
    yield {"urls": [a.url, b.url], "key": keys["admin"], "w": w, "store": url}
    a.stop()
    b.stop()
    pg.drop(url)


def _fire(urls, requests, threads=16):
    """requests: (method, path, json, headers); each goes to urls[i % len(urls)], 16 at a time."""
    def one(i_req):
        i, (method, path, body, headers) = i_req
        with httpx.Client(base_url=urls[i % len(urls)], timeout=120) as c:
            return c.request(method, path, json=body, headers=headers)
    with ThreadPoolExecutor(threads) as ex:
        return list(ex.map(one, enumerate(requests)))


def _count(store, sql, params=()):
    from lashi.pgstore import connect

    con = connect(store)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def test_same_idempotency_key_on_all_workers_creates_one_case(two_servers):
    env = two_servers
    o = env["w"]["order_a"]
    at = (o["ordered_at"] + timedelta(days=2)).isoformat()
    before = _count(env["store"], "SELECT count(*) FROM cases")
    reqs = [("POST", "/cases", {"text": TEXT, "order_id": o["order_id"], "created_at": at},
             {"Authorization": f"Bearer {env['key']}", "Idempotency-Key": f"same-{i % 6}"}) for i in range(48)]
    res = _fire(env["urls"], reqs)
    assert [r.status_code for r in res] == [201] * 48, [r.text for r in res if r.status_code != 201][:3]
    by_key: dict[str, set] = {}
    for (_, _, _, h), r in zip(reqs, res):
        by_key.setdefault(h["Idempotency-Key"], set()).add(r.json()["case_id"])
    assert all(len(v) == 1 for v in by_key.values())           # every retry got the first answer
    assert len({next(iter(v)) for v in by_key.values()}) == 6   # six keys, six cases
    assert _count(env["store"], "SELECT count(*) FROM cases") == before + 6
    assert _count(env["store"], "SELECT count(*) FROM idempotency WHERE idem_key LIKE 'same-%'") == 6
    ids = [next(iter(v)) for v in by_key.values()]
    assert _count(env["store"], "SELECT count(*) FROM messages WHERE case_id = ANY(?)", [ids]) == 12


def test_parallel_writes_to_one_case_lose_nothing(two_servers):
    env = two_servers
    o = env["w"]["order_b"]
    h = {"Authorization": f"Bearer {env['key']}"}
    with httpx.Client(base_url=env["urls"][0], timeout=120) as c:
        r = c.post("/cases", json={"text": TEXT, "order_id": o["order_id"],
                                   "created_at": (o["ordered_at"] + timedelta(days=1)).isoformat()}, headers=h)
        assert r.status_code == 201, r.text
        case = r.json()["case_id"]
    store = env["store"]
    ev0 = _count(store, "SELECT count(*) FROM case_events WHERE case_id = ?", [case])
    # 40 agent messages (each: message + human_reply + qc_checked), 20 detail notes, 20 resolved/reopened
    reqs = [("POST", f"/cases/{case}/messages", {"text": f"您好，第{i}次跟进，我们马上为您处理"}, h) for i in range(40)]
    reqs += [("POST", f"/cases/{case}/events", {"kind": "evidence_requested", "detail": f"note {i}"}, h)
             for i in range(20)]
    reqs += [("POST", f"/cases/{case}/events", {"kind": "resolved" if i % 2 else "reopened"}, h) for i in range(20)]
    res = _fire(env["urls"], reqs)
    assert [r.status_code for r in res] == [201] * len(reqs), [r.text for r in res if r.status_code != 201][:3]
    assert _count(store, "SELECT count(*) FROM messages WHERE case_id = ? AND sender = 'agent'", [case]) == 40
    assert _count(store, "SELECT count(*) FROM case_events WHERE case_id = ?", [case]) == ev0 + 40 * 2 + 20 + 20
    assert len({r.json().get("event_id") or r.json().get("message_id") for r in res}) == len(reqs)
    # the case's outcome is the one the last committed resolved/reopened left
    with httpx.Client(base_url=env["urls"][1], timeout=60) as c:
        v = c.get(f"/cases/{case}", headers=h).json()
    assert len(v["messages"]) == 2 + 40
    assert v["outcome"] in ("open", "resolved")


def test_service_and_servers_survive_a_postgres_restart(pg, two_servers):
    """The server restarts under a running service: the next transaction reconnects (a statement
    that begins a transaction, or a read, is retried once on a new connection)."""
    from lashi.cases.service.store import CaseService

    env = two_servers
    svc = CaseService(None, store=env["store"])
    try:
        _, key = svc.create_key("admin")
        pr = svc.principal_for_key(key)
        pg.tc.restart()
        case = svc.create_case(pr, TEXT, env["w"]["order_a"]["order_id"])["case_id"]   # BEGIN reconnects
        assert svc.get_case(pr, case)["case_id"] == case
    finally:
        svc.close()
    h = {"Authorization": f"Bearer {env['key']}"}
    for u in env["urls"] * 3:                                                        # every worker's connection
        with httpx.Client(base_url=u, timeout=60) as c:
            assert c.get(f"/cases/{case}", headers=h).status_code == 200
