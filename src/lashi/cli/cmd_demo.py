"""`lashi demo` (what `make demo` runs): the main job on built-in sample data, end to end."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.rule import Rule

from lashi.cli.cmd_evaluate import print_ranking
from lashi.cli.cmd_load import print_report
from lashi.cli.progress import steps
from lashi.store import load_directory, open_workspace
from lashi.workflow import enrich_tones, ranking, run_evaluation, write_outputs


def _busiest_month(ws) -> str:
    con = ws.connect(read_only=True)
    try:
        # The last month with at least 80% of the busiest month's cases: a full, recent month.
        rows = con.execute("SELECT strftime(created_at, '%Y-%m') AS m, count(*) FROM cases GROUP BY m ORDER BY m").fetchall()
    finally:
        con.close()
    peak = max(n for _, n in rows)
    return [m for m, n in rows if n >= 0.8 * peak][-1]


@click.command("demo")
@click.option("--dir", "demo_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"),
              show_default=True, help="Where the sample, workspace and results go.")
@click.option("--cases", default=60000, show_default=True)
@click.option("--months", default=12, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--period", default=None, help="Period to evaluate (default: the last full month of the sample).")
@click.pass_context
def command(ctx, demo_dir: Path, cases: int, months: int, seed: int, period: str | None) -> None:
    """Generate the sample, load it, notarize its live sessions, judge reply tone, evaluate every
    subject, write the results and print a summary.

    演示：生成样例数据、载入、直播内容存证、语气判断、评估全部主体、写出结果并打印摘要。
    """
    from lashi.sample import generate

    console = Console()
    data, wsdir = demo_dir / "data", demo_dir / "workspace"
    manifest = data / "manifest.json"
    want = {"cases": cases, "months": months, "seed": seed}
    have = json.loads(manifest.read_text()) if manifest.exists() else {}
    console.print(Rule("1 样例数据 / sample data"))
    if all(have.get(k) == v for k, v in want.items()):
        console.print(f"sample already in {data} (cases={cases}, months={months}, seed={seed})")
    else:
        generate(data, cases=cases, months=months, seed=seed, progress=True)
        if wsdir.exists():
            import shutil

            shutil.rmtree(wsdir)
    ws = open_workspace(wsdir)
    console.print(Rule("2 载入 / load"))
    with steps(console, "载入 loading") as say:
        report = load_directory(ws, data, progress=say)
    print_report(report, console)
    console.print(Rule("3 存证与语气 / evidence log and reply tone"))
    from lashi.cli.cmd_evidence import command as evidence

    ctx.invoke(evidence.commands["init"], workspace=wsdir)
    ctx.invoke(evidence.commands["sync"], workspace=wsdir)
    n = enrich_tones(ws, progress=console.print)
    console.print(f"tone judged for {n} agent messages / 已判断 {n} 条客服回复语气")
    console.print(Rule("4 评估 / evaluation"))
    period = period or _busiest_month(ws)
    with steps(console, f"评估 evaluating {period}") as say:
        run = run_evaluation(ws, period, progress=say)
    rk = ranking(run)
    for kind in ("industry", "platform", "streamer", "brand", "mcn"):
        print_ranking(console, rk, kind, 8)
    out = demo_dir / "results" / run.period.label
    write_outputs(run, out)
    from lashi.cli.demo_governance import governance_section

    try:  # cards, ratings, validation, forecasts and reserve of the month (docs/governance.md)
        governance_section(console, ws, run.period.months()[-1], out, wsdir)
    except ValueError as e:
        console.print(f"[yellow]治理/验证/预警未完成 governance section skipped:[/] {e}")
    console.print(Rule("5 下一步 / next"))
    streamers = rk[(rk.subject_kind == "streamer") & rk["index"].notna()]
    worst = streamers.iloc[-1]["subject_id"] if len(streamers) else None
    console.print(f"结果 results: {out}")
    if worst:
        console.print(f"最弱主播的改进建议 / what the weakest streamer should fix first:\n"
                      f"  .venv/bin/lashi explain {worst} --period {run.period.label} -w {wsdir}")
    from lashi.cases.service.store import CaseService

    svc = CaseService(ws)              # a read-only evaluator key for the dashboard
    try:
        _, key = svc.create_key("evaluator")
    finally:
        svc.close()
    console.print(f"仪表盘 dashboard:\n  .venv/bin/lashi serve -w {wsdir}\n"
                  f"  打开 open http://127.0.0.1:8000/ui/login\n"
                  f"  评估方只读密钥 read-only evaluator key: {key}\n"
                  f"公开看板 public board: http://127.0.0.1:8000/board", soft_wrap=True)
    console.print(f"评估报告 evaluation report (HTML/PDF/Excel, --lang zh|en):\n"
                  f"  .venv/bin/lashi report -p {run.period.label} -w {wsdir} --lang zh,en", soft_wrap=True)
    console.print(f"更多 more: .venv/bin/lashi --help")
