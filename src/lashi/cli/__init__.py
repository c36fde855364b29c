"""The `lashi` command line. Each `cmd_*.py` module in this package defines one click command or
group named `command`; they are discovered here, so a new face adds a file, not an edit."""
from __future__ import annotations

import importlib
import pkgutil

import click

from lashi import __version__


class _Discovered(click.Group):
    def _modules(self) -> dict[str, str]:
        import lashi.cli as pkg

        found = {}
        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name.startswith("cmd_"):
                found[info.name[4:].replace("_", "-")] = f"lashi.cli.{info.name}"
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._modules())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        mod = self._modules().get(name)
        if mod is None:
            return None
        return importlib.import_module(mod).command


@click.group(cls=_Discovered, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lashi")
def main() -> None:
    """LASHI — 美妆直播售后健康指数 / Livestream After-Sales Health Index.

    Evaluate and improve the after-sales service of beauty products sold through livestream
    e-commerce. 评估并改进美妆直播带货的售后服务。
    """
