"""Reading the store: where data/clean/ is, and its tables loaded with their dtypes and schemas."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.model import codes

from .schema import COLUMNS, typed
from .schema import validate as validate_table


class StoreError(Exception):
    """The store could not be read or written; the message is one line and the tables on disk are unchanged."""


def _project_root() -> Path:
    """The checkout this package runs from (the folder holding ``pyproject.toml``), else the cwd."""
    here = Path(__file__).resolve()
    return next((p for p in here.parents if (p / "pyproject.toml").exists()), Path.cwd())


PROJECT_ROOT = _project_root()
DEFAULT_CLEAN = Path("data/clean")


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """The clean-data folder: the one given, else $ANALYSIS_DATA, else ./data/clean, else the project's.
    An empty value (notebook parameters use ``""``) means the default."""
    if data_dir:
        return Path(data_dir).expanduser()
    if os.environ.get("ANALYSIS_DATA"):
        return Path(os.environ["ANALYSIS_DATA"])
    if DEFAULT_CLEAN.exists():
        return DEFAULT_CLEAN
    return PROJECT_ROOT / DEFAULT_CLEAN


def table_path(table: str, data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / f"{table}.parquet"


def read_parquet(path: Path) -> pd.DataFrame:
    """A stored table; a file that is not readable Parquet raises StoreError (one line) instead of a
    pyarrow traceback, and is never overwritten by a merge that would lose its rows."""
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreError(
            f"{path}: damaged table, not readable as Parquet ({first}): move it away and run ingest again"
        ) from None


def load_table(table: str, data_dir: str | Path | None = None, validate: bool = True) -> pd.DataFrame:
    """One tidy table with its dtypes (categories for codes, Int64 counts), validated by its schema."""
    if table not in COLUMNS:
        raise ValueError(f"unknown table {table!r}; tables are: {', '.join(codes.TABLES)}")
    path = table_path(table, data_dir)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: build the tables first with `python -m analysis ingest data/raw --out "
            f"{path.parent}`"
        )
    df = typed(table, read_parquet(path))
    return validate_table(table, df) if validate else df


def empty_table(table: str) -> pd.DataFrame:
    """An empty frame with a table's contract columns and dtypes, so views work on a table with no rows."""
    return typed(table, pd.DataFrame(columns=COLUMNS[table]))


def load_all(data_dir: str | Path | None = None, validate: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of the store, by name (missing tables come back empty)."""
    out = {}
    for t in codes.TABLES:
        try:
            out[t] = load_table(t, data_dir, validate)
        except FileNotFoundError:
            out[t] = empty_table(t)
    return out


def load_tables(
    data_dir: str | Path | None = None, tables: Iterable[str] = codes.TABLES, validate: bool = False
) -> dict[str, pd.DataFrame]:
    """Load tidy tables from the clean store (a missing table comes back empty).

    Not validated by default so that one odd value elsewhere does not stop a brief; the
    ``data_quality`` notebook validates. Raises FileNotFoundError (with the command to run) when the
    folder holds no tables at all.
    """
    path = resolve_data_dir(data_dir).resolve()
    if not path.is_dir() or not any(path.glob("*.parquet")):
        raise FileNotFoundError(
            f"no clean tables in {path}: build them with `python -m analysis ingest data/raw --out {path}`"
        )
    out: dict[str, pd.DataFrame] = {}
    for table in tables:
        try:
            out[table] = load_table(table, data_dir=path, validate=validate)
        except FileNotFoundError:
            out[table] = empty_table(table)
    return out
