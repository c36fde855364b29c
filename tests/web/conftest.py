"""Fixtures for the web faces: a small generated workspace whose data reaches up to today (so a
new case can be opened on a recent order), a real `lashi serve` on loopback, and Debian's
Chromium driven by Playwright."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lashi.sample import generate
from lashi.store import load_directory, open_workspace
from tests.service.conftest import ROOT, Server, create_key, lashi

CHROMIUM = os.environ.get("LASHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("LASHI_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"


def _start_month(today: date) -> str:
    y, m = today.year, today.month - 2
    if m < 1:
        y, m = y - 1, m + 12
    return f"{y}-{m:02d}"


@pytest.fixture(scope="session")
def web_ws(tmp_path_factory) -> Path:
    """3 000 cases over the three months ending with the current one (seed 5), loaded, with the
    evidence log synced (claims notarized)."""
    d = tmp_path_factory.mktemp("web_sample")
    generate(d / "files", cases=3000, months=3, seed=5, start=_start_month(date.today()), fmt="parquet",
             progress=False)
    ws = open_workspace(d / "ws")
    rep = load_directory(ws, d / "files")
    assert all(f.error is None for f in rep.files)
    lashi("evidence", "init", "-w", str(ws.path))
    lashi("evidence", "sync", "-w", str(ws.path))
    return ws.path


@pytest.fixture(scope="session")
def facts(web_ws) -> dict:
    """Figures read straight from the store, to check the pages against."""
    con = duckdb.connect(str(web_ws / "lashi.duckdb"), read_only=True)
    try:
        streamers = con.execute("SELECT subject_id, platform_id FROM subjects WHERE kind = 'streamer'").fetchall()
        recent = con.execute("""SELECT o.order_id FROM orders o
            JOIN claims c ON c.session_id = o.session_id AND c.product_id = o.product_id
            WHERE o.ordered_at BETWEEN now() - INTERVAL 6 DAY AND now() - INTERVAL 1 HOUR
            ORDER BY o.order_id LIMIT 1""").fetchone()
        any_recent = con.execute("""SELECT order_id FROM orders
            WHERE ordered_at BETWEEN now() - INTERVAL 20 DAY AND now() - INTERVAL 1 HOUR
            ORDER BY order_id LIMIT 1""").fetchone()
    finally:
        con.close()
    order = (recent or any_recent)[0]
    return {"streamers": dict(streamers), "order": order, "order_has_claim": recent is not None}


@pytest.fixture(scope="session")
def keys(web_ws) -> dict:
    return {"admin": create_key(web_ws, "admin"), "evaluator": create_key(web_ws, "evaluator"),
            "brand": create_key(web_ws, "brand", "S-B0001")}


@pytest.fixture(scope="session")
def server(web_ws, keys, facts):
    s = Server(web_ws)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shot(request):
    """page → screenshot written to test-artifacts/web/<test>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        p = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(p), full_page=True)
        return p
    return take
