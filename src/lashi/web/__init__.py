"""The web faces over the case service and the evaluation (spec §10, issue 8 part A):
evaluator dashboard (/ui), consumer case page (/ui/case/{id}?secret=…) and public transparency
board (/board), served by `lashi serve` in the same app as the API.

    from lashi.web import mount
    mount(app, svc)        # app: the API's FastAPI app, svc: its CaseService
"""
from __future__ import annotations

from .config import load_config
from .results import Pending, Results, SharedWorkspace

__all__ = ["mount", "load_config", "Results", "Pending", "SharedWorkspace"]


def mount(app, svc, cfg: dict | None = None) -> Results:
    """Add the pages to `app`; returns the results cache (also at `app.state.web_results`)."""
    from .views import mount as _mount

    cfg = cfg or load_config()
    results = Results(svc, cfg)
    app.state.web_results = results
    _mount(app, svc, results, cfg)
    return results
