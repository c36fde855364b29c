"""The report's tables as an Excel workbook: a summary sheet, then one formatted sheet per table
(header style, column widths, number formats, frozen header, filter)."""
from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

from .document import Document, Table, excel_format, is_num

_FILLS = {"heat-0": "FDE2E2", "heat-1": "FDEBD3", "heat-2": "FEF6D8", "heat-3": "E6F4D7", "heat-4": "CDEBC0"}
_FONTS = {"good": "15803D", "bad": "B91C1C", "warn": "B45309"}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(s))


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"^(表|Table)\s*([A-Z]\d[\d.]*|[\d.]+)?\s*", "", title).strip() or title
    name = re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip()
    base, k = name, 2
    while name.lower() in used:
        suffix = f" {k}"
        name = base[:31 - len(suffix)] + suffix
        k += 1
    used.add(name.lower())
    return name


def _value(cell):
    v = cell.value
    if cell.kind == "bool":
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else ("✓" if v else "✗")
    if cell.kind == "text":
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    if is_num(v):
        return float(v) if not isinstance(v, int) else v
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def write_xlsx(doc: Document, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    lang = doc.lang
    wb = Workbook()
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="374151")
    thin = Side(style="thin", color="E5E7EB")
    wrap = Alignment(wrap_text=True, vertical="top")

    ws = wb.active
    ws.title = "摘要" if lang == "zh" else "Summary"
    ws["A1"] = doc.title
    ws["A1"].font = Font(bold=True, size=14, color="B4235A")
    ws["A2"] = doc.subtitle
    r = 4
    for k, v in doc.meta:
        ws.cell(r, 1, k).font = Font(bold=True)
        ws.cell(r, 2, v)
        r += 1
    r += 1
    s = doc.summary
    labels = ([("售后健康指数", "index", "0.0"), ("区间下限", "lo", "0.0"), ("区间上限", "hi", "0.0"), ("等级", "band", None),
               ("工单数", "cases", "#,##0"), ("最弱维度", "weakest_dimension", None), ("最优维度", "strongest_dimension", None)]
              if lang == "zh" else
              [("Health index", "index", "0.0"), ("Interval low", "lo", "0.0"), ("Interval high", "hi", "0.0"), ("Band", "band", None),
               ("Cases", "cases", "#,##0"), ("Weakest dimension", "weakest_dimension", None), ("Strongest dimension", "strongest_dimension", None)])
    for lab, key, nf in labels:
        ws.cell(r, 1, lab).font = Font(bold=True)
        c = ws.cell(r, 2, s.get(key))
        if nf:
            c.number_format = nf
        r += 1
    r += 1
    ws.cell(r, 1, "工作表" if lang == "zh" else "Sheets").font = Font(bold=True)
    r += 1
    used = {ws.title.lower()}
    tables: list[tuple[str, Table]] = [(_sheet_name(t.title, used), t) for t in doc.tables() if not t.html_only]
    for name, t in tables:
        ws.cell(r, 1, name)
        ws.cell(r, 2, t.title)
        r += 1
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 70

    for name, t in tables:
        sh = wb.create_sheet(name)
        sh.append([h for h, _k in t.columns])
        for c in range(1, len(t.columns) + 1):
            cell = sh.cell(1, c)
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        widths = [_width(h) + 2 for h, _k in t.columns]
        for ri in range(len(t.rows)):
            for ci in range(len(t.columns)):
                src = t.cell(ri, ci)
                v = _value(src)
                cell = sh.cell(ri + 2, ci + 1, v)
                if src.kind not in ("text", "bool") and isinstance(v, (int, float)):
                    cell.number_format = excel_format(src.kind, lang)
                    shown = len(f"{v:,.2f}") + 2
                else:
                    shown = _width(v or "") + 2
                    if shown > 40:
                        cell.alignment = wrap
                if src.style in _FILLS:
                    cell.fill = PatternFill("solid", fgColor=_FILLS[src.style])
                elif src.style in _FONTS:
                    cell.font = Font(bold=True, color=_FONTS[src.style])
                cell.border = Border(bottom=thin)
                widths[ci] = max(widths[ci], min(shown, 60))
        for ci, wdt in enumerate(widths, 1):
            sh.column_dimensions[get_column_letter(ci)].width = max(8, min(wdt, 60))
        sh.row_dimensions[1].height = 30
        sh.freeze_panes = "A2"
        if t.rows:
            sh.auto_filter.ref = f"A1:{get_column_letter(len(t.columns))}{len(t.rows) + 1}"
        if t.note:
            sh.cell(len(t.rows) + 3, 1, t.note).font = Font(italic=True, color="6B7280")
    wb.properties.title = doc.title
    wb.properties.creator = "LASHI"
    path = Path(path)
    wb.save(path)
    return path
