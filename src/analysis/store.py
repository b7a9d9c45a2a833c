"""The Parquet store in data/clean/: one file per tidy table, written atomically, keyed by report_id."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from . import codes
from .schema import COLUMNS, typed
from .schema import validate as validate_table


def _project_root() -> Path:
    """The checkout this package runs from (the folder holding ``pyproject.toml``), else the cwd."""
    here = Path(__file__).resolve()
    return next((p for p in here.parents if (p / "pyproject.toml").exists()), Path.cwd())


PROJECT_ROOT = _project_root()
DEFAULT_CLEAN = Path("data/clean")


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """The clean-data folder: the one given, else $ANALYSIS_DATA, else ./data/clean, else the project's."""
    if data_dir is not None:
        return Path(data_dir)
    if os.environ.get("ANALYSIS_DATA"):
        return Path(os.environ["ANALYSIS_DATA"])
    if DEFAULT_CLEAN.exists():
        return DEFAULT_CLEAN
    return PROJECT_ROOT / DEFAULT_CLEAN


def table_path(table: str, data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / f"{table}.parquet"


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
    df = typed(table, pd.read_parquet(path))
    return validate_table(table, df) if validate else df


def load_all(data_dir: str | Path | None = None, validate: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of the store, by name (missing tables come back empty)."""
    out = {}
    for t in codes.TABLES:
        try:
            out[t] = load_table(t, data_dir, validate)
        except FileNotFoundError:
            out[t] = typed(t, pd.DataFrame(columns=COLUMNS[t]))
    return out


def write_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write Parquet to a temporary file beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(frames: dict[str, pd.DataFrame], data_dir: str | Path | None = None) -> dict[str, int]:
    """Merge new reports into the store: their report_ids (and older versions of the same source
    files) are replaced, never duplicated. Returns the row count of each table after the merge."""
    out_dir = resolve_data_dir(data_dir)
    new_reports = frames["reports"]
    ids = set(new_reports["report_id"].dropna())
    old_reports_path = table_path("reports", out_dir)
    if old_reports_path.exists():
        old = pd.read_parquet(old_reports_path, columns=["report_id", "source_path"])
        stale = old[old["source_path"].isin(set(new_reports["source_path"]))]["report_id"]
        ids |= set(stale)
    counts = {}
    for table in codes.TABLES:
        new = typed(table, frames.get(table, pd.DataFrame(columns=COLUMNS[table])))
        path = table_path(table, out_dir)
        if path.exists():
            old = typed(table, pd.read_parquet(path))
            old = old[~old["report_id"].isin(ids)]
            merged = pd.concat([old, new], ignore_index=True) if len(old) else new
        else:
            merged = new
        merged = typed(table, merged)
        sort_cols = [c for c in ("year", "bureau", "report_id") if c in merged.columns]
        merged = merged.sort_values(sort_cols, kind="stable", na_position="last").reset_index(drop=True)
        validate_table(table, merged)
        write_atomic(merged, path)
        counts[table] = len(merged)
    return counts
