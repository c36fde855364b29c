"""The closed vocabularies of the data contract (spec §2, §8).

Every other package takes its enum values from here, so there is one vocabulary.
Each value carries a Chinese and an English label for user-facing text.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str


def _ids(terms: tuple[Term, ...]) -> tuple[str, ...]:
    return tuple(t.id for t in terms)


SUBJECT_KINDS = (
    Term("platform", "平台", "platform"),
    Term("streamer", "主播", "streamer"),
    Term("brand", "品牌", "brand"),
    Term("mcn", "MCN机构", "MCN agency"),
)

TIERS = (
    Term("head", "头部", "head"),
    Term("mid", "腰部", "mid"),
    Term("small", "尾部/中小", "small"),
    Term("niche", "小众", "niche"),
)

# Brands are further told apart by origin, as the report compares them (chapter 4.2).
BRAND_ORIGINS = (
    Term("international", "国际品牌", "international"),
    Term("domestic", "国货品牌", "domestic"),
    Term("niche", "小众品牌", "niche"),
)

PARTIES = (
    Term("platform", "平台", "platform"),
    Term("streamer", "主播", "streamer"),
    Term("brand", "品牌", "brand"),
    Term("mcn", "MCN机构", "MCN agency"),
    Term("logistics", "物流", "logistics"),
    Term("consumer", "消费者", "consumer"),
    Term("ai", "AI客服", "AI agent"),
)

# Where the consumer first raised the case.
CHANNELS = (
    Term("platform", "平台", "platform"),
    Term("streamer", "主播团队", "streamer team"),
    Term("brand", "品牌", "brand"),
)

CASE_CATEGORIES = (
    Term("ingredient_mismatch", "成分不符/货不对板", "ingredient mismatch"),
    Term("false_advertising", "功效夸大/虚假宣传", "false advertising"),
    Term("allergy", "过敏/不良反应", "allergy / adverse reaction"),
    Term("skin_fit", "肤质不适配", "skin fit"),
    Term("logistics_damage", "物流破损/漏液", "logistics damage"),
    Term("return_refund", "退换货/退款难", "return / refund"),
    Term("gift_missing", "赠品缺失", "missing gift"),
    Term("counterfeit", "假货/水货", "counterfeit"),
    Term("service_attitude", "客服态度/推诿", "service attitude / buck-passing"),
    Term("other", "其他", "other"),
)

CASE_OUTCOMES = (
    Term("open", "处理中", "open"),
    Term("resolved", "已解决", "resolved"),
    Term("unresolved", "未解决关闭", "closed unresolved"),
    Term("withdrawn", "消费者撤回", "withdrawn"),
)

EVENT_KINDS = (
    Term("created", "创建工单", "created"),
    Term("routed", "分派至责任方", "routed to a party"),
    Term("ai_reply", "AI回复", "AI reply"),
    Term("escalated_to_human", "转人工", "escalated to human"),
    Term("human_reply", "人工回复", "human reply"),
    Term("transfer", "转交其他主体", "transfer to another party"),
    Term("evidence_requested", "要求举证", "evidence requested"),
    Term("evidence_received", "收到证据", "evidence received"),
    Term("refund_requested", "申请退款", "refund requested"),
    Term("return_received", "收到退货", "return received"),
    Term("refund_issued", "退款到账", "refund issued"),
    Term("rule_conflict", "规则冲突", "rule conflict"),
    Term("resolved", "已解决", "resolved"),
    Term("closed", "已关闭", "closed"),
    Term("reopened", "重新打开", "reopened"),
    Term("arbitration_opened", "发起仲裁", "arbitration opened"),
    Term("arbitration_decided", "仲裁裁决", "arbitration decided"),
    Term("compensation_offered", "提出补偿", "compensation offered"),
    Term("compensation_accepted", "接受补偿", "compensation accepted"),
    Term("medical_compensation_paid", "医疗费用补偿", "medical compensation paid"),
    Term("qc_checked", "智能质检", "quality-checked"),
    Term("anger_detected", "识别到愤怒情绪", "anger detected"),
    Term("senior_agent_assigned", "分配资深客服", "senior agent assigned"),
    Term("care_package_sent", "发送关怀礼包", "care package sent"),
    Term("follow_up_created", "创建回访任务", "follow-up task created"),
    Term("follow_up_done", "完成回访", "follow-up done"),
)

# Events where money moves carry an amount and the paying party.
MONEY_EVENTS = ("refund_issued", "compensation_accepted", "medical_compensation_paid")
# Events that name another party (transfer target, routed queue, party found responsible).
PARTY_EVENTS = ("transfer", "routed", "arbitration_decided")

COMPENSATION_KINDS = (
    Term("personalized", "个性化补偿", "personalized"),
    Term("standard", "标准补偿", "standard"),
)

MESSAGE_SENDERS = (
    Term("consumer", "消费者", "consumer"),
    Term("agent", "人工客服", "agent"),
    Term("ai", "AI客服", "AI agent"),
)

SURVEY_KINDS = (
    Term("csat", "满意度(1–5)", "CSAT (1–5)"),
    Term("nps", "推荐意愿(0–10)", "NPS (0–10)"),
    Term("follow_up", "回访是否满意", "follow-up satisfied (0/1)"),
)
SURVEY_RANGES = {"csat": (1, 5), "nps": (0, 10), "follow_up": (0, 1)}

PRODUCT_CATEGORIES = (
    Term("skincare", "护肤", "skincare"),
    Term("makeup", "彩妆", "makeup"),
    Term("fragrance", "香水", "fragrance"),
    Term("haircare", "洗护", "haircare"),
    Term("bodycare", "身体护理", "body care"),
)

PRODUCT_STATES = (
    Term("unopened", "未拆封", "unopened and intact"),
    Term("opened_unused", "已拆封未使用", "opened, unused"),
    Term("used", "已使用", "used"),
)

RATER_KINDS = (
    Term("expert", "专家", "expert"),
    Term("consumer", "消费者", "consumer"),
)

CALENDAR_KINDS = (
    Term("promotion", "大促", "promotion window"),
    Term("holiday", "法定假日", "public holiday"),
    Term("workday", "调休工作日", "adjusted working day"),
)

SKIN_TYPES = (
    Term("dry", "干性", "dry"),
    Term("oily", "油性", "oily"),
    Term("combination", "混合性", "combination"),
    Term("normal", "中性", "normal"),
    Term("sensitive", "敏感肌", "sensitive"),
)

TONES = (
    Term("positive_empathetic", "积极/共情", "positive or empathetic"),
    Term("neutral", "中性", "neutral"),
    Term("cold", "冷漠", "cold"),
)

EMOTIONS = (
    Term("anger", "愤怒", "anger"),
    Term("disappointment", "失望", "disappointment"),
    Term("neutral", "中性", "neutral"),
)


def ids(terms: tuple[Term, ...]) -> tuple[str, ...]:
    """The ids of a vocabulary, in declaration order."""
    return _ids(terms)


def label(terms: tuple[Term, ...], term_id: str, lang: str = "zh") -> str:
    for t in terms:
        if t.id == term_id:
            return t.zh if lang == "zh" else t.en
    raise KeyError(term_id)
