"""`lashi predict`: what happens to complaints and repurchase if indicators change (the effect
model of spec §7), with intervals and the model's stated fit."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError
from lashi.store import open_workspace


@click.command("predict")
@click.option("--subject", "-s", required=True, help="Subject id, e.g. S-ST00016.")
@click.option("--change", "changes", multiple=True, required=True,
              help="INDICATOR=±VALUE in the indicator's unit, e.g. T1=+0.10 or T1=+10 (a share: 10 percentage points) or E2=-2 (days). Repeatable.")
@click.option("--level", default=0.9, show_default=True, help="Interval coverage.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the result as CSV.")
@workspace_option
def command(subject, changes, level, out, workspace) -> None:
    """Effect model (效果预测): a panel regression with subject fixed effects from monthly indicator
    values to complaints per 100 orders and the repurchase rate; predicts the effect of the given
    indicator changes for one subject, with confidence and prediction intervals, and states the
    model's fit (within R², out-of-sample error) and its limits.

    效果预测模型：主体固定效应面板回归，预测指标变化对投诉量与复购率的影响（含区间与拟合优度）。
    """
    from lashi.forecast import parse_changes, run_effect_model
    from lashi.forecast.effect import share_points
    from lashi.scoring.config import load_catalogue

    console = Console()
    ws = open_workspace(workspace)
    try:
        ch, conv = share_points(parse_changes(changes),
                                {i.id for i in load_catalogue().indicators if i.unit == "share"})
        for n in conv:
            console.print(f"[dim]{n}[/dim]")
        with steps(console, "效果预测 effect model") as say:
            model = run_effect_model(ws, progress=say)
        res = model.predict(subject, ch, level=level)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    what = ", ".join(f"{k} {v:+g}" for k, v in ch.items())
    t = RichTable(title=f"{subject}: {what} — {int(level * 100)}% intervals")
    for c in ("结果 outcome", "当前 now", "变化 change", "区间 interval", "预测 predicted", "预测区间 prediction interval"):
        t.add_column(c)
    for r in res.itertuples():
        fmt = "{:.2f}" if r.outcome == "complaints_per_100_orders" else "{:.3f}"
        t.add_row(f"{r.outcome_zh}\n{r.outcome_en}", fmt.format(r.baseline), ("{:+" + fmt[2:]).format(r.change),
                  f"{fmt.format(r.change_lo)} … {fmt.format(r.change_hi)}", fmt.format(r.predicted),
                  f"{fmt.format(r.predicted_lo)} … {fmt.format(r.predicted_hi)}")
        if r.outcome == "complaints_per_100_orders":
            t.add_row("投诉量/月\ncomplaints per month", f"{r.complaints_baseline:.0f}", f"{r.complaints_change:+.0f}",
                      f"{r.complaints_change_lo:+.0f} … {r.complaints_change_hi:+.0f}", "", f"at {r.orders_per_month:.0f} orders/month")
    console.print(t)
    ext = next((r.extrapolation for r in res.itertuples() if r.extrapolation), "")
    if ext:
        console.print(f"[yellow]外推 extrapolation:[/] {ext} — outside every subject-month the model was fitted on; "
                      f"read the figures as a direction, not a forecast / 超出模型样本范围，仅供参考方向")
    ft = RichTable(title="模型拟合 model fit (subject fixed effects; last months held out)")
    for c in ("结果 outcome", "组内R² within R²", "样本 subject-months", "主体 subjects", "样本外MAE out-of-sample", "基准MAE subject mean"):
        ft.add_column(c, overflow="fold")
    for r in model.fit_table().itertuples():
        ft.add_row(r.outcome, f"{r.r2_within:.3f}", str(r.n_obs), str(r.n_subjects), f"{r.oos_mae:.3g}", f"{r.oos_mae_baseline:.3g}")
    console.print(ft)
    console.print("[dim]局限 limits: associations within subjects over a short monthly panel, not experiments; "
                  "a change far outside a subject's own range is an extrapolation. 组内关联，非因果实验；超出主体历史范围的变化属外推。[/dim]")
    coef = model.coefficients()
    used = coef[coef["indicator"].isin(list(ch))]
    for r in used.itertuples():
        console.print(f"[dim]{r.outcome} ~ {r.indicator}: {r.coef:+.3g} per unit (se {r.se:.2g}, p {r.p:.2g})[/dim]")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        res.to_csv(out, index=False, encoding="utf-8")
        console.print(f"结果已写入 / written to {out}")
