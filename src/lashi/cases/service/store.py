"""The case service over a workspace store: creating a case (triage, claim check, routing,
eligibility, ETA, emotion handling, quality check) as one transaction of case + events +
messages; later messages, events, surveys and follow-ups; API keys (hashed) and per-case
consumer secrets; idempotent requests.

Two stores, one code path: the workspace's DuckDB file (default; one writing process, so a
`CaseService` owns one connection and serialises every use of it with a lock) or a PostgreSQL
server (`store="postgresql://…"`, see lashi.pgstore), where several processes write at once:
idempotency keys are serialised with an advisory transaction lock (plus the primary key), case
rows read before an update are locked (FOR UPDATE), and each write transaction draws from a
sequence that serves as the data version across processes."""
from __future__ import annotations

import hashlib
import json
import secrets
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from lashi.contract.enums import EVENT_KINDS, MONEY_EVENTS, PARTIES, PARTY_EVENTS, SUBJECT_KINDS, ids
from lashi.store import Workspace

from . import eligibility as EL
from . import emotion as EM
from . import eta as ETA
from . import feedback as FB
from .config import load_rules
from .routing import cost_split, route

ROLES = ("admin", "evaluator", *ids(SUBJECT_KINDS))
SERVICE_DDL = (
    """CREATE TABLE IF NOT EXISTS api_keys (key_id VARCHAR PRIMARY KEY, key_hash VARCHAR NOT NULL UNIQUE,
       role VARCHAR NOT NULL, subject_id VARCHAR, created_at TIMESTAMPTZ NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false)""",
    """CREATE TABLE IF NOT EXISTS case_secrets (case_id VARCHAR PRIMARY KEY, secret_hash VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS idempotency (scope VARCHAR NOT NULL, idem_key VARCHAR NOT NULL,
       request_hash VARCHAR NOT NULL, status INTEGER NOT NULL, body VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
       PRIMARY KEY (scope, idem_key))""",
)


class NotFound(LookupError):
    pass


class Invalid(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


class Conflict(Exception):
    pass


def sha256(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc)


def _id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True)
class Principal:
    role: str                       # admin | evaluator | platform | brand | streamer | mcn | consumer
    subject_id: str | None = None
    key_id: str | None = None
    case_id: str | None = None      # consumer: the case its secret opens

    @property
    def scope(self) -> str:
        return self.key_id or f"consumer:{self.case_id}"


# Which cases a subject key sees: its own subject's, an MCN its streamers'.
SCOPE_SQL = {
    "platform": "s.platform_id = ?",
    "streamer": "s.streamer_id = ?",
    "brand": "p.brand_id = ?",
    "mcn": "st.mcn_id = ?",
}
CASE_JOIN = """FROM cases k JOIN orders o ON o.order_id = k.order_id
JOIN products p ON p.product_id = o.product_id JOIN live_sessions s ON s.session_id = o.session_id
LEFT JOIN subjects st ON st.subject_id = s.streamer_id"""
ORDER_JOIN = """FROM orders o JOIN products p ON p.product_id = o.product_id
JOIN live_sessions s ON s.session_id = o.session_id LEFT JOIN subjects st ON st.subject_id = s.streamer_id"""


class CaseService:
    def __init__(self, ws: Workspace | None, rules: dict | None = None, store: str | None = None):
        from lashi.pgstore import is_postgres

        self.ws = ws
        self.store = store
        self.pg = is_postgres(store)
        self.rules = rules or load_rules()
        self.lock = threading.RLock()
        self._depth = 0            # nesting of tx(): an inner tx() joins the outer transaction
        if self.pg:
            from lashi.pgstore import connect
            from lashi.pgstore.migrate import require_head

            self.con = connect(store)
            try:
                require_head(self.con)
            except BaseException:
                self.con.close()
                raise
        else:
            if ws is None:
                raise ValueError("a workspace or a postgresql:// store is needed")
            self.con = ws.connect()
            for ddl in SERVICE_DDL:
                self.con.execute(ddl)
        self.for_update = " FOR UPDATE" if self.pg else ""   # DuckDB has one writer and no row locks
        self._eta: ETA.EtaModel | None = None
        self._snapshot = None      # PostgreSQL: a private DuckDB copy for the evaluation
        self.version = 0           # bumped by every write: caches of derived results compare it

    def data_version(self) -> int:
        """Changes with every committed write, in this process or (PostgreSQL) any other."""
        if self.pg:
            with self.lock:
                return int(self.con.execute("SELECT last_value FROM lashi_write_seq").fetchone()[0])
        return self.version

    def close(self) -> None:
        with self.lock:
            if self.con is not None:
                self.con.close()
                self.con = None
            if self._snapshot is not None:
                import shutil

                shutil.rmtree(self._snapshot.path, ignore_errors=True)
                self._snapshot = None

    @contextmanager
    def released(self):
        """Close the writer for a read-only job in this process (the evaluation), then reopen."""
        if self.pg:                # nothing to release: the evaluation reads a snapshot
            yield
            return
        with self.lock:
            self.con.close()
            try:
                yield
            finally:
                self.con = self.ws.connect()

    def evaluation_workspace(self) -> Workspace:
        """The DuckDB workspace the evaluation reads: the store itself, or (PostgreSQL) a private
        temporary copy pulled from the server (call under `self.lock`, when the data changed)."""
        if not self.pg:
            return self.ws
        import tempfile
        from pathlib import Path

        from lashi.pgstore.sync import pull
        from lashi.store import open_workspace

        if self._snapshot is None:
            self._snapshot = open_workspace(Path(tempfile.mkdtemp(prefix="lashi-pg-snapshot-")))
        pull(self.con, self._snapshot)
        return self._snapshot

    @contextmanager
    def tx(self):
        with self.lock:
            if self._depth:            # joined: the outer tx() commits or rolls back
                self._depth += 1
                try:
                    yield self.con
                finally:
                    self._depth -= 1
                return
            self.version += 1
            self.con.execute("BEGIN TRANSACTION")
            self._depth = 1
            try:
                if self.pg:
                    self.con.execute("SELECT nextval('lashi_write_seq')")
                yield self.con
            except BaseException:
                self._depth = 0
                self.con.execute("ROLLBACK")
                raise
            self._depth = 0
            self.con.execute("COMMIT")

    def q(self, sql: str, params=()) -> list[dict]:
        with self.lock:
            cur = self.con.execute(sql, list(params))
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    # -- keys ------------------------------------------------------------------------------
    def create_key(self, role: str, subject_id: str | None = None) -> tuple[str, str]:
        """(key_id, the secret key shown once). Only its sha256 is stored."""
        if role not in ROLES:
            raise Invalid("role", f"expected one of {', '.join(ROLES)}")
        if role in SCOPE_SQL:
            if not subject_id:
                raise Invalid("subject", f"a {role} key needs --subject")
            row = self.q("SELECT kind FROM subjects WHERE subject_id = ?", [subject_id])
            if not row:
                raise Invalid("subject", f"unknown subject {subject_id!r}")
            if row[0]["kind"] != role:
                raise Invalid("subject", f"{subject_id} is a {row[0]['kind']}, not a {role}")
        elif subject_id:
            raise Invalid("subject", f"a {role} key has no subject")
        key = "lk_" + secrets.token_urlsafe(24)
        kid = _id("KEY")
        with self.tx() as c:
            c.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, false)", [kid, sha256(key), role, subject_id, now()])
        return kid, key

    def principal_for_key(self, key: str) -> Principal | None:
        rows = self.q("SELECT key_id, role, subject_id FROM api_keys WHERE key_hash = ? AND NOT revoked", [sha256(key)])
        return Principal(rows[0]["role"], rows[0]["subject_id"], rows[0]["key_id"]) if rows else None

    def principal_for_secret(self, case_id: str, secret: str) -> Principal | None:
        rows = self.q("SELECT secret_hash FROM case_secrets WHERE case_id = ?", [case_id])
        if rows and secrets.compare_digest(rows[0]["secret_hash"], sha256(secret)):
            return Principal("consumer", case_id=case_id)
        return None

    # -- scope -----------------------------------------------------------------------------
    def can_see_case(self, pr: Principal, case_id: str) -> bool:
        if pr.role in ("admin", "evaluator"):
            return bool(self.q("SELECT 1 FROM cases WHERE case_id = ?", [case_id]))
        if pr.role == "consumer":
            return pr.case_id == case_id
        return bool(self.q(f"SELECT 1 {CASE_JOIN} WHERE k.case_id = ? AND {SCOPE_SQL[pr.role]}", [case_id, pr.subject_id]))

    def require_case(self, pr: Principal, case_id: str) -> None:
        if not self.can_see_case(pr, case_id):
            raise NotFound(f"case {case_id} not found / 工单不存在")

    def scope_where(self, pr: Principal) -> tuple[str, list]:
        if pr.role in ("admin", "evaluator"):
            return "true", []
        if pr.role == "consumer":
            return "k.case_id = ?", [pr.case_id]
        return SCOPE_SQL[pr.role], [pr.subject_id]

    # -- idempotency -----------------------------------------------------------------------
    def idempotent(self, pr: Principal, key: str | None, request: object, run):
        """Run `run()` → (status, body) once per (caller, Idempotency-Key); a retry with the same
        request gets the stored answer, a different request under the same key a Conflict."""
        if not key:
            return run()
        h = sha256(json.dumps(request, sort_keys=True, ensure_ascii=False, default=str))
        # One transaction: the stored answer and the work it answers for commit together. On
        # PostgreSQL a second worker with the same key waits on the advisory lock, then finds it.
        with self.tx() as c:
            if self.pg:
                c.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [f"{pr.scope}\x1f{key}"])
            rows = self.q("SELECT request_hash, status, body FROM idempotency WHERE scope = ? AND idem_key = ?",
                          [pr.scope, key])
            if rows:
                if rows[0]["request_hash"] != h:
                    raise Conflict("Idempotency-Key reused with a different request / 幂等键已用于不同请求")
                return rows[0]["status"], json.loads(rows[0]["body"])
            status, body = run()
            if status < 500:
                c.execute("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
                          [pr.scope, key, h, status, json.dumps(body, ensure_ascii=False, default=str), now()])
            return status, body

    # -- ETA -------------------------------------------------------------------------------
    def eta_model(self) -> ETA.EtaModel:
        if self._eta is None:
            with self.lock:
                self._eta = ETA.fit_from_store(self.con, self.rules)
        return self._eta

    # -- cases -----------------------------------------------------------------------------
    def order_context(self, pr: Principal, order_id: str) -> dict:
        where, params = ("true", []) if pr.role in ("admin", "evaluator") else (SCOPE_SQL[pr.role], [pr.subject_id])
        rows = self.q(f"""SELECT o.order_id, o.consumer_id, o.ordered_at, o.amount, o.product_id, p.brand_id,
                p.name AS product_name, p.ingredients, p.responsibility_list, s.streamer_id, s.platform_id,
                st.mcn_id {ORDER_JOIN} WHERE o.order_id = ? AND {where}""", [order_id, *params])
        if not rows:
            raise Invalid("order_id", f"order {order_id!r} not found / 订单不存在")
        return rows[0]

    def create_case(self, pr: Principal, text: str, order_id: str, *, channel: str | None = None,
                    product_state: str | None = None, skin_type: str | None = None,
                    evidence: bool | None = None, created_at: datetime | None = None) -> dict:
        from lashi.cases.allergy import assess
        from lashi.cases.claims import check_claim
        from lashi.cases.triage import triage

        if pr.role == "evaluator":
            raise PermissionError("evaluator keys are read-only / 评估方只读")
        o = self.order_context(pr, order_id)
        at = created_at or now()
        if at.tzinfo is None:
            raise Invalid("created_at", "needs a zone offset, e.g. +08:00")
        if at < o["ordered_at"]:
            raise Invalid("created_at", "before the order was placed / 早于下单时间")
        if at > now():
            raise Invalid("created_at", "in the future / 晚于当前时间")
        ings = list(o["ingredients"] or [])
        tr = triage(text, ings)
        claims = [v.__dict__ for v in check_claim(text, ings)] if ings else []
        cat = tr.primary
        rt = route(cat, bool(o["responsibility_list"]), self.rules)
        queue_subject = {"brand": o["brand_id"], "streamer": o["streamer_id"], "mcn": o["mcn_id"]}.get(
            rt.party, o["platform_id"])
        state = product_state or EL.infer_state(text)
        ev = EL.has_evidence(text) if evidence is None else evidence
        days = (at - o["ordered_at"]).total_seconds() / 86400
        el = EL.decide(cat, state, evidence=ev, days_since_order=days, rules=self.rules)
        eta = self.eta_model().predict(cat, rt.party, queue_subject)
        allergy = assess(text, ings) if cat == "allergy" or "allergy" in tr.category_ids else None
        reply = EM.draft_reply(cat, tr.emotion)
        tone = EM.score_tone(reply)
        split = cost_split(cat, self.rules) if el.eligible else None
        ch = channel or (pr.role if pr.role in ("platform", "streamer", "brand") else "platform")

        case_id, secret = _id("K"), secrets.token_urlsafe(18)
        events = [{"kind": "created", "actor": "consumer", "detail": f"channel={ch}"},
                  {"kind": "routed", "actor": "ai", "party": rt.party, "detail": f"{rt.reason_zh} / {rt.reason_en}"}]
        if el.conflict:
            events.append({"kind": "rule_conflict", "actor": "ai", "detail": f"{el.reason_zh} / {el.reason_en}"[:2000]})
        events += EM.anger_events(tr.emotion, rt.party, self.rules)
        if allergy is not None and allergy.is_reaction and not ev:
            events.append({"kind": "evidence_requested", "actor": "ai",
                           "detail": "; ".join(e.get("zh", str(e)) if isinstance(e, dict) else str(e)
                                               for e in allergy.evidence_requested)[:2000] or "照片/就医记录"})
        events.append({"kind": "ai_reply", "actor": "ai", "detail": None})
        events.append(EM.qc_event(tone, "ai"))
        with self.tx() as c:
            c.execute("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'open', ?, ?)",
                      [case_id, order_id, o["consumer_id"], at, ch, 24.0 if tr.urgency != "high" else 12.0,
                       cat, state, skin_type])
            for i, e in enumerate(events):      # a microsecond apart, so the timeline keeps its order
                self._insert_event(c, case_id, at + timedelta(microseconds=i), e)
            c.execute("INSERT INTO messages VALUES (?, ?, ?, 'consumer', ?, NULL)", [_id("M"), case_id, at, text])
            c.execute("INSERT INTO messages VALUES (?, ?, ?, 'ai', ?, ?)",
                      [_id("M"), case_id, at + timedelta(microseconds=len(events)), reply, tone])
            c.execute("INSERT INTO case_secrets VALUES (?, ?)", [case_id, sha256(secret)])
        return {"case_id": case_id, "secret": secret, "consumer_url": f"/cases/{case_id}?secret={secret}",
                "triage": tr.to_dict() | {"text": None}, "claims": claims,
                "routing": {"party": rt.party, "subject_id": queue_subject, "via_list": rt.via_list,
                            "reason": {"zh": rt.reason_zh, "en": rt.reason_en}},
                "product_state": state, "evidence": ev, "eligibility": el.to_dict(), "cost_split": split,
                "eta": eta, "reply": {"text": reply, "tone": tone},
                "allergy": None if allergy is None else {
                    "symptoms": allergy.symptoms, "severity": allergy.severity,
                    "culprits": [{"position": c.position, "token": c.token, "zh": c.zh, "inci": c.inci}
                                 for c in allergy.culprits],
                    "report_deadline_days": allergy.report_deadline_days, "report_rule": allergy.report_rule},
                "events": [e["kind"] for e in events]}

    def _insert_event(self, c, case_id: str, at: datetime, e: dict) -> str:
        eid = _id("EV")
        c.execute("INSERT INTO case_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [eid, case_id, at, e["kind"], e["actor"], e.get("party"), e.get("amount"), e.get("payer"),
                   e.get("compensation_kind"), e.get("detail")])
        return eid

    def _created_at(self, case_id: str) -> datetime:
        return self.q("SELECT created_at FROM cases WHERE case_id = ?", [case_id])[0]["created_at"]

    def _when(self, case_id: str, at: datetime | None) -> datetime:
        if at is not None and (at.tzinfo is None or at > now() + timedelta(minutes=5)):
            raise Invalid("at", "needs a zone offset and may not be in the future / 需带时区且不能晚于当前时间")
        t = at or now()
        return max(t, self._created_at(case_id))

    def add_message(self, pr: Principal, case_id: str, text: str, at: datetime | None = None) -> dict:
        self.require_case(pr, case_id)
        if pr.role == "evaluator":
            raise PermissionError("evaluator keys are read-only / 评估方只读")
        sender = "consumer" if pr.role == "consumer" else "agent"
        with self.lock:
            t = self._when(case_id, at)
            tone = EM.score_tone(text) if sender == "agent" else None
            mid = _id("M")
            kinds = []
            with self.tx() as c:
                c.execute("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?)", [mid, case_id, t, sender, text, tone])
                if sender == "agent":
                    self._insert_event(c, case_id, t, {"kind": "human_reply", "actor": pr.role if pr.role in ids(PARTIES) else "platform"})
                    self._insert_event(c, case_id, t + timedelta(microseconds=1), EM.qc_event(tone, pr.role))
                    kinds = ["human_reply", "qc_checked"]
        return {"message_id": mid, "sender": sender, "tone": tone, "events": kinds}

    def add_event(self, pr: Principal, case_id: str, ev: dict, at: datetime | None = None) -> dict:
        self.require_case(pr, case_id)
        if pr.role in ("evaluator", "consumer"):
            raise PermissionError("this key cannot write events / 无权写入事件")
        kind = ev["kind"]
        if kind not in ids(EVENT_KINDS) or kind == "created":
            raise Invalid("kind", f"unknown or reserved event kind {kind!r}")
        actor = ev.get("actor") or (pr.role if pr.role in ids(PARTIES) else "platform")
        if pr.role != "admin" and actor != pr.role:
            raise Invalid("actor", f"a {pr.role} key acts as {pr.role}")
        if kind in MONEY_EVENTS and (ev.get("amount") is None or not ev.get("payer")):
            raise Invalid("amount", f"{kind} needs amount and payer")
        if kind in PARTY_EVENTS and not ev.get("party"):
            raise Invalid("party", f"{kind} must name the party")
        if kind in ("compensation_offered", "compensation_accepted") and not ev.get("compensation_kind"):
            raise Invalid("compensation_kind", f"{kind} needs compensation_kind")
        if kind == "follow_up_done":
            raise Invalid("kind", "record a follow-up with POST /cases/{id}/follow-up")
        out = {"kind": kind, "actor": actor, **{k: ev.get(k) for k in ("party", "amount", "payer", "compensation_kind", "detail")}}
        with self.lock:
            t = self._when(case_id, at)
            with self.tx() as c:
                eid = self._insert_event(c, case_id, t, out)
                if kind in ("resolved", "closed"):
                    cur = c.execute("SELECT outcome FROM cases WHERE case_id = ?" + self.for_update,
                                    [case_id]).fetchone()[0]
                    new = "resolved" if kind == "resolved" else (cur if cur != "open" else ev.get("outcome") or "resolved")
                    c.execute("UPDATE cases SET outcome = ? WHERE case_id = ?", [new, case_id])
                if kind == "reopened":
                    c.execute("UPDATE cases SET outcome = 'open' WHERE case_id = ?", [case_id])
        res = {"event_id": eid, **out}
        if kind == "closed":
            res["survey"] = f"/cases/{case_id}/survey"
        return res

    def survey(self, pr: Principal, case_id: str, csat: int | None, nps: int | None, at: datetime | None = None) -> dict:
        self.require_case(pr, case_id)
        if pr.role not in ("consumer", "admin"):
            raise PermissionError("only the consumer answers the survey / 仅消费者可填写")
        if csat is None and nps is None:
            raise Invalid("csat", "give csat (1–5) and/or nps (0–10)")
        with self.lock:
            closed = self.q("SELECT 1 FROM case_events WHERE case_id = ? AND kind = 'closed'", [case_id])
            if not closed:
                raise Invalid("case", "the survey opens after the case is closed / 工单关闭后才能评价")
            t = self._when(case_id, at)
            consumer = self.q("SELECT consumer_id FROM cases WHERE case_id = ?", [case_id])[0]["consumer_id"]
            follow = FB.needs_follow_up(csat, nps, self.rules)
            sids = []
            with self.tx() as c:
                for kind, score in (("csat", csat), ("nps", nps)):
                    if score is not None:
                        sid = _id("SV")
                        c.execute("INSERT INTO surveys VALUES (?, ?, ?, ?, ?, ?)", [sid, case_id, consumer, kind, score, t])
                        sids.append(sid)
                if follow:
                    self._insert_event(c, case_id, t, {"kind": "follow_up_created", "actor": "platform",
                                                       "detail": FB.follow_up_reason(csat, nps)})
        return {"surveys": sids, "follow_up_created": follow}

    def follow_up_done(self, pr: Principal, case_id: str, satisfied: bool, note: str | None = None,
                       at: datetime | None = None) -> dict:
        self.require_case(pr, case_id)
        if pr.role in ("evaluator", "consumer"):
            raise PermissionError("this key cannot record follow-ups / 无权记录回访")
        with self.lock:
            open_ = self.q(FB.OPEN_FOLLOW_UPS_SQL + " AND f.case_id = ?", [case_id])
            if not open_:
                raise Invalid("case", "no open follow-up for this case / 该工单无待回访任务")
            t = self._when(case_id, at)
            consumer = open_[0]["consumer_id"]
            actor = pr.role if pr.role in ids(PARTIES) else "platform"
            with self.tx() as c:
                eid = self._insert_event(c, case_id, t, {"kind": "follow_up_done", "actor": actor,
                                                         "detail": f"satisfied={int(satisfied)}" + (f"; {note}" if note else "")})
                sid = _id("SV")
                c.execute("INSERT INTO surveys VALUES (?, ?, ?, 'follow_up', ?, ?)", [sid, case_id, consumer, int(satisfied), t])
        return {"event_id": eid, "survey_id": sid}

    def follow_ups(self, pr: Principal, limit: int = 100) -> list[dict]:
        """Open follow-up tasks in the caller's scope, newest first."""
        where, params = self.scope_where(pr)
        return self.q(f"""SELECT f.case_id, f.consumer_id, f.created_at, f.detail FROM ({FB.OPEN_FOLLOW_UPS_SQL}) f
            WHERE f.case_id IN (SELECT k.case_id {CASE_JOIN} WHERE {where})
            ORDER BY f.created_at DESC, f.case_id LIMIT ?""", [*params, int(limit)])

    def get_case(self, pr: Principal, case_id: str) -> dict:
        self.require_case(pr, case_id)
        k = self.q(f"""SELECT k.*, o.product_id, p.name AS product_name, p.brand_id, s.streamer_id, s.platform_id
                      {CASE_JOIN} WHERE k.case_id = ?""", [case_id])[0]
        events = self.q("""SELECT "at", kind, actor, party, amount, payer, compensation_kind, detail FROM case_events
                           WHERE case_id = ? ORDER BY "at", event_id""", [case_id])
        msgs = self.q("""SELECT "at", sender, text, tone FROM messages WHERE case_id = ? ORDER BY "at", message_id""", [case_id])
        routed = [e["party"] for e in events if e["kind"] == "routed"]
        out = {"case_id": case_id, "created_at": k["created_at"], "outcome": k["outcome"],
               "category": k["category_confirmed"] or k["category_predicted"], "product": k["product_name"],
               "product_state": k["product_state"], "queue": routed[-1] if routed else None,
               "messages": [{"at": m["at"], "sender": m["sender"], "text": m["text"]} for m in msgs],
               "timeline": [{"at": e["at"], "kind": e["kind"], "actor": e["actor"], "party": e["party"]} for e in events]}
        if routed:
            with self.lock:
                qs = {"brand": k["brand_id"], "streamer": k["streamer_id"]}.get(routed[-1], k["platform_id"])
            out["eta"] = self.eta_model().predict(out["category"], routed[-1], qs)
        if pr.role != "consumer":
            out.update(order_id=k["order_id"], consumer_id=k["consumer_id"], channel=k["channel"],
                       brand_id=k["brand_id"], streamer_id=k["streamer_id"], platform_id=k["platform_id"],
                       events=events, messages=msgs)
        return out
