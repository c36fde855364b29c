"""Emotion handling and quality check (智能质检): anger → senior agent and a care package; every
agent / AI reply scored for tone; a qc_checked event on every case."""
from __future__ import annotations

from .config import load_rules

# Drafted replies by category; a polite, empathetic template the tone model then scores.
REPLIES = {
    "allergy": "非常抱歉给您带来不适，请先停用产品，用清水轻柔洗脸并冷敷；如症状加重请及时就医。麻烦您拍下患处照片和成分表，我们马上为您处理。",
    "ingredient_mismatch": "非常理解您的担心，我们已核对直播宣传与商品成分表，会尽快给您明确答复并按规则为您处理退款。",
    "false_advertising": "抱歉宣传与实际效果不符让您失望了，我们已记录并转交主播团队核实，会尽快为您处理退货退款。",
    "counterfeit": "非常重视您反映的真伪问题，请提供商品批号和包装照片，我们会尽快为您核验并按赔付规则处理。",
    "logistics_damage": "很抱歉商品在运输中受损，请拍下外包装和商品照片，我们会尽快为您补发或退款。",
    "gift_missing": "抱歉赠品没有送到，我们已核对直播间承诺，会尽快为您补发。",
    "return_refund": "您好，我们已收到您的退款申请，会尽快为您处理，请您放心。",
    "skin_fit": "抱歉产品不太适合您的肤质，我们会为您提供适合的使用建议，并按规则为您办理退换。",
    "service_attitude": "非常抱歉之前的服务让您不满意，我们已安排专人负责您的问题，直到解决为止。",
    "other": "您好，感谢您的反馈，我们会尽快为您处理。",
}
ANGER_PREFIX = "非常抱歉让您这么生气，我们已为您安排资深客服专人跟进。"


def draft_reply(category: str, emotion: str) -> str:
    text = REPLIES.get(category, REPLIES["other"])
    return ANGER_PREFIX + text if emotion == "anger" else text


def anger_events(emotion: str, queue: str, rules: dict | None = None) -> list[dict]:
    """Events to write when the consumer is angry: anger_detected, senior_agent_assigned and
    care_package_sent (by the responsible party)."""
    if emotion != "anger":
        return []
    cfg = (rules or load_rules())["anger"]
    out = [{"kind": "anger_detected", "actor": "ai", "detail": "emotion=anger"}]
    if cfg.get("senior_agent"):
        out.append({"kind": "senior_agent_assigned", "actor": queue, "detail": "资深客服 senior agent"})
    if cfg.get("care_package"):
        cp = cfg["care_package"]
        out.append({"kind": "care_package_sent", "actor": queue, "detail": f"{cp['zh']} / {cp['en']}"})
    return out


def score_tone(text: str) -> str:
    from lashi.cases.triage import reply_tone

    return reply_tone(text)


def qc_event(tone: str, actor: str = "ai") -> dict:
    ok = "pass" if tone != "cold" else "fail: cold tone / 语气冷漠"
    return {"kind": "qc_checked", "actor": "ai", "detail": f"tone={tone}; {ok}; reply_by={actor}"}
