"""Validation inputs (spec §6) driven by the truth and by what the cases measured.

- self_reports: what a subject claims about itself; beautifiers (a hidden trait, more common among
  weak subjects) inflate their figures (e.g. claimed R1 0.95 when measured 0.82);
- perceptions: consumer-survey perception, below the measured value (the report: 95 / 82 / 65);
- mystery_shops: tests with response times drawn around the subject's measured mean;
- panel_ratings + blinding: experts and consumers score blinded subject codes per quarter;
- behaviour: repurchase and recommendation rates driven by true quality.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from lashi.contract import enums as E

from .world import World


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _period(w: World, m: int) -> str:
    y = w.start.year + (w.start.month - 1 + m) // 12
    mo = (w.start.month - 1 + m) % 12 + 1
    return f"{y}-{mo:02d}"


def _quarter(w: World, m: int) -> str:
    y = w.start.year + (w.start.month - 1 + m) // 12
    mo = (w.start.month - 1 + m) % 12 + 1
    return f"{y}-Q{(mo - 1) // 3 + 1}"


def validation_tables(w: World) -> dict[str, pa.Table]:
    rng = np.random.default_rng([w.seed, 7])
    st = w.stats
    M = w.months
    n_subj = len(w.sid)
    n = st["n"].reshape(n_subj, M)
    r24 = st["r24"].reshape(n_subj, M)
    rf = st["refund"].reshape(n_subj, M)
    r72 = st["r72"].reshape(n_subj, M)
    fu = st["fu"].reshape(n_subj, M)
    fus = st["fu_sat"].reshape(n_subj, M)
    cn = st["csat_n"].reshape(n_subj, M)
    cs = st["csat_sum"].reshape(n_subj, M)
    fh = st["fh_sum"].reshape(n_subj, M)

    # --- self reports and perceptions ------------------------------------------------------------
    sr, pe = [], []
    for s in range(n_subj):
        always = w.kind[s] == 0 or w.tier[s] == "head"
        for m in range(M):
            if n[s, m] < 10:
                continue
            measured = {"R1": r24[s, m] / n[s, m]}
            if rf[s, m] >= 5:
                measured["E4"] = r72[s, m] / rf[s, m]
            if fu[s, m] >= 5:
                measured["M3"] = fus[s, m] / fu[s, m]
            if cn[s, m] >= 5:
                measured["S2"] = cs[s, m] / cn[s, m]
            per = _period(w, m)
            if always or rng.random() < 0.4:
                for ind, v in measured.items():
                    if ind == "S2":
                        claim = min(5.0, v + (rng.uniform(0.3, 0.7) if w.beautifier[s] else rng.normal(0, 0.03)))
                    else:
                        claim = v + (1 - v) * rng.uniform(0.45, 0.85) if w.beautifier[s] else v + rng.normal(0, 0.01)
                        claim = float(np.clip(claim, 0, 1))
                    sr.append((w.sid[s], per, ind, round(float(claim), 4)))
            if rng.random() < 0.6:
                resp = int(rng.integers(40, 400))
                for ind, v in measured.items():
                    if ind == "S2":
                        continue
                    # consumers perceive less than was measured (memory of the worst contact)
                    p = float(np.clip(v - rng.uniform(0.08, 0.2), 0.01, 0.99))
                    pe.append((w.sid[s], per, ind, resp, round(rng.binomial(resp, p) / resp, 4)))
    self_reports = pa.table({
        "subject_id": [r[0] for r in sr], "period": [r[1] for r in sr],
        "indicator_id": [r[2] for r in sr], "claimed_value": pa.array([r[3] for r in sr], pa.float64()),
    })
    perceptions = pa.table({
        "subject_id": [r[0] for r in pe], "period": [r[1] for r in pe], "indicator_id": [r[2] for r in pe],
        "respondents": pa.array([r[3] for r in pe], pa.int64()),
        "perceived_value": pa.array([r[4] for r in pe], pa.float64()),
    })

    # --- mystery shops ----------------------------------------------------------------------------
    ms = []
    cats = E.ids(E.CASE_CATEGORIES)
    tested = [s for s in range(n_subj) if w.kind[s] in (0, 1, 2)]
    for s in tested:
        rate = 3.0 if (w.kind[s] == 0 or w.tier[s] == "head") else 0.8
        for m in range(M):
            for _ in range(rng.poisson(rate)):
                mean_h = fh[s, m] / n[s, m] if n[s, m] else 30.0 * np.exp(-(w.overall[s] - 70) / 20)
                day = int(rng.integers(0, 28))
                t = w.period_start_s + int(np.sum(w.month_days[:m])) * 86400 + day * 86400 + int(rng.integers(9, 21)) * 3600
                answered = rng.random() < _sig(2.5 + (w.q[s, 0] - 70) / 10)
                hours = float(rng.lognormal(np.log(max(mean_h, 0.05)) - 0.3, 0.8)) if answered else None
                resolved = bool(rng.random() < _sig(_logit(0.7) + (w.q[s, 1] - 65) / 10))
                ms.append((w.sid[s], t, cats[int(rng.integers(len(cats)))],
                           None if hours is None else round(min(hours, 2000.0), 2), resolved))
    mystery = pa.table({
        "test_id": [f"MS-{i + 1:06d}" for i in range(len(ms))],
        "subject_id": [r[0] for r in ms],
        "at": pa.array([r[1] for r in ms], pa.timestamp("s", tz="+08:00")),
        "scenario": [r[2] for r in ms],
        "first_response_hours": pa.array([r[3] for r in ms], pa.float64()),
        "resolved": pa.array([r[4] for r in ms], pa.bool_()),
    })

    # --- blind panel: experts and consumers over blinded codes, per quarter ----------------------
    pr, bl = [], []
    quarters = sorted({_quarter(w, m) for m in range(M)})
    total = n.sum(axis=1)
    ranked = [s for s in np.argsort(-total) if total[s] >= 30 or w.kind[s] == 0]
    experts = [f"EXP-{i:02d}" for i in range(1, 6)]
    consumers = [f"CON-{i:02d}" for i in range(1, 13)]
    e_bias = rng.normal(0, 2.5, len(experts))
    c_bias = rng.normal(0, 5.0, len(consumers))
    code_no = 0
    for qtr in quarters:
        chosen = list(rng.permutation(ranked[:40]))
        for s in chosen:
            code_no += 1
            code = f"X-{code_no:04d}"
            bl.append((code, qtr, w.sid[s]))
            for r, b in zip(experts, e_bias):
                pr.append((qtr, "expert", r, code, float(np.clip(w.overall[s] + b + rng.normal(0, 4.0), 0, 100))))
            consumer_view = 0.5 * w.overall[s] + 0.25 * w.q[s, 2] + 0.25 * w.q[s, 5]
            for r, b in zip(consumers, c_bias):
                pr.append((qtr, "consumer", r, code, float(np.clip(consumer_view + b + rng.normal(0, 8.0), 0, 100))))
    panel = pa.table({
        "rating_id": [f"PR-{i + 1:06d}" for i in range(len(pr))],
        "period": [r[0] for r in pr], "rater_kind": [r[1] for r in pr], "rater_id": [r[2] for r in pr],
        "blind_code": [r[3] for r in pr], "score": pa.array([round(r[4], 1) for r in pr], pa.float64()),
    })
    blinding = pa.table({"blind_code": [b[0] for b in bl], "period": [b[1] for b in bl],
                         "subject_id": [b[2] for b in bl]})

    # --- behaviour: repurchase and recommendation driven by true quality ------------------------
    bh = []
    for s in range(n_subj):
        for m in range(M):
            if n[s, m] < 5:
                continue
            x = (w.overall[s] - 70.0) / 10.0
            rep = _sig(_logit(0.30) + 0.45 * x + rng.normal(0, 0.12))
            rec = _sig(_logit(0.42) + 0.55 * x + 0.2 * (w.q[s, 2] - 71) / 10 + rng.normal(0, 0.12))
            bh.append((w.sid[s], _period(w, m), round(float(rep), 4), round(float(rec), 4)))
    behaviour = pa.table({"subject_id": [b[0] for b in bh], "period": [b[1] for b in bh],
                          "repurchase_rate": pa.array([b[2] for b in bh], pa.float64()),
                          "recommendation_rate": pa.array([b[3] for b in bh], pa.float64())})
    return {"self_reports": self_reports, "mystery_shops": mystery, "perceptions": perceptions,
            "panel_ratings": panel, "blinding": blinding, "behaviour": behaviour}
