"""A real PostgreSQL for the server-store tests: one throw-away cluster per session (Debian's
server binaries, `initdb` in a temporary folder, loopback, a free port), template databases
migrated to the newest schema (empty, and with the case-service test world pushed into it), and
a fresh database per test or module copied from a template. Skips — with the reason — only when
no PostgreSQL server binaries are installed (CI installs Debian's `postgresql`)."""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import pytest

from lashi.pgstore.tempcluster import TempCluster, find_bindir

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "evidence"))      # evidence_helpers, for the reused evidence tests

from tests.service.conftest import Server, base_ws, lashi  # noqa: E402,F401  (session fixture reused)

_n = itertools.count()


class Cluster:
    def __init__(self, tc: TempCluster):
        self.tc = tc
        self.templates: set[str] = set()

    def new_db(self, template: str | None = None) -> str:
        import psycopg

        name = f"t{next(_n)}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(self.tc.url, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.tc.url_for(name)

    def drop(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.tc.url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg():
    if find_bindir() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine: install Debian's "
                    "`postgresql` package to run the server-store suite / 未安装PostgreSQL服务器")
    tc = TempCluster().start()
    try:
        yield Cluster(tc)
    finally:
        tc.stop()


@pytest.fixture(scope="session")
def pg_head(pg) -> str:
    """Name of a template database migrated to the newest schema, empty."""
    from lashi.pgstore import connect
    from lashi.pgstore.migrate import upgrade

    url = pg.new_db()
    con = connect(url)
    upgrade(con)
    con.close()
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def pg_world(pg, pg_head, base_ws) -> str:
    """Name of a template database at the newest schema holding the case-service test world
    (the 4 000 generated cases of tests/service, pushed from the workspace)."""
    from lashi.pgstore import connect
    from lashi.pgstore.sync import push
    from lashi.store import open_workspace

    url = pg.new_db(pg_head)
    con = connect(url)
    push(open_workspace(base_ws), con)
    con.close()
    return url.rsplit("/", 1)[1]


class PgServer(Server):
    """`lashi serve --store URL --workers N` on a free port of 127.0.0.1."""

    def __init__(self, ws: Path, store: str, workers: int = 2):
        super().__init__(ws, "--store", store, "--workers", str(workers), start_timeout=90)


def create_keys(store: str, specs: dict[str, tuple]) -> dict[str, str]:
    """Keys made in this process (faster than one `lashi keys create` per key): name → key."""
    from lashi.cases.service.store import CaseService

    svc = CaseService(None, store=store)
    try:
        return {name: svc.create_key(*spec)[1] for name, spec in specs.items()}
    finally:
        svc.close()


def create_key(ws: Path, store: str, role: str, subject: str | None = None) -> str:
    """Through the command line: `lashi keys create --store URL`."""
    args = ["keys", "create", "--role", role, "-w", str(ws), "--store", store]
    if subject:
        args += ["--subject", subject]
    out = lashi(*args).stdout
    return next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("key: "))
