"""`lashi report`: the evaluation report (评估报告) as HTML, PDF and Excel, in Chinese or English."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lashi.cli.common import workspace_option
from lashi.scoring.config import ConfigError, load_catalogue
from lashi.store import open_workspace

# progress steps reported by each part (an estimate for the bar; it never runs past the end)
_STEPS = {"evaluation": 10, "governance": 6, "validation": 8, "forecast": 3, "per_language": 4}


def _split(values: tuple[str, ...]) -> list[str]:
    return [x.strip().lower() for v in values for x in v.split(",") if x.strip()]


@click.command("report")
@click.option("--period", "-p", required=True, help="2025-11, 2025-Q4, 2025 or 2025-11-01..2025-11-30")
@click.option("--lang", "langs", multiple=True, default=("zh",), show_default=True,
              help="zh or en (repeat or give zh,en for both). 报告语言。")
@click.option("--format", "formats", multiple=True, default=("html,pdf,xlsx",), show_default=True,
              help="Any of html, pdf, xlsx (comma-separated or repeated).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the files here (default WORKSPACE/results/PERIOD/report).")
@click.option("--context", default="auto", show_default=True,
              help="auto (slices by context) | none (base weights) | a context id, as in `lashi evaluate`.")
@click.option("--skip", multiple=True, type=click.Choice(["governance", "validation", "forecast"]),
              help="Leave a part out (each reads the store again; repeatable).")
@click.option("--runs", default=20, show_default=True, help="Sensitivity re-runs for the validation part.")
@click.option("--bootstrap", "B", type=int, default=None, help="Bootstrap replicates for the intervals (default from weights.yaml).")
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your indicator catalogue overrides (YAML).")
@click.option("--weights", "weights_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your weights/contexts overrides (YAML).")
@click.option("--strategies", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your chapter 5–6 strategies per dimension (YAML, see lashi/report/strategies.yaml).")
@workspace_option
def command(period, langs, formats, out, context, skip, runs, B, catalogue, weights_file, strategies, workspace) -> None:
    """Write the evaluation report for a period, shaped like the report's chapter 4: the industry's
    index and band with interval and cases, the six dimensions with their indicators against
    targets and standard lines, differences between platforms, streamers (head/mid/small), brands
    (international/domestic/niche) and MCNs, root causes, remedies from chapters 5–6, governance,
    three-month risk outlook, validation verdicts and the method appendix.

    HTML is one self-contained file; the PDF is printed from it by headless Chromium (needs
    `chromium` and `fonts-noto-cjk`); the Excel workbook has one formatted sheet per table.

    生成评估报告（HTML、PDF、Excel；中文或英文）：行业指数与等级、六大维度与指标、主体差异、问题根源、
    改进建议、治理要点、风险预警、验证结论与方法附录。
    """
    from lashi.report import FORMATS, PdfError, collect, find_chromium, write_report

    console = Console()
    langs_l = _split(langs) or ["zh"]
    bad = [x for x in langs_l if x not in ("zh", "en")]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: choose zh or en", param_hint="--lang")
    fmts = _split(formats)
    badf = [f for f in fmts if f not in FORMATS]
    if badf:
        raise click.BadParameter(f"{', '.join(badf)}: choose from {', '.join(FORMATS)}", param_hint="--format")
    if "pdf" in fmts and not find_chromium():
        raise click.ClickException("PDF needs Chromium: apt-get install chromium fonts-noto-cjk (or set LASHI_CHROMIUM), "
                                   "or leave pdf out of --format / 生成PDF需要安装 chromium 与 fonts-noto-cjk")
    ws = open_workspace(workspace)
    parts = tuple(p for p in ("governance", "validation", "forecast") if p not in skip)
    total = _STEPS["evaluation"] + sum(_STEPS[p] for p in parts) + _STEPS["per_language"] * len(langs_l)
    try:
        cat = load_catalogue(catalogue, weights_file) if (catalogue or weights_file) else None
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[step]}"), TimeElapsedColumn(), console=console, transient=True) as prog:
            task = prog.add_task("报告 report", total=total, step="")

            def say(step: str) -> None:
                prog.update(task, step=step)
                if prog.tasks[0].completed < total - 1:
                    prog.advance(task)

            data = collect(ws, period, context=context, B=B, parts=parts, sensitivity_runs=runs, progress=say,
                           catalogue=cat)
            written = {}
            for lang in langs_l:
                written[lang] = write_report(data, out or (ws.path / "results" / data.period / "report"), lang=lang,
                                             formats=fmts, strategies=str(strategies) if strategies else None,
                                             progress=lambda m, lang=lang: say(f"{lang}: {m}"))
            prog.update(task, completed=total, step="done / 完成")
    except (ConfigError, ValueError, FileNotFoundError, KeyError) as e:
        raise click.ClickException(str(e)) from None
    except PdfError as e:
        raise click.ClickException(str(e)) from None
    row = data.industry_row
    console.print(f"[bold]{data.period}[/] 行业售后健康指数 industry index [bold]{row['index']:.1f}[/] "
                  f"({row['lo']:.1f}–{row['hi']:.1f}) {row['band_zh']} {row['band_en']}, {int(row['cases']):,} cases")
    for note in data.notes:
        console.print(f"[yellow]注意 note:[/] {note}")
    for lang, paths in written.items():
        for fmt, p in paths.items():
            console.print(f"  {lang} {fmt:4s} {p}")

