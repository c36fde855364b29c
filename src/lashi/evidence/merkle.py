"""RFC 6962 / RFC 9162 Merkle tree hashing, proof planning and proof verification.

Pure functions, no I/O. Hashes are SHA-256 with a 0x00 prefix for leaves and 0x01 for interior
nodes (RFC 9162 §2.1.1). A *perfect node* is the root of a complete subtree: ``(level, index)``
covers leaves ``[index * 2**level, (index + 1) * 2**level)``. Every subtree that the RFC's
recursive definition of MTH ever splits off is a concatenation of perfect nodes, so a log that
stores its perfect nodes answers any proof with O(log n) look-ups (see :func:`decompose`).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256() (RFC 9162 §2.1.1)

Range = tuple[int, int]  # [start, end) of leaf indices
Node = tuple[int, int]  # (level, index) of a perfect subtree


class ProofError(ValueError):
    """A proof that does not verify, or inputs that cannot form a proof."""


def leaf_hash(data: bytes) -> bytes:
    """MTH({d0}) = SHA-256(0x00 || d0)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two smaller than n (n > 1)."""
    if n < 2:
        raise ValueError("n must be > 1")
    return 1 << ((n - 1).bit_length() - 1)


def mth(leaf_hashes: Sequence[bytes]) -> bytes:
    """Reference Merkle Tree Hash, straight from the RFC's recursive definition (O(n))."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = largest_power_of_two_below(n)
    return node_hash(mth(leaf_hashes[:k]), mth(leaf_hashes[k:]))


# ---------------------------------------------------------------------------------------------
# Proof planning: which subtree ranges a proof consists of (RFC 9162 §2.1.3.1 and §2.1.4.1).


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose hashes form PATH(index, D[0:size]), in proof order (bottom-up)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    out: list[Range] = []
    lo, hi = 0, size
    # Walk top-down, then reverse: the RFC lists siblings from the leaf upwards.
    while hi - lo > 1:
        k = largest_power_of_two_below(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()
    return out


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The ranges whose hashes form PROOF(old_size, D[0:new_size]), in proof order."""
    if not 0 < old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size == new_size:
        return []
    out: list[Range] = []
    m, lo, hi, complete = old_size, 0, new_size, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                out.append((lo, hi))
            break
        k = largest_power_of_two_below(n)
        if m <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            m -= k
            lo = lo + k
            complete = False
    out.reverse()
    return out


def decompose(start: int, end: int) -> list[Node]:
    """Split [start, end) into perfect nodes, left to right, greedily from the left.

    For every range the RFC recursion produces (start aligned to a power of two >= its length),
    folding these nodes right-to-left with :func:`node_hash` gives MTH(D[start:end]).
    """
    if not 0 <= start < end:
        raise ValueError(f"empty or negative range [{start}, {end})")
    nodes: list[Node] = []
    a = start
    while a < end:
        level = (a & -a).bit_length() - 1 if a else (end - a).bit_length() - 1
        while a + (1 << level) > end:
            level -= 1
        nodes.append((level, a >> level))
        a += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine the perfect-node hashes of a decomposition (left to right) into one hash."""
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = node_hash(left, h)
    return h


# ---------------------------------------------------------------------------------------------
# Compact range: the right edge of a growing tree (at most log2(n) hashes).


class CompactRange:
    """The perfect nodes that decompose [0, size), with O(1) amortised appends.

    ``append`` returns the interior perfect nodes created by the new leaf, so that a store can
    keep every perfect node and answer proofs without rebuilding the tree.
    """

    __slots__ = ("size", "nodes")

    def __init__(self, size: int = 0, nodes: list[tuple[int, bytes]] | None = None) -> None:
        self.size = size
        self.nodes: list[tuple[int, bytes]] = list(nodes or [])  # (level, hash), left to right
        expected = [lvl for lvl, _ in reversed(list(_levels_of(size)))]
        if [lvl for lvl, _ in self.nodes] != expected:
            raise ValueError(f"compact range levels {[l for l, _ in self.nodes]} do not match size {size}")

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; return the new interior nodes as (level, index, hash)."""
        created: list[tuple[int, int, bytes]] = []
        nodes = self.nodes
        nodes.append((0, leaf))
        i = self.size
        level = 0
        while i & 1:
            (l1, left), (_, right) = nodes[-2], nodes[-1]
            del nodes[-2:]
            level = l1 + 1
            h = node_hash(left, right)
            nodes.append((level, h))
            i >>= 1
            created.append((level, self.size >> level, h))
        self.size += 1
        return created

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        return fold([h for _, h in self.nodes])


def _levels_of(size: int) -> Iterable[tuple[int, None]]:
    level = 0
    while size:
        if size & 1:
            yield level, None
        size >>= 1
        level += 1


# ---------------------------------------------------------------------------------------------
# Verification (RFC 9162 §2.1.3.2 and §2.1.4.2), with the argument checks of the
# transparency-dev/merkle verifier whose test vectors we pass.


def _check_hash(h: bytes, what: str) -> None:
    if not isinstance(h, (bytes, bytearray)) or len(h) != HASH_SIZE:
        raise ProofError(f"{what} must be a {HASH_SIZE}-byte hash, got {len(h) if h is not None else 'none'} bytes")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` implies for ``leaf`` at ``index`` in a tree of ``size``."""
    if size <= 0 or index < 0 or index >= size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    _check_hash(leaf, "leaf hash")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        _check_hash(p, "proof element")
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows ``leaf`` at ``index`` under ``root``."""
    got = root_from_inclusion_proof(index, size, leaf, proof)
    if got != root:
        raise ProofError(f"inclusion proof leads to root {got.hex()}, expected {bytes(root).hex()}")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes] | None) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows the tree of ``old_size`` with
    ``old_root`` is a prefix of the tree of ``new_size`` with ``new_root``."""
    proof = list(proof or [])
    if new_size < old_size:
        raise ProofError(f"new size {new_size} is smaller than old size {old_size}")
    if old_size == 0:
        # Every tree extends the empty tree; a proof from it says nothing and is refused.
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if old_size == new_size:
        if proof:
            raise ProofError("sizes are equal but the proof is not empty")
        if old_root != new_root:
            raise ProofError("sizes are equal but the roots differ")
        return
    if not proof:
        raise ProofError("empty consistency proof")
    for p in proof:
        _check_hash(p, "proof element")
    if old_size & (old_size - 1) == 0:  # exact power of two: the old root is itself a node
        proof = [bytes(old_root)] + proof
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != old_root:
        raise ProofError(f"consistency proof leads to old root {fr.hex()}, expected {bytes(old_root).hex()}")
    if sr != new_root:
        raise ProofError(f"consistency proof leads to new root {sr.hex()}, expected {bytes(new_root).hex()}")
