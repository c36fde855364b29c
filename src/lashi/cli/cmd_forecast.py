"""`lashi forecast`: three-month forecast of every subject's monthly index with its interval and
risk level, and a rolling-origin backtest against the naive last-value forecast."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from lashi.cli.common import workspace_option
from lashi.cli.progress import steps
from lashi.scoring.config import ConfigError
from lashi.store import open_workspace

_RISK_STYLE = {"high": "bold red", "medium": "yellow", "low": "green"}


@click.command("forecast")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["industry", "platform", "streamer", "brand", "mcn"]),
              help="Only these subject kinds (repeatable; default all).")
@click.option("--until", default=None, help="Use months up to this one (e.g. 2025-09) — to compare with what followed.")
@click.option("--no-backtest", is_flag=True, help="Skip the rolling-origin backtest.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your forecast rules (YAML sections replace the shipped ones).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write CSV tables here (default WORKSPACE/results/forecast).")
@click.option("--top", default=15, show_default=True, help="Subjects to print (highest risk first; 0 = all).")
@workspace_option
def command(kinds, until, no_backtest, config_file, out, top, workspace) -> None:
    """Early warning: forecast each subject's health index three months ahead with a prediction
    interval (autoregression with a promotion-month term), a risk level low/medium/high from the
    forecast and its trend, and a backtest (MAE, interval coverage) against the naive forecast.

    风险预警：未来三个月售后健康指数预测（含预测区间）、风险等级（低/中/高），以及与朴素预测对比的滚动回测。
    """
    from lashi.forecast import load_config, run_forecast

    console = Console()
    ws = open_workspace(workspace)
    try:
        cfg = load_config(config_file)
        with steps(console, "预测 forecasting") as say:
            f = run_forecast(ws, list(kinds) or None, not no_backtest, cfg, until, progress=say)
    except (ConfigError, ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    fc = f.forecasts
    if len(fc):
        first = fc[fc["step"] == 1]
        counts = first["risk"].value_counts().to_dict()
        wide = fc.pivot_table(index="subject_id", columns="step", values=["forecast", "lo", "hi"])
        order = first.assign(o=first["risk"].map({"high": 0, "medium": 1, "low": 2})).sort_values(["o", "forecast"])
        t = RichTable(title=f"风险预警 early warning — from {f.months[-1]}, {int(cfg['level'] * 100)}% intervals  "
                            f"高 high {counts.get('high', 0)} · 中 medium {counts.get('medium', 0)} · 低 low {counts.get('low', 0)}")
        for c in ["主体 subject", "类型 kind", "最新 last", "趋势 trend/mo"] + \
                 [f"{p}" for p in sorted(fc["period"].unique())] + ["风险 risk", "依据 reason"]:
            t.add_column(c, overflow="fold")
        for r in (order if top == 0 else order.head(top)).itertuples():
            cells = [f"{wide.loc[r.subject_id, ('forecast', s)]:.1f} [{wide.loc[r.subject_id, ('lo', s)]:.0f}–"
                     f"{wide.loc[r.subject_id, ('hi', s)]:.0f}]" for s in sorted(fc["step"].unique())]
            t.add_row(r.subject_id, r.subject_kind, f"{r.last_index:.1f}", f"{r.trend_per_month:+.1f}", *cells,
                      f"[{_RISK_STYLE[r.risk]}]{r.risk_zh} {r.risk}[/]", r.risk_reason)
        console.print(t)
    al = f.alerts
    if al is not None:
        lv = al["level"].value_counts().to_dict() if len(al) else {}
        t = RichTable(title=f"异常上升预警 category alerts — {f.months[-1]} vs the "
                            f"{cfg.get('alerts', {}).get('baseline_months', 3)} months before  "
                            f"高 high {lv.get('high', 0)} · 中 medium {lv.get('medium', 0)}")
        for c in ("主体 subject", "类型 kind", "类别 category", "指标 metric", "级别 level", "依据 reason"):
            t.add_column(c, overflow="fold")
        from lashi.forecast.alerts import CATEGORY_ZH

        for r in (al if top == 0 else al.head(top)).itertuples():
            metric = "投诉率 complaint rate" if r.metric == "complaint_rate" else "响应时长 reply time"
            t.add_row(r.subject_id, r.subject_kind, f"{CATEGORY_ZH.get(r.category, r.category)}\n{r.category}", metric,
                      f"[{_RISK_STYLE[r.level]}]{r.level_zh} {r.level}[/]", f"{r.reason_zh}\n{r.reason_en}")
        console.print(t)
        if len(al) == 0:
            console.print("no sudden rise in any category / 各类别未见异常上升")
    bt = f.backtest
    if len(bt):
        t = RichTable(title=f"滚动回测 rolling-origin backtest — {int(bt['subjects'].iloc[0])} subjects, "
                            f"{int(bt['forecasts'].iloc[-1])} forecasts")
        for c in ("步长 step", "n", "MAE 模型 model", "MAE 朴素 naive", "技能 skill", "区间覆盖 coverage", "名义 nominal"):
            t.add_column(c, overflow="fold")
        for r in bt.itertuples():
            t.add_row(str(r.step), str(r.forecasts), f"{r.mae_model:.2f}", f"{r.mae_naive:.2f}", f"{r.skill:+.0%}",
                      f"{r.coverage:.0%}", f"{r.nominal:.0%}")
        console.print(t)
    for n in f.notes:
        console.print(f"[yellow]注意 note:[/] {n}")
    out = out or (ws.path / "results" / "forecast")
    f.write(out)
    console.print(f"结果已写入 / written to {out}")
