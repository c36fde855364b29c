"""The evaluation report (评估报告): the shape of the seed report's chapter 4 — the industry's
index and six dimensions, differences between platforms, streamers, brands and MCNs, root causes,
remedies from chapters 5–6, governance, risk outlook, validation and the method appendix — as
one self-contained HTML file, a PDF printed from it by headless Chromium, and an Excel workbook
with one formatted sheet per table, in Chinese or English.

    from lashi.report import collect, compose, write_report
    data = collect(ws, "2025-11")                 # evaluates and gathers (language-neutral)
    paths = write_report(data, out_dir, lang="zh", formats=("html", "pdf", "xlsx"))
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .compose import compose
from .data import PARTS, ReportData, collect
from .document import Document
from .pdf import PdfError, find_chromium, html_to_pdf

FORMATS = ("html", "pdf", "xlsx")

__all__ = ["collect", "compose", "write_report", "ReportData", "Document", "FORMATS", "PARTS", "PdfError",
           "find_chromium", "html_to_pdf", "report_name"]


def report_name(period: str, lang: str) -> str:
    return f"lashi-report-{period}-{lang}"


def write_report(data: ReportData, out: Path, *, lang: str = "zh", formats: Iterable[str] = FORMATS,
                 strategies: str | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Write the report in one language; returns {format: path}. PDF needs the HTML (it is
    written next to it even if not asked for)."""
    from .html import render
    from .xlsx import write_xlsx

    say = progress or (lambda _m: None)
    formats = [f.strip().lower() for f in formats if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    say("charts and text / 图表与文字")
    doc = compose(data, lang, strategies)
    stem = out / report_name(data.period, lang)
    written: dict[str, Path] = {}
    if "html" in formats or "pdf" in formats:
        say("HTML")
        html = stem.with_suffix(".html")
        html.write_text(render(doc), encoding="utf-8")
        if "html" in formats:
            written["html"] = html
        if "pdf" in formats:
            say("PDF (Chromium)")
            written["pdf"] = html_to_pdf(html, stem.with_suffix(".pdf"))
    if "xlsx" in formats:
        say("Excel")
        written["xlsx"] = write_xlsx(doc, stem.with_suffix(".xlsx"))
    return written
