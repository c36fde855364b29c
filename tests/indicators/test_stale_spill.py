"""Spill folders of dead evaluations are removed; those of running processes are kept."""
import os
import subprocess
import sys

from lashi.indicators.scale import remove_stale_spill


def test_stale_spill_folders_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        for pid in (dead, str(alive.pid), str(os.getpid())):
            d = tmp_path / f"lashi-{pid}"
            d.mkdir()
            (d / "duckdb_temp_block.tmp").write_bytes(b"x" * 1024)
        (tmp_path / "lashi-notapid").mkdir()
        removed = remove_stale_spill(tmp_path)
        assert [p.name for p in removed] == [f"lashi-{dead}"]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [f"lashi-{alive.pid}", f"lashi-{os.getpid()}", "lashi-notapid"])
    finally:
        alive.kill()
        alive.wait()
    assert remove_stale_spill(tmp_path / "missing") == []
