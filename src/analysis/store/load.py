"""Reading the store: where data/clean/ is, which generation of it is current, and its tables loaded
with their dtypes and schemas, all from that one generation."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

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
    """Where people and messages find a table: ``data_dir/<table>.parquet`` (in a store written by
    ``save``, a link into the current generation)."""
    return resolve_data_dir(data_dir) / f"{table}.parquet"


POINTER = "CURRENT"  # names the generation in use; replaced whole by the writer (os.replace)
LINK = "current"  # a symlink to that generation, for reading the Parquet files directly
GENERATION = re.compile(r"gen-(\d{6,})")  # gen-000001, gen-000002 …: one folder of tables per save


def generation_dir(data_dir: Path) -> Path:
    """The folder holding the tables in use: the generation named by ``data_dir/CURRENT``, or
    ``data_dir`` itself for a store in the old flat layout (and for a generation folder given directly)."""
    try:
        name = (data_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return data_dir
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{data_dir / POINTER}: not readable ({exc}): run ingest again") from None
    if not GENERATION.fullmatch(name):
        raise broken_pointer(data_dir, name)
    return data_dir / name


def broken_pointer(data_dir: Path, name: str) -> StoreError:
    """The error for a ``CURRENT`` that names no generation folder of the store (edited by hand)."""
    return StoreError(
        f"{data_dir / POINTER}: names {name!r}, which is not a generation folder of this store: "
        "move the folder away and run ingest again"
    )


def read_parquet(path: Path | BinaryIO, shown: Path | None = None) -> pd.DataFrame:
    """A stored table; a file that is not readable Parquet raises StoreError (one line, naming the file
    as ``shown``) instead of a pyarrow traceback, and is never overwritten by a merge that would lose its
    rows."""
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreError(
            f"{shown or path}: damaged table, not readable as Parquet ({first}): move it away and run "
            "ingest again"
        ) from None


@contextlib.contextmanager
def _pinned(data_dir: Path, tables: Iterable[str]) -> Iterator[tuple[Path, dict[str, BinaryIO | None]]]:
    """The generation in use and its files of these tables, all opened at once (None: not stored).

    The generation is looked up once, so the tables of one load all come from one save; holding the
    files open keeps them readable even when later saves remove that generation meanwhile. Should it go
    between the look-up and the opening, a newer one is current: look again."""
    tables = list(tables)
    for _ in range(5):
        folder = generation_dir(data_dir)
        with contextlib.ExitStack() as stack:
            files: dict[str, BinaryIO | None] = {}
            for t in tables:
                try:
                    files[t] = stack.enter_context(open(folder / f"{t}.parquet", "rb"))
                except FileNotFoundError:
                    files[t] = None
            if folder == data_dir or folder.is_dir():
                yield folder, files
                return
        if generation_dir(data_dir) == folder:
            raise broken_pointer(data_dir, folder.name)
    raise StoreError(f"{data_dir}: the current generation kept changing while loading: try again")


def _read(table: str, fh: BinaryIO, data_dir: Path, validate: bool) -> pd.DataFrame:
    df = typed(table, read_parquet(fh, shown=data_dir / f"{table}.parquet"))
    return validate_table(table, df) if validate else df


def _missing(data_dir: Path, table: str) -> FileNotFoundError:
    path = data_dir / f"{table}.parquet"
    return FileNotFoundError(
        f"{path} does not exist: build the tables first with `python -m analysis ingest data/raw --out "
        f"{path.parent}`"
    )


def load_table(table: str, data_dir: str | Path | None = None, validate: bool = True) -> pd.DataFrame:
    """One tidy table with its dtypes (categories for codes, Int64 counts), validated by its schema."""
    if table not in COLUMNS:
        raise ValueError(f"unknown table {table!r}; tables are: {', '.join(codes.TABLES)}")
    folder = resolve_data_dir(data_dir)
    with _pinned(folder, [table]) as (_, files):
        if files[table] is None:
            raise _missing(folder, table)
        return _read(table, files[table], folder, validate)


def empty_table(table: str) -> pd.DataFrame:
    """An empty frame with a table's contract columns and dtypes, so views work on a table with no rows."""
    return typed(table, pd.DataFrame(columns=COLUMNS[table]))


def _load(folder: Path, tables: Iterable[str], validate: bool, must_exist: bool) -> dict[str, pd.DataFrame]:
    """These tables of one generation (a missing table comes back empty)."""
    tables = list(tables)
    for table in tables:
        if table not in COLUMNS:
            raise ValueError(f"unknown table {table!r}; tables are: {', '.join(codes.TABLES)}")
    with _pinned(folder, tables) as (gen, files):
        if must_exist and (not gen.is_dir() or not any(gen.glob("*.parquet"))):
            raise FileNotFoundError(
                f"no clean tables in {folder}: build them with `python -m analysis ingest data/raw --out "
                f"{folder}`"
            )
        return {
            t: empty_table(t) if fh is None else _read(t, fh, folder, validate) for t, fh in files.items()
        }


def load_all(data_dir: str | Path | None = None, validate: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of the store, by name, all of one generation (missing tables come back empty)."""
    return _load(resolve_data_dir(data_dir), codes.TABLES, validate, must_exist=False)


def load_tables(
    data_dir: str | Path | None = None,
    tables: Iterable[str] = codes.TABLES,
    validate: bool = False,
    *,
    years: Iterable[int] | None = None,
    report_ids: Iterable[str] | None = None,
    bureaus: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Load tidy tables from the clean store, all of one generation (a missing table comes back empty).

    ``years``, ``report_ids``, ``bureaus`` and ``regions`` (a region matches as ``views.scope`` does:
    ``淮安市`` matches ``江苏省淮安市``) keep only the rows of the reports they select (None: no limit).
    Not validated by default so that one odd value elsewhere does not stop a brief; the
    ``data_quality`` notebook validates. Raises FileNotFoundError (with the command to run) when the
    folder holds no tables at all.
    """
    folder = resolve_data_dir(data_dir).resolve()
    if years is None and report_ids is None and bureaus is None and regions is None:
        return _load(folder, tables, validate, must_exist=True)
    # MINIMAL SLICE (branch `bulk`): load whole, then filter. The `parts` branch replaces this with
    # push-down reads of the year-partitioned store behind the same signature.
    tables = list(tables)
    loaded = _load(folder, dict.fromkeys(["reports", *tables]), validate, must_exist=True)
    keep = _selected(loaded["reports"], years, report_ids, bureaus, regions)
    return {t: loaded[t][loaded[t]["report_id"].isin(keep)].reset_index(drop=True) for t in tables}


def _selected(
    reports: pd.DataFrame,
    years: Iterable[int] | None,
    report_ids: Iterable[str] | None,
    bureaus: Iterable[str] | None,
    regions: Iterable[str] | None,
) -> pd.Index:
    """The report_ids of the reports every given filter keeps (part of the minimal slice above)."""
    ok = pd.Series(True, index=reports.index)
    if years is not None:
        ok &= reports["year"].isin([int(y) for y in years])
    if report_ids is not None:
        ok &= reports["report_id"].astype("string").isin([str(r) for r in report_ids])
    if bureaus is not None:
        ok &= reports["bureau"].astype("string").isin([str(b) for b in bureaus])
    if regions is not None:
        region = reports["region"].astype("string").fillna("")
        hit = pd.Series(False, index=reports.index)
        for r in map(str, regions):
            hit |= (region == r) | (region.str.endswith(r) & (region.str.len() > len(r)) & (r != ""))
        ok &= hit
    return pd.Index(reports.loc[ok, "report_id"].astype("string"))
