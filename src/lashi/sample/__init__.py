"""Realistic sample data (spec §2, §11): `generate(out_dir, cases, months, seed, start, fmt)` writes
one file per contract table plus a hidden truth (DIR/_truth/) and DIR/manifest.json."""
from .generate import generate

__all__ = ["generate"]
