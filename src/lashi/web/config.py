"""Settings of the web faces (web.yaml, overridable with $LASHI_WEB_CONFIG)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in (b or {}).items():
        out[k] = _merge(a[k], v) if isinstance(v, dict) and isinstance(a.get(k), dict) else v
    return out


@lru_cache(maxsize=4)
def load_config(path: str | None = None) -> dict:
    cfg = yaml.safe_load((HERE / "web.yaml").read_text(encoding="utf-8"))
    extra = path or os.environ.get("LASHI_WEB_CONFIG")
    if extra:
        cfg = _merge(cfg, yaml.safe_load(Path(extra).read_text(encoding="utf-8")) or {})
    if int(cfg["page_size"]) < 1 or int(cfg["board"]["min_cases"]) < 1:
        raise ValueError("web config: page_size and board.min_cases must be ≥ 1")
    return cfg
