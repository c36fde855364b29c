"""Urgency from the text, the predicted categories and the emotion (rules, documented).

high   — an adverse reaction with a severe sign (swelling, blisters, hospital, eyes, breathing),
         a child / pregnant consumer with a reaction, or a threat to complain (12315, 消协,
         media, lawyer, police);
medium — any adverse reaction, anger, counterfeit, or several problems raised at once;
low    — otherwise.
"""
from __future__ import annotations

import re

from .lexicon import hits

SEVERE = re.compile(r"红肿|肿|水泡|渗液|睁不开|呼吸|休克|医院|急诊|住院|打针|点滴|激素|ICU|眼科|皮肤科")
THREAT = re.compile(r"12315|315|消协|消费者协会|曝光|媒体|律师|起诉|报警|工商|投诉到|要投诉|去投诉|举报")


def urgency_of(text: str, categories: list[str], emotion: str) -> str:
    h = hits(text)
    reaction = "allergy" in categories or h.get("symptom", 0) > 0
    if THREAT.search(text):
        return "high"
    if reaction and (SEVERE.search(text) or h.get("child", 0) > 0 or h.get("severe", 0) > 0):
        return "high"
    if reaction or emotion == "anger" or "counterfeit" in categories or len(categories) > 1:
        return "medium"
    return "low"
