"""Reading input files (CSV, JSON Lines, Parquet) as streams of Arrow batches.

Every batch carries `_row`, the 1-based number of the record in its file (for CSV and JSON Lines
the first data record is row 1; the header line of a CSV is not counted), so that a rejected
row can be named. Rows that cannot even be parsed (a CSV line with the wrong number of fields,
a JSON line that is not JSON) are reported as `BadRecord`s instead.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
           ".parquet": "parquet", ".pq": "parquet"}
BATCH_ROWS = 200_000


class InputError(Exception):
    """A whole file cannot be read (encoding, header, format). The message names the file."""


@dataclass
class BadRecord:
    row: int
    text: str
    reason: str
    message: str


@dataclass
class FileRead:
    path: Path
    fmt: str
    sha256: str
    columns: list[str]
    encoding: str | None = None
    bad: list[BadRecord] = field(default_factory=list)
    utf8_path: Path | None = None


def number_bad_csv_rows(info: FileRead) -> list[int]:
    """File row numbers (1 = first data record) of the CSV records whose field count is wrong,
    found with Python's csv module; also fills in the row numbers of `info.bad`."""
    import csv

    delimiter = "\t" if info.path.suffix.lower() == ".tsv" else ","
    expected = len(info.columns)
    bad_rows = []
    with open(info.utf8_path or info.path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader, None)
        for i, rec in enumerate(reader, start=1):
            if rec and len(rec) != expected:
                bad_rows.append(i)
    for b, row in zip(info.bad, bad_rows):
        b.row = row
    return bad_rows


def file_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"{path}: unknown file type {path.suffix!r}; expected .csv, .jsonl or .parquet") from None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def detect_encoding(path: Path, declared: str | None = None) -> str:
    """Return a Python codec name for a text file: the declared one if given (checked), else
    UTF-8 (with or without BOM) if the whole file decodes, else GB18030 (a superset of GBK, common
    in exports from Chinese systems)."""
    candidates = [declared] if declared else ["utf-8-sig", "gb18030"]
    last_err: UnicodeDecodeError | None = None
    for enc in candidates:
        try:
            codecs.lookup(enc)
        except LookupError:
            raise InputError(f"{path}: unknown encoding {enc!r}") from None
        dec = codecs.getincrementaldecoder(enc)(errors="strict")
        offset = 0
        try:
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    dec.decode(chunk)
                    offset += len(chunk)
                dec.decode(b"", final=True)
            return enc
        except UnicodeDecodeError as e:
            e.start += offset
            last_err = e
    assert last_err is not None
    hint = "" if declared else " (tried UTF-8 and GB18030/GBK)"
    raise InputError(
        f"{path}: cannot decode as {declared or 'text'}{hint}: byte {last_err.start} is invalid; "
        f"pass --encoding / 文件编码无法识别，请用 --encoding 指定"
    )


def _to_utf8(path: Path, enc: str) -> Path:
    """Transcode a text file to a temporary UTF-8 file, streaming."""
    tmp = tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=path.suffix, delete=False)
    with open(path, encoding=enc, newline="") as src, tmp:
        for chunk in iter(lambda: src.read(1 << 20), ""):
            tmp.write(chunk)
    return Path(tmp.name)


def read_batches(path: Path, encoding: str | None = None) -> tuple[FileRead, Iterator[pa.RecordBatch]]:
    """Open a file; return what was learnt about it and an iterator of all-string batches."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = file_format(path)
    info = FileRead(path=path, fmt=fmt, sha256=sha256_of(path), columns=[])
    if path.stat().st_size == 0:
        return info, iter(())
    if fmt == "csv":
        return _read_csv(path, info, encoding)
    if fmt == "jsonl":
        return _read_jsonl(path, info, encoding)
    return _read_parquet(path, info)


def _read_csv(path: Path, info: FileRead, encoding: str | None):
    enc = detect_encoding(path, encoding)
    info.encoding = enc
    src = path
    if enc not in ("utf-8", "utf-8-sig", "utf8"):
        src = _to_utf8(path, enc)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(src, "rb") as f:
        head = f.readline()
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    header = next(iter(_csv_rows(head.decode("utf-8"), delimiter)), [])
    header = [h.strip() for h in header]
    if not header or all(h == "" for h in header):
        return info, iter(())
    info.columns = header

    def on_invalid(row: pacsv.InvalidRow) -> str:
        # pyarrow's streaming reader does not know row numbers; they are recovered afterwards
        # by `number_bad_csv_rows` (only for files that have bad rows).
        info.bad.append(BadRecord(-1, row.text or "", "malformed_row",
                                  f"expected {row.expected_columns} fields, found {row.actual_columns}"))
        return "skip"

    reader = pacsv.open_csv(
        src,
        read_options=pacsv.ReadOptions(block_size=1 << 24, encoding="utf8", use_threads=False),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid,
                                         newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header},
            strings_can_be_null=True,
            null_values=[""],
            quoted_strings_can_be_null=True,
        ),
    )
    info.utf8_path = src

    def gen() -> Iterator[pa.RecordBatch]:
        # Good records are numbered in order; `number_bad_csv_rows` shifts them past bad ones.
        start = 1
        for batch in reader:
            n = batch.num_rows
            yield batch.append_column("_row", pa.array(range(start, start + n), pa.int64()))
            start += n

    return info, gen()


def _csv_rows(text: str, delimiter: str):
    import csv

    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _jsonable(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _read_jsonl(path: Path, info: FileRead, encoding: str | None):
    enc = detect_encoding(path, encoding)
    info.encoding = enc
    # Columns: union of keys over the file, in first-seen order (one cheap pass).
    cols: dict[str, None] = {}
    with open(path, encoding=enc) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                for k in obj:
                    cols.setdefault(k, None)
    info.columns = list(cols)
    if not cols:
        return info, iter(())

    def gen() -> Iterator[pa.RecordBatch]:
        names = info.columns
        buf: dict[str, list] = {c: [] for c in names}
        rows: list[int] = []
        with open(path, encoding=enc) as f:
            for i, line in enumerate(f, start=1):
                s = line.strip()
                if not s:
                    continue
                try:
                    obj = json.loads(s)
                    if not isinstance(obj, dict):
                        raise ValueError("not an object")
                except (json.JSONDecodeError, ValueError) as e:
                    info.bad.append(BadRecord(i, s[:200], "unparseable_json", f"line is not a JSON object: {e}"))
                    continue
                for c in names:
                    buf[c].append(_jsonable(obj.get(c)))
                rows.append(i)
                if len(rows) >= BATCH_ROWS:
                    yield _batch(buf, rows)
                    buf = {c: [] for c in names}
                    rows = []
        if rows:
            yield _batch(buf, rows)

    return info, gen()


def _batch(buf: dict[str, list], rows: list[int]) -> pa.RecordBatch:
    arrays = [pa.array(v, pa.string()) for v in buf.values()] + [pa.array(rows, pa.int64())]
    return pa.RecordBatch.from_arrays(arrays, names=[*buf.keys(), "_row"])


def _read_parquet(path: Path, info: FileRead):
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several kinds
        raise InputError(f"{path}: not a readable Parquet file: {e}") from None
    info.columns = pf.schema_arrow.names

    def gen() -> Iterator[pa.RecordBatch]:
        start = 1
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            n = batch.num_rows
            yield batch.append_column("_row", pa.array(range(start, start + n), pa.int64()))
            start += n

    return info, gen()
