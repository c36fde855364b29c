"""Charts of the report as inline SVG strings (matplotlib, Agg, text drawn as paths so the
file needs no font where it is opened).

Chinese labels need a CJK font: the Noto CJK fonts (Debian `fonts-noto-cjk`) are used when
installed, else any font matplotlib knows with CJK glyphs; without one, `cjk_font()` returns None
and the caller draws the charts with English labels instead of tofu boxes.
"""
from __future__ import annotations

import io
import math
import re
from functools import lru_cache

import numpy as np

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#b4235a"      # the report's colour (a lipstick red)
SECOND = "#2563eb"
BANDS = ((85, "#15803d"), (70, "#65a30d"), (60, "#d97706"))
PALETTE = ["#b4235a", "#2563eb", "#0f766e", "#d97706", "#7c3aed", "#4b5563", "#db2777", "#0891b2"]

_CJK_CANDIDATES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans SC",
                   "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                   "Droid Sans Fallback", "AR PL UMing CN", "SimHei", "Microsoft YaHei", "PingFang SC")


@lru_cache(maxsize=1)
def _mpl():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    return matplotlib, plt, font_manager


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None."""
    matplotlib, _plt, fm = _mpl()
    names = {f.name for f in fm.fontManager.ttflist}
    for cand in _CJK_CANDIDATES:
        if cand in names:
            return cand
    # fonts installed after matplotlib built its cache: look on disk
    for path in fm.findSystemFonts():
        if re.search(r"(NotoSansCJK|NotoSerifCJK|SourceHanSans|wqy|DroidSansFallback)", path, re.I):
            try:
                fm.fontManager.addfont(path)
            except Exception:  # pragma: no cover - unreadable font file
                continue
    names = {f.name for f in fm.fontManager.ttflist}
    for cand in _CJK_CANDIDATES:
        if cand in names:
            return cand
    return None


def _style():
    matplotlib, plt, _fm = _mpl()
    fams = ["DejaVu Sans"]
    cjk = cjk_font()
    if cjk:
        fams.append(cjk)
    matplotlib.rcParams.update({
        "font.family": fams, "font.size": 9, "svg.fonttype": "path", "svg.hashsalt": "lashi-report",
        "axes.edgecolor": GRID, "axes.labelcolor": INK, "xtick.color": MUTED, "ytick.color": MUTED,
        "axes.spines.top": False, "axes.spines.right": False, "axes.unicode_minus": False,
    })
    return plt


def _svg(fig, name: str) -> str:
    _matplotlib, plt, _fm = _mpl()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "LASHI"})
    plt.close(fig)
    s = buf.getvalue()
    s = s[s.index("<svg"):]
    # responsive: keep the viewBox, let CSS set the width
    s = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1', s, count=1)
    s = s.replace("<svg", f'<svg class="chart" role="img" aria-label="{name}"', 1)
    # ids must be unique across the several charts inline in one page
    prefix = re.sub(r"[^a-z0-9]", "", name.lower())[:12] or "c"
    s = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', s)
    s = re.sub(r'url\(#([^)]+)\)', lambda m: f'url(#{prefix}-{m.group(1)})', s)
    s = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', s)
    return s


def radar(labels: list[str], series: list[tuple[str, list[float], str]], name: str = "radar",
          size: float = 4.6) -> str:
    """A radar (spider) chart of the six dimensions: series = [(legend, values 0–100, colour)]."""
    plt = _style()
    n = len(labels)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()
    fig = plt.figure(figsize=(size, size))
    ax = fig.add_subplot(111, polar=True)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 70, 85, 100])
    ax.set_yticklabels(["20", "40", "60", "70", "85", ""], fontsize=7, color=MUTED)
    ax.set_xticks(ang)
    ax.set_xticklabels(labels, fontsize=9, color=INK)
    ax.grid(color=GRID)
    ax.spines["polar"].set_color(GRID)
    for k, (legend, vals, colour) in enumerate(series):
        v = [0.0 if (x is None or not math.isfinite(x)) else float(x) for x in vals]
        ax.plot(ang + ang[:1], v + v[:1], color=colour, lw=2 if k == 0 else 1.2,
                ls="-" if k == 0 else "--", label=legend)
        if k == 0:
            ax.fill(ang + ang[:1], v + v[:1], color=colour, alpha=0.15)
            for a, x in zip(ang, v):
                ax.annotate(f"{x:.0f}", (a, x), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=8, color=colour, weight="bold")
    if len(series) > 1:
        ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=8, frameon=False)
    return _svg(fig, name)


def interval_bars(labels: list[str], values: list[float], lo: list[float], hi: list[float],
                  name: str = "bars", xlabel: str = "", highlight: str | None = None,
                  notes: list[str] | None = None, width: float = 6.8) -> str:
    """Horizontal bars with their intervals and the band lines at 60, 70 and 85."""
    plt = _style()
    n = len(labels)
    fig, ax = plt.subplots(figsize=(width, 0.3 * n + 0.8))
    y = np.arange(n)[::-1]
    vals = np.array([v if v is not None and math.isfinite(v) else 0.0 for v in values])
    cols = [ACCENT if (highlight and lab == highlight) else "#94a3b8" if v < 60 else SECOND for lab, v in zip(labels, vals)]
    ax.barh(y, vals, color=cols, height=0.62)
    err_lo = np.clip(vals - np.nan_to_num(np.array(lo, dtype=float), nan=0), 0, None)
    err_hi = np.clip(np.nan_to_num(np.array(hi, dtype=float), nan=0) - vals, 0, None)
    ax.errorbar(vals, y, xerr=[err_lo, err_hi], fmt="none", ecolor=INK, elinewidth=1, capsize=2.5)
    tops = np.maximum(vals, np.nan_to_num(np.array(hi, dtype=float), nan=0))
    for yy, v, top, note in zip(y, vals, tops, notes or [""] * n):
        ax.text(min(top, 100) + 1.2, yy, f"{v:.1f}" + (f"  {note}" if note else ""), va="center", fontsize=8, color=INK)
    for x, c in BANDS:
        ax.axvline(x, color=c, lw=0.8, ls=":")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8.5, color=INK)
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 20, 40, 60, 70, 85, 100])
    ax.set_xlabel(xlabel, fontsize=8, color=MUTED)
    ax.grid(axis="x", color=GRID, lw=0.5)
    ax.set_axisbelow(True)
    return _svg(fig, name)


def group_dots(groups: list[tuple[str, list[float]]], name: str = "groups", xlabel: str = "",
               mean_label: str = "mean", width: float = 6.8) -> str:
    """Each group's subjects as dots on the 0–100 scale, with the group mean as a bar."""
    plt = _style()
    n = len(groups)
    fig, ax = plt.subplots(figsize=(width, 0.5 * n + 0.9))
    rng = np.random.default_rng(7)
    for k, (label, vals) in enumerate(groups):
        yy = n - 1 - k
        v = np.array([x for x in vals if x is not None and math.isfinite(x)])
        if len(v):
            ax.barh(yy, v.mean(), color=PALETTE[k % len(PALETTE)], alpha=0.22, height=0.7)
            ax.scatter(v, yy + rng.uniform(-0.22, 0.22, len(v)), s=12, color=PALETTE[k % len(PALETTE)],
                       alpha=0.85, lw=0)
            ax.plot([v.mean()] * 2, [yy - 0.35, yy + 0.35], color=INK, lw=1.6)
            ax.text(101, yy, f"{mean_label} {v.mean():.1f} · n={len(v)}", va="center", fontsize=8, color=INK)
    for x, c in BANDS:
        ax.axvline(x, color=c, lw=0.8, ls=":")
    ax.set_yticks(range(n))
    ax.set_yticklabels([g[0] for g in groups][::-1], fontsize=8.5, color=INK)
    ax.set_xlim(0, 128)
    ax.set_xticks([0, 20, 40, 60, 70, 85, 100])
    ax.set_xlabel(xlabel, fontsize=8, color=MUTED)
    ax.grid(axis="x", color=GRID, lw=0.5)
    ax.set_axisbelow(True)
    return _svg(fig, name)


def lost_bars(labels: list[str], lost: list[float], name: str = "lost", xlabel: str = "",
              width: float = 6.8) -> str:
    """Points lost against the weights (the gap to 100), largest first."""
    plt = _style()
    n = len(labels)
    fig, ax = plt.subplots(figsize=(width, 0.34 * n + 0.8))
    y = np.arange(n)[::-1]
    ax.barh(y, lost, color=ACCENT, height=0.6, alpha=0.85)
    for yy, v in zip(y, lost):
        ax.text(v + max(lost) * 0.01 + 0.05, yy, f"−{v:.2f}", va="center", fontsize=8, color=INK)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8.5, color=INK)
    ax.set_xlim(0, max(lost) * 1.18 + 0.1)
    ax.set_xlabel(xlabel, fontsize=8, color=MUTED)
    ax.grid(axis="x", color=GRID, lw=0.5)
    ax.set_axisbelow(True)
    return _svg(fig, name)


def trend(months: list[str], values: list[float], f_months: list[str], f_values: list[float],
          f_lo: list[float], f_hi: list[float], name: str = "trend", legend=("index", "forecast", "90% interval"),
          others: list[tuple[str, list[float]]] | None = None, width: float = 6.8) -> str:
    """The monthly index with its three-month forecast and band."""
    plt = _style()
    fig, ax = plt.subplots(figsize=(width, 2.9))
    allm = list(months) + [m for m in f_months if m not in months]
    pos = {m: i for i, m in enumerate(allm)}
    for k, (lab, vals) in enumerate(others or []):
        ax.plot([pos[m] for m in months], vals, color=PALETTE[(k + 1) % len(PALETTE)], lw=1, alpha=0.6, label=lab)
    ax.plot([pos[m] for m in months], values, color=ACCENT, lw=2.2, marker="o", ms=3, label=legend[0])
    if f_months:
        xs = [pos[months[-1]]] + [pos[m] for m in f_months]
        ax.plot(xs, [values[-1]] + list(f_values), color=ACCENT, lw=1.6, ls="--", label=legend[1])
        ax.fill_between([pos[m] for m in f_months], f_lo, f_hi, color=ACCENT, alpha=0.15, label=legend[2])
    for x, c in BANDS:
        ax.axhline(x, color=c, lw=0.8, ls=":")
    ax.set_xticks(range(len(allm)))
    ax.set_xticklabels([m[2:] for m in allm], fontsize=7.5, rotation=0)
    lo = min([v for v in values if math.isfinite(v)] + list(f_lo) + [55]) - 5
    ax.set_ylim(max(0, lo), 100)
    ax.grid(axis="y", color=GRID, lw=0.5)
    ax.legend(fontsize=7.5, frameon=False, ncol=4, loc="upper left")
    return _svg(fig, name)
