"""The case-service API suite (tests/service/test_api.py) run again on PostgreSQL: the same test
functions, with `env` serving from a PostgreSQL store through two uvicorn workers. Plus the
burst-to-indicators test through `lashi store pull`, and the ETA history read from PostgreSQL
equal to the one read from DuckDB."""
from __future__ import annotations

import shutil

import pytest

from tests.pg.conftest import PgServer, create_key, create_keys, lashi
from tests.service.conftest import world
from tests.service.test_api import (  # noqa: F401  (collected here, run against PostgreSQL)
    H, burst_cases, test_admin_creates_keys_while_serving, test_create_case_runs_the_whole_service, test_feedback_loop,
    test_fuzz_no_5xx, test_idempotent_retries, test_role_boundaries, test_validation_names_the_field,
)


@pytest.fixture(scope="module")
def env(pg, pg_world, base_ws, tmp_path_factory):
    url = pg.new_db(pg_world)
    ws = tmp_path_factory.mktemp("pg_api") / "ws"
    shutil.copytree(base_ws, ws)           # the same world, for world()'s id look-ups only
    w = world(ws)
    a = w["order_a"]
    keys = create_keys(url, {
        "admin": ("admin",), "evaluator": ("evaluator",),
        "brand": ("brand", a["brand_id"]), "other_brand": ("brand", w["other_brand"]),
        "platform": ("platform", a["platform_id"]), "other_platform": ("platform", w["other_platform"]),
        "st_a": ("streamer", w["st_a"]), "st_b": ("streamer", w["st_b"]), "mcn": ("mcn", w["mcn"]),
    })
    srv = PgServer(ws, url, workers=2)
    yield {"srv": srv, "c": srv.client, "keys": keys, "w": w, "store": url}
    srv.stop()
    pg.drop(url)


def test_burst_reaches_the_indicators_after_pull(pg, pg_world, base_ws, tmp_path):
    """As tests/service's burst test, on PostgreSQL: 12 cases created through the API in 2025-05
    (no sample cases that month) are what that month's indicators see after `lashi store pull`
    (T3 coverage 1.0 over 12 cases, C5 the share flagged as rule conflicts), and the API's
    ranking (evaluated on a private snapshot of PostgreSQL) counts them."""
    import duckdb

    from lashi.indicators.engine import IndicatorSpec, PeriodSpec
    from lashi.indicators.periods import parse_period
    from lashi.indicators.run import compute
    from lashi.store import open_workspace

    url = pg.new_db(pg_world)
    con = duckdb.connect(str(base_ws / "lashi.duckdb"), read_only=True)
    order, platform = con.execute("""SELECT o.order_id, s.platform_id FROM orders o JOIN live_sessions s USING (session_id)
        WHERE o.ordered_at >= TIMESTAMPTZ '2025-03-25 00:00:00+08' ORDER BY o.order_id LIMIT 1""").fetchone()
    con.close()
    ws = tmp_path / "ws"                   # an empty workspace: everything comes from PostgreSQL
    key = create_key(ws, url, "admin")
    srv = PgServer(ws, url, workers=2)
    conflicts = 0
    try:
        conflicts = burst_cases(srv, key, order)
        r = srv.client.get("/rankings", params={"period": "2025-05", "kind": "platform"}, headers=H(key))
        assert r.status_code == 200, r.text
        assert {x["subject_id"]: x for x in r.json()["rows"]}[platform]["cases"] == 12
    finally:
        srv.stop()
    out = lashi("store", "pull", "-w", str(ws), "--store", url).stdout
    assert "cases\t4012" in out
    vals = compute(open_workspace(ws), [IndicatorSpec("T3", "qc_coverage"), IndicatorSpec("C5", "rule_conflict_rate")],
                   PeriodSpec.of(parse_period("2025-05")))
    row = vals[(vals["subject_id"] == platform) & (vals["slice"] == "all")].set_index("indicator_id")
    assert row.loc["T3", "n"] == 12 and row.loc["T3", "value"] == pytest.approx(1.0)
    assert row.loc["C5", "value"] == pytest.approx(conflicts / 12)
    assert conflicts >= 2
    pg.drop(url)


def test_eta_history_is_the_same_on_both_stores(pg, pg_world, base_ws):
    """The ETA model's history query (portable SQL) returns the same rows from PostgreSQL as
    from the DuckDB workspace the data was pushed from."""
    import duckdb

    from lashi.cases.service import eta
    from lashi.pgstore import connect

    url = pg.new_db(pg_world)
    d = duckdb.connect(str(base_ws / "lashi.duckdb"), read_only=True)
    p = connect(url)
    try:
        a = eta.history(d).sort_values("case_id").reset_index(drop=True)
        b = eta.history(p).sort_values("case_id").reset_index(drop=True)
    finally:
        d.close()
        p.close()
        pg.drop(url)
    assert len(a) > 2000 and len(a) == len(b)
    assert (a["case_id"] == b["case_id"]).all() and (a["party"] == b["party"]).all()
    assert (a["subject_id"] == b["subject_id"]).all() and (a["days"].to_numpy() == b["days"].to_numpy()).all()
