"""DuckDB over the store's Parquet: one view per table over the current generation's partitioned files.

    con = store.duckdb_connection("data/clean")
    con.sql("SELECT bureau, sum(value) FROM requests WHERE year = 2024 AND row = 'new_received' GROUP BY 1").df()

The views have the tables' contract columns in their order (``year`` a BIGINT, NULL for the
``year=unknown`` partition); DuckDB reads only the year folders a ``year`` filter names (hive
partitioning) and skips row groups by ``bureau`` and ``report_id`` statistics. A connection stays on the
generation that was current when it was made (a save keeps the previous one for such readers); make a
new one to see later saves.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.model import codes

from . import parts
from .load import empty_table, generation_dir, resolve_data_dir
from .schema import COLUMNS

if TYPE_CHECKING:
    import duckdb


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column(name: str, partitioned: bool) -> str:
    if partitioned and name == parts.KEY:  # the folder name: a year, or "unknown" (NULL)
        return f'TRY_CAST("{name}" AS BIGINT) AS "{name}"'
    return f'"{name}"'


def view_sql(table: str, path: Path) -> str | None:
    """The SELECT a table's view is made of, over its files at ``path``; None when it is not stored."""
    if path.is_dir():
        source = (
            f"read_parquet({_quoted(str(path / '*' / '*.parquet'))}, hive_partitioning = true, "
            f"hive_types = {{'{parts.KEY}': 'VARCHAR'}})"
        )
        partitioned = True
    elif path.is_file():  # a generation written before partitions
        source, partitioned = f"read_parquet({_quoted(str(path))})", False
    else:
        return None
    columns = ", ".join(_column(c, partitioned) for c in COLUMNS[table])
    return f"SELECT {columns} FROM {source}"


def duckdb_connection(
    data_dir: str | Path | None = None, tables: Iterable[str] = codes.TABLES
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table (named as the table) over the store's
    current generation; a table not stored is an empty table with its columns."""
    import duckdb

    folder = generation_dir(resolve_data_dir(data_dir).resolve())
    con = duckdb.connect()
    for table in tables:
        if table not in COLUMNS:
            raise ValueError(f"unknown table {table!r}; tables are: {', '.join(codes.TABLES)}")
        sql = view_sql(table, folder / f"{table}.parquet")
        if sql is None:
            con.register(table, empty_table(table))
        else:
            con.execute(f'CREATE VIEW "{table}" AS {sql}')
    return con
