"""A throw-away PostgreSQL cluster on loopback for tests and benchmarks: `initdb` in a temporary
folder, `pg_ctl start` on a free port of 127.0.0.1 (Unix socket in the same folder), torn down
with `stop()`. Uses Debian's server binaries (/usr/lib/postgresql/*/bin) or those on PATH.

PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user (Debian's
package creates it) or `nobody`, and the commands run through `runuser -u USER --`."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_bindir() -> Path | None:
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                   if Path(p).parent.name.isdigit() else 0, reverse=True)
    for d in cands:
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(os.path.realpath(initdb)).parent
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempCluster:
    """`with TempCluster() as pg: pg.url` — a superuser `lashi`, trust auth on loopback only."""

    def __init__(self, *, durable: bool = False, bindir: Path | None = None, user: str = "lashi"):
        self.bindir = bindir or find_bindir()
        if self.bindir is None:
            raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl) found; install Debian's "
                                    "`postgresql` package / 未找到PostgreSQL服务器程序")
        self.durable = durable
        self.user = user
        self.port = free_port()
        self.run_as = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                    self.run_as = name
                    break
                except KeyError:
                    continue
        self.dir = Path(tempfile.mkdtemp(prefix="lashi-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.started = False

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir, timeout=180)
        if check and res.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed: {res.stdout}{res.stderr}{log}")
        return res

    def url_for(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def start(self) -> "TempCluster":
        if self.run_as:
            pw = pwd.getpwnam(self.run_as)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-instructions" if self._has_no_instructions() else "-q")
        opts = [f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.dir}",
                "-c max_connections=200", "-c shared_buffers=128MB"]
        if not self.durable:     # a test cluster: losing it on a crash is fine
            opts += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", " ".join(opts), "start")
        self.started = True
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("PostgreSQL did not listen on its port")

    def _has_no_instructions(self) -> bool:
        res = subprocess.run([str(self.bindir / "initdb"), "--help"], capture_output=True, text=True)
        return "--no-instructions" in res.stdout

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def restart(self) -> None:
        """Restart the server (open connections are dropped), same port and data."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-t", "60",
                  "restart")

    def stop(self) -> None:
        if self.started:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "TempCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
