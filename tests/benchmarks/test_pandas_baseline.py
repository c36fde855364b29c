"""The plain-pandas baseline of the scale benchmark (benchmarks/pandas_baseline.py) computes the
same 28 indicators as LASHI.

A 5,000-case, 3-month sample is generated as Parquet. Two things the raw sample leaves empty are
filled in first, so that no indicator is compared on nothing: agent-message tones (M1; the sample
leaves them for `lashi enrich` to judge — here they are the generator's own truth) and a set of
notarized live sessions (T2; LASHI takes it from a workspace's evidence log — here every other
session, given to both sides). Edge cases the raw sample lacks are added too: every 30th case
gets a second complaint on its order (E6), a streamer and a brand sell without complaints (rows
with order indicators only), every 40th case loses its human replies (rounds never answered).

Then for a month with a promotion (2025-03: R3 has a denominator) and the quarter (2025-Q1: the
Spring Festival holidays and 调休 working days for E2), LASHI (ParquetSource on DuckDB) and the pandas baseline must give the same rows for slice "all" —
every subject kind (industry, platform, streamer, brand, MCN) × 28 indicators — with `cases` and
`n` equal exactly and value and standard error equal to 1e-9.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lashi.indicators.engine import IndicatorSpec, PeriodSpec
from lashi.indicators.periods import parse_period
from lashi.indicators.scale import ParquetSource
from lashi.sample import generate
from lashi.scoring.config import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["subject_kind", "subject_id", "period", "slice", "indicator_id"]
KINDS = {"industry", "platform", "streamer", "brand", "mcn"}


def _baseline():
    spec = importlib.util.spec_from_file_location("pandas_baseline", ROOT / "benchmarks" / "pandas_baseline.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _append(path: Path, rows: pd.DataFrame) -> None:
    t = pq.read_table(path)
    new = pa.Table.from_pandas(rows.reindex(columns=t.column_names), schema=t.schema, preserve_index=False)
    pq.write_table(pa.concat_tables([t, new]), path)


def _repeat_complaints(data: Path) -> None:
    """Every 30th case gets a second case on the same order (E6 looks for the next case on the
    order within 30 days): 10 days later (a repeat) or 40 days later (not), some after the data's
    last month (the next case is looked for in all cases, not just the period's). The new cases
    have no events and no messages."""
    c = pq.read_table(data / "cases.parquet").to_pandas().sort_values("case_id").iloc[::30].copy()
    later = np.where(np.arange(len(c)) % 2 == 0, 10, 40)
    c["created_at"] = c["created_at"] + pd.to_timedelta(later, unit="D")
    c["case_id"] = c["case_id"] + "-again"
    _append(data / "cases.parquet", c)


def _sales_without_complaints(data: Path) -> None:
    """A streamer (of an existing MCN) selling a new brand's product in March, with no cases:
    the streamer and the brand have rows for the order indicators (C1, T2) only, with 0 cases."""
    subjects = pd.read_parquet(data / "subjects.parquet")
    mcn = subjects.loc[subjects["kind"] == "mcn", "subject_id"].iloc[0]
    _append(data / "subjects.parquet", pd.DataFrame({
        "subject_id": ["S-ST-QUIET", "S-B-QUIET"], "kind": ["streamer", "brand"], "name": ["静主播", "静品牌"],
        "tier": ["tail", "tail"], "mcn_id": [mcn, None]}))
    _append(data / "products.parquet", pd.DataFrame({
        "product_id": ["P-QUIET"], "brand_id": ["S-B-QUIET"], "name": ["静面霜"], "category": ["skincare"],
        "tags": [["sensitive_skin"]], "ingredients": [["Water"]], "responsibility_list": [True]}))
    at = pd.Timestamp("2025-03-10 20:00", tz="Asia/Shanghai")
    _append(data / "live_sessions.parquet", pd.DataFrame({
        "session_id": ["L-QUIET"], "streamer_id": ["S-ST-QUIET"], "platform_id": ["S-DY"],
        "start_at": [at], "end_at": [at + pd.Timedelta(hours=3)]}))
    _append(data / "orders.parquet", pd.DataFrame({
        "order_id": [f"O-QUIET-{i}" for i in range(4)], "session_id": "L-QUIET",
        "product_id": ["P-QUIET", "P-QUIET", "P-00001", "P-00001"], "consumer_id": "U-QUIET",
        "amount": [100.0, 50.0, 30.0, 20.0], "ordered_at": at + pd.Timedelta(minutes=30)}))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    data = tmp_path_factory.mktemp("pandas_baseline") / "data"
    generate(data, cases=5000, months=3, seed=3, progress=False)
    # agent tones as `lashi enrich` would have judged them (the generator's truth)
    msgs = pq.read_table(data / "messages.parquet")
    truth = pq.read_table(data / "_truth" / "messages_truth.parquet").to_pandas().set_index("message_id")["tone"]
    tone = msgs["message_id"].to_pandas().map(truth)
    tone = tone.where(msgs["sender"].to_pandas() == "agent")
    msgs = msgs.set_column(msgs.schema.get_field_index("tone"), "tone", pa.array(tone, pa.string()))
    pq.write_table(msgs, data / "messages.parquet")
    # some cases never get a human reply (R1–R3 count such rounds as late, R4 leaves them out)
    ev = pq.read_table(data / "case_events.parquet")
    silent = set(sorted(set(ev["case_id"].to_pylist()))[::40])
    keep = ~(ev["kind"].to_pandas().eq("human_reply") & ev["case_id"].to_pandas().isin(silent))
    pq.write_table(ev.filter(pa.array(keep.to_numpy())), data / "case_events.parquet")
    _repeat_complaints(data)
    _sales_without_complaints(data)
    sessions = pq.read_table(data / "live_sessions.parquet", columns=["session_id"])["session_id"].to_pylist()
    notarized = sorted(sessions)[::2]
    specs = [IndicatorSpec(i.id, i.definition) for i in load_catalogue().indicators]
    src = ParquetSource(data, "duckdb", notarized=notarized, temp_dir=data.parent / "tmp")
    try:
        lashi = {p: src.compute(specs, PeriodSpec.of(parse_period(p))) for p in ("2025-03", "2025-Q1")}
    finally:
        src.close()
    return data, notarized, specs, lashi


@pytest.mark.parametrize("period", ["2025-03", "2025-Q1"])
def test_pandas_baseline_equals_lashi(sample, period):
    data, notarized, specs, lashi = sample
    ours = lashi[period]
    ours = ours[ours["slice"] == "all"]
    theirs = _baseline().compute(data, period, notarized=notarized)

    # the same rows: every subject kind, every catalogue indicator
    assert set(theirs["subject_kind"]) == KINDS
    assert set(theirs["indicator_id"]) == {s.id for s in specs}
    m = ours.merge(theirs, on=KEYS, how="outer", suffixes=("_l", "_p"), indicator=True)
    assert (m["_merge"] == "both").all(), m[m["_merge"] != "both"][KEYS + ["_merge"]].head(10)
    assert len(m) == len(ours) == len(theirs)
    for c in ("cases", "n"):
        diff = m[m[f"{c}_l"] != m[f"{c}_p"]]
        assert diff.empty, diff[KEYS + [f"{c}_l", f"{c}_p"]].head(10)
    for c in ("value", "se"):
        x, y = m[f"{c}_l"].astype(float), m[f"{c}_p"].astype(float)
        same = (x.isna() & y.isna()) | (np.abs(x - y) <= 1e-9)
        assert same.all(), m[~same][KEYS + [f"{c}_l", f"{c}_p"]].head(10)

    # not equal on nothing: every indicator has a value for the industry, resting on real counts
    ind = theirs[theirs["subject_kind"] == "industry"].set_index("indicator_id")
    assert ind["value"].notna().all(), ind[ind["value"].isna()]
    assert (ind["n"] >= 5).all(), ind[ind["n"] < 5]
    assert 0 < ind.loc["T2", "value"] < 1 and 0 < ind.loc["M1", "value"] < 1
    # the industry's case count by hand: cases created in the period, local time (+08:00)
    created = pd.read_parquet(data / "cases.parquet", columns=["created_at"])["created_at"]
    created = created.dt.tz_convert("Asia/Shanghai")
    p = parse_period(period)
    by_hand = ((created.dt.date >= p.start) & (created.dt.date < p.end)).sum()
    assert (ind["cases"] == by_hand).all()
    # the quiet streamer and brand: order indicators only, no cases
    quiet = theirs[theirs["subject_id"].isin(["S-ST-QUIET", "S-B-QUIET"])].set_index(["subject_id", "indicator_id"])
    assert sorted(quiet.index) == [(s, i) for s in ("S-B-QUIET", "S-ST-QUIET") for i in ("C1", "T2")]
    assert (quiet["cases"] == 0).all()
    assert quiet.loc[("S-B-QUIET", "C1"), "value"] == 1.0 and quiet.loc[("S-B-QUIET", "C1"), "n"] == 2
    assert quiet.loc[("S-ST-QUIET", "C1"), "n"] == 4
    # some repeat complaints were found on the same order
    assert ind.loc["E6", "value"] > 0
