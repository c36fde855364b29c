"""Routes of the web faces, mounted into the API app by `lashi.web.mount`:

- `/ui/…`     evaluator dashboard (admin / evaluator API key, kept in an HttpOnly cookie);
- `/ui/case/{case_id}?secret=…`   the consumer's page from the per-case secret link;
- `/board/…`  public transparency board (no login, aggregates only).
"""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import i18n
from .results import Pending, Results

HERE = Path(__file__).resolve().parent
TZ = ZoneInfo("Asia/Shanghai")
COOKIE_KEY = "lashi_key"
COOKIE_LANG = "lashi_lang"
KINDS = ("streamer", "brand", "platform", "mcn")
HIDDEN_EVENTS = {"qc_checked", "anger_detected", "rule_conflict"}
REFUND_REMEDIES = {"return_refund", "no_reason_return"}
# Everything is served from this server (no CDN); the consumer's secret never leaves in a Referer.
HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                      "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
           "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def _num(x, nd: int = 1) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    return "–" if not math.isfinite(v) else f"{v:.{nd}f}"


def _clean(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (datetime, date, pd.Timestamp)):
        return x.isoformat()
    if hasattr(x, "item"):
        return _clean(x.item())
    return x


def _records(df: pd.DataFrame | None, cols: list[str] | None = None) -> list[dict]:
    if df is None or df.empty:
        return []
    if cols:
        df = df[[c for c in cols if c in df.columns]]
    return [_clean(r) for r in df.to_dict("records")]


def _local(t) -> str:
    if t is None:
        return ""
    ts = pd.Timestamp(t)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return ts.tz_convert(TZ).strftime("%Y-%m-%d %H:%M")


def mount(app: FastAPI, svc, results: Results, cfg: dict) -> None:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    env.filters["num"] = _num
    env.filters["pct"] = lambda x: "–" if x is None or not math.isfinite(float(x)) else f"{float(x) * 100:.0f}%"
    env.filters["local"] = _local
    env.filters["tojson_safe"] = lambda x: Markup(json.dumps(_clean(x), ensure_ascii=False).replace("</", "<\\/"))
    # gzip for the static files only (echarts.min.js: 1.1 MB → ~0.36 MB); the API is left as it is
    app.mount("/ui/static", GZipMiddleware(StaticFiles(directory=str(HERE / "static")), minimum_size=1024),
              name="ui-static")

    # -- helpers ---------------------------------------------------------------------------
    def lang_of(request: Request) -> str:
        q = request.query_params.get("lang")
        if q in i18n.LANGS:
            return q
        c = request.cookies.get(COOKIE_LANG)
        return c if c in i18n.LANGS else "zh"

    def url_with(request: Request, **changes) -> str:
        params = dict(request.query_params)
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
            else:
                params[k] = v
        return request.url.path + ("?" + urlencode(params) if params else "")

    def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        lang = lang_of(request)
        t = i18n.T(lang)
        html = env.get_template(name).render(request=request, t=t, lang=lang, i18n=i18n,
                                             url_with=lambda **c: url_with(request, **c),
                                             other_lang="en" if lang == "zh" else "zh", **ctx)
        resp = HTMLResponse(html, status_code=status, headers=HEADERS)
        if request.query_params.get("lang") in i18n.LANGS:
            resp.set_cookie(COOKIE_LANG, lang, max_age=365 * 86400, samesite="lax")
        return resp

    def computing(request: Request, **ctx) -> HTMLResponse:
        return render(request, "computing.html", status=202, working=results.computing(), **ctx)

    def _pending_json():
        return JSONResponse({"status": "computing", "working": results.computing()}, status_code=202)

    def _json_result(fn, *args):
        """(result, None), or (None, the 202 "computing" / 422 answer) for the JSON endpoints."""
        try:
            return fn(*args), None
        except Pending:
            return None, _pending_json()
        except ValueError as e:
            return None, JSONResponse({"error": "invalid", "message": str(e)}, status_code=422)

    def page_result(request: Request, months, period, fn):
        """(fn(period), None), or (None, the "computing" / error page) for the staff pages."""
        try:
            return fn(period), None
        except Pending:
            return None, computing(request, months=months, period=period)
        except ValueError as e:
            return None, render(request, "message.html", status=422, message=str(e), months=months, period=period)

    def staff_principal(request: Request):
        key = request.cookies.get(COOKIE_KEY)
        if not key:
            return None
        pr = svc.principal_for_key(key)
        return pr if pr is not None and pr.role in ("admin", "evaluator") else None

    class _Login(Exception):
        def __init__(self, response: Response):
            self.response = response

    @app.exception_handler(_Login)
    async def _login_needed(request, exc: _Login):
        return exc.response

    def require_staff(request: Request):
        """The dashboard's auth: an admin/evaluator key in the HttpOnly cookie, set by the login
        form or once by `?key=` in a link (then redirected away from the URL)."""
        key = request.query_params.get("key")
        if key:
            pr = svc.principal_for_key(key)
            if pr is not None and pr.role in ("admin", "evaluator"):
                resp = RedirectResponse(url_with(request, key=None), status_code=303)
                resp.set_cookie(COOKIE_KEY, key, httponly=True, samesite="strict", max_age=12 * 3600)
                raise _Login(resp)
        pr = staff_principal(request)
        if pr is None:
            nxt = url_with(request, key=None)
            raise _Login(RedirectResponse("/ui/login?" + urlencode({"next": nxt}), status_code=303))
        return pr

    def period_of(request: Request) -> tuple[list[str], str | None]:
        months, default = results.periods()
        p = request.query_params.get("period") or default
        return months, p

    def evaluation(period: str):
        """(data, stale) or raises Pending / ValueError."""
        data = results.evaluation(period)
        return data

    # -- login -----------------------------------------------------------------------------
    @app.get("/ui", include_in_schema=False)
    @app.get("/ui/", include_in_schema=False)
    def ui_root():
        return RedirectResponse("/ui/overview", status_code=303)

    @app.get("/ui/login", include_in_schema=False)
    def login_form(request: Request):
        return render(request, "login.html", next=request.query_params.get("next", "/ui/overview"), error=False, public=True)

    @app.post("/ui/login", include_in_schema=False)
    async def login(request: Request):
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        key = form.get("key", "").strip()
        nxt = form.get("next") or "/ui/overview"
        if not nxt.startswith("/") or nxt.startswith("//"):
            nxt = "/ui/overview"
        pr = svc.principal_for_key(key) if key else None
        if pr is None or pr.role not in ("admin", "evaluator"):
            return render(request, "login.html", status=401, next=nxt, error=True, public=True)
        resp = RedirectResponse(nxt, status_code=303)
        resp.set_cookie(COOKIE_KEY, key, httponly=True, samesite="strict", max_age=12 * 3600)
        return resp

    @app.get("/ui/logout", include_in_schema=False)
    def logout():
        resp = RedirectResponse("/ui/login", status_code=303)
        resp.delete_cookie(COOKIE_KEY)
        return resp

    # -- overview --------------------------------------------------------------------------
    @app.get("/ui/overview", include_in_schema=False)
    def overview(request: Request):
        require_staff(request)
        months, period = period_of(request)
        if period is None:
            return render(request, "message.html", status=404, message="no cases / 没有工单")
        d, fail = page_result(request, months, period, evaluation)
        if fail is not None:
            return fail
        rk = d["rk"]
        ind = rk[rk["subject_kind"] == "industry"]
        ds = d["run"].evaluation.dimension_scores
        ds = ds[(ds["subject_id"] == "INDUSTRY") & (ds["period"] == d["label"])]
        bands = (rk[rk["subject_kind"] != "industry"].groupby(["subject_kind", "band"]).size()
                 .unstack(fill_value=0))
        band_rows = [{"kind": k, **{b: int(bands.loc[k].get(b, 0)) for b in i18n.BAND}} for k in KINDS if k in bands.index]
        dims = [{"id": r.dimension, "zh": r.zh, "en": r.en, "score": r.score, "weight": r.weight,
                 "peer": r.score} for r in ds.itertuples()]
        tops = {}
        for k in ("platform", "streamer", "brand", "mcn"):
            sub = rk[(rk["subject_kind"] == k) & rk["index"].notna()]
            tops[k] = {"top": _records(sub.head(3)),
                       "bottom": _records(sub.tail(min(3, max(0, len(sub) - 3))).iloc[::-1])}
        return render(request, "overview.html", months=months, period=period, label=d["label"],
                      industry=_records(ind)[0] if len(ind) else None, dims=dims, band_rows=band_rows, tops=tops,
                      stale=_stale(("eval", period)))

    def _stale(key) -> bool:
        return results.stale(key)

    # -- rankings --------------------------------------------------------------------------
    @app.get("/ui/rankings", include_in_schema=False)
    def rankings(request: Request):
        require_staff(request)
        months, period = period_of(request)
        qp = request.query_params
        kind = qp.get("kind") if qp.get("kind") in KINDS else "streamer"
        d, fail = page_result(request, months, period, evaluation)
        if fail is not None:
            return fail
        page, rows, total, opts = ranking_page(d, kind, qp)
        return render(request, "rankings.html", months=months, period=period, label=d["label"], kind=kind,
                      rows=rows, total=total, page=page, page_size=int(cfg["page_size"]), opts=opts,
                      q=qp.get("q", ""), platform=qp.get("platform", ""), tier=qp.get("tier", ""),
                      origin=qp.get("origin", ""), order=qp.get("order", ""), stale=_stale(("eval", period)))

    def ranking_page(d: dict, kind: str, qp) -> tuple[int, list[dict], int, dict]:
        return page_of_ranking(d["rk"], d["run"].subjects, kind, qp, int(cfg["page_size"]))

    @app.get("/ui/api/rankings", include_in_schema=False)
    def rankings_json(request: Request):
        """The same page of the ranking as JSON (for scripts and the benchmark)."""
        require_staff(request)
        _, period = period_of(request)
        qp = request.query_params
        kind = qp.get("kind") if qp.get("kind") in KINDS else "streamer"
        d, fail = _json_result(evaluation, period)
        if fail is not None:
            return fail
        page, rows, total, _ = ranking_page(d, kind, qp)
        return JSONResponse({"period": d["label"], "kind": kind, "page": page, "total": total, "rows": rows})

    # -- subject ---------------------------------------------------------------------------
    @app.get("/ui/subject/{subject_id}", include_in_schema=False)
    def subject(request: Request, subject_id: str):
        require_staff(request)
        months, period = period_of(request)
        d, fail = page_result(request, months, period, evaluation)
        if fail is not None:
            return fail
        if subject_id not in d["by_id"].index:
            t = i18n.T(lang_of(request))
            return render(request, "message.html", status=404, message=f"{subject_id}: {t('subject_missing')}",
                          months=months, period=period)
        row = _clean(d["by_id"].loc[subject_id].to_dict())
        ex = d["run"].evaluation.explain(subject_id, d["label"])
        peer = d["peer"].loc[row["subject_kind"]] if row["subject_kind"] in d["peer"].index else None
        dims = []
        for r in ex.dimensions.sort_values("dimension").itertuples():
            dims.append({"id": r.dimension, "zh": r.zh, "en": r.en, "score": _clean(float(r.score)),
                         "peer": _clean(float(peer[r.dimension])) if peer is not None else None,
                         "lost": float(r.points_lost)})
        weak = next((x for x in dims if x["id"] == ex.weakest_dimension), None)
        inds = _records(ex.indicators[ex.indicators["points_lost"] > 0].head(6))
        flags = {}
        for f in ex.indicators["flags"].fillna(""):
            for x in str(f).split(";"):
                if x:
                    flags[x] = flags.get(x, 0) + 1
        subj = d["run"].subjects.set_index("subject_id")
        info = _clean(subj.loc[subject_id].to_dict()) if subject_id in subj.index else {}
        names = subj["name"].to_dict()
        return render(request, "subject.html", months=months, period=period, label=d["label"], row=row,
                      info=info, names=names, dims=dims, weak=weak, inds=inds, flags=flags,
                      stale=_stale(("eval", period)))

    @app.get("/ui/api/trend/{subject_id}", include_in_schema=False)
    def trend(request: Request, subject_id: str):
        require_staff(request)
        p, fail = _json_result(results.panel)
        if fail is not None:
            return fail
        h = p["index"][(p["index"]["subject_id"] == subject_id) & p["index"]["period"].isin(p["months"])]
        h = h.sort_values("period")        # complete months only: the forecast starts after them
        fc = p["forecasts"]
        f = fc[fc["subject_id"] == subject_id] if not fc.empty else fc
        return JSONResponse({"history": _records(h, ["period", "index", "cases"]),
                             "forecast": _records(f, ["period", "forecast", "lo", "hi", "level", "risk", "risk_zh",
                                                      "risk_reason", "model"]),
                             "complete_months": p["months"], "notes": p["notes"]})

    @app.get("/ui/api/governance/{subject_id}", include_in_schema=False)
    def governance(request: Request, subject_id: str):
        require_staff(request)
        _, period = period_of(request)
        g, fail = _json_result(results.governance, period)
        if fail is not None:
            return fail

        def of(df):
            return _records(df[df["subject_id"] == subject_id]) if df is not None and not df.empty and "subject_id" in df else []
        mb = g.mcn_brands
        mbr = _records(mb[(mb["mcn_id"] == subject_id) | (mb["brand_id"] == subject_id)]) if not mb.empty and "mcn_id" in mb else []
        return JSONResponse({"period": g.period, "card_month": g.card_month, "cards": of(g.cards),
                             "credit": of(g.credit), "rectification": of(g.rectification), "mcn_brands": mbr,
                             "notes": g.notes})

    @app.get("/ui/api/checks/{subject_id}", include_in_schema=False)
    def checks(request: Request, subject_id: str):
        require_staff(request)
        _, period = period_of(request)
        v, fail = _json_result(results.validation, period)
        if fail is not None:
            return fail
        tri = v.triangulation
        an = v.anomalies
        return JSONResponse({
            "triangulation": _records(tri[tri["subject_id"] == subject_id]) if not tri.empty else [],
            "anomaly": _records(an[an["subject_id"] == subject_id]) if not an.empty else [],
            "notes": v.notes})

    # -- validation page -------------------------------------------------------------------
    @app.get("/ui/validation", include_in_schema=False)
    def validation_page(request: Request):
        require_staff(request)
        months, period = period_of(request)
        v, fail = page_result(request, months, period, results.validation)
        if fail is not None:
            return fail
        tri = v.triangulation
        return render(request, "validation.html", months=months, period=period, v=v, blind=_clean(v.blind or {}),
                      tri=_records(tri.sort_values("z", ascending=False).head(50)) if not tri.empty else [],
                      tri_n=len(tri), tri_bad=int(tri["beautified"].sum()) if not tri.empty else 0,
                      calib=_records(v.calibration), validity=_records(v.validity),
                      sens=_records(v.sensitivity.head(30)) if not v.sensitivity.empty else [],
                      anom=_records(v.anomalies))

    # -- consumer page ---------------------------------------------------------------------
    def consumer(case_id: str, secret: str | None):
        if not secret or len(secret) > 200 or len(case_id) > 64:
            return None
        return svc.principal_for_secret(case_id, secret)

    @app.get("/ui/case/{case_id}", include_in_schema=False)
    def case_page(request: Request, case_id: str):
        secret = request.query_params.get("secret")
        pr = consumer(case_id, secret)
        if pr is None:
            return render(request, "case_refused.html", status=404, public=True)
        return render(request, "case.html", c=consumer_view(pr, case_id), secret=secret, public=True)

    @app.get("/ui/case/{case_id}/proof/{claim_id}.json", include_in_schema=False)
    def case_proof(request: Request, case_id: str, claim_id: str):
        pr = consumer(case_id, request.query_params.get("secret"))
        if pr is None:
            return JSONResponse({"error": "not_found", "message": "case not found / 工单不存在"}, status_code=404)
        for p in proofs(case_id, with_bundle=True):
            if p["claim_id"] == claim_id and p.get("bundle"):
                return Response(json.dumps(p["bundle"], ensure_ascii=False, indent=2), media_type="application/json",
                                headers={"Content-Disposition": f'attachment; filename="proof-{claim_id}.json"'})
        return JSONResponse({"error": "not_found", "message": "no proof for this claim / 无此话术的证明"}, status_code=404)

    def consumer_view(pr, case_id: str) -> dict:
        from lashi.cases.service import eligibility as EL
        from lashi.cases.service import eta as ETA

        c = svc.get_case(pr, case_id)
        with svc.lock:
            k = svc.q("""SELECT k.created_at, k.product_state, o.ordered_at FROM cases k
                         JOIN orders o USING (order_id) WHERE k.case_id = ?""", [case_id])[0]
            texts = [r["text"] for r in svc.q("SELECT text FROM messages WHERE case_id = ? AND sender = 'consumer'", [case_id])]
            surveyed = bool(svc.q("SELECT 1 FROM surveys WHERE case_id = ? AND kind IN ('csat', 'nps')", [case_id]))
            hol, work = ETA._calendar(svc.con)
        kinds = [e["kind"] for e in c["timeline"]]
        holder = None
        for e in c["timeline"]:
            if e["kind"] in ("routed", "transfer") and e["party"]:
                holder = e["party"]
        evidence = EL.has_evidence(" ".join(texts)) or "evidence_received" in kinds
        days = (k["created_at"] - k["ordered_at"]).total_seconds() / 86400
        el = EL.decide(c["category"], k["product_state"], evidence=evidence, days_since_order=days,
                       rules=svc.rules).to_dict()
        eta = c.get("eta") or {}
        today = datetime.now(timezone.utc).astimezone(TZ).date()
        created = pd.Timestamp(k["created_at"]).tz_convert(TZ).date()
        elapsed = int(ETA.working_days([created], [today], hol, work)[0]) if today > created else 0
        n = eta.get("working_days")
        refund = el["eligible"] and el["remedy"] in REFUND_REMEDIES
        closed = "closed" in kinds
        if "refund_issued" in kinds:
            state = ("done", "退款已到账", "Refund paid")
        elif c["outcome"] != "open" or closed:
            state = ("done", "已处理完毕", "Case completed")
        elif n is None:
            state = ("open", "正在处理中", "Being handled")
        elif n - elapsed >= 1:
            r = n - elapsed
            state = ("open", f"预计{r}个工作日退款到账" if refund else f"预计{r}个工作日内处理完毕",
                     f"refund expected within {r} working day{'s' if r != 1 else ''}" if refund
                     else f"expected to be done within {r} working day{'s' if r != 1 else ''}")
        else:
            state = ("overdue", "已超过预计时间，我们正在催办", "Past the expected time; we are chasing it")
        timeline = [{"at": e["at"], "kind": e["kind"], "party": e["party"], "actor": e["actor"]}
                    for e in c["timeline"] if e["kind"] not in HIDDEN_EVENTS]
        return {"case_id": case_id, "product": c["product"], "category": c["category"], "outcome": c["outcome"],
                "created_at": k["created_at"], "product_state": k["product_state"], "holder": holder,
                "eta": eta, "eta_state": state, "elapsed": elapsed, "eligibility": el, "timeline": timeline,
                "messages": c["messages"], "closed": closed, "surveyed": surveyed, "proofs": _safe_proofs(case_id)}

    def _safe_proofs(case_id: str) -> list[dict]:
        try:
            return proofs(case_id)
        except Exception:  # noqa: BLE001 - the page still shows the case without the proof section
            import logging

            logging.getLogger("lashi.web").exception("proofs for %s", case_id)
            return []

    def proofs(case_id: str, with_bundle: bool = False) -> list[dict]:
        """On-air claims about the case's product in its live session, with their place in the
        evidence log and (if a signed head covers them) a verified proof bundle."""
        from lashi.evidence import EntryNotFound, EvidenceLog, make_bundle, read_heads, verify_bundle
        from lashi.evidence.storage import storage_for
        from lashi.evidence.workspace import EvidencePaths

        if svc.ws is None:          # PostgreSQL store: the signing keys live with a workspace
            return []
        paths = EvidencePaths(svc.ws.path)
        out = []
        with svc.lock:
            claims = svc.q("""SELECT c.claim_id, c.text, c.offset_seconds FROM cases k JOIN orders o USING (order_id)
                              JOIN claims c ON c.session_id = o.session_id AND c.product_id = o.product_id
                              WHERE k.case_id = ? ORDER BY c.offset_seconds, c.claim_id""", [case_id])
            if not claims:
                return []
            if not storage_for(svc.con).has_table("evidence_meta") or not paths.public_key.exists():
                return [{**c, "logged": False} for c in claims]
            log = EvidenceLog.open(svc.con, check=False)
            heads = read_heads(paths.heads) if paths.heads.exists() else []
            public = paths.load_public()
            for c in claims:
                item = {**c, "logged": False, "covered": False}
                try:
                    e = log.find(f"claim/{c['claim_id']}")
                except EntryNotFound:
                    out.append(item)
                    continue
                item.update(logged=True, index=e.index)
                head = next((h for h in reversed(heads) if h.tree_size > e.index), None)
                if head is not None:
                    b = make_bundle(log, e, head, public)
                    v = verify_bundle(b, public)
                    item.update(covered=True, verified=v.ok, root=head.root_hash, tree_size=head.tree_size,
                                head_time=getattr(head, "time", None))
                    if with_bundle:
                        item["bundle"] = b
                out.append(item)
        return out

    # -- public board ----------------------------------------------------------------------
    board_cfg = cfg["board"]

    def board_rows(d: dict, kind: str) -> list[dict]:
        from lashi.scoring.config import load_catalogue

        cat = {i.id: i for i in load_catalogue().indicators}
        rk = d["rk"]
        rk = rk[(rk["subject_kind"] == kind) & (rk["cases"] >= int(board_cfg["min_cases"]))]
        vals = d["run"].values
        vals = vals[(vals["slice"] == "all") & vals["indicator_id"].isin(list(board_cfg["figures"]))
                    & vals["subject_id"].isin(rk["subject_id"])]
        fig = {(r.subject_id, r.indicator_id): (r.value, r.n) for r in vals.itertuples()}
        out = []
        for r in rk.sort_values("index", ascending=False).itertuples():
            figs = {}
            for ind in board_cfg["figures"]:
                v, n = fig.get((r.subject_id, ind), (None, 0))
                ok = v is not None and math.isfinite(float(v)) and n >= cat[ind].min_sample
                figs[ind] = {"value": float(v) if ok else None, "n": int(n or 0)}
            out.append({"subject_id": r.subject_id, "name": r.name, "kind": kind, "tier": r.tier,
                        "band": r.band, "cases": int(r.cases), "figures": figs})
        return out

    def board_fmt(t, ind: str, f: dict) -> str:
        unit = board_cfg["figures"][ind]["unit"]
        v = f["value"]
        if v is None:
            return t("small_sample")
        if unit == "hours":
            return t("hours", v=f"{v:.1f}")
        if unit == "working_days":
            return t("working_days", v=f"{v:.1f}")
        if unit == "share":
            return f"{v * 100:.0f}%"
        return f"{v:+.0f}"

    @app.get("/board", include_in_schema=False)
    @app.get("/board/", include_in_schema=False)
    def board(request: Request):
        months, period = period_of(request)
        try:
            d = evaluation(period)
        except Pending:
            return computing(request, months=months, period=period, public=True)
        except ValueError as e:
            return render(request, "message.html", status=422, message=str(e), public=True)
        lists = {k: board_rows(d, k) for k in board_cfg["kinds"]}
        return render(request, "board.html", months=months, period=period, label=d["label"], lists=lists,
                      figures=board_cfg["figures"], fmt=board_fmt, min_cases=int(board_cfg["min_cases"]), public=True)

    @app.get("/board/{subject_id}", include_in_schema=False)
    def board_subject(request: Request, subject_id: str):
        months, period = period_of(request)
        try:
            d = evaluation(period)
        except Pending:
            return computing(request, months=months, period=period, public=True)
        except ValueError as e:
            return render(request, "message.html", status=422, message=str(e), public=True)
        t = i18n.T(lang_of(request))
        if subject_id not in d["by_id"].index or d["by_id"].loc[subject_id, "subject_kind"] not in board_cfg["kinds"]:
            return render(request, "message.html", status=404, message=t("not_found"), public=True)
        r = d["by_id"].loc[subject_id]
        rows = [x for x in board_rows(d, r["subject_kind"]) if x["subject_id"] == subject_id]
        return render(request, "board_subject.html", months=months, period=period, label=d["label"],
                      s={"subject_id": subject_id, "name": r["name"], "kind": r["subject_kind"], "tier": r["tier"],
                         "cases": int(r["cases"]) if pd.notna(r["cases"]) else 0},
                      row=rows[0] if rows else None, figures=board_cfg["figures"], fmt=board_fmt,
                      min_cases=int(board_cfg["min_cases"]), public=True)


RANKING_COLUMNS = ["subject_id", "name", "subject_kind", "tier", "origin", "platform_id", "index", "lo", "hi",
                   "band", "band_zh", "band_en", "weakest_dimension", "weakest_zh", "weakest_en", "weakest_score",
                   "cases", "rank"]


def page_of_ranking(rk: pd.DataFrame, subjects: pd.DataFrame, kind: str, qp, size: int
                    ) -> tuple[int, list[dict], int, dict]:
    """Filter (platform for streamers, tier, origin for brands), search (name or id, substring)
    and page the ranking on the server: only one page of rows reaches the browser, so a ranking
    of 10,000 subjects stays fast. Returns (page, rows, total after filters, filter options)."""
    rk = rk[rk["subject_kind"] == kind]
    platforms = subjects[subjects["kind"] == "platform"][["subject_id", "name"]].sort_values("subject_id")
    opts = {"platforms": _records(platforms),
            "tiers": sorted(t for t in rk["tier"].dropna().unique() if t),
            "origins": sorted(o for o in rk["origin"].dropna().unique() if o)}
    if qp.get("platform") and kind == "streamer":
        rk = rk[rk["platform_id"] == qp["platform"]]
    if qp.get("tier"):
        rk = rk[rk["tier"] == qp["tier"]]
    if qp.get("origin") and kind == "brand":
        rk = rk[rk["origin"] == qp["origin"]]
    q = (qp.get("q") or "").strip()
    if q:
        rk = rk[rk["name"].astype(str).str.contains(q, case=False, regex=False)
                | rk["subject_id"].str.contains(q, case=False, regex=False)]
    if qp.get("order") == "asc":
        rk = rk.sort_values("index", ascending=True, na_position="last", kind="stable")
    total = len(rk)
    try:
        page = max(1, int(qp.get("page", 1)))
    except ValueError:
        page = 1
    page = min(page, max(1, math.ceil(total / size)))
    rows = _records(rk.iloc[(page - 1) * size: page * size], RANKING_COLUMNS)
    return page, rows, total, opts
