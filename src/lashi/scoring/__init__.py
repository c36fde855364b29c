"""Scoring (spec §4): normalisation, outliers, imputation, weights and contexts, slices, the
index with bands and intervals, and the explanation. Pure functions over tables; the only I/O
is reading the config files (``load_catalogue``).

Entry point for the indicator engine::

    from lashi.scoring import evaluate, load_catalogue
    ev = evaluate(values, subjects, longer_window=None, catalogue=load_catalogue())
"""
from .bands import band, band_of, gbt_band
from .config import (Band, Catalogue, ConfigError, Context, Dimension, Indicator, Standard,
                     build_catalogue, load_catalogue, validate)
from .evaluation import Evaluation, Method, evaluate
from .explain import Explanation, explain
from .normalise import minmax_score, target_floor_score, zscore_score
from .outliers import fit_treatment, treat
from .weights import context_label, parse_slice, resolve_weights, weight_table

__all__ = [
    "Band", "Catalogue", "ConfigError", "Context", "Dimension", "Indicator", "Standard",
    "build_catalogue", "load_catalogue", "validate",
    "Evaluation", "Method", "evaluate", "Explanation", "explain",
    "band", "band_of", "gbt_band",
    "target_floor_score", "minmax_score", "zscore_score",
    "fit_treatment", "treat",
    "resolve_weights", "parse_slice", "context_label", "weight_table",
]
