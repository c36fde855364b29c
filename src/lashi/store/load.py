"""Loading files into the store with contract checks and a quarantine.

A load is one transaction: either every file of the load is in the store (valid rows in their
tables, broken rows in `quarantine` with the reason) or, if the process dies or an error
escapes, nothing is. Rows are checked in SQL inside DuckDB, so a load of millions of rows costs
a few scans, not a Python loop.

Per row the checks are, in the contract's terms: required fields present, values parse as their
type, enums, ranges, references to other tables (or to the same load), the table's row rules
(e.g. an event before its case was created), and duplicate keys (identical duplicates are
skipped, which makes loading the same data twice change nothing; a duplicate with different
content is quarantined and the first one kept).
"""
from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from lashi.contract import TABLES, Column, Table, table
from lashi.store.readers import InputError, number_bad_csv_rows, read_batches
from lashi.store.workspace import Workspace

TIME_OFFSET_RE = r"([+-][0-9]{2}(:?[0-9]{2})?|Z|UTC)$"


@dataclass
class FileResult:
    table: str
    file: str
    rows_read: int = 0
    loaded: int = 0
    already_present: int = 0
    duplicates_in_file: int = 0
    quarantined_rows: int = 0
    reasons: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class LoadReport:
    load_id: str
    files: list[FileResult] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined_rows for f in self.files)

    def reasons(self) -> Counter:
        c: Counter = Counter()
        for f in self.files:
            c.update(f.reasons)
        return c


def discover(directory: Path) -> list[tuple[Table, Path]]:
    """Files in a directory that belong to contract tables, in load order.

    A file belongs to table T when its stem is T or starts with "T-" / "T.part" (chunked
    exports), or when it lies in a sub-folder named T. Other files are ignored.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    found: list[tuple[Table, Path]] = []
    files = [p for p in sorted(directory.rglob("*")) if p.is_file() and not any(
        part.startswith(("_", ".")) for part in p.relative_to(directory).parts)]
    for t in TABLES:
        for p in files:
            rel = p.relative_to(directory)
            stem = p.name.split(".")[0]
            in_folder = len(rel.parts) > 1 and rel.parts[0] == t.name
            if in_folder or stem == t.name or stem.startswith(t.name + "-"):
                if p.suffix.lower() in (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"):
                    found.append((t, p))
    return found


def load_directory(ws: Workspace, directory: Path, encoding: str | None = None,
                   progress: Callable[[str], None] | None = None) -> LoadReport:
    return load_files(ws, discover(directory), encoding=encoding, progress=progress)


def load_files(ws: Workspace, files: Iterable[tuple[Table | str, Path]], encoding: str | None = None,
               progress: Callable[[str], None] | None = None,
               _fail_after: str | None = None) -> LoadReport:
    """Load files into the store in one transaction. `_fail_after` (tests) raises after that
    table's file is staged, to show that a failed load leaves the store as it was."""
    report = LoadReport(load_id=uuid.uuid4().hex[:12])
    items = [(table(t) if isinstance(t, str) else t, Path(p)) for t, p in files]
    order = {t.name: i for i, t in enumerate(TABLES)}
    items.sort(key=lambda tp: order[tp[0].name])
    con = ws.connect()
    try:
        con.execute("BEGIN TRANSACTION")
        for t, path in items:
            if progress:
                progress(f"{t.name} ← {path.name}")
            res = _load_one(con, report.load_id, t, path, encoding)
            report.files.append(res)
            if _fail_after == t.name:
                raise RuntimeError(f"simulated failure after {t.name}")
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        finally:
            con.close()
        raise
    con.close()
    return report


# --- one file -------------------------------------------------------------------------------

def _raw_expr(name: str, typ: pa.DataType) -> str:
    q = f'"{name}"'
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return f"NULLIF(trim({q}), '')"
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_struct(typ):
        return f"CAST(to_json({q}) AS VARCHAR)"
    return f"CAST({q} AS VARCHAR)"


def _typed_expr(c: Column) -> str:
    v = f"s.{c.name}"
    return {
        "str": v,
        "enum": v,
        "int": f"TRY_CAST({v} AS BIGINT)",
        "float": f"CASE WHEN isfinite(TRY_CAST({v} AS DOUBLE)) THEN TRY_CAST({v} AS DOUBLE) END",
        "bool": (f"CASE WHEN lower({v}) IN ('true','t','1','yes','y','是') THEN TRUE "
                 f"WHEN lower({v}) IN ('false','f','0','no','n','否') THEN FALSE END"),
        "timestamp": f"TRY_CAST({v} AS TIMESTAMPTZ)",
        "date": f"TRY_CAST({v} AS DATE)",
        "list": (f"CASE WHEN {v} IS NULL THEN NULL WHEN json_valid({v}) AND left({v}, 1) = '[' "
                 f"THEN TRY_CAST(json_extract_string({v}, '$[*]') AS VARCHAR[]) "
                 f"ELSE list_filter(list_transform(string_split({v}, ';'), lambda x: trim(x)), lambda x: x <> '') END"),
        "json": f"CASE WHEN json_valid({v}) THEN {v} END",
    }[c.type]


TYPE_REASON = {"int": "unparseable_number", "float": "unparseable_number", "bool": "unparseable_bool",
               "timestamp": "unparseable_time", "date": "unparseable_time", "list": "unparseable_list",
               "json": "unparseable_json"}


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _checks(t: Table, present: set[str]) -> list[str]:
    """SELECT statements yielding (_row, field, value, reason, message) for single-row checks."""
    out = []
    for c in t.columns:
        raw, typed = f"s.{c.name}", f"r.{c.name}"
        frm = "FROM stg s JOIN typed r USING (_row)"
        if c.name not in present:
            continue
        if c.required:
            out.append(f"SELECT s._row, '{c.name}', NULL, 'missing_required', "
                       f"'{c.name} is required' {frm} WHERE {raw} IS NULL")
        if c.type in TYPE_REASON:
            out.append(f"SELECT s._row, '{c.name}', {raw}, '{TYPE_REASON[c.type]}', "
                       f"'{c.name} is not a valid {c.type}' {frm} WHERE {raw} IS NOT NULL AND {typed} IS NULL")
        if c.enum:
            allowed = ", ".join(_sql_str(e) for e in c.enum)
            out.append(f"SELECT s._row, '{c.name}', {raw}, 'unknown_enum', "
                       f"{_sql_str(c.name + ' must be one of: ' + ' | '.join(c.enum))} {frm} "
                       f"WHERE {typed} IS NOT NULL AND {typed} NOT IN ({allowed})")
        if c.min is not None or c.max is not None:
            conds = []
            if c.min is not None:
                conds.append(f"{typed} < {c.min}")
            if c.max is not None:
                conds.append(f"{typed} > {c.max}")
            rng = f"[{c.min if c.min is not None else '-∞'}, {c.max if c.max is not None else '∞'}]"
            out.append(f"SELECT s._row, '{c.name}', {raw}, 'out_of_range', "
                       f"{_sql_str(c.name + ' outside ' + rng)} {frm} WHERE {' OR '.join(conds)}")
    for rule in t.rules:
        joins = " ".join(f"JOIN {j}" for j in rule.joins)
        out.append(f"SELECT r._row, '{rule.field}', CAST(r.{rule.field} AS VARCHAR), '{rule.reason}', "
                   f"{_sql_str(rule.message)} FROM typed r {joins} WHERE ({rule.violation})")
    return out


def _load_one(con: duckdb.DuckDBPyConnection, load_id: str, t: Table, path: Path,
              encoding: str | None) -> FileResult:
    res = FileResult(table=t.name, file=str(path))
    try:
        info, batches = read_batches(path, encoding)
    except InputError as e:
        res.error = str(e)
        return res
    if not info.columns:
        res.warnings.append(f"{path}: empty file, nothing to load / 空文件")
        return res
    cols = [c.strip() for c in info.columns]
    missing = [c for c in t.required if c not in cols]
    unknown = [c for c in cols if c not in t.column_names and c != "_row"]
    if unknown:
        res.warnings.append(f"{path}: unknown column(s) ignored / 忽略未知列: {', '.join(unknown)}")
    if missing:
        res.error = (f"{path}: missing required column(s) for table {t.name} / 缺少必填列: "
                     f"{', '.join(missing)} (expected: {', '.join(t.column_names)})")
        _quarantine_file(con, load_id, t, info.sha256, path, missing)
        res.reasons["missing_column"] += 1
        return res
    present = [c for c in t.column_names if c in cols]
    col_map = {c.strip(): c for c in info.columns}

    con.execute("DROP TABLE IF EXISTS stg")
    con.execute("CREATE TEMP TABLE stg (_row BIGINT, "
                + ", ".join(f'"{c}" VARCHAR' for c in t.column_names) + ")")
    for batch in batches:
        con.register("batch_in", batch)
        exprs = []
        for c in t.column_names:
            if c in present:
                src = col_map[c]
                exprs.append(_raw_expr(src, batch.schema.field(src).type))
            else:
                exprs.append("NULL")
        con.execute(f"INSERT INTO stg SELECT _row, {', '.join(exprs)} FROM batch_in")
        con.unregister("batch_in")
    res.rows_read = con.execute("SELECT count(*) FROM stg").fetchone()[0] + len(info.bad)
    if info.fmt == "csv" and info.bad:
        # Shift the good records' numbers past the malformed records before them.
        bad_rows = number_bad_csv_rows(info)
        con.execute("CREATE OR REPLACE TEMP TABLE badpos AS SELECT unnest(?) AS good_before", 
                    [[b - i - 1 for i, b in enumerate(bad_rows)]])
        con.execute("UPDATE stg SET _row = _row + (SELECT count(*) FROM badpos WHERE good_before < stg._row)")
        con.execute("DROP TABLE badpos")

    # Mixed time zones: say how many values carried no offset (read as +08:00).
    for c in t.columns:
        if c.type == "timestamp" and c.name in present:
            n_with, n_without = con.execute(
                f"SELECT count(*) FILTER (WHERE regexp_matches(s.{c.name}, '{TIME_OFFSET_RE}')), "
                f"count(*) FILTER (WHERE NOT regexp_matches(s.{c.name}, '{TIME_OFFSET_RE}')) "
                f"FROM stg s WHERE s.{c.name} IS NOT NULL").fetchone()
            if n_with and n_without:
                res.warnings.append(
                    f"{path}: column {c.name} mixes time zones — {n_without} value(s) without an offset were "
                    f"read as +08:00, {n_with} with an offset were converted / 时区混用：无时区的值按+08:00处理")

    con.execute("DROP TABLE IF EXISTS typed")
    con.execute("CREATE TEMP TABLE typed AS SELECT s._row, "
                + ", ".join(f'{_typed_expr(c)} AS "{c.name}"' for c in t.columns) + " FROM stg s")

    con.execute("DROP TABLE IF EXISTS viol")
    con.execute("CREATE TEMP TABLE viol (_row BIGINT, field VARCHAR, value VARCHAR, reason VARCHAR, message VARCHAR)")
    for q in _checks(t, set(present)):
        con.execute(f"INSERT INTO viol {q}")
    for b in info.bad:
        con.execute("INSERT INTO viol VALUES (?, NULL, ?, ?, ?)", [b.row, b.text[:500], b.reason, b.message])

    # References: to the table in the store (already holding this load's earlier tables) or, for a
    # self-reference, to rows of this same file that passed their own checks.
    for c in t.columns:
        if not c.ref or c.name not in present:
            continue
        rt, rc = c.ref.split(".")
        pool = f"SELECT x.{rc} AS k FROM {rt} x"
        if rt == t.name:
            pool += f" UNION ALL SELECT y.{rc} FROM typed y WHERE y._row NOT IN (SELECT _row FROM viol)"
        con.execute(
            f"INSERT INTO viol SELECT r._row, '{c.name}', r.{c.name}, 'unknown_reference', "
            f"{_sql_str(f'{c.name} refers to no row of {rt}')} FROM typed r "
            f"WHERE r.{c.name} IS NOT NULL AND r.{c.name} NOT IN ({pool})")

    key = ", ".join(t.key)
    allc = ", ".join(f"r.{c}" for c in t.column_names)
    key_str = " || '|' || ".join(f"CAST(r.{k} AS VARCHAR)" for k in t.key)
    # Duplicates within the file: keep the first; identical repeats are skipped, others quarantined.
    con.execute("DROP TABLE IF EXISTS ranked")
    con.execute(f"""CREATE TEMP TABLE ranked AS
        SELECT r._row, hash({allc}) AS h,
               first_value(hash({allc})) OVER w AS h_first,
               row_number() OVER w AS rn, {key_str} AS key_text
        FROM typed r WHERE r._row NOT IN (SELECT _row FROM viol)
        WINDOW w AS (PARTITION BY {", ".join("r." + k for k in t.key)} ORDER BY r._row)""")
    con.execute(f"""INSERT INTO viol SELECT _row, '{t.key[0]}', key_text, 'duplicate_id_conflict',
        'same key as an earlier row of this file with different content' FROM ranked WHERE rn > 1 AND h <> h_first""")
    res.duplicates_in_file = con.execute("SELECT count(*) FROM ranked WHERE rn > 1 AND h = h_first").fetchone()[0]

    # Against the store: identical rows are already present (idempotent), different ones conflict.
    join_on = " AND ".join(f"f.{k} = r.{k}" for k in t.key)
    fall = ", ".join(f"f.{c}" for c in t.column_names)
    con.execute("DROP TABLE IF EXISTS existing")
    con.execute(f"""CREATE TEMP TABLE existing AS
        SELECT r._row, hash({allc}) = hash({fall}) AS same, {key_str} AS key_text
        FROM typed r JOIN ranked USING (_row) JOIN {t.name} f ON {join_on} WHERE ranked.rn = 1""")
    con.execute(f"""INSERT INTO viol SELECT _row, '{t.key[0]}', key_text, 'duplicate_id_conflict',
        'key already in the store with different content' FROM existing WHERE NOT same""")
    res.already_present = con.execute("SELECT count(*) FROM existing WHERE same").fetchone()[0]

    res.loaded = _count_insertable(con)
    con.execute(f"""INSERT INTO {t.name} ({", ".join(f'"{c}"' for c in t.column_names)})
        SELECT {allc} FROM typed r JOIN ranked USING (_row)
        WHERE ranked.rn = 1 AND r._row NOT IN (SELECT _row FROM viol)
          AND r._row NOT IN (SELECT _row FROM existing)
        ORDER BY r._row""")
    res.quarantined_rows = con.execute("SELECT count(DISTINCT _row) FROM viol").fetchone()[0]
    for reason, n in con.execute("SELECT reason, count(DISTINCT _row) FROM viol GROUP BY reason").fetchall():
        res.reasons[reason] = n

    con.execute(f"""INSERT INTO quarantine
        SELECT ?, '{t.name}', ?, ?, v._row, v.field, v.value, v.reason, v.message FROM viol v
        WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.table_name = '{t.name}' AND q.file_sha256 = ?
              AND q.row_number = v._row AND q.field IS NOT DISTINCT FROM v.field AND q.reason = v.reason)""",
                [load_id, str(path), info.sha256, info.sha256])
    con.execute("INSERT INTO loads VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?)",
                [load_id, t.name, str(path), info.sha256, res.rows_read, res.loaded, res.already_present,
                 res.quarantined_rows])
    for tmp in ("stg", "typed", "viol", "ranked", "existing"):
        con.execute(f"DROP TABLE IF EXISTS {tmp}")
    return res


def _count_insertable(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("""SELECT count(*) FROM typed r JOIN ranked USING (_row)
        WHERE ranked.rn = 1 AND r._row NOT IN (SELECT _row FROM viol)
          AND r._row NOT IN (SELECT _row FROM existing)""").fetchone()[0]


def _quarantine_file(con, load_id: str, t: Table, sha: str, path: Path, missing: list[str]) -> None:
    for col in missing:
        con.execute(f"""INSERT INTO quarantine SELECT ?, '{t.name}', ?, ?, 0, ?, NULL, 'missing_column', ?
            WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE table_name = '{t.name}' AND file_sha256 = ?
                              AND row_number = 0 AND field = ? AND reason = 'missing_column')""",
                    [load_id, str(path), sha, col, f"required column {col} is missing from the file", sha, col])
