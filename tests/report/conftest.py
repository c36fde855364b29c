"""One small generated workspace (2,500 cases, 6 months from 2025-07) and one `lashi report` run
over it in both languages, shared by the report tests."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from lashi.cli import main

from tests.governance.small_ws import build

PERIOD = "2025-12"


@pytest.fixture(scope="package")
def report_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    ws = build(root, cases=2500, months=6, seed=5)
    out = root / "out"
    res = CliRunner().invoke(main, ["report", "-p", PERIOD, "-w", str(ws.path), "--lang", "zh,en",
                                    "--format", "html,xlsx", "--runs", "3", "--bootstrap", "40", "--out", str(out)],
                             terminal_width=200)
    assert res.exit_code == 0, res.output
    return ws, out, res.output
