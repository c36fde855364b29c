"""Chinese message text for the sample, composed from many fragments.

Pools of messages are composed once per run with the run's random generator (product words,
symptoms, body parts, timelines, platform words, emotions, particles, emoji …) and then sampled by
index with numpy, so that millions of messages cost no Python loop per message while the text
stays varied. Agent messages come in three tones — empathetic, neutral, cold — and the generator
picks the tone from the handling parties' true D6 quality.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

CATEGORIES = ("ingredient_mismatch", "false_advertising", "allergy", "skin_fit", "logistics_damage",
              "return_refund", "gift_missing", "counterfeit", "service_attitude", "other")
EMOTIONS = ("anger", "disappointment", "neutral")
TONES = ("empathetic", "neutral", "cold")

# product type words (index = product type code used by the generator)
PRODUCT_WORDS = ("面霜", "乳液", "洁面", "洗面奶", "面膜", "精华", "精华液", "眼霜", "防晒霜", "防晒乳",
                 "粉底液", "隔离霜", "卸妆油", "安瓶")
LABEL_TYPES = {  # source label → candidate product-type word indices
    "Moisturizer": (0, 1), "Cleanser": (2, 3, 12), "Face Mask": (4,), "Treatment": (5, 6, 13),
    "Eye cream": (7,), "Sun protect": (8, 9),
}
MAKEUP_TYPES = (10, 11)

TIME_WORDS = ("昨天", "前天", "今天早上", "刚才", "上周", "这两天", "三天前", "用了一周", "第一次用",
              "用了两次", "用了五天", "收到当天", "昨晚", "用了半瓶")
BODY = ("脸上", "脸颊", "额头", "下巴", "鼻翼两侧", "眼周", "嘴角", "两颊", "脖子", "整张脸")
SYMPTOMS = ("泛红", "刺痛", "红肿", "瘙痒", "起疹子", "爆痘", "起小红点", "发烫", "脱皮", "又红又痒")
SKIN_FIT = ("卡粉", "脱妆", "搓泥", "闷痘", "干得起皮", "油光满面", "粉刺变多", "毛孔堵塞", "拔干", "不吸收")
CLAIMS_HEARD = ("直播间说含95%玻尿酸", "主播说无酒精", "主播说敏感肌可用", "直播间说7天淡斑",
                "直播间说28天淡纹", "主播说是专柜同款", "说是孕妇可用", "说是纯植物成分", "说一抹就白",
                "说能修护屏障")
PLATFORM_WORDS = ("直播间", "店铺", "小黄车", "橱窗", "主播", "平台客服", "品牌官方", "售后")
GIFTS = ("小样", "面膜", "化妆包", "旅行装", "赠品精华", "发箍", "洁面小样", "正装")
LOGI = ("快递盒压扁了", "瓶子漏液了", "泵头断了", "外包装破了", "物流一周还没到", "发错货了",
        "快递显示签收但我没收到", "瓶身裂了", "里面全洒出来了")
EMOJI = ("", "", "", "😡", "😭", "😤", "🙄", "😢", "💔", "！！", "？？", "。。。")
PARTICLES = ("", "啊", "呀", "吧", "呢", "嘛", "哦")
ANGER = ("太过分了", "我要投诉", "你们到底管不管", "再不处理我就找12315", "简直是骗人", "气死我了",
         "别再踢皮球了", "我要曝光", "你们这是欺诈")
DISAPPOINT = ("有点失望", "本来挺信任主播的", "以后不会再买了", "好失望", "心累", "真的很无语",
              "白期待了", "第一次在直播间买就这样")
NEUTRAL = ("请帮忙处理一下", "麻烦看一下", "想问问怎么办", "请问可以退吗", "怎么处理比较好",
           "麻烦尽快回复", "请给个说法")
OPEN = ("你好", "您好", "在吗", "客服", "喂", "hello", "亲", "")

_TEMPLATES = {
    "ingredient_mismatch": ("收到的{p}和{w}{c}的不一样", "{p}成分表跟页面写的不一样", "{t}收到的{p}包装和直播间展示的不同",
                            "这{p}的成分表里根本没有宣传的成分", "{w}说的是新版{p}，发来的是旧版", "{c}，但成分表里排在最后"),
    "false_advertising": ("{c}，用了{t}一点效果都没有", "{p}根本没有{w}说的效果", "{c}结果完全不是这样",
                          "这{p}宣传太夸张了，{c}", "{t}开始用{p}，说好的效果呢", "{w}吹得天花乱坠，{p}用了没变化"),
    "allergy": ("{t}用了{p}，{b}{s}", "用完{p}{b}开始{s}", "{p}用了{t}，{b}{s}，还有点{s2}",
                "敏感肌用了这个{p}，{b}{s}了", "{b}{s}，是不是{p}里有酒精", "{c}，结果{b}{s}"),
    "skin_fit": ("{p}用了{f}", "这个{p}上脸{f}", "{t}用{p}，{f}，不适合我的肤质", "{p}{f}，{w}说适合所有肤质",
                 "油皮用这{p}{f}", "干皮用了{p}{f}"),
    "logistics_damage": ("{l}", "收到的{p}{l}", "{t}收到货，{l}", "{p}{l}，怎么处理", "{l}，{p}没法用了"),
    "return_refund": ("{p}申请退货{t}了还没退款", "退款一直没到账", "{p}没拆封为什么不能退", "退货寄回去了，钱呢",
                      "{w}说七天无理由，现在又不给退", "申请退款被拒了，理由不合理"),
    "gift_missing": ("{w}说送{g}，收到没有", "赠品{g}没收到", "买{p}说好送{g}的，包裹里没有",
                     "{w}承诺的{g}呢", "少发了{g}"),
    "counterfeit": ("这{p}是不是假货", "{p}和专柜的味道不一样，怀疑是假的", "防伪码查不到，{p}是水货吧",
                    "{p}批号对不上，是不是假货", "{w}说正品保证，这{p}明显是仿的"),
    "service_attitude": ("客服一直让我找品牌，品牌又让我找主播", "问了{t}都没人理", "客服态度太差了",
                         "转了好几次都没解决", "{w}客服只会复制粘贴", "每次都说等通知"),
    "other": ("{p}怎么用比较好", "想咨询一下{p}的保质期", "{p}可以和别的产品一起用吗", "发票怎么开",
              "{p}能不能换个色号", "{w}的优惠券没用上"),
}

_AGENT = {
    "empathetic": (
        "非常抱歉给您带来不好的体验，我们特别理解您的心情{x}", "亲，真的很抱歉让您担心了，我们马上为您处理{x}",
        "理解您的感受，您的皮肤健康是第一位的，我们一定负责到底{x}", "辛苦您了，给您添麻烦非常抱歉，我来全程跟进{x}",
        "感谢您耐心等待，我们已经为您优先处理{x}", "特别心疼您遇到这种情况，我们会尽快给您满意的答复{x}",
        "抱歉让您久等了，这件事我会负责跟进到底{x}", "您别着急，我们一起把问题解决好{x}",
    ),
    "neutral": (
        "您好，已收到您的问题，正在核实{x}", "您好，请提供订单号和照片{x}", "已为您登记，请耐心等待处理结果{x}",
        "您好，已提交给相关部门处理{x}", "收到，请按页面提示提交退货申请{x}", "您好，处理结果将在审核后通知您{x}",
        "已记录，请保持电话畅通{x}", "请上传使用情况和购买凭证{x}",
    ),
    "cold": (
        "这个不归我们管，请联系品牌方{x}", "按规定已拆封不退{x}", "请自行联系快递{x}", "系统显示正常，无法处理{x}",
        "个人肤质问题，不属于质量问题{x}", "请找主播团队{x}", "等通知吧{x}", "规则就是这样{x}",
    ),
}
_AGENT_TAIL = ("", "", "。", "～", "，请您放心", "，预计{n}个工作日内给您答复", "，有任何问题随时联系我",
               "，已为您申请加急", "，稍后会有专员联系您")

_AI = ("您好，我是智能客服小美，已识别到您的问题属于“{cat}”，正在为您处理",
       "亲，智能助手为您服务～请描述一下您遇到的问题", "已为您自动登记{cat}问题，可上传照片加快处理",
       "您好，根据您的描述，建议先停用产品，我们将为您转接专员",
       "智能客服：您的订单已找到，{cat}问题的处理时效一般为{n}个工作日",
       "您好，请问是{cat}问题吗？回复“是”确认，回复“人工”转人工客服")

_FOLLOW = ("都{t}了还没处理好吗", "能不能快一点", "又让我找别人？", "我已经说了很多遍了", "照片已经上传了",
           "什么时候能退款", "到底谁负责", "好的，等你们消息", "我要转人工", "这个方案我不接受", "可以，谢谢")

CAT_ZH = {"ingredient_mismatch": "成分不符", "false_advertising": "功效宣传", "allergy": "过敏",
          "skin_fit": "肤质不适配", "logistics_damage": "物流破损", "return_refund": "退换货",
          "gift_missing": "赠品缺失", "counterfeit": "假货疑虑", "service_attitude": "服务投诉", "other": "咨询"}


def _pick(rng: np.random.Generator, seq):
    return seq[int(rng.integers(len(seq)))]


def _consumer_msg(rng, cat: str, emo: str, pword: str) -> str:
    tpl = _pick(rng, _TEMPLATES[cat])
    s1 = _pick(rng, SYMPTOMS)
    s2 = _pick(rng, [s for s in SYMPTOMS if s != s1])
    body = tpl.format(p=pword, w=_pick(rng, PLATFORM_WORDS), c=_pick(rng, CLAIMS_HEARD), t=_pick(rng, TIME_WORDS),
                      b=_pick(rng, BODY), s=s1, s2=s2, f=_pick(rng, SKIN_FIT), l=_pick(rng, LOGI), g=_pick(rng, GIFTS))
    head = _pick(rng, OPEN)
    tail = {"anger": ANGER, "disappointment": DISAPPOINT, "neutral": NEUTRAL}[emo]
    parts = [head + ("，" if head else "") + body + _pick(rng, PARTICLES)]
    if rng.random() < 0.8 or emo != "neutral":
        parts.append(_pick(rng, tail))
    if emo == "anger" and rng.random() < 0.5:
        parts.append(_pick(rng, ANGER))
    text = "，".join(parts)
    return text + _pick(rng, ("！", "。", "", "？")) + (_pick(rng, EMOJI) if emo != "neutral" or rng.random() < 0.2 else "")


class TextPools:
    """Message pools, sampled by index. Built once per run from the run's generator."""

    def __init__(self, rng: np.random.Generator, per_cell: int = 120):
        self.per_cell = per_cell
        n_c, n_e, n_p = len(CATEGORIES), len(EMOTIONS), len(PRODUCT_WORDS)
        consumer = []
        for cat in CATEGORIES:
            for emo in EMOTIONS:
                for pw in PRODUCT_WORDS:
                    consumer.extend(_consumer_msg(rng, cat, emo, pw) for _ in range(per_cell))
        self.consumer = pa.array(consumer, pa.string())
        self.consumer_shape = (n_c, n_e, n_p)
        agent = []
        self.agent_per_tone = 600
        for tone in TONES:
            for _ in range(self.agent_per_tone):
                tail = _pick(rng, _AGENT_TAIL).format(n=int(rng.integers(1, 6)))
                agent.append(_pick(rng, _AGENT[tone]).format(x=tail))
        self.agent = pa.array(agent, pa.string())
        ai = []
        self.ai_per_cat = 60
        for cat in CATEGORIES:
            for _ in range(self.ai_per_cat):
                ai.append(_pick(rng, _AI).format(cat=CAT_ZH[cat], n=int(rng.integers(1, 6))))
        self.ai = pa.array(ai, pa.string())
        follow = []
        self.follow_n = 800
        for _ in range(self.follow_n):
            s = _pick(rng, _FOLLOW).format(t=_pick(rng, ("三天", "一周", "五天", "两周", "半个月")))
            follow.append(s + _pick(rng, PARTICLES) + _pick(rng, EMOJI))
        self.follow = pa.array(follow, pa.string())

    def consumer_index(self, rng, cat: np.ndarray, emo: np.ndarray, pword: np.ndarray) -> np.ndarray:
        n_c, n_e, n_p = self.consumer_shape
        cell = (cat * n_e + emo) * n_p + pword
        return cell * self.per_cell + rng.integers(0, self.per_cell, len(cat))

    def agent_index(self, rng, tone: np.ndarray) -> np.ndarray:
        return tone * self.agent_per_tone + rng.integers(0, self.agent_per_tone, len(tone))

    def ai_index(self, rng, cat: np.ndarray) -> np.ndarray:
        return cat * self.ai_per_cat + rng.integers(0, self.ai_per_cat, len(cat))

    def follow_index(self, rng, n: int) -> np.ndarray:
        return rng.integers(0, self.follow_n, n)
