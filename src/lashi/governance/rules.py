"""Governance rules from ``rules.yaml`` (or a user's file), read once and validated."""
from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lashi.scoring.config import ConfigError

_REQUIRED = ("cards", "credit_rating", "mcn_brand_credit", "rectification", "phase_targets")


def load_rules(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped rules, or ``path`` merged over them (top-level sections replace)."""
    base = yaml.safe_load(resources.files("lashi.governance").joinpath("rules.yaml").read_text("utf-8"))
    if path is not None:
        user = yaml.safe_load(Path(path).read_text("utf-8")) or {}
        if not isinstance(user, dict):
            raise ConfigError(f"{path}: expected a mapping of sections")
        base.update(user)
    validate_rules(base)
    return base


def validate_rules(r: dict[str, Any]) -> None:
    missing = [k for k in _REQUIRED if k not in r]
    if missing:
        raise ConfigError(f"governance rules: missing section(s) {', '.join(missing)}")
    c = r["cards"]
    if not c["yellow_below"] < c["green_above"]:
        raise ConfigError("governance rules: cards.yellow_below must be below cards.green_above")
    if int(c["red_months"]) < 1:
        raise ConfigError("governance rules: cards.red_months must be ≥ 1")
    m = r["mcn_brand_credit"]
    if not m["suspend_below"] <= m["boost_min"]:
        raise ConfigError("governance rules: mcn_brand_credit.suspend_below must be ≤ boost_min")
    if abs(sum(m["dimensions"].values())) <= 0:
        raise ConfigError("governance rules: mcn_brand_credit.dimensions weights must sum above 0")
    cr = r["credit_rating"]
    for g in ("A", "C"):
        if g not in cr:
            raise ConfigError(f"governance rules: credit_rating.{g} missing")
    for t in r["phase_targets"]:
        for k in ("id", "indicator", "op", "target", "deadline"):
            if k not in t:
                raise ConfigError(f"governance rules: phase target {t.get('id', '?')} lacks {k}")
        if t["op"] not in (">=", "<=", "=="):
            raise ConfigError(f"governance rules: phase target {t['id']}: op must be >=, <= or ==")
        if not isinstance(t["deadline"], date):
            t["deadline"] = date.fromisoformat(str(t["deadline"]))
