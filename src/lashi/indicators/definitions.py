"""One definition per indicator (spec §3), as Ibis expressions over a unit table (see facts.py).

A definition names its unit and its kind of statistic:
- `share`: rows where `den` holds are the sample; the value is the share of them where `num` holds;
- `mean` / `median`: of `x` over rows where it is not null;
- `nps`: % promoters (9–10) − % detractors (0–6) of `x` over rows where `den` holds.
The catalogue (catalogue.yaml) names each indicator's definition; adding an indicator is a
catalogue entry plus one `@define` here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis.expr.types as ir

from lashi.indicators.facts import DAY, HOUR, hours_between

Expr = Callable[[ir.Table], ir.Value]


@dataclass(frozen=True)
class Definition:
    name: str
    unit: str  # cases | rounds | orders | surveys | messages
    kind: str  # share | mean | median | nps
    num: Expr | None = None
    den: Expr | None = None
    x: Expr | None = None
    weight: Expr | None = None  # shares weighted by e.g. GMV


DEFINITIONS: dict[str, Definition] = {}


def define(name: str, unit: str, kind: str, **kw) -> None:
    if name in DEFINITIONS:
        raise ValueError(f"indicator definition {name!r} defined twice")
    DEFINITIONS[name] = Definition(name, unit, kind, **kw)


def _reply_hours(t):
    return hours_between(t.first_reply_at, t.round_start)


def _always(t):
    return t.case_id.notnull()


# --- D1 response timeliness -------------------------------------------------------------------
# A round with no human reply at all counts as not answered in time.
define("first_reply_within_24h", "rounds", "share",
       num=lambda t: (_reply_hours(t) <= 24).fill_null(False), den=_always)
define("promise_met", "rounds", "share",
       num=lambda t: (_reply_hours(t) <= t.promised_hours).fill_null(False), den=_always)
define("peak_delay_rate", "rounds", "share",
       num=lambda t: (_reply_hours(t) > t.promised_hours).fill_null(True),
       den=lambda t: t.round_in_promotion)
define("median_first_reply_hours", "rounds", "median", x=_reply_hours)
define("escalation_wait_minutes", "cases", "median",
       x=lambda t: hours_between(t.reply_after_escalation_at, t.escalated_at) * 60.0)

# --- D2 resolution efficiency -----------------------------------------------------------------
define("refund_days_mean", "cases", "mean",
       x=lambda t: (t.refund_issued_at >= t.refund_requested_at).ifelse(
           hours_between(t.refund_issued_at, t.refund_requested_at) * HOUR / DAY, None))
define("allergy_resolution_working_days", "cases", "mean",
       x=lambda t: (t.category == "allergy").ifelse(t.working_days_to_resolve.cast("float64"), None))
define("transfers_per_case", "cases", "mean", x=lambda t: t.n_transfers.cast("float64"))
define("refund_within_72h", "cases", "share",
       num=lambda t: (hours_between(t.refund_issued_at, t.refund_requested_at) <= 72).fill_null(False),
       den=lambda t: t.refund_requested_at.notnull())
define("allergy_medical_coverage", "cases", "share",
       num=lambda t: t.n_medical > 0, den=lambda t: (t.category_confirmed == "allergy").fill_null(False))
define("repeat_complaint_rate", "cases", "share",
       num=lambda t: (t.n_reopened > 0) | (hours_between(t.next_case_at, t.created_at) <= 30 * 24).fill_null(False),
       den=_always)

# --- D3 user satisfaction ---------------------------------------------------------------------
define("nps", "surveys", "nps", x=lambda t: t.score, den=lambda t: t.kind == "nps")
define("csat_mean", "surveys", "mean", x=lambda t: (t.kind == "csat").ifelse(t.score.cast("float64"), None))
define("first_contact_resolution", "cases", "share",
       num=lambda t: (t.n_transfers == 0) & (t.n_reopened == 0) & (t.n_consumer_messages <= 1),
       den=lambda t: t.outcome == "resolved")
define("resolution_rate", "cases", "share",
       num=lambda t: t.outcome == "resolved", den=lambda t: t.outcome.isin(["resolved", "unresolved"]))

# --- D4 responsibility clarity ----------------------------------------------------------------
define("responsibility_list_coverage", "orders", "share",
       num=lambda t: t.responsibility_list, den=lambda t: t.order_id.notnull(), weight=lambda t: t.amount)
define("arbitration_days_median", "cases", "median",
       x=lambda t: hours_between(t.arbitration_decided_at, t.arbitration_opened_at) / 24.0)
define("routing_accuracy", "cases", "share",
       num=lambda t: (t.first_routed_party == t.responsible_party).fill_null(False),
       den=lambda t: t.responsible_party.notnull())
define("buck_passing_rate", "cases", "share", num=lambda t: t.n_transfers >= 3, den=_always)
define("rule_conflict_rate", "cases", "share", num=lambda t: t.n_conflict > 0, den=_always)

# --- D5 technology support --------------------------------------------------------------------
define("ai_category_accuracy", "cases", "share",
       num=lambda t: (t.category_predicted == t.category_confirmed).fill_null(False),
       den=lambda t: t.category_predicted.notnull() & t.category_confirmed.notnull())
define("notarized_gmv_share", "orders", "share",
       num=lambda t: t.notarized, den=lambda t: t.order_id.notnull(), weight=lambda t: t.amount)
define("qc_coverage", "cases", "share", num=lambda t: t.n_qc > 0, den=_always)
define("ai_escalation_rate", "cases", "share",
       num=lambda t: t.escalated_at.notnull(),
       den=lambda t: (t.first_ai_at.notnull() & (t.first_human_at.isnull() | (t.first_ai_at <= t.first_human_at))))

# --- D6 emotional communication ---------------------------------------------------------------
define("agent_positive_rate", "messages", "share",
       num=lambda t: t.tone == "positive_empathetic",
       den=lambda t: (t.sender == "agent") & t.tone.notnull())
define("personalized_compensation_acceptance", "cases", "share",
       num=lambda t: t.n_personalized_accepted.cast("int64"), den=lambda t: t.n_personalized_offered.cast("int64"),
       )
define("follow_up_satisfaction", "surveys", "share",
       num=lambda t: t.score == 1, den=lambda t: t.kind == "follow_up")
define("anger_escalation_rate", "cases", "share",
       num=lambda t: (hours_between(t.senior_at, t.anger_at) * 60.0 <= 30).fill_null(False)
       & (t.senior_at >= t.anger_at).fill_null(False),
       den=lambda t: t.anger_at.notnull())
