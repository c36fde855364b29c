"""Results behind the pages, computed once and cached: the evaluation of a period (with the
ranking and peer medians), the monthly index panel with its 3-month forecasts, governance and
validation of a period.

On the workspace's DuckDB store, jobs read through a second connection of the same DuckDB
instance as the case service's writer (same configuration), so they run in background threads
without closing the writer or holding its lock: the case API keeps answering while a page's
figures are computed. On a PostgreSQL store they read the service's snapshot copy, under its lock.

Pages use stale-while-revalidate: a cached result is shown at once; if writes happened since
and it is older than `refresh_seconds`, a recomputation starts in the background. The API's
`/rankings` asks with `strict=True`: recomputed after every write (its documented behaviour).
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Callable

import duckdb
import pandas as pd

from lashi.store.workspace import DEFAULT_MEMORY_LIMIT, DEFAULT_TZ, Workspace


@dataclass(frozen=True)
class SharedWorkspace(Workspace):
    """The workspace opened read-write (the writer's configuration) for reading: DuckDB shares
    one database instance per file and configuration inside a process."""

    def connect(self, read_only: bool = False, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
        import os

        con = duckdb.connect(str(self.db_path))
        con.execute(f"SET TimeZone = '{DEFAULT_TZ}'")
        con.execute(f"SET memory_limit = '{memory_limit or os.environ.get('LASHI_MEMORY_LIMIT', DEFAULT_MEMORY_LIMIT)}'")
        return con


@dataclass
class Entry:
    version: int
    at: float
    value: Any = None
    error: str | None = None


class Pending(Exception):
    """The result is being computed; ask again shortly."""


class Results:
    QUEUED = ("panel", "gov", "val")
    KEEP = 8        # results kept per kind (e.g. the 8 periods asked for last)

    def __init__(self, svc, cfg: dict):
        self.svc = svc
        self.cfg = cfg
        self.ws = SharedWorkspace(svc.ws.path) if svc.ws is not None and not getattr(svc, "pg", False) else None
        self._cache: dict[tuple, Entry] = {}
        self._running: dict[tuple, threading.Thread] = {}
        self._guard = threading.Lock()
        self._compute = threading.Lock()     # one heavy job at a time (2 cores)

    # -- machinery -------------------------------------------------------------------------
    def version(self) -> int:
        dv = getattr(self.svc, "data_version", None)
        return dv() if dv else self.svc.version

    @contextmanager
    def reading(self):
        """The workspace a job reads."""
        if self.ws is not None:
            yield self.ws
        else:
            with self.svc.lock:
                yield self.svc.evaluation_workspace()

    def _run(self, key: tuple, fn: Callable[[Any], Any]) -> None:
        v0 = -1
        try:
            # The evaluation (what the API's /rankings and every page need) does not queue behind
            # the slow, optional jobs (panel, governance, validation), which run one at a time.
            with (self._compute if key[0] in self.QUEUED else nullcontext()):
                v0 = self.version()
                with self.reading() as ws:
                    e = Entry(v0, time.time(), fn(ws))
        except Exception as exc:  # noqa: BLE001 - shown on the page (e.g. "no cases in period")
            e = Entry(v0, time.time(), None, str(exc))
        with self._guard:
            self._cache[key] = e
            self._running.pop(key, None)
            same = sorted((k for k in self._cache if k[0] == key[0]), key=lambda k: self._cache[k].at)
            for k in same[:-self.KEEP]:          # periods asked for long ago leave the cache
                self._cache.pop(k, None)

    def _start(self, key: tuple, fn) -> threading.Thread:
        th = self._running.get(key)
        if th is None:
            th = threading.Thread(target=self._run, args=(key, fn), daemon=True, name=f"lashi-web-{key[0]}")
            self._running[key] = th
            th.start()
        return th

    def stale(self, key: tuple) -> bool:
        e = self._cache.get(key)
        return e is not None and e.version != self.version()

    def get(self, key: tuple, fn: Callable[[Any], Any], *, wait: bool = False, strict: bool = False) -> Entry:
        """The cached entry for `key` (raises Pending while the first computation runs, unless
        `wait`). strict: recompute after any write and wait for it."""
        while True:
            version = self.version()
            with self._guard:
                hit = self._cache.get(key)
                current = hit is not None and hit.version == version
                if strict:
                    if current:
                        return hit
                    th = self._start(key, fn)
                elif hit is not None:
                    if not current and time.time() - hit.at > float(self.cfg["refresh_seconds"]):
                        self._start(key, fn)
                    return hit
                else:
                    th = self._start(key, fn)
            if not (wait or strict):
                raise Pending(key)
            th.join()
            if not strict:
                wait = False

    def value(self, key: tuple, fn, **kw):
        e = self.get(key, fn, **kw)
        if e.error:
            raise ValueError(e.error)
        return e.value

    def computing(self) -> list[str]:
        with self._guard:
            return [k[0] for k in self._running]

    # -- the results -----------------------------------------------------------------------
    def periods(self) -> tuple[list[str], str | None]:
        """Months with cases (Asia/Shanghai) and the default: the last month with at least 80%
        of the busiest month's cases (a full, recent month — as the demo picks)."""
        def fn(ws):
            con = ws.connect(read_only=True)
            try:
                rows = con.execute("SELECT strftime(created_at, '%Y-%m') AS m, count(*) FROM cases "
                                   "GROUP BY m ORDER BY m").fetchall()
            finally:
                con.close()
            if not rows:
                return [], None
            peak = max(n for _, n in rows)
            return [m for m, _ in rows], [m for m, n in rows if n >= 0.8 * peak][-1]
        return self.value(("periods",), fn, wait=True)

    def evaluation(self, period: str, *, strict: bool = False, wait: bool = False) -> dict:
        """{'run': EvaluationRun, 'rk': ranking, 'peer': peer medians of dimension scores per kind
        (and tier), 'subjects': subjects frame}."""
        from lashi.workflow import ranking, run_evaluation

        def fn(ws):
            run = run_evaluation(ws, period, B=int(self.cfg["bootstrap"]))
            rk = ranking(run)
            subj = run.subjects.set_index("subject_id")
            rk = rk.assign(platform_id=rk["subject_id"].map(subj["platform_id"]),
                           origin=rk["subject_id"].map(subj["origin"]),
                           mcn_id=rk["subject_id"].map(subj["mcn_id"]))
            ds = run.evaluation.dimension_scores
            ds = ds[ds["period"] == run.period.label]
            peer = ds.groupby(["subject_kind", "dimension"])["score"].median().unstack()
            return {"run": run, "rk": rk, "rk_api": ranking(run), "peer": peer, "by_id": rk.set_index("subject_id", drop=False),
                    "label": run.period.label}
        return self.value(("eval", period), fn, strict=strict, wait=wait)

    def panel(self, wait: bool = False) -> dict:
        """Monthly index of every subject over the data span and the 3-month forecasts."""
        from lashi.forecast import add_months, forecast_all, load_config, promotion_share
        from lashi.forecast import _calendar as calendar
        from lashi.forecast.model import complete_months
        from lashi.governance.panel import monthly_panel

        def fn(ws):
            p = monthly_panel(ws)
            idx = p.index[["subject_id", "subject_kind", "period", "index", "lo", "hi", "cases"]].copy()
            cfg = load_config()
            months = complete_months(p.index)
            notes = []
            fc = pd.DataFrame()
            if len(months) >= int(cfg["min_months"]):
                h = int(cfg["horizon"])
                promo = promotion_share(months + [add_months(months[-1], k) for k in range(1, h + 1)], calendar(ws))
                fc = forecast_all(p.index[p.index["period"].isin(months)], promo, cfg)
            else:
                notes.append(f"only {len(months)} months; forecasts need {cfg['min_months']} / 月份不足，无法预测")
            return {"index": idx, "forecasts": fc, "months": months, "notes": notes}
        return self.value(("panel",), fn, wait=wait)

    def governance(self, period: str, wait: bool = False):
        from lashi.governance import govern
        return self.value(("gov", period), lambda ws: govern(ws, period), wait=wait)

    def validation(self, period: str, wait: bool = False):
        from lashi.validation import validate
        runs = int(self.cfg["sensitivity_runs"])
        return self.value(("val", period), lambda ws: validate(ws, period, runs=runs), wait=wait)
