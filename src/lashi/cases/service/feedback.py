"""Feedback loop (回访): after a case closes, a survey; a low score creates a follow-up task;
recording the follow-up's result closes the task with follow_up_done and a follow_up survey."""
from __future__ import annotations

from .config import load_rules


def needs_follow_up(csat: int | None, nps: int | None, rules: dict | None = None) -> bool:
    cfg = (rules or load_rules())["feedback"]
    return (csat is not None and csat <= cfg["csat_low"]) or (nps is not None and nps <= cfg["nps_low"])


def follow_up_reason(csat: int | None, nps: int | None) -> str:
    parts = []
    if csat is not None:
        parts.append(f"csat={csat}")
    if nps is not None:
        parts.append(f"nps={nps}")
    return "low score / 低分回访: " + ", ".join(parts)


OPEN_FOLLOW_UPS_SQL = """
SELECT c.case_id, c.consumer_id, f."at" AS created_at, f.detail
FROM case_events f JOIN cases c USING (case_id)
WHERE f.kind = 'follow_up_created'
  AND NOT EXISTS (SELECT 1 FROM case_events d WHERE d.case_id = f.case_id AND d.kind = 'follow_up_done'
                  AND d."at" >= f."at")
"""
