"""Where the evidence log lives in a workspace, and publishing signed heads.

- ``WORKSPACE/lashi.duckdb``: the workspace store; the log's tables are prefixed ``evidence_``;
- ``WORKSPACE/evidence/signing_key.pem`` (mode 0600) and ``public_key.pem``;
- ``WORKSPACE/evidence/heads.jsonl``: the published signed tree heads, append-only.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lashi.evidence.heads import (
    SignedHead, append_head, load_private_key, load_public_key, read_heads, sign_head,
)
from lashi.evidence.log import EvidenceLog, LogIntegrityError

DB_FILE = "lashi.duckdb"


@dataclass(frozen=True)
class EvidencePaths:
    workspace: Path

    @property
    def db(self) -> Path:
        return self.workspace / DB_FILE

    @property
    def dir(self) -> Path:
        return self.workspace / "evidence"

    @property
    def signing_key(self) -> Path:
        return self.dir / "signing_key.pem"

    @property
    def public_key(self) -> Path:
        return self.dir / "public_key.pem"

    @property
    def heads(self) -> Path:
        return self.dir / "heads.jsonl"

    def connect(self, read_only: bool = False) -> Any:
        import duckdb

        if read_only and not self.db.exists():
            raise FileNotFoundError(f"no store at {self.db} / 没有数据库 {self.db}")
        self.workspace.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(self.db), read_only=read_only)

    def load_public(self):
        if not self.public_key.exists():
            raise FileNotFoundError(f"no public key at {self.public_key}; run `lashi evidence init` / "
                                    f"没有公钥，请先运行 lashi evidence init")
        return load_public_key(self.public_key.read_text())


def publish_head(log: EvidenceLog, paths: EvidencePaths, *, timestamp_ms: int | None = None) -> SignedHead:
    """Sign the log's current head and append it to the heads file, with a consistency proof
    from the last published head. Nothing is appended if the log has not changed."""
    key = load_private_key(paths.dir)
    heads = read_heads(paths.heads)
    last = heads[-1] if heads else None
    if last is not None:
        if last.log_id != log.log_id:
            raise LogIntegrityError(f"the heads file belongs to log {last.log_id}, the store holds {log.log_id} / "
                                    f"树头文件与数据库不属于同一日志")
        if last.tree_size > log.size:
            raise LogIntegrityError(f"the last published head covers {last.tree_size} entries but the store has only "
                                    f"{log.size}: entries were lost / 已发布树头包含 {last.tree_size} 条，存储只有 "
                                    f"{log.size} 条：条目丢失")
        if log.root_at(last.tree_size).hex() != last.root_hash:
            raise LogIntegrityError(f"the stored log no longer matches the head published at {last.time}: run "
                                    f"`lashi evidence audit` / 存储的日志与已发布的树头不符，请运行审计")
        if last.tree_size == log.size:
            return last
    proof = log.consistency_proof(last.tree_size, log.size) if last is not None and last.tree_size > 0 else []
    head = sign_head(key, log.log_id, log.size, log.root(), timestamp_ms=timestamp_ms, prev=last, consistency=proof)
    append_head(paths.heads, head)
    return head
