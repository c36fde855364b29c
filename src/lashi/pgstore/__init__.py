"""PostgreSQL as the server store (issue 9): the case service and the evidence log on a shared
PostgreSQL database, for several API workers or servers writing at once. The embedded DuckDB
workspace stays the default and remains what the evaluation reads (`lashi store pull`)."""
from .db import PgConnection, connect, is_postgres, qmark_to_format, redact

__all__ = ["PgConnection", "connect", "is_postgres", "qmark_to_format", "redact"]
