"""The same indicator definitions on Spark (PySpark, local mode) and on the embedded DuckDB store.

A small sample is generated as Parquet, loaded into a workspace (the embedded engine) and its
live sessions notarized in the evidence log (so T2 is not trivially zero). Then all 28
indicators for every subject kind, context slice and the month are computed
- by the embedded engine over the workspace store (lashi.indicators.run.compute), and
- by Spark reading the Parquet files directly (lashi.indicators.scale.ParquetSource),
and every row must agree: counts exactly, values and standard errors to 1e-9.
Spark needs Java 17 (CI installs openjdk-17-jre-headless); without Java the Spark test is
skipped locally and fails under CI.
"""
from __future__ import annotations

import os
import shutil
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from lashi.indicators.engine import IndicatorSpec, PeriodSpec
from lashi.indicators.periods import parse_period
from lashi.indicators.run import compute
from lashi.indicators.scale import ParquetSource, SparkSettings, notarized_from_workspace
from lashi.sample import generate
from lashi.scoring.config import load_catalogue
from lashi.store import load_directory, open_workspace

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:The copy keyword is deprecated")

MONTH = "2025-02"
KEYS = ["subject_kind", "subject_id", "period", "slice", "indicator_id"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    base = tmp_path_factory.mktemp("scale")
    data, wsdir = base / "data", base / "ws"
    generate(data, cases=3000, months=3, seed=5, progress=False)
    ws = open_workspace(wsdir)
    load_directory(ws, data)
    from lashi.cli.cmd_evidence import command as evidence

    r = CliRunner()
    for sub in ("init", "sync"):
        res = r.invoke(evidence, [sub, "-w", str(wsdir)])
        assert res.exit_code == 0, res.output
    specs = [IndicatorSpec(i.id, i.definition) for i in load_catalogue().indicators]
    embedded = compute(ws, specs, PeriodSpec.of(parse_period(MONTH)))
    return data, wsdir, specs, embedded


def _compare(a: pd.DataFrame, b: pd.DataFrame) -> None:
    m = a.merge(b, on=KEYS, how="outer", suffixes=("_a", "_b"), indicator=True)
    assert (m["_merge"] == "both").all(), m[m["_merge"] != "both"][KEYS + ["_merge"]].head(10)
    for c in ("cases", "n"):
        diff = m[m[f"{c}_a"] != m[f"{c}_b"]]
        assert diff.empty, diff[KEYS + [f"{c}_a", f"{c}_b"]].head(10)
    for c in ("value", "se"):
        x, y = m[f"{c}_a"].astype(float), m[f"{c}_b"].astype(float)
        same = (x.isna() & y.isna()) | (np.abs(x - y) <= 1e-9 * np.maximum(1.0, np.abs(x)))
        assert same.all(), m[~same][KEYS + [f"{c}_a", f"{c}_b"]].head(10)


def _feb_cases_by_hand(data) -> int:
    """Cases created in February 2025, local time (+08:00), counted with pyarrow alone."""
    t = pq.read_table(data / "cases.parquet", columns=["created_at"])
    shifted = pc.add(pc.cast(t["created_at"], "timestamp[ms]"), pd.Timedelta(hours=8).to_pytimedelta())
    days = pc.cast(shifted, "date32")
    sel = pc.and_(pc.greater_equal(days, date(2025, 2, 1)), pc.less(days, date(2025, 3, 1)))
    return int(pc.sum(sel).as_py())


def test_duckdb_over_parquet_equals_the_store(sample):
    """DuckDB reading the Parquet files directly (what the benchmarks use) equals the store."""
    data, wsdir, specs, embedded = sample
    src = ParquetSource(data, "duckdb", notarized=notarized_from_workspace(wsdir))
    try:
        direct = src.compute(specs, PeriodSpec.of(parse_period(MONTH)))
    finally:
        src.close()
    _compare(embedded, direct)
    industry = embedded[(embedded.subject_kind == "industry") & (embedded.slice == "all")]
    assert industry["cases"].iloc[0] == _feb_cases_by_hand(data)


def _java_available() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


@pytest.mark.slow  # ~1–2.5 min on 2 busy cores: the JVM start and five Spark jobs
def test_spark_equals_the_embedded_engine(sample):
    if not _java_available():
        if os.environ.get("CI"):
            pytest.fail("Java 17 is needed for the Spark parity test (apt-get install openjdk-17-jre-headless)")
        pytest.skip("no Java on this machine (Spark needs Java 17)")
    pytest.importorskip("pyspark")
    data, wsdir, specs, embedded = sample
    notarized = notarized_from_workspace(wsdir)
    assert notarized, "the evidence sync should notarize some sessions"
    src = ParquetSource(data, "spark", notarized=notarized, spark=SparkSettings(shuffle_partitions=4))
    try:
        on_spark = src.compute(specs, PeriodSpec.of(parse_period(MONTH)))
        tz = src._spark.conf.get("spark.sql.session.timeZone")
    finally:
        src.close()
    assert tz == "Asia/Shanghai"
    assert set(embedded["indicator_id"]) == {s.id for s in specs} and len(specs) == 28
    assert set(embedded["subject_kind"]) == {"industry", "platform", "streamer", "brand", "mcn"}
    _compare(embedded, on_spark)
    # T2 is exercised: notarized GMV shares strictly between 0 and 1 exist.
    t2 = embedded[embedded.indicator_id == "T2"]["value"].dropna()
    assert ((t2 > 0) & (t2 < 1)).any()
    industry = on_spark[(on_spark.subject_kind == "industry") & (on_spark.slice == "all")]
    assert industry["cases"].iloc[0] == _feb_cases_by_hand(data)


def test_cli_spark_needs_data(tmp_path):
    from lashi.cli.cmd_evaluate import command

    res = CliRunner().invoke(command, ["--period", MONTH, "--engine", "spark", "-w", str(tmp_path)])
    assert res.exit_code != 0
    assert "--data" in res.output


def test_cli_evaluate_over_parquet(sample, tmp_path):
    """`lashi evaluate --data DIR` (DuckDB over Parquet) writes the same index as the store run."""
    from lashi.cli.cmd_evaluate import command

    data, wsdir, _specs, _embedded = sample
    r = CliRunner()
    a = r.invoke(command, ["--period", MONTH, "--data", str(data), "--out", str(tmp_path / "pq"), "-w", str(wsdir),
                           "--bootstrap", "20"])
    assert a.exit_code == 0, a.output
    b = r.invoke(command, ["--period", MONTH, "--out", str(tmp_path / "ws"), "-w", str(wsdir), "--bootstrap", "20"])
    assert b.exit_code == 0, b.output
    x = pd.read_parquet(tmp_path / "pq" / "index.parquet").sort_values(["subject_kind", "subject_id"])
    y = pd.read_parquet(tmp_path / "ws" / "index.parquet").sort_values(["subject_kind", "subject_id"])
    assert len(x) == len(y) > 0
    assert np.allclose(x["index"].to_numpy(float), y["index"].to_numpy(float), atol=1e-9, equal_nan=True)
    assert (x["cases"].to_numpy() == y["cases"].to_numpy()).all()
    assert int(x[x.subject_kind == "industry"]["cases"].iloc[0]) == _feb_cases_by_hand(data)
