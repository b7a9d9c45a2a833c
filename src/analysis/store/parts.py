"""The partitioned layout of a table: ``<table>.parquet/year=YYYY/part-0.parquet`` (hive style), one
folder per year and ``year=unknown`` for rows without one.

The partition column is the table's own ``year`` (the report's year: every row of a report carries
it); it is not stored inside the files, so readers that discover hive partitions (pandas, DuckDB) see
one ``year`` column, and the store's loader puts it back as ``Int64`` in its contract position. A table
without a ``year`` column would take its key from ``reports.year`` through ``report_id`` and keep its
columns as they are. Rows are sorted by bureau and report_id inside a partition and written in row
groups of ``ROW_GROUP`` rows, so a filter on either skips most of a year by the row groups' statistics.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

KEY = "year"
UNKNOWN = "unknown"
PART = "part-0.parquet"  # the one file of a partition (readers take every *.parquet in it)
ROW_GROUP = 16_384  # rows per row group: small enough to skip, large enough to read fast
SLICE = 4 * ROW_GROUP  # rows converted to Arrow at once when writing
_NAME = re.compile(rf"{KEY}=(\d{{1,4}}|{UNKNOWN})")


def partition_name(value: object) -> str:
    """The folder of a year: ``year=2024``, or ``year=unknown`` for a missing one."""
    return f"{KEY}={UNKNOWN}" if pd.isna(value) else f"{KEY}={int(value)}"  # type: ignore[call-overload]


def partition_year(name: str) -> int | None | bool:
    """The year a partition folder holds (None: the unknown partition); False when ``name`` is not one."""
    m = _NAME.fullmatch(name)
    if not m:
        return False
    return None if m.group(1) == UNKNOWN else int(m.group(1))


def _years(df: pd.DataFrame, report_years: Mapping[str, object] | None) -> pd.Series:
    """Each row's partition year: its ``year``, else its report's (``report_years``: report_id → year)."""
    years = df[KEY] if KEY in df.columns else df["report_id"].astype("string").map(dict(report_years or {}))
    return pd.Series(pd.array(pd.to_numeric(years, errors="coerce"), dtype="Int64"), index=df.index)


def split(df: pd.DataFrame, report_years: Mapping[str, object] | None = None) -> dict[str, pd.DataFrame]:
    """A table's rows by partition folder (in the table's row order; at least one, maybe empty)."""
    if df.empty:
        return {partition_name(None): df.iloc[0:0]}
    years = _years(df, report_years)
    if (
        years.nunique(dropna=False) == 1
    ):  # one year (what a save mostly stages): the rows as they are, no copy
        whole = df if df.index.equals(pd.RangeIndex(len(df))) else df.reset_index(drop=True)
        return {partition_name(years.iloc[0]): whole}
    groups = df.groupby(years, dropna=False, sort=True)
    return {partition_name(year): part.reset_index(drop=True) for year, part in groups}


def stored(df: pd.DataFrame) -> pd.DataFrame:
    """A partition's frame as written: without the partition column (its folder holds it)."""
    return df.drop(columns=[KEY]) if KEY in df.columns else df


def write(df: pd.DataFrame, path: Path) -> None:
    """One partition file, in row groups a filter on bureau or report_id can skip, converted to Arrow
    SLICE rows at a time (a large year's rows are not held twice over)."""
    with Appender(path) as out:
        out.add(df)


class Appender:
    """One partition file written a frame at a time, each as ``write`` writes a frame: a large year's
    rows staged a slice of reports after the other (the frames typed alike, in the table's order)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None

    def add(self, df: pd.DataFrame) -> None:
        """Append these rows (a frame without rows only fixes the columns, when nothing else does)."""
        df = stored(df)
        if self._schema is None:
            self._schema = pa.Schema.from_pandas(df.iloc[0:0], preserve_index=False)
        if not len(df):
            return
        if self._out is None:
            self._out = pq.ParquetWriter(self.path, self._schema, compression="snappy")
        for start in range(0, len(df), SLICE):
            part = pa.Table.from_pandas(
                df.iloc[start : start + SLICE], schema=self._schema, preserve_index=False
            )
            self._out.write_table(part, row_group_size=ROW_GROUP)
            del part

    def add_stored(self, data: pa.Table) -> bool:
        """Append rows as a partition file holds them (read back, unchanged), without going through
        pandas; False, with nothing written, when their columns and types are not the file's (as
        ``add`` set them): the caller then adds them as a frame."""
        assert self._schema is not None, "a frame first: it sets the columns"
        if not data.schema.equals(self._schema, check_metadata=False):
            return False
        if not data.num_rows:
            return True
        if self._out is None:
            self._out = pq.ParquetWriter(self.path, self._schema, compression="snappy")
        self._out.write_table(data.replace_schema_metadata(self._schema.metadata), row_group_size=ROW_GROUP)
        return True

    def close(self) -> None:
        """Finish the file (one without rows when no frame had any)."""
        if self._out is None:
            assert self._schema is not None, "no frame added"
            self._out = pq.ParquetWriter(self.path, self._schema, compression="snappy")
            self._out.write_table(self._schema.empty_table())
        self._out.close()
        pa.default_memory_pool().release_unused()  # Arrow's allocator keeps the buffers otherwise

    def __enter__(self) -> Appender:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        elif self._out is not None:
            self._out.close()


def write_whole(table: pa.Table, path: Path) -> bool:
    """One Parquet file written whole or not at all: aside under a hidden ``.tmp`` name, then renamed
    over ``path`` (what a killed writer leaves in the store's folder, a save's tidying removes). False,
    with nothing left behind, when it cannot be written: for the caches beside the store, whose
    callers go on without them."""
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, part)
        os.replace(part, path)
    except (OSError, pa.ArrowException):
        part.unlink(missing_ok=True)
        return False
    return True


def weight(paths: Iterable[Path]) -> int:
    """About how many bytes the rows of these Parquet files take once read: their values uncompressed
    (as the footers count them) and 8 bytes a cell."""
    total = 0
    for path in paths:
        meta = pq.ParquetFile(path).metadata
        total += meta.num_rows * meta.num_columns * 8
        total += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    return total


def files(table_dir: Path) -> dict[str, list[Path]]:
    """The partition folders of a stored table and the Parquet files in each (sorted)."""
    out: dict[str, list[Path]] = {}
    for sub in sorted(table_dir.iterdir()):
        if sub.is_dir() and partition_year(sub.name) is not False:
            out[sub.name] = sorted(p for p in sub.iterdir() if p.suffix == ".parquet" and p.is_file())
    return out
