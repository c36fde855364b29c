"""`lashi enrich`: judge what the models judge (agent-reply tone for M1) on loaded data."""
from __future__ import annotations

import click
from rich.console import Console

from lashi.cli.common import workspace_option
from lashi.store import open_workspace
from lashi.workflow import enrich_tones


@click.command("enrich")
@workspace_option
def command(workspace) -> None:
    """Judge the tone of agent replies not yet judged (feeds indicator M1), with the shipped model.

    用内置语气模型判断尚未标注的客服回复语气（用于指标M1）。
    """
    console = Console()
    n = enrich_tones(open_workspace(workspace), progress=console.print)
    console.print(f"已标注 {n} 条客服消息的语气 / tone judged for {n} agent messages")
