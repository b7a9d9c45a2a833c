"""Reading the store: where data/clean/ is, which generation of it is current, and its tables loaded
with their dtypes and schemas, all from that one generation."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from analysis.model import codes

from . import parts
from .schema import COLUMNS, STRING_COLUMNS, retyped, typed
from .schema import validate as validate_table
from .slice import Chosen, Slice


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


@dataclass(frozen=True)
class Part:
    """One open file of a stored table: a partition's (its ``year``; None for ``year=unknown``) or,
    in a generation written before partitions, the table's single file (``single``)."""

    fh: BinaryIO
    shown: Path  # the path messages name (under the folder the caller gave)
    year: int | None = None
    single: bool = False


def _open_table(
    folder: Path, shown: Path, table: str, keep: Callable[[int | None], bool], stack: contextlib.ExitStack
) -> list[Part] | None:
    """The files of one table in ``folder``, opened (only the partitions ``keep`` accepts); None when
    the table is not stored there."""
    path = folder / f"{table}.parquet"
    try:
        if path.is_dir():
            out = []
            for name, paths in parts.files(path).items():
                year = parts.partition_year(name)
                if keep(year):  # type: ignore[arg-type]
                    for p in paths:
                        fh = stack.enter_context(open(p, "rb"))
                        out.append(Part(fh, shown / f"{table}.parquet" / name / p.name, year))  # type: ignore[arg-type]
            return out
        return [Part(stack.enter_context(open(path, "rb")), shown / f"{table}.parquet", single=True)]
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _pinned(
    data_dir: Path, tables: Iterable[str], keep: Callable[[int | None], bool] = lambda year: True
) -> Iterator[tuple[Path, dict[str, list[Part] | None]]]:
    """The generation in use and the files of these tables in it (the partitions ``keep`` accepts),
    all opened at once (None: not stored).

    The generation is looked up once, so the tables of one load all come from one save; holding the
    files open keeps them readable even when later saves remove that generation meanwhile. Should it go
    between the look-up and the opening, a newer one is current: look again."""
    tables = list(tables)
    for _ in range(5):
        folder = generation_dir(data_dir)
        with contextlib.ExitStack() as stack:
            files = {t: _open_table(folder, data_dir, t, keep, stack) for t in tables}
            if folder == data_dir or folder.is_dir():
                yield folder, files
                return
        if generation_dir(data_dir) == folder:
            raise broken_pointer(data_dir, folder.name)
    raise StoreError(f"{data_dir}: the current generation kept changing while loading: try again")


_FORMAT = ds.ParquetFileFormat()


def _damaged(shown: Path, exc: Exception) -> StoreError:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(
        f"{shown}: damaged table, not readable as Parquet ({first}): move it away and run ingest again"
    )


def _fragment(part: Part) -> tuple[ds.Fragment, pa.Schema]:
    """One open file as a dataset fragment (its partition's year as the partition expression, read
    back as the ``year`` column) and its columns; a file that is not Parquet raises StoreError."""
    if part.single:
        expr = None
    elif part.year is None:
        expr = ds.field(parts.KEY).is_null()
    else:
        expr = ds.field(parts.KEY) == pa.scalar(part.year, pa.int64())
    try:
        fragment = _FORMAT.make_fragment(part.fh, partition_expression=expr)
        return fragment, fragment.physical_schema
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        raise _damaged(part.shown, exc) from None


def _strings(column: pa.ChunkedArray) -> pd.arrays.StringArray:
    """An Arrow string column as pandas ``string``, one Python string per distinct value shared by
    the rows holding it (a table repeats its report_ids and bureaus on every row: this takes a
    fraction of the memory and time of one string per row)."""
    values = []
    for chunk in column.chunks:
        codes = chunk.dictionary_encode()
        words = codes.dictionary.to_numpy(zero_copy_only=False)
        words = np.append(words.astype(object), pd.NA)
        values.append(words[codes.indices.fill_null(len(words) - 1).to_numpy(zero_copy_only=False)])
    out = np.concatenate(values) if values else np.array([], dtype=object)
    return pd.arrays.StringArray(out)


def to_pandas(table: str, data: pa.Table) -> pd.DataFrame:
    """The rows read, as pandas: the table's string columns by ``_strings``, the others by Arrow (their
    dtypes from the pandas metadata stored with them)."""
    names = [
        n
        for n, t in zip(data.column_names, data.schema.types, strict=True)
        if n in STRING_COLUMNS[table] and (pa.types.is_string(t) or pa.types.is_large_string(t))
    ]
    if not names:
        return data.to_pandas()
    df = data.drop_columns(names).to_pandas()
    for name in names:
        df[name] = _strings(data.column(name))
    return df[data.column_names]


def _read_arrow(
    table: str,
    files: list[Part],
    row_filter: Callable[[list[str]], ds.Expression | None] = lambda columns: None,
    years: frozenset[int] | None = None,
    columns: list[str] | None = None,
) -> tuple[pa.Table, bool]:
    """(rows, partitioned): a stored table's rows passing ``row_filter`` and of ``years``, read as one
    dataset with push-down filters, as Arrow (see :func:`_read_table`)."""
    fragments, schemas = zip(*(_fragment(p) for p in files), strict=True)
    key = [pa.field(parts.KEY, pa.int64())] if not files[0].single and parts.KEY in COLUMNS[table] else []
    try:
        schema = pa.unify_schemas([*schemas, pa.schema(key)], promote_options="permissive")
        flt = row_filter(schema.names)
        if years is not None and parts.KEY in schema.names:
            by_year = ds.field(parts.KEY).isin(sorted(years))
            flt = by_year if flt is None else flt & by_year
        dataset = ds.FileSystemDataset(list(fragments), schema, _FORMAT, pafs.LocalFileSystem())
        return dataset.to_table(columns=columns, filter=flt), bool(key)
    except (OSError, ValueError, TypeError) as exc:  # row groups not readable, partitions that do not fit
        raise _damaged(files[0].shown.parent.parent if key else files[0].shown, exc) from None


def _framed(table: str, data: pa.Table, key: bool, columns: list[str] | None = None) -> pd.DataFrame:
    """Rows read as Arrow as the table's pandas frame: its contract columns and dtypes (a partition's
    year as ``Int64``); with ``columns``, only those, as stored."""
    df = to_pandas(table, data)
    pa.default_memory_pool().release_unused()  # the Arrow buffers read, kept by its allocator otherwise
    if columns is not None:
        return df
    if key:
        df[parts.KEY] = pd.array(df[parts.KEY], dtype="Int64")
    return retyped(table, df.reindex(columns=COLUMNS[table]) if list(df.columns) != COLUMNS[table] else df)


def _read_table(
    table: str,
    files: list[Part],
    row_filter: Callable[[list[str]], ds.Expression | None] = lambda columns: None,
    years: frozenset[int] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """A stored table (the rows passing ``row_filter`` and of ``years``), read as one dataset with
    push-down filters, with its contract columns and dtypes (a partition's year as ``Int64``); with
    ``columns``, only those, as stored."""
    if not files:
        return empty_table(table)
    data, key = _read_arrow(table, files, row_filter, years, columns)
    return _framed(table, data, key, columns)


def arrow_of_reports(data: pa.Table, report_ids: Iterable[str]) -> pa.Table:
    """The rows of Arrow data that belong to these reports (in their order)."""
    wanted = pa.array(sorted(set(report_ids)), pa.string())
    return data.filter(pc.is_in(data["report_id"], value_set=wanted))


class ByReport:
    """A table's stored rows of one year read forward, a slice of reports at a time, in the order the
    store keeps them: a save stages a large year by slices without holding the year (what it holds is
    a slice's rows and one row group)."""

    def __init__(self, table: str, paths: list[Path], shown: Path, year: int | None, key: bool) -> None:
        self.table, self.paths, self.shown, self.year, self.key = table, paths, shown, year, key

    def __len__(self) -> int:
        try:
            return sum(pq.ParquetFile(p).metadata.num_rows for p in self.paths)
        except (OSError, ValueError) as exc:
            raise _damaged(self.shown, exc) from None

    def _batches(self) -> Iterator[pa.Table]:
        for path in self.paths:
            try:
                for batch in pq.ParquetFile(path).iter_batches(batch_size=parts.ROW_GROUP):
                    yield pa.Table.from_batches([batch])
            except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
                raise _damaged(self.shown / path.name, exc) from None

    def slices(self, slices: list[list[str]]) -> Iterator[pd.DataFrame]:
        """Each slice's reports' rows, as :func:`read_years` gives them: read forward until a row of a
        later slice's report turns up, so that every row of a slice stored in order comes with it (a
        row of an earlier slice's report found late comes with the current one; a row of no slice's
        report is not given)."""
        return (self.frame(data) for data in self.arrow_slices(slices))

    def arrow_slices(self, slices: list[list[str]]) -> Iterator[pa.Table]:
        """:meth:`slices` as the files hold the rows (Arrow, without the partition's year): what a save
        writes again as it is, when a slice is unchanged, without making a frame of it."""
        ids = pa.array([rid for some in slices for rid in some], pa.string())
        # each report's slice, and -1 last: for a report of no slice
        slice_at = np.append(np.repeat(np.arange(len(slices)), [len(some) for some in slices]), -1)

        def slice_of(data: pa.Table) -> np.ndarray:
            """Each row's slice (its report's first), -1 for a report of none."""
            at = pc.index_in(data["report_id"], value_set=ids).fill_null(len(ids))
            return slice_at[at.to_numpy(zero_copy_only=False)]

        batches = self._batches()
        held = self._schema().empty_table()  # rows read, of this slice and later ones
        at = slice_of(held)  # each held row's slice, found once
        for i in range(len(slices)):
            while not (at > i).any() and (batch := next(batches, None)) is not None:
                held = pa.concat_tables([held, batch], promote_options="permissive")
                at = np.append(at, slice_of(batch))
            yield held.filter((at >= 0) & (at <= i))
            later = at > i
            held, at = held.filter(later), at[later]

    def _schema(self) -> pa.Schema:
        try:
            return pq.read_schema(self.paths[0])
        except (OSError, ValueError) as exc:
            raise _damaged(self.shown, exc) from None

    def frame(self, data: pa.Table) -> pd.DataFrame:
        """Rows read (:meth:`arrow_slices`) as the table's pandas frame, the partition's year put back."""
        if self.key:  # the partition's year, which its files do not hold
            n = data.num_rows
            year = pa.nulls(n, pa.int64()) if self.year is None else pa.array(np.full(n, self.year, np.int64))
            data = data.append_column(parts.KEY, year)
        return _framed(self.table, data, self.key)


def read_year_by_report(folder: Path, table: str, shown: Path, year: int | None) -> ByReport | None:
    """A year's stored rows of one generation folder's table (None: the unknown year), to be read a
    slice of reports at a time (:class:`ByReport`); None when the generation holds no partition of
    that year (nor the table as year partitions)."""
    path = folder / f"{table}.parquet"
    if not path.is_dir():
        return None
    name = parts.partition_name(year)
    found = parts.files(path).get(name)
    if not found:
        return None
    return ByReport(table, found, shown / path.name / name, year, parts.KEY in COLUMNS[table])


def read_stored(folder: Path, table: str, shown: Path) -> tuple[pd.DataFrame, bool] | None:
    """A whole table of one generation folder (for a save to merge into) and whether it is stored as
    year partitions; None when the generation does not hold it."""
    with contextlib.ExitStack() as stack:
        files = _open_table(folder, shown, table, lambda year: True, stack)
        if files is None:
            return None
        return _read_table(table, files), not any(p.single for p in files)


def stored_years(folder: Path, table: str) -> set[int | None] | None:
    """The years a table of one generation folder holds rows of (None for the unknown year), from its
    partition folders; None when it is stored as one file (the layout before partitions) or not at all."""
    path = folder / f"{table}.parquet"
    if not path.is_dir():
        return None
    return {parts.partition_year(name) for name in parts.files(path)}  # type: ignore[misc]


def read_years(
    folder: Path,
    table: str,
    shown: Path,
    years: Iterable[int | None] | None,
    report_ids: Iterable[str] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame | None:
    """The rows of one generation folder's table of these years (None: the unknown year; ``years``
    None: every year), of these reports only when ``report_ids`` is given, only ``columns`` when given
    (as stored); None when the generation does not hold the table. What a save reads of the stored
    tables, a year at a time."""
    every = years is None
    years = set() if years is None else set(years)
    ids = None if report_ids is None else sorted(set(report_ids))

    def row_filter(names: list[str]) -> ds.Expression | None:
        flt = None
        if ids is not None:
            flt = ds.field("report_id").isin(ids)
        if single and not every and parts.KEY in names:  # one file: the years are a column to filter
            known = sorted(y for y in years if y is not None)
            by_year = ds.field(parts.KEY).isin(known)
            if None in years:
                by_year = by_year | ds.field(parts.KEY).is_null()
            flt = by_year if flt is None else flt & by_year
        return flt

    with contextlib.ExitStack() as stack:
        files = _open_table(folder, shown, table, lambda year: every or year in years, stack)
        if files is None:
            return None
        single = any(p.single for p in files)
        return _read_table(table, files, row_filter, columns=columns)


def _missing(data_dir: Path, table: str) -> FileNotFoundError:
    path = data_dir / f"{table}.parquet"
    return FileNotFoundError(
        f"{path} does not exist: build the tables first with `python -m analysis ingest data/raw --out "
        f"{path.parent}`"
    )


def _check_tables(tables: Iterable[str]) -> list[str]:
    tables = [tables] if isinstance(tables, str) else list(tables)
    for table in tables:
        if table not in COLUMNS:
            raise ValueError(f"unknown table {table!r}; tables are: {', '.join(codes.TABLES)}")
    return tables


def _load(
    folder: Path,
    tables: Iterable[str],
    validate: bool,
    must_exist: bool,
    sl: Slice | None = None,
    required: bool = False,
) -> dict[str, pd.DataFrame]:
    """These tables of one generation, the slice ``sl`` of them (a missing table comes back empty).

    With report_ids, bureaus or regions, the reports are chosen first (the reports table read with
    push-down, regions matched after), then every other table is read for those reports only: their
    years' partitions, and a push-down filter on bureau and report_id. Each table is validated once."""
    tables = _check_tables(tables)
    sl = sl or Slice()
    wanted = [*tables, *([] if "reports" in tables or not sl.by_report else ["reports"])]
    with _pinned(folder, wanted, sl.keeps_partition) as (gen, files):
        if must_exist and (not gen.is_dir() or not any(gen.glob("*.parquet"))):
            raise FileNotFoundError(
                f"no clean tables in {folder}: build them with `python -m analysis ingest data/raw --out "
                f"{folder}`"
            )
        if required and (missing := [t for t in tables if files[t] is None]):
            raise _missing(folder, missing[0])
        out: dict[str, pd.DataFrame] = {}
        if sl.by_report:
            reports = files["reports"]
            if reports is None:
                chosen = empty_table("reports")
            else:
                chosen = sl.choose(_read_table("reports", reports, lambda c: sl.reports_filter(), sl.years))
            pick = Chosen.of(chosen)
            out["reports"] = chosen
            row_filter: Callable[[list[str]], ds.Expression | None] = pick.row_filter
            keep: Callable[[int | None], bool] = pick.keeps_partition
        else:
            row_filter, keep = (lambda columns: None), (lambda year: True)
        for t in tables:
            if t in out:
                continue
            stored = files[t]
            if stored is None:
                out[t] = empty_table(t)
                continue
            out[t] = _read_table(t, [p for p in stored if p.single or keep(p.year)], row_filter, sl.years)
        return {t: validate_table(t, out[t]) if validate else out[t] for t in tables}


def load_table(
    table: str,
    data_dir: str | Path | None = None,
    validate: bool = True,
    *,
    years: Iterable[int] | None = None,
    report_ids: Iterable[str] | None = None,
    bureaus: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One tidy table with its dtypes (categories for codes, Int64 counts), validated by its schema.

    ``years``, ``report_ids``, ``bureaus``, ``regions`` read only that slice (see :func:`load_tables`)."""
    _check_tables([table])
    sl = Slice.of(years, report_ids, bureaus, regions)
    return _load(resolve_data_dir(data_dir), [table], validate, must_exist=False, sl=sl, required=True)[table]


def empty_table(table: str) -> pd.DataFrame:
    """An empty frame with a table's contract columns and dtypes, so views work on a table with no rows."""
    return typed(table, pd.DataFrame(columns=COLUMNS[table]))


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

    ``years``, ``report_ids``, ``bureaus`` and ``regions`` (each a list; None: no filter; together:
    all must hold) read only that slice: years pick partitions; the others pick reports (a region
    is matched as :func:`analysis.store.slice.region_matches`: ``淮安市`` is ``江苏省淮安市``, not its
    districts), and every table is read for those reports only, with push-down filters — the reports
    table is returned for them too. Not validated by default so that one odd value elsewhere does not
    stop a brief (``validate=True`` checks what was read, once); the ``data_quality`` notebook
    validates. Raises FileNotFoundError (with the command to run) when the folder holds no tables.
    """
    sl = Slice.of(years, report_ids, bureaus, regions)
    return _load(resolve_data_dir(data_dir).resolve(), tables, validate, must_exist=True, sl=sl)
