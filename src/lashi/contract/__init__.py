"""The data contract: tables, columns, enums and row rules (spec §2). Imports nothing of lashi."""
from . import enums
from .schema import Column, RowRule, Table
from .tables import BY_NAME, TABLES, table

__all__ = ["enums", "Column", "RowRule", "Table", "TABLES", "BY_NAME", "table"]
