"""Loading and validating the scoring configuration: the indicator catalogue and the weights /
contexts / bands file (spec §3–§4).

The shipped files are ``lashi/indicators/catalogue.yaml`` and ``lashi/scoring/weights.yaml``.
A user file passed as a path *overrides* the shipped one field by field: dimensions and contexts
are merged by id, indicators are merged by ``id`` (a new id is appended, ``remove: true`` drops
one), lists such as ``bands`` are replaced as a whole. The result is validated once and frozen.

This module reads files; everything else in ``lashi.scoring`` is pure.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

_HERE = Path(__file__).resolve().parent
DEFAULT_CATALOGUE = _HERE.parent / "indicators" / "catalogue.yaml"
DEFAULT_WEIGHTS = _HERE / "weights.yaml"

DIRECTIONS = ("high", "low")
STANDARD_OPS = (">=", "<=", ">", "<", "==")
TOL = 1e-9

# Feasible range of a value by unit (used to clip bootstrap replicates). weights.yaml may
# override or extend it under `units:`.
DEFAULT_UNIT_RANGES: dict[str, tuple[float, float]] = {
    "share": (0.0, 1.0),
    "nps": (-100.0, 100.0),
    "score": (1.0, 5.0),
    "hours": (0.0, math.inf),
    "minutes": (0.0, math.inf),
    "days": (0.0, math.inf),
    "working_days": (0.0, math.inf),
    "count": (0.0, math.inf),
}


class ConfigError(ValueError):
    """A scoring configuration file is inconsistent. The message names the file and the field."""


@dataclass(frozen=True)
class Standard:
    op: str
    value: float
    source: str = ""

    def met(self, x: float) -> bool | None:
        if x is None or not math.isfinite(x):
            return None
        x = float(x)
        return {
            ">=": x >= self.value - TOL,
            "<=": x <= self.value + TOL,
            ">": x > self.value,
            "<": x < self.value,
            "==": abs(x - self.value) <= TOL,
        }[self.op]

    def text(self) -> str:
        return f"{self.op} {self.value:g}" + (f" ({self.source})" if self.source else "")


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    zh: str
    en: str
    direction: str  # 'high' | 'low'
    unit: str
    target: float
    floor: float
    min_sample: int
    weight: float = 1.0  # weight within its dimension (equal by default)
    standard: Standard | None = None
    definition: str = ""
    remedy_zh: str = ""
    remedy_en: str = ""
    value_range: tuple[float, float] = (-math.inf, math.inf)


@dataclass(frozen=True)
class Dimension:
    id: str
    zh: str
    en: str
    base_weight: float


@dataclass(frozen=True)
class Context:
    id: str
    zh: str
    en: str
    pins: Mapping[str, float]
    when: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Band:
    min: float
    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class UncertaintyDefaults:
    B: int = 200
    level: float = 0.90
    seed: int = 20251111
    # coefficient of variation assumed for an unbounded value (times, counts) whose standard
    # error is unknown: se = cv * |value| / sqrt(n)
    default_cv: float = 1.0


@dataclass(frozen=True)
class Catalogue:
    """The validated scoring configuration: dimensions, indicators, contexts, bands."""

    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    contexts: Mapping[str, Context]
    bands: tuple[Band, ...]
    gbt27922: tuple[Band, ...]
    uncertainty: UncertaintyDefaults = UncertaintyDefaults()
    sources: tuple[str, ...] = ()

    # -- lookups ---------------------------------------------------------------------------
    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def indicator(self, ind_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == ind_id:
                return i
        raise KeyError(ind_id)

    def base_weights(self) -> dict[str, float]:
        return {d.id: d.base_weight for d in self.dimensions}

    def with_weights(self, weights: Mapping[str, float]) -> "Catalogue":
        """A copy with other weights. Keys are dimension ids (base weights, must still sum to 1)
        or indicator ids (weights within their dimension). Validated."""
        dims = {d.id: d for d in self.dimensions}
        inds = {i.id: i for i in self.indicators}
        for key, w in weights.items():
            if key in dims:
                dims[key] = replace(dims[key], base_weight=float(w))
            elif key in inds:
                inds[key] = replace(inds[key], weight=float(w))
            else:
                raise ConfigError(f"weights: unknown dimension or indicator id {key!r}")
        cat = replace(self, dimensions=tuple(dims[d.id] for d in self.dimensions),
                      indicators=tuple(inds[i.id] for i in self.indicators))
        validate(cat)
        return cat


# -- loading -------------------------------------------------------------------------------

def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def _merge_catalogue(base: dict, user: dict) -> dict:
    out = dict(base)
    if "dimensions" in user:
        dims = {k: dict(v) for k, v in (base.get("dimensions") or {}).items()}
        for k, v in (user["dimensions"] or {}).items():
            if v is None or (isinstance(v, dict) and v.get("remove")):
                dims.pop(k, None)
            else:
                dims[k] = {**dims.get(k, {}), **v}
        out["dimensions"] = dims
    if "indicators" in user:
        inds = [dict(i) for i in (base.get("indicators") or [])]
        pos = {i.get("id"): n for n, i in enumerate(inds)}
        for u in user["indicators"] or []:
            uid = u.get("id")
            if uid in pos:
                inds[pos[uid]] = {**inds[pos[uid]], **u}
            else:
                pos[uid] = len(inds)
                inds.append(dict(u))
        out["indicators"] = [i for i in inds if not i.get("remove")]
    for k, v in user.items():
        if k not in ("dimensions", "indicators"):
            out[k] = v
    return out


def _merge_weights(base: dict, user: dict) -> dict:
    out = dict(base)
    for k, v in user.items():
        if k in ("contexts", "units", "uncertainty") and isinstance(v, dict):
            merged = dict(base.get(k) or {})
            for ck, cv in v.items():
                if cv is None or (isinstance(cv, dict) and cv.get("remove")):
                    merged.pop(ck, None)
                elif isinstance(cv, dict) and isinstance(merged.get(ck), dict):
                    merged[ck] = {**merged[ck], **cv}
                else:
                    merged[ck] = cv
            out[k] = merged
        else:
            out[k] = v
    return out


def _num(where: str, name: str, v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: field {name!r} must be a number, got {v!r}") from None
    if math.isnan(x):
        raise ConfigError(f"{where}: field {name!r} must be a number, got NaN")
    return x


def _bands(where: str, rows: Any) -> tuple[Band, ...]:
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{where}: expected a non-empty list of {{min, id, zh, en}}")
    out = []
    for n, r in enumerate(rows):
        try:
            out.append(Band(_num(f"{where}[{n}]", "min", r["min"]), str(r["id"]),
                            str(r.get("zh", r["id"])), str(r.get("en", r["id"]))))
        except KeyError as exc:
            raise ConfigError(f"{where}[{n}]: missing field {exc.args[0]!r}") from None
    return tuple(sorted(out, key=lambda b: -b.min))


def build_catalogue(cat: Mapping[str, Any], weights: Mapping[str, Any],
                    sources: Iterable[str] = ("<dict>",)) -> Catalogue:
    """Build and validate a Catalogue from already-parsed mappings (pure)."""
    src = " + ".join(sources)
    dims_raw = cat.get("dimensions")
    if not isinstance(dims_raw, dict) or not dims_raw:
        raise ConfigError(f"{src}: 'dimensions' must be a non-empty mapping")
    dims = []
    for did, d in dims_raw.items():
        where = f"{src}: dimensions.{did}"
        if not isinstance(d, dict):
            raise ConfigError(f"{where}: expected a mapping")
        if "base_weight" not in d:
            raise ConfigError(f"{where}: missing field 'base_weight'")
        dims.append(Dimension(str(did), str(d.get("zh", did)), str(d.get("en", did)),
                              _num(where, "base_weight", d["base_weight"])))

    units = {**DEFAULT_UNIT_RANGES}
    for u, rng in (weights.get("units") or {}).items():
        lo, hi = (rng or [None, None])[:2] if isinstance(rng, (list, tuple)) else (None, None)
        units[str(u)] = (-math.inf if lo is None else float(lo), math.inf if hi is None else float(hi))

    inds = []
    raw_inds = cat.get("indicators")
    if not isinstance(raw_inds, list) or not raw_inds:
        raise ConfigError(f"{src}: 'indicators' must be a non-empty list")
    for n, i in enumerate(raw_inds):
        iid = i.get("id") if isinstance(i, dict) else None
        where = f"{src}: indicators[{n}]" + (f" ({iid})" if iid else "")
        if not isinstance(i, dict):
            raise ConfigError(f"{where}: expected a mapping")
        for req in ("id", "dimension", "direction", "target", "floor", "min_sample"):
            if req not in i:
                raise ConfigError(f"{where}: missing field {req!r}")
        std = i.get("standard")
        standard = None
        if std is not None:
            if not isinstance(std, dict) or "op" not in std or "value" not in std:
                raise ConfigError(f"{where}: 'standard' must be {{op, value, source}}")
            standard = Standard(str(std["op"]), _num(where, "standard.value", std["value"]),
                                str(std.get("source", "")))
        remedy = i.get("remedy") or {}
        unit = str(i.get("unit", "share"))
        inds.append(Indicator(
            id=str(i["id"]), dimension=str(i["dimension"]),
            zh=str(i.get("zh", i["id"])), en=str(i.get("en", i["id"])),
            direction=str(i["direction"]), unit=unit,
            target=_num(where, "target", i["target"]), floor=_num(where, "floor", i["floor"]),
            min_sample=int(_num(where, "min_sample", i["min_sample"])),
            weight=_num(where, "weight", i.get("weight", 1.0)),
            standard=standard, definition=str(i.get("definition", "")),
            remedy_zh=str(remedy.get("zh", "")) if isinstance(remedy, dict) else str(remedy),
            remedy_en=str(remedy.get("en", "")) if isinstance(remedy, dict) else "",
            value_range=units.get(unit, (-math.inf, math.inf)),
        ))

    ctxs = {}
    for cid, c in (weights.get("contexts") or {}).items():
        where = f"{src}: contexts.{cid}"
        if not isinstance(c, dict):
            raise ConfigError(f"{where}: expected a mapping")
        if "+" in str(cid) or str(cid) in ("all", "base", "none"):
            raise ConfigError(f"{where}: a context id may not contain '+' or be all/base/none")
        pins = {str(k): _num(where, f"pins.{k}", v) for k, v in (c.get("pins") or {}).items()}
        ctxs[str(cid)] = Context(str(cid), str(c.get("zh", cid)), str(c.get("en", cid)),
                                 pins, dict(c.get("when") or {}))

    unc_raw = weights.get("uncertainty") or {}
    unc = UncertaintyDefaults(
        B=int(unc_raw.get("B", 200)), level=float(unc_raw.get("level", 0.90)),
        seed=int(unc_raw.get("seed", 20251111)), default_cv=float(unc_raw.get("default_cv", 1.0)))

    catalogue = Catalogue(
        dimensions=tuple(dims), indicators=tuple(inds), contexts=ctxs,
        bands=_bands(f"{src}: bands", weights.get("bands")),
        gbt27922=_bands(f"{src}: gbt27922", weights.get("gbt27922") or weights.get("bands")),
        uncertainty=unc, sources=tuple(sources))
    validate(catalogue)
    return catalogue


def load_catalogue(catalogue: str | Path | None = None,
                   weights: str | Path | None = None) -> Catalogue:
    """Read the shipped catalogue and weights files, overridden by the user files if given,
    and validate them. Raises ConfigError with the file and field at fault."""
    cat = _read_yaml(DEFAULT_CATALOGUE)
    w = _read_yaml(DEFAULT_WEIGHTS)
    sources = [str(DEFAULT_CATALOGUE), str(DEFAULT_WEIGHTS)]
    if catalogue is not None:
        cat = _merge_catalogue(cat, _read_yaml(Path(catalogue)))
        sources.append(str(catalogue))
    if weights is not None:
        w = _merge_weights(w, _read_yaml(Path(weights)))
        sources.append(str(weights))
    return build_catalogue(cat, w, sources)


# -- validation ----------------------------------------------------------------------------

def _combined_pins(contexts: Iterable[Context]) -> dict[str, float]:
    pins: dict[str, float] = {}
    for c in contexts:
        for d, p in c.pins.items():
            pins[d] = max(pins.get(d, 0.0), p)
    return pins


def validate(cat: Catalogue) -> None:
    """Check the rules of spec §3–§4; raise ConfigError naming the offending item."""
    src = " + ".join(cat.sources) or "<catalogue>"
    dim_ids = cat.dimension_ids
    if len(set(dim_ids)) != len(dim_ids):
        raise ConfigError(f"{src}: duplicate dimension ids")
    for d in cat.dimensions:
        if d.base_weight < 0:
            raise ConfigError(f"{src}: dimension {d.id} has a negative base_weight {d.base_weight}")
    total = sum(d.base_weight for d in cat.dimensions)
    if abs(total - 1.0) > 1e-6:
        parts = ", ".join(f"{d.id}={d.base_weight:g}" for d in cat.dimensions)
        raise ConfigError(f"{src}: base weights must sum to 1, they sum to {total:.6g} ({parts})")

    seen = set()
    for i in cat.indicators:
        where = f"{src}: indicator {i.id}"
        if i.id in seen:
            raise ConfigError(f"{where}: duplicate id")
        seen.add(i.id)
        if i.dimension not in dim_ids:
            raise ConfigError(f"{where}: dimension {i.dimension!r} is not one of {', '.join(dim_ids)}")
        if i.direction not in DIRECTIONS:
            raise ConfigError(f"{where}: direction must be 'high' or 'low', got {i.direction!r}")
        if i.target == i.floor:
            raise ConfigError(f"{where}: target and floor are equal ({i.target:g}); scores need a range")
        if i.direction == "high" and not i.target > i.floor:
            raise ConfigError(f"{where}: direction 'high' needs target > floor (target {i.target:g}, floor {i.floor:g})")
        if i.direction == "low" and not i.floor > i.target:
            raise ConfigError(f"{where}: direction 'low' needs floor > target (target {i.target:g}, floor {i.floor:g})")
        if i.min_sample < 0:
            raise ConfigError(f"{where}: min_sample must be ≥ 0")
        if i.weight < 0:
            raise ConfigError(f"{where}: weight must be ≥ 0")
        if i.standard is not None and i.standard.op not in STANDARD_OPS:
            raise ConfigError(f"{where}: standard.op must be one of {STANDARD_OPS}, got {i.standard.op!r}")
    for d in cat.dimensions:
        members = [i for i in cat.indicators if i.dimension == d.id]
        if not members:
            raise ConfigError(f"{src}: dimension {d.id} has no indicators")
        if sum(i.weight for i in members) <= 0:
            raise ConfigError(f"{src}: the indicator weights of dimension {d.id} sum to 0")

    for c in cat.contexts.values():
        where = f"{src}: context {c.id}"
        for did, p in c.pins.items():
            if did not in dim_ids:
                raise ConfigError(f"{where}: pins unknown dimension {did!r}")
            if not 0.0 <= p <= 1.0:
                raise ConfigError(f"{where}: pin {did}={p:g} is outside 0–1")
        s = sum(c.pins.values())
        if s > 1.0 + TOL:
            raise ConfigError(f"{where}: its pins sum to {s:.4g} > 1 "
                              f"({', '.join(f'{k}={v:g}' for k, v in c.pins.items())})")
    # every combination of contexts (a dimension pinned twice takes the larger pin)
    ids = sorted(cat.contexts)
    # pins are non-negative, so the set of all contexts has the largest combined sum; only when
    # it fails do we look for the smallest failing combination to name it
    all_ok = sum(_combined_pins(cat.contexts.values()).values()) <= 1.0 + TOL
    for size in range(2, len(ids) + 1 if not all_ok else 0):
        for combo in itertools.combinations(ids, size):
            pins = _combined_pins(cat.contexts[c] for c in combo)
            s = sum(pins.values())
            if s > 1.0 + TOL:
                raise ConfigError(
                    f"{src}: contexts {' + '.join(combo)} together pin "
                    f"{', '.join(f'{k}={v:g}' for k, v in sorted(pins.items()))}, "
                    f"which sums to {s:.4g} > 1 (100%) / 情境组合权重之和超过100%")
    covers_all = set(_combined_pins(cat.contexts.values())) == set(dim_ids)
    for combo_size in range(1, len(ids) + 1 if covers_all else 0):
        for combo in itertools.combinations(ids, combo_size):
            pins = _combined_pins(cat.contexts[c] for c in combo)
            if set(pins) == set(dim_ids) and abs(sum(pins.values()) - 1.0) > 1e-6:
                raise ConfigError(
                    f"{src}: contexts {' + '.join(combo)} pin every dimension but the pins sum to "
                    f"{sum(pins.values()):.4g}, not 1")
