"""`lashi validate`: the checks of spec §6 for a period."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError
from lashi.store import open_workspace


def _t(title, cols):
    t = RichTable(title=title)
    for c in cols:
        t.add_column(c, overflow="fold")
    return t


def _n(x, fmt="{:.2f}"):
    return "—" if x is None or x != x else fmt.format(x)


@click.command("validate")
@click.option("--period", "-p", required=True, help="A month (2025-11) or a quarter (2025-Q4).")
@click.option("--runs", default=20, show_default=True, help="Sensitivity re-runs (random weights ±25%, normalisation, aggregation).")
@click.option("--alpha", default=0.01, show_default=True, help="One-sided significance level of the beautification test.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write CSV tables here (default WORKSPACE/results/PERIOD/validation).")
@click.option("--top", default=10, show_default=True, help="Rows to print per table (0 = all).")
@workspace_option
def command(period, runs, alpha, out, top, workspace) -> None:
    """Validate the evaluation: triangulation of self-reports (数据美化), expert vs consumer blind
    test, quarter-over-quarter calibration, predictive validity, sensitivity of ranks and bands,
    and anomalous subjects.

    评估结果验证：三方交叉验证、盲测、动态校准、预测效度、敏感性分析、异常主体识别。
    """
    from lashi.validation import validate

    console = Console()
    ws = open_workspace(workspace)
    try:
        with steps(console, "验证 validating") as say:
            v = validate(ws, period, runs=runs, alpha=alpha, progress=say)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    n = None if top == 0 else top

    tri = v.triangulation
    if len(tri):
        t = _t(f"三方交叉验证 triangulation — {v.period}: {int(tri['beautified'].sum())} of {len(tri)} claims flagged 数据美化",
               ["主体 subject", "指标", "自报 claimed", "神秘客 mystery", "工单 cases", "感知 perceived", "z", "p", "结论 verdict"])
        for r in tri.head(n).itertuples():
            t.add_row(r.subject_id, r.indicator_id, _n(r.claimed_value, "{:.3g}"), _n(r.mystery_r1, "{:.3g}"),
                      _n(r.case_value, "{:.3g}"), _n(r.perceived_value, "{:.3g}"), _n(r.z, "{:.1f}"),
                      _n(r.p_one_sided, "{:.2g}"), f"{r.verdict_zh} {r.verdict_en}")
        console.print(t)
    b = v.blind
    if b:
        t = _t(f"盲测评估 blind test — {b['period']}, {b['codes']} blinded subjects", ["统计 statistic", "值 value", "95% CI"])
        t.add_row("Pearson r (专家 vs 消费者)", _n(b["pearson"]), f"{_n(b['pearson_lo'])}–{_n(b['pearson_hi'])}")
        t.add_row("Spearman ρ", _n(b["spearman"]), f"{_n(b['spearman_lo'])}–{_n(b['spearman_hi'])}")
        t.add_row("结论 verdict (≥0.8 pass, 0.6–0.8 review, <0.6 redesign)", f"{b['verdict_zh']} {b['verdict']}", "")
        for k in ("expert", "consumer"):
            t.add_row(f"ICC {k} (one rater / mean of {b[f'{k}_raters']})",
                      f"{_n(b[f'{k}_icc_single'])} / {_n(b[f'{k}_icc_mean'])}", "")
        console.print(t)
    c = v.calibration
    if len(c):
        t = _t(f"动态校准 calibration — {v.previous_quarter} → {v.quarter} (industry): {int(c['flagged'].sum())} moved > 20%",
               ["指标", "上季 prev", "本季 current", "变化 change", "工单 cases", "原因 likely cause"])
        for r in c.head(n).itertuples():
            t.add_row(r.indicator_id, _n(r.previous, "{:.3g}"), _n(r.current, "{:.3g}"),
                      f"{'[red]' if r.flagged else ''}{r.relative_change:+.0%}", f"{int(r.cases_previous)}→{int(r.cases_current)}",
                      f"{r.likely_cause_zh} {r.likely_cause}")
        console.print(t)
    val = v.validity
    if len(val):
        t = _t(f"预测效度 predictive validity — {v.period}", ["主体 subjects", "结果 outcome", "n", "Pearson r", "95% CI", "Spearman ρ"])
        for r in val.itertuples():
            t.add_row(r.subjects, r.outcome, str(r.n), _n(r.pearson), f"{_n(r.pearson_lo)}–{_n(r.pearson_hi)}", _n(r.spearman))
        console.print(t)
    s = v.sensitivity
    if len(s):
        dep = s[s["band_depends"]]
        t = _t(f"敏感性 sensitivity — {int(s['runs'].iloc[0])} runs: {len(dep)} subjects whose band depends on the choices",
               ["主体 subject", "类型 kind", "名次 rank", "中位 median", "90% 区间 interval", "等级 bands"])
        shown = (dep if len(dep) else s).head(n)
        for r in shown.itertuples():
            t.add_row(r.subject_id, r.subject_kind, _n(r.rank_ref, "{:.0f}"), _n(r.rank_median, "{:.0f}"),
                      f"{r.rank_lo:.0f}–{r.rank_hi:.0f}", str(r.bands))
        console.print(t)
    a = v.anomalies
    if len(a):
        flagged = a[a["anomalous"]]
        t = _t(f"异常主体 anomalous subjects (isolation forest): {len(flagged)}", ["主体 subject", "类型 kind", "得分 score", "突出指标 stands out on"])
        for r in flagged.head(n).itertuples():
            t.add_row(r.subject_id, str(r.subject_kind), _n(r.anomaly_score), r.stand_out)
        console.print(t)
    for note in v.notes:
        console.print(f"[yellow]注意 note:[/] {note}")
    out = out or (ws.path / "results" / v.period / "validation")
    v.write(out)
    console.print(f"结果已写入 / written to {out}")
