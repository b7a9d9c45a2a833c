"""The Parquet store in data/clean/: one file per tidy table, written atomically, keyed by report_id."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.model import codes

from . import choose as dedupe

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
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


def _stage(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` to a temporary file beside ``path`` (removed again if writing fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir/.lock`` so two ingests into one store take turns instead of losing each other's rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # Windows: no advisory locks; single writer assumed
        yield
        return
    with open(out_dir / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another ingest writing to {out_dir} …", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _schema_message(table: str, path: Path, err: pa.errors.SchemaErrors) -> str:
    """One line out of pandera's report: which columns failed which checks, with an example value."""
    fc = err.failure_cases
    parts = []
    for (col, check), grp in fc.groupby(["column", "check"], dropna=False, sort=False):
        example = grp["failure_case"].iloc[0]
        parts.append(f"{col}: {check} ({len(grp)} rows, e.g. {example!r})")
    return f"{path}: schema check failed for table {table}, nothing written: " + "; ".join(parts[:4])


def check_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Validate every table with its pandera schema; raise StoreError (one line) on the first that fails."""
    for table, df in tables.items():
        try:
            validate_table(table, df)
        except pa.errors.SchemaErrors as err:
            raise StoreError(_schema_message(table, table_path(table, out_dir), err)) from None


def _paths(row: pd.Series) -> list[str]:
    """All the paths a reports row records: its source_path, then its duplicate_paths."""
    extra = row.get("duplicate_paths")
    return [str(row["source_path"]), *(str(extra).split("\n") if isinstance(extra, str) and extra else [])]


def _merge_reports(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The reports table after adding ``new`` to ``old``, and the report_ids whose old records go.

    A path now read belongs to the report read from it: an old report keeps only its other paths (and
    goes when none is left). A report already stored under other paths that still exist keeps them as
    ``duplicate_paths``: the same bytes under two names are one report with both paths recorded."""
    new_paths = {p for _, row in new.iterrows() for p in _paths(row)}
    new_ids = set(new["report_id"])
    dropped: set[str] = set(new_ids)
    kept_old = []
    carried: dict[str, list[str]] = {}
    touched = (
        old["report_id"].isin(new_ids) | old["source_path"].isin(new_paths) | old["duplicate_paths"].notna()
    )
    untouched, old = old[~touched], old[touched]  # most of a large store: kept as they are
    for _, row in old.iterrows():
        rest = [p for p in _paths(row) if p not in new_paths]
        if row["report_id"] in new_ids:
            carried[row["report_id"]] = [p for p in rest if Path(p).exists()]
            continue
        if not rest:
            dropped.add(row["report_id"])
            continue
        row = row.copy()
        row["source_path"], row["duplicate_paths"] = rest[0], "\n".join(rest[1:]) or None
        kept_old.append(row)
    new = new.copy()
    for i, row in new.iterrows():
        paths = list(dict.fromkeys(_paths(row) + carried.get(row["report_id"], [])))
        new.at[i, "duplicate_paths"] = "\n".join(paths[1:]) or None
    old_part = typed("reports", pd.DataFrame(kept_old, columns=old.columns))
    parts = [df for df in (untouched, old_part) if len(df)]
    merged = pd.concat([*parts, new], ignore_index=True) if parts else new
    return merged, dropped - new_ids


def _typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``typed``, skipped when the frame already has the table's columns and dtypes (most of a large
    store, concatenated from typed parts): the conversion is the costly part of a merge."""
    want = typed(table, pd.DataFrame(columns=COLUMNS[table])).dtypes
    if list(df.columns) == COLUMNS[table] and all(df[c].dtype == want[c] for c in COLUMNS[table]):
        return df
    return typed(table, df)


def save(frames: dict[str, pd.DataFrame], data_dir: str | Path | None = None) -> dict[str, int]:
    """Merge new reports into the store and write it safely. Returns the row count of each table.

    New reports replace their report_ids and the old reports of the same source paths, never
    duplicate them; several documents for one bureau and year are all kept and one is chosen
    (``dedupe``). Every table is validated before any is written, all are staged as temporary files
    and only then renamed over the old ones: a failed check or a killed process leaves the previous
    tables in place. Raises StoreError (one line) when a table fails its schema.
    """
    out_dir = resolve_data_dir(data_dir)
    with _locked(out_dir):
        for stale in out_dir.glob(".*.parquet.*.tmp"):  # left by a writer that was killed
            stale.unlink(missing_ok=True)
        new_frames = {t: typed(t, frames.get(t, pd.DataFrame(columns=COLUMNS[t]))) for t in codes.TABLES}
        old_frames = {
            t: _typed(t, read_parquet(table_path(t, out_dir)))
            for t in codes.TABLES
            if table_path(t, out_dir).exists()
        }
        old_reports = old_frames.get("reports", typed("reports", pd.DataFrame(columns=COLUMNS["reports"])))
        reports, gone = _merge_reports(old_reports, new_frames["reports"])
        replaced = set(new_frames["reports"]["report_id"]) | gone
        merged: dict[str, pd.DataFrame] = {"reports": reports}
        for table in codes.TABLES[1:]:
            new = new_frames[table]
            old = old_frames.get(table)
            if old is not None and len(old):
                old = old[~old["report_id"].isin(replaced)]
                merged[table] = pd.concat([old, new], ignore_index=True) if len(old) else new
            else:
                merged[table] = new
        merged = dedupe.apply({t: _typed(t, df) for t, df in merged.items()})
        for table, df in merged.items():
            df = _typed(table, df)
            sort_cols = [c for c in ("year", "bureau", "report_id") if c in df.columns]
            merged[table] = df.sort_values(sort_cols, kind="stable", na_position="last").reset_index(
                drop=True
            )
        check_tables(merged, out_dir)
        staged: dict[Path, Path] = {}
        try:
            for table, df in merged.items():
                path = table_path(table, out_dir)
                staged[path] = _stage(df, path)
        except BaseException:
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)
            raise
        for path, tmp in staged.items():  # all tables are written: now swap them in, one rename each
            os.replace(tmp, path)
    return {table: len(df) for table, df in merged.items()}
