"""Audit: re-hash the whole stored log and check it against the published signed heads.

Works on the raw storage (it does not trust the log's own bookkeeping) and streams the entries,
so memory stays O(log n) whatever the size of the log.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lashi.evidence.envelope import envelope_leaf_hash
from lashi.evidence.heads import HeadError, SignedHead, check_link
from lashi.evidence.log import EvidenceLog, LogIntegrityError
from lashi.evidence.merkle import CompactRange
from lashi.evidence.storage import SQLStorage

MAX_LISTED = 20  # entry-level problems listed before summarising


@dataclass
class Problem:
    code: str
    en: str
    zh: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.en} / {self.zh}"


@dataclass
class AuditReport:
    entries_checked: int = 0
    heads_checked: int = 0
    heads_matched: int = 0
    root: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


def audit(storage: SQLStorage, heads: list[SignedHead], public: Ed25519PublicKey | None = None,
          progress: Callable[[int], None] | None = None) -> AuditReport:
    rep = AuditReport()
    add = rep.problems.append
    meta = storage.get_meta()
    log_id = meta.get("log_id")
    recorded_size = int(meta.get("tree_size", 0))

    # 1. The heads themselves: signatures and the chain of consistency proofs.
    prev: SignedHead | None = None
    for i, h in enumerate(heads, 1):
        rep.heads_checked += 1
        try:
            if public is not None:
                h.verify(public)
            if log_id and h.log_id != log_id:
                raise HeadError(f"head #{i} is for log {h.log_id}, the store holds log {log_id}")
            if prev is not None:
                check_link(prev, h)
        except HeadError as exc:
            add(Problem("head_invalid", f"published head #{i} (size {h.tree_size}): {exc}",
                        f"已发布的第 {i} 个树头（大小 {h.tree_size}）无效：{exc}"))
        prev = h
    checkpoints: dict[int, list[SignedHead]] = {}
    for h in heads:
        checkpoints.setdefault(h.tree_size, []).append(h)

    # 2. Stream every stored entry, re-hash it, rebuild the tree and compare at each head size.
    cr = CompactRange()
    expected = 0
    listed = 0

    def entry_problem(code: str, en: str, zh: str) -> None:
        nonlocal listed
        listed += 1
        if listed <= MAX_LISTED:
            add(Problem(code, en, zh))

    def check_checkpoint(size: int) -> None:
        for h in checkpoints.get(size, []):
            if cr.root().hex() == h.root_hash:
                rep.heads_matched += 1
            else:
                add(Problem("root_mismatch",
                            f"entries #0..#{size - 1} no longer hash to the root signed at {h.time} for size {size}: "
                            f"the stored history differs from what was published",
                            f"第 0..{size - 1} 号条目重新计算的根哈希与 {h.time} 签署的大小为 {size} 的树头不符："
                            f"存储的历史与已发布的不一致"))

    pending: dict[int, list[tuple[int, bytes]]] = {}
    node_problems = 0

    def check_nodes() -> None:
        """Compare the interior nodes re-computed so far with the stored ones (one range per level)."""
        nonlocal node_problems
        for level, got in pending.items():
            stored = storage.nodes_of_level(level, got[0][0], got[-1][0])
            for idx, h in got:
                if stored.get(idx) != h:
                    node_problems += 1
                    if node_problems <= MAX_LISTED:
                        lo, hi = idx << level, ((idx + 1) << level) - 1
                        add(Problem("node_mismatch",
                                    f"stored tree node (level {level}, index {idx}) over entries #{lo}..#{hi} is "
                                    f"{'missing' if idx not in stored else 'altered'}: proofs served for those "
                                    f"entries would fail",
                                    f"存储的树节点（第 {level} 层，第 {idx} 个，覆盖第 {lo}..{hi} 号条目）"
                                    f"{'缺失' if idx not in stored else '被改动'}：据此出具的证明将无法通过验证"))
        pending.clear()

    check_checkpoint(0)
    for seq, env_json, stored_leaf in storage.iter_entry_rows():
        seq = int(seq)
        while expected < seq:
            entry_problem("entry_missing", f"entry #{expected} is missing (deleted)", f"第 {expected} 号条目缺失（被删除）")
            expected += 1
            # a hole cannot be re-hashed: later roots will not match; carry on to find more
        leaf = envelope_leaf_hash(env_json)
        try:
            claimed = json.loads(env_json).get("index")
        except ValueError:
            claimed = None
            entry_problem("entry_unreadable", f"entry #{seq} is not valid JSON", f"第 {seq} 号条目不是合法 JSON")
        if claimed is not None and claimed != seq:
            entry_problem("entry_moved", f"the entry stored at #{seq} says it is entry #{claimed}: entries were "
                          f"reordered or moved", f"存储在第 {seq} 号位置的条目自称第 {claimed} 号：条目顺序被调换")
        if leaf.hex() != stored_leaf:
            entry_problem("entry_altered", f"entry #{seq} does not hash to its stored leaf hash: its content was "
                          f"altered", f"第 {seq} 号条目内容与存储的叶哈希不符：内容被改动")
        for level, idx, h in cr.append(leaf):
            pending.setdefault(level, []).append((idx, h))
        expected = seq + 1
        rep.entries_checked += 1
        if rep.entries_checked % 20_000 == 0:
            check_nodes()
            if progress:
                progress(rep.entries_checked)
        check_checkpoint(cr.size)
    check_nodes()
    if node_problems > MAX_LISTED:
        add(Problem("more", f"... and {node_problems - MAX_LISTED} more node problems",
                    f"……另有 {node_problems - MAX_LISTED} 个节点问题"))
    if listed > MAX_LISTED:
        add(Problem("more", f"... and {listed - MAX_LISTED} more entry problems", f"……另有 {listed - MAX_LISTED} 个条目问题"))
    rep.root = cr.root().hex()

    # 3. Heads larger than the stored log: entries were lost after being published.
    for size, hs in checkpoints.items():
        if size > cr.size:
            add(Problem("entries_lost", f"a head signed at {hs[0].time} covers {size} entries but the store holds "
                        f"only {cr.size}: published entries were lost", f"{hs[0].time} 签署的树头包含 {size} 条，"
                        f"但存储中只有 {cr.size} 条：已发布的条目丢失"))

    # 4. The log's own bookkeeping and stored tree nodes (used to serve proofs).
    if recorded_size != rep.entries_checked or meta.get("root_hash") != rep.root:
        add(Problem("meta_mismatch", f"the log records size {recorded_size} and root {meta.get('root_hash', '')[:16]}…, "
                    f"re-hashing gives size {rep.entries_checked} and root {rep.root[:16]}…",
                    f"日志记录的大小 {recorded_size} / 根哈希与重新计算结果（{rep.entries_checked}）不符"))
    try:
        log = EvidenceLog(storage, check=False)
        if log.root() != log._range.root():
            raise LogIntegrityError("stored right-edge nodes do not fold to the recorded root")
        for size in sorted(s for s in checkpoints if 0 < s <= log.size):
            if log.root_at(size).hex() not in {h.root_hash for h in checkpoints[size]}:
                raise LogIntegrityError(f"stored tree nodes give a different root for size {size}")
    except LogIntegrityError as exc:
        add(Problem("nodes_mismatch", f"stored tree nodes are inconsistent ({exc}); proofs served from them would "
                    f"fail", f"存储的树节点不一致，据此生成的证明将无法通过验证"))
    return rep
