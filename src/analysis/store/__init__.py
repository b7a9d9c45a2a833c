"""The Parquet store in data/clean/: one file per tidy table, keyed by report_id, replaced whole by each save.

``load`` finds the current generation and reads its tables, ``merge`` adds new reports to them,
``write`` puts a new generation on disk and makes it current (the layout is described there),
``schema`` holds their contracts and ``choose`` the document the views use for a bureau-year."""

from __future__ import annotations

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
from .write import check_tables, save

__all__ = [
    "DEFAULT_CLEAN",
    "PROJECT_ROOT",
    "StoreError",
    "check_tables",
    "empty_table",
    "load_all",
    "load_table",
    "load_tables",
    "read_parquet",
    "resolve_data_dir",
    "save",
    "table_path",
]
