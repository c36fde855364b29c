"""`lashi evidence ...` end to end, through click's test runner."""
from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import duckdb
from click.testing import CliRunner

from lashi.cli import main

SRC = Path(__file__).resolve().parents[2] / "src" / "lashi" / "evidence"


def run(*args, ok=True):
    r = CliRunner().invoke(main, ["evidence", *map(str, args)], catch_exceptions=False)
    if ok:
        assert r.exit_code == 0, r.output
    return r


def test_evidence_package_imports_nothing_else_of_lashi():
    for f in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text())):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for m in mods:
                assert not m.startswith("lashi") or m.startswith("lashi.evidence"), f"{f.name} imports {m}"


def test_cli_flow(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ws = tmp_path / "ws"
    w = ["-w", ws]
    r = run("init", *w)
    assert "signed head" in r.output and (ws / "evidence" / "signing_key.pem").stat().st_mode & 0o777 == 0o600
    run("init", *w)  # keys are not replaced
    pem = run("pubkey", *w).output
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "operator.pem").write_text(pem.split("# key id")[0])

    rec = tmp_path / "rec.bin"
    rec.write_bytes(b"\x01" * 250_000)
    # 200 kbit/s = 25,000 bytes/s; 4 s segments = 100,000 bytes -> 3 segments (100k, 100k, 50k)
    r = run("add-recording", "L-000001", rec, "--segment", "4s", "--bitrate", "200k", *w)
    assert "3 segments of rec.bin, 3 newly logged (entries #0..#2)" in r.output
    r = run("add-recording", "L-000001", rec, "--segment", "4s", "--bitrate", "200k", *w)
    assert "all already logged" in r.output
    r = run("add-recording", "L-000002", rec, "--segment", "4s", *w, ok=False)
    assert r.exit_code != 0 and "no duration in the store" in r.output
    r = run("add-claim", "CL-000001", "--session", "L-000001", "--product", "P-0001",
            "--text", "含95%玻尿酸，敏感肌可用", "--offset", "1830", *w)
    assert "entry #3" in r.output
    rl = tmp_path / "rl.json"
    rl.write_text(json.dumps({"过敏": "凭医院证明全额退款"}, ensure_ascii=False))
    assert "entry #4" in run("add-responsibility-list", "P-0001", "1", rl, *w).output

    # claims loaded into the store become notarized with sync
    con = duckdb.connect(str(ws / "lashi.duckdb"))
    con.execute("CREATE TABLE claims (claim_id VARCHAR, session_id VARCHAR, product_id VARCHAR, text VARCHAR, "
                "offset_seconds BIGINT, evidence_ref VARCHAR)")
    con.execute("INSERT INTO claims VALUES ('CL-000002', 'L-000001', 'P-0002', '无添加', 60, NULL)")
    con.close()
    assert "1 new entries, log size 6" in run("sync", *w).output
    assert "0 new entries, log size 6" in run("sync", *w).output

    # without --bitrate/--duration the session's duration comes from live_sessions: 10 s in 4 s
    # segments -> 3 segments of 100,000 / 100,000 / 50,000 bytes (equal chunks mapped to time)
    con = duckdb.connect(str(ws / "lashi.duckdb"))
    con.execute("CREATE TABLE live_sessions (session_id VARCHAR, start_at TIMESTAMPTZ, end_at TIMESTAMPTZ)")
    con.execute("INSERT INTO live_sessions VALUES ('L-000003', '2025-11-10 20:00:00+08', '2025-11-10 20:00:10+08')")
    con.close()
    r = run("add-recording", "L-000003", rec, "--segment", "4s", *w)
    assert "duration of L-000003 from the store: 10 s" in r.output and "3 newly logged (entries #6..#8)" in r.output
    con = duckdb.connect(str(ws / "lashi.duckdb"))
    md = json.loads(con.execute("SELECT envelope FROM evidence_entries WHERE seq = 8").fetchone()[0])["metadata"]
    con.close()
    assert (md["byte_start"], md["byte_end"], md["start_offset_s"], md["end_offset_s"]) == (200000, 250000, 8.0, 10.0)

    r = run("prove", "claim/CL-000001", "-o", tmp_path / "b.json", *w)
    assert "entry #3" in r.output
    r = run("verify", tmp_path / "b.json", "--pubkey", tmp_path / "operator.pem")
    assert "第 3 号条目" in r.output and "This entry (a claim said on air" in r.output
    b = json.loads((tmp_path / "b.json").read_text())
    assert b["entry"]["metadata"]["text"] == "含95%玻尿酸，敏感肌可用"
    assert b["entry"]["content_sha256"] == hashlib.sha256("含95%玻尿酸，敏感肌可用".encode()).hexdigest()
    b["envelope_json"] = b["envelope_json"].replace("95%", "99%")
    b["entry"] = None
    (tmp_path / "bad.json").write_text(json.dumps(b, ensure_ascii=False))
    r = run("verify", tmp_path / "bad.json", ok=False)
    assert r.exit_code == 1 and "验证失败" in r.output and "entry was altered" in r.output

    heads = ws / "evidence" / "heads.jsonl"
    r = run("witness", heads, "--pubkey", tmp_path / "operator.pem", "--state", tmp_path / "w.json")
    # one head per change: init (0), recording (3), claim (4), list (5), sync (6), recording (9);
    # no-ops add none
    assert "6 new head(s) accepted; last seen: size 9" in r.output
    assert [json.loads(x)["tree_size"] for x in heads.read_text().splitlines()] == [0, 3, 4, 5, 6, 9]
    assert "OK: the stored log matches every published head" in run("audit", *w).output

    con = duckdb.connect(str(ws / "lashi.duckdb"))
    con.execute("UPDATE evidence_entries SET envelope = replace(envelope, '无添加', '无添咖') WHERE seq = 5")
    con.close()
    r = run("prove", "5", "-o", tmp_path / "c.json", *w, ok=False)
    assert r.exit_code != 0 and "stored entry #5 does not hash to its leaf hash" in r.output
    r = run("audit", *w, ok=False)
    assert r.exit_code == 1 and "entry #5 does not hash to its stored leaf hash" in r.output
    assert "第 5 号条目内容与存储的叶哈希不符" in r.output
    # a bundle issued before the tampering still verifies on its own: the evidence was fixed then
    run("verify", tmp_path / "b.json", "--pubkey", tmp_path / "operator.pem")
