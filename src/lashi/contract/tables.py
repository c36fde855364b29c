"""The tables of the data contract (spec §2), in load order (referenced tables first)."""
from __future__ import annotations

from . import enums as E
from .schema import Column as C
from .schema import RowRule, Table

ID_MAX = 64

SUBJECTS = Table(
    "subjects",
    "Parties that are evaluated: platforms, streamers (主播), brands and MCN agencies. "
    "A streamer links to its platform and (optionally) its MCN.",
    (
        C("subject_id", "str", "Unique id", example="S-DY"),
        C("kind", "enum", "platform | streamer | brand | mcn", enum=E.ids(E.SUBJECT_KINDS), example="platform"),
        C("name", "str", "Display name", example="抖音"),
        C("tier", "enum", "head | mid | small | niche", enum=E.ids(E.TIERS), example="head"),
        C("platform_id", "str", "Streamer → its platform", required=False, ref="subjects.subject_id", example=None),
        C("mcn_id", "str", "Streamer → its MCN agency", required=False, ref="subjects.subject_id", example=None),
        C("origin", "enum", "Brands: international | domestic | niche", required=False,
          enum=E.ids(E.BRAND_ORIGINS), example=None),
        C("service_hours", "str", "Service hours 'HH:MM-HH:MM' for business-hours indicators (default 09:00-21:00)",
          required=False, example="09:00-21:00"),
    ),
    key=("subject_id",),
    rules=(
        RowRule("streamer_without_platform", "platform_id",
                "r.kind = 'streamer' AND r.platform_id IS NULL",
                "a streamer must name its platform (platform_id)"),
        RowRule("link_on_non_streamer", "platform_id",
                "r.kind <> 'streamer' AND (r.platform_id IS NOT NULL OR r.mcn_id IS NOT NULL)",
                "only streamers link to a platform or MCN"),
        RowRule("bad_service_hours", "service_hours",
                "r.service_hours IS NOT NULL AND NOT regexp_full_match(r.service_hours, '[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]')",
                "service_hours must look like 09:00-21:00"),
    ),
)

PRODUCTS = Table(
    "products",
    "Beauty products with their label ingredient list in label order and whether a responsibility "
    "list (售后责任清单) is published for them.",
    (
        C("product_id", "str", "Unique id", example="P-0001"),
        C("brand_id", "str", "The brand (a subject of kind brand)", ref="subjects.subject_id", example="S-B001"),
        C("name", "str", "Product name", example="玻尿酸补水精华"),
        C("category", "enum", "skincare | makeup | fragrance | haircare | bodycare",
          enum=E.ids(E.PRODUCT_CATEGORIES), example="skincare"),
        C("tags", "list", "Tags, e.g. sensitive_skin (JSON array or ';'-separated)", required=False,
          example=["sensitive_skin"]),
        C("ingredients", "list", "Ingredient list in label order (INCI or Chinese names)",
          example=["Water", "Glycerin", "Sodium Hyaluronate"]),
        C("responsibility_list", "bool", "A responsibility list (售后责任清单) is published", example=True),
    ),
    key=("product_id",),
    rules=(
        RowRule("brand_is_not_a_brand", "brand_id",
                "b.kind <> 'brand'", "brand_id must refer to a subject of kind brand",
                joins=("subjects b ON b.subject_id = r.brand_id",)),
    ),
)

LIVE_SESSIONS = Table(
    "live_sessions",
    "Livestream sessions (直播场次): who streamed, on which platform, when.",
    (
        C("session_id", "str", "Unique id", example="L-000001"),
        C("streamer_id", "str", "The streamer", ref="subjects.subject_id", example="S-ST0001"),
        C("platform_id", "str", "The platform", ref="subjects.subject_id", example="S-DY"),
        C("start_at", "timestamp", "Start (ISO-8601 with offset; +08:00 assumed if none)",
          example="2025-11-10T20:00:00+08:00"),
        C("end_at", "timestamp", "End", example="2025-11-10T23:30:00+08:00"),
        C("evidence_ref", "str", "Evidence-log reference of the notarized recording, if any", required=False,
          example=None),
    ),
    key=("session_id",),
    rules=(
        RowRule("end_before_start", "end_at", "r.end_at < r.start_at", "end_at is before start_at"),
        RowRule("absurd_duration", "end_at", "r.end_at - r.start_at > INTERVAL 48 HOURS",
                "a live session longer than 48 hours"),
        RowRule("streamer_is_not_a_streamer", "streamer_id", "s.kind <> 'streamer'",
                "streamer_id must refer to a subject of kind streamer",
                joins=("subjects s ON s.subject_id = r.streamer_id",)),
        RowRule("platform_is_not_a_platform", "platform_id", "p.kind <> 'platform'",
                "platform_id must refer to a subject of kind platform",
                joins=("subjects p ON p.subject_id = r.platform_id",)),
    ),
)

RECORDING_SEGMENTS = Table(
    "recording_segments",
    "Hashes of a live session's recording, one row per segment (for the evidence log, §9).",
    (
        C("session_id", "str", "The live session", ref="live_sessions.session_id", example="L-000001"),
        C("segment_index", "int", "Segment number from 0", min=0, example=0),
        C("start_offset_s", "float", "Segment start, seconds from session start", min=0, example=0.0),
        C("end_offset_s", "float", "Segment end, seconds from session start", min=0, example=60.0),
        C("sha256", "str", "SHA-256 of the segment bytes, hex", example="9f86d081884c7d65..."),
    ),
    key=("session_id", "segment_index"),
    rules=(
        RowRule("end_before_start", "end_offset_s", "r.end_offset_s < r.start_offset_s",
                "segment end is before its start"),
        RowRule("bad_sha256", "sha256", "NOT regexp_full_match(r.sha256, '[0-9a-f]{64}')",
                "sha256 must be 64 lowercase hex digits"),
    ),
)

CLAIMS = Table(
    "claims",
    "Claims made on air (直播话术) about a product, with the time offset in the session.",
    (
        C("claim_id", "str", "Unique id", example="CL-000001"),
        C("session_id", "str", "The live session", ref="live_sessions.session_id", example="L-000001"),
        C("product_id", "str", "The product", ref="products.product_id", example="P-0001"),
        C("text", "str", "What was said", example="含95%玻尿酸，敏感肌可用"),
        C("offset_seconds", "int", "Seconds from session start", min=0, max=172800, example=1830),
        C("evidence_ref", "str", "Evidence-log entry that notarizes it, if any", required=False, example=None),
    ),
    key=("claim_id",),
)

ORDERS = Table(
    "orders",
    "Orders placed from a live session.",
    (
        C("order_id", "str", "Unique id", example="O-00000001"),
        C("session_id", "str", "The live session", ref="live_sessions.session_id", example="L-000001"),
        C("product_id", "str", "The product", ref="products.product_id", example="P-0001"),
        C("consumer_id", "str", "The buyer (pseudonymous)", example="U-0000001"),
        C("amount", "float", "Amount paid, yuan", min=0.0, max=1_000_000.0, example=299.0),
        C("ordered_at", "timestamp", "Order time", example="2025-11-10T20:41:00+08:00"),
    ),
    key=("order_id",),
)

CASES = Table(
    "cases",
    "After-sales cases (售后工单).",
    (
        C("case_id", "str", "Unique id", example="K-00000001"),
        C("order_id", "str", "The order", ref="orders.order_id", example="O-00000001"),
        C("consumer_id", "str", "The consumer", example="U-0000001"),
        C("created_at", "timestamp", "Creation time", example="2025-11-12T09:15:00+08:00"),
        C("channel", "enum", "Where the consumer raised it: platform | streamer | brand",
          enum=E.ids(E.CHANNELS), example="platform"),
        C("promised_response_hours", "float", "The first-response promise that applied, hours",
          min=0.01, max=720, example=24.0),
        C("category_predicted", "enum", "Category predicted at triage", required=False,
          enum=E.ids(E.CASE_CATEGORIES), example="allergy"),
        C("category_confirmed", "enum", "Category confirmed by an agent", required=False,
          enum=E.ids(E.CASE_CATEGORIES), example="allergy"),
        C("outcome", "enum", "open | resolved | unresolved | withdrawn", enum=E.ids(E.CASE_OUTCOMES),
          example="resolved"),
        C("product_state", "enum", "unopened | opened_unused | used", required=False,
          enum=E.ids(E.PRODUCT_STATES), example="used"),
        C("skin_type", "enum", "Consumer's skin type, if given", required=False, enum=E.ids(E.SKIN_TYPES),
          example="sensitive"),
    ),
    key=("case_id",),
    rules=(
        RowRule("case_before_order", "created_at", "r.created_at < o.ordered_at",
                "case created before its order was placed",
                joins=("orders o ON o.order_id = r.order_id",)),
    ),
)

CASE_EVENTS = Table(
    "case_events",
    "The history of each case, one row per event, with the acting party. Money events carry amount "
    "and payer; transfer / routed / arbitration_decided carry the party they name.",
    (
        C("event_id", "str", "Unique id", example="EV-000000001"),
        C("case_id", "str", "The case", ref="cases.case_id", example="K-00000001"),
        C("at", "timestamp", "When", example="2025-11-12T10:02:00+08:00"),
        C("kind", "enum", "Event kind", enum=E.ids(E.EVENT_KINDS), example="human_reply"),
        C("actor", "enum", "Acting party", enum=E.ids(E.PARTIES), example="platform"),
        C("party", "enum", "Party named by transfer / routed / arbitration_decided", required=False,
          enum=E.ids(E.PARTIES), example=None),
        C("amount", "float", "Money moved (refund_issued, compensation_accepted, medical_compensation_paid)",
          required=False, min=0.0, max=1_000_000.0, example=None),
        C("payer", "enum", "Party that paid", required=False, enum=E.ids(E.PARTIES), example=None),
        C("compensation_kind", "enum", "personalized | standard (compensation events)", required=False,
          enum=E.ids(E.COMPENSATION_KINDS), example=None),
        C("detail", "str", "Free detail", required=False, example=None),
    ),
    key=("event_id",),
    rules=(
        RowRule("event_before_case", "at", "r.at < k.created_at",
                "event happens before its case was created",
                joins=("cases k ON k.case_id = r.case_id",)),
        RowRule("absurd_duration", "at", "r.at - k.created_at > INTERVAL 400 DAYS",
                "event more than 400 days after its case was created",
                joins=("cases k ON k.case_id = r.case_id",)),
        RowRule("money_event_without_amount", "amount",
                "r.kind IN ('refund_issued','compensation_accepted','medical_compensation_paid') "
                "AND (r.amount IS NULL OR r.payer IS NULL)",
                "a money event needs amount and payer"),
        RowRule("party_event_without_party", "party",
                "r.kind IN ('transfer','routed','arbitration_decided') AND r.party IS NULL",
                "transfer / routed / arbitration_decided must name the party"),
        RowRule("compensation_without_kind", "compensation_kind",
                "r.kind IN ('compensation_offered','compensation_accepted') AND r.compensation_kind IS NULL",
                "compensation events need compensation_kind"),
    ),
)

MESSAGES = Table(
    "messages",
    "Messages in a case's conversation (Chinese text).",
    (
        C("message_id", "str", "Unique id", example="M-000000001"),
        C("case_id", "str", "The case", ref="cases.case_id", example="K-00000001"),
        C("at", "timestamp", "When", example="2025-11-12T09:15:00+08:00"),
        C("sender", "enum", "consumer | agent | ai", enum=E.ids(E.MESSAGE_SENDERS), example="consumer"),
        C("text", "str", "Text", example="用了两天脸上刺痛泛红，怎么处理？"),
        C("tone", "enum", "Tone of an agent/ai message as judged by the tone model (filled by `lashi enrich` "
          "or the case service; leave empty on export)", required=False, enum=E.ids(E.TONES), example=None),
    ),
    key=("message_id",),
    rules=(
        RowRule("message_before_case", "at", "r.at < k.created_at - INTERVAL 1 HOUR",
                "message more than an hour before its case was created",
                joins=("cases k ON k.case_id = r.case_id",)),
    ),
)

SURVEYS = Table(
    "surveys",
    "Consumer surveys: csat 1–5, nps 0–10, follow_up satisfied 0/1.",
    (
        C("survey_id", "str", "Unique id", example="SV-00000001"),
        C("case_id", "str", "The case surveyed", required=False, ref="cases.case_id", example="K-00000001"),
        C("consumer_id", "str", "The consumer", example="U-0000001"),
        C("kind", "enum", "csat | nps | follow_up", enum=E.ids(E.SURVEY_KINDS), example="csat"),
        C("score", "int", "Score in the kind's range", min=0, max=10, example=4),
        C("at", "timestamp", "When", example="2025-11-15T12:00:00+08:00"),
    ),
    key=("survey_id",),
    rules=(
        RowRule("score_out_of_range", "score",
                "(r.kind = 'csat' AND r.score NOT BETWEEN 1 AND 5) OR "
                "(r.kind = 'follow_up' AND r.score NOT BETWEEN 0 AND 1)",
                "score outside its kind's range (csat 1–5, nps 0–10, follow_up 0/1)"),
    ),
)

SELF_REPORTS = Table(
    "self_reports",
    "Figures a subject reports about itself (validation §6).",
    (
        C("subject_id", "str", "The subject", ref="subjects.subject_id", example="S-ST0001"),
        C("period", "str", "Period, e.g. 2025-11 or 2025-Q4", example="2025-11"),
        C("indicator_id", "str", "Indicator id, e.g. R1", example="R1"),
        C("claimed_value", "float", "Claimed value (shares as 0–1)", example=0.95),
    ),
    key=("subject_id", "period", "indicator_id"),
)

MYSTERY_SHOPS = Table(
    "mystery_shops",
    "Mystery-shopper tests (神秘顾客): measured response time and outcome.",
    (
        C("test_id", "str", "Unique id", example="MS-000001"),
        C("subject_id", "str", "The subject tested", ref="subjects.subject_id", example="S-ST0001"),
        C("at", "timestamp", "When", example="2025-11-08T14:00:00+08:00"),
        C("scenario", "enum", "The case category played", enum=E.ids(E.CASE_CATEGORIES), example="allergy"),
        C("first_response_hours", "float", "Hours to first human reply (empty: none)", required=False,
          min=0.0, max=2000.0, example=18.5),
        C("resolved", "bool", "Resolved within the test", example=True),
    ),
    key=("test_id",),
)

PERCEPTIONS = Table(
    "perceptions",
    "Consumer-survey perception of an indicator (e.g. share who felt answered within 24 h).",
    (
        C("subject_id", "str", "The subject", ref="subjects.subject_id", example="S-ST0001"),
        C("period", "str", "Period", example="2025-11"),
        C("indicator_id", "str", "Indicator id", example="R1"),
        C("respondents", "int", "Number of respondents", min=1, example=200),
        C("perceived_value", "float", "Share (0–1) or value perceived", example=0.65),
    ),
    key=("subject_id", "period", "indicator_id"),
)

PANEL_RATINGS = Table(
    "panel_ratings",
    "Blind-test panel ratings (盲测): a rater scores a blinded subject code.",
    (
        C("rating_id", "str", "Unique id", example="PR-000001"),
        C("period", "str", "Period", example="2025-Q4"),
        C("rater_kind", "enum", "expert | consumer", enum=E.ids(E.RATER_KINDS), example="expert"),
        C("rater_id", "str", "Rater", example="EXP-03"),
        C("blind_code", "str", "Blinded subject code", example="X-0042"),
        C("score", "float", "Score 0–100", min=0, max=100, example=78.0),
    ),
    key=("rating_id",),
)

BLINDING = Table(
    "blinding",
    "The key from blinded codes to subjects, held apart from the raters.",
    (
        C("blind_code", "str", "Blinded code", example="X-0042"),
        C("period", "str", "Period", example="2025-Q4"),
        C("subject_id", "str", "The subject", ref="subjects.subject_id", example="S-ST0001"),
    ),
    key=("blind_code", "period"),
)

BEHAVIOUR = Table(
    "behaviour",
    "Consumer behaviour per subject and period (predictive validity).",
    (
        C("subject_id", "str", "The subject", ref="subjects.subject_id", example="S-ST0001"),
        C("period", "str", "Period", example="2025-11"),
        C("repurchase_rate", "float", "Repurchase rate 0–1", min=0, max=1, example=0.31),
        C("recommendation_rate", "float", "Recommendation rate 0–1", min=0, max=1, example=0.44),
    ),
    key=("subject_id", "period"),
)

CALENDAR = Table(
    "calendar",
    "Promotion windows (618, 双十一 …), public holidays and adjusted working days (调休).",
    (
        C("window_id", "str", "Unique id", example="2025-double11"),
        C("kind", "enum", "promotion | holiday | workday", enum=E.ids(E.CALENDAR_KINDS), example="promotion"),
        C("name", "str", "Name", example="双十一"),
        C("start_date", "date", "First day", example="2025-10-20"),
        C("end_date", "date", "Last day (inclusive)", example="2025-11-11"),
        C("context", "str", "Context rule it activates (promotion windows), e.g. promotion", required=False,
          example="promotion"),
    ),
    key=("window_id",),
    rules=(
        RowRule("end_before_start", "end_date", "r.end_date < r.start_date", "end_date is before start_date"),
    ),
)

TRIALS = Table(
    "trials",
    "Product trials (试用官): one row per trial, with the tester's skin type and the problems seen "
    "(e.g. 卡粉, 闷痘, 泛红; empty list: none).",
    (
        C("trial_id", "str", "Unique id", example="TR-000001"),
        C("product_id", "str", "The product tried", ref="products.product_id", example="P-0001"),
        C("skin_type", "enum", "Tester's skin type", enum=E.ids(E.SKIN_TYPES), example="sensitive"),
        C("problems", "list", "Problems reported (JSON array or ';'-separated; empty: none)", required=False,
          example=["闷痘"]),
        C("at", "timestamp", "When the trial was reported", example="2025-11-20T10:00:00+08:00"),
    ),
    key=("trial_id",),
)

TABLES: tuple[Table, ...] = (
    SUBJECTS, PRODUCTS, LIVE_SESSIONS, RECORDING_SEGMENTS, CLAIMS, ORDERS, CASES, CASE_EVENTS, MESSAGES, SURVEYS,
    SELF_REPORTS, MYSTERY_SHOPS, PERCEPTIONS, PANEL_RATINGS, BLINDING, BEHAVIOUR, CALENDAR, TRIALS,
)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; the contract has: {', '.join(BY_NAME)}") from None
