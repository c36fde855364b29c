"""效果预测模型 (spec §7, the report's chapter 8.4): a panel regression over subject-months from
indicator values to outcomes — complaints per 100 orders (complaint volume once multiplied by the
subject's orders) and the repurchase rate — with subject fixed effects (the within estimator),
so that a subject's own changes, not differences between subjects, drive the estimate.

It states its fit (within R², residual sd) and an out-of-sample check (the last months held out,
mean absolute error against carrying the subject's mean forward), and its limits: associations
within subjects over a short panel, not experiments.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

OUTCOMES = {"complaints_per_100_orders": ("投诉率（每百单投诉）", "complaints per 100 orders"),
            "repurchase_rate": ("复购率", "repurchase rate")}
OUTCOME_RANGE = {"complaints_per_100_orders": (0.0, None), "repurchase_rate": (0.0, 1.0)}


def _clip(x: float, name: str) -> float:
    lo, hi = OUTCOME_RANGE.get(name, (None, None))
    if lo is not None:
        x = max(x, lo)
    if hi is not None:
        x = min(x, hi)
    return x


@dataclass
class OutcomeFit:
    outcome: str
    indicators: list[str]
    coef: pd.Series
    cov: pd.DataFrame
    r2_within: float
    resid_sd: float
    df_resid: int
    n_obs: int
    n_subjects: int
    oos_mae: float
    oos_mae_baseline: float
    oos_n: int
    subject_means: pd.Series  # the subject's fitted level (fixed effect + mean x·β) — its recent outcome level


@dataclass
class EffectModel:
    fits: dict[str, OutcomeFit]
    indicators: list[str]
    panel: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def predict(self, subject_id: str, changes: dict[str, float], level: float = 0.9,
                orders: float | None = None) -> pd.DataFrame:
        """Effect of changing indicators by ``changes`` (in the indicators' units, e.g. T1 +0.10,
        E2 −2 days) on each outcome for ``subject_id``: the change with its confidence interval
        and the predicted level with a prediction interval (adds the residual noise of a month)."""
        unknown = [k for k in changes if k not in self.indicators]
        if unknown:
            raise ValueError(f"indicator(s) {', '.join(unknown)} not in the model; it uses "
                             f"{', '.join(self.indicators)} / 模型不含这些指标")
        rows = []
        for name, f in self.fits.items():
            d = pd.Series(0.0, index=f.coef.index)
            for k, v in changes.items():
                d[k] = v
            delta = float(d @ f.coef)
            se = float(np.sqrt(max(d @ f.cov @ d, 0.0)))
            q = stats.t.ppf(0.5 + level / 2, max(f.df_resid, 1))
            sub = self.panel[self.panel["subject_id"] == subject_id].sort_values("period")
            if sub.empty:
                raise ValueError(f"subject {subject_id} has no month with enough cases in the model's panel "
                                 f"(it covers {self.panel['subject_id'].nunique()} subjects; a month needs forecast.yaml effect.min_cases cases) / "
                                 f"该主体没有工单足够的月份")
            base = float(sub[name].tail(3).mean())
            pred = base + delta
            pse = float(np.sqrt(se ** 2 + f.resid_sd ** 2))
            zh, en = OUTCOMES[name]
            # an indicator pushed outside what the panel has seen: the answer is an extrapolation
            outside = []
            for k, v in changes.items():
                if k in sub.columns and k in self.panel.columns:
                    now = float(sub[k].tail(3).mean())
                    lo_k, hi_k = float(self.panel[k].min()), float(self.panel[k].max())
                    if np.isfinite(now) and not (lo_k <= now + v <= hi_k):
                        outside.append(f"{k} {now:.3g}{v:+.3g}→{now + v:.3g} ∉ [{lo_k:.3g}, {hi_k:.3g}]")
            row = {"outcome": name, "outcome_zh": zh, "outcome_en": en, "baseline": base,
                   "change": delta, "change_lo": delta - q * se, "change_hi": delta + q * se,
                   "predicted": _clip(pred, name), "predicted_lo": _clip(pred - q * pse, name),
                   "predicted_hi": _clip(pred + q * pse, name), "extrapolation": "; ".join(outside),
                   "level": level, "r2_within": f.r2_within, "oos_mae": f.oos_mae,
                   "oos_mae_baseline": f.oos_mae_baseline, "n_obs": f.n_obs, "n_subjects": f.n_subjects}
            if name == "complaints_per_100_orders":
                o = orders if orders is not None else float(sub["orders"].tail(3).mean())
                row.update({"orders_per_month": o, "complaints_baseline": base * o / 100,
                            "complaints_change": delta * o / 100, "complaints_change_lo": (delta - q * se) * o / 100,
                            "complaints_change_hi": (delta + q * se) * o / 100})
            rows.append(row)
        return pd.DataFrame(rows)

    def coefficients(self) -> pd.DataFrame:
        rows = []
        for name, f in self.fits.items():
            se = np.sqrt(np.diag(f.cov.to_numpy()))
            for k, b, s in zip(f.coef.index, f.coef.to_numpy(), se):
                rows.append({"outcome": name, "indicator": k, "coef": b, "se": s,
                             "t": b / s if s > 0 else np.nan,
                             "p": 2 * stats.t.sf(abs(b / s), max(f.df_resid, 1)) if s > 0 else np.nan})
        return pd.DataFrame(rows)

    def fit_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"outcome": n, "r2_within": f.r2_within, "resid_sd": f.resid_sd, "n_obs": f.n_obs,
                              "n_subjects": f.n_subjects, "oos_mae": f.oos_mae,
                              "oos_mae_baseline": f.oos_mae_baseline, "oos_n": f.oos_n}
                             for n, f in self.fits.items()])


def build_panel(values: pd.DataFrame, activity: pd.DataFrame, behaviour: pd.DataFrame,
                min_cases: int = 20) -> pd.DataFrame:
    """Subject-month rows: indicator values (slice 'all') as columns, orders, cases, and the two
    outcomes. Platforms, brands, MCNs and streamers together (the industry row is left out)."""
    v = values[(values["slice"] == "all") & (values["subject_id"] != "INDUSTRY")]
    X = v.pivot_table(index=["subject_id", "period"], columns="indicator_id", values="value")
    cases = v.groupby(["subject_id", "period"])["cases"].max().rename("cases_in_values")
    a = activity.set_index(["subject_id", "period"])[["orders", "cases"]]
    b = behaviour.set_index(["subject_id", "period"])[["repurchase_rate"]]
    P = X.join(cases).join(a, how="left").join(b, how="left").reset_index()
    P = P[P["cases_in_values"] >= min_cases]
    P["complaints_per_100_orders"] = np.where(P["orders"] > 0, 100 * P["cases"] / P["orders"].where(P["orders"] > 0), np.nan)
    return P


def _within(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return df[cols] - df.groupby("subject_id")[cols].transform("mean")


def _fit_one(P: pd.DataFrame, inds: list[str], outcome: str, holdout: list[str]) -> OutcomeFit | None:
    D = P.dropna(subset=[outcome])
    D = D[D.groupby("subject_id")["period"].transform("size") >= 3]
    if len(D) < len(inds) + 10:
        return None
    Xw = _within(D, inds).to_numpy()
    yw = _within(D, [outcome])[outcome].to_numpy()
    beta, *_ = np.linalg.lstsq(Xw, yw, rcond=None)
    resid = yw - Xw @ beta
    G = D["subject_id"].nunique()
    dof = len(D) - G - len(inds)
    # cluster-robust covariance by subject (Arellano), small-sample scaled
    XtX_inv = np.linalg.pinv(Xw.T @ Xw)
    meat = np.zeros((len(inds), len(inds)))
    for _, idx in D.groupby("subject_id").indices.items():
        s = Xw[idx].T @ resid[idx]
        meat += np.outer(s, s)
    scale = G / max(G - 1, 1) * (len(D) - 1) / max(dof, 1)
    cov = XtX_inv @ meat @ XtX_inv * scale
    ss_tot = float(yw @ yw)
    r2 = 1 - float(resid @ resid) / ss_tot if ss_tot > 0 else np.nan
    resid_sd = float(np.sqrt(resid @ resid / max(dof, 1)))
    # out of sample: fit on the months before the holdout, predict the holdout months
    tr, te = D[~D["period"].isin(holdout)], D[D["period"].isin(holdout)]
    te = te[te["subject_id"].isin(tr["subject_id"])]
    oos, base, n_te = np.nan, np.nan, 0
    if len(tr) > len(inds) + 10 and len(te):
        b2, *_ = np.linalg.lstsq(_within(tr, inds).to_numpy(), _within(tr, [outcome])[outcome].to_numpy(), rcond=None)
        mx = tr.groupby("subject_id")[inds].mean()
        my = tr.groupby("subject_id")[outcome].mean()
        pred = my.reindex(te["subject_id"]).to_numpy() + (te[inds].to_numpy() - mx.reindex(te["subject_id"]).to_numpy()) @ b2
        oos = float(np.mean(np.abs(pred - te[outcome].to_numpy())))
        base = float(np.mean(np.abs(my.reindex(te["subject_id"]).to_numpy() - te[outcome].to_numpy())))
        n_te = len(te)
    return OutcomeFit(outcome, inds, pd.Series(beta, index=inds), pd.DataFrame(cov, index=inds, columns=inds),
                      r2, resid_sd, int(dof), len(D), int(G), oos, base, n_te,
                      D.groupby("subject_id")[outcome].mean())


def fit_effect_model(panel: pd.DataFrame, min_coverage: float = 0.7, holdout_months: int = 2,
                     indicators: list[str] | None = None) -> EffectModel:
    """Fit both outcomes. Indicators present in at least ``min_coverage`` of the subject-months
    enter; a missing value is filled with the subject's own mean (else the overall mean), which
    leaves its within-subject deviation at zero."""
    ind_cols = [c for c in panel.columns if c not in {"subject_id", "period", "cases_in_values", "orders", "cases",
                                                      "repurchase_rate", "complaints_per_100_orders"}]
    cov = panel[ind_cols].notna().mean()
    inds = indicators or [c for c in ind_cols if cov[c] >= min_coverage and panel[c].std() > 0]
    P = panel.copy()
    for c in inds:
        P[c] = P[c].fillna(P.groupby("subject_id")[c].transform("mean")).fillna(P[c].mean())
    months = sorted(P["period"].unique())
    holdout = months[-holdout_months:] if holdout_months and len(months) > holdout_months + 2 else []
    notes = [f"indicators in the model: {', '.join(inds)}"]
    fits = {}
    for outcome in OUTCOMES:
        f = _fit_one(P, inds, outcome, holdout)
        if f is None:
            notes.append(f"{outcome}: too few subject-months to fit / 数据不足")
        else:
            fits[outcome] = f
    if not fits:
        raise ValueError("not enough subject-months for the effect model / 面板数据不足")
    return EffectModel(fits, inds, P, notes)


def share_points(changes: dict[str, float], share_ids: set[str]) -> tuple[dict[str, float], list[str]]:
    """Changes to share indicators (fractions 0–1) given as percentage points (|v| > 1, e.g.
    T1=+10) become fractions (+0.10); returns the changes and a note per conversion."""
    out, notes = {}, []
    for k, v in changes.items():
        if k in share_ids and abs(v) > 1:
            out[k] = v / 100.0
            notes.append(f"{k} {v:+g} read as {v:+g} percentage points ({v / 100:+.2f}) / 按百分点理解")
        else:
            out[k] = v
    return out, notes


def parse_changes(items: tuple[str, ...] | list[str]) -> dict[str, float]:
    """'T1=+0.10', 'E2=-2' → {'T1': 0.1, 'E2': -2.0}."""
    out = {}
    for it in items:
        if "=" not in it:
            raise ValueError(f"--change {it!r}: expected INDICATOR=±VALUE, e.g. T1=+0.10 / 格式应为 指标=变化量")
        k, v = it.split("=", 1)
        try:
            out[k.strip().upper()] = float(v)
        except ValueError:
            raise ValueError(f"--change {it!r}: {v!r} is not a number / 变化量不是数字") from None
    return out
