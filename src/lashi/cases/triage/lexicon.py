"""Beauty lexicon with negation-scope marking.

Each lexicon hit becomes a pseudo-token ``LEX_<group>``; a hit inside the scope of a preceding
negator becomes ``NEG_<group>`` instead. Where negation denies the problem (没有过敏, 不是假货,
并没有漏, 不红不痒) the hit is also masked in the text handed to the character n-gram model, so
that "过敏" in "没有过敏" is not read as allergy; where the negated mention is the complaint itself
(没有赠品, 还没发货, 不是正品) the text is kept. A hit the consumer chose not to pursue (懒得退) becomes
``OPT_<group>`` and is masked; a praised one (物流很快) becomes ``POS_<group>`` and is masked.
"""
from __future__ import annotations

import re
from functools import lru_cache

# group -> terms. Groups are finer than categories on purpose (the model learns the mapping).
LEXICON: dict[str, tuple[str, ...]] = {
    "symptom": ("过敏", "泛红", "发红", "红肿", "肿", "刺痛", "刺疼", "灼热", "灼烧", "火辣辣", "瘙痒", "痒",
                "起疹", "红疹", "疹子", "湿疹", "风团", "红斑", "红点", "红疙瘩", "小疙瘩", "爆痘", "烂脸",
                "脱皮", "水泡", "渗液", "皮炎", "不良反应", "头皮痒", "发炎", "刺激", "发烫", "辣痛",
                "脸红", "脸就红", "红了", "又红", "通红", "红成", "红红的", "一块一块红", "红一块", "红痘",
                "冒痘", "长痘", "出了一脸痘", "满脸痘", "起泡", "小泡", "针扎", "发麻", "麻麻的", "烧起来",
                "又烫", "更烫", "刺刺的", "有点刺", "好转反应",
                # reactions to ingested products (oral beauty: 胶原蛋白饮, 酵素, 代餐; food in the real reviews)
                "拉肚子", "闹肚子", "腹泻", "肚子疼", "肚子痛", "呕吐", "上吐下泻", "食物中毒"),
    "severe": ("医院", "就医", "急诊", "住院", "皮肤科", "打针", "点滴", "激素", "休克", "睁不开", "呼吸",
               "眼科", "病历", "医药费"),
    "child": ("孩子", "宝宝", "小孩", "儿童", "女儿", "儿子", "婴儿", "孕妇", "怀孕", "娃"),
    "fit": ("卡粉", "脱妆", "搓泥", "闷痘", "干枯", "浮粉", "斑驳", "起皮", "假面", "氧化", "晕妆", "毛躁",
            "闭口", "粉刺", "脂肪粒", "太油", "太干", "拔干", "不服帖", "不适合", "肤质", "油皮", "干皮",
            "混油", "混干", "持妆", "不吸收", "黏"),
    "logistics": ("送货", "快递员", "配送员", "骑手", "外卖小哥", "快递小哥", "快递", "物流", "送错",
                  "发错", "没收到", "配送", "送餐", "送到", "超时", "太慢", "签收", "发货"),
    "damage": ("漏液", "漏了", "漏", "压坏", "压碎", "压扁", "压烂", "破损", "碎了", "洒了", "撒了"),
    "claim": ("成分", "含量", "宣传", "夸大", "没效果", "没有效果", "无效", "效果", "虚假", "忽悠",
              "智商税", "名不副实", "号称", "说好的", "主播说", "直播间说", "直播说", "成分表", "原液",
              "浓度", "功效", "见效", "美白", "淡斑", "抗皱", "祛痘",
              # what was said or written before the sale (没有宣传的那么好, 说是2K屏, 广告太假)
              "广告", "说明书", "介绍的", "宣传的", "说的那么", "标称", "标注", "所谓的", "误导", "言过其实",
              "吹得", "噱头", "说是", "写着", "承诺"),
    "mismatch": ("不符", "货不对板", "不一样", "对不上", "色差", "图片", "描述", "缩水", "色号", "配方",
                 "无酒精", "无香精", "0添加", "零添加", "无添加", "排在", "第五位", "第八位"),
    "fake": ("假货", "水货", "翻新", "高仿", "仿的", "山寨", "冒牌", "假的", "批号", "二手"),
    # genuineness words: affirmed they are reassurance or doubt (是正品吗), negated they are the
    # complaint itself (不是正品, 没有防伪码) — see NEGATION_AFFIRMS
    "genuine": ("正品", "防伪", "专柜验"),
    "gift": ("赠品", "小样", "送的", "赠送", "买一送", "试用装", "礼盒", "漏发", "少发", "旅行装", "赠",
             "礼品", "礼物", "没送", "不送", "送了", "都没送", "活动送", "优惠券", "返券"),
    "refund": ("退款", "退货", "换货", "退换", "退钱", "不给退", "七天无理由", "7天无理由", "价保",
               "补差价", "驳回"),
    # who was contacted (a mention alone is often neutral: 问了客服) ...
    "service": ("客服", "售后", "商家", "卖家", "店家", "机器人", "自动回复"),
    # ... and how they behaved (the complaint itself)
    "attitude": ("态度", "推诿", "踢皮球", "推给", "推来推去", "不理", "不回复", "敷衍", "拉黑", "爱理不理",
                 "不耐烦", "找不到人", "没人理", "没人回", "不回", "联系不上", "打不通", "推脱", "推卸"),
    "threat": ("12315", "315", "投诉", "消协", "曝光", "媒体", "律师", "起诉", "报警", "工商", "举报", "维权"),
    "anger": ("垃圾", "骗子", "骗人", "气死", "坑", "恶心", "无语", "什么玩意", "黑心", "滚", "差劲",
              "智商税", "割韭菜", "冤种", "😡", "！！", "!!", "？？"),
    "sad": ("失望", "后悔", "可惜", "遗憾", "郁闷", "难受", "伤心", "心塞", "😭", "😢", "唉", "哎"),
}

# Groups where a negated mention denies the problem (没有过敏, 不是假货, 并没有漏): such hits are
# masked. Elsewhere the negated mention is often the complaint itself (没有赠品, 还没发货, 没退款,
# 没有宣传的那么好, 客服不回复) and the text is kept; the NEG_ token is emitted either way.
NEGATION_DENIES = {"symptom", "severe", "fit", "damage", "mismatch", "fake"}
# Groups whose negation affirms another group's problem: 不是正品 / 没有防伪码 → a fake.
NEGATION_AFFIRMS = {"genuine": "fake"}
# Question forms are not negation: 是不是翻新的, 有没有过敏.
_QUESTION = ("是不是", "有没有", "会不会", "能不能", "是否")

NEGATORS = ("并没有", "没有", "并没", "也没", "都没", "不是", "懒得", "没", "不", "无", "未", "别")
# Negators of the consumer's own choice (懒得退了, 也不想退换, 就没退): the problem was not pursued.
# Such a hit becomes ``OPT_<group>`` and is masked in every group (damping: triage.OPT_DAMPED).
OPT_NEGATORS = ("懒得", "不想", "没想", "不打算", "就没", "也就没", "不愿")
# Terms that themselves begin with a negator are never treated as negated.
_CLAUSE = re.compile(r"[，,。.！!？?；;、\s~～]")
_NEG_WINDOW = 4


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    owner: dict[str, list[str]] = {}
    for group, terms in LEXICON.items():
        for t in terms:
            owner.setdefault(t, []).append(group)
    alts = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alts)), owner


def _negated(text: str, start: int) -> str:
    """"" (not negated), "neg" (negated) or "opt" (the consumer chose not to: 懒得退)."""
    left = text[max(0, start - _NEG_WINDOW):start]
    # cut at the last clause boundary: negation does not cross punctuation
    parts = _CLAUSE.split(left)
    left = parts[-1] if parts else ""
    if not left:
        return ""
    if any(o in left for o in OPT_NEGATORS):
        return "opt"
    if any(q in left for q in _QUESTION):
        return ""
    for n in NEGATORS:
        i = left.rfind(n)
        if i < 0:
            continue
        between = left[i + len(n):]
        # "不红不痒" / "没有刺痛没有泛红": negator directly (or nearly) before the term
        if len(between) <= 2 and not any(c in between for c in "但却就还而"):
            return "neg"
    return ""


# Groups whose mention is often praise in a complaint about something else
# ("物流很快，但是苹果烂了", "送餐员态度很好", "一星是给快递的").
_PRAISABLE = {"logistics", "service", "attitude"}
_POS_EVAL = re.compile(r"^好(?!几|多|久|慢|差)|很快|挺快|超快|快的|速度快|迅速|及时|准时|很好|挺好|非常好|也好|不错|给力|很赞|赞|没得说|没话说|"
                       r"满意|辛苦|负责|热情|耐心|还可以|还行|好评|五星|5分|5星")
_NEG_EVAL = re.compile(r"慢|差|不好|不行|不及时|不准时|晚了|迟|久|恶劣|不耐烦|垃圾|烂|坏|破|漏|(?<!不)错|不理|不回|没人|敷衍|"
                       r"态度不|不怎么|太(?!好|快)")
_RIGHT = 8


def _praised(text: str, start: int, end: int) -> bool:
    right = _CLAUSE.split(text[end:end + _RIGHT])[0]
    if _NEG_EVAL.search(right):
        return False
    if _POS_EVAL.search(right):
        return True
    left = _CLAUSE.split(text[max(0, start - 8):start])[-1]
    # "一星是给快递的" / "一颗星给快递小哥": the star goes to the courier, the complaint is elsewhere
    return bool(re.search(r"[星分].{0,4}给$", left))


def analyse(text: str) -> tuple[str, list[str]]:
    """Return (text with negated or praised lexicon hits masked, lexicon tokens)."""
    pat, owner = _pattern()
    toks: list[str] = []
    out: list[str] = []
    last = 0
    for m in pat.finditer(text):
        term = m.group(0)
        neg = _negated(text, m.start()) if term[0] not in "没不无" else ""
        pos = (not neg and any(g in _PRAISABLE for g in owner[term])
               and _praised(text, m.start(), m.end()))
        for g in owner[term]:
            if neg == "neg" and g in NEGATION_AFFIRMS:
                toks.append("LEX_" + NEGATION_AFFIRMS[g])
                continue
            toks.append(("OPT_" if neg == "opt" else "NEG_" if neg else
                         "POS_" if pos and g in _PRAISABLE else "LEX_") + g)
        if (neg == "opt" or (neg and any(g in NEGATION_DENIES for g in owner[term]))
                or pos):
            out.append(text[last:m.start()])
            out.append("〇" * len(term))
            last = m.end()
    out.append(text[last:])
    return "".join(out), toks


def hits(text: str) -> dict[str, int]:
    """Counts of affirmed lexicon groups (negated hits excluded)."""
    _, toks = analyse(text)
    c: dict[str, int] = {}
    for t in toks:
        if t.startswith("LEX_"):
            c[t[4:]] = c.get(t[4:], 0) + 1
    return c
