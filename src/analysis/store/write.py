"""Writing the store: every table validated, staged beside the old ones and swapped in, under a lock."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.model import codes

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
from .load import StoreError, read_parquet, resolve_data_dir, table_path
from .merge import _typed, merge
from .schema import COLUMNS, typed
from .schema import validate as validate_table


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
        merged = merge(old_frames, new_frames)
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
