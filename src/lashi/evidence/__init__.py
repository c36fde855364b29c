"""The evidence log (直播内容存证): an append-only Merkle log (RFC 6962/9162) of recording
segments, claims said on air and responsibility lists, with inclusion and consistency proofs,
Ed25519 signed tree heads, a witness and an offline verifier. Imports nothing else of lashi.
"""
from lashi.evidence.audit import AuditReport, Problem, audit
from lashi.evidence.bundle import BundleError, Verification, make_bundle, verify_bundle
from lashi.evidence.envelope import Entry, EnvelopeError, NewEntry, canonical_json
from lashi.evidence.heads import (
    HeadError, SignedHead, WitnessState, check_link, generate_keys, load_private_key, load_public_key,
    read_heads, sign_head, witness_file, witness_head,
)
from lashi.evidence.log import EntryNotFound, EvidenceLog, LogIntegrityError
from lashi.evidence.merkle import (
    ProofError, leaf_hash, mth, node_hash, root_from_inclusion_proof, verify_consistency, verify_inclusion,
)
from lashi.evidence.notarize import (
    NotarizeConflict, Segment, notarize_claim, notarize_recording_segments, notarize_responsibility_list,
    notarized_sessions, segment_file, segment_plan, sync_from_store,
)
from lashi.evidence.storage import DuckDBStorage, SQLStorage, storage_for
from lashi.evidence.workspace import EvidencePaths, publish_head

__all__ = [
    "AuditReport", "BundleError", "DuckDBStorage", "Entry", "EntryNotFound", "EnvelopeError", "EvidenceLog",
    "EvidencePaths", "HeadError", "LogIntegrityError", "NewEntry", "NotarizeConflict", "Problem", "ProofError",
    "SQLStorage", "Segment", "SignedHead", "Verification", "WitnessState", "audit", "canonical_json", "check_link",
    "generate_keys", "leaf_hash", "load_private_key", "load_public_key", "make_bundle", "mth", "node_hash",
    "notarize_claim", "notarize_recording_segments", "notarize_responsibility_list", "notarized_sessions",
    "publish_head", "read_heads", "root_from_inclusion_proof", "segment_file", "segment_plan", "sign_head",
    "storage_for", "sync_from_store", "verify_bundle", "verify_consistency", "verify_inclusion", "witness_file",
    "witness_head",
]
