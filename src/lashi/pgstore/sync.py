"""Moving the data-contract tables between the workspace DuckDB store and PostgreSQL.

- `push`: workspace → PostgreSQL (seed the server store with subjects, products, sessions,
  orders, ... loaded and checked by `lashi load`). Rows whose key is already there are kept as
  they are (INSERT ... ON CONFLICT DO NOTHING), so pushing twice changes nothing.
- `pull`: PostgreSQL → workspace (for the evaluation, which reads DuckDB): the workspace's
  contract tables become a copy of PostgreSQL's, in one DuckDB transaction, read from one
  REPEATABLE READ snapshot of PostgreSQL.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from lashi.contract import TABLES, Table
from lashi.store import Workspace

from .db import PgConnection

BATCH = 20_000


@dataclass
class TableCount:
    table: str
    rows: int          # rows read from the source
    written: int       # rows new in the target


def _cols(t: Table) -> str:
    return ", ".join(f'"{c}"' for c in t.column_names)


def push(ws: Workspace, pg: PgConnection, tables: list[str] | None = None) -> list[TableCount]:
    duck = ws.connect(read_only=True)
    out = []
    try:
        pg.execute("BEGIN")
        try:
            for t in TABLES:
                if tables and t.name not in tables:
                    continue
                tmp = f"_push_{t.name}"
                pg.execute(f"CREATE TEMP TABLE {tmp} (LIKE {t.name} INCLUDING DEFAULTS) ON COMMIT DROP")
                n = 0
                reader = duck.sql(f"SELECT {_cols(t)} FROM {t.name}").to_arrow_reader(BATCH)
                with pg.raw.cursor().copy(f"COPY {tmp} ({_cols(t)}) FROM STDIN") as cp:
                    for batch in reader:
                        for row in zip(*(col.to_pylist() for col in batch.columns)):
                            cp.write_row(row)
                            n += 1
                cur = pg.raw.cursor()
                cur.execute(f"INSERT INTO {t.name} ({_cols(t)}) SELECT {_cols(t)} FROM {tmp} ON CONFLICT DO NOTHING")
                out.append(TableCount(t.name, n, cur.rowcount))
            pg.execute("COMMIT")
        except BaseException:
            pg.execute("ROLLBACK")
            raise
    finally:
        duck.close()
    return out


def _arrow_type(c) -> pa.DataType:
    return {"str": pa.string(), "enum": pa.string(), "int": pa.int64(), "float": pa.float64(),
            "bool": pa.bool_(), "timestamp": pa.timestamp("us", tz="UTC"), "date": pa.date32(),
            "list": pa.list_(pa.string()), "json": pa.string()}[c.type]


def pull(pg: PgConnection, ws: Workspace) -> list[TableCount]:
    """Replace the workspace's contract tables with PostgreSQL's."""
    duck = ws.connect()
    out = []
    pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    duck.execute("BEGIN TRANSACTION")
    try:
        for t in TABLES:
            exprs = ", ".join(f'"{c.name}"::text' if c.type == "json" else f'"{c.name}"' for c in t.columns)
            cur = pg.raw.cursor(name=f"pull_{t.name}")          # server-side cursor: bounded memory
            cur.itersize = BATCH
            cur.execute(f"SELECT {exprs} FROM {t.name}")
            duck.execute(f"DELETE FROM {t.name}")
            schema = pa.schema([(c.name, _arrow_type(c)) for c in t.columns])
            n = 0
            while True:
                rows = cur.fetchmany(BATCH)
                if not rows:
                    break
                cols = list(zip(*rows))
                data = pa.table([pa.array(list(v), type=f.type) for v, f in zip(cols, schema)], schema=schema)
                duck.register("_pull", data)
                try:
                    duck.execute(f"INSERT INTO {t.name} ({_cols(t)}) SELECT {_cols(t)} FROM _pull")
                finally:
                    duck.unregister("_pull")
                n += len(rows)
            cur.close()
            out.append(TableCount(t.name, n, n))
        duck.execute("COMMIT")
        pg.execute("COMMIT")
    except BaseException:
        duck.execute("ROLLBACK")
        pg.execute("ROLLBACK")
        raise
    finally:
        duck.close()
    return out
