"""Building blocks of the data contract: columns, row rules and tables.

A table says which columns it has, their types, which are required, what values they may take,
what they refer to, and the cross-field rules a row must satisfy. The loader turns these into
checks; the docs generator turns them into `docs/data-contract.md`; the sample generator writes
rows that satisfy them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["str", "int", "float", "bool", "timestamp", "date", "enum", "list", "json"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    doc: str
    required: bool = True
    enum: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    # "table.column" this column refers to (foreign key); checked at load time.
    ref: str | None = None
    # Extra allowed values of a ref that are not ids (e.g. "" meaning none).
    example: object = None

    @property
    def sql_type(self) -> str:
        return {
            "str": "VARCHAR",
            "enum": "VARCHAR",
            "int": "BIGINT",
            "float": "DOUBLE",
            "bool": "BOOLEAN",
            "timestamp": "TIMESTAMPTZ",
            "date": "DATE",
            "list": "VARCHAR[]",
            "json": "JSON",
        }[self.type]


@dataclass(frozen=True)
class RowRule:
    """A cross-field rule: `violation` is a SQL predicate (over the typed row `r`, and any
    referenced rows joined as in `joins`) that is TRUE when the row breaks the rule."""

    reason: str
    field: str
    violation: str
    message: str
    joins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[RowRule, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def example_row(self) -> dict[str, object]:
        return {c.name: c.example for c in self.columns}
