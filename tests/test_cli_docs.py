"""docs/cli.md is generated from the commands' --help; it must match the code."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_data_contract_doc_is_up_to_date():
    from lashi.contract.docs import render_markdown

    assert (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8") == render_markdown()
