"""Versioned schema migrations: v1 → head with data present loses nothing; applied files may not
change; migrations only add; the head schema covers every column of the data contract; push and
pull move the contract tables without loss."""
from __future__ import annotations

import pytest

from lashi.contract import TABLES
from lashi.pgstore import connect
from lashi.pgstore.migrate import (
    Migration, MigrationError, applied, check_additive, current, head, migrations, upgrade,
)
from lashi.pgstore.sync import pull, push
from lashi.store import open_workspace
from tests.pg.conftest import lashi

PG_TYPES = {"str": "character varying", "enum": "character varying", "int": "bigint", "float": "double precision",
            "bool": "boolean", "timestamp": "timestamp with time zone", "date": "date", "list": "ARRAY", "json": "json"}


def _fingerprint(con, table: str) -> tuple[int, str]:
    """(rows, md5 of all rows in a fixed order): equal before and after means no row changed."""
    return tuple(con.execute(f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                             f"FROM {table} t").fetchone())


def test_shipped_migrations_are_numbered_and_additive():
    ms = migrations()
    assert [m.version for m in ms] == list(range(1, len(ms) + 1)) and head() == len(ms) >= 3
    for m in ms:
        check_additive(m)
    with pytest.raises(MigrationError, match="lose data"):
        check_additive(Migration(9, "bad", "ALTER TABLE cases DROP COLUMN channel;"))
    with pytest.raises(MigrationError, match="lose data"):
        check_additive(Migration(9, "bad", "TRUNCATE case_events;"))
    check_additive(Migration(9, "ok", "-- a comment that says DROP TABLE is fine\nALTER TABLE cases ADD COLUMN x INT;"))


def test_v1_to_head_with_data_present_loses_nothing(pg, base_ws):
    from lashi.cases.service.store import CaseService
    from lashi.evidence import EvidenceLog, NewEntry

    url = pg.new_db()
    con = connect(url)
    try:
        assert [m.version for m in upgrade(con, 1)] == [1] and current(con) == 1
        push(open_workspace(base_ws), con)                  # the contract tables exist at v1
        con.execute("INSERT INTO api_keys VALUES ('KEY-old', 'h-old', 'admin', NULL, now(), false)")
        con.execute("INSERT INTO idempotency VALUES ('KEY-old', 'k', 'rh', 201, '{}', now())")
        tables = [t.name for t in TABLES] + ["api_keys", "case_secrets", "idempotency"]
        before = {t: _fingerprint(con, t) for t in tables}
        assert before["cases"][0] == 4000 and before["case_events"][0] > 40000
        with pytest.raises(MigrationError, match="schema version 1"):
            CaseService(None, store=url)                    # the service refuses an old schema
        assert [m.version for m in upgrade(con)] == list(range(2, head() + 1))
        assert current(con) == head()
        assert {t: _fingerprint(con, t) for t in tables} == before
        assert upgrade(con) == []                           # idempotent
    finally:
        con.close()
    svc = CaseService(None, store=url)                      # and the upgraded store works
    try:
        kid, key = svc.create_key("admin")
        pr = svc.principal_for_key(key)
        order = svc.q("SELECT order_id FROM orders ORDER BY order_id LIMIT 1")[0]["order_id"]
        case = svc.create_case(pr, "收到就漏液了，要求换货", order)["case_id"]
        assert svc.get_case(pr, case)["case_id"] == case
        assert svc.q("SELECT count(*) AS n FROM cases")[0]["n"] == 4001
    finally:
        svc.close()
    c2 = connect(url)
    try:
        log = EvidenceLog.open(c2)                          # v2's tables
        log.append([NewEntry("claim", {"session_id": "L-1"}, "0" * 64, "claim/x")])
        assert log.size == 1
    finally:
        c2.close()
        pg.drop(url)


def test_changed_applied_migration_is_refused(pg):
    url = pg.new_db()
    con = connect(url)
    try:
        upgrade(con)
        con.execute("UPDATE schema_migrations SET checksum = 'x' WHERE version = 1")
        with pytest.raises(MigrationError, match="was changed"):
            upgrade(con)
        assert set(applied(con)) == set(range(1, head() + 1))
    finally:
        con.close()
        pg.drop(url)


def test_head_schema_covers_the_data_contract(pg, pg_head):
    """Every contract table and column exists in PostgreSQL with the matching type and the
    table's key as primary key: a contract change without a new migration fails here."""
    url = pg.new_db(pg_head)
    con = connect(url)
    try:
        cols = {(t, c): d for t, c, d in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'"
        ).fetchall()}
        for t in TABLES:
            for c in t.columns:
                assert cols.get((t.name, c.name)) == PG_TYPES[c.type], (t.name, c.name)
            pk = [r[0] for r in con.execute(
                """SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
                   AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary""",
                [t.name]).fetchall()]
            assert sorted(pk) == sorted(t.key), t.name
    finally:
        con.close()
        pg.drop(url)


def test_push_twice_then_pull_gives_the_same_rows(pg, pg_head, base_ws, tmp_path):
    import duckdb

    url = pg.new_db(pg_head)
    out1 = lashi("store", "push", "-w", str(base_ws), "--store", url).stdout
    out2 = lashi("store", "push", "-w", str(base_ws), "--store", url).stdout
    assert "cases\tread 4000\tnew 4000" in out1 and "cases\tread 4000\tnew 0" in out2
    ws = open_workspace(tmp_path / "copy")
    con = connect(url)
    try:
        pulled = {c.table: c.rows for c in pull(con, ws)}
    finally:
        con.close()
    a = duckdb.connect(str(base_ws / "lashi.duckdb"), read_only=True)
    b = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        for t in TABLES:
            cols = ", ".join(f'"{c}"' for c in t.column_names)
            q = f"SELECT count(*), sum(hash({cols})) FROM (SELECT {cols} FROM {t.name})"
            assert a.execute(q).fetchone() == b.execute(q).fetchone(), t.name
            assert pulled[t.name] == a.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]
    finally:
        a.close()
        b.close()
    st = lashi("store", "status", "--store", url).stdout
    assert "0003_service_indexes\tapplied" in st and "cases\t4000" in st
    pg.drop(url)


def test_servers_starting_at_once_migrate_once(pg):
    """Three processes' worth of connections upgrade a fresh database at the same moment: the
    advisory lock lets one apply every file, the others find nothing left to do."""
    from concurrent.futures import ThreadPoolExecutor

    url = pg.new_db()
    cons = [connect(url) for _ in range(3)]
    try:
        with ThreadPoolExecutor(3) as ex:
            done = list(ex.map(lambda c: [m.version for m in upgrade(c)], cons))
        assert sorted(done, key=len) == [[], [], list(range(1, head() + 1))]
        assert cons[0].execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == head()
    finally:
        for c in cons:
            c.close()
        pg.drop(url)
