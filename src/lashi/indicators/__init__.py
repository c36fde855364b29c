"""The indicators: one definition each (definitions.py), run by an engine over unit tables."""
