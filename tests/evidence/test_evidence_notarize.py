"""Recordings (streaming segmentation), claims, responsibility lists, store sync, notarized sessions."""
from __future__ import annotations

import hashlib
import tracemalloc

import pytest

from lashi.evidence import (
    EvidenceLog, NotarizeConflict, notarize_claim, notarize_recording_segments, notarize_responsibility_list,
    notarized_sessions, segment_file, segment_plan, sync_from_store,
)


def test_segment_plan_by_bitrate_by_hand():
    # 80 bit/s = 10 bytes/s; 60 s segments = 600 bytes; 1000 bytes -> [0,600) 0-60 s, [600,1000) 60-100 s
    assert segment_plan(1000, 60, bitrate_bps=80) == [(0, 600, 0.0, 60.0), (600, 1000, 60.0, 100.0)]


def test_segment_plan_by_duration_by_hand():
    # 150 s session in 60 s segments: 0-60, 60-120, 120-150; 1500 bytes -> 10 bytes per second
    assert segment_plan(1500, 60, duration_s=150) == [(0, 600, 0.0, 60.0), (600, 1200, 60.0, 120.0),
                                                      (1200, 1500, 120.0, 150.0)]
    with pytest.raises(ValueError):
        segment_plan(1500, 60)


def test_segment_file_hashes_exact_byte_ranges(tmp_path):
    data = bytes(range(256)) * 40  # 10,240 bytes
    f = tmp_path / "rec.bin"
    f.write_bytes(data)
    # 8,000 bit/s = 1,000 bytes/s; 4 s segments = 4,000 bytes -> 3 segments, the last 2,240 bytes
    segs = list(segment_file(f, 4, bitrate_bps=8000, chunk_size=333))
    assert [(s.byte_start, s.byte_end) for s in segs] == [(0, 4000), (4000, 8000), (8000, 10240)]
    assert [(s.start_offset_s, s.end_offset_s) for s in segs] == [(0.0, 4.0), (4.0, 8.0), (8.0, 10.24)]
    for s in segs:
        assert s.sha256 == hashlib.sha256(data[s.byte_start:s.byte_end]).hexdigest()


def test_segment_file_streams_in_fixed_memory(tmp_path):
    # a 64 MiB file hashed in 1 MiB chunks: peak Python allocation stays near one chunk
    f = tmp_path / "big.bin"
    with open(f, "wb") as out:
        block = hashlib.sha256(b"seed").digest() * (1 << 15)  # 1 MiB
        for _ in range(64):
            out.write(block)
    tracemalloc.start()
    segs = list(segment_file(f, 60, bitrate_bps=8 * (1 << 20) / 60 * 8))  # 8 MiB per segment -> 8 segments
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(segs) == 8
    assert peak < 4 * (1 << 20), f"peak {peak} bytes: the file is not streamed"
    assert segs[0].sha256 == hashlib.sha256(block * 8).hexdigest()


def test_recording_segments_are_idempotent_and_conflicts_refused(log, tmp_path):
    f = tmp_path / "rec.bin"
    f.write_bytes(b"x" * 3000)
    segs = list(segment_file(f, 60, bitrate_bps=200))  # 1,500 bytes per segment -> 2
    new = notarize_recording_segments(log, "L-000001", segs, subjects={"streamer_id": "S-ST0001"}, source="rec.bin")
    assert [e.ref for e in new] == ["recording_segment/L-000001/0", "recording_segment/L-000001/1"]
    env = new[1].envelope
    assert env["subjects"] == {"session_id": "L-000001", "streamer_id": "S-ST0001"}
    assert env["metadata"] == {"segment_index": 1, "start_offset_s": 60.0, "end_offset_s": 120.0,
                               "byte_start": 1500, "byte_end": 3000, "source": "rec.bin"}
    assert notarize_recording_segments(log, "L-000001", segs) == []
    f.write_bytes(b"y" * 3000)
    with pytest.raises(NotarizeConflict, match="already notarized"):
        notarize_recording_segments(log, "L-000001", list(segment_file(f, 60, bitrate_bps=200)))
    assert log.size == 2


def test_claim_and_responsibility_list(log):
    text = "含95%玻尿酸，敏感肌可用"
    e = notarize_claim(log, "CL-000001", "L-000001", "P-0001", text, 1830, streamer_id="S-ST0001")
    assert e.envelope["content_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert e.envelope["metadata"] == {"text": text, "offset_seconds": 1830}
    assert notarize_claim(log, "CL-000001", "L-000001", "P-0001", text, 1830).index == e.index  # idempotent
    with pytest.raises(NotarizeConflict):
        notarize_claim(log, "CL-000001", "L-000001", "P-0001", "另一句话", 1830)
    doc = {"过敏": "凭医院证明全额退款", "破损": "48小时内补发"}
    r1 = notarize_responsibility_list(log, "P-0001", "1", doc, brand_id="S-B001")
    r2 = notarize_responsibility_list(log, "P-0001", "2", {**doc, "延迟发货": "赔付5%"})
    assert (r1.ref, r2.ref) == ("responsibility_list/P-0001/1", "responsibility_list/P-0001/2")
    canon = '{"破损":"48小时内补发","过敏":"凭医院证明全额退款"}'
    assert r1.envelope["content_sha256"] == hashlib.sha256(canon.encode()).hexdigest()
    assert log.size == 3


def _store(con):
    con.execute("CREATE TABLE live_sessions (session_id VARCHAR, streamer_id VARCHAR)")
    con.execute("CREATE TABLE recording_segments (session_id VARCHAR, segment_index BIGINT, start_offset_s DOUBLE, "
                "end_offset_s DOUBLE, sha256 VARCHAR)")
    con.execute("CREATE TABLE claims (claim_id VARCHAR, session_id VARCHAR, product_id VARCHAR, text VARCHAR, "
                "offset_seconds BIGINT, evidence_ref VARCHAR)")
    con.execute("INSERT INTO live_sessions VALUES ('L-1', 'S-ST1'), ('L-2', 'S-ST2'), ('L-3', 'S-ST3')")
    h = hashlib.sha256(b"seg").hexdigest()
    # L-1: 3 segments and 2 claims; L-2: 1 segment and 1 claim; L-3: claims but no recording
    con.execute(f"INSERT INTO recording_segments VALUES ('L-1',0,0,60,'{h}'),('L-1',1,60,120,'{h}'),"
                f"('L-1',2,120,150,'{h}'),('L-2',0,0,60,'{h}')")
    con.execute("INSERT INTO claims VALUES ('C-1','L-1','P-1','含95%玻尿酸',30,NULL),('C-2','L-1','P-2','无添加',90,NULL),"
                "('C-3','L-2','P-1','敏感肌可用',10,NULL),('C-4','L-3','P-1','七天无理由',5,NULL)")


def test_sync_from_store_is_idempotent_and_feeds_notarized_sessions(con):
    _store(con)
    log = EvidenceLog.open(con)
    assert notarized_sessions(con) == set()
    assert sync_from_store(log, con) == 8  # 4 segments + 4 claims
    assert sync_from_store(log, con) == 0
    assert log.size == 8
    c1 = log.find("claim/C-1").envelope
    assert c1["subjects"] == {"claim_id": "C-1", "product_id": "P-1", "session_id": "L-1", "streamer_id": "S-ST1"}
    # L-3 has claims but no recording segments
    assert notarized_sessions(con) == {"L-1", "L-2"}
    # a new claim not yet in the log makes L-2 not notarized until the next sync
    con.execute("INSERT INTO claims VALUES ('C-5','L-2','P-1','正品保障',50,NULL)")
    assert notarized_sessions(con) == {"L-1"}
    assert sync_from_store(log, con) == 1
    assert notarized_sessions(con) == {"L-1", "L-2"}
    # a claim edited in the store after notarization no longer counts
    con.execute("UPDATE claims SET text = '含99%玻尿酸' WHERE claim_id = 'C-1'")
    assert notarized_sessions(con) == {"L-2"}
