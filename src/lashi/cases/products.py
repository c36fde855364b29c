"""Product label lookup for the triage/claims commands: the workspace store (DuckDB
WORKSPACE/lashi.duckdb, table `products`, `ingredients` VARCHAR[] in label order), else the
bundled demo products derived from real rows of the Kaggle cosmetics set."""
from __future__ import annotations

import csv
from pathlib import Path

from .ingredients import split_label

DEMO = Path(__file__).resolve().parent / "data" / "demo_products.csv"


def demo_products() -> dict[str, dict]:
    with open(DEMO, encoding="utf-8") as f:
        return {r["product_id"]: r for r in csv.DictReader(f)}


def product_label(product_id: str, workspace: Path | None = None) -> tuple[list[str], str]:
    """(ingredients in label order, where it came from). Raises KeyError when unknown; its
    message says why when the store could not be read (e.g. locked by a running `lashi serve`)."""
    db = Path(workspace) / "lashi.duckdb" if workspace else None
    store_error = None
    if db is not None and db.exists():
        try:
            import duckdb

            con = duckdb.connect(str(db), read_only=True)
            try:
                cols = [r[0] for r in con.execute(
                    "select column_name from information_schema.columns where table_name='products'").fetchall()]
                idcol = "product_id" if "product_id" in cols else "id"
                row = con.execute(f"select ingredients from products where {idcol} = ?", [product_id]).fetchone()
            finally:
                con.close()
            if row is not None and row[0] is not None:
                ings = list(row[0]) if not isinstance(row[0], str) else split_label(row[0])
                return ings, f"store:{db}"
        except Exception as e:  # store locked by a writer / different schema: try the demo set
            store_error = f"{type(e).__name__}: {e}"
    demos = demo_products()
    if product_id in demos:
        return split_label(demos[product_id]["ingredients"]), f"demo:{demos[product_id]['brand']} {demos[product_id]['name']}"
    if store_error:
        raise KeyError(f"{product_id} (the store {db} could not be read / 无法读取数据库: {store_error})")
    raise KeyError(product_id)
