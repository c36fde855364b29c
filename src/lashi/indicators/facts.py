"""Unit tables the indicators are computed over, built with Ibis so that the same expressions run
on DuckDB (the embedded default) and on other engines (Spark for scale).

Units:
- `cases`: one row per case, with what its events say (first replies, transfers, refunds, …);
- `rounds`: one row per response round of a case — the creation, and each reopen, starts a round
  whose first human reply is measured from its start (spec §3: after a reopen the clock restarts);
- `orders`: one row per order (GMV-based indicators);
- `surveys`, `messages`: one row per survey / message of a case.

Every unit row carries the keys that attach it to subjects (streamer, platform, brand, MCN), the
local date that puts it in a period, and the context flags that put it in a slice.
"""
from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

HOUR = 3600.0
DAY = 86400.0


@dataclass
class Sources:
    """The contract tables as Ibis tables, plus the days table (see calendar.days_table)."""

    subjects: ir.Table
    products: ir.Table
    live_sessions: ir.Table
    orders: ir.Table
    cases: ir.Table
    case_events: ir.Table
    messages: ir.Table
    surveys: ir.Table
    days: ir.Table
    notarized_sessions: ir.Table  # one column: session_id


def hours_between(later: ir.TimestampValue, earlier: ir.TimestampValue) -> ir.FloatingValue:
    return (later.epoch_seconds() - earlier.epoch_seconds()).cast("float64") / HOUR


def order_context(s: Sources) -> ir.Table:
    """Per order: who it belongs to (streamer, platform, MCN, brand) and product facts."""
    o, ls, p, sub = s.orders, s.live_sessions, s.products, s.subjects
    streamers = sub.filter(sub.kind == "streamer").select(streamer_id=sub.subject_id, mcn_id=sub.mcn_id)
    nz = s.notarized_sessions.select(nz_session=s.notarized_sessions.session_id)
    j = (
        o.join(ls, o.session_id == ls.session_id)
        .join(p, o.product_id == p.product_id)
        .left_join(streamers, ls.streamer_id == streamers.streamer_id)
        .left_join(nz, o.session_id == nz.nz_session)
    )
    return j.select(
        order_id=o.order_id,
        session_id=o.session_id,
        amount=o.amount,
        ordered_at=o.ordered_at,
        streamer_id=ls.streamer_id,
        platform_id=ls.platform_id,
        mcn_id=streamers.mcn_id,
        brand_id=p.brand_id,
        sensitive=p.tags.contains("sensitive_skin").fill_null(False),
        responsibility_list=p.responsibility_list.fill_null(False),
        notarized=nz.nz_session.notnull(),
    )


def _event_summary(ev: ir.Table) -> ir.Table:
    k = ev.kind
    at = ev["at"]
    personalized = ev.compensation_kind == "personalized"
    return ev.group_by("case_id").aggregate(
        first_ai_at=at.min(where=k == "ai_reply"),
        first_human_at=at.min(where=k == "human_reply"),
        escalated_at=at.min(where=k == "escalated_to_human"),
        refund_requested_at=at.min(where=k == "refund_requested"),
        refund_issued_at=at.min(where=k == "refund_issued"),
        resolved_at=at.min(where=k == "resolved"),
        arbitration_opened_at=at.min(where=k == "arbitration_opened"),
        arbitration_decided_at=at.min(where=k == "arbitration_decided"),
        responsible_party=ev.party.max(where=k == "arbitration_decided"),
        anger_at=at.min(where=k == "anger_detected"),
        senior_at=at.min(where=k == "senior_agent_assigned"),
        n_transfers=ev.count(where=k == "transfer"),
        n_reopened=ev.count(where=k == "reopened"),
        n_qc=ev.count(where=k == "qc_checked"),
        n_conflict=ev.count(where=k == "rule_conflict"),
        n_medical=ev.count(where=k == "medical_compensation_paid"),
        n_personalized_offered=ev.count(where=(k == "compensation_offered") & personalized),
        n_personalized_accepted=ev.count(where=(k == "compensation_accepted") & personalized),
    )


def _first_routed(ev: ir.Table) -> ir.Table:
    r = ev.filter(ev.kind == "routed")
    w = ibis.window(group_by=r.case_id, order_by=[r["at"], r.event_id])
    r = r.mutate(rn=ibis.row_number().over(w))
    return r.filter(r.rn == 0).select(case_id=r.case_id, first_routed_party=r.party)


def _reply_after_escalation(ev: ir.Table, summary: ir.Table) -> ir.Table:
    hr = ev.filter(ev.kind == "human_reply").select(case_id=ev.case_id, reply_at=ev["at"])
    esc = summary.filter(summary.escalated_at.notnull()).select("case_id", "escalated_at")
    j = esc.join(hr, [esc.case_id == hr.case_id, hr.reply_at >= esc.escalated_at])
    return j.group_by(esc.case_id).aggregate(reply_after_escalation_at=j.reply_at.min())


def _consumer_messages(m: ir.Table) -> ir.Table:
    return m.group_by("case_id").aggregate(n_consumer_messages=m.count(where=m.sender == "consumer"))


def _next_case_on_order(c: ir.Table) -> ir.Table:
    w = ibis.window(group_by=c.order_id, order_by=[c.created_at, c.case_id])
    return c.select(c.case_id, next_case_at=c.created_at.lead().over(w))


def case_units(s: Sources, start=None, end=None, keep=None) -> ir.Table:
    """Case units; with [start, end) only cases created in those local days, whose events and
    messages alone are summarised (the same rows as filtering afterwards, for the cost of the
    period rather than of all history; the next case on an order still looks at all cases).

    `keep` (the engine's materialise-and-reuse, e.g. a DuckDB temporary table) is applied to each
    per-case summary before they are joined: one join over six unmaterialised summaries held all
    their hash tables at once and ran out of memory at 10 M cases (a quarter, 4 GB) where every
    summary alone takes seconds."""
    keep = keep or (lambda t: t)
    c, ev, d, m = s.cases, s.case_events, s.days, s.messages
    nxt = _next_case_on_order(c)
    oc = order_context(s)
    if start is not None:
        day = c.created_at.date()
        c = c.filter((day >= ibis.date(start)) & (day < ibis.date(end)))
        ids = c.select(p_case_id=c.case_id)
        ev = ev.semi_join(ids, ev.case_id == ids.p_case_id)
        m = m.semi_join(ids, m.case_id == ids.p_case_id)
        nxt = nxt.semi_join(ids, nxt.case_id == ids.p_case_id)
        oids = c.select(p_order_id=c.order_id)
        oc = oc.semi_join(oids, oc.order_id == oids.p_order_id)
    c, nxt, oc = keep(c), keep(nxt), keep(oc)
    summ = keep(_event_summary(ev))
    routed = keep(_first_routed(ev))
    esc = keep(_reply_after_escalation(ev, summ))
    msgs = keep(_consumer_messages(m))
    created_day = d.select(cday=d.day, c_workday_index=d.workday_index, c_promotion=d.is_promotion)
    resolved_day = d.select(rday=d.day, r_workday_index=d.workday_index)
    j = (
        c.join(oc, c.order_id == oc.order_id)
        .left_join(summ, c.case_id == summ.case_id)
        .left_join(routed, c.case_id == routed.case_id)
        .left_join(esc, c.case_id == esc.case_id)
        .left_join(msgs, c.case_id == msgs.case_id)
        .left_join(nxt, c.case_id == nxt.case_id)
        .left_join(created_day, c.created_at.date() == created_day.cday)
        .left_join(resolved_day, summ.resolved_at.date() == resolved_day.rday)
    )
    category = c.category_confirmed.coalesce(c.category_predicted)
    return j.select(
        case_id=c.case_id,
        unit_at=c.created_at,
        created_at=c.created_at,
        promised_hours=c.promised_response_hours,
        outcome=c.outcome,
        category=category,
        category_predicted=c.category_predicted,
        category_confirmed=c.category_confirmed,
        streamer_id=oc.streamer_id, platform_id=oc.platform_id, mcn_id=oc.mcn_id, brand_id=oc.brand_id,
        promotion=j.c_promotion.fill_null(False),
        sensitive=oc.sensitive,
        first_ai_at=summ.first_ai_at,
        first_human_at=summ.first_human_at,
        escalated_at=summ.escalated_at,
        reply_after_escalation_at=esc.reply_after_escalation_at,
        refund_requested_at=summ.refund_requested_at,
        refund_issued_at=summ.refund_issued_at,
        resolved_at=summ.resolved_at,
        arbitration_opened_at=summ.arbitration_opened_at,
        arbitration_decided_at=summ.arbitration_decided_at,
        responsible_party=summ.responsible_party,
        first_routed_party=routed.first_routed_party.coalesce(c.channel),
        anger_at=summ.anger_at,
        senior_at=summ.senior_at,
        n_transfers=summ.n_transfers.fill_null(0),
        n_reopened=summ.n_reopened.fill_null(0),
        n_qc=summ.n_qc.fill_null(0),
        n_conflict=summ.n_conflict.fill_null(0),
        n_medical=summ.n_medical.fill_null(0),
        n_personalized_offered=summ.n_personalized_offered.fill_null(0),
        n_personalized_accepted=summ.n_personalized_accepted.fill_null(0),
        n_consumer_messages=msgs.n_consumer_messages.fill_null(0),
        next_case_at=nxt.next_case_at,
        working_days_to_resolve=(j.r_workday_index - j.c_workday_index),
    )


def round_units(s: Sources, cases: ir.Table) -> ir.Table:
    """Response rounds: creation and each reopen; the first human reply inside each round.
    Only the events of `cases` are read (rounds of other cases would be dropped by the join)."""
    ids = cases.select(r_id=cases.case_id)
    ev = s.case_events.semi_join(ids, s.case_events.case_id == ids.r_id)
    starts = cases.select(case_id=cases.case_id, round_start=cases.created_at).union(
        ev.filter(ev.kind == "reopened").select(case_id=ev.case_id, round_start=ev["at"])
    )
    w = ibis.window(group_by=starts.case_id, order_by=starts.round_start)
    starts = starts.mutate(next_start=starts.round_start.lead().over(w))
    replies = ev.filter(ev.kind == "human_reply").select(r_case_id=ev.case_id, reply_at=ev["at"])
    j = starts.left_join(
        replies,
        [starts.case_id == replies.r_case_id, replies.reply_at >= starts.round_start,
         starts.next_start.isnull() | (replies.reply_at < starts.next_start)],
    )
    first = j.group_by([j.case_id, j.round_start]).aggregate(first_reply_at=j.reply_at.min())
    d = s.days
    rd = d.select(rday=d.day, round_promotion=d.is_promotion)
    cs = cases.select("case_id", "unit_at", "promised_hours", "streamer_id", "platform_id", "mcn_id",
                      "brand_id", "promotion", "sensitive")
    r = first.join(cs, first.case_id == cs.case_id).left_join(rd, first.round_start.date() == rd.rday)
    return r.select(
        case_id=first.case_id, unit_at=cs.unit_at, round_start=first.round_start,
        first_reply_at=first.first_reply_at, promised_hours=cs.promised_hours,
        streamer_id=cs.streamer_id, platform_id=cs.platform_id, mcn_id=cs.mcn_id, brand_id=cs.brand_id,
        promotion=cs.promotion, sensitive=cs.sensitive,
        round_in_promotion=r.round_promotion.fill_null(False),
    )


def order_units(s: Sources) -> ir.Table:
    oc = order_context(s)
    d = s.days.select(oday=s.days.day, o_promotion=s.days.is_promotion)
    j = oc.left_join(d, oc.ordered_at.date() == d.oday)
    return j.select(
        order_id=oc.order_id, unit_at=oc.ordered_at, amount=oc.amount,
        streamer_id=oc.streamer_id, platform_id=oc.platform_id, mcn_id=oc.mcn_id, brand_id=oc.brand_id,
        promotion=j.o_promotion.fill_null(False), sensitive=oc.sensitive,
        responsibility_list=oc.responsibility_list, notarized=oc.notarized,
    )


def _case_keys(cases: ir.Table) -> ir.Table:
    return cases.select(k_case_id=cases.case_id, k_at=cases.unit_at, streamer_id=cases.streamer_id,
                        platform_id=cases.platform_id, mcn_id=cases.mcn_id, brand_id=cases.brand_id,
                        promotion=cases.promotion, sensitive=cases.sensitive)


def survey_units(s: Sources, cases: ir.Table) -> ir.Table:
    """Surveys of cases; they count in the period of their case."""
    sv = s.surveys
    k = _case_keys(cases)
    j = sv.join(k, sv.case_id == k.k_case_id)
    return j.select(survey_id=sv.survey_id, kind=sv.kind, score=sv.score, unit_at=k.k_at,
                    streamer_id=k.streamer_id, platform_id=k.platform_id, mcn_id=k.mcn_id,
                    brand_id=k.brand_id, promotion=k.promotion, sensitive=k.sensitive)


def message_units(s: Sources, cases: ir.Table) -> ir.Table:
    m = s.messages
    k = _case_keys(cases)
    j = m.join(k, m.case_id == k.k_case_id)
    return j.select(message_id=m.message_id, sender=m.sender, tone=m.tone, unit_at=k.k_at,
                    streamer_id=k.streamer_id, platform_id=k.platform_id, mcn_id=k.mcn_id,
                    brand_id=k.brand_id, promotion=k.promotion, sensitive=k.sensitive)
