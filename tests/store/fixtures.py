"""A small hand-made dataset in the contract's shape, with known broken rows."""
from __future__ import annotations

import csv
from pathlib import Path

SUBJECTS = [
    ["subject_id", "kind", "name", "tier", "platform_id", "mcn_id", "origin", "service_hours"],
    ["S-DY", "platform", "抖音", "head", "", "", "", ""],
    ["S-M1", "mcn", "谦寻", "head", "", "", "", ""],
    ["S-ST1", "streamer", "主播一", "head", "S-DY", "S-M1", "", "09:00-21:00"],
    ["S-B1", "brand", "雅诗兰黛", "head", "", "", "international", ""],
]
PRODUCTS = [
    ["product_id", "brand_id", "name", "category", "tags", "ingredients", "responsibility_list"],
    ["P1", "S-B1", "玻尿酸精华", "skincare", "sensitive_skin", "Water;Glycerin;Sodium Hyaluronate", "true"],
]
SESSIONS = [
    ["session_id", "streamer_id", "platform_id", "start_at", "end_at", "evidence_ref"],
    ["L1", "S-ST1", "S-DY", "2025-11-10T20:00:00+08:00", "2025-11-10T23:00:00+08:00", ""],
    ["L2", "S-ST1", "S-DY", "2025-11-11T20:00:00+08:00", "2025-11-11T19:00:00+08:00", ""],   # row 2: end_before_start
    ["L3", "S-ST1", "S-DY", "2025-11-12T20:00:00+08:00", "2025-11-16T20:00:00+08:00", ""],   # row 3: absurd_duration
]
ORDERS = [
    ["order_id", "session_id", "product_id", "consumer_id", "amount", "ordered_at"],
    ["O1", "L1", "P1", "U1", "299", "2025-11-10T20:30:00+08:00"],
    ["O2", "L1", "P1", "U2", "-5", "2025-11-10T20:31:00+08:00"],          # row 2: out_of_range
    ["O3", "L9", "P1", "U3", "99", "2025-11-10T20:32:00+08:00"],          # row 3: unknown_reference
    ["O4", "L1", "P1", "U4", "99", "yesterday evening"],                  # row 4: unparseable_time
]
CASES = [
    ["case_id", "order_id", "consumer_id", "created_at", "channel", "promised_response_hours",
     "category_predicted", "category_confirmed", "outcome", "product_state", "skin_type"],
    ["K1", "O1", "U1", "2025-11-12T09:00:00+08:00", "platform", "24", "allergy", "allergy", "resolved", "used", ""],
    ["K2", "O1", "U1", "2025-11-12T10:00:00+08:00", "telepathy", "24", "", "", "open", "", ""],  # row 2: unknown_enum
    ["K1", "O1", "U1", "2025-11-12T09:00:00+08:00", "platform", "48", "allergy", "allergy", "resolved", "used", ""],  # row 3: duplicate_id_conflict
    ["K3", "O1", "", "2025-11-13T09:00:00+08:00", "brand", "24", "", "", "open", "", ""],        # row 4: missing_required
    ["K1", "O1", "U1", "2025-11-12T09:00:00+08:00", "platform", "24", "allergy", "allergy", "resolved", "used", ""],  # row 5: identical duplicate, skipped
]
EVENTS = [
    ["event_id", "case_id", "at", "kind", "actor", "party", "amount", "payer", "compensation_kind", "detail"],
    ["E1", "K1", "2025-11-12T09:00:00+08:00", "created", "consumer", "", "", "", "", ""],
    ["E2", "K1", "2025-11-12T08:00:00+08:00", "human_reply", "platform", "", "", "", "", ""],  # row 2: event_before_case
    ["E3", "K1", "2025-11-12T12:00:00+08:00", "human_reply", "platform", "", "", "", "", ""],
    ["E4", "K1", "2025-11-13T12:00:00+08:00", "refund_issued", "platform", "", "", "", "", ""],  # row 4: money_event_without_amount
    ["E5", "K1", "2025-11-13T12:00:00+08:00", "transfer", "platform", "brand", "", "", "", ""],
    ["E6", "K1", "2025-11-14T12:00:00+08:00", "resolved", "brand", "", "", "", "", ""],
    ["E7", "K1", "2025-11-14T12:00:00", "closed", "platform", "", "", "", "", ""],               # no offset: read as +08:00
]

EXPECTED_QUARANTINE = {
    ("live_sessions", 2, "end_before_start"),
    ("live_sessions", 3, "absurd_duration"),
    ("orders", 2, "out_of_range"),
    ("orders", 3, "unknown_reference"),
    ("orders", 4, "unparseable_time"),
    ("cases", 2, "unknown_enum"),
    ("cases", 3, "duplicate_id_conflict"),
    ("cases", 4, "missing_required"),
    ("case_events", 2, "event_before_case"),
    ("case_events", 4, "money_event_without_amount"),
}
EXPECTED_LOADED = {"subjects": 4, "products": 1, "live_sessions": 1, "orders": 1, "cases": 1, "case_events": 5}

TABLES = {"subjects": SUBJECTS, "products": PRODUCTS, "live_sessions": SESSIONS, "orders": ORDERS,
          "cases": CASES, "case_events": EVENTS}


def write_csvs(directory: Path, encoding: str = "utf-8") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in TABLES.items():
        with open(directory / f"{name}.csv", "w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(rows)
    return directory
