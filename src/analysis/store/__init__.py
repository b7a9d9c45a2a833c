"""The Parquet store in data/clean/: each tidy table a year-partitioned Parquet dataset, keyed by
report_id, replaced whole by each save.

``load`` finds the current generation and reads its tables (or the slice asked for: years, report_ids,
bureaus, regions, see ``slice``), ``parts`` is the partitioned layout of a table, ``merge`` adds new
reports to them, ``write`` puts a new generation on disk and makes it current (the layout is described
there), ``duck`` puts DuckDB views over the same files, ``schema`` holds their contracts and
``choose`` the document the views use for a bureau-year."""

from __future__ import annotations

from .duck import duckdb_connection
from .load import (
    DEFAULT_CLEAN,
    PROJECT_ROOT,
    StoreError,
    empty_table,
    load_all,
    load_table,
    load_tables,
    read_parquet,
    resolve_data_dir,
    table_path,
)
from .slice import region_matches
from .write import check_tables, save

__all__ = [
    "DEFAULT_CLEAN",
    "PROJECT_ROOT",
    "StoreError",
    "check_tables",
    "duckdb_connection",
    "empty_table",
    "load_all",
    "load_table",
    "load_tables",
    "read_parquet",
    "region_matches",
    "resolve_data_dir",
    "save",
    "table_path",
]
