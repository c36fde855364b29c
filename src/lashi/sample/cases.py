"""One chunk of cases, fully vectorised: orders, cases, their complete event histories, messages,
surveys, case-linked claims and the per-case truth.

How the truth drives behaviour: a case is served by the parties involved — the streamer's team,
its platform, its MCN and the product's brand — weighted by the channel the consumer used (the
party she went to serves most of it). Their true dimension qualities combine into the case's
effective quality per dimension; its standardised distance from the industry's case-weighted
level, z = (q − q̄) / 10, shifts every behavioural rate on the logit scale (or every duration on the
log scale) away from the report's industry figure. At z = 0 a case behaves like the report's
industry average, so the industry-wide figures come out where §11 of the spec puts them, and better
subjects are measurably better.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lashi.contract import enums as E

from .text import TextPools
from .world import CHANNEL_WEIGHTS, World, pick_claims

PARTIES = E.ids(E.PARTIES)          # platform streamer brand mcn logistics consumer ai
P_PLATFORM, P_STREAMER, P_BRAND, P_MCN, P_LOGISTICS, P_CONSUMER, P_AI = range(7)
KINDS = E.ids(E.EVENT_KINDS)
K = {k: i for i, k in enumerate(KINDS)}
CATS = E.ids(E.CASE_CATEGORIES)
C = {c: i for i, c in enumerate(CATS)}
CHANNELS = E.ids(E.CHANNELS)         # platform streamer brand
STATES = E.ids(E.PRODUCT_STATES)
SKINS = E.ids(E.SKIN_TYPES)
TZ = pa.timestamp("s", tz="+08:00")

# complaint mix (spec §11: 货不对板 = ingredient_mismatch + false_advertising + gift_missing 42 %;
# ingredients or skin fit = ingredient_mismatch + allergy + skin_fit 45 %)
CAT_P = np.array([0.17, 0.17, 0.16, 0.12, 0.10, 0.08, 0.08, 0.04, 0.05, 0.03])
# categories where brand and streamer contest responsibility (the report's "disputed" cases)
DISPUTED = np.isin(np.arange(10), [C["ingredient_mismatch"], C["false_advertising"], C["allergy"],
                                   C["gift_missing"], C["counterfeit"]])
# the responsible party per category (售后责任清单, spec §8)
RESPONSIBLE = np.array([P_BRAND, P_STREAMER, P_BRAND, P_BRAND, P_LOGISTICS, P_PLATFORM, P_STREAMER,
                        P_BRAND, P_PLATFORM, P_PLATFORM])
# channel mix per category: platform, streamer, brand
CHANNEL_P = np.array([
    [0.45, 0.25, 0.30], [0.40, 0.50, 0.10], [0.45, 0.25, 0.30], [0.45, 0.30, 0.25], [0.65, 0.30, 0.05],
    [0.65, 0.30, 0.05], [0.40, 0.55, 0.05], [0.50, 0.20, 0.30], [0.55, 0.35, 0.10], [0.50, 0.35, 0.15],
])
LAG_DAYS = np.array([4.0, 12.0, 6.0, 8.0, 3.0, 5.0, 3.5, 5.0, 7.0, 5.0])     # order → case
RES_DAYS = np.array([4.5, 4.5, 4.5, 3.5, 2.5, 3.0, 2.5, 6.0, 2.5, 1.2])      # base resolution days
REFUND_P = np.array([0.60, 0.55, 0.55, 0.50, 0.70, 0.95, 0.30, 0.80, 0.20, 0.05])
EVIDENCE_P = np.array([0.6, 0.3, 0.95, 0.3, 0.7, 0.2, 0.3, 0.8, 0.1, 0.0])
COMP_P = np.array([0.40, 0.40, 0.50, 0.30, 0.30, 0.15, 0.60, 0.50, 0.35, 0.05])
ANGER_P = np.array([0.25, 0.25, 0.35, 0.15, 0.20, 0.25, 0.15, 0.40, 0.40, 0.05])
# AI confusions: a wrong prediction usually picks a neighbouring category
NEIGHBOUR = np.array([1, 0, 3, 2, 5, 4, 1, 0, 9, 8])

DETAILS = (
    "consumer_win", "consumer_loss",
    "平台规则:7天无理由退货 vs 品牌规则:已拆封不退", "主播承诺:过敏包退 vs 品牌规则:需医院证明",
    "平台规则:假一赔三 vs 品牌规则:需鉴定报告", "主播规则:赠品补发 vs 品牌规则:赠品不补",
    "平台规则:先行赔付 vs MCN规则:责任方确认后赔付",
    "小样+优惠券关怀包", "专属客服回访", "withdrawn", "auto_closed", "expert_queue_48h",
)
D = {d: i for i, d in enumerate(DETAILS)}


def _logit(p):
    return np.log(p / (1.0 - p))


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _other(a, b):
    """A party among platform / streamer / brand that is neither a nor b."""
    c = np.zeros_like(a)
    c = np.where((c == a) | (c == b), 1, c)
    return np.where((c == a) | (c == b), 2, c)


def _lognorm_mean(rng, mean, sigma, size=None):
    """Log-normal draws with the given mean(s)."""
    mean = np.asarray(mean, dtype=float)
    if size is None:
        size = mean.shape
    return rng.lognormal(np.log(mean) - sigma * sigma / 2.0, sigma, size)


class _Buf:
    """Collects event (or message) columns from many vectorised steps."""

    def __init__(self, cols):
        self.cols = cols
        self.parts = {c: [] for c in cols}

    def add(self, mask_or_idx, **vals):
        idx = np.flatnonzero(mask_or_idx) if mask_or_idx.dtype == bool else mask_or_idx
        n = len(idx)
        for c in self.cols:
            v = vals.get(c, self.cols[c])
            if np.ndim(v) == 0:
                arr = np.full(n, v)
            elif len(v) == n:
                arr = np.asarray(v)
            else:
                arr = np.asarray(v)[idx]
            self.parts[c].append(arr)
        self.parts.setdefault("_case", []).append(idx)

    def arrays(self):
        out = {c: np.concatenate(self.parts[c]) if self.parts[c] else np.array([]) for c in self.cols}
        out["_case"] = np.concatenate(self.parts["_case"]) if self.parts["_case"] else np.array([], np.int64)
        return out


def _fmt(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    nums = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(nums, width=width, padding="0"), "")


def _ids(prefix: str, start: int, n: int, width: int) -> pa.Array:
    return _fmt(prefix, np.arange(start, start + n, dtype=np.int64), width)


def _take(strings: list[str] | pa.Array, idx: np.ndarray) -> pa.Array:
    arr = strings if isinstance(strings, pa.Array) else pa.array(strings, pa.string())
    return arr.take(pa.array(idx, pa.int64()))


def _opt(values: np.ndarray, vocab, null_below: int = 0) -> pa.Array:
    """Enum codes → strings, negative codes → null."""
    arr = pa.array(list(vocab), pa.string())
    codes = pa.array(np.where(values < null_below, 0, values).astype(np.int64))
    return pc.if_else(pa.array(values < null_below), pa.scalar(None, pa.string()), arr.take(codes))


def generate_chunk(w: World, pools: TextPools, chunk_no: int, first_case: int, n: int,
                   counters: dict, orders_per_case: float = 2.0) -> dict:
    """Generate cases first_case .. first_case+n-1. `counters` holds the running id counters of
    orders, events, messages, surveys and claims (updated in place)."""
    rng = np.random.default_rng([w.seed, 1000 + chunk_no])
    Q = w.q
    # --- who and what ---------------------------------------------------------------------
    u = rng.random(n) * w.st_cum[-1]
    st = w.streamers[np.minimum(np.searchsorted(w.st_cum, u, side="right"), len(w.streamers) - 1)]
    lo, hi = w.st_sess_lo[st], w.st_sess_hi[st]
    clo = np.where(lo > 0, w.sess_cum[np.maximum(lo - 1, 0)], 0.0)
    chi = w.sess_cum[hi - 1]
    sess = np.clip(np.searchsorted(w.sess_cum, clo + rng.random(n) * (chi - clo), side="right"), lo, hi - 1)
    plat = w.platform_of[st]
    mcn = w.mcn_of[st]
    has_mcn = mcn >= 0
    prod = np.minimum(np.searchsorted(w.prod_cum, rng.random(n) * w.prod_cum[-1], side="right"), len(w.prod_id) - 1)
    brand = w.prod_brand[prod]
    cat = rng.choice(10, n, p=CAT_P)
    # sensitive-skin-suitable products cause fewer allergies: move some to skin fit
    sens = w.prod_sensitive[prod]
    flip = (cat == C["allergy"]) & sens & (rng.random(n) < 0.15)
    cat[flip] = C["skin_fit"]
    flip2 = (cat == C["skin_fit"]) & ~sens & (rng.random(n) < 0.16)
    cat[flip2] = C["allergy"]
    ch = (rng.random(n)[:, None] > np.cumsum(CHANNEL_P[cat], axis=1)).sum(axis=1)
    ch = np.minimum(ch, 2)
    # effective quality of the service this case receives
    wts = CHANNEL_WEIGHTS[ch]
    mq = np.where(has_mcn[:, None], Q[np.maximum(mcn, 0)], Q[st])
    q_eff = wts[:, 0:1] * Q[st] + wts[:, 1:2] * Q[plat] + wts[:, 2:3] * mq + wts[:, 3:4] * Q[brand]
    z = (q_eff - w.qbar) / 10.0
    z1, z2, z3, z4, z5, z6 = (z[:, i] for i in range(6))
    zall = z.mean(axis=1)

    # --- times ------------------------------------------------------------------------------
    s0, s1 = w.sess_start[sess], w.sess_end[sess]
    ordered = s0 + (rng.random(n) * (s1 - s0)).astype(np.int64)
    lag = _lognorm_mean(rng, LAG_DAYS[cat], 0.55) * 86400
    created = ordered + lag.astype(np.int64) + 60
    late = created > w.period_end_s - 3600
    room = np.maximum(w.period_end_s - 3600 - ordered, 120)
    created = np.where(late, ordered + 60 + (rng.random(n) * room).astype(np.int64), created)
    day = np.clip((created - w.period_start_s) // 86400, 0, len(w.days.promotion) - 1)
    promo = w.days.promotion[day]
    offday = ~w.days.workday[day]
    t0 = created

    # --- triage, AI, first human reply ------------------------------------------------------
    promise = np.where(ch == 1, 24.0, np.where(ch == 2, 72.0, w.promise_platform[plat]))
    ai_first = rng.random(n) < _sig(_logit(0.70) + 0.8 * z5)
    t_ai = t0 + rng.integers(5, 120, n)
    pro_q = np.isin(cat, [C["allergy"], C["skin_fit"], C["ingredient_mismatch"], C["counterfeit"]])
    esc = ai_first & (rng.random(n) < _sig(_logit(0.34) + 0.35 * pro_q - 0.9 * z5))
    t_esc = t_ai + rng.integers(60, 900, n)
    p_correct = _sig(_logit(0.775) + 0.7 * z5)
    correct = rng.random(n) < p_correct
    wrong = np.where(rng.random(n) < 0.7, NEIGHBOUR[cat], (cat + rng.integers(1, 10, n)) % 10)
    pred = np.where(correct, cat, wrong)
    has_pred = rng.random(n) < 0.98
    # First human reply (spec §11): head streamers ~8 h; platforms 48 h before AI triage and ~12 h
    # with it (report 2.3: 抖音 AI分流 48 h → 12 h); a brand's own channel answers within a couple
    # of days but takes ~7 days to finish (report 2.1: 品牌直营售后处理平均7天, see res_days below).
    base_h = np.where(ch == 1, 11.0, np.where(ch == 2, 40.0, np.where(ai_first, 9.0, 22.0)))
    mult = np.exp(-0.55 * z1) * np.where(promo, 1.6, 1.0) * np.where(offday, 1.2, 1.0)
    queue_h = _lognorm_mean(rng, base_h * mult, 0.85)
    wait_min = _lognorm_mean(rng, 40.0 * np.exp(-0.7 * z1) * np.where(promo, 1.8, 1.0), 1.0)
    t_fh = t0 + (queue_h * 3600).astype(np.int64)
    t_fh = np.where(esc, np.minimum(t_fh, t_esc + (wait_min * 60).astype(np.int64)), t_fh)
    t_fh = np.maximum(t_fh, t0 + 60)

    # --- routing and transfers --------------------------------------------------------------
    resp = RESPONSIBLE[cat]
    disputed = DISPUTED[cat]
    buck_p = np.where(disputed, _sig(_logit(0.44) - 2.0 * z4), _sig(_logit(0.04) - 2.0 * z4))
    buck = rng.random(n) < buck_p
    n_buck = 3 + np.minimum(rng.poisson(3.8 * np.exp(-0.6 * z4)), 12)
    small_p = np.where(disputed, 0.92, 0.35) * _sig(-0.8 * z4) * 2
    n_small = rng.binomial(2, np.clip(small_p / 2, 0, 1))
    n_tr = np.where(buck, n_buck, n_small)
    routed_right = (n_tr == 0) | ((n_tr >= 2) & (rng.random(n) < 0.15))
    wrong_party = np.array([P_PLATFORM, P_STREAMER, P_BRAND, P_MCN])[rng.integers(0, 4, n)]
    wrong_party = np.where(wrong_party == resp, np.where(resp == P_BRAND, P_STREAMER, P_BRAND), wrong_party)
    wrong_party = np.where((wrong_party == P_MCN) & ~has_mcn, P_PLATFORM, wrong_party)
    wrong_party = np.where(wrong_party == resp, _other(resp, resp), wrong_party)
    routed = np.where(routed_right, resp, wrong_party)
    # transfer chain: each transfer hands the case to another party; the last reaches the responsible one
    tr_case = np.repeat(np.arange(n), n_tr)
    first_idx = np.cumsum(n_tr) - n_tr
    tr_pos = np.arange(len(tr_case)) - np.repeat(first_idx, n_tr)
    tr_last = tr_pos == n_tr[tr_case] - 1
    tr_party = np.array([P_PLATFORM, P_STREAMER, P_BRAND, P_MCN, P_LOGISTICS])[
        rng.choice(5, len(tr_case), p=[0.3, 0.3, 0.3, 0.07, 0.03])]
    tr_party = np.where((tr_party == P_MCN) & ~has_mcn[tr_case], P_PLATFORM, tr_party)
    tr_party = np.where(tr_last, resp[tr_case], tr_party)
    # no party transfers a case to itself: walk the chains position by position
    second_last = tr_pos == n_tr[tr_case] - 2
    for pos in range(int(n_tr.max()) if len(n_tr) else 0):
        at = np.flatnonzero((tr_pos == pos) & ~tr_last)
        if not len(at):
            continue
        prv = routed[tr_case[at]] if pos == 0 else tr_party[at - 1]
        avoid = np.where(second_last[at], resp[tr_case[at]], prv)
        bad = (tr_party[at] == prv) | (tr_party[at] == avoid)
        tr_party[at] = np.where(bad, _other(prv, avoid), tr_party[at])
    prev = np.where(tr_pos == 0, routed[tr_case], np.roll(tr_party, 1))
    gaps = _lognorm_mean(rng, 14.0 * np.exp(-0.3 * z2[tr_case]) * np.where(promo[tr_case], 1.4, 1.0), 0.8) * 3600
    gsum = np.cumsum(gaps)
    has_tr = n_tr > 0
    start_cum = (gsum - gaps)[first_idx[has_tr]] if len(gsum) else np.zeros(0)
    within = gsum - np.repeat(start_cum, n_tr[has_tr])
    t_tr = t_fh[tr_case] + within.astype(np.int64)
    t_tr_reply = t_tr + (_lognorm_mean(rng, 5.0 * np.where(promo[tr_case], 1.5, 1.0), 0.9) * 3600).astype(np.int64)
    t_handled = t_fh.copy()
    if len(tr_case):
        np.maximum.at(t_handled, tr_case, t_tr_reply)
    final_party = resp

    # --- outcome draws ------------------------------------------------------------------------
    withdrawn = rng.random(n) < np.where(cat == C["allergy"], 0.14, 0.025)
    state = np.select([np.isin(cat, [C["logistics_damage"], C["gift_missing"], C["counterfeit"]]),
                       np.isin(cat, [C["allergy"], C["skin_fit"], C["false_advertising"]])],
                      [rng.choice(3, n, p=[0.75, 0.2, 0.05]), rng.choice(3, n, p=[0.0, 0.1, 0.9])],
                      rng.choice(3, n, p=[0.35, 0.3, 0.35]))
    has_state = rng.random(n) < 0.9
    skin = np.where(cat == C["allergy"], rng.choice(5, n, p=[0.15, 0.1, 0.15, 0.1, 0.5]),
                    rng.choice(5, n, p=[0.25, 0.25, 0.25, 0.15, 0.1]))
    has_skin = rng.random(n) < np.where(np.isin(cat, [C["allergy"], C["skin_fit"]]), 0.9, 0.4)

    # refunds
    amount = w.prod_price[prod] * rng.choice([1, 1, 1, 1, 2, 3], n)
    refund = ~withdrawn & (rng.random(n) < REFUND_P[cat])
    t_rreq = np.where(np.isin(cat, [C["return_refund"], C["logistics_damage"]]),
                      t0 + rng.integers(30, 7200, n), t_fh + rng.integers(600, 86400, n))
    refund_fail = refund & (rng.random(n) < _sig(_logit(0.035) - 0.6 * z2))
    refund_ok = refund & ~refund_fail
    r_hours = _lognorm_mean(rng, 17.0 * np.exp(-0.55 * z2) * np.where(promo, 1.35, 1.0), 0.95) + 2.5 * n_tr
    t_rissue = t_rreq + (r_hours * 3600).astype(np.int64)
    returned = refund & has_state & (state < 2) & (cat != C["logistics_damage"])
    t_return = t_rreq + (rng.uniform(1.0, 4.5, n) * 86400).astype(np.int64)
    refund_amt = np.round(np.where(cat == C["gift_missing"], amount * rng.uniform(0.1, 0.3, n), amount), 2)
    refund_payer = np.where(rng.random(n) < 0.22, P_PLATFORM, final_party)
    refund_payer = np.where(refund_payer == P_MCN, P_STREAMER, refund_payer)
    # evidence (photos, hospital records)
    evid = ~withdrawn & (rng.random(n) < EVIDENCE_P[cat])
    t_evreq = t_fh + rng.integers(120, 7200, n)
    evid_recv = evid & (rng.random(n) < np.where(cat == C["allergy"], 0.80, 0.88))
    t_evrec = t_evreq + (_lognorm_mean(rng, 20.0, 0.9, n) * 3600).astype(np.int64)
    # allergy: medical compensation (spec §11: ~23 % of allergy cases)
    allergy = cat == C["allergy"]
    med = allergy & evid_recv & ~withdrawn & (rng.random(n) < _sig(_logit(0.36) + 0.9 * z2))
    t_med = np.maximum(t_evrec, t_handled) + (_lognorm_mean(rng, 2.0, 0.6, n) * 86400).astype(np.int64)
    med_amt = np.round(_lognorm_mean(rng, 420.0, 0.7, n), 2)
    med_payer = np.where(rng.random(n) < 0.8, P_BRAND, P_PLATFORM)
    # rule conflicts (spec §11: behind 41 % of complaints)
    conflict = rng.random(n) < _sig(_logit(0.41) - 0.9 * z4)
    t_conf = t_fh + (rng.random(n) * np.maximum(t_handled - t_fh, 600)).astype(np.int64) + 300
    conf_detail = D["平台规则:7天无理由退货 vs 品牌规则:已拆封不退"] + rng.integers(0, 5, n)
    # compensation (personalized adoption ~52 %)
    anger_open = rng.random(n) < ANGER_P[cat] * np.exp(-0.25 * z6)
    comp = ~withdrawn & (rng.random(n) < np.minimum(COMP_P[cat] + 0.15 * anger_open, 0.95))
    personal = rng.random(n) < _sig(_logit(0.45) + 1.0 * z6)
    acc_p = np.where(personal, _sig(_logit(0.47) + 0.9 * z6), _sig(_logit(0.35) + 0.5 * z6))
    comp_acc = comp & (rng.random(n) < acc_p)
    t_off = t_handled + rng.integers(1800, 86400, n)
    t_acc = t_off + (_lognorm_mean(rng, 8.0, 0.9, n) * 3600).astype(np.int64)
    comp_amt = np.round(np.where(personal, amount * rng.uniform(0.1, 0.5, n),
                                 rng.choice([5.0, 10.0, 20.0, 30.0], n)), 2)
    comp_payer = np.where(final_party == P_LOGISTICS, P_LOGISTICS,
                          np.where(final_party == P_PLATFORM, P_PLATFORM, final_party))
    # arbitration (consumer win rate ~18 %)
    arb = ~withdrawn & (rng.random(n) < np.where(buck, 0.16, np.where(disputed, 0.035, 0.01)))
    t_arb = t_handled + (_lognorm_mean(rng, 1.5, 0.7, n) * 86400).astype(np.int64)
    arb_days = _lognorm_mean(rng, 6.5 * np.exp(-0.45 * z4), 0.6)
    t_arbd = t_arb + (arb_days * 86400).astype(np.int64)
    arb_party = np.where(rng.random(n) < 0.92, resp, routed)
    win = rng.random(n) < _sig(_logit(0.18) + 0.4 * z4)
    # resolution
    unres_p = _sig(_logit(0.09) - 0.6 * z3 + 0.5 * buck)
    unresolved = ~withdrawn & ((rng.random(n) < unres_p) | refund_fail | (arb & ~win & (rng.random(n) < 0.6)))
    res_days = _lognorm_mean(rng, RES_DAYS[cat] * np.exp(-0.45 * z2) * np.where(promo, 1.25, 1.0)
                             * np.where(ch == 2, 1.3, 1.0), 0.55)
    t_res = t0 + (res_days * 86400).astype(np.int64)
    t_res = np.maximum(t_res, t_handled + 1800)
    t_res = np.where(refund_ok, np.maximum(t_res, t_rissue + 600), t_res)
    t_res = np.where(med, np.maximum(t_res, t_med + 600), t_res)
    t_res = np.where(comp_acc, np.maximum(t_res, t_acc + 600), t_res)
    t_res = np.where(comp & ~comp_acc, np.maximum(t_res, t_off + 3600), t_res)
    t_res = np.where(arb, np.maximum(t_res, t_arbd + 1800), t_res)
    t_res = np.where(evid_recv, np.maximum(t_res, t_evrec + 1800), t_res)
    t_res = np.where(conflict, np.maximum(t_res, t_conf + 600), t_res)
    t_wd = t_fh + (rng.uniform(1, 96, n) * 3600).astype(np.int64)   # consumer gives up
    t_res = np.where(withdrawn, np.maximum(t_wd, t_handled + 1800), t_res)
    resolved = ~withdrawn & ~unresolved
    t_close = t_res + np.where(resolved, (_lognorm_mean(rng, 10.0, 0.8, n) * 3600).astype(np.int64), 0)
    # reopen (repeat complaint)
    reopen = ~withdrawn & (rng.random(n) < _sig(_logit(0.07) - 0.6 * z2 + 0.6 * unresolved))
    t_reopen = t_close + (np.minimum(_lognorm_mean(rng, 5.0, 0.8, n), 28.0) * 86400).astype(np.int64)
    t_rereply = t_reopen + (_lognorm_mean(rng, 10.0 * np.exp(-0.4 * z1), 0.8) * 3600).astype(np.int64)
    resolved2 = reopen & (rng.random(n) < _sig(_logit(0.8) + 0.5 * z3))
    t_res2 = t_rereply + (_lognorm_mean(rng, 2.0, 0.7, n) * 86400).astype(np.int64)
    t_close2 = t_res2 + 7200
    t_final = np.where(reopen, t_close2, t_close)
    # anger → senior agent within 30 min (M4)
    anger_buck = ~anger_open & (n_tr >= 3) & (rng.random(n) < 0.5)
    anger = anger_open | anger_buck
    t_third = t_tr[np.minimum(first_idx + 2, len(t_tr) - 1)] if len(t_tr) else np.zeros(n, np.int64)
    t_anger = np.where(anger_open, t0 + rng.integers(30, 180, n), t_third + 600)
    fast = rng.random(n) < _sig(_logit(0.55) + 1.1 * z6)
    senior_min = np.where(fast, np.minimum(_lognorm_mean(rng, 12.0, 0.6, n), 29.0),
                          30.0 + _lognorm_mean(rng, 150.0, 1.0, n))
    senior = anger & (fast | (rng.random(n) < 0.7))
    t_senior = t_anger + (senior_min * 60).astype(np.int64)
    care = senior & (rng.random(n) < 0.6)
    t_care = t_senior + rng.integers(600, 7200, n)
    # quality check
    qc = rng.random(n) < _sig(_logit(0.45) + 1.2 * z5)
    t_qc = t_close + rng.integers(600, 2 * 86400, n)

    # --- surveys ------------------------------------------------------------------------------
    final_resolved = np.where(reopen, resolved2, resolved)
    final_unres = ~withdrawn & ~final_resolved
    slow = (t_fh - t0) / 3600.0 > promise
    util = (0.65 * z3 + 0.3 * z6 + 0.55 * final_resolved - 0.9 * final_unres - 0.10 * n_tr - 0.35 * reopen
            - 0.35 * slow + 0.25 * comp_acc + rng.normal(0, 1.0, n))
    csat = 1 + np.searchsorted(np.array([-2.2, -1.5, -0.8, -0.05]), util)
    nps = np.clip(np.round(9.0 + 1.9 * (util + rng.normal(0, 0.6, n))), 0, 10).astype(np.int64)
    has_csat = rng.random(n) < 0.45
    has_nps = rng.random(n) < 0.35
    t_csat = t_final + rng.integers(600, 3 * 86400, n)
    t_nps = t_final + rng.integers(600, 3 * 86400, n)
    fu = ~withdrawn & ((has_csat & (csat <= 3)) | (rng.random(n) < _sig(_logit(0.30) + 1.0 * z6)))
    t_fu = np.where(has_csat & (csat <= 3), t_csat + 3600, t_final + 86400)
    fu_done = fu & (rng.random(n) < _sig(_logit(0.85) + 0.8 * z6))
    t_fudone = t_fu + rng.integers(4 * 3600, 72 * 3600, n)
    fu_sat = rng.random(n) < _sig(_logit(0.83) + 1.0 * z6 + 0.5 * final_resolved - 0.8 * final_unres)

    # --- cut-off: the data are exported at w.cutoff_s ----------------------------------------
    cut = w.cutoff_s
    is_open = (t_close > cut) | (reopen & (t_reopen <= cut) & (t_close2 > cut))
    outcome = np.where(withdrawn, 3, np.where(final_resolved, 1, 2))
    outcome = np.where(is_open, 0, outcome)

    # --- events -------------------------------------------------------------------------------
    ev = _Buf({"t": 0, "kind": 0, "actor": 0, "party": -1, "amount": np.nan, "payer": -1, "ck": -1, "detail": -1})
    allc = np.ones(n, bool)
    ev.add(allc, t=t0, kind=K["created"], actor=P_CONSUMER)
    ev.add(allc, t=t0 + 20, kind=K["routed"], actor=P_PLATFORM, party=routed)
    ev.add(ai_first, t=t_ai, kind=K["ai_reply"], actor=P_AI)
    ev.add(esc, t=t_esc, kind=K["escalated_to_human"], actor=P_AI)
    ev.add(allc, t=t_fh, kind=K["human_reply"], actor=routed)
    if len(tr_case):
        ev.add(tr_case, t=t_tr, kind=K["transfer"], actor=prev, party=tr_party)
        ev.add(tr_case, t=t_tr_reply, kind=K["human_reply"], actor=tr_party)
    ev.add(anger, t=t_anger, kind=K["anger_detected"], actor=P_AI)
    ev.add(senior, t=t_senior, kind=K["senior_agent_assigned"], actor=routed)
    ev.add(care, t=t_care, kind=K["care_package_sent"], actor=routed, detail=D["小样+优惠券关怀包"])
    ev.add(evid, t=t_evreq, kind=K["evidence_requested"], actor=routed,
           detail=np.where(allergy, D["expert_queue_48h"], -1))
    ev.add(evid_recv, t=t_evrec, kind=K["evidence_received"], actor=P_CONSUMER)
    ev.add(refund, t=t_rreq, kind=K["refund_requested"], actor=P_CONSUMER)
    ev.add(returned & (t_return < t_res), t=t_return, kind=K["return_received"], actor=final_party)
    ev.add(refund_ok, t=t_rissue, kind=K["refund_issued"], actor=refund_payer, amount=refund_amt, payer=refund_payer)
    ev.add(conflict, t=t_conf, kind=K["rule_conflict"], actor=P_PLATFORM, detail=conf_detail)
    ev.add(comp, t=t_off, kind=K["compensation_offered"], actor=final_party, ck=np.where(personal, 0, 1),
           amount=comp_amt)
    ev.add(comp_acc, t=t_acc, kind=K["compensation_accepted"], actor=P_CONSUMER, ck=np.where(personal, 0, 1),
           amount=comp_amt, payer=comp_payer)
    ev.add(med, t=t_med, kind=K["medical_compensation_paid"], actor=med_payer, amount=med_amt, payer=med_payer)
    ev.add(arb, t=t_arb, kind=K["arbitration_opened"], actor=P_CONSUMER)
    ev.add(arb, t=t_arbd, kind=K["arbitration_decided"], actor=P_PLATFORM, party=arb_party,
           detail=np.where(win, D["consumer_win"], D["consumer_loss"]))
    ev.add(resolved, t=t_res, kind=K["resolved"], actor=final_party)
    ev.add(~withdrawn, t=t_close, kind=K["closed"], actor=np.where(resolved, P_PLATFORM, final_party),
           detail=np.where(resolved, D["auto_closed"], -1))
    ev.add(withdrawn, t=t_close, kind=K["closed"], actor=P_CONSUMER, detail=D["withdrawn"])
    ev.add(qc, t=t_qc, kind=K["qc_checked"], actor=P_AI)
    ev.add(reopen, t=t_reopen, kind=K["reopened"], actor=P_CONSUMER)
    ev.add(reopen, t=t_rereply, kind=K["human_reply"], actor=final_party)
    ev.add(resolved2, t=t_res2, kind=K["resolved"], actor=final_party)
    ev.add(reopen, t=t_close2, kind=K["closed"], actor=final_party)
    ev.add(fu, t=t_fu, kind=K["follow_up_created"], actor=P_PLATFORM)
    ev.add(fu_done, t=t_fudone, kind=K["follow_up_done"], actor=routed, detail=D["专属客服回访"])
    e = ev.arrays()
    keep = e["t"] <= cut
    e = {k: v[keep] for k, v in e.items()}
    order = np.lexsort((~(e["kind"] == K["created"]), e["t"], e["_case"]))
    e = {k: v[order] for k, v in e.items()}
    n_ev = len(e["t"])

    case_ids = _ids("K-", first_case + 1, n, 9)
    case_col = case_ids.take(pa.array(e["_case"]))
    events = pa.table({
        "event_id": _ids("EV-", counters["events"] + 1, n_ev, 10),
        "case_id": case_col,
        "at": pa.array(e["t"].astype(np.int64), TZ),
        "kind": _take(list(KINDS), e["kind"].astype(np.int64)),
        "actor": _take(list(PARTIES), e["actor"].astype(np.int64)),
        "party": _opt(e["party"].astype(np.int64), PARTIES),
        "amount": pa.array(e["amount"].astype(float), pa.float64(), from_pandas=True),
        "payer": _opt(e["payer"].astype(np.int64), PARTIES),
        "compensation_kind": _opt(e["ck"].astype(np.int64), E.ids(E.COMPENSATION_KINDS)),
        "detail": _opt(e["detail"].astype(np.int64), DETAILS),
    })
    counters["events"] += n_ev

    # --- messages -----------------------------------------------------------------------------
    n_cons = len(pools.consumer)
    off_agent = n_cons
    off_ai = off_agent + len(pools.agent)
    off_follow = off_ai + len(pools.ai)
    p_pos = _sig(_logit(0.70) + 1.0 * z6)

    def tone(idx):
        pos = rng.random(len(idx)) < p_pos[idx]
        return np.where(pos, 0, np.where(rng.random(len(idx)) < 0.65, 1, 2))

    emo = np.where(anger_open, 0, np.where(rng.random(n) < 0.5, 1, 2))
    pword = w.prod_word[prod]
    ms = _Buf({"t": 0, "sender": 0, "text": 0, "tone": -1})
    ar = np.arange(n)
    ms.add(ar, t=t0, sender=0, text=pools.consumer_index(rng, cat, emo, pword))
    ai_i = np.flatnonzero(ai_first)
    ms.add(ai_i, t=t_ai[ai_i] + 2, sender=2, text=off_ai + pools.ai_index(rng, pred[ai_i]))
    es_i = np.flatnonzero(esc)
    ms.add(es_i, t=t_esc[es_i] - 30, sender=0, text=off_follow + pools.follow_index(rng, len(es_i)))
    tn = tone(ar)
    ms.add(ar, t=t_fh + 5, sender=1, text=off_agent + pools.agent_index(rng, tn), tone=tn)
    n_agent = np.ones(n, np.int64)
    n_pos = (tn == 0).astype(np.int64)
    contacts = 1 + esc.astype(np.int64)
    if len(tr_case):
        fol = rng.random(len(tr_case)) < 0.7
        fi = tr_case[fol]
        ms.add(fi, t=t_tr[fol] + 300, sender=0, text=off_follow + pools.follow_index(rng, len(fi)))
        contacts += np.bincount(fi, minlength=n)
        tt = tone(tr_case)
        ms.add(tr_case, t=t_tr_reply + 5, sender=1, text=off_agent + pools.agent_index(rng, tt), tone=tt)
        n_agent += np.bincount(tr_case, minlength=n)
        n_pos += np.bincount(tr_case, weights=(tt == 0), minlength=n).astype(np.int64)
    ri = np.flatnonzero(resolved)
    tr_ = tone(ri)
    ms.add(ri, t=t_res[ri] - 60, sender=1, text=off_agent + pools.agent_index(rng, tr_), tone=tr_)
    n_agent[ri] += 1
    n_pos[ri] += tr_ == 0
    rp = np.flatnonzero(reopen)
    ms.add(rp, t=t_reopen[rp] + 10, sender=0, text=off_follow + pools.follow_index(rng, len(rp)))
    contacts[rp] += 1
    trp = tone(rp)
    ms.add(rp, t=t_rereply[rp] + 5, sender=1, text=off_agent + pools.agent_index(rng, trp), tone=trp)
    m = ms.arrays()
    keep = m["t"] <= cut
    m = {k: v[keep] for k, v in m.items()}
    order = np.lexsort((m["t"], m["_case"]))
    m = {k: v[order] for k, v in m.items()}
    all_text = pools.all_text
    n_msg = len(m["t"])
    messages = pa.table({
        "message_id": _ids("M-", counters["messages"] + 1, n_msg, 10),
        "case_id": case_ids.take(pa.array(m["_case"])),
        "at": pa.array(m["t"].astype(np.int64), TZ),
        "sender": _take(list(E.ids(E.MESSAGE_SENDERS)), m["sender"].astype(np.int64)),
        "text": all_text.take(pa.array(m["text"].astype(np.int64))),
        # judged later by the tone model (contract: leave empty on export); the true tone is in the truth
        "tone": pa.nulls(n_msg, pa.string()),
    })
    agent_msg = m["tone"] >= 0
    messages_truth = pa.table({
        "message_id": messages["message_id"].filter(pa.array(agent_msg)),
        "tone": _take(list(E.ids(E.TONES)), m["tone"][agent_msg].astype(np.int64)),
    })
    counters["messages"] += n_msg

    # --- surveys ------------------------------------------------------------------------------
    consumer = rng.integers(0, w.n_consumers, n)
    sv_case, sv_kind, sv_score, sv_t = [], [], [], []
    for mask, kind, score, t in ((has_csat & ~withdrawn, 0, csat, t_csat), (has_nps & ~withdrawn, 1, nps, t_nps),
                                 (fu_done, 2, fu_sat.astype(np.int64), t_fudone + 60)):
        mask = mask & (t <= cut)
        idx = np.flatnonzero(mask)
        sv_case.append(idx); sv_kind.append(np.full(len(idx), kind)); sv_score.append(score[idx]); sv_t.append(t[idx])
    sv_case = np.concatenate(sv_case)
    sv_order = np.lexsort((np.concatenate(sv_t), sv_case))
    sv_case = sv_case[sv_order]
    n_sv = len(sv_case)
    surveys = pa.table({
        "survey_id": _ids("SV-", counters["surveys"] + 1, n_sv, 9),
        "case_id": case_ids.take(pa.array(sv_case)),
        "consumer_id": _fmt("U-", consumer[sv_case] + 1, 8),
        "kind": _take(list(E.ids(E.SURVEY_KINDS)), np.concatenate(sv_kind)[sv_order]),
        "score": pa.array(np.concatenate(sv_score)[sv_order].astype(np.int64)),
        "at": pa.array(np.concatenate(sv_t)[sv_order].astype(np.int64), TZ),
    })
    counters["surveys"] += n_sv

    # --- orders (each case's order plus background orders of the same sessions) ---------------
    n_bg = rng.poisson(orders_per_case * np.exp(0.35 * zall))
    bg_case = np.repeat(np.arange(n), n_bg)
    nb = len(bg_case)
    bg_prod = np.minimum(np.searchsorted(w.prod_cum, rng.random(nb) * w.prod_cum[-1], side="right"),
                         len(w.prod_id) - 1)
    bg_sess = sess[bg_case]
    bs0, bs1 = w.sess_start[bg_sess], w.sess_end[bg_sess]
    bg_t = bs0 + (rng.random(nb) * (bs1 - bs0)).astype(np.int64)
    bg_amt = np.round(w.prod_price[bg_prod] * rng.choice([1, 1, 1, 1, 2, 3], nb), 2)
    o_first = counters["orders"] + 1
    case_order_ids = _ids("O-", o_first, n, 10)
    bg_ids = _ids("O-", o_first + n, nb, 10)
    counters["orders"] += n + nb
    sess_ids = w.sess_ids
    prod_ids = w.prod_ids_arr
    orders = pa.table({
        "order_id": pa.concat_arrays([case_order_ids, bg_ids]),
        "session_id": sess_ids.take(pa.array(np.concatenate([sess, bg_sess]))),
        "product_id": prod_ids.take(pa.array(np.concatenate([prod, bg_prod]))),
        "consumer_id": _fmt("U-", np.concatenate([consumer, rng.integers(0, w.n_consumers, nb)]) + 1, 8),
        "amount": pa.array(np.concatenate([np.round(amount, 2), bg_amt])),
        "ordered_at": pa.array(np.concatenate([ordered, bg_t]).astype(np.int64), TZ),
    })

    # --- cases --------------------------------------------------------------------------------
    confirmed_known = t_fh <= cut
    cases = pa.table({
        "case_id": case_ids,
        "order_id": case_order_ids,
        "consumer_id": _fmt("U-", consumer + 1, 8),
        "created_at": pa.array(t0.astype(np.int64), TZ),
        "channel": _take(list(CHANNELS), ch),
        "promised_response_hours": pa.array(promise.astype(float)),
        "category_predicted": _opt(np.where(has_pred, pred, -1), CATS),
        "category_confirmed": _opt(np.where(confirmed_known, cat, -1), CATS),
        "outcome": _take(list(E.ids(E.CASE_OUTCOMES)), outcome),
        "product_state": _opt(np.where(has_state, state, -1), STATES),
        "skin_type": _opt(np.where(has_skin, skin, -1), SKINS),
    })

    # --- claims made on air about the case's product (exaggerated for 功效/成分 cases) -------
    claim_cat = np.isin(cat, [C["false_advertising"], C["ingredient_mismatch"], C["gift_missing"]])
    ci = np.flatnonzero(claim_cat)
    key = sess[ci].astype(np.int64) * (len(w.prod_id) + 1) + prod[ci]
    _, first = np.unique(key, return_index=True)
    ci = ci[np.sort(first)]
    exag = cat[ci] != C["gift_missing"]
    cidx = pick_claims(w, rng, prod[ci], exag)
    gift = ~exag
    cidx = np.where(gift, w.claim_gift_off + (ci % w.claim_gift_n), cidx)
    n_cl = len(ci)
    off_s = np.maximum(ordered[ci] - w.sess_start[sess[ci]] - rng.integers(60, 1800, n_cl), 0)
    notar = w.sess_notarized[sess[ci]]
    claims = pa.table({
        "claim_id": _ids("CL-", counters["claims"] + 1, n_cl, 9),
        "session_id": sess_ids.take(pa.array(sess[ci])),
        "product_id": prod_ids.take(pa.array(prod[ci])),
        "text": w.claim_texts_arr.take(pa.array(cidx)),
        "offset_seconds": pa.array(off_s.astype(np.int64)),
        "evidence_ref": pc.if_else(pa.array(notar), w.sess_evidence.take(pa.array(sess[ci])),
                                   pa.scalar(None, pa.string())),
    })
    claims_truth = pa.table({
        "claim_id": claims["claim_id"],
        "exaggerated": pa.array(exag),
        "reason": _take(list(w.claim_reason_names), np.where(gift, 0, w.claim_reason[cidx])),
    })
    counters["claims"] += n_cl

    # --- truth per case -------------------------------------------------------------------------
    truth = pa.table({
        "case_id": case_ids,
        "streamer_id": w.sid_arr.take(pa.array(st)),
        "platform_id": w.sid_arr.take(pa.array(plat)),
        "brand_id": w.sid_arr.take(pa.array(brand)),
        "mcn_id": _opt(mcn, w.sid),
        "true_category": _take(list(CATS), cat),
        "disputed": pa.array(disputed),
        "buck_passing": pa.array(buck),
        "transfers": pa.array(n_tr.astype(np.int64)),
        "routed_party": _take(list(PARTIES), routed),
        "responsible_party": _take(list(PARTIES), resp),
        "emotion": _take(list(E.ids(E.EMOTIONS)), emo),
        "ai_first": pa.array(ai_first),
        "escalated": pa.array(esc),
        "ai_correct": pa.array(pred == cat),
        "first_reply_hours": pa.array((t_fh - t0) / 3600.0),
        "promotion": pa.array(promo),
        "agent_messages": pa.array(n_agent),
        "agent_positive": pa.array(n_pos),
        "consumer_contacts": pa.array(contacts),
        "arbitration_consumer_win": pa.array(np.where(arb, win, False)),
        **{f"q_{d}": pa.array(np.round(q_eff[:, i], 2)) for i, d in enumerate(("D1", "D2", "D3", "D4", "D5", "D6"))},
    })

    # --- per subject-month measured stats (for self-reports / perceptions) ------------------
    month = w.day_month[np.clip(day, 0, len(w.day_month) - 1)]
    within24 = (t_fh - t0) <= 24 * 3600
    r72 = refund_ok & ((t_rissue - t_rreq) <= 72 * 3600)
    stats = w.stats
    M = w.months
    for subj in (st, plat, brand, np.where(has_mcn, mcn, -1)):
        ok = subj >= 0
        cell = subj[ok] * M + month[ok]
        np.add.at(stats["n"], cell, 1)
        np.add.at(stats["r24"], cell, within24[ok])
        np.add.at(stats["refund"], cell, refund[ok])
        np.add.at(stats["r72"], cell, r72[ok])
        np.add.at(stats["fu"], cell, (fu_done & (t_fudone <= cut))[ok])
        np.add.at(stats["fu_sat"], cell, (fu_done & fu_sat & (t_fudone <= cut))[ok])
        np.add.at(stats["csat_n"], cell, (has_csat & ~withdrawn)[ok])
        np.add.at(stats["csat_sum"], cell, np.where(has_csat & ~withdrawn, csat, 0)[ok])
        np.add.at(stats["fh_sum"], cell, ((t_fh - t0) / 3600.0)[ok])
    return {"orders": orders, "cases": cases, "case_events": events, "messages": messages,
            "surveys": surveys, "claims": claims, "_cases_truth": truth, "_claims_truth": claims_truth,
            "_messages_truth": messages_truth}
