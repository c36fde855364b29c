"""`generate()`: the realistic sample, streamed chunk by chunk into one file per contract table."""
from __future__ import annotations

import datetime as dt
import json
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendar import KNOWN_YEARS, calendar_rows
from .cases import _ids, generate_chunk
from .text import TextPools
from .trials import trials_table
from .validation import validation_tables
from .world import CLAIM_REASONS, DIMS, World, build_claim_pools, build_world, pick_claims, segment_hashes

GENERATOR_VERSION = "1"
TZ = pa.timestamp("s", tz="+08:00")


def _parse_start(start: str | dt.date) -> dt.date:
    if isinstance(start, dt.date):
        return start.replace(day=1)
    y, m = str(start).split("-")[:2]
    return dt.date(int(y), int(m), 1)


def _prepare(w: World, rng) -> None:
    """Arrays shared by all chunks."""
    w.n_consumers = max(1000, int(w.n_cases * 0.85))
    w.sid_arr = pa.array(w.sid, pa.string())
    w.sess_ids = _ids("L-", 1, len(w.sess_start), 7)
    w.prod_ids_arr = pa.array(w.prod_id, pa.string())
    build_claim_pools(w, rng)
    gifts = ["下单即送小样三件套", "前100名送正装", "直播间专属赠品：化妆包", "买一送一同款", "加赠旅行装"]
    w.claim_gift_off = len(w.claim_texts)
    w.claim_gift_n = len(gifts)
    w.claim_texts = w.claim_texts + gifts
    w.claim_reason = np.concatenate([w.claim_reason, np.zeros(len(gifts), np.int64)])
    w.claim_texts_arr = pa.array(w.claim_texts, pa.string())
    w.claim_reason_names = CLAIM_REASONS
    # month of each day index, days per month
    months, month_days = [], []
    for m in range(w.months):
        y = w.start.year + (w.start.month - 1 + m) // 12
        mo = (w.start.month - 1 + m) % 12 + 1
        nxt = dt.date(y + mo // 12, mo % 12 + 1, 1)
        d = (nxt - dt.date(y, mo, 1)).days
        month_days.append(d)
        months.extend([m] * d)
    w.day_month = np.array(months)
    w.month_days = np.array(month_days)
    size = len(w.sid) * w.months
    w.stats = {k: np.zeros(size) for k in ("n", "r24", "refund", "r72", "fu", "fu_sat", "csat_n", "csat_sum", "fh_sum")}


def _subjects_table(w: World) -> pa.Table:
    kinds = np.array(["platform", "streamer", "brand", "mcn"])[w.kind]
    return pa.table({
        "subject_id": w.sid,
        "kind": kinds.tolist(),
        "name": w.name,
        "tier": w.tier,
        "platform_id": [w.sid[p] if p >= 0 else None for p in w.platform_of],
        "mcn_id": [w.sid[m] if m >= 0 else None for m in w.mcn_of],
        "origin": pa.array(w.origin, pa.string()),
        "service_hours": w.service_hours,
    })


def _truth_table(w: World) -> pa.Table:
    n_subj = len(w.sid)
    # notarized share of sessions per streamer and per platform, responsibility-list share per brand
    notar = np.full(n_subj, np.nan)
    cnt = np.bincount(w.sess_streamer, minlength=n_subj)
    nn = np.bincount(w.sess_streamer, weights=w.sess_notarized, minlength=n_subj)
    notar[cnt > 0] = nn[cnt > 0] / cnt[cnt > 0]
    pl = w.platform_of[w.sess_streamer]
    pc_ = np.bincount(pl, minlength=n_subj)
    pn = np.bincount(pl, weights=w.sess_notarized, minlength=n_subj)
    notar[:4] = pn[:4] / np.maximum(pc_[:4], 1)
    resp = np.full(n_subj, np.nan)
    bc = np.bincount(w.prod_brand, minlength=n_subj)
    br = np.bincount(w.prod_brand, weights=w.prod_resp_list, minlength=n_subj)
    resp[bc > 0] = br[bc > 0] / bc[bc > 0]
    kinds = np.array(["platform", "streamer", "brand", "mcn"])[w.kind]
    cols = {
        "subject_id": w.sid, "kind": kinds.tolist(), "tier": w.tier, "origin": pa.array(w.origin, pa.string()),
        "overall": np.round(w.overall, 2),
        **{d: np.round(w.q[:, i], 2) for i, d in enumerate(DIMS)},
        "volume_weight": np.round(w.volume, 4),
        "beautifier": w.beautifier,
        "notarized_share": notar,
        "responsibility_list_share": resp,
    }
    return pa.table(cols)


def _products_table(w: World) -> pa.Table:
    return pa.table({
        "product_id": w.prod_id,
        "brand_id": [w.sid[b] for b in w.prod_brand],
        "name": w.prod_name,
        "category": w.prod_category,
        "tags": pa.array(w.prod_tags, pa.list_(pa.string())),
        "ingredients": pa.array(w.prod_ingredients, pa.list_(pa.string())),
        "responsibility_list": pa.array(w.prod_resp_list, pa.bool_()),
    })


def _sessions_and_segments(w: World, writers, rng, progress, task) -> None:
    """Recording segments (60 s each) of notarized sessions, their evidence references, the
    sessions table and the sessions' own on-air claims."""
    n_s = len(w.sess_start)
    ev = [None] * n_s
    notarized = np.flatnonzero(w.sess_notarized)
    sess_id_list = w.sess_ids.to_pylist()
    batch_sid, batch_idx, batch_a, batch_hash = [], [], [], []
    rows = 0
    for k, i in enumerate(notarized):
        dur = int(w.sess_end[i] - w.sess_start[i])
        n_seg = (dur + 59) // 60
        hs = segment_hashes(w.seed, sess_id_list[i], n_seg)
        import hashlib
        ev[i] = "rec:sha256:" + hashlib.sha256("".join(hs).encode()).hexdigest()
        batch_sid.append(np.full(n_seg, i))
        batch_idx.append(np.arange(n_seg))
        batch_a.append(np.minimum(np.arange(1, n_seg + 1) * 60, dur))
        batch_hash.extend(hs)
        rows += n_seg
        if rows >= 500_000 or k == len(notarized) - 1:
            si = np.concatenate(batch_sid)
            idx = np.concatenate(batch_idx)
            writers.write("recording_segments", pa.table({
                "session_id": w.sess_ids.take(pa.array(si)),
                "segment_index": pa.array(idx.astype(np.int64)),
                "start_offset_s": pa.array((idx * 60).astype(float)),
                "end_offset_s": pa.array(np.concatenate(batch_a).astype(float)),
                "sha256": pa.array(batch_hash, pa.string()),
            }))
            batch_sid, batch_idx, batch_a, batch_hash = [], [], [], []
            rows = 0
        if progress is not None and k % 500 == 0:
            progress.update(task, completed=k)
    if progress is not None:
        progress.update(task, completed=len(notarized))
    w.sess_evidence = pa.array(ev, pa.string())
    writers.write("live_sessions", pa.table({
        "session_id": w.sess_ids,
        "streamer_id": w.sid_arr.take(pa.array(w.sess_streamer)),
        "platform_id": w.sid_arr.take(pa.array(w.platform_of[w.sess_streamer])),
        "start_at": pa.array(w.sess_start, TZ),
        "end_at": pa.array(w.sess_end, TZ),
        "evidence_ref": w.sess_evidence,
    }))
    # each session's own claims: 1–5 products pitched; weaker streamers exaggerate more
    k = 1 + np.minimum(rng.poisson(1.5, n_s), 4)
    cs = np.repeat(np.arange(n_s), k)
    prod = np.minimum(np.searchsorted(w.prod_cum, rng.random(len(cs)) * w.prod_cum[-1], side="right"),
                      len(w.prod_id) - 1)
    q_st = w.overall[w.sess_streamer[cs]]
    exag = rng.random(len(cs)) < 1.0 / (1.0 + np.exp(-(np.log(0.2 / 0.8) - 0.08 * (q_st - 70))))
    cidx = pick_claims(w, rng, prod, exag)
    dur = w.sess_end[cs] - w.sess_start[cs]
    n_cl = len(cs)
    claims = pa.table({
        "claim_id": _ids("CL-", 1, n_cl, 9),
        "session_id": w.sess_ids.take(pa.array(cs)),
        "product_id": w.prod_ids_arr.take(pa.array(prod)),
        "text": w.claim_texts_arr.take(pa.array(cidx)),
        "offset_seconds": pa.array((rng.random(n_cl) * dur).astype(np.int64)),
        "evidence_ref": pc.if_else(pa.array(w.sess_notarized[cs]), w.sess_evidence.take(pa.array(cs)),
                                   pa.scalar(None, pa.string())),
    })
    writers.write("claims", claims)
    writers.write("_claims_truth", pa.table({
        "claim_id": claims["claim_id"], "exaggerated": pa.array(exag),
        "reason": pa.array([CLAIM_REASONS[r] for r in w.claim_reason[cidx]], pa.string()),
    }))
    w.n_session_claims = n_cl


def generate(out_dir, cases: int = 60_000, months: int = 12, seed: int = 7, start: str | dt.date = "2025-01",
             fmt: str = "parquet", progress: bool = True, chunk_size: int = 100_000,
             orders_per_case: float = 2.0) -> dict:
    """Generate the sample into `out_dir`; return the manifest (also written to manifest.json)."""
    from .writer import Writers

    if cases < 1 or months < 1:
        raise ValueError("cases and months must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    start_d = _parse_start(start)
    w = build_world(seed, cases, start_d, months)
    rng = np.random.default_rng([seed, 2])
    _prepare(w, rng)
    pools = TextPools(np.random.default_rng([seed, 3]))
    pools.all_text = pa.concat_arrays([pools.consumer, pools.agent, pools.ai, pools.follow])
    writers = Writers(out, fmt)

    if progress:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
        prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TimeRemainingColumn())
    else:
        prog = None
    with (prog if prog is not None else nullcontext()):
        writers.write("subjects", _subjects_table(w))
        writers.write("products", _products_table(w))
        last_day = dt.date.fromordinal(start_d.toordinal() + w.days.n_days - 1)
        cal = calendar_rows(start_d, last_day)
        writers.write("calendar", pa.table({
            "window_id": [r["window_id"] for r in cal], "kind": [r["kind"] for r in cal],
            "name": [r["name"] for r in cal],
            "start_date": pa.array([r["start_date"] for r in cal], pa.date32()),
            "end_date": pa.array([r["end_date"] for r in cal], pa.date32()),
            "context": pa.array([r["context"] for r in cal], pa.string()),
        }))
        t_seg = prog.add_task("录像存证 recording segments", total=int(w.sess_notarized.sum())) if prog else None
        _sessions_and_segments(w, writers, rng, prog, t_seg)
        counters = {"orders": 0, "events": 0, "messages": 0, "surveys": 0, "claims": w.n_session_claims}
        t_cases = prog.add_task("售后工单 cases", total=cases) if prog else None
        done = 0
        chunk_no = 0
        while done < cases:
            k = min(chunk_size, cases - done)
            tables = generate_chunk(w, pools, chunk_no, done, k, counters, orders_per_case)
            for name in ("orders", "cases", "case_events", "messages", "surveys", "claims",
                         "_cases_truth", "_claims_truth", "_messages_truth"):
                writers.write(name, tables[name])
            del tables
            done += k
            chunk_no += 1
            if prog:
                prog.update(t_cases, completed=done)
        for name, t in validation_tables(w).items():
            writers.write(name, t)
        writers.write("trials", trials_table(w, np.random.default_rng([seed, 9])))
        writers.write("_subjects_truth", _truth_table(w))
        counts = writers.close()

    manifest = {
        "generator": "lashi.sample", "version": GENERATOR_VERSION,
        "seed": seed, "cases": cases, "months": months, "start": start_d.isoformat()[:7],
        "format": fmt, "chunk_size": chunk_size, "orders_per_case": orders_per_case,
        "period": {"first_day": start_d.isoformat(), "last_day": last_day.isoformat(),
                   "data_cutoff": dt.datetime.fromtimestamp(w.cutoff_s, dt.timezone(dt.timedelta(hours=8))).isoformat()},
        "subjects": {k: int((w.kind == i).sum()) for k, i in (("platform", 0), ("streamer", 1), ("brand", 2), ("mcn", 3))},
        "products": len(w.prod_id), "live_sessions": int(len(w.sess_start)),
        "counts": {k: v for k, v in sorted(counts.items()) if not k.startswith("_")},
        "truth_files": {k[1:]: v for k, v in sorted(counts.items()) if k.startswith("_")},
        "industry_effective_quality": {d: round(float(v), 2) for d, v in zip(DIMS, w.qbar)},
        "holiday_years_known": [y for y in range(start_d.year, last_day.year + 1) if y in KNOWN_YEARS],
        "elapsed_seconds": round(time.perf_counter() - t_start, 2),
        "note": "DIR/_truth/ holds the hidden truth; the evaluation must never read it.",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest
