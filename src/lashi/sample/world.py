"""The sample world: subjects with their hidden true quality, products with real labels, live
sessions, on-air claims. Everything a case chunk draws from.

The truth (spec §11): each subject has a latent 0–100 quality per dimension D1..D6. Its overall
level comes from its kind and tier (platforms 抖音 82, 淘宝 79, 拼多多 68, 快手 61; head streamers
85–91, small < 65; international brands 84–86, domestic 70–72, niche < 60; head MCNs 83–85); each
dimension is that level shifted by the industry's dimension profile (D1 78, D2 65, D3 71, D4 58,
D5 68, D6 69, i.e. D4 weakest and D1 strongest) plus a little subject-specific noise.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from .calendar import Days
from .text import LABEL_TYPES, MAKEUP_TYPES, PRODUCT_WORDS

DIMS = ("D1", "D2", "D3", "D4", "D5", "D6")
BASE_WEIGHTS = np.array([0.20, 0.25, 0.20, 0.15, 0.10, 0.10])
INDUSTRY_DIMS = np.array([78.0, 65.0, 71.0, 58.0, 68.0, 69.0])
DIM_OFFSETS = INDUSTRY_DIMS - float(BASE_WEIGHTS @ INDUSTRY_DIMS)

# The four platforms of the report: id, name, tier, true overall quality, share of streamers / GMV,
# first-response promise (hours) on the platform channel.
PLATFORMS = (
    ("S-DY", "抖音", "head", 82.0, 0.42, 24.0),
    ("S-TB", "淘宝直播", "head", 79.0, 0.30, 24.0),
    ("S-KS", "快手", "mid", 61.0, 0.16, 48.0),
    ("S-PDD", "拼多多", "mid", 68.0, 0.12, 48.0),
)
PLATFORM_MIX_BY_TIER = {"head": np.array([0.50, 0.45, 0.03, 0.02]), "mid": np.array([0.42, 0.36, 0.08, 0.14]),
                        "small": np.array([0.34, 0.22, 0.26, 0.18])}
KIND_CODES = {"platform": 0, "streamer": 1, "brand": 2, "mcn": 3}

_SURN = "李张王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "佳琪小美雅婷欣怡子涵梦瑶思琪诗雨一诺可馨若曦晓燕婉清紫萱雨桐安琪梓萌嘉怡美琳"
_NICK = ("小仙女", "美妆姐姐", "护肤课代表", "成分党", "好物分享", "的美妆间", "素颜日记", "爱种草", "变美研究所",
         "严选", "带你变美", "精致生活", "宝藏好物", "真实测评")
_MCN_A = ("星", "谦", "无忧", "美腕", "遥望", "交个", "如涵", "蚊子", "大禹", "papi", "君盟", "青木", "宸帆", "摘星",
          "辛选", "东方", "微念", "愿景", "泰洋", "三只", "嘉行", "壹心", "华星", "云上")
_MCN_B = ("传媒", "文化", "网络", "娱乐", "科技", "直播", "互娱", "MCN")
_BRAND_INTL = ("露美尔", "珂兰黛", "丝若兰", "碧欧诗", "雅丽诗", "兰芙", "赫莲诗", "娇蔻", "科颜丝", "黛珂娜",
               "希思黎雅", "茵芙", "菲洛嘉娜", "倩碧雅", "奥伦娜", "伊丽诗", "薇姿兰", "理肤泉雅", "修丽雅", "芭比布",
               "纪梵诗", "迪奥兰", "香缇", "圣罗兰雅", "阿玛妮雅", "资生雅", "悦薇诗", "芙丽雅", "怡丽诗", "高丝兰")
_BRAND_DOM = ("珀莱", "薇诺", "花西", "完美日", "自然", "佰草", "相宜", "百雀", "至本", "润百", "夸迪", "玉泽",
              "稚优", "毛戈", "橘朵", "彩棠", "溪木", "逐本", "优时", "谷雨", "林清", "半亩", "丸美", "韩束")
_BRAND_DOM2 = ("雅", "诺", "子", "记", "堂", "集", "颜", "泉", "源", "坊", "草", "研")
_BRAND_NICHE = ("小野", "初心", "拾光", "植萃", "若素", "清研", "微光", "简肌", "元气", "肌司", "本草", "白茶",
                "山谷", "晨露", "雾里", "青禾", "素问", "知心", "一叶", "方寸")


def _logit(p):
    return np.log(p / (1 - p))


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class World:
    seed: int
    n_cases: int
    start: dt.date
    months: int
    days: Days
    period_start_s: int  # epoch seconds of the first local midnight
    period_end_s: int    # epoch seconds of the end of the period (exclusive)
    cutoff_s: int        # data export time: events after it are not in the data
    # subjects
    sid: list[str] = field(default_factory=list)
    kind: np.ndarray = None
    tier: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    origin: list[str | None] = field(default_factory=list)
    platform_of: np.ndarray = None  # per subject (streamers), else -1
    mcn_of: np.ndarray = None
    q: np.ndarray = None            # (n_subjects, 6) true quality per dimension
    overall: np.ndarray = None
    beautifier: np.ndarray = None   # inflates its self-reports
    volume: np.ndarray = None       # relative case volume (streamers, brands)
    service_hours: list[str] = field(default_factory=list)
    streamers: np.ndarray = None
    brands: np.ndarray = None
    mcns: np.ndarray = None
    platforms: np.ndarray = None
    promise_platform: np.ndarray = None
    # products
    prod_id: list[str] = field(default_factory=list)
    prod_brand: np.ndarray = None
    prod_name: list[str] = field(default_factory=list)
    prod_category: list[str] = field(default_factory=list)
    prod_tags: list[list[str]] = field(default_factory=list)
    prod_ingredients: list[list[str]] = field(default_factory=list)
    prod_resp_list: np.ndarray = None
    prod_price: np.ndarray = None
    prod_word: np.ndarray = None
    prod_sensitive: np.ndarray = None
    prod_src: list[dict] = field(default_factory=list)
    prod_cum: np.ndarray = None
    # sessions
    sess_streamer: np.ndarray = None
    sess_start: np.ndarray = None
    sess_end: np.ndarray = None
    sess_notarized: np.ndarray = None
    sess_promo: np.ndarray = None
    sess_cum: np.ndarray = None
    st_sess_lo: np.ndarray = None
    st_sess_hi: np.ndarray = None
    st_cum: np.ndarray = None
    qbar: np.ndarray = None         # case-weighted mean effective quality per dimension


def load_source_products() -> list[dict]:
    with resources.files("lashi.sample").joinpath("data/products.csv.gz").open("rb") as fb:
        with gzip.open(fb, "rt", encoding="utf-8") as f:
            return list(csv.DictReader(f))


def _scale_count(n_cases: int, at_100k: float, power: float, lo: int, hi: int) -> int:
    return int(np.clip(round(at_100k * (n_cases / 100_000) ** power), lo, hi))


def _dims(rng, overall: np.ndarray, sd: float = 3.5) -> np.ndarray:
    q = overall[:, None] + DIM_OFFSETS[None, :] + rng.normal(0, sd, (len(overall), 6))
    return np.clip(q, 5, 99)


def build_world(seed: int, n_cases: int, start: dt.date, months: int) -> World:
    rng = np.random.default_rng([seed, 1])
    end = dt.date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
    n_days = (end - start).days
    days = Days(start, n_days)
    epoch = dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    p0 = int(epoch.timestamp())
    w = World(seed=seed, n_cases=n_cases, start=start, months=months, days=days,
              period_start_s=p0, period_end_s=p0 + n_days * 86400, cutoff_s=p0 + (n_days + 30) * 86400)

    n_mcn = _scale_count(n_cases, 15, 0.5, 6, 150)
    n_st = _scale_count(n_cases, 150, 0.6, 24, 3000)
    n_br = _scale_count(n_cases, 60, 0.5, 18, 600)

    sid, kind, tier, name, origin, overall, plat_of, mcn_of, hours = [], [], [], [], [], [], [], [], []

    def add(i, k, t, nm, o, ov, pl=-1, mc=-1, h="09:00-21:00"):
        sid.append(i); kind.append(KIND_CODES[k]); tier.append(t); name.append(nm); origin.append(o)
        overall.append(ov); plat_of.append(pl); mcn_of.append(mc); hours.append(h)

    for pid, nm, t, ov, _, _ in PLATFORMS:
        add(pid, "platform", t, nm, None, ov, h="00:00-23:59" if ov > 75 else "08:00-22:00")
    # MCN agencies: head 20 %, mid 40 %, small 40 %
    mcn_tier = rng.choice(["head", "mid", "small"], n_mcn, p=[0.2, 0.4, 0.4])
    mcn_tier[0] = "head"
    mcn_idx0 = len(sid)
    used = set()
    for i in range(n_mcn):
        t = mcn_tier[i]
        ov = {"head": rng.uniform(83, 85), "mid": rng.uniform(68, 78), "small": rng.uniform(55, 66)}[t]
        nm = _MCN_A[i % len(_MCN_A)] + _MCN_B[(i // len(_MCN_A) + i) % len(_MCN_B)]
        while nm in used:
            nm += str(len(used) % 10)
        used.add(nm)
        add(f"S-M{i + 1:04d}", "mcn", t, nm, None, ov)
    mcn_ids = np.arange(mcn_idx0, mcn_idx0 + n_mcn)
    # streamers: head 5 %, mid 25 %, small 70 %; heavy-tailed case volume
    st_tier = rng.choice(["head", "mid", "small"], n_st, p=[0.05, 0.25, 0.70])
    st_tier[:2] = "head"
    st_tier[2:6] = "mid"
    plat_share = np.array([p[4] for p in PLATFORMS])
    st_idx0 = len(sid)
    st_vol = np.empty(n_st)
    for i in range(n_st):
        t = st_tier[i]
        ov = {"head": rng.uniform(85, 91), "mid": rng.uniform(66, 80), "small": rng.uniform(45, 64)}[t]
        # Head streamers sit on the big platforms; a platform's governance rubs off on its
        # streamers (report 4.2: platform order 抖音 > 淘宝 > 拼多多 > 快手).
        pl = int(rng.choice(4, p=PLATFORM_MIX_BY_TIER.get(t, plat_share)))
        lo, hi = {"head": (85, 91), "mid": (66, 80), "small": (45, 64.9)}[t]
        ov = float(np.clip(ov + 0.3 * (PLATFORMS[pl][3] - 72.5), lo, hi))
        if rng.random() < 0.88:
            pref = {"head": [0.75, 0.2, 0.05], "mid": [0.3, 0.5, 0.2], "small": [0.05, 0.35, 0.6]}[t]
            want = rng.choice(["head", "mid", "small"], p=pref)
            cand = mcn_ids[mcn_tier == want]
            mc = int(rng.choice(cand)) if len(cand) else int(rng.choice(mcn_ids))
        else:
            mc = -1
        st_vol[i] = {"head": 40.0, "mid": 6.0, "small": 1.0}[t] * rng.lognormal(0, 0.45)
        nm = _SURN[int(rng.integers(len(_SURN)))] + _GIVEN[int(rng.integers(len(_GIVEN)))] + _NICK[int(rng.integers(len(_NICK)))]
        add(f"S-ST{i + 1:05d}", "streamer", t, nm, None, ov, pl, mc,
            h=rng.choice(["09:00-21:00", "10:00-22:00", "09:00-24:00"]) if t != "small" else "10:00-20:00")
    # brands: international 25 %, domestic 45 %, niche 30 %
    br_origin = rng.choice(["international", "domestic", "niche"], n_br, p=[0.25, 0.45, 0.30])
    br_origin[:3] = ["international", "domestic", "niche"]
    br_idx0 = len(sid)
    br_vol = np.empty(n_br)
    names_used = set()
    for i in range(n_br):
        o = br_origin[i]
        ov = {"international": rng.uniform(84, 86), "domestic": rng.uniform(70, 72), "niche": rng.uniform(45, 59)}[o]
        t = {"international": "head", "domestic": "mid", "niche": "niche"}[o]
        if o == "international":
            nm = _BRAND_INTL[i % len(_BRAND_INTL)]
        elif o == "domestic":
            nm = _BRAND_DOM[int(rng.integers(len(_BRAND_DOM)))] + _BRAND_DOM2[int(rng.integers(len(_BRAND_DOM2)))]
        else:
            nm = _BRAND_NICHE[int(rng.integers(len(_BRAND_NICHE)))] + rng.choice(["研究所", "实验室", "肌理", "小铺", "植物"])
        base = nm
        k = 2
        while nm in names_used:
            nm = f"{base}{k}"
            k += 1
        names_used.add(nm)
        br_vol[i] = {"international": 3.0, "domestic": 2.0, "niche": 0.6}[o] * rng.lognormal(0, 0.5)
        add(f"S-B{i + 1:04d}", "brand", t, nm, o, ov)

    n = len(sid)
    w.sid, w.tier, w.name, w.origin, w.service_hours = sid, tier, name, origin, hours
    w.kind = np.array(kind)
    w.platform_of = np.array(plat_of)
    w.mcn_of = np.array(mcn_of)
    ov = np.array(overall)
    w.q = _dims(rng, ov)
    # re-centre so that the weighted mean of the dimensions is exactly the drawn overall level
    w.q = np.clip(w.q + (ov - w.q @ BASE_WEIGHTS)[:, None], 5, 99)
    w.overall = w.q @ BASE_WEIGHTS
    # subjects more likely to beautify their self-reports the worse they are
    w.beautifier = rng.random(n) < _sigmoid(_logit(0.3) - 0.08 * (w.overall - 70))
    w.platforms = np.arange(4)
    w.mcns = mcn_ids
    w.streamers = np.arange(st_idx0, st_idx0 + n_st)
    w.brands = np.arange(br_idx0, br_idx0 + n_br)
    w.volume = np.zeros(n)
    w.volume[w.streamers] = st_vol
    w.volume[w.brands] = br_vol
    w.promise_platform = np.array([p[5] for p in PLATFORMS])

    _build_products(w, rng)
    _build_sessions(w, rng)
    w.qbar = _qbar(w)
    return w


# channel → weights of (streamer, platform, mcn, brand) in the service a case receives
CHANNEL_WEIGHTS = np.array([
    [0.20, 0.50, 0.10, 0.20],  # platform
    [0.50, 0.20, 0.15, 0.15],  # streamer
    [0.20, 0.15, 0.10, 0.55],  # brand
])


def _build_products(w: World, rng) -> None:
    src = load_source_products()
    n_br = len(w.brands)
    origin = np.array([w.origin[b] for b in w.brands])
    per_brand = np.where(origin == "international", rng.integers(8, 26, n_br),
                         np.where(origin == "domestic", rng.integers(6, 21, n_br), rng.integers(3, 9, n_br)))
    order = rng.permutation(len(src))
    pos = 0
    brand_of, names, cats, tags, ingr, price, word, sens, srcs = [], [], [], [], [], [], [], [], []
    effic = (("pos_hyaluronate", "玻尿酸补水"), ("pos_niacinamide", "烟酰胺亮肤"), ("pos_retinol", "视黄醇抗老"),
             ("pos_ascorbic", "VC焕亮"), ("pos_ceramide", "神经酰胺修护"), ("pos_salicylic", "水杨酸净痘"),
             ("pos_peptide", "多肽紧致"), ("pos_centella", "积雪草舒缓"))
    plain = ("保湿", "修护", "焕颜", "舒缓", "水润", "清透", "柔肤", "净澈", "轻盈", "滋养")
    for bi, b in enumerate(w.brands):
        for _ in range(int(per_brand[bi])):
            r = src[order[pos % len(src)]]
            pos += 1
            if r["category"] == "makeup":
                wi = int(rng.choice(MAKEUP_TYPES))
            else:
                wi = int(rng.choice(LABEL_TYPES.get(r["label"], (5,))))
            cands = [zh for col, zh in effic if 0 < int(r[col]) <= 12]
            eff = cands[int(rng.integers(len(cands)))] if cands else plain[int(rng.integers(len(plain)))]
            series = rng.choice(["", "", "", "小棕瓶", "小白瓶", "神仙", "安瓶", "精粹", "极光", "青春", "舒敏"])
            brand_of.append(b)
            names.append(f"{series}{eff}{PRODUCT_WORDS[wi]}")
            cats.append(r["category"])
            sensitive = int(r["sensitive"]) == 1
            tg = []
            if sensitive and rng.random() < 0.55:
                tg.append("sensitive_skin")
            if int(r["has_fragrance"]) == 0:
                tg.append("fragrance_free")
            tags.append(tg)
            ingr.append(r["ingredients"].split(";"))
            base = float(r["price"]) * 7.0 * rng.uniform(0.45, 0.85)
            price.append(max(9.9, np.floor(base) + 0.9))
            word.append(wi)
            sens.append(sensitive)
            srcs.append(r)
    n_p = len(brand_of)
    w.prod_id = [f"P-{i + 1:05d}" for i in range(n_p)]
    w.prod_brand = np.array(brand_of)
    w.prod_name, w.prod_category, w.prod_tags, w.prod_ingredients = names, cats, tags, ingr
    w.prod_price = np.array(price)
    w.prod_word = np.array(word)
    w.prod_sensitive = np.array(sens)
    w.prod_src = srcs
    # responsibility list published: depends on the brand's true D4 (industry ~29–40 %)
    qb4 = w.q[w.prod_brand, 3]
    pop = w.volume[w.prod_brand] / per_brand[w.prod_brand - w.brands[0]] * rng.lognormal(0, 0.6, n_p)
    pop = pop / pop.sum()
    w.prod_cum = np.cumsum(pop)
    # centred on the GMV-weighted level so that the industry share lands near the report's 29–40 %
    w.prod_resp_list = rng.random(n_p) < _sigmoid(_logit(0.28) + 0.12 * (qb4 - pop @ qb4))


def _build_sessions(w: World, rng) -> None:
    d = w.days
    n_days = d.n_days
    day_p = d.volume[:n_days] / d.volume[:n_days].sum()
    st_rows, starts, ends = [], [], []
    for s in w.streamers:
        t = w.tier[s]
        rate = {"head": 0.55, "mid": 0.3, "small": 0.15}[t]
        k = max(4, rng.binomial(n_days, rate))
        dd = np.sort(rng.choice(n_days, size=min(k, n_days), replace=False, p=day_p))
        hour = rng.choice([10.0, 14.0, 19.0, 19.5, 20.0, 20.0, 21.0], len(dd)) + rng.uniform(0, 0.5, len(dd))
        dur = {"head": (3.0, 6.5), "mid": (2.0, 5.0), "small": (1.5, 4.0)}[t]
        length = rng.uniform(*dur, len(dd))
        st = w.period_start_s + dd * 86400 + (hour * 3600).astype(np.int64)
        st_rows.append(np.full(len(dd), s))
        starts.append(st)
        ends.append(st + (length * 3600).astype(np.int64))
    w.sess_streamer = np.concatenate(st_rows)
    w.sess_start = np.concatenate(starts)
    w.sess_end = np.concatenate(ends)
    day_idx = (w.sess_start - w.period_start_s) // 86400
    w.sess_promo = d.promotion[day_idx]
    # notarized recording: share from the streamer's and platform's true technology (D5); industry < 40 %
    s_q5 = w.q[w.sess_streamer, 4]
    p_q5 = w.q[w.platform_of[w.sess_streamer], 4]
    tech = 0.5 * s_q5 + 0.5 * p_q5
    # order weight of a session: its day's volume × its length
    sw = d.volume[day_idx] * (w.sess_end - w.sess_start) / 3600.0
    # centred on the volume-weighted level (industry share < 40 %, the report's figure)
    st_w = w.volume[w.sess_streamer] / np.bincount(w.sess_streamer, minlength=len(w.sid))[w.sess_streamer]
    z = (tech - (st_w @ tech) / st_w.sum()) / 10.0
    w.sess_notarized = rng.random(len(w.sess_start)) < _sigmoid(_logit(0.30) + 1.0 * z)
    w.sess_cum = np.cumsum(sw)
    # per streamer, its range of sessions (sessions are grouped by streamer)
    n_subj = len(w.sid)
    lo = np.zeros(n_subj, np.int64)
    hi = np.zeros(n_subj, np.int64)
    bounds = np.flatnonzero(np.diff(w.sess_streamer)) + 1
    firsts = np.concatenate([[0], bounds])
    lasts = np.concatenate([bounds, [len(w.sess_streamer)]])
    lo[w.sess_streamer[firsts]] = firsts
    hi[w.sess_streamer[lasts - 1]] = lasts
    w.st_sess_lo, w.st_sess_hi = lo, hi
    vol = w.volume[w.streamers]
    w.st_cum = np.cumsum(vol / vol.sum())


def _qbar(w: World) -> np.ndarray:
    """Case-weighted mean effective quality per dimension (the industry's level)."""
    vs = w.volume[w.streamers] / w.volume[w.streamers].sum()
    pprod = np.diff(np.concatenate([[0.0], w.prod_cum]))
    e_s = vs @ w.q[w.streamers]
    e_p = vs @ w.q[w.platform_of[w.streamers]]
    mc = np.where(w.mcn_of[w.streamers] >= 0, w.mcn_of[w.streamers], w.streamers)
    e_m = vs @ w.q[mc]
    e_b = pprod @ w.q[w.prod_brand]
    ch_p = np.array([0.5, 0.32, 0.18])
    ww = ch_p @ CHANNEL_WEIGHTS
    return ww[0] * e_s + ww[1] * e_p + ww[2] * e_m + ww[3] * e_b


def segment_hashes(seed: int, session_id: str, n_seg: int) -> list[str]:
    """SHA-256 of each 60-s segment's (synthetic) bytes: deterministic per seed and session."""
    base = f"{seed}:{session_id}:".encode()
    return [hashlib.sha256(base + str(i).encode()).hexdigest() for i in range(n_seg)]


# --- on-air claims -------------------------------------------------------------------------------

CLAIM_REASONS = ("honest", "percent_exceeds_label_position", "ingredient_absent", "alcohol_listed",
                 "not_sensitive_suitable", "absolute_efficacy")


def build_claim_pools(w: World, rng) -> None:
    """Per product, candidate on-air claims: honest ones and exaggerated ones (with why they are
    exaggerated against the label: an ingredient in label position k cannot exceed 100/k %)."""
    texts, reasons = [], []
    h_off, h_cnt, x_off, x_cnt = [], [], [], []
    gifts = ("小样", "面膜", "化妆包", "旅行装", "洁面小样")
    for i, r in enumerate(w.prod_src):
        name = w.prod_name[i]
        honest, exag = [], []
        kh = int(r["pos_hyaluronate"])
        kn = int(r["pos_niacinamide"])
        if kh:
            honest.append(f"这款{name}添加了玻尿酸，补水保湿")
            pct = [x for x in (30, 50, 80, 95) if x > 100.0 / kh]
            if pct:
                exag.append((f"含{pct[-1] if rng.random() < 0.6 else pct[0]}%玻尿酸，一瓶顶十瓶", 1))
        else:
            exag.append(("含95%玻尿酸，补水天花板", 2))
        if kn:
            honest.append("含烟酰胺，提亮肤色")
            if 100.0 / kn < 10:
                exag.append(("含10%高浓度烟酰胺，7天亮白", 1))
        if int(r["has_alcohol"]):
            exag.append(("无酒精配方，孕妇敏感肌都能用", 3))
        else:
            honest.append("无酒精配方，温和不刺激")
        if int(r["sensitive"]):
            honest.append("敏感肌可用，我自己敏感肌也在用")
        else:
            exag.append(("敏感肌可用，零刺激", 4))
        exag.append((rng.choice(["7天淡斑，无效退款", "28天淡纹80%", "一夜回到18岁", "100%修复烂脸"]), 5))
        honest.append(rng.choice(["质地清爽，好吸收", "大促价，买一送一", f"下单送{gifts[i % len(gifts)]}",
                                  "专柜同款正品", "今天直播间到手价最低"]))
        h_off.append(len(texts)); h_cnt.append(len(honest))
        texts.extend(honest); reasons.extend([0] * len(honest))
        x_off.append(len(texts)); x_cnt.append(len(exag))
        texts.extend(t for t, _ in exag); reasons.extend(c for _, c in exag)
    w.claim_texts = texts
    w.claim_reason = np.array(reasons)
    w.claim_h_off, w.claim_h_cnt = np.array(h_off), np.array(h_cnt)
    w.claim_x_off, w.claim_x_cnt = np.array(x_off), np.array(x_cnt)


def pick_claims(w: World, rng, prod: np.ndarray, exaggerated: np.ndarray) -> np.ndarray:
    """Index into w.claim_texts of one claim per product (exaggerated or honest)."""
    off = np.where(exaggerated, w.claim_x_off[prod], w.claim_h_off[prod])
    cnt = np.where(exaggerated, w.claim_x_cnt[prod], w.claim_h_cnt[prod])
    return off + (rng.random(len(prod)) * cnt).astype(np.int64)
