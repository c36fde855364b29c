"""The append-only evidence log: a Merkle tree over entry envelopes, kept in SQL tables."""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from lashi.evidence.envelope import Entry, NewEntry, build_envelope, envelope_leaf_hash, utc_now
from lashi.evidence.merkle import (
    EMPTY_ROOT, CompactRange, Range, consistency_ranges, decompose, fold, inclusion_ranges,
)
from lashi.evidence.storage import SQLStorage, node_key, storage_for

FLUSH_ROWS = 50_000  # rows buffered before they are written (inside the same transaction)


class LogIntegrityError(RuntimeError):
    """The stored log does not agree with itself (torn write, lost or altered rows)."""


class EntryNotFound(LookupError):
    pass


class EvidenceLog:
    """Open with :meth:`open` on a DB-API connection (DuckDB, SQLite, PostgreSQL ...)."""

    def __init__(self, storage: SQLStorage, *, check: bool = True) -> None:
        self.storage = storage
        if not (storage.has_table("evidence_meta") and storage.has_table("evidence_entries")
                and storage.has_table("evidence_nodes")):
            storage.ensure_schema()
        meta = storage.get_meta()
        if "log_id" not in meta:
            with storage.transaction():
                storage.lock_appends()        # two processes creating the log: one log id
                meta = storage.get_meta()
                if "log_id" not in meta:
                    meta = {"log_id": "lashi-evidence-" + secrets.token_hex(8), "tree_size": "0",
                            "root_hash": EMPTY_ROOT.hex(), "last_leaf_hash": ""}
                    storage.set_meta(meta)
        with storage.snapshot():              # other writers may append meanwhile: one consistent view
            meta = storage.get_meta()
            self.log_id = meta["log_id"]
            self._size = int(meta["tree_size"])
            self._root = bytes.fromhex(meta["root_hash"])
            self._last_leaf = meta.get("last_leaf_hash", "")
            self._range = self._load_compact_range(self._size)
            if check:
                self.check_tail()

    @classmethod
    def open(cls, con: Any, *, check: bool = True) -> "EvidenceLog":
        return cls(storage_for(con), check=check)

    # -- state ---------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return self._size

    def root(self) -> bytes:
        return self._root

    def _load_compact_range(self, size: int) -> CompactRange:
        if size == 0:
            return CompactRange()
        nodes = decompose(0, size)
        hashes = self._perfect_hashes(nodes)
        return CompactRange(size, [(lvl, hashes[(lvl, idx)]) for lvl, idx in nodes])

    def check_tail(self) -> None:
        """Cheap consistency check run on open: detects a torn or partial write.

        The row count and the seq range must match the recorded tree size, the stored perfect
        nodes must fold to the recorded root, and the last entry must hash to its leaf.
        """
        n, lo, hi = self.storage.entry_stats()
        size = self._size
        if n != size or (size and (lo != 0 or hi != size - 1)):
            raise LogIntegrityError(
                f"the log records {size} entries but the table holds {n} (seq {lo}..{hi}): a torn write or "
                f"lost/extra rows; run `lashi evidence audit` / 日志记录的条目数为 {size}，但表中有 {n} 条"
                f"（序号 {lo}..{hi}）：写入不完整或条目被增删，请运行审计")
        if self._range.root() != self._root:
            raise LogIntegrityError(
                "stored tree nodes do not fold to the recorded root hash (torn write or altered nodes) / "
                "存储的树节点与记录的根哈希不一致（写入不完整或节点被篡改）")
        if size:
            row = self.storage.entry_row(size - 1)
            if row is None or envelope_leaf_hash(row[6]).hex() != row[7] or row[7] != self._last_leaf:
                raise LogIntegrityError(
                    f"the last entry #{size - 1} does not hash to the recorded last leaf (torn write) / "
                    f"最后一条（第 {size - 1} 号）与记录的叶哈希不符（写入不完整）")

    def refresh(self) -> None:
        """Re-read the tree head from the store (other processes may have appended)."""
        meta = self.storage.get_meta()
        size = int(meta["tree_size"])
        if size != self._size or meta["root_hash"] != self._root.hex():
            self._size, self._root = size, bytes.fromhex(meta["root_hash"])
            self._last_leaf = meta.get("last_leaf_hash", "")
            self._range = self._load_compact_range(size)

    # -- appends -------------------------------------------------------------------------------
    def append(self, entries: Iterable[NewEntry], *, time: str | None = None) -> list[Entry]:
        """Append entries in order, in one transaction; return them with their indices. On a
        store with several writers (PostgreSQL) the transaction holds the append lock and starts
        from the head as stored, so parallel appends from other processes are never overwritten."""
        now = time or utc_now()
        saved = CompactRange(self._range.size, list(self._range.nodes))
        out: list[Entry] = []
        rows: list[tuple] = []
        node_rows: list[tuple[int, str]] = []
        st = self.storage
        try:
            with st.transaction():
                if st.lock_appends():
                    self.refresh()
                    saved = CompactRange(self._range.size, list(self._range.nodes))
                rng = self._range
                for e in entries:
                    idx = rng.size
                    env = build_envelope(idx, e, now)
                    lh = envelope_leaf_hash(env)
                    lhx = lh.hex()
                    rows.append((idx, e.ref, e.kind, e.subjects.get("session_id"), e.subjects.get("product_id"),
                                 e.content_sha256, env, lhx))
                    for lvl, i, h in rng.append(lh):
                        node_rows.append((node_key(lvl, i), h.hex()))
                    out.append(Entry(idx, env, lh))
                    if len(rows) >= FLUSH_ROWS:
                        st.insert_entries(rows)
                        st.insert_nodes(node_rows)
                        rows, node_rows = [], []
                if not out:
                    return out
                st.insert_entries(rows)
                st.insert_nodes(node_rows)
                root = rng.root()
                st.set_meta({"tree_size": str(rng.size), "root_hash": root.hex(),
                             "last_leaf_hash": out[-1].leaf_hash.hex()})
        except BaseException:
            self._range = saved
            raise
        self._size, self._root, self._last_leaf = rng.size, root, out[-1].leaf_hash.hex()
        return out

    # -- reads ---------------------------------------------------------------------------------
    def _row_to_entry(self, row: tuple) -> Entry:
        e = Entry(int(row[0]), row[6], bytes.fromhex(row[7]))
        if envelope_leaf_hash(e.envelope_json) != e.leaf_hash:
            raise LogIntegrityError(f"stored entry #{e.index} does not hash to its leaf hash: it was altered; run "
                                    f"`lashi evidence audit` / 第 {e.index} 号条目内容与叶哈希不符：已被改动")
        return e

    def entry(self, index: int) -> Entry:
        if not 0 <= index < self._size:
            raise EntryNotFound(f"no entry #{index} in a log of {self._size} entries / 日志中没有第 {index} 号条目")
        row = self.storage.entry_row(index)
        if row is None:
            raise LogIntegrityError(f"entry #{index} is missing from the store / 第 {index} 号条目丢失")
        return self._row_to_entry(row)

    def entries_by_ref(self, ref: str) -> list[Entry]:
        return [self._row_to_entry(r) for r in self.storage.entry_rows_by_ref(ref)]

    def find(self, key: str) -> Entry:
        """An entry by index (``42``, ``#42``) or by ref (the latest entry with that ref)."""
        k = key.lstrip("#")
        if k.isdigit():
            return self.entry(int(k))
        found = self.entries_by_ref(key)
        if not found:
            raise EntryNotFound(f"no entry with ref {key!r} / 没有引用为 {key!r} 的条目")
        return found[-1]

    def refs(self, kinds: Sequence[str]) -> set[str]:
        return self.storage.refs(kinds)

    # -- hashes of subtrees, roots and proofs --------------------------------------------------
    def _perfect_hashes(self, nodes: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        nodes = set(nodes)
        leaves = self.storage.leaf_hashes(i for lvl, i in nodes if lvl == 0)
        inner = self.storage.nodes(node_key(lvl, i) for lvl, i in nodes if lvl > 0)
        out: dict[tuple[int, int], bytes] = {}
        for lvl, i in nodes:
            h = leaves.get(i) if lvl == 0 else inner.get(node_key(lvl, i))
            if h is None:
                raise LogIntegrityError(f"tree node (level {lvl}, index {i}) is missing from the store / 树节点缺失")
            out[(lvl, i)] = h
        return out

    def range_hashes(self, ranges: Sequence[Range]) -> list[bytes]:
        """MTH of each range, from O(log n) stored perfect nodes per range, in one round trip."""
        plans = [decompose(a, b) for a, b in ranges]
        hashes = self._perfect_hashes(n for plan in plans for n in plan)
        return [fold([hashes[n] for n in plan]) for plan in plans]

    def root_at(self, size: int) -> bytes:
        if not 0 <= size <= self._size:
            raise ValueError(f"no tree of size {size}: the log has {self._size} entries / 日志没有这么大的树")
        if size == 0:
            return EMPTY_ROOT
        if size == self._size:
            return self._root
        return self.range_hashes([(0, size)])[0]

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        size = self._size if size is None else size
        if not 0 < size <= self._size:
            raise ValueError(f"no tree of size {size}: the log has {self._size} entries")
        return self.range_hashes(inclusion_ranges(index, size))

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new_size = self._size if new_size is None else new_size
        if not new_size <= self._size:
            raise ValueError(f"no tree of size {new_size}: the log has {self._size} entries")
        return self.range_hashes(consistency_ranges(old_size, new_size))
