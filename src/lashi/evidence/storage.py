"""Durable storage of the evidence log behind a small interface over a DB-API connection.

Three tables, all prefixed ``evidence_``, written with portable SQL (CREATE TABLE, INSERT,
SELECT, DELETE; ``?`` placeholders rewritten for ``%s`` drivers):

- ``evidence_entries``: one row per leaf (index, ref, kind, session/product ids for queries,
  content hash, the canonical envelope, the leaf hash in hex);
- ``evidence_nodes``: every perfect interior node (level >= 1) of the tree, keyed by
  ``level * 2**56 + index`` (one contiguous key range per level): proofs read O(log n) of them
  and never rebuild the tree;
- ``evidence_meta``: name/value pairs: log id, tree size, root hash, last leaf hash.

One append batch is one transaction, so a crash leaves either all of it or none; the log also
checks on open that the three tables agree (see :mod:`lashi.evidence.log`).

The only engine-specific code is isolated in two subclasses. :class:`DuckDBStorage`: bulk
inserts go through an Arrow table (DuckDB's ``executemany`` manages a few thousand rows a
second, far below the 10,000 entries/s the log must sustain) and transactions use ``BEGIN``.
:class:`PostgresStorage` (issue 9, several writing processes): COPY for bulk inserts, and every
append transaction first takes an advisory transaction lock, so appends from any number of
processes are serialised and each re-reads the tree head under the lock before adding to it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS evidence_meta (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS evidence_entries (
    seq            BIGINT PRIMARY KEY,
    ref            VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    session_id     VARCHAR,
    product_id     VARCHAR,
    content_sha256 VARCHAR NOT NULL,
    envelope       VARCHAR NOT NULL,
    leaf_hash      VARCHAR NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS evidence_nodes (
    node_key BIGINT PRIMARY KEY,
    hash     VARCHAR NOT NULL
)""",
)

ENTRY_COLUMNS = ("seq", "ref", "kind", "session_id", "product_id", "content_sha256", "envelope", "leaf_hash")
NODE_COLUMNS = ("node_key", "hash")
_IN_CHUNK = 500


def node_key(level: int, index: int) -> int:
    return (level << 56) | index


class SQLStorage:
    """Portable storage over any DB-API 2.0 connection (qmark or format paramstyle)."""

    def __init__(self, con: Any, paramstyle: str = "qmark") -> None:
        if paramstyle not in ("qmark", "format"):
            raise ValueError("paramstyle must be 'qmark' or 'format'")
        self.con = con
        self.paramstyle = paramstyle
        self._cur = None

    # -- plumbing ------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql if self.paramstyle == "qmark" else sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self._cur is None:
            self._cur = self.con.cursor()
        self._cur.execute(self._sql(sql), tuple(params))
        return self._cur

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        else:
            self.con.commit()

    def _bulk_insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        marks = ", ".join("?" for _ in columns)
        if self._cur is None:
            self._cur = self.con.cursor()
        self._cur.executemany(self._sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"), rows)

    def lock_appends(self) -> bool:
        """Inside a transaction: serialise against other writers. True when other processes
        may have appended since this one last read the head (the caller then re-reads it)."""
        return False

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that must see one state of the store while others may write (PostgreSQL)."""
        yield

    def has_table(self, name: str) -> bool:
        if type(self.con).__module__.startswith("sqlite3"):
            rows = self.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        else:
            rows = self.query("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", (name,))
        return bool(rows[0][0])

    # -- schema and meta -----------------------------------------------------------------------
    def ensure_schema(self) -> None:
        with self.transaction():
            for ddl in SCHEMA:
                self.execute(ddl)

    def get_meta(self) -> dict[str, str]:
        return dict(self.query("SELECT name, value FROM evidence_meta"))

    def set_meta(self, values: dict[str, str]) -> None:
        """Inside a transaction: replace the given names (portable upsert: delete + insert)."""
        names = list(values)
        self.execute(f"DELETE FROM evidence_meta WHERE name IN ({', '.join('?' for _ in names)})", names)
        self._bulk_insert("evidence_meta", ("name", "value"), [(k, str(v)) for k, v in values.items()])

    # -- writes --------------------------------------------------------------------------------
    def insert_entries(self, rows: list[tuple]) -> None:
        self._bulk_insert("evidence_entries", ENTRY_COLUMNS, rows)

    def insert_nodes(self, rows: list[tuple[int, str]]) -> None:
        self._bulk_insert("evidence_nodes", NODE_COLUMNS, rows)

    # -- reads ---------------------------------------------------------------------------------
    def entry_stats(self) -> tuple[int, int | None, int | None]:
        """(row count, min seq, max seq) of evidence_entries."""
        n, lo, hi = self.query("SELECT COUNT(*), MIN(seq), MAX(seq) FROM evidence_entries")[0]
        return int(n), (None if lo is None else int(lo)), (None if hi is None else int(hi))

    def leaf_hashes(self, seqs: Iterable[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        seqs = list(set(seqs))
        for i in range(0, len(seqs), _IN_CHUNK):
            part = seqs[i:i + _IN_CHUNK]
            for seq, h in self.query(
                    f"SELECT seq, leaf_hash FROM evidence_entries WHERE seq IN ({', '.join('?' for _ in part)})", part):
                out[int(seq)] = bytes.fromhex(h)
        return out

    def nodes(self, keys: Iterable[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        keys = list(set(keys))
        for i in range(0, len(keys), _IN_CHUNK):
            part = keys[i:i + _IN_CHUNK]
            for k, h in self.query(
                    f"SELECT node_key, hash FROM evidence_nodes WHERE node_key IN ({', '.join('?' for _ in part)})", part):
                out[int(k)] = bytes.fromhex(h)
        return out

    def nodes_of_level(self, level: int, first: int, last: int) -> dict[int, bytes]:
        """index -> hash of the stored nodes of ``level`` with index in [first, last]."""
        rows = self.query("SELECT node_key, hash FROM evidence_nodes WHERE node_key >= ? AND node_key <= ?",
                          (node_key(level, first), node_key(level, last)))
        return {int(k) & ((1 << 56) - 1): bytes.fromhex(h) for k, h in rows}

    def entry_row(self, seq: int) -> tuple | None:
        rows = self.query(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM evidence_entries WHERE seq = ?", (seq,))
        return rows[0] if rows else None

    def entry_rows_by_ref(self, ref: str) -> list[tuple]:
        return self.query(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM evidence_entries WHERE ref = ? ORDER BY seq",
                          (ref,))

    def iter_entry_rows(self, start: int = 0, end: int | None = None, page: int = 20_000) -> Iterator[tuple]:
        """(seq, envelope, leaf_hash) in seq order, paged by seq ranges (portable, no open cursor).

        Rows with a seq outside [0, end) are not returned; gaps show as missing seqs.
        """
        if end is None:
            hi = self.entry_stats()[2]
            end = 0 if hi is None else hi + 1
        a = start
        while a < end:
            b = min(a + page, end)
            yield from self.query(
                "SELECT seq, envelope, leaf_hash FROM evidence_entries WHERE seq >= ? AND seq < ? ORDER BY seq",
                (a, b))
            a = b

    def refs(self, kinds: Sequence[str]) -> set[str]:
        return {r for (r,) in self.query(
            f"SELECT ref FROM evidence_entries WHERE kind IN ({', '.join('?' for _ in kinds)})", list(kinds))}


class DuckDBStorage(SQLStorage):
    """DuckDB: explicit transactions on the connection itself (DuckDB cursors are separate
    connections) and Arrow-based bulk inserts."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.con.execute(sql, list(params)) if params else self.con.execute(sql)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    def _bulk_insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if len(rows) < 8:
            marks = ", ".join("?" for _ in columns)
            for r in rows:
                self.con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(r))
            return
        import pyarrow as pa  # lazy: no import-time work

        cols = list(zip(*rows))
        data = pa.table({c: pa.array(list(v)) for c, v in zip(columns, cols)})
        name = f"_evidence_bulk_{table}"
        self.con.register(name, data)
        try:
            self.con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {name}")
        finally:
            self.con.unregister(name)


APPEND_LOCK = 0x1A5B1_0E71  # advisory lock key of the evidence log's appends


class PostgresStorage(SQLStorage):
    """PostgreSQL through psycopg 3. The connection is switched to autocommit, so that reads
    outside an append do not hold a transaction open; appends run in explicit transactions."""

    def __init__(self, con: Any) -> None:
        if not con.autocommit:
            con.commit()
            con.autocommit = True
        super().__init__(con, paramstyle="format")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.con.cursor()
        cur.execute(self._sql(sql), tuple(params)) if params else cur.execute(sql)
        return cur

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.con.transaction():
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self.con.transaction():
            self.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield

    def lock_appends(self) -> bool:
        self.execute("SELECT pg_advisory_xact_lock(?)", (APPEND_LOCK,))
        return True

    def has_table(self, name: str) -> bool:
        return bool(self.query("SELECT to_regclass(?) IS NOT NULL", (name,))[0][0])

    def _bulk_insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        with self.con.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)


def storage_for(con: Any) -> SQLStorage:
    """Pick the storage class for a connection: DuckDB natively, PostgreSQL (psycopg 3, or
    lashi.pgstore's connection) with COPY and advisory locks, sqlite3/others generically."""
    if getattr(con, "dialect", None) == "postgresql":      # lashi.pgstore.PgConnection
        return PostgresStorage(con.raw)
    mod = type(con).__module__ or ""
    if mod.startswith("duckdb") or mod.startswith("_duckdb"):
        return DuckDBStorage(con)
    if mod.startswith("psycopg"):
        return PostgresStorage(con)
    return SQLStorage(con)
