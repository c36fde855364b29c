"""The same indicator definitions over Parquet files, on DuckDB or on Apache Spark (PySpark).

`lashi evaluate --engine spark --data PARQUET_DIR` (and `--engine duckdb --data PARQUET_DIR`)
bind the contract tables to Parquet files and hand them to the very same `facts` unit tables and
`definitions` as the embedded store does (engine.indicator_table); nothing is defined twice.

What is engine-specific is kept here, each with its reason (docs/scale.md lists them):

1. Binding the sources: DuckDB gets views over `read_parquet([...])`; Spark gets
   `spark.read.parquet(...)` registered as temporary views. Both accept one file per table
   (`cases.parquet`) or chunks (`cases-0001.parquet`, …) as the loader does.
2. The session time zone: the workspace reads local days in Asia/Shanghai (DuckDB
   `SET TimeZone`). Ibis's PySpark backend forces `spark.sql.session.timeZone=UTC` when it
   connects, so it is set back to Asia/Shanghai right after; otherwise `.date()` and the
   month label (`strftime('%Y-%m')`) would put cases created between 00:00 and 08:00 local time
   on the previous day.
3. The working-day calendar (`days`) is computed on the driver from the small `calendar` table
   (calendar.days_table: public holidays, 调休 adjusted working days, promotion windows) and
   shipped to the engine as an in-memory table (Spark: a temporary view): a running count of working days is plain Python
   and a few hundred rows, not worth an engine-specific SQL window.
4. T2 notarized sessions come from the evidence log (lashi.evidence), whose check (Merkle log
   entries, claim hashes against the claim text) is Python over the workspace store, not SQL.
   The set of notarized session ids is computed on the driver from the workspace (if it has an
   evidence log) and shipped as a one-column in-memory table.
5. Spark settings: ANSI mode off (Spark 4 turns it on; DuckDB-like NULL semantics for casts),
   no UI, quiet logs, local[2] with a modest driver memory by default, few shuffle partitions
   with adaptive execution (the aggregated results are small).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import ibis
import pandas as pd

from lashi.indicators import facts
from lashi.indicators.calendar import days_table
from lashi.indicators.engine import IndicatorSpec, PeriodSpec, indicator_table
from lashi.store.workspace import DEFAULT_MEMORY_LIMIT, DEFAULT_TZ

SOURCE_TABLES = ("subjects", "products", "live_sessions", "orders", "cases", "case_events", "messages", "surveys")
ENGINES = ("duckdb", "spark")


def parquet_files(data: Path, table: str) -> list[Path]:
    """The Parquet files of one table in a data directory: TABLE.parquet or TABLE-*.parquet chunks."""
    data = Path(data)
    one = data / f"{table}.parquet"
    files = ([one] if one.exists() else []) + sorted(data.glob(f"{table}-*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet file for table {table!r} in {data} (expected {table}.parquet) / "
                                f"目录中缺少 {table}.parquet")
    return files


def notarized_from_workspace(workspace: Path | None) -> list[str]:
    """Notarized live sessions (T2) from a workspace's evidence log; empty without one."""
    if workspace is None:
        return []
    from lashi.store import open_workspace

    ws = open_workspace(workspace)
    if not ws.exists():
        return []
    from lashi.indicators.run import _notarized

    con = ws.connect(read_only=True)
    try:
        return list(_notarized(con)["session_id"])
    finally:
        con.close()


def _days_frame(calendar: pd.DataFrame, lo: date, hi: date) -> pd.DataFrame:
    days = days_table(calendar, lo - timedelta(days=1), hi + timedelta(days=400))
    return days[["day", "is_workday", "workday_index", "is_promotion"]]


def _notarized_frame(sessions: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({"session_id": pd.Series(sorted(set(sessions)), dtype="string")})


# --- DuckDB over Parquet ---------------------------------------------------------------------

def remove_stale_spill(folder: Path) -> list[Path]:
    """Delete spill folders `lashi-PID` left by processes that no longer run (a killed evaluation
    leaves its spill files behind: tens of GB at 50 M cases). Returns what was removed."""
    import shutil

    removed = []
    for d in folder.glob("lashi-*") if folder.is_dir() else ():
        pid = d.name.removeprefix("lashi-")
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
        except PermissionError:  # alive, another user's
            pass
    return removed


def duckdb_parquet_sources(data: Path, notarized: Iterable[str] = (), memory_limit: str | None = None,
                           temp_dir: Path | None = None):
    """(Sources, executor, raw connection) for an in-memory DuckDB with views over the Parquet files."""
    import duckdb

    raw = duckdb.connect()
    raw.execute(f"SET TimeZone = '{DEFAULT_TZ}'")
    limit = memory_limit or os.environ.get("LASHI_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    raw.execute(f"SET memory_limit = '{limit}'")
    # one spill folder per process: DuckDB names its spill files alike in every process
    tmp = Path(temp_dir) if temp_dir else Path(data) / ".tmp" / f"lashi-{os.getpid()}"
    if not temp_dir:
        remove_stale_spill(Path(data) / ".tmp")
    # Row order of unordered intermediate results is irrelevant here (the engine sorts its
    # output); not keeping it lets DuckDB stream and spill with less memory.
    raw.execute("SET preserve_insertion_order = false")
    tmp.mkdir(parents=True, exist_ok=True)
    raw.execute(f"SET temp_directory = '{tmp}'")
    for name in SOURCE_TABLES + ("calendar",):
        files = ", ".join(f"'{f}'" for f in parquet_files(data, name))
        raw.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{files}])")
    from lashi.indicators.run import data_span

    lo, hi = data_span(raw)
    cal = raw.execute("SELECT window_id, kind, name, start_date, end_date FROM calendar").df()
    con = ibis.duckdb.from_connection(raw)
    con.raw_sql(f"SET TimeZone = '{DEFAULT_TZ}'")  # Ibis connects in UTC; the workspace's zone back
    s = facts.Sources(
        **{n: con.table(n) for n in SOURCE_TABLES},
        days=ibis.memtable(_days_frame(cal, lo, hi)),
        notarized_sessions=ibis.memtable(_notarized_frame(notarized)),
    )
    return s, con.execute, raw


# --- Spark over Parquet ----------------------------------------------------------------------

@dataclass
class SparkSettings:
    master: str = "local[2]"
    driver_memory: str = "2g"
    shuffle_partitions: int = 8
    extra: dict[str, str] = field(default_factory=dict)


_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark %p %c{1}: %m%n
"""


def _log4j2_file() -> Path:
    """A log4j2 configuration that keeps Spark's JVM to errors (written once to the temp dir)."""
    import tempfile

    f = Path(tempfile.gettempdir()) / "lashi-spark-log4j2.properties"
    if not f.exists() or f.read_text() != _LOG4J2:
        f.write_text(_LOG4J2)
    return f


def spark_session(settings: SparkSettings | None = None):
    """A SparkSession for LASHI: no UI, quiet logs, local time zone, ANSI off."""
    import sys

    from pyspark.sql import SparkSession

    st = settings or SparkSettings()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if st.master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only, no hostname warning
    jopts = f"-Duser.timezone={DEFAULT_TZ} -Dlog4j2.configurationFile=file:{_log4j2_file()}"
    b = (SparkSession.builder.master(st.master).appName("lashi")
         .config("spark.driver.memory", st.driver_memory)
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.log.level", "ERROR")
         .config("spark.sql.session.timeZone", DEFAULT_TZ)
         .config("spark.sql.ansi.enabled", "false")
         .config("spark.sql.shuffle.partitions", str(st.shuffle_partitions))
         .config("spark.sql.adaptive.enabled", "true")
         .config("spark.sql.execution.arrow.pyspark.enabled", "true")
         .config("spark.driver.extraJavaOptions", jopts)
         .config("spark.executor.extraJavaOptions", jopts))
    for k, v in st.extra.items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_parquet_sources(spark, data: Path, notarized: Iterable[str] = ()):
    """(Sources, executor) for Spark with temporary views over the Parquet files."""
    for name in SOURCE_TABLES + ("calendar",):
        spark.read.parquet(*[str(f) for f in parquet_files(data, name)]).createOrReplaceTempView(name)
    # Ibis sets the session time zone to UTC on connect; put the workspace's zone back (see 2.).
    con = ibis.pyspark.connect(spark, **{"spark.sql.session.timeZone": DEFAULT_TZ})
    span = spark.sql(
        "SELECT least((SELECT min(to_date(created_at)) FROM cases), (SELECT min(to_date(ordered_at)) FROM orders)) lo,"
        " greatest((SELECT max(to_date(created_at)) FROM cases), (SELECT max(to_date(ordered_at)) FROM orders)) hi"
    ).collect()[0]
    if span["lo"] is None:
        raise ValueError(f"no cases in {data} / 数据中没有工单")
    cal = spark.table("calendar").select("window_id", "kind", "name", "start_date", "end_date").toPandas()
    # Driver-side tables become Spark views (not Ibis memtables: Ibis registers those only when a
    # query is executed, and the engine caches unit tables before that).
    days = _days_frame(cal, span["lo"], span["hi"])
    spark.createDataFrame(days.astype({"workday_index": "int64"}).to_dict("records"),
                          "day date, is_workday boolean, workday_index bigint, is_promotion boolean"
                          ).createOrReplaceTempView("lashi_days")
    spark.createDataFrame([(x,) for x in _notarized_frame(notarized)["session_id"]], "session_id string"
                          ).createOrReplaceTempView("lashi_notarized_sessions")
    s = facts.Sources(
        **{n: con.table(n) for n in SOURCE_TABLES},
        days=con.table("lashi_days"),
        notarized_sessions=con.table("lashi_notarized_sessions"),
    )
    return s, con.execute


# --- one object the workflow can use in place of the store ------------------------------------

class ParquetSource:
    """Indicator values and subjects from a Parquet directory on DuckDB or Spark.

    `compute(specs, period)` has the signature of run.compute without the workspace, so
    workflow.run_evaluation can use it unchanged; the Spark session is kept for both passes.
    """

    def __init__(self, data: Path, engine: str = "duckdb", *, notarized: Iterable[str] = (),
                 spark: SparkSettings | None = None, memory_limit: str | None = None,
                 temp_dir: Path | None = None):
        if engine not in ENGINES:
            raise ValueError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")
        self.data = Path(data)
        if not self.data.is_dir():
            raise FileNotFoundError(f"no such data directory {self.data} / 数据目录不存在")
        self.engine = engine
        self.notarized = list(notarized)
        self.spark_settings = spark
        self.memory_limit = memory_limit
        self.temp_dir = temp_dir
        self._spark = None
        self._sources = None

    def _bind(self):
        if self._sources is None:
            if self.engine == "spark":
                self._spark = spark_session(self.spark_settings)
                self._sources = spark_parquet_sources(self._spark, self.data, self.notarized)
            else:
                s, execute, raw = duckdb_parquet_sources(self.data, self.notarized, self.memory_limit,
                                                         self.temp_dir)
                self._raw = raw
                self._sources = (s, execute)
        return self._sources

    def compute(self, indicators: Iterable[IndicatorSpec], period: PeriodSpec,
                progress: Callable[[str], None] | None = None, memory_limit: str | None = None) -> pd.DataFrame:
        s, execute = self._bind()
        return indicator_table(s, indicators, period, execute, progress)

    def subjects(self) -> pd.DataFrame:
        cols = ["subject_id", "kind", "name", "tier", "platform_id", "mcn_id", "origin"]
        return pd.concat([pd.read_parquet(f, columns=cols) for f in parquet_files(self.data, "subjects")],
                         ignore_index=True)

    def close(self) -> None:
        if self._spark is not None:
            self._spark.stop()
            self._spark = None
        if getattr(self, "_raw", None) is not None:
            self._raw.close()
            self._raw = None
        self._sources = None
