"""The array machinery behind an evaluation: values → treatment → scores → imputation →
dimensions → slice indices → period index, for the point estimate and for bootstrap replicates.

Every step is *fitted* once on the point estimates (outlier caps, normalisation parameters,
imputation sources, peer groups, weights, case weights) and then *applied* unchanged to arrays
with a leading replicate axis, shape (b, rows, indicators). The point estimate is the same
``apply`` with b = 1, so the point and the interval come from one code path.

Rows are (subject, period, slice); "aux" rows (the optional longer window) come after the
``n_main`` main rows and only serve as imputation sources.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse

from . import normalise as nz
from .config import Catalogue, ConfigError
from .outliers import fit_treatment
from .weights import ALL_SLICE, context_label, parse_slice, resolve_weights

VALUE_COLUMNS = ("subject_id", "subject_kind", "period", "slice", "cases", "indicator_id",
                 "value", "n", "se")
SUBJECT_COLUMNS = ("subject_id", "kind", "tier")

# status of a cell
OK, MISSING, INSUFFICIENT, ABSENT = 0, 1, 2, 3
STATUS_NAMES = np.array(["ok", "missing", "insufficient", "absent"], dtype=object)
# outlier treatment of a cell
OUT_NAMES = np.array(["", "winsorised", "log"], dtype=object)
# imputation of a cell
IMP_NOT_NEEDED, IMP_OWN, IMP_PEER, IMP_NONE = 0, 1, 2, 3
IMP_NAMES = np.array(["none", "own_window", "peer_median", "none"], dtype=object)
FROM_NAMES = np.array(["", "all", "longer_window", "peer_median"], dtype=object)
# where a replicate's standard error came from
SE_NAMES = np.array(["given", "bounded", "cv", "unknown"], dtype=object)

CONTEXT_MODES = ("slices", "base", "all")
AGGREGATIONS = ("arithmetic", "geometric")
GEO_FLOOR = 1.0  # scores below 1 are floored at 1 inside a geometric mean


@dataclass
class Prepared:
    """Input tables pivoted to arrays (depends on the data and the catalogue's indicators and
    min_sample, not on weights or normalisation — reused by cheap variants)."""

    catalogue: Catalogue
    rows: pd.DataFrame          # main rows then aux rows
    n_main: int
    V: np.ndarray               # usable values (R, K); NaN = missing, insufficient or absent
    V_raw: np.ndarray           # values as given (insufficient ones kept)
    N: np.ndarray               # denominators (R, K)
    SE: np.ndarray              # standard error used for replicates (R, K)
    se_src: np.ndarray          # int8 codes into SE_NAMES
    status: np.ndarray          # int8 codes into STATUS_NAMES
    notes: list[str] = field(default_factory=list)


@dataclass
class Fitted:
    """Everything decided on the point estimate; applied unchanged to replicates."""

    lo: np.ndarray
    hi: np.ndarray
    logsign: np.ndarray
    shift: np.ndarray
    A: np.ndarray
    Bc: np.ndarray
    clamp: bool
    out_flag: np.ndarray        # int8 codes into OUT_NAMES (main + aux rows)
    treatments: pd.DataFrame
    own_cells: tuple[np.ndarray, np.ndarray, np.ndarray]   # (row, k, src_row)
    own_from: np.ndarray        # (R_main, K) int8 codes into FROM_NAMES
    peer_members: list[np.ndarray]
    peer_cells: list[tuple[np.ndarray, np.ndarray]]          # per group: (rows, ks)
    M: np.ndarray               # (K, Dn) indicator weights within dimensions
    W: np.ndarray               # (R_main, Dn) dimension weights per row
    row_contexts: np.ndarray    # (R_main,) context label per row
    in_index: np.ndarray        # (R_main,) bool
    C: sparse.csr_matrix        # (P, R_main) case weights of rows in the period index
    periods: pd.DataFrame       # P rows
    aggregation: str


# -- prepare -------------------------------------------------------------------------------

def _check_columns(df: pd.DataFrame, cols, name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ConfigError(f"{name}: missing column(s) {', '.join(missing)}; "
                          f"expected {', '.join(cols)} / 缺少列")


def _bounded_se(v, n, lo, hi):
    """Standard error of a bounded value with unknown se: the binomial (Bernoulli-extreme)
    variance of the value rescaled to 0–1, with the Agresti–Coull adjustment (+2/+4) so that
    0 % and 100 % still carry uncertainty that shrinks with n."""
    span = hi - lo
    u = (v - lo) / span
    ut = (u * n + 2.0) / (n + 4.0)
    return span * np.sqrt(ut * (1.0 - ut) / (n + 4.0))


def prepare(values: pd.DataFrame, subjects: pd.DataFrame | None, catalogue: Catalogue,
            longer_window: pd.DataFrame | None = None) -> Prepared:
    _check_columns(values, VALUE_COLUMNS, "values")
    if values.empty:
        raise ConfigError("values: the table is empty; nothing to score / 没有可评分的指标值")
    notes: list[str] = []
    K = len(catalogue.indicators)
    kpos = {iid: k for k, iid in enumerate(catalogue.indicator_ids)}

    vals = values.copy()
    vals["slice"] = vals["slice"].astype(str)
    vals["period"] = vals["period"].astype(str)
    unknown = sorted(set(vals["indicator_id"].astype(str)) - set(kpos))
    if unknown:
        notes.append(f"values: indicator ids not in the catalogue ignored: {', '.join(unknown)}")
    # validate slice names early (clear error for an unknown context)
    for s in vals["slice"].unique():
        parse_slice(s, catalogue)

    key = ["subject_id", "period", "slice"]
    gid = vals.groupby(key, sort=True).ngroup().to_numpy()
    first = vals.groupby(key, sort=True).agg(subject_kind=("subject_kind", "first"),
                                             cases=("cases", "max")).reset_index()
    rows = first
    rows["cases"] = pd.to_numeric(rows["cases"], errors="coerce").fillna(0).astype(float)

    tiers = {}
    if subjects is not None and len(subjects):
        _check_columns(subjects, SUBJECT_COLUMNS, "subjects")
        tiers = dict(zip(subjects["subject_id"], subjects["tier"].fillna("").astype(str)))
    rows["tier"] = [tiers.get(sid, "") for sid in rows["subject_id"]]
    rows["is_aux"] = False
    n_main = len(rows)

    # longer-window rows, matched on (subject_id, for_period or period)
    lw_rows = None
    if longer_window is not None and len(longer_window):
        lw = longer_window.copy()
        _check_columns(lw, ("subject_id", "indicator_id", "value", "n", "se"), "longer_window")
        if "for_period" in lw.columns:
            lw["period"] = lw["for_period"]
        if "slice" in lw.columns:
            lw = lw[lw["slice"].astype(str).isin([ALL_SLICE, "nan", ""])]
        lw["period"] = lw["period"].astype(str)
        kinds = rows.drop_duplicates("subject_id").set_index("subject_id")["subject_kind"]
        lw = lw[lw["subject_id"].isin(kinds.index)]
        lgid = lw.groupby(["subject_id", "period"], sort=True).ngroup().to_numpy()
        lw_rows = lw.groupby(["subject_id", "period"], sort=True).size().reset_index()[["subject_id", "period"]]
        lw_rows["slice"] = "__longer_window__"
        lw_rows["subject_kind"] = lw_rows["subject_id"].map(kinds)
        lw_rows["cases"] = 0.0
        lw_rows["tier"] = [tiers.get(sid, "") for sid in lw_rows["subject_id"]]
        lw_rows["is_aux"] = True
        rows = pd.concat([rows, lw_rows[rows.columns]], ignore_index=True)

    R = len(rows)
    V = np.full((R, K), np.nan)
    N = np.full((R, K), np.nan)
    SEg = np.full((R, K), np.nan)
    present = np.zeros((R, K), dtype=bool)

    def fill(df, row_ids):
        k = df["indicator_id"].astype(str).map(kpos)
        ok = k.notna().to_numpy()
        r = row_ids[ok]
        kk = k[ok].astype(int).to_numpy()
        V[r, kk] = pd.to_numeric(df["value"], errors="coerce").to_numpy(dtype=float)[ok]
        N[r, kk] = pd.to_numeric(df["n"], errors="coerce").to_numpy(dtype=float)[ok]
        SEg[r, kk] = pd.to_numeric(df["se"], errors="coerce").to_numpy(dtype=float)[ok]
        present[r, kk] = True
        return len(r) - len(np.unique(r * K + kk))

    dups = fill(vals, gid)
    if dups:
        notes.append(f"values: {dups} duplicate (subject, period, slice, indicator) rows; the last one was used")
    if lw_rows is not None:
        fill(lw, n_main + lgid)

    min_sample = np.array([i.min_sample for i in catalogue.indicators], dtype=float)
    status = np.full((R, K), OK, dtype=np.int8)
    status[~np.isfinite(V)] = MISSING
    insufficient = np.isfinite(V) & np.isfinite(N) & (N < min_sample[None, :])
    status[insufficient] = INSUFFICIENT
    status[~present] = ABSENT
    V_raw = V
    V = np.where(status == OK, V, np.nan)

    # effective standard errors for the replicates
    lo = np.array([i.value_range[0] for i in catalogue.indicators])
    hi = np.array([i.value_range[1] for i in catalogue.indicators])
    bounded = np.isfinite(lo) & np.isfinite(hi)
    cv = catalogue.uncertainty.default_cv
    SE = np.zeros((R, K))
    se_src = np.full((R, K), 3, dtype=np.int8)
    given = np.isfinite(SEg) & (SEg >= 0)
    SE[given] = SEg[given]
    se_src[given] = 0
    has_n = np.isfinite(N) & (N > 0) & np.isfinite(V)
    with np.errstate(invalid="ignore", divide="ignore"):
        bse = _bounded_se(np.clip(V, lo, hi), N, lo, hi)
        cse = cv * np.abs(V) / np.sqrt(N)
    m_b = ~given & has_n & bounded[None, :]
    SE[m_b] = bse[m_b]
    se_src[m_b] = 1
    m_c = ~given & has_n & ~bounded[None, :]
    SE[m_c] = cse[m_c]
    se_src[m_c] = 2
    SE = np.where(status == OK, SE, 0.0)
    return Prepared(catalogue, rows, n_main, V, V_raw, N, SE, se_src, status, notes)


# -- fit -----------------------------------------------------------------------------------

def _group_codes(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    return df.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()


def fit(prep: Prepared, *, normalisation: str = "target_floor", aggregation: str = "arithmetic",
        contexts: str = "slices", outliers: bool = True, imputation: bool = True) -> Fitted:
    cat = prep.catalogue
    if normalisation not in nz.METHODS:
        raise ConfigError(f"normalisation must be one of {', '.join(nz.METHODS)}, got {normalisation!r}")
    if aggregation not in AGGREGATIONS:
        raise ConfigError(f"aggregation must be one of {', '.join(AGGREGATIONS)}, got {aggregation!r}")
    if contexts not in CONTEXT_MODES:
        raise ConfigError(f"contexts must be one of {', '.join(CONTEXT_MODES)}, got {contexts!r}")
    rows, nm = prep.rows, prep.n_main
    R, K = prep.V.shape
    inds = cat.indicators
    target = np.array([i.target for i in inds])
    floor = np.array([i.floor for i in inds])

    # outlier groups: main rows by (kind, period, slice); aux rows follow the 'all' group
    grp_rows = rows.copy()
    grp_rows.loc[grp_rows["is_aux"], "slice"] = ALL_SLICE
    g = _group_codes(grp_rows, ["subject_kind", "period", "slice"])
    lo = np.full((R, K), -np.inf)
    hi = np.full((R, K), np.inf)
    logsign = np.zeros((R, K), dtype=np.int8)
    shift = np.zeros((R, K))
    out_flag = np.zeros((R, K), dtype=np.int8)
    trows = []
    main_mask = np.zeros(R, dtype=bool)
    main_mask[:nm] = True
    order = np.argsort(g, kind="stable")
    bounds = np.flatnonzero(np.diff(g[order])) + 1
    groups = np.split(order, bounds)
    if outliers:
        for members in groups:
            mm = members[main_mask[members]]
            if len(mm) < 5:
                continue
            for k in range(K):
                x = prep.V[mm, k]
                if np.isfinite(x).sum() < 5:
                    continue
                t = fit_treatment(x, anchors=(target[k], floor[k]))
                if t.method == "none":
                    continue
                lo[members, k], hi[members, k] = t.lo, t.hi
                logsign[members, k], shift[members, k] = t.sign, t.shift
                xv = prep.V[members, k]
                if t.method == "winsorise":
                    changed = np.isfinite(xv) & ((xv < t.lo) | (xv > t.hi))
                    out_flag[members[changed], k] = 1
                else:
                    out_flag[members[np.isfinite(xv)], k] = 2
                r0 = rows.iloc[mm[0]]
                trows.append({"subject_kind": r0["subject_kind"], "period": r0["period"],
                              "slice": r0["slice"], "indicator_id": inds[k].id,
                              "method": t.method, "n_winsorised": t.n_winsorised,
                              "skew_before": t.skew_before, "kurt_before": t.kurt_before,
                              "skew_after": t.skew_after, "kurt_after": t.kurt_after})
    treatments = pd.DataFrame(trows, columns=["subject_kind", "period", "slice", "indicator_id",
                                              "method", "n_winsorised", "skew_before",
                                              "kurt_before", "skew_after", "kurt_after"])
    Xt = _treat(prep.V[None], lo, hi, logsign, shift)[0]

    # normalisation parameters (affine a·x + b per cell)
    A = np.zeros((R, K))
    Bc = np.zeros((R, K))
    if normalisation == "target_floor":
        tt = _treat(np.broadcast_to(target, (1, R, K)), lo, hi, logsign, shift)[0]
        ff = _treat(np.broadcast_to(floor, (1, R, K)), lo, hi, logsign, shift)[0]
        # caps (winsorisation) must not move target/floor: they only apply to values
        tt = np.where(logsign != 0, tt, target[None, :])
        ff = np.where(logsign != 0, ff, floor[None, :])
        A = 100.0 / (tt - ff)
        Bc = -ff * A
    else:
        pf = nz.minmax_params if normalisation == "minmax" else nz.zscore_params
        for members in groups:
            mm = members[main_mask[members]]
            for k in range(K):
                a, b = pf(Xt[mm, k], inds[k].direction) if len(mm) else (np.nan, np.nan)
                A[members, k], Bc[members, k] = a, b

    # imputation sources
    own_from = np.zeros((R, K), dtype=np.int8)
    own_r, own_k, own_src = [], [], []
    peer_members: list[np.ndarray] = []
    peer_cells: list[tuple[np.ndarray, np.ndarray]] = []
    need = prep.status[:nm] != OK
    if imputation and need.any():
        idx = {(s, p, sl): i for i, (s, p, sl) in
               enumerate(zip(rows["subject_id"], rows["period"], rows["slice"]))}
        all_row = np.array([idx.get((s, p, ALL_SLICE), -1)
                            for s, p in zip(rows["subject_id"][:nm], rows["period"][:nm])])
        aux_row = np.array([idx.get((s, p, "__longer_window__"), -1)
                            for s, p in zip(rows["subject_id"][:nm], rows["period"][:nm])])
        is_all = (rows["slice"][:nm] == ALL_SLICE).to_numpy()
        ok = prep.status == OK
        rr, kk = np.nonzero(need)
        src = np.full(len(rr), -1)
        frm = np.zeros(len(rr), dtype=np.int8)
        # a context slice takes the whole period's value ('all' slice) …
        cand = np.where(is_all[rr], -1, all_row[rr])
        hit = (cand >= 0) & ok[np.maximum(cand, 0), kk]
        src[hit], frm[hit] = cand[hit], 1
        # … else (or for the 'all' slice itself) the longer window
        cand = aux_row[rr]
        hit2 = (src < 0) & (cand >= 0) & ok[np.maximum(cand, 0), kk]
        src[hit2], frm[hit2] = cand[hit2], 2
        sel = src >= 0
        own_r, own_k, own_src = rr[sel], kk[sel], src[sel]
        own_from[own_r, own_k] = frm[sel]
        # the rest: peer-group median (same kind, tier, period and slice)
        pr, pk = rr[~sel], kk[~sel]
        if len(pr):
            pg = _group_codes(rows.iloc[:nm], ["subject_kind", "tier", "period", "slice"])
            cell_g = pg[pr]
            for gval in np.unique(cell_g):
                m = cell_g == gval
                peer_members.append(np.flatnonzero(pg == gval))
                peer_cells.append((pr[m], pk[m]))
                own_from[pr[m], pk[m]] = 3
    own_cells = (np.asarray(own_r, dtype=int), np.asarray(own_k, dtype=int),
                 np.asarray(own_src, dtype=int))

    # dimension membership and weights
    dim_ids = cat.dimension_ids
    M = np.zeros((K, len(dim_ids)))
    for k, i in enumerate(inds):
        M[k, dim_ids.index(i.dimension)] = i.weight
    main = rows.iloc[:nm]
    if contexts == "slices":
        labels = np.array([context_label(parse_slice(s, cat)) for s in main["slice"]], dtype=object)
    else:
        labels = np.array(["none"] * nm, dtype=object)
    W = np.zeros((nm, len(dim_ids)))
    for lab in np.unique(labels):
        w = resolve_weights(cat, () if lab == "none" else lab.split("+"))
        W[labels == lab] = [w[d] for d in dim_ids]

    # which rows make the period index, and their case weights
    is_all = (main["slice"] == ALL_SLICE).to_numpy()
    pkey = main.groupby(["subject_id", "period"], sort=True).ngroup().to_numpy()
    P = int(pkey.max()) + 1 if nm else 0
    has_ctx = np.zeros(P, dtype=bool)
    np.logical_or.at(has_ctx, pkey, ~is_all)
    if contexts == "all":
        in_index = is_all.copy()
    else:
        in_index = np.where(has_ctx[pkey], ~is_all, is_all)
    cases = main["cases"].to_numpy(dtype=float)
    tot = np.zeros(P)
    np.add.at(tot, pkey, np.where(in_index, cases, 0.0))
    cnt = np.zeros(P)
    np.add.at(cnt, pkey, in_index.astype(float))
    # rows without cases (all zero) share equally
    wgt = np.where(in_index, np.where(tot[pkey] > 0, cases / np.where(tot[pkey] > 0, tot[pkey], 1),
                                      1.0 / np.maximum(cnt[pkey], 1)), 0.0)
    C = sparse.csr_matrix((wgt, (pkey, np.arange(nm))), shape=(P, nm))
    first_row = np.zeros(P, dtype=int)
    first_row[pkey[::-1]] = np.arange(nm)[::-1]
    periods = main.iloc[first_row][["subject_id", "subject_kind", "tier", "period"]].reset_index(drop=True)
    periods["cases"] = tot
    sl = pd.Series(np.where(in_index, main["slice"].to_numpy(), ""), index=pkey)
    periods["slices"] = sl[sl != ""].groupby(level=0).agg("+".join).reindex(range(P)).fillna("").to_numpy()
    periods["context_mode"] = contexts
    return Fitted(lo, hi, logsign, shift, A, Bc, normalisation != "zscore", out_flag, treatments,
                  own_cells, own_from, peer_members, peer_cells, M, W, labels, in_index, C,
                  periods, aggregation)


# -- apply ---------------------------------------------------------------------------------

def _treat(X, lo, hi, logsign, shift):
    X = np.clip(X, lo, hi)
    if (logsign != 0).any():
        with np.errstate(invalid="ignore", divide="ignore"):
            pos = np.log(X - shift + 1.0)
            neg = -np.log(shift - X + 1.0)
        X = np.where(logsign > 0, pos, np.where(logsign < 0, neg, X))
    return X


def _nanmedian_axis1(a: np.ndarray) -> np.ndarray:
    """Median over axis 1 ignoring NaN, fast (sort puts NaN last)."""
    s = np.sort(a, axis=1)
    c = np.isfinite(a).sum(axis=1)
    i_lo = np.maximum((c - 1) // 2, 0)
    i_hi = np.maximum(c // 2, 0)
    lo = np.take_along_axis(s, i_lo[:, None, :], axis=1)[:, 0, :]
    hi = np.take_along_axis(s, i_hi[:, None, :], axis=1)[:, 0, :]
    med = (lo + hi) / 2.0
    return np.where(c > 0, med, np.nan)


@dataclass
class Applied:
    S: np.ndarray      # (b, R_main, K) indicator scores after imputation
    D: np.ndarray      # (b, R_main, Dn) dimension scores per slice row
    I: np.ndarray      # (b, R_main) slice indices
    DP: np.ndarray     # (b, P, Dn) period dimension scores
    IP: np.ndarray     # (b, P) period index
    Xt: np.ndarray | None = None   # (b, R, K) treated values (point estimate only)


def _weighted_mean(X: np.ndarray, Wt: np.ndarray, geometric: bool) -> np.ndarray:
    """Weighted mean over the last axis of X with weights Wt (broadcastable), ignoring NaN."""
    present = np.isfinite(X)
    den = (present * Wt).sum(axis=-1)
    if geometric:
        L = np.where(present, np.log(np.maximum(X, GEO_FLOOR)), 0.0)
        num = (L * Wt).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, np.exp(num / np.where(den > 0, den, 1)), np.nan)
    num = (np.where(present, X, 0.0) * Wt).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def apply(fx: Fitted, X: np.ndarray, n_main: int, keep_treated: bool = False) -> Applied:
    """Push values X (b, R, K) through treatment, scores, imputation, dimensions and index."""
    Xt = _treat(X, fx.lo, fx.hi, fx.logsign, fx.shift)
    S = fx.A * Xt + fx.Bc
    if fx.clamp:
        S = np.clip(S, 0.0, 100.0)
    S = S.copy()
    b = S.shape[0]
    # peer medians first, over observed cells only
    meds = []
    for members, (pr, pk) in zip(fx.peer_members, fx.peer_cells):
        meds.append((pr, pk, _nanmedian_axis1(S[:, members, :])))
    r, k, src = fx.own_cells
    if len(r):
        S[:, r, k] = S[:, src, k]
    for pr, pk, med in meds:
        S[:, pr, pk] = med[:, pk]
    S = S[:, :n_main, :]

    geometric = fx.aggregation == "geometric"
    # dimension scores: weighted (arithmetic or geometric) mean within each dimension
    present = np.isfinite(S)
    den = present.astype(S.dtype) @ fx.M                      # (b, R, Dn)
    if geometric:
        num = np.where(present, np.log(np.maximum(S, GEO_FLOOR)), 0.0) @ fx.M
        with np.errstate(invalid="ignore", divide="ignore"):
            D = np.where(den > 0, np.exp(num / np.where(den > 0, den, 1)), np.nan)
    else:
        num = np.where(present, S, 0.0) @ fx.M
        with np.errstate(invalid="ignore", divide="ignore"):
            D = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    I = _weighted_mean(D, fx.W[None], geometric)           # (b, R)

    # period: case-weighted arithmetic mean of the slice indices (NaN slices drop out)
    C = fx.C
    def combine(Y):  # Y (b, R) → (b, P)
        pres = np.isfinite(Y)
        num = (C @ np.where(pres, Y, 0.0).T).T
        den = (C @ pres.astype(Y.dtype).T).T
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    IP = combine(I)
    Dn = D.shape[2]
    DP = np.stack([combine(D[:, :, d]) for d in range(Dn)], axis=2) if Dn else np.zeros((b, C.shape[0], 0))
    return Applied(S, D, I, DP, IP, Xt if keep_treated else None)


# -- bootstrap -----------------------------------------------------------------------------

@dataclass
class Intervals:
    level: float
    B: int
    I_lo: np.ndarray
    I_hi: np.ndarray
    IP_lo: np.ndarray
    IP_hi: np.ndarray
    DP_lo: np.ndarray
    DP_hi: np.ndarray
    D_lo: np.ndarray | None
    D_hi: np.ndarray | None
    IP_sd: np.ndarray


def bootstrap(prep: Prepared, fx: Fitted, *, B: int = 200, seed: int = 0, level: float = 0.90,
              chunk_cells: int = 6_000_000, slice_dimension_limit: int = 40_000_000) -> Intervals:
    """Parametric bootstrap over the case-level sampling error of every value.

    Each replicate draws every observed value from Normal(value, se) clipped to the unit's
    feasible range, then runs the fitted pipeline. Intervals are the (1−level)/2 and
    (1+level)/2 percentiles of the replicates.
    """
    if not 0 < level < 1:
        raise ConfigError(f"level must be in (0, 1), got {level}")
    rng = np.random.default_rng(seed)
    R, K = prep.V.shape
    nm = prep.n_main
    P = fx.C.shape[0]
    Dn = fx.M.shape[1]
    lo_r = np.array([i.value_range[0] for i in prep.catalogue.indicators])
    hi_r = np.array([i.value_range[1] for i in prep.catalogue.indicators])
    keep_slice_dims = B * nm * Dn <= slice_dimension_limit
    I_all = np.empty((B, nm), dtype=np.float32)
    IP_all = np.empty((B, P), dtype=np.float32)
    DP_all = np.empty((B, P, Dn), dtype=np.float32)
    D_all = np.empty((B, nm, Dn), dtype=np.float32) if keep_slice_dims else None
    # replicates run in float32: half the memory traffic, ample precision for percentiles
    f32 = np.float32
    V = prep.V.astype(f32)
    SE = prep.SE.astype(f32)  # 0 for cells that do not vary (and NaN values stay NaN)
    lo_r, hi_r = lo_r.astype(f32), hi_r.astype(f32)
    fx = replace(fx, lo=fx.lo.astype(f32), hi=fx.hi.astype(f32), shift=fx.shift.astype(f32),
                 A=fx.A.astype(f32), Bc=fx.Bc.astype(f32), M=fx.M.astype(f32), W=fx.W.astype(f32),
                 C=fx.C.astype(f32))
    step = max(1, chunk_cells // max(R * K, 1))
    for start in range(0, B, step):
        b = min(step, B - start)
        z = rng.standard_normal((b, R, K), dtype=np.float32)
        X = np.clip(V + SE * z, lo_r, hi_r)
        out = apply(fx, X, nm)
        I_all[start:start + b] = out.I
        IP_all[start:start + b] = out.IP
        DP_all[start:start + b] = out.DP
        if keep_slice_dims:
            D_all[start:start + b] = out.D
    ql, qh = (1 - level) / 2, (1 + level) / 2

    def q(a):
        if a is None:
            return None, None
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = np.nanquantile(a, [ql, qh], axis=0) if np.isnan(a).any() else np.quantile(a, [ql, qh], axis=0)
        return res[0].astype(float), res[1].astype(float)

    I_lo, I_hi = q(I_all)
    IP_lo, IP_hi = q(IP_all)
    DP_lo, DP_hi = q(DP_all)
    D_lo, D_hi = q(D_all)
    IP_sd = IP_all.std(axis=0).astype(float)
    return Intervals(level, B, I_lo, I_hi, IP_lo, IP_hi, DP_lo, DP_hi, D_lo, D_hi, IP_sd)
