"""What goes into the log: recording segments, claims said on air, responsibility lists.

These are the functions the rest of LASHI calls. Each entry gets a stable ``ref`` so that
re-notarizing the same thing is a no-op and a changed thing is refused:

- ``recording_segment/<session_id>/<segment_index>``
- ``claim/<claim_id>``
- ``responsibility_list/<product_id>/<version>``

Recording segmentation (streaming, fixed memory): the file is cut into byte ranges and each
range is hashed with SHA-256. Two ways to map bytes to time, both assuming a constant bitrate:

- ``bitrate_bps`` given: a segment of S seconds is ``S * bitrate / 8`` bytes; segment i covers
  seconds ``[i*S, i*S + bytes_i * 8 / bitrate)`` (the last one is shorter);
- ``duration_s`` given: the session's duration is cut into ``ceil(duration / S)`` segments of
  S seconds (the last shorter) and each gets the proportional share of the file's bytes.

The byte range of every segment is recorded in the entry, so anyone holding the file can
re-hash exactly the same bytes; the time range is the nominal mapping above (segment boundaries
are byte boundaries, not keyframes).
"""
from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lashi.evidence.envelope import (
    KIND_CLAIM, KIND_RECORDING_SEGMENT, KIND_RESPONSIBILITY_LIST, Entry, NewEntry, canonical_json,
)
from lashi.evidence.log import EvidenceLog
from lashi.evidence.storage import storage_for

CHUNK_SIZE = 1 << 20  # bytes read at a time
SYNC_BATCH = 10_000


class NotarizeConflict(ValueError):
    """The same ref is already notarized with different content."""


@dataclass(frozen=True)
class Segment:
    index: int
    start_offset_s: float
    end_offset_s: float
    sha256: str
    byte_start: int | None = None
    byte_end: int | None = None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def segment_plan(file_size: int, segment_seconds: float, *, bitrate_bps: float | None = None,
                 duration_s: float | None = None) -> list[tuple[int, int, float, float]]:
    """(byte_start, byte_end, start_s, end_s) of each segment; see the module doc."""
    if segment_seconds <= 0:
        raise ValueError("segment length must be positive / 片段时长必须为正")
    if (bitrate_bps is None) == (duration_s is None):
        raise ValueError("give exactly one of bitrate or duration / 码率与时长须二选一")
    plan = []
    if bitrate_bps is not None:
        if bitrate_bps <= 0:
            raise ValueError("bitrate must be positive / 码率必须为正")
        bytes_per_s = bitrate_bps / 8
        seg_bytes = max(1, int(round(segment_seconds * bytes_per_s)))
        n = max(1, math.ceil(file_size / seg_bytes))
        for i in range(n):
            a, b = i * seg_bytes, min((i + 1) * seg_bytes, file_size)
            plan.append((a, b, round(a / bytes_per_s, 3), round(b / bytes_per_s, 3)))
    else:
        if duration_s <= 0:
            raise ValueError("duration must be positive / 时长必须为正")
        n = max(1, math.ceil(duration_s / segment_seconds - 1e-9))
        for i in range(n):
            s, e = i * segment_seconds, min((i + 1) * segment_seconds, duration_s)
            plan.append((int(file_size * s // duration_s), int(file_size * e // duration_s), round(s, 3), round(e, 3)))
    return plan


def segment_file(path: str | os.PathLike, segment_seconds: float, *, bitrate_bps: float | None = None,
                 duration_s: float | None = None, chunk_size: int = CHUNK_SIZE,
                 progress: Callable[[int], None] | None = None) -> Iterator[Segment]:
    """Hash a recording segment by segment, reading ``chunk_size`` bytes at a time."""
    size = os.path.getsize(path)
    plan = segment_plan(size, segment_seconds, bitrate_bps=bitrate_bps, duration_s=duration_s)
    with open(path, "rb") as f:
        for i, (a, b, s, e) in enumerate(plan):
            f.seek(a)
            h = hashlib.sha256()
            left = b - a
            while left > 0:
                buf = f.read(min(chunk_size, left))
                if not buf:
                    raise IOError(f"{path} shrank while being read / 文件在读取时变短")
                h.update(buf)
                left -= len(buf)
                if progress:
                    progress(len(buf))
            yield Segment(i, s, e, h.hexdigest(), a, b)


def _existing(log: EvidenceLog, refs: list[str]) -> dict[str, str]:
    """ref -> content hash of the latest entry with that ref, for the refs already logged."""
    out: dict[str, str] = {}
    st = log.storage
    for i in range(0, len(refs), 500):
        part = refs[i:i + 500]
        for ref, seq, h in st.query(
                f"SELECT ref, seq, content_sha256 FROM evidence_entries WHERE ref IN ({', '.join('?' for _ in part)}) "
                f"ORDER BY seq", part):
            out[ref] = h
    return out


def _append_new(log: EvidenceLog, items: list[NewEntry], time: str | None) -> list[Entry]:
    have = _existing(log, [e.ref for e in items])
    fresh = []
    for e in items:
        if e.ref in have:
            if have[e.ref] != e.content_sha256:
                raise NotarizeConflict(
                    f"{e.ref} is already notarized with content {have[e.ref][:16]}…, not {e.content_sha256[:16]}…; "
                    f"the log is append-only: notarize a new version instead / {e.ref} 已以不同内容存证，日志不可修改")
            continue
        fresh.append(e)
    return log.append(fresh, time=time) if fresh else []


def recording_segment_entry(session_id: str, seg: Segment, subjects: Mapping[str, str] | None = None,
                            source: str | None = None) -> NewEntry:
    md: dict[str, Any] = {"segment_index": seg.index, "start_offset_s": seg.start_offset_s,
                          "end_offset_s": seg.end_offset_s}
    if seg.byte_start is not None:
        md["byte_start"], md["byte_end"] = seg.byte_start, seg.byte_end
    if source:
        md["source"] = source
    return NewEntry(KIND_RECORDING_SEGMENT, {**(subjects or {}), "session_id": session_id}, seg.sha256,
                    f"recording_segment/{session_id}/{seg.index}", md)


def notarize_recording_segments(log: EvidenceLog, session_id: str, segments: Iterable[Segment], *,
                                subjects: Mapping[str, str] | None = None, source: str | None = None,
                                time: str | None = None) -> list[Entry]:
    """Append one entry per segment not yet logged; refuse a segment logged with another hash."""
    items = [recording_segment_entry(session_id, s, subjects, source) for s in segments]
    return _append_new(log, items, time)


def claim_entry(claim_id: str, session_id: str, product_id: str, text: str, offset_seconds: int | float,
                streamer_id: str | None = None) -> NewEntry:
    subjects = {"session_id": session_id, "product_id": product_id, "claim_id": claim_id}
    if streamer_id:
        subjects["streamer_id"] = streamer_id
    return NewEntry(KIND_CLAIM, subjects, sha256_text(text), f"claim/{claim_id}",
                    {"text": text, "offset_seconds": offset_seconds})


def notarize_claim(log: EvidenceLog, claim_id: str, session_id: str, product_id: str, text: str,
                   offset_seconds: int | float, *, streamer_id: str | None = None,
                   time: str | None = None) -> Entry:
    """Notarize what was said on air; the content hash is SHA-256 of the UTF-8 text."""
    e = claim_entry(claim_id, session_id, product_id, text, offset_seconds, streamer_id)
    new = _append_new(log, [e], time)
    return new[0] if new else log.entries_by_ref(e.ref)[-1]


def notarize_responsibility_list(log: EvidenceLog, product_id: str, version: str,
                                 content: Mapping[str, Any] | list | str | bytes, *,
                                 brand_id: str | None = None, time: str | None = None) -> Entry:
    """Notarize a product's responsibility list (售后责任清单), one entry per version.

    The content hash is SHA-256 of the bytes (str: UTF-8; mapping/list: canonical JSON); the
    document itself is kept in the entry unless it is raw bytes.
    """
    if isinstance(content, bytes):
        data, doc, media = content, None, "application/octet-stream"
    elif isinstance(content, str):
        data, doc, media = content.encode("utf-8"), content, "text/plain; charset=utf-8"
    else:
        doc = content
        data, media = canonical_json(content).encode("utf-8"), "application/json (canonical)"
    md: dict[str, Any] = {"version": str(version), "media_type": media}
    if doc is not None:
        md["document"] = doc
    subjects = {"product_id": product_id}
    if brand_id:
        subjects["brand_id"] = brand_id
    e = NewEntry(KIND_RESPONSIBILITY_LIST, subjects, hashlib.sha256(data).hexdigest(),
                 f"responsibility_list/{product_id}/{version}", md)
    new = _append_new(log, [e], time)
    return new[0] if new else log.entries_by_ref(e.ref)[-1]


# ---------------------------------------------------------------------------------------------
# The workspace store: notarize loaded rows, and tell which sessions are notarized.


def sync_from_store(log: EvidenceLog, con: Any, progress: Callable[[int, int], None] | None = None) -> int:
    """Append an entry for every row of ``recording_segments`` and ``claims`` not yet logged.

    Idempotent: rows are matched by ref, so a second run appends nothing. Returns the number of
    entries appended. ``progress(done, total)`` is called after each batch.
    """
    st = storage_for(con)
    items: list[NewEntry] = []
    have = log.refs([KIND_RECORDING_SEGMENT, KIND_CLAIM])
    streamer = "s.streamer_id" if st.has_table("live_sessions") else "NULL"
    join = "LEFT JOIN live_sessions s ON s.session_id = r.session_id" if streamer != "NULL" else ""
    if st.has_table("recording_segments"):
        for sid, idx, a, b, h, sw in st.query(
                f"SELECT r.session_id, r.segment_index, r.start_offset_s, r.end_offset_s, r.sha256, {streamer} "
                f"FROM recording_segments r {join} ORDER BY r.session_id, r.segment_index"):
            if f"recording_segment/{sid}/{int(idx)}" in have:
                continue
            seg = Segment(int(idx), float(a), float(b), str(h).lower())
            items.append(recording_segment_entry(sid, seg, {"streamer_id": sw} if sw else None,
                                                 source="store:recording_segments"))
    if st.has_table("claims"):
        for cid, sid, pid, text, off, sw in st.query(
                f"SELECT r.claim_id, r.session_id, r.product_id, r.text, r.offset_seconds, {streamer} "
                f"FROM claims r {join} ORDER BY r.claim_id"):
            if f"claim/{cid}" in have:
                continue
            items.append(claim_entry(cid, sid, pid, text, int(off), sw))
    total = len(items)
    for i in range(0, total, SYNC_BATCH):
        log.append(items[i:i + SYNC_BATCH])
        if progress:
            progress(min(i + SYNC_BATCH, total), total)
    return total


def session_duration_s(con: Any, session_id: str) -> float | None:
    """The session's duration from ``live_sessions`` (end_at - start_at) in seconds, if known."""
    st = storage_for(con)
    if not st.has_table("live_sessions"):
        return None
    rows = st.query("SELECT start_at, end_at FROM live_sessions WHERE session_id = ?", (session_id,))
    if not rows or rows[0][0] is None or rows[0][1] is None:
        return None
    a, b = rows[0]
    if isinstance(a, str):
        from datetime import datetime

        a, b = datetime.fromisoformat(a), datetime.fromisoformat(b)
    d = (b - a).total_seconds()
    return d if d > 0 else None


def notarized_sessions(con: Any) -> set[str]:
    """Sessions with recording-segment entries in the log whose claims are all in the log.

    A claim counts when an entry ``claim/<claim_id>`` exists whose content hash is the SHA-256
    of the claim's current text in the store (a claim edited after notarization does not count).
    """
    st = storage_for(con)
    if not st.has_table("evidence_entries"):
        return set()
    recorded = {s for (s,) in st.query(
        "SELECT DISTINCT session_id FROM evidence_entries WHERE kind = ? AND session_id IS NOT NULL",
        (KIND_RECORDING_SEGMENT,))}
    if not recorded or not st.has_table("claims"):
        return recorded
    logged: dict[str, set[str]] = {}
    for ref, h in st.query("SELECT ref, content_sha256 FROM evidence_entries WHERE kind = ?", (KIND_CLAIM,)):
        logged.setdefault(ref, set()).add(h)
    bad: set[str] = set()
    for cid, sid, text in st.query("SELECT claim_id, session_id, text FROM claims"):
        if sid in recorded and sid not in bad and sha256_text(text or "") not in logged.get(f"claim/{cid}", ()):
            bad.add(sid)
    return recorded - bad
