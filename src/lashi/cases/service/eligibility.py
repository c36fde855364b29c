"""Return eligibility under the unified “affects resale” standard (统一“影响二次销售”标准) and the
platform / streamer / brand policies of rules.yaml. On conflict the most consumer-favourable
decision applies and the decision says so (the caller writes a rule_conflict event)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .config import load_rules

_UNOPENED = re.compile(r"未拆封|没拆封|没有拆封|没开封|未开封|没拆|塑封还在")
_OPENED_UNUSED = re.compile(r"(拆|打开|开封)了?(但是?|还)?(没|未)(有)?(用|使用|上脸|涂)|没(有)?用过|未使用")
_USED = re.compile(r"用了|使用了|涂了|擦了|上脸|用完|用过|敷了|用后|用到")
_EVIDENCE = re.compile(r"照片|图片|拍了|截图|病历|就医|医院|诊断|皮肤科|视频")


def infer_state(text: str) -> str | None:
    """Product state from the complaint text when the consumer did not give it."""
    t = text or ""
    if _UNOPENED.search(t):
        return "unopened"
    if _OPENED_UNUSED.search(t):
        return "opened_unused"
    if _USED.search(t):
        return "used"
    return None


def has_evidence(text: str) -> bool:
    return bool(_EVIDENCE.search(text or ""))


@dataclass(frozen=True)
class PolicyView:
    policy: str
    remedy: str
    compensation: str | None
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    remedy: str                     # none | no_reason_return | return_refund
    compensation: str | None        # e.g. jia_yi_pei_shi
    multiple: int | None
    applied_policy: str | None
    conflict: bool
    reason_zh: str
    reason_en: str
    views: list[PolicyView] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"eligible": self.eligible, "remedy": self.remedy, "compensation": self.compensation,
                "multiple": self.multiple, "applied_policy": self.applied_policy, "conflict": self.conflict,
                "reason": {"zh": self.reason_zh, "en": self.reason_en},
                "policies": [v.__dict__ for v in self.views]}


def _matches(rule: dict, state: str, category: str) -> bool:
    return (rule["state"] in ("any", state)) and (rule["categories"] == "any" or category in rule["categories"])


def _score(view: PolicyView, rules: dict) -> tuple[int, int]:
    mult = rules["compensation"][view.compensation]["multiple"] if view.compensation else 0
    return rules["remedy_rank"].index(view.remedy), mult


def decide(category: str, state: str | None, *, evidence: bool = False, days_since_order: float = 0.0,
           rules: dict | None = None) -> Eligibility:
    """The return decision for a case. `state`: unopened | opened_unused | used (None: unknown)."""
    r = rules or load_rules()
    if state is None:
        return Eligibility(False, "none", None, None, None, False,
                           "无法判断商品状态（未拆封/已拆封未使用/已使用），请补充说明",
                           "product state unknown (unopened / opened unused / used): please tell us")
    views: list[PolicyView] = []
    for name, pol in r["policies"].items():
        matching = [x for x in pol["rules"] if _matches(x, state, category)]
        if not matching:
            continue                                   # the policy says nothing about this case
        ok = [x for x in matching if days_since_order <= x["days"] and (evidence or not x.get("requires_evidence"))]
        if ok:
            best = max(ok, key=lambda x: (r["remedy_rank"].index(x["remedy"]),
                                          r["compensation"].get(x.get("compensation"), {}).get("multiple", 0)))
            views.append(PolicyView(name, best["remedy"], best.get("compensation"),
                                    f"{pol['zh']}：{best['zh']}", f"{pol['en']}: {best['en']}"))
        else:
            x = matching[0]
            why_zh = "需提供证据（照片/就医记录）" if x.get("requires_evidence") and not evidence else f"已超过{x['days']}天期限"
            why_en = ("evidence (photos / medical record) is required" if x.get("requires_evidence") and not evidence
                      else f"past the {x['days']}-day window")
            views.append(PolicyView(name, "none", None, f"{pol['zh']}：{x['zh']}，但{why_zh}",
                                    f"{pol['en']}: {x['en']}, but {why_en}"))
    if not views:
        no_zh = {"used": "已使用商品不支持无理由退货，且该问题类型不在可退范围",
                 "unopened": "超出7天无理由退货期限", "opened_unused": "超出退货期限"}[state]
        no_en = {"used": "a used product has no no-reason return and this kind of problem is not covered",
                 "unopened": "past the 7-day no-reason window", "opened_unused": "past the return window"}[state]
        return Eligibility(False, "none", None, None, None, False, no_zh, no_en, [])
    best = max(views, key=lambda v: _score(v, r))
    conflict = len({(v.remedy, v.compensation) for v in views}) > 1
    mult = r["compensation"][best.compensation]["multiple"] if best.compensation else None
    zh, en = best.reason_zh, best.reason_en
    if conflict:
        others_zh = "；".join(v.reason_zh for v in views if v is not best)
        others_en = "; ".join(v.reason_en for v in views if v is not best)
        zh = f"{zh}（规则冲突，按最有利于消费者的规则执行；另：{others_zh}）"
        en = f"{en} (policies conflict: the most consumer-favourable applies; others: {others_en})"
    return Eligibility(best.remedy != "none", best.remedy, best.compensation, mult,
                       best.policy, conflict, zh, en, views)
