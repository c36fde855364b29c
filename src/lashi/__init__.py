"""LASHI — Livestream After-Sales Health Index (美妆直播售后健康指数)."""

__version__ = "0.1.0"
