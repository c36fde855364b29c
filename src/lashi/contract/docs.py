"""Render the data contract as Markdown (docs/data-contract.md is generated from this)."""
from __future__ import annotations

import json

from . import enums as E
from .tables import TABLES

VOCABULARIES = [
    ("Subject kinds 主体类型", E.SUBJECT_KINDS), ("Tiers 层级", E.TIERS), ("Brand origins 品牌来源", E.BRAND_ORIGINS),
    ("Parties 参与方", E.PARTIES), ("Channels 渠道", E.CHANNELS), ("Case categories 工单类别", E.CASE_CATEGORIES),
    ("Case outcomes 结果", E.CASE_OUTCOMES), ("Event kinds 事件类型", E.EVENT_KINDS),
    ("Survey kinds 问卷类型", E.SURVEY_KINDS), ("Product states 商品状态", E.PRODUCT_STATES),
    ("Skin types 肤质", E.SKIN_TYPES), ("Calendar kinds 日历类型", E.CALENDAR_KINDS),
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown() -> str:
    out = [
        "# LASHI data contract / 数据契约",
        "",
        "_Generated from `lashi.contract` by `lashi contract docs`; do not edit by hand._",
        "",
        "Everything arrives as files — CSV (UTF-8 or GBK/GB18030), JSON Lines or Parquet — one file per",
        "table, named after the table (`cases.csv`, `case_events.parquet`, or chunks `cases-0001.parquet`),",
        "or through the HTTP API. Times are ISO-8601 with a zone offset; a time without one is read as",
        "+08:00. Lists are JSON arrays or `;`-separated strings. Booleans: true/false, 1/0, yes/no, 是/否.",
        "",
        "A row that breaks the contract (missing or unparseable field, unknown enum value, value out of",
        "range, unknown reference, a row rule such as an event before its case, or a duplicate id with",
        "different content) goes to the `quarantine` table with table, file, row number (1 = first data",
        "record), field, value and reason; every valid row is loaded. Loading the same file twice",
        "changes nothing. Tables are loaded in the order below (referenced tables first).",
        "",
    ]
    for t in TABLES:
        out += [f"## `{t.name}`", "", t.doc, "", f"Key: `{', '.join(t.key)}`", "",
                "| column | type | required | rule | meaning |", "| --- | --- | --- | --- | --- |"]
        for c in t.columns:
            rule = []
            if c.enum:
                rule.append(" \\| ".join(c.enum))
            if c.min is not None or c.max is not None:
                rule.append(f"[{c.min if c.min is not None else ''}, {c.max if c.max is not None else ''}]")
            if c.ref:
                rule.append(f"→ `{c.ref}`")
            out.append(f"| `{c.name}` | {c.type} | {'yes' if c.required else 'no'} | {'; '.join(rule)} | {_cell(c.doc)} |")
        if t.rules:
            out += ["", "Row rules:", ""]
            out += [f"- `{r.reason}` ({r.field}): {r.message}" for r in t.rules]
        out += ["", "Example row:", "", "```json", json.dumps(t.example_row(), ensure_ascii=False), "```", ""]
    out += ["## Vocabularies / 词表", ""]
    for title, terms in VOCABULARIES:
        out += [f"### {title}", "", "| id | 中文 | English |", "| --- | --- | --- |"]
        out += [f"| `{t.id}` | {t.zh} | {t.en} |" for t in terms]
        out.append("")
    out += ["Money events (carry `amount` and `payer`): " + ", ".join(f"`{k}`" for k in E.MONEY_EVENTS),
            "", "Events naming a party (`party`): " + ", ".join(f"`{k}`" for k in E.PARTY_EVENTS), ""]
    return "\n".join(out)
