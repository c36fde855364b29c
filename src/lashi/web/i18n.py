"""The pages' words in 中文 (default) and English."""
from __future__ import annotations

from lashi.contract.enums import CASE_CATEGORIES, EVENT_KINDS, PARTIES, PRODUCT_STATES, SUBJECT_KINDS, TIERS

LANGS = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app": ("美妆直播售后健康指数", "Livestream After-Sales Health Index"),
    "overview": ("行业总览", "Industry overview"),
    "rankings": ("排行榜", "Rankings"),
    "validation": ("效度验证", "Validation"),
    "board": ("售后数据看板", "After-sales transparency board"),
    "logout": ("退出", "Log out"),
    "login": ("登录", "Log in"),
    "login_title": ("评估方登录", "Evaluator login"),
    "login_help": ("请输入评估方或管理员API密钥（lashi keys create --role evaluator）。密钥只保存在本浏览器的Cookie中。",
                   "Enter an evaluator or admin API key (lashi keys create --role evaluator). The key is kept only in this browser's cookie."),
    "api_key": ("API密钥", "API key"),
    "bad_key": ("密钥无效，或不是评估方/管理员密钥", "Unknown key, or not an evaluator/admin key"),
    "period": ("期间", "Period"),
    "industry_index": ("行业售后健康指数", "Industry after-sales health index"),
    "six_dims": ("六大维度得分", "Six dimension scores"),
    "band_counts": ("等级分布", "Bands"),
    "trend": ("趋势与三个月预测", "Trend and 3-month forecast"),
    "kind": ("主体类型", "Subject kind"),
    "platform": ("平台", "Platform"),
    "tier": ("层级", "Tier"),
    "origin": ("品牌来源", "Brand origin"),
    "search": ("搜索名称或编号", "Search name or id"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "All"),
    "rank": ("排名", "Rank"),
    "name": ("名称", "Name"),
    "index": ("指数", "Index"),
    "interval": ("90%区间", "90% interval"),
    "band": ("等级", "Band"),
    "weakest": ("最弱维度", "Weakest dimension"),
    "cases": ("工单数", "Cases"),
    "shown": ("共 {n} 个主体，第 {a}–{b} 个", "{n} subjects, showing {a}–{b}"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "worst_first": ("由低到高", "Lowest first"),
    "radar": ("六维雷达图（对比同类中位数）", "Six dimensions against the peer median"),
    "peer_median": ("同类中位数", "Peer median"),
    "weak_side": ("最弱的一面：{d}（{s}分，同类中位数{p}分）", "Weakest side: {d} ({s}, peer median {p})"),
    "costliest": ("失分最多的指标与改进建议", "Indicators costing the most points, with remedies"),
    "indicator": ("指标", "Indicator"),
    "value": ("实际值", "Value"),
    "target": ("目标值", "Target"),
    "score": ("得分", "Score"),
    "lost": ("失分", "Points lost"),
    "flags": ("标记", "Flags"),
    "remedy": ("改进建议", "Remedy"),
    "cards_ratings": ("红黄牌与信用评级", "Cards and credit rating"),
    "card": ("警示牌", "Card"),
    "credit": ("信用评级", "Credit rating"),
    "rectification": ("整改约谈", "Rectification"),
    "triangulation": ("三方交叉验证", "Triangulation"),
    "warnings": ("预警", "Warnings"),
    "computing": ("正在计算，首次可能需要一分钟……", "Computing; the first time may take a minute…"),
    "none": ("无", "none"),
    "no_card": ("本月无警示牌", "No card this month"),
    "risk": ("风险等级", "Risk level"),
    "forecast": ("预测", "Forecast"),
    "history": ("月度指数", "Monthly index"),
    "blind": ("盲测", "Blind test"),
    "calibration": ("动态校准", "Calibration"),
    "validity": ("预测效度", "Predictive validity"),
    "sensitivity": ("敏感性分析", "Sensitivity"),
    "anomalies": ("异常主体", "Anomalous subjects"),
    "notes": ("说明", "Notes"),
    "stale": ("数据已更新，正在后台重新计算；当前显示上次结果。", "Data changed; recomputing in the background — showing the previous result."),
    "not_found": ("未找到", "Not found"),
    "subject_missing": ("该期间没有此主体的指数", "No index for this subject in the period"),
    # consumer page
    "my_case": ("我的售后进度", "My after-sales case"),
    "case_no": ("工单号", "Case"),
    "product": ("商品", "Product"),
    "category": ("问题类型", "Issue"),
    "status": ("状态", "Status"),
    "who_now": ("当前处理方", "Handled now by"),
    "eta": ("预计完成时间", "Expected"),
    "timeline": ("处理进度", "Timeline"),
    "eligibility": ("退换货资格", "Return eligibility"),
    "eligible": ("符合条件", "Eligible"),
    "not_eligible": ("暂不符合", "Not eligible yet"),
    "proof": ("直播话术存证", "Proof of what was said on air"),
    "proof_help": ("以下话术已写入防篡改存证日志，可下载证明包离线验证。", "These claims are in the tamper-evident log; download the proof bundle to verify offline."),
    "download": ("下载证明包", "Download proof bundle"),
    "verified": ("验证通过", "verified"),
    "not_covered": ("尚未被签名树头覆盖", "not yet covered by a signed head"),
    "survey": ("服务评价", "Rate our service"),
    "csat": ("满意度（1–5）", "Satisfaction (1–5)"),
    "nps": ("推荐意愿（0–10）", "Would you recommend us (0–10)"),
    "submit": ("提交", "Submit"),
    "thanks": ("感谢您的评价！", "Thank you for your feedback!"),
    "wrong_secret": ("链接无效：工单不存在或链接密钥错误", "Invalid link: the case does not exist or the secret is wrong"),
    "open": ("处理中", "in progress"),
    "resolved": ("已解决", "resolved"),
    "unresolved": ("未解决", "unresolved"),
    "withdrawn": ("已撤回", "withdrawn"),
    "done": ("已完成", "Done"),
    "overdue": ("已超过预计时间，我们正在催办", "Past the expected time; we are chasing it"),
    # board
    "board_help": ("仅公布汇总数据，帮助消费者下单前了解售后表现；工单少于{n}件的主体不公布。",
                   "Aggregates only, to help consumers before buying; subjects with fewer than {n} cases are not shown."),
    "brands": ("品牌", "Brands"),
    "streamers": ("主播", "Streamers"),
    "too_few": ("本期工单少于{n}件，暂不公布", "Fewer than {n} cases this period: not published"),
    "small_sample": ("样本不足", "too few cases"),
    "hours": ("{v}小时", "{v} h"),
    "working_days": ("{v}个工作日", "{v} working days"),
}

PARTY = {t.id: (t.zh, t.en) for t in PARTIES}
EVENT = {t.id: (t.zh, t.en) for t in EVENT_KINDS}
CATEGORY = {t.id: (t.zh, t.en) for t in CASE_CATEGORIES}
KIND = {t.id: (t.zh, t.en) for t in SUBJECT_KINDS} | {"industry": ("行业", "industry")}
TIER = {t.id: (t.zh, t.en) for t in TIERS}
STATE = {t.id: (t.zh, t.en) for t in PRODUCT_STATES}
BAND = {"excellent": ("优秀", "excellent"), "good": ("良好", "good"), "fair": ("中等", "fair"), "poor": ("较差", "poor")}


def pick(pair: tuple[str, str] | None, lang: str, default: str = "") -> str:
    if not pair:
        return default
    return pair[0] if lang == "zh" else pair[1]


class T:
    """`t("key")`, `t("key", n=3)`, `t.term(PARTY, "brand")` in templates."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "zh"

    def __call__(self, key: str, **kw) -> str:
        s = pick(WORDS.get(key), self.lang, key)
        return s.format(**kw) if kw else s

    def term(self, table: dict, key: str | None) -> str:
        return pick(table.get(key or ""), self.lang, key or "")

    def both(self, zh: str | None, en: str | None) -> str:
        return (zh if self.lang == "zh" else en) or zh or en or ""
