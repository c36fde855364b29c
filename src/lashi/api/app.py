"""HTTP API over the case service (spec §8) and the evaluation.

Auth: `Authorization: Bearer <key>` (or `X-API-Key`) for admin / evaluator / platform / brand /
streamer / mcn keys; consumers use their case's `?secret=`. A case outside the caller's scope is
404. POSTs honour `Idempotency-Key`. On the workspace's DuckDB store run one worker (a single
writer); on a PostgreSQL store (`store="postgresql://…"`) run as many workers as you like."""
from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from lashi.cases.service.store import CaseService, Conflict, Invalid, NotFound, Principal
from lashi.contract.enums import EVENT_KINDS, PARTIES, PRODUCT_STATES, SKIN_TYPES, ids
from lashi.store import open_workspace

MAX_BODY = 64 * 1024
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    order_id: Id
    channel: Literal["platform", "streamer", "brand"] | None = None
    product_state: Literal[tuple(ids(PRODUCT_STATES))] | None = None  # type: ignore[valid-type]
    skin_type: Literal[tuple(ids(SKIN_TYPES))] | None = None  # type: ignore[valid-type]
    evidence: bool | None = None
    created_at: datetime | None = None


class MessageIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    at: datetime | None = None


class EventIn(Strict):
    kind: Literal[tuple(k for k in ids(EVENT_KINDS) if k != "created")]  # type: ignore[valid-type]
    actor: Literal[tuple(ids(PARTIES))] | None = None  # type: ignore[valid-type]
    party: Literal[tuple(ids(PARTIES))] | None = None  # type: ignore[valid-type]
    amount: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    payer: Literal[tuple(ids(PARTIES))] | None = None  # type: ignore[valid-type]
    compensation_kind: Literal["personalized", "standard"] | None = None
    detail: Annotated[str, Field(max_length=2000)] | None = None
    outcome: Literal["resolved", "unresolved", "withdrawn"] | None = None
    at: datetime | None = None


class SurveyIn(Strict):
    csat: Annotated[int, Field(ge=1, le=5)] | None = None
    nps: Annotated[int, Field(ge=0, le=10)] | None = None


class FollowUpIn(Strict):
    satisfied: bool
    note: Annotated[str, Field(max_length=2000)] | None = None


class KeyIn(Strict):
    role: Literal["admin", "evaluator", "platform", "brand", "streamer", "mcn"]
    subject: Id | None = None


def _err(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    body = {"error": code, "message": message}
    if field:
        body["field"] = field
    return JSONResponse(body, status_code=status)


def _clean(x):
    """JSON-safe: NaN → None, datetimes ISO."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers: $LASHI_SERVE_WORKSPACE, $LASHI_SERVE_STORE."""
    import os

    return create_app(os.environ.get("LASHI_SERVE_WORKSPACE", "workspace"), os.environ.get("LASHI_SERVE_STORE") or None)


def create_app(workspace: str | Path | None, store: str | None = None) -> FastAPI:
    svc = CaseService(open_workspace(workspace) if workspace is not None else None, store=store)
    app = FastAPI(title="LASHI case service", version="1", description=__doc__)
    app.state.service = svc

    @app.on_event("shutdown")
    def _close():
        svc.close()

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        cl = request.headers.get("content-length")
        if cl is not None and (not cl.isdigit() or int(cl) > MAX_BODY):
            return _err(413, "body_too_large", f"request body over {MAX_BODY} bytes / 请求体过大")
        if request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()
            if len(body) > MAX_BODY:
                return _err(413, "body_too_large", f"request body over {MAX_BODY} bytes / 请求体过大")
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errs = [{"field": ".".join(str(p) for p in e["loc"] if p != "body") or "body", "message": e["msg"],
                 "type": e["type"]} for e in exc.errors()]
        first = errs[0] if errs else {"field": "body", "message": "invalid"}
        return JSONResponse({"error": "invalid", "field": first["field"],
                             "message": f"{first['field']}: {first['message']}", "errors": jsonable_encoder(errs)},
                            status_code=422)

    @app.exception_handler(NotFound)
    async def _nf(request, exc):
        return _err(404, "not_found", str(exc))

    @app.exception_handler(Invalid)
    async def _inv(request, exc: Invalid):
        status = 404 if exc.field == "order_id" else 422
        return _err(status, "not_found" if status == 404 else "invalid", str(exc), exc.field)

    @app.exception_handler(PermissionError)
    async def _perm(request, exc):
        return _err(403, "forbidden", str(exc))

    @app.exception_handler(Conflict)
    async def _conf(request, exc):
        return _err(409, "idempotency_conflict", str(exc))

    def principal(request: Request, authorization: str | None = Header(None), x_api_key: str | None = Header(None),
                  secret: str | None = Query(None, max_length=200)) -> Principal:
        key = x_api_key
        if authorization and authorization.lower().startswith("bearer "):
            key = authorization[7:].strip()
        if key:
            pr = svc.principal_for_key(key)
            if pr is None:
                raise _Unauth()
            return pr
        case_id = request.path_params.get("case_id")
        if secret and case_id:
            pr = svc.principal_for_secret(case_id, secret)
            if pr is None:
                raise NotFound(f"case {case_id} not found / 工单不存在")
            return pr
        if case_id:
            raise NotFound(f"case {case_id} not found / 工单不存在")
        raise _Unauth()

    class _Unauth(Exception):
        pass

    @app.exception_handler(_Unauth)
    async def _ua(request, exc):
        return _err(401, "unauthorized", "missing or unknown API key / 缺少或无效的API密钥")

    def staff(pr: Principal = Depends(principal)) -> Principal:
        if pr.role == "consumer":
            raise NotFound("not found / 不存在")
        return pr

    def respond(pr, idem, request_body, run):
        status, body = svc.idempotent(pr, idem, request_body, lambda: (201, _clean(jsonable_encoder(run()))))
        return JSONResponse(body, status_code=status)

    @app.post("/cases", status_code=201)
    def post_case(body: CaseIn, pr: Principal = Depends(staff),
                  idempotency_key: str | None = Header(None, max_length=200)):
        return respond(pr, idempotency_key, ["cases", body.model_dump(mode="json")],
                       lambda: svc.create_case(pr, body.text, body.order_id, channel=body.channel,
                                               product_state=body.product_state, skin_type=body.skin_type,
                                               evidence=body.evidence, created_at=body.created_at))

    @app.post("/cases/{case_id}/messages", status_code=201)
    def post_message(case_id: Id, body: MessageIn, pr: Principal = Depends(principal),
                     idempotency_key: str | None = Header(None, max_length=200)):
        return respond(pr, idempotency_key, ["msg", case_id, body.model_dump(mode="json")],
                       lambda: svc.add_message(pr, case_id, body.text, body.at))

    @app.post("/cases/{case_id}/events", status_code=201)
    def post_event(case_id: Id, body: EventIn, pr: Principal = Depends(principal),
                   idempotency_key: str | None = Header(None, max_length=200)):
        d = body.model_dump(exclude={"at"})
        return respond(pr, idempotency_key, ["ev", case_id, body.model_dump(mode="json")],
                       lambda: svc.add_event(pr, case_id, d, body.at))

    @app.get("/cases/{case_id}")
    def get_case(case_id: Id, pr: Principal = Depends(principal)):
        return JSONResponse(_clean(jsonable_encoder(svc.get_case(pr, case_id))))

    @app.post("/cases/{case_id}/survey", status_code=201)
    def post_survey(case_id: Id, body: SurveyIn, pr: Principal = Depends(principal),
                    idempotency_key: str | None = Header(None, max_length=200)):
        return respond(pr, idempotency_key, ["survey", case_id, body.model_dump(mode="json")],
                       lambda: svc.survey(pr, case_id, body.csat, body.nps))

    @app.post("/cases/{case_id}/follow-up", status_code=201)
    def post_follow_up(case_id: Id, body: FollowUpIn, pr: Principal = Depends(principal),
                       idempotency_key: str | None = Header(None, max_length=200)):
        return respond(pr, idempotency_key, ["fu", case_id, body.model_dump(mode="json")],
                       lambda: svc.follow_up_done(pr, case_id, body.satisfied, body.note))

    @app.get("/follow-ups")
    def get_follow_ups(limit: Annotated[int, Query(ge=1, le=1000)] = 100, pr: Principal = Depends(staff)):
        return JSONResponse(_clean(jsonable_encoder({"follow_ups": svc.follow_ups(pr, limit)})))

    from lashi.web import mount as mount_web    # dashboard /ui, consumer page, public /board

    web_results = mount_web(app, svc)

    def _evaluation(period: str):
        """The ranking for a period, cached until the next write (shared with the web pages)."""
        return web_results.evaluation(period, strict=True)["rk_api"]

    def _can_see_subject(pr: Principal, subject_id: str) -> bool:
        if pr.role in ("admin", "evaluator") or pr.subject_id == subject_id:
            return True
        if pr.role == "mcn":
            return bool(svc.q("SELECT 1 FROM subjects WHERE subject_id = ? AND mcn_id = ?", [subject_id, pr.subject_id]))
        return False

    def _rk(period: str):
        try:
            return _evaluation(period)
        except ValueError as e:
            raise Invalid("period", str(e)) from None

    @app.get("/subjects/{subject_id}/index")
    def subject_index(subject_id: Id, period: Annotated[str, Query(min_length=4, max_length=40)],
                      pr: Principal = Depends(staff)):
        if not _can_see_subject(pr, subject_id):
            raise NotFound(f"subject {subject_id} not found / 主体不存在")
        rk = _rk(period)
        row = rk[rk["subject_id"] == subject_id]
        if row.empty:
            raise NotFound(f"no index for {subject_id} in {period} / 该期间无此主体指数")
        return JSONResponse(_clean(jsonable_encoder(row.iloc[0].to_dict())))

    @app.get("/rankings")
    def rankings(period: Annotated[str, Query(min_length=4, max_length=40)],
                 kind: Literal["platform", "streamer", "brand", "mcn", "industry"] = "brand",
                 pr: Principal = Depends(staff)):
        rk = _rk(period)
        rk = rk[rk["subject_kind"] == kind]
        return JSONResponse(_clean(jsonable_encoder({"period": period, "kind": kind,
                                                     "rows": rk.to_dict("records")})))

    @app.post("/keys", status_code=201)
    def post_key(body: KeyIn, pr: Principal = Depends(staff)):
        """Admin only: create a key while the server runs (only its SHA-256 is stored)."""
        if pr.role != "admin":
            raise PermissionError("only admin keys create keys / 仅管理员可创建密钥")
        kid, key = svc.create_key(body.role, body.subject)
        return JSONResponse({"key_id": kid, "role": body.role, "subject": body.subject, "key": key}, status_code=201)

    @app.get("/health")
    def health():
        return {"ok": True}

    return app
