"""A thin PostgreSQL connection with the DuckDB connection's calling convention, so the case
service keeps one code path: `con.execute(sql_with_?_placeholders, params)` returning a cursor
with `fetchone()`, `fetchall()`, `description` and `df()`.

Differences the adapter absorbs:
- placeholders: `?` (qmark, DuckDB) become `%s` (psycopg), literal `%` become `%%`, and `?` inside
  quoted strings or identifiers is left alone;
- the session time zone is Asia/Shanghai, as in the DuckDB workspace (spec §2);
- the connection is in autocommit mode: the service's `BEGIN TRANSACTION` / `COMMIT` /
  `ROLLBACK` statements open and close transactions explicitly, as on DuckDB.

- a dropped connection (server restart, failover) is reopened: a statement that starts a
  transaction (`BEGIN`) or a read outside one is retried once on a new connection; a statement
  inside a transaction fails (the transaction is lost with the connection) and the following
  `ROLLBACK` is a no-op.

What the adapter does not hide (the service asks `con.dialect`): row locks (`FOR UPDATE`, which
DuckDB does not parse) and advisory locks (`pg_advisory_xact_lock`)."""
from __future__ import annotations

from typing import Any

import pandas as pd

TIMEZONE = "Asia/Shanghai"


def is_postgres(store: str | None) -> bool:
    return bool(store) and str(store).startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def qmark_to_format(sql: str) -> str:
    out, i, n = [], 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:   # doubled quote inside the literal
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", "%%"))
            i = j + 1
            continue
        out.append("%s" if ch == "?" else "%%" if ch == "%" else ch)
        i += 1
    return "".join(out)


class Cursor:
    def __init__(self, cur):
        self._cur = cur

    @property
    def description(self):
        return self._cur.description

    def fetchone(self):
        return self._cur.fetchone()

    def fetchall(self):
        return self._cur.fetchall()

    def df(self) -> pd.DataFrame:
        cols = [d.name for d in self._cur.description] if self._cur.description else []
        return pd.DataFrame(self._cur.fetchall(), columns=cols)


class PgConnection:
    """One psycopg 3 connection (autocommit) speaking the DuckDB convention."""

    dialect = "postgresql"

    def __init__(self, url: str, *, application_name: str = "lashi"):
        self.url, self.application_name = url, application_name
        self.raw = self._open()

    def _open(self):
        import psycopg

        try:
            raw = psycopg.connect(self.url, autocommit=True, application_name=self.application_name,
                                  connect_timeout=10)
        except psycopg.OperationalError as e:
            raise ConnectionError(f"cannot connect to {redact(self.url)}: {str(e).strip()} / 无法连接PostgreSQL") from None
        raw.execute(f"SET TIME ZONE '{TIMEZONE}'")
        return raw

    def _lost(self) -> bool:
        return self.raw.closed or self.raw.broken

    def execute(self, sql: str, params: Any = None) -> Cursor:
        import psycopg

        head = sql.lstrip()[:8].upper()
        if self._lost():
            if head.startswith("ROLLBACK"):
                return Cursor(None)
            self.raw = self._open()
        retry = head.startswith(("BEGIN", "SELECT", "WITH")) and \
            self.raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        try:
            return self._execute(sql, params)
        except psycopg.OperationalError:
            if not (retry and self._lost()):
                raise
            self.raw = self._open()
            return self._execute(sql, params)

    def _execute(self, sql: str, params: Any) -> Cursor:
        cur = self.raw.cursor()
        if params is None or (not isinstance(params, dict) and len(params) == 0):
            cur.execute(sql)
        else:
            cur.execute(qmark_to_format(sql), list(params))
        return Cursor(cur)

    def close(self) -> None:
        self.raw.close()


def connect(url: str, **kw) -> PgConnection:
    return PgConnection(url, **kw)
