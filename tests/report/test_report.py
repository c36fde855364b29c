"""`lashi report` on a small generated workspace: the HTML carries the evaluation's own figures and
switches language, the workbook has one formatted sheet per table."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from lashi.report import report_name
from lashi.scoring.config import load_catalogue
from lashi.workflow import run_evaluation

from .conftest import PERIOD


@pytest.fixture(scope="module")
def industry(report_run):
    ws, _out, _log = report_run
    ev = run_evaluation(ws, PERIOD, B=40).evaluation   # as the report ran it (the bootstrap is seeded)
    row = ev.index[ev.index["subject_id"] == "INDUSTRY"].iloc[0]
    dims = ev.dimension_scores[ev.dimension_scores["subject_id"] == "INDUSTRY"].set_index("dimension")["score"]
    return row, dims


def _html(out, lang):
    return (out / f"{report_name(PERIOD, lang)}.html").read_text(encoding="utf-8")


def test_cli_prints_index_and_files(report_run, industry):
    _ws, out, log = report_run
    row, _ = industry
    assert f"{row['index']:.1f}" in log
    for lang in ("zh", "en"):
        for ext in ("html", "xlsx"):
            assert (out / f"{report_name(PERIOD, lang)}.{ext}").stat().st_size > 10_000


def test_html_zh_has_index_dimensions_and_sections(report_run, industry):
    _ws, out, _ = report_run
    row, dims = industry
    html = _html(out, "zh")
    # the overall index, its interval and case count as the evaluation gives them
    assert f"{row['index']:.1f}" in html
    assert f"90%区间 {row['lo']:.1f}–{row['hi']:.1f}" in html
    assert f"{int(row['cases']):,}" in html
    for d in load_catalogue().dimensions:
        assert d.zh in html
        assert f"{d.id} {d.zh} — {dims[d.id]:.1f}" in html
    for heading in ("一、行业整体评估结果", "二、不同主体评估差异", "三、核心问题根源溯源", "四、改进建议",
                    "五、治理要点", "六、风险预警", "七、评估结果验证", "附录：评估方法"):
        assert heading in html
    for group in ("头部主播", "腰部主播", "中小主播", "国际品牌", "国货品牌", "新锐小众品牌", "MCN"):
        assert group in html
    assert "售后" in html and "大促期间" in html


def test_html_is_self_contained(report_run):
    _ws, out, _ = report_run
    html = _html(out, "zh")
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert not re.search(r"url\((https?:)?//", html)
    assert html.count("<svg") >= 5          # radar, platform bars, tier dots, lost points, trend …
    assert 'aria-label="radar-industry"' in html


def test_html_en_headings_switch(report_run, industry):
    _ws, out, _ = report_run
    row, _ = industry
    html = _html(out, "en")
    assert '<html lang="en">' in html
    for heading in ("1. The industry as a whole", "2. Differences between subjects", "3. Root causes",
                    "4. Remedies (chapters 5–6)", "Appendix: method"):
        assert heading in html
    for d in load_catalogue().dimensions:
        assert d.en in html
    assert f"{row['index']:.1f}" in html
    for zh in ("一、行业整体评估结果", "核心问题根源溯源", "行业整体"):
        assert zh not in html
    assert "head streamers" in html and "international brands" in html


def test_xlsx_sheets_formats_and_index(report_run, industry):
    _ws, out, _ = report_run
    row, dims = industry
    wb = load_workbook(out / f"{report_name(PERIOD, 'zh')}.xlsx")
    names = wb.sheetnames
    assert names[0] == "摘要"
    for expected in ("六大维度得分", "平台", "主播分层汇总", "品牌分层汇总", "问题指标及其集中之处", "优先改进项与对策",
                     "验证结果与结论", "所用权重（含情境锁定）"):
        assert expected in names, names
    assert any(n.startswith("D4 责任划分清晰度") for n in names)
    summary = wb["摘要"]
    cells = {summary.cell(r, 1).value: summary.cell(r, 2) for r in range(1, summary.max_row + 1)}
    assert cells["售后健康指数"].value == pytest.approx(row["index"], abs=1e-9)
    assert cells["售后健康指数"].number_format == "0.0"
    sh = wb["六大维度得分"]
    assert sh.freeze_panes == "A2"
    assert sh["A1"].font.bold and sh["A1"].fill.fgColor.rgb.endswith("374151")
    got = {sh.cell(r, 1).value: sh.cell(r, 3) for r in range(2, 8)}
    for d, score in dims.items():
        assert got[d].value == pytest.approx(score, abs=1e-9)
        assert got[d].number_format == "0.0"
    assert sh.column_dimensions["B"].width >= 10
    # an indicator sheet: shares are stored as fractions with a percent format
    d1 = wb[[n for n in names if n.startswith("D1 ")][0]]
    r1 = [r for r in range(2, d1.max_row + 1) if d1.cell(r, 1).value == "R1"][0]
    assert d1.cell(r1, 3).number_format == "0.0%" and 0 <= d1.cell(r1, 3).value <= 1
    en = load_workbook(out / f"{report_name(PERIOD, 'en')}.xlsx")
    assert en.sheetnames[0] == "Summary" and "The six dimensions" in en.sheetnames
