"""The whole evaluation as one object (COINr's "coin"): inputs, method and results together, so
that a variant — other weights, another normalisation — is a cheap copy that can be compared.

    ev = evaluate(values, subjects)                    # method defaults from the config
    ev.index                                           # one row per subject and period
    alt = ev.with_(normalisation="minmax", B=0)        # a variant, sharing the prepared inputs
    ev.explain("S-DY", "2025-11")                      # points lost, remedies
    frames = ev.to_frames()                            # tables to write
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import pipeline as pl
from .bands import band_columns
from .config import Catalogue, ConfigError, load_catalogue
from .weights import resolve_weights


@dataclass(frozen=True)
class Method:
    """How the index is computed. Every field can be varied with ``Evaluation.with_``."""

    normalisation: str = "target_floor"   # target_floor | minmax | zscore
    aggregation: str = "arithmetic"       # arithmetic | geometric
    contexts: str = "slices"              # slices | base (no dynamic weights) | all ('all' slice only)
    outliers: bool = True                 # JRC winsorisation / log treatment
    imputation: bool = True               # own window, then peer median
    B: int = 200                          # bootstrap replicates (0 = no intervals)
    level: float = 0.90                   # interval coverage
    seed: int = 20251111


@dataclass
class Evaluation:
    values: pd.DataFrame
    subjects: pd.DataFrame | None
    longer_window: pd.DataFrame | None
    catalogue: Catalogue
    method: Method
    indicator_scores: pd.DataFrame
    slice_dimension_scores: pd.DataFrame
    dimension_scores: pd.DataFrame
    slice_index: pd.DataFrame
    index: pd.DataFrame
    treatments: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    _prep: pl.Prepared | None = field(default=None, repr=False)
    _fitted: pl.Fitted | None = field(default=None, repr=False)

    # -- variants --------------------------------------------------------------------------
    def with_(self, *, weights: Mapping[str, float] | None = None,
              catalogue: Catalogue | None = None, **method: Any) -> "Evaluation":
        """A variant of this evaluation. ``weights`` maps dimension ids to base weights and/or
        indicator ids to within-dimension weights; ``catalogue`` replaces the configuration;
        other keywords replace fields of the Method (normalisation, aggregation, contexts,
        outliers, imputation, B, level, seed). The prepared inputs are reused when the
        indicators' ids, min_sample and ranges are unchanged."""
        cat = catalogue or self.catalogue
        if weights:
            cat = cat.with_weights(weights)
        bad = set(method) - set(Method.__dataclass_fields__)
        if bad:
            raise TypeError(f"unknown method field(s): {', '.join(sorted(bad))}")
        m = replace(self.method, **method)
        prep = self._prep
        if prep is None or _prep_key(prep.catalogue) != _prep_key(cat):
            prep = None
        else:
            prep = replace(prep, catalogue=cat)
        return _run(self.values, self.subjects, self.longer_window, cat, m, prep)

    # -- outputs ---------------------------------------------------------------------------
    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The result tables, ready to write (one sheet / file each)."""
        method = pd.DataFrame([{**self.method.__dict__,
                                "sources": " + ".join(self.catalogue.sources)}])
        weights = pd.DataFrame([{"dimension": d.id, "zh": d.zh, "en": d.en,
                                 "base_weight": d.base_weight} for d in self.catalogue.dimensions])
        return {
            "index": self.index,
            "slice_index": self.slice_index,
            "dimension_scores": self.dimension_scores,
            "slice_dimension_scores": self.slice_dimension_scores,
            "indicator_scores": self.indicator_scores,
            "outlier_treatments": self.treatments,
            "method": method,
            "base_weights": weights,
            "notes": pd.DataFrame({"note": self.notes}),
        }

    def explain(self, subject_id: str, period: str | None = None, slice: str | None = None):
        from .explain import explain
        return explain(self, subject_id, period, slice)

    def compare(self, other: "Evaluation") -> pd.DataFrame:
        """Index of this evaluation against a variant: per subject and period, both indices, the
        difference and the rank shift within kind and period."""
        key = ["subject_id", "period"]
        a = self.index[key + ["subject_kind", "index", "rank"]]
        b = other.index[key + ["index", "rank"]].rename(columns={"index": "index_variant",
                                                                  "rank": "rank_variant"})
        out = a.merge(b, on=key, how="outer")
        out["difference"] = out["index_variant"] - out["index"]
        out["rank_shift"] = out["rank_variant"] - out["rank"]
        return out


def _prep_key(cat: Catalogue):
    return (tuple((i.id, i.min_sample, i.value_range) for i in cat.indicators),
            cat.uncertainty.default_cv)


def evaluate(values: pd.DataFrame, subjects: pd.DataFrame | None = None, *,
             longer_window: pd.DataFrame | None = None, catalogue: Catalogue | None = None,
             **method: Any) -> Evaluation:
    """Score indicator values (the long table of the indicator engine) into dimension scores,
    slice indices and the period index with intervals. See docs/scoring.md.

    values: subject_id, subject_kind, period, slice, cases, indicator_id, value, n, se
    subjects: subject_id, kind, tier (… platform_id, mcn_id, origin) for peer groups
    longer_window: same shape as values (slice 'all'); matched on subject_id and ``for_period``
        if present, else ``period`` — the window that backs up the evaluated period.
    method: fields of Method (normalisation, aggregation, contexts, outliers, imputation, B,
        level, seed); B, level and seed default to the config's ``uncertainty`` section.
    """
    cat = catalogue or load_catalogue()
    bad = set(method) - set(Method.__dataclass_fields__)
    if bad:
        raise TypeError(f"unknown method field(s): {', '.join(sorted(bad))}")
    defaults = {"B": cat.uncertainty.B, "level": cat.uncertainty.level, "seed": cat.uncertainty.seed}
    m = Method(**{**defaults, **method})
    return _run(values, subjects, longer_window, cat, m, None)


def _run(values, subjects, longer_window, cat: Catalogue, m: Method,
         prep: pl.Prepared | None) -> Evaluation:
    if m.B < 0:
        raise ConfigError(f"B must be ≥ 0, got {m.B}")
    if prep is None:
        prep = pl.prepare(values, subjects, cat, longer_window)
    fx = pl.fit(prep, normalisation=m.normalisation, aggregation=m.aggregation,
                contexts=m.contexts, outliers=m.outliers, imputation=m.imputation)
    point = pl.apply(fx, prep.V[None], prep.n_main, keep_treated=True)
    iv = pl.bootstrap(prep, fx, B=m.B, seed=m.seed, level=m.level) if m.B > 0 else None
    notes = list(prep.notes)
    if iv is not None and iv.D_lo is None:
        notes.append("slice-level dimension intervals skipped (too many rows × replicates); "
                     "period-level intervals are complete")
    tables = _tables(prep, fx, point, iv, cat, m)
    return Evaluation(values, subjects, longer_window, cat, m, *tables, fx.treatments, notes,
                      prep, fx)


# -- result tables -------------------------------------------------------------------------

def _flags(status, out, imp) -> np.ndarray:
    """'insufficient;winsorised;own_window' style flags from the three code arrays."""
    parts_s = np.where(status == pl.OK, "", pl.STATUS_NAMES[status].astype(str))
    parts_o = pl.OUT_NAMES[out].astype(str)
    parts_i = np.where((imp == pl.IMP_OWN) | (imp == pl.IMP_PEER), pl.IMP_NAMES[imp].astype(str), "")
    combo = pd.Series(parts_s) + ";" + pd.Series(parts_o) + ";" + pd.Series(parts_i)
    return combo.str.replace(r";+", ";", regex=True).str.strip(";").to_numpy()


def _tables(prep: pl.Prepared, fx: pl.Fitted, pt: pl.Applied, iv, cat: Catalogue, m: Method):
    nm = prep.n_main
    K = len(cat.indicators)
    rows = prep.rows.iloc[:nm].reset_index(drop=True)
    dim_ids = list(cat.dimension_ids)
    Dn = len(dim_ids)
    ind_ids = np.array(cat.indicator_ids, dtype=object)
    ind_dim = np.array([i.dimension for i in cat.indicators], dtype=object)

    # indicator scores (long)
    rep = np.repeat(np.arange(nm), K)
    kk = np.tile(np.arange(K), nm)
    status = prep.status[:nm].ravel()
    S = pt.S[0]
    own_from = fx.own_from[:nm]
    imputed = np.zeros((nm, K), dtype=np.int8)
    need = prep.status[:nm] != pl.OK
    imputed[need & np.isfinite(S)] = 0
    imputed[need & (own_from == 1)] = pl.IMP_OWN
    imputed[need & (own_from == 2)] = pl.IMP_OWN
    imputed[need & (own_from == 3) & np.isfinite(S)] = pl.IMP_PEER
    imputed[need & ~np.isfinite(S)] = pl.IMP_NONE
    from_name = np.where(need & np.isfinite(S), pl.FROM_NAMES[own_from], "")
    out = fx.out_flag[:nm]
    ind = pd.DataFrame({
        "subject_id": rows["subject_id"].to_numpy()[rep],
        "subject_kind": rows["subject_kind"].to_numpy()[rep],
        "period": rows["period"].to_numpy()[rep],
        "slice": rows["slice"].to_numpy()[rep],
        "contexts": fx.row_contexts[rep],
        "cases": rows["cases"].to_numpy()[rep],
        "indicator_id": ind_ids[kk],
        "dimension": ind_dim[kk],
        "value_raw": prep.V_raw[:nm].ravel(),
        "value_treated": pt.Xt[0, :nm].ravel(),
        "outlier_flag": pl.OUT_NAMES[out.ravel()],
        "n": prep.N[:nm].ravel(),
        "se_used": prep.SE[:nm].ravel(),
        "se_source": np.where(status == pl.OK, pl.SE_NAMES[prep.se_src[:nm].ravel()], ""),
        "status": pl.STATUS_NAMES[status],
        "imputation": pl.IMP_NAMES[imputed.ravel()],
        "imputed_from": from_name.ravel(),
        "score": S.ravel(),
        "flags": _flags(status, out.ravel(), imputed.ravel()),
        "in_index": fx.in_index[rep],
    })

    # slice dimension scores
    D = pt.D[0]
    present = np.isfinite(S)
    Mmask = (fx.M > 0).astype(float)
    n_ind = present.astype(float) @ Mmask
    n_imp = ((imputed == pl.IMP_OWN) | (imputed == pl.IMP_PEER)).astype(float) @ Mmask
    rd = np.repeat(np.arange(nm), Dn)
    dd = np.tile(np.arange(Dn), nm)
    dims_zh = np.array([d.zh for d in cat.dimensions], dtype=object)
    dims_en = np.array([d.en for d in cat.dimensions], dtype=object)
    sdim = pd.DataFrame({
        "subject_id": rows["subject_id"].to_numpy()[rd],
        "subject_kind": rows["subject_kind"].to_numpy()[rd],
        "period": rows["period"].to_numpy()[rd],
        "slice": rows["slice"].to_numpy()[rd],
        "contexts": fx.row_contexts[rd],
        "dimension": np.array(dim_ids, dtype=object)[dd],
        "zh": dims_zh[dd], "en": dims_en[dd],
        "weight": fx.W.ravel(),
        "score": D.ravel(),
        "lo": iv.D_lo.ravel() if iv is not None and iv.D_lo is not None else np.nan,
        "hi": iv.D_hi.ravel() if iv is not None and iv.D_hi is not None else np.nan,
        "cases": rows["cases"].to_numpy()[rd],
        "n_indicators": n_ind.ravel().astype(int),
        "n_imputed": n_imp.ravel().astype(int),
        "in_index": fx.in_index[rd],
    })

    # slice index
    share = np.asarray(fx.C.sum(axis=0)).ravel()
    sidx = rows[["subject_id", "subject_kind", "tier", "period", "slice"]].copy()
    sidx["contexts"] = fx.row_contexts
    sidx["cases"] = rows["cases"].to_numpy()
    sidx["in_index"] = fx.in_index
    sidx["case_share"] = share
    sidx["index"] = pt.I[0]
    sidx["lo"] = iv.I_lo if iv is not None else np.nan
    sidx["hi"] = iv.I_hi if iv is not None else np.nan
    sidx = pd.concat([sidx, band_columns(sidx["index"], cat.bands, "band")], axis=1)
    for j, d in enumerate(dim_ids):
        sidx[f"w_{d}"] = fx.W[:, j]

    # period dimension scores
    P = len(fx.periods)
    Weff = fx.C @ fx.W  # effective weight of each dimension in the period index
    DP = pt.DP[0]
    rp = np.repeat(np.arange(P), Dn)
    dp = np.tile(np.arange(Dn), P)
    per = fx.periods
    dim = pd.DataFrame({
        "subject_id": per["subject_id"].to_numpy()[rp],
        "subject_kind": per["subject_kind"].to_numpy()[rp],
        "tier": per["tier"].to_numpy()[rp],
        "period": per["period"].to_numpy()[rp],
        "dimension": np.array(dim_ids, dtype=object)[dp],
        "zh": dims_zh[dp], "en": dims_en[dp],
        "weight": np.asarray(Weff).ravel(),
        "score": DP.ravel(),
        "lo": iv.DP_lo.ravel() if iv is not None else np.nan,
        "hi": iv.DP_hi.ravel() if iv is not None else np.nan,
        "cases": per["cases"].to_numpy()[rp],
    })

    # the index
    idx = per[["subject_id", "subject_kind", "tier", "period"]].copy()
    idx["index"] = pt.IP[0]
    idx["lo"] = iv.IP_lo if iv is not None else np.nan
    idx["hi"] = iv.IP_hi if iv is not None else np.nan
    idx["sd"] = iv.IP_sd if iv is not None else np.nan
    idx["level"] = m.level if iv is not None else np.nan
    idx = pd.concat([idx, band_columns(idx["index"], cat.bands, "band"),
                     band_columns(idx["index"], cat.gbt27922, "gbt27922")], axis=1)
    DPm = np.where(np.isfinite(DP), DP, np.inf)
    wk = np.argmin(DPm, axis=1) if Dn else np.zeros(P, dtype=int)
    has = np.isfinite(DP).any(axis=1)
    idx["weakest_dimension"] = np.where(has, np.array(dim_ids, dtype=object)[wk], None)
    idx["weakest_zh"] = np.where(has, dims_zh[wk], None)
    idx["weakest_en"] = np.where(has, dims_en[wk], None)
    idx["weakest_score"] = np.where(has, DP[np.arange(P), wk], np.nan)
    idx["cases"] = per["cases"].to_numpy()
    idx["slices"] = per["slices"].to_numpy()
    idx["context_mode"] = per["context_mode"].to_numpy()
    pkey = rows.groupby(["subject_id", "period"], sort=True).ngroup().to_numpy()
    in_rows = fx.in_index
    def per_count(mask2d):
        c = np.zeros(P)
        np.add.at(c, pkey[in_rows], mask2d[in_rows].sum(axis=1))
        return c.astype(int)
    idx["n_imputed"] = per_count((imputed == pl.IMP_OWN) | (imputed == pl.IMP_PEER))
    idx["n_insufficient"] = per_count(prep.status[:nm] == pl.INSUFFICIENT)
    idx["n_unscored"] = per_count(~np.isfinite(S))
    idx["rank"] = idx.groupby(["subject_kind", "period"])["index"].rank(ascending=False, method="min")
    return ind, sdim, dim, sidx, idx
