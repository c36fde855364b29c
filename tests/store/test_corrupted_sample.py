"""Issue 2's acceptance check, small: a generated sample loads with nothing quarantined; a
deliberately corrupted copy shows every broken row with its reason, and every good row loads."""
from __future__ import annotations

import csv
import shutil

from lashi.sample import generate
from lashi.store import load_directory, open_workspace


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, list(r)


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def test_corrupted_copy_quarantines_exactly_the_broken_rows(tmp_path):
    good = tmp_path / "good"
    generate(good, cases=1500, months=2, seed=5, fmt="csv", progress=False)
    ws_good = open_workspace(tmp_path / "ws-good")
    rep_good = load_directory(ws_good, good)
    assert rep_good.quarantined == 0
    n_good = {f.table: f.loaded for f in rep_good.files}

    bad = tmp_path / "bad"
    shutil.copytree(good, bad)
    # cases: row 3 unknown channel, row 7 unparseable time
    h, rows = _rows(bad / "cases.csv")
    rows[2][h.index("channel")] = "carrier_pigeon"
    rows[6][h.index("created_at")] = "last Tuesday"
    broken_cases = {rows[2][h.index("case_id")], rows[6][h.index("case_id")]}
    _write(bad / "cases.csv", h, rows)
    # case_events: row 10 happens a day before its case; row 20 duplicates row 19's id with other content
    h, ev = _rows(bad / "case_events.csv")
    ci = h.index("case_id")
    ok_rows = [i for i, r in enumerate(ev) if r[ci] not in broken_cases]
    i10, i19, i20 = ok_rows[9], ok_rows[18], ok_rows[19]
    ev[i10][h.index("at")] = "2000-01-01T00:00:00+08:00"
    ev[i20][h.index("event_id")] = ev[i19][h.index("event_id")]
    _write(bad / "case_events.csv", h, ev)

    ws = open_workspace(tmp_path / "ws-bad")
    load_directory(ws, bad)
    con = ws.connect(read_only=True)
    q = set(con.execute("SELECT table_name, row_number, reason FROM quarantine").fetchall())
    expected = {("cases", 3, "unknown_enum"), ("cases", 7, "unparseable_time"),
                ("case_events", i10 + 1, "event_before_case"), ("case_events", i20 + 1, "duplicate_id_conflict")}
    assert expected <= q
    # Everything else quarantined is a knock-on of the two broken cases (their events, messages,
    # surveys refer to a case that is not there), and nothing else.
    knock_on = {r for r in q if r not in expected}
    assert all(reason == "unknown_reference" for _, _, reason in knock_on)
    dependants = con.execute("SELECT count(*) FROM quarantine WHERE reason = 'unknown_reference'").fetchone()[0]
    loaded = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in n_good}
    assert loaded["cases"] == n_good["cases"] - 2
    assert loaded["case_events"] == n_good["case_events"] - 2 - sum(
        1 for r in ev if r[ci] in broken_cases)
    assert sum(n_good.values()) - sum(loaded.values()) == 4 + dependants
