"""The report's HTML printed to PDF by headless Chromium: the first pages render to images and the
text layer holds the Chinese text and the index (Debian: chromium, fonts-noto-cjk, poppler-utils)."""
from __future__ import annotations

import subprocess

from PIL import Image

from lashi.report import html_to_pdf, report_name

from .conftest import PERIOD


def test_pdf_pages_render_and_text_layer_is_chinese(report_run, tmp_path):
    ws, out, _ = report_run
    html = out / f"{report_name(PERIOD, 'zh')}.html"
    pdf = html_to_pdf(html, tmp_path / "report.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-f", "1", "-l", "3", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    for p in pages:
        im = Image.open(p).convert("L")
        assert im.size[0] > 300 and im.size[1] > 400
        dark = sum(im.histogram()[:128])
        assert dark > 500, f"{p.name} is blank"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "售后" in text and "行业整体评估结果" in text and "责任划分清晰度" in text
    import re
    m = re.search(r"售后健康指数\s*\n?\s*([0-9]+\.[0-9])", text)
    from lashi.workflow import run_evaluation
    idx = run_evaluation(ws, PERIOD, B=0).evaluation.index
    value = idx.loc[idx["subject_id"] == "INDUSTRY", "index"].iloc[0]
    assert f"{value:.1f}" in text
    assert m is None or m.group(1) == f"{value:.1f}"
