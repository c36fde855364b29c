"""Charts are inline SVG drawn with a real CJK font: Chinese labels become glyph outlines from Noto
CJK (Debian fonts-noto-cjk), not tofu boxes."""
from __future__ import annotations

import warnings

from lashi.report import charts

DIMS = ["服务响应时效", "问题解决效率", "用户满意度", "责任划分清晰度", "技术支撑能力", "情感沟通质量"]


def test_radar_has_chinese_glyphs_from_a_cjk_font():
    assert charts.cjk_font() is not None, "no CJK font: apt-get install fonts-noto-cjk"
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # matplotlib warns "Glyph … missing from font(s)" for tofu
        svg = charts.radar(DIMS, [("行业整体", [73.9, 67.9, 56.0, 26.0, 47.8, 52.4], charts.ACCENT),
                                  ("良好线 70", [70] * 6, charts.MUTED)], name="radar-test")
    assert svg.startswith('<svg class="chart"') and "viewBox" in svg
    assert "CJK" in svg                      # glyph outlines defined from the CJK font
    assert 'id="radartest-' in svg           # ids are prefixed so several charts can share a page


def test_interval_bars_and_trend_render():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bars = charts.interval_bars(["抖音", "淘宝直播", "快手"], [64.5, 63.3, 29.2], [63.9, 62.9, 28.1],
                                    [65.1, 63.7, 30.9], name="bars-test", xlabel="售后健康指数")
        trend = charts.trend(["2025-10", "2025-11"], [60.1, 58.0], ["2025-12"], [59.0], [57.0], [61.0], name="trend-test")
    assert "<svg" in bars and "<svg" in trend
    assert bars.count("<svg") == 1
