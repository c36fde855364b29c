"""The embedded default store: one DuckDB file per workspace directory.

The schema comes from the data contract; the store adds two bookkeeping tables:
`loads` (one row per file loaded) and `quarantine` (one row per broken field of a rejected row).
"""
from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path

import duckdb

from lashi.contract import TABLES, Table

DB_FILE = "lashi.duckdb"
# Times without an offset are read in this zone (spec §2: default +08:00).
DEFAULT_TZ = "Asia/Shanghai"
# DuckDB spills to WORKSPACE/.tmp beyond this (override with $LASHI_MEMORY_LIMIT, e.g. 8GB).
DEFAULT_MEMORY_LIMIT = "4GB"

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    load_id      VARCHAR NOT NULL,
    table_name   VARCHAR NOT NULL,
    file         VARCHAR NOT NULL,
    file_sha256  VARCHAR NOT NULL,
    row_number   BIGINT  NOT NULL,
    field        VARCHAR,
    value        VARCHAR,
    reason       VARCHAR NOT NULL,
    message      VARCHAR NOT NULL
)"""

LOADS_DDL = """
CREATE TABLE IF NOT EXISTS loads (
    load_id      VARCHAR NOT NULL,
    table_name   VARCHAR NOT NULL,
    file         VARCHAR NOT NULL,
    file_sha256  VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    rows_read    BIGINT NOT NULL,
    rows_loaded  BIGINT NOT NULL,
    rows_present BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL
)"""


def table_ddl(t: Table) -> str:
    cols = ",\n    ".join(f'"{c.name}" {c.sql_type}' for c in t.columns)
    return f"CREATE TABLE IF NOT EXISTS {t.name} (\n    {cols}\n)"


@dataclass(frozen=True)
class Workspace:
    """A directory holding one LASHI store."""

    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    def exists(self) -> bool:
        return self.db_path.exists()

    def connect(self, read_only: bool = False, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
        if read_only and not self.exists():
            raise FileNotFoundError(
                f"no LASHI store in {self.path} (expected {self.db_path}); run `lashi load DIR` first / "
                f"工作区中没有数据库，请先运行 lashi load"
            )
        self.path.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.db_path), read_only=read_only)
        con.execute(f"SET TimeZone = '{DEFAULT_TZ}'")
        limit = memory_limit or os.environ.get("LASHI_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
        con.execute(f"SET memory_limit = '{limit}'")
        if not read_only:
            con.execute(f"SET temp_directory = '{self.path / '.tmp'}'")
        if not read_only:
            ensure_schema(con)
        return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for t in TABLES:
        con.execute(table_ddl(t))
    con.execute(QUARANTINE_DDL)
    con.execute(LOADS_DDL)


def open_workspace(path: str | Path) -> Workspace:
    return Workspace(Path(path))
