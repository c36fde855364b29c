"""A small progress display for long jobs (rich spinner with the current step)."""
from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def steps(console: Console, title: str):
    """Yield a `say(step)` callable that shows the current step of a long job."""
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[step]}"),
                  TimeElapsedColumn(), console=console, transient=True) as prog:
        task = prog.add_task(title, step="")

        def say(step: str) -> None:
            prog.update(task, step=step)
            prog.advance(task)

        yield say
