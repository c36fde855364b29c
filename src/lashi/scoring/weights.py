"""Dynamic weights (动态加权, spec §4.5–4.6): resolve the dimension weights for a set of active
contexts, and read a slice name as a set of contexts."""
from __future__ import annotations

from typing import Iterable

from .config import Catalogue, ConfigError, TOL, _combined_pins

ALL_SLICE = "all"
BASE_SLICE = "base"
NO_CONTEXT = "none"


def parse_slice(slice_name: str, catalogue: Catalogue) -> tuple[str, ...]:
    """The contexts a slice name activates: 'all' and 'base' → (), 'promotion' → ('promotion',),
    'promotion+sensitive_skin' → both. Unknown context names raise ConfigError."""
    name = str(slice_name).strip()
    if name in (ALL_SLICE, BASE_SLICE, NO_CONTEXT, ""):
        return ()
    parts = tuple(p.strip() for p in name.split("+") if p.strip())
    unknown = [p for p in parts if p not in catalogue.contexts]
    if unknown:
        raise ConfigError(
            f"slice {name!r}: unknown context(s) {', '.join(unknown)}; known contexts: "
            f"{', '.join(sorted(catalogue.contexts)) or '(none)'} / 未知情境")
    return tuple(sorted(set(parts)))


def context_label(contexts: Iterable[str]) -> str:
    """Canonical label of a set of contexts: 'none' or 'a+b' (sorted)."""
    cs = sorted(set(contexts))
    return "+".join(cs) if cs else NO_CONTEXT


def resolve_weights(catalogue: Catalogue, contexts: Iterable[str] = ()) -> dict[str, float]:
    """Dimension weights under the given active contexts.

    Pinned dimensions take their pin (the larger one if two contexts pin the same dimension);
    the other dimensions share the remainder 1 − Σ pins in proportion to their base weights.
    """
    ctx = sorted(set(contexts))
    unknown = [c for c in ctx if c not in catalogue.contexts]
    if unknown:
        raise ConfigError(f"unknown context(s) {', '.join(unknown)}; known: "
                          f"{', '.join(sorted(catalogue.contexts)) or '(none)'}")
    base = catalogue.base_weights()
    pins = _combined_pins(catalogue.contexts[c] for c in ctx)
    pinned = sum(pins.values())
    if pinned > 1.0 + TOL:
        raise ConfigError(
            f"contexts {' + '.join(ctx)} pin "
            f"{', '.join(f'{k}={v:g}' for k, v in sorted(pins.items()))}, which sums to "
            f"{pinned:.4g} > 1 (100%) / 情境权重之和超过100%")
    free = [d for d in base if d not in pins]
    free_base = sum(base[d] for d in free)
    remainder = max(0.0, 1.0 - pinned)
    out = {}
    for d in base:
        if d in pins:
            out[d] = pins[d]
        elif free_base > 0:
            out[d] = remainder * base[d] / free_base
        else:  # every free dimension has base weight 0: share the remainder equally
            out[d] = remainder / len(free)
    return out


def weight_table(catalogue: Catalogue, contexts: Iterable[str] = ()):
    """The resolved weights as a DataFrame (dimension, zh, en, base_weight, weight, pinned)."""
    import pandas as pd

    ctx = sorted(set(contexts))
    w = resolve_weights(catalogue, ctx)
    pins = _combined_pins(catalogue.contexts[c] for c in ctx)
    return pd.DataFrame([
        {"dimension": d.id, "zh": d.zh, "en": d.en, "base_weight": d.base_weight,
         "weight": w[d.id], "pinned": d.id in pins}
        for d in catalogue.dimensions])
