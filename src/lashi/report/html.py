"""The report as one self-contained HTML file: inline CSS, charts as inline SVG, no scripts,
no external resources (it opens offline and prints to A4)."""
from __future__ import annotations

from html import escape

from .document import Document, Table, fmt

CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --accent:#b4235a; --soft:#fdf2f6; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei",
       "Helvetica Neue", Arial, sans-serif; color: var(--ink); font-size: 10.5pt; line-height: 1.6; margin: 0;
       background: #fff; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 32px 48px; }
header.cover { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 18px; }
header.cover .brand { color: var(--accent); font-weight: 700; letter-spacing: .08em; font-size: 9.5pt; }
h1 { font-size: 21pt; line-height: 1.3; margin: 6px 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 10px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 0; font-size: 9.5pt; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
nav.toc { background: #fafafa; border: 1px solid var(--line); padding: 8px 14px; margin: 12px 0 18px; font-size: 9.5pt; }
nav.toc ol { margin: 4px 0; padding-left: 0; columns: 2; list-style: none; }
nav.toc a { color: var(--ink); text-decoration: none; }
h2 { font-size: 15pt; color: var(--accent); border-bottom: 1px solid var(--line); padding-bottom: 4px; margin: 28px 0 10px;
     break-after: avoid; }
h3 { font-size: 11.5pt; margin: 18px 0 6px; break-after: avoid; }
section.doc { break-before: auto; }
section#industry, section#subjects, section#causes, section#method { break-before: page; }
p { margin: 6px 0; text-align: justify; }
ul { margin: 6px 0; padding-left: 20px; } li { margin: 3px 0; }
.kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 10px 0 12px; }
.kpi { border: 1px solid var(--line); border-left: 4px solid var(--accent); padding: 8px 10px; background: #fff; break-inside: avoid; }
.kpi .label { color: var(--muted); font-size: 8.5pt; }
.kpi .value { font-size: 17pt; font-weight: 700; line-height: 1.2; }
.kpi .sub { color: var(--muted); font-size: 8.5pt; }
figure { margin: 10px 0 14px; text-align: center; break-inside: avoid; }
figure svg.chart { width: 100%; max-width: 720px; height: auto; }
figure.radar svg.chart { max-width: 460px; }
figcaption { color: var(--muted); font-size: 8.5pt; margin-top: 2px; }
.tablewrap { margin: 8px 0 14px; }
.tablewrap .caption { font-weight: 600; font-size: 9.5pt; margin-bottom: 3px; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8.4pt; line-height: 1.35; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #374151; color: #fff; font-weight: 600; text-align: left; padding: 4px 5px; vertical-align: bottom; }
td.code { white-space: nowrap; }
th { min-width: 3.2em; }
html[lang="en"] body { font-family: "Liberation Sans", "Helvetica Neue", Arial, "DejaVu Sans", "Noto Sans CJK SC",
                       "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
td { border-bottom: 1px solid var(--line); padding: 3px 5px; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafafa; }
td.good { color: #15803d; font-weight: 600; } td.bad { color: #b91c1c; font-weight: 600; } td.warn { color: #b45309; font-weight: 600; }
td.heat-0 { background: #fde2e2 !important; } td.heat-1 { background: #fdebd3 !important; } td.heat-2 { background: #fef6d8 !important; }
td.heat-3 { background: #e6f4d7 !important; } td.heat-4 { background: #cdebc0 !important; }
.note { color: var(--muted); font-size: 8.2pt; margin-top: 3px; }
.callout { background: var(--soft); border-left: 3px solid var(--accent); padding: 6px 10px; margin: 8px 0; font-size: 9pt; }
footer { color: var(--muted); font-size: 8pt; border-top: 1px solid var(--line); margin-top: 28px; padding-top: 8px; }
@media print { main { padding: 0; max-width: none; } }
"""

_NUMERIC = ("int", "index", "num", "pct", "weight")


def _table(t: Table, lang: str) -> str:
    out = [f'<div class="tablewrap" id="t-{escape(t.key)}"><div class="caption">{escape(t.title)}</div><table>',
           "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h, _k in t.columns) + "</tr></thead><tbody>"]
    for r in range(len(t.rows)):
        tds = []
        for c in range(len(t.columns)):
            cell = t.cell(r, c)
            cls = []
            if cell.kind in _NUMERIC or cell.kind.startswith("unit:"):
                cls.append("num")
            if cell.kind == "code":
                cls.append("code")
            if cell.style:
                cls.append(cell.style)
            attr = f' class="{" ".join(cls)}"' if cls else ""
            tds.append(f"<td{attr}>{escape(fmt(cell.value, cell.kind, lang))}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    if t.note:
        out.append(f'<div class="note">{escape(t.note)}</div>')
    out.append("</div>")
    return "\n".join(out)


def render(doc: Document) -> str:
    lang = doc.lang
    body = ['<header class="cover"><div class="brand">LASHI · ' +
            escape("美妆直播售后健康指数" if lang == "zh" else "Livestream After-Sales Health Index") + "</div>",
            f"<h1>{escape(doc.title)}</h1>", f'<p class="subtitle">{escape(doc.subtitle)}</p>', '<dl class="meta">']
    for k, v in doc.meta:
        body.append(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>")
    body.append("</dl></header>")
    body.append('<nav class="toc"><strong>' + ("目录" if lang == "zh" else "Contents") + "</strong><ol>")
    for s in doc.sections:
        body.append(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>')
    body.append("</ol></nav>")
    for s in doc.sections:
        body.append(f'<section class="doc" id="{escape(s.id)}"><h2>{escape(s.title)}</h2>')
        for b in s.blocks:
            if b.kind == "p":
                body.append(f"<p>{escape(b.content)}</p>")
            elif b.kind == "h3":
                body.append(f"<h3>{escape(b.content)}</h3>")
            elif b.kind == "callout":
                body.append(f'<div class="callout">{escape(b.content)}</div>')
            elif b.kind == "list":
                body.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in b.content) + "</ul>")
            elif b.kind == "kpis":
                body.append('<div class="kpis">' + "".join(
                    f'<div class="kpi"><div class="label">{escape(a)}</div><div class="value">{escape(v)}</div>'
                    f'<div class="sub">{escape(sub)}</div></div>' for a, v, sub in b.content) + "</div>")
            elif b.kind == "chart":
                cls = ' class="radar"' if 'aria-label="radar' in b.content[:400] else ""
                body.append(f"<figure{cls}>{b.content}<figcaption>{escape(b.caption)}</figcaption></figure>")
            elif b.kind == "table" and not b.content.xlsx_only:
                body.append(_table(b.content, lang))
        body.append("</section>")
    body.append("<footer>" + escape(
        "本报告由 LASHI 依据平台导出数据自动生成；指标定义、权重与方法见附录。" if lang == "zh" else
        "Generated by LASHI from the platforms' exported data; indicator definitions, weights and method in the appendix.")
        + "</footer>")
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(doc.title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n")
