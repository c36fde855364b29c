"""Chunked table writers: Parquet (one row group per chunk, via ParquetWriter), CSV and JSON Lines.

Timestamps are written as ISO-8601 with the +08:00 offset in CSV/JSONL (Parquet keeps typed
timestamps with the zone); list columns become JSON arrays in CSV.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("parquet", "csv", "jsonl")


def _textual(t: pa.Table) -> pa.Table:
    cols = []
    for f, col in zip(t.schema, t.columns):
        if pa.types.is_timestamp(f.type):
            s = pc.strftime(col, format="%Y-%m-%dT%H:%M:%S")
            col = pc.binary_join_element_wise(s, pa.scalar("+08:00"), "")
        elif pa.types.is_date(f.type):
            col = pc.strftime(col, format="%Y-%m-%d")
        elif pa.types.is_list(f.type):
            col = pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in col.to_pylist()],
                           pa.string())
        cols.append(col)
    return pa.table(cols, names=t.column_names)


class TableWriter:
    def __init__(self, path: Path, fmt: str):
        self.path = Path(path)
        self.fmt = fmt
        self.rows = 0
        self._w = None
        self._schema = None
        self._fh = None

    def write(self, t: pa.Table) -> None:
        if self._schema is None:
            self._schema = t.schema
        elif t.schema != self._schema:
            t = t.cast(self._schema)
        self.rows += t.num_rows
        if self.fmt == "parquet":
            if self._w is None:
                self._w = pq.ParquetWriter(self.path, self._schema, compression="zstd")
            self._w.write_table(t, row_group_size=max(1, t.num_rows))
            return
        tt = _textual(t)
        if self.fmt == "csv":
            if self._w is None:
                self._fh = open(self.path, "wb")
                self._w = pacsv.CSVWriter(self._fh, tt.schema)
            self._w.write_table(tt)
        else:
            if self._fh is None:
                self._fh = open(self.path, "w", encoding="utf-8")
                self._w = True
            for row in tt.to_pylist():
                self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._w is not None and self._w is not True:
            self._w.close()
        if self._fh is not None:
            self._fh.close()
        if self._w is None:  # nothing written: an empty file with the header only
            self.path.touch()


class Writers:
    def __init__(self, out_dir: Path, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        self.out_dir = Path(out_dir)
        self.fmt = fmt
        self.w: dict[str, TableWriter] = {}

    def write(self, name: str, t: pa.Table) -> None:
        if name.startswith("_"):
            path = self.out_dir / "_truth" / f"{name[1:]}.parquet"
            fmt = "parquet"
        else:
            path = self.out_dir / f"{name}.{self.fmt}"
            fmt = self.fmt
        if name not in self.w:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.w[name] = TableWriter(path, fmt)
        self.w[name].write(t)

    def close(self) -> dict[str, int]:
        for tw in self.w.values():
            tw.close()
        return {k: v.rows for k, v in self.w.items()}
