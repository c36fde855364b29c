"""Writing result tables out as CSV files (one per table), for the commands that produce them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_csv_tables(frames: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each frame to OUT/<name>.csv (UTF-8, no index); return the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in frames.items():
        p = out / f"{name}.csv"
        df.to_csv(p, index=False, encoding="utf-8")
        written.append(p)
    return written
