"""Shared fixtures for the case-service tests: a small generated world loaded into a store, and a
real `lashi serve` (uvicorn) on a free port of 127.0.0.1."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from lashi.sample import generate
from lashi.store import load_directory, open_workspace

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def base_ws(tmp_path_factory) -> Path:
    """4 000 generated cases over three months (seed 3), loaded into a store."""
    d = tmp_path_factory.mktemp("svc_sample")
    generate(d / "files", cases=4000, months=3, seed=3, start="2025-01", fmt="parquet", progress=False)
    ws = open_workspace(d / "ws")
    rep = load_directory(ws, d / "files")
    assert all(f.error is None and f.quarantined_rows == 0 for f in rep.files)
    return ws.path


@pytest.fixture
def ws(base_ws, tmp_path) -> Path:
    """A private copy of the loaded store (tests write to it)."""
    dst = tmp_path / "ws"
    shutil.copytree(base_ws, dst)
    return dst


def lashi(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "lashi.cli", *args], capture_output=True, text=True, cwd=ROOT)
    if check:
        assert res.returncode == 0, res.stdout + res.stderr
    return res


def create_key(ws: Path, role: str, subject: str | None = None) -> str:
    args = ["keys", "create", "--role", role, "-w", str(ws)]
    if subject:
        args += ["--subject", subject]
    out = lashi(*args).stdout
    return next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("key: "))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`lashi serve` on a free port of 127.0.0.1 (extra arguments e.g. `--store URL --workers 2`)."""

    def __init__(self, ws: Path, *extra: str, start_timeout: float = 60):
        self.ws = ws
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "lashi.cli", "serve", "--port", str(self.port),
                                      "-w", str(ws), *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + start_timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.proc.stdout.read().decode(errors="replace"))
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("server did not start")
        self.client = httpx.Client(base_url=self.url, timeout=120)

    def stop(self) -> None:
        if hasattr(self, "client"):
            self.client.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def world(ws: Path) -> dict:
    """Ids from the store for the role × resource checks: an MCN with two streamers, each with an
    order; two brands; two platforms."""
    con = duckdb.connect(str(ws / "lashi.duckdb"), read_only=True)
    try:
        mcn, st_a, st_b = con.execute("""
            SELECT st.mcn_id, min(st.subject_id), max(st.subject_id) FROM subjects st
            JOIN live_sessions s ON s.streamer_id = st.subject_id JOIN orders o ON o.session_id = s.session_id
            WHERE st.mcn_id IS NOT NULL GROUP BY st.mcn_id HAVING count(DISTINCT st.subject_id) >= 2
            ORDER BY st.mcn_id LIMIT 1""").fetchone()

        def order_of(streamer: str) -> dict:
            r = con.execute("""SELECT o.order_id, o.ordered_at, p.brand_id, s.platform_id, p.responsibility_list
                FROM orders o JOIN live_sessions s USING (session_id) JOIN products p USING (product_id)
                WHERE s.streamer_id = ? ORDER BY o.order_id LIMIT 1""", [streamer]).fetchone()
            return dict(zip(("order_id", "ordered_at", "brand_id", "platform_id", "has_list"), r))

        a, b = order_of(st_a), order_of(st_b)
        other_brand = con.execute("SELECT subject_id FROM subjects WHERE kind='brand' AND subject_id <> ? "
                                  "ORDER BY subject_id LIMIT 1", [a["brand_id"]]).fetchone()[0]
        other_platform = con.execute("SELECT subject_id FROM subjects WHERE kind='platform' AND subject_id <> ? "
                                     "ORDER BY subject_id LIMIT 1", [a["platform_id"]]).fetchone()[0]
        return {"mcn": mcn, "st_a": st_a, "st_b": st_b, "order_a": a, "order_b": b,
                "other_brand": other_brand, "other_platform": other_platform}
    finally:
        con.close()
