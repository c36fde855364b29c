"""Versioned schema migrations for the PostgreSQL store.

Migrations are numbered SQL files in `lashi/pgstore/migrations/` (`0001_name.sql`, ...). The
table `schema_migrations` records each applied version with the file's SHA-256. An upgrade
applies every pending file in order in one transaction (PostgreSQL DDL is transactional: all
or nothing) under an advisory lock, so two processes starting at once apply each file once. Files already applied
must not change (checked); a shipped migration may only add (tables, columns, indexes, sequences,
backfills) — statements that drop or truncate data are refused unless the file says
`-- lashi: destructive-ok` (none of ours does), so an upgrade never loses data."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from .db import PgConnection

MIGRATION_LOCK = 0x1A5B1_0001          # advisory lock key held while migrating
DESTRUCTIVE = re.compile(r"\b(DROP\s+(TABLE|COLUMN|SCHEMA|INDEX|SEQUENCE)|TRUNCATE|DELETE\s+FROM|ALTER\s+COLUMN\s+\S+\s+TYPE)\b",
                         re.IGNORECASE)


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def check_additive(m: Migration) -> None:
    if "-- lashi: destructive-ok" in m.sql:
        return
    hit = DESTRUCTIVE.search(_strip_comments(m.sql))
    if hit:
        raise MigrationError(f"migration {m.version:04d}_{m.name} would lose data ({hit.group(0)!r}); "
                             f"migrations only add / 迁移只能新增，不得删除数据")


def migrations() -> list[Migration]:
    out = []
    for f in resources.files("lashi.pgstore").joinpath("migrations").iterdir():
        m = re.fullmatch(r"(\d{4})_(\w+)\.sql", f.name)
        if m:
            out.append(Migration(int(m.group(1)), m.group(2), f.read_text(encoding="utf-8")))
    out.sort(key=lambda m: m.version)
    if [m.version for m in out] != list(range(1, len(out) + 1)):
        raise MigrationError("migration numbers must run 0001, 0002, ... without gaps")
    return out


def head() -> int:
    return migrations()[-1].version


def applied(con: PgConnection) -> dict[int, str]:
    """version → checksum of the applied migrations (empty for a fresh database)."""
    if not con.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]:
        return {}
    return {v: c for v, c in con.execute("SELECT version, checksum FROM schema_migrations").fetchall()}


def current(con: PgConnection) -> int:
    return max(applied(con), default=0)


def upgrade(con: PgConnection, target: int | None = None) -> list[Migration]:
    """Apply the pending migrations up to `target` (default: head); return those applied."""
    ms = migrations()
    target = ms[-1].version if target is None else target
    if not 0 <= target <= ms[-1].version:
        raise MigrationError(f"no migration {target}: head is {ms[-1].version}")
    done: list[Migration] = []
    con.execute("BEGIN")
    try:
        con.execute("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK])
        con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,
                       name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())""")
        have = applied(con)
        for m in ms:
            if m.version in have:
                if have[m.version] != m.checksum:
                    raise MigrationError(f"applied migration {m.version:04d}_{m.name} was changed since; "
                                         f"add a new migration instead / 已应用的迁移文件被修改")
                continue
            if m.version > target:
                break
            if max(have, default=0) > m.version:
                raise MigrationError(f"migration {m.version} is older than the applied {max(have)}")
            check_additive(m)
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                        [m.version, m.name, m.checksum])
            done.append(m)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return done


def require_head(con: PgConnection) -> None:
    cur, h = current(con), head()
    if cur != h:
        raise MigrationError(f"the PostgreSQL store is at schema version {cur}, this LASHI needs {h}: run "
                             f"`lashi store migrate --store URL` / 数据库结构版本为 {cur}，需要 {h}：请运行 lashi store migrate")
