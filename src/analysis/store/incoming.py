"""The rows a save adds to the store: the new reports' rows (one each, kept in memory) and every other
table's rows by year, kept in memory or, when a spill folder is given, written to Parquet files there as
they arrive, so that an ingest of any number of files holds one batch of rows at a time; the save then
reads them back one year at a time (``rows``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.model import codes

from . import parts
from .load import arrow_of_reports, to_pandas
from .schema import COLUMNS, typed

Year = int | None  # a report's year; None: not known
SPILL = ".spill-"  # the spill folders in a store's folder: .spill-<pid>-<random>


def spill_folder(out_dir: Path) -> Path:
    """A new folder in the store's folder (the same disk) for an ingest's spilled rows, named for its
    process so that a later save can tell one left by a killed run (``stale_spills``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{SPILL}{os.getpid()}-", dir=out_dir))


def stale_spills(out_dir: Path) -> list[Path]:
    """Spill folders in the store's folder whose process is gone (a killed ingest's)."""
    found = []
    for path in out_dir.glob(f"{SPILL}*"):
        pid = path.name[len(SPILL) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            found.append(path)
        except (PermissionError, OSError, AttributeError):  # someone else's process, or no way to tell
            continue
    return found


def _year(name: str) -> Year:
    year = parts.partition_year(name)
    assert year is not False, name
    return year  # type: ignore[return-value]


class Incoming:
    """New rows for a save, by table and year (see the module)."""

    def __init__(self, spill: Path | None = None) -> None:
        self.spill = spill
        self._reports: list[pd.DataFrame] = []
        self._rows: dict[str, dict[Year, list[pd.DataFrame | Path]]] = {t: {} for t in codes.TABLES[1:]}
        self._batches = 0
        if spill is not None:
            spill.mkdir(parents=True, exist_ok=True)

    @classmethod
    def of(cls, frames: Mapping[str, pd.DataFrame]) -> Incoming:
        """The rows of tables held in memory (a table not given has none)."""
        new = cls()
        new.add(frames)
        return new

    def add(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Some reports' tables (typed or not): the reports row kept, the other rows split by year and
        kept or spilled."""
        if "reports" in frames and len(frames["reports"]):
            self._reports.append(typed("reports", frames["reports"]))
        self._batches += 1
        for table, df in frames.items():
            if table == "reports" or table in codes.DERIVED_TABLES or not len(df):
                continue
            for name, part in parts.split(typed(table, df)).items():
                if self.spill is None:
                    self._rows[table].setdefault(_year(name), []).append(part)
                    continue
                folder = self.spill / table / name
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"batch-{self._batches:06d}.parquet"
                part.to_parquet(path, index=False)
                self._rows[table].setdefault(_year(name), []).append(path)

    @property
    def reports(self) -> pd.DataFrame:
        """The new reports' rows, typed."""
        if len(self._reports) != 1:  # stacked and typed once, then kept
            frames = self._reports
            self._reports = [
                pd.concat(frames, ignore_index=True) if frames else typed("reports", pd.DataFrame())
            ]
        return self._reports[0]

    def years(self) -> set[Year]:
        """The years any new row belongs to."""
        return {y for by_year in self._rows.values() for y in by_year}

    def rows(
        self, table: str, years: Iterable[Year], report_ids: Collection[str] | None = None
    ) -> pd.DataFrame:
        """The new rows of a table of these years (of these reports only, when given), typed, in the
        order they were added."""
        found: list[pd.DataFrame] = []
        spilled: list[pa.Table] = []
        by_year = self._rows.get(table, {})
        for year in sorted(set(years), key=lambda y: (y is None, y or 0)):
            for part in by_year.get(year, ()):
                if isinstance(part, Path):
                    got = pq.read_table(part, partitioning=None)  # its own year column
                    spilled.append(got if report_ids is None else arrow_of_reports(got, report_ids))
                else:
                    found.append(part if report_ids is None else part[part["report_id"].isin(report_ids)])
        if spilled:  # as the store's tables are read: one Python string per distinct value, not per row
            found.append(to_pandas(table, pa.concat_tables(spilled, promote_options="permissive")))
            del spilled
        if not found:
            return typed(table, pd.DataFrame(columns=COLUMNS[table]))
        out = typed(table, pd.concat(found, ignore_index=True) if len(found) > 1 else found[0])
        pa.default_memory_pool().release_unused()  # Arrow's buffers, kept by its allocator otherwise
        return out

    def count(self, table: str, year: Year) -> int:
        """How many new rows a table has of a year (spilled ones from their files' footers)."""
        return sum(
            pq.ParquetFile(part).metadata.num_rows if isinstance(part, Path) else len(part)
            for part in self._rows.get(table, {}).get(year, ())
        )

    def weight(self, table: str, year: Year) -> int:
        """About how many bytes a table's new rows of a year take in memory (:func:`.parts.weight`)."""
        held = self._rows.get(table, {}).get(year, ())
        spilled = [p for p in held if isinstance(p, Path)]
        return parts.weight(spilled) + sum(
            int(p.memory_usage(deep=True).sum()) for p in held if not isinstance(p, Path)
        )

    def close(self) -> None:
        """Remove the spilled files."""
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)
