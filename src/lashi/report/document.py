"""The report as a language-specific document: sections of paragraphs, charts and tables.

HTML (and through it PDF) and the Excel workbook are both written from this one object, so the
figures in the three files are the same.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

# Cell kinds: how a value is shown (HTML) and which number format it gets (Excel).
#   text, int, index (0.0), num (0.00), pct (a 0–1 share shown as %), weight (as %),
#   bool (✓/✗), and unit:<catalogue unit> for indicator values.
_UNIT_ZH = {"hours": "小时", "minutes": "分钟", "days": "天", "working_days": "个工作日", "count": "次"}
_UNIT_EN = {"hours": " h", "minutes": " min", "days": " days", "working_days": " working days", "count": ""}


@dataclass
class Cell:
    value: Any
    kind: str = "text"
    style: str = ""         # css class: good / warn / bad / heat-NN


@dataclass
class Table:
    key: str                # sheet id
    title: str
    columns: list[tuple[str, str]]   # (header, kind)
    rows: list[list[Any]]            # values or Cells
    note: str = ""
    xlsx_only: bool = False
    html_only: bool = False
    heat: bool = False               # colour index-like cells by score

    def cell(self, r: int, c: int) -> Cell:
        v = self.rows[r][c]
        return v if isinstance(v, Cell) else Cell(v, self.columns[c][1])


@dataclass
class Block:
    kind: str               # p, h3, chart, table, kpis, list, callout
    content: Any
    caption: str = ""


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def p(self, text: str):
        self.blocks.append(Block("p", text))

    def h3(self, text: str):
        self.blocks.append(Block("h3", text))

    def chart(self, svg: str, caption: str = ""):
        self.blocks.append(Block("chart", svg, caption))

    def table(self, t: Table):
        self.blocks.append(Block("table", t))

    def kpis(self, items: list[tuple[str, str, str]]):
        self.blocks.append(Block("kpis", items))

    def bullets(self, items: list[str]):
        self.blocks.append(Block("list", items))

    def callout(self, text: str):
        self.blocks.append(Block("callout", text))


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    summary: dict[str, Any] = field(default_factory=dict)   # key figures (for tests and Excel)

    def tables(self) -> list[Table]:
        return [b.content for s in self.sections for b in s.blocks if b.kind == "table"]


def is_num(x) -> bool:
    try:
        return x is not None and not isinstance(x, (bool, str)) and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fmt(value, kind: str, lang: str) -> str:
    """The text shown for a value of a kind."""
    if kind == "bool":
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        return "✓" if value else "✗"
    if kind == "text":
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        return str(value)
    if not is_num(value):
        return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    x = float(value)
    if kind == "int":
        return f"{x:,.0f}"
    if kind == "index":
        return f"{x:.1f}"
    if kind == "num":
        return f"{x:.2f}"
    if kind in ("pct", "weight"):
        return f"{100 * x:.1f}%"
    if kind.startswith("unit:"):
        unit = kind[5:]
        if unit == "share":
            return f"{100 * x:.1f}%"
        if unit == "nps":
            return f"{x:.1f}"
        if unit == "score":
            return f"{x:.2f}"
        suffix = (_UNIT_ZH if lang == "zh" else _UNIT_EN).get(unit, "")
        return f"{x:.2f}{suffix}" if unit == "count" else f"{x:.1f}{suffix}"
    return f"{x:g}"


def excel_format(kind: str, lang: str) -> str:
    if kind == "int":
        return "#,##0"
    if kind == "index":
        return "0.0"
    if kind == "num":
        return "0.00"
    if kind in ("pct", "weight"):
        return "0.0%"
    if kind.startswith("unit:"):
        unit = kind[5:]
        if unit == "share":
            return "0.0%"
        if unit == "score":
            return "0.00"
        if unit == "count":
            return "0.00"
        if unit == "nps":
            return "0.0"
        suffix = (_UNIT_ZH if lang == "zh" else _UNIT_EN).get(unit, "")
        return f'0.0"{suffix}"' if suffix else "0.0"
    return "General"


def std_text(op: str | None, value, unit: str, lang: str) -> str:
    """A report standard line such as ‘≥ 85.0%’."""
    if not op:
        return "—"
    sym = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}.get(op, op)
    return f"{sym} {fmt(value, 'unit:' + unit, lang)}"
