"""Writing the store: every table validated, written as a new generation beside the old one and made
current in one step, under a lock. A save merges the reports table whole and every other table a year
at a time (``_Writer``), so it holds a few years' rows, not the store.

Layout of data/clean/: ``gen-NNNNNN/<table>.parquet/year=YYYY/part-0.parquet`` (one folder per save;
in it, each table a hive-partitioned Parquet dataset, one folder per year and ``year=unknown``, see
:mod:`.parts`), ``CURRENT`` (a text file naming the generation in use: the store's readers follow it),
``current`` (a symlink to that folder) and ``<table>.parquet`` (symlinks to ``current/<table>.parquet``)
for reading the files directly, ``.lock``. A partition a save leaves unchanged is hard-linked from the
previous generation, not written again. Generations written before partitions hold one
``<table>.parquet`` file per table; they are read as they are and rewritten by the next save. Anything
named ``.*.tmp`` is unfinished work of a run that was killed."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import shutil
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.model import codes
from analysis.model.issues import DERIVED_PREFIX

if TYPE_CHECKING:
    from pandera.errors import SchemaErrors

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
from . import parts
from .choose import CHECK
from .choose import used as choose_used
from .incoming import Incoming, stale_spills
from .load import (
    GENERATION,
    LINK,
    POINTER,
    StoreError,
    broken_pointer,
    generation_dir,
    read_stored,
    read_year_by_report,
    read_years,
    resolve_data_dir,
    stored_years,
    table_path,
)
from .merge import ORDER, chosen, kept_rows, merged_reports, merged_year, sort_rows
from .schema import COLUMNS, retyped, typed, validate_rows


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


def _schema_message(table: str, path: Path, err: SchemaErrors) -> str:
    """One line out of pandera's report: which columns failed which checks, with an example value."""
    fc = err.failure_cases
    parts = []
    for (col, check), grp in fc.groupby(["column", "check"], dropna=False, sort=False):
        example = grp["failure_case"].iloc[0]
        parts.append(f"{col}: {check} ({len(grp)} rows, e.g. {example!r})")
    return f"{path}: schema check failed for table {table}, nothing written: " + "; ".join(parts[:4])


def check_tables(
    tables: dict[str, pd.DataFrame], out_dir: Path, rows: Mapping[str, pd.Series | None] | None = None
) -> None:
    """Validate every table with its pandera schema; raise StoreError (one line) on the first that fails.
    ``rows`` (per table; None or absent: all) marks the rows to check, the others having passed when
    they were stored; keys are checked for duplicates on the whole table (``schema.validate_rows``)."""
    from pandera.errors import SchemaErrors

    for table, df in tables.items():
        try:
            validate_rows(table, df, (rows or {}).get(table))
        except SchemaErrors as err:
            raise StoreError(_schema_message(table, table_path(table, out_dir), err)) from None


def _reached(step: str, detail: str = "") -> None:
    """A point of the write after which a killed process must still leave a whole store (the store
    loads all old tables or all new ones). Does nothing; the kill test replaces it to die there."""


def _number(name: str) -> int | None:
    m = GENERATION.fullmatch(name)
    return int(m.group(1)) if m else None


def _generations(out_dir: Path) -> dict[int, Path]:
    """The generation folders of a store, by number."""
    found = ((_number(p.name), p) for p in out_dir.iterdir() if p.is_dir() and not p.is_symlink())
    return dict(sorted((n, p) for n, p in found if n is not None))


def _fsync(path: Path) -> None:
    """Make a file, or a folder's entries, durable before the step that depends on them (a no-op for
    folders where the system cannot open them, as on Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Take a file or folder away: a folder is first renamed to a leftover name, so that a kill in the
    middle of deleting it never leaves something that looks like a whole generation."""
    if path.is_dir() and not path.is_symlink():
        if not path.name.endswith(".tmp"):
            trash = path.with_name(f".{path.name}.old.tmp")
            try:
                os.replace(path, trash)
            except OSError:  # e.g. open files on Windows: left for the next save
                return
            _reached("removing", path.name)
            path = trash
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    _reached("removed", path.name)


def _tidy(out_dir: Path) -> None:
    """Remove what killed runs left (``.*.tmp``: staging folders, temporary files, half-removed
    generations; generations never made current) and every generation older than the one before the
    current: a reader may still be reading that one."""
    current = generation_dir(out_dir)
    if not current.is_dir():
        raise broken_pointer(out_dir, current.name)
    gens = _generations(out_dir)
    now = _number(current.name) if current != out_dir else None
    keep = set() if now is None else {now, max((n for n in gens if n < now), default=now)}
    for path in [*out_dir.glob(".*.tmp"), *stale_spills(out_dir)]:
        _remove(path)
    for n, path in gens.items():
        if n not in keep:
            _remove(path)


def _stage_part(df: pd.DataFrame | None, folder: Path, old: Old | None) -> bool:
    """Write one partition of a table into a generation being staged, durably; a partition whose rows
    are those of the previous generation's (``old``; ``df`` None: kept as it is) is hard-linked from
    it, not written again. True when it was."""
    folder.mkdir()
    same = old is not None and (df is None or (len(old.frame) == len(df) and old.frame.equals(df)))
    if same:
        for src in sorted(old.folder.glob("*.parquet")):
            _link_or_copy(src, folder / src.name)
            _fsync(folder / src.name)
    else:
        parts.write(df, folder / parts.PART)
        _fsync(folder / parts.PART)
    _fsync(folder)
    _reached("staged", f"{folder.parent.name}/{folder.name}")
    return same


@dataclass(frozen=True)
class Old:
    """A partition of a table of the previous generation: its folder and its rows."""

    folder: Path
    frame: pd.DataFrame | None


def _new_generation(out_dir: Path, fill: Callable[[Path], object]) -> Path:
    """A new, whole generation folder beside the old ones, not yet current: staged under a ``.tmp``
    name (``fill`` writes every table into it; removed again if anything fails) and renamed to
    ``gen-NNNNNN`` once every table is in it."""
    number = max(_generations(out_dir), default=0) + 1
    final = out_dir / f"gen-{number:06d}"
    staging = out_dir / f".{final.name}.tmp"
    staging.mkdir()
    try:
        _reached("staging", staging.name)
        fill(staging)
        _fsync(staging)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _reached("renamed", final.name)
    _fsync(out_dir)
    return final


def _make_current(out_dir: Path, gen: Path) -> None:
    """The one step that replaces the store: ``CURRENT`` (naming ``gen``) written beside and renamed
    over the old one. Until then the previous generation is the store; if this fails, ``gen`` goes."""
    tmp = out_dir / f".{POINTER}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(gen.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        _reached("pointer-staged", gen.name)
        os.replace(tmp, out_dir / POINTER)
    except BaseException:
        tmp.unlink(missing_ok=True)
        _remove(gen)
        raise
    _reached("pointed", gen.name)
    _fsync(out_dir)


def _symlink(target: str, link: Path) -> bool:
    """Point ``link`` at ``target`` (relative), replacing what is there in one rename; False where the
    system or file system has no symlinks."""
    if link.is_symlink() and os.readlink(link) == target:
        return True
    tmp = link.with_name(f".{link.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.symlink(target, tmp)
        os.replace(tmp, link)
    except (OSError, NotImplementedError):
        tmp.unlink(missing_ok=True)
        return False
    _reached("linked", link.name)
    return True


def _link(out_dir: Path, gen: Path) -> None:
    """For reading the Parquet files directly: ``current`` → the generation in use, and each
    ``<table>.parquet`` → ``current/<table>.parquet``, so ``data/clean/<table>.parquet`` keeps working.
    Where symlinks cannot be made, stale ones and the old flat tables are removed instead, so that no
    path shows tables other than the current ones (``CURRENT`` names them)."""
    ok = _symlink(gen.name, out_dir / LINK)
    if not ok:
        (out_dir / LINK).unlink(missing_ok=True)
    for table in codes.TABLES:
        flat = table_path(table, out_dir)
        if not (ok and _symlink(f"{LINK}/{flat.name}", flat)) and flat.is_file():
            flat.unlink()


def _publish(out_dir: Path, gen: Path) -> None:
    """Make a whole generation the store, then point the links at it."""
    _make_current(out_dir, gen)
    _link(out_dir, gen)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _migrate(out_dir: Path) -> None:
    """A store in the old flat layout (``data/clean/<table>.parquet`` files, no ``CURRENT``) becomes
    its first generation, of the same files hard-linked, before anything new is written: at every step
    the store and each path people read hold the old tables whole."""
    if (out_dir / POINTER).exists():
        return
    flat = {t: table_path(t, out_dir) for t in codes.TABLES}
    flat = {t: p for t, p in flat.items() if p.is_file() and not p.is_symlink()}
    if flat:

        def fill(staging: Path) -> None:
            for t, p in flat.items():
                _link_or_copy(p, staging / f"{t}.parquet")
                _reached("staged", t)

        _publish(out_dir, _new_generation(out_dir, fill))


Derive = Callable[[dict[str, pd.DataFrame], Collection[int], dict], dict[str, pd.DataFrame]]
Year = int | None
Progress = Callable[[int, int], object]  # (years done, years in all)
Before = Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]  # the rows read of a year before
Inputs = Callable[[str, pd.DataFrame], dict[str, pd.DataFrame]]  # what the checks read of a table staged
_NONE = pd.DataFrame()
SLICE_BYTES = 6 << 20  # of a table the checks do not change, what a save merges at once (about)
GROUP = 2000  # reports checked across at once, at most (unless a year alone has more)
# what the checks of a year read of the year before: its sections too when derive was not given that
# year in this save (derive keeps what it needs of a year's text in its memo for the year after)
BEFORE = ("requests", "reviews_litigation", "active_disclosure", "issues")
DERIVED = ("issues", "active_disclosure", "text_reuse")  # the tables the checks change (rows of a year)
READ = (*BEFORE, "sections")  # the tables the checks read of the years they check
CHECKED_BY = "CHECKED_BY"  # a generation's file: the version of the checks across reports it holds


@cache
def _malloc_trim() -> Callable[[int], object] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, Windows, musl)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _give_back(collect: bool = True) -> None:
    """Hand the memory a group of years freed back to the system: glibc keeps the freed pages of the
    heap for later otherwise, so that one large year would set the process's size for the rest.
    ``collect``: run the cyclic garbage collector first (tens of ms on a large store's objects)."""
    if collect:
        gc.collect()  # frames in reference cycles: freed now, not whenever the collector next runs
    pa.default_memory_pool().release_unused()  # Arrow's allocator keeps what writing used otherwise
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """Keep what exists before a save (imported libraries, the caller's objects) out of the garbage
    collector's sight while it runs: each :func:`_give_back` then walks only what the save made, not
    the ~100,000 objects of the libraries (50–80 ms a collection, a second over a save touching
    every year). Left alone when the caller froze objects itself."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _sorted_years(years: Iterable[Year]) -> list[Year]:
    return sorted(set(years), key=lambda y: (y is None, y or 0))


def _stack(dfs: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of one table stacked and sorted as the store keeps them."""
    dfs = [df for df in dfs if len(df)] or dfs[-1:]
    return sort_rows(pd.concat(dfs, ignore_index=True), ORDER) if len(dfs) > 1 else dfs[0]


def _gaps(r: pd.DataFrame) -> dict[int, dict[int, list[str]]]:
    """year → {earlier year: report_ids}: the previous report of a body's report of that year where
    it is more than a year before (its text is what copied text is measured against)."""
    used = r[choose_used(r).to_numpy(dtype=bool)].sort_values(["bureau", "year"], kind="stable")
    before = used.groupby("bureau", sort=False, observed=True)[["report_id", "year"]].shift(1)
    gap = (before["year"].notna() & (used["year"] - before["year"] > 1)).to_numpy(dtype=bool)
    out: dict[int, dict[int, list[str]]] = {}
    for year, prev_year, prev_id in zip(
        used["year"][gap], before["year"][gap], before["report_id"][gap], strict=True
    ):
        out.setdefault(int(year), {}).setdefault(int(prev_year), []).append(str(prev_id))
    return out


def _of_years(df: pd.DataFrame, years: list[Year]) -> pd.DataFrame:
    """A table's rows of these years (in their order)."""
    return df[df["year"].isin(years).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)


def _year_set(years: pd.Series) -> set[Year]:
    return {None if pd.isna(y) else int(y) for y in years}


def _in_year(df: pd.DataFrame, year: Year) -> np.ndarray:
    """Which rows are of this year (None: the rows without one)."""
    at = df["year"].isna() if year is None else df["year"].eq(year).fillna(False)
    return at.to_numpy(dtype=bool)


def _row_key(df: pd.DataFrame, i: int) -> tuple[tuple[bool, object], ...]:
    """Row ``i``'s place in the store's order (``ORDER``, NA last), comparable with another's."""
    return tuple((pd.isna(v), "" if pd.isna(v) else v) for v in df[ORDER].iloc[i])


class _Writer:
    """One save, a year at a time: the reports table merged whole (one row per report), every other
    table read, merged, checked across reports, validated and staged one year's partition after the
    other, with what the checks of a year look at around it (the year before as finished, the year
    after's issues and table 2, earlier previous reports' sections): a few years' rows at a time."""

    def __init__(
        self,
        old_dir: Path,
        out_dir: Path,
        new: Incoming,
        derive: Derive | None,
        version: str | None,
        progress: Progress | None = None,
        before: Before | None = None,
        inputs: Inputs | None = None,
    ) -> None:
        self.progress, self.year_before, self.inputs = progress, before, inputs
        self.old_dir, self.out_dir, self.new, self.derive, self.version = (
            old_dir,
            out_dir,
            new,
            derive,
            version,
        )
        self.stored = {t: (old_dir / f"{t}.parquet").exists() for t in codes.TABLES}
        self.partitioned = {t: stored_years(old_dir, t) is not None for t in codes.TABLES}
        found = read_stored(old_dir, "reports", out_dir)
        self.old_reports = None if found is None else found[0]
        new_reports = new.reports
        reports, self.replaced = merged_reports(self.old_reports, new_reports)
        self.new_ids = set(new_reports["report_id"].dropna())
        self.reports, self.duplicates = chosen(reports, self._issue_kinds())
        self.counts: dict[str, int] = dict.fromkeys(codes.TABLES, 0)
        self.n_issues: list[pd.Series] = []
        self.gaps = _gaps(self.reports)
        self.memo: dict = {}  # what derive keeps from one year to the next
        self.derived: set[int] = set()  # the years derive was given whole
        self.rows_touched: set[Year] = set()  # the years of new or replaced reports (set by _touched)
        self.touched = self._touched()

    def _issue_kinds(self) -> pd.DataFrame:
        """report_id, severity and check of every issue the save keeps (what the choice counts)."""
        cols = ["report_id", "severity", "check"]
        old = self._old("issues", None, columns=cols)
        pieces = [] if old is None else [kept_rows("issues", old, self.replaced)[cols]]
        pieces.append(self.new.rows("issues", self.new.years())[cols])
        kinds = pd.concat([p.astype("string") for p in pieces], ignore_index=True)
        return kinds[(kinds["check"] != CHECK) & ~kinds["check"].str.startswith(DERIVED_PREFIX)]

    def _touched(self) -> set[Year] | None:
        """The years whose rows this save changes before any check across reports: of new or replaced
        reports, of reports whose choice among a bureau-year's documents changed, and whose reports'
        earlier previous report changed; None when every year is to be checked again (no store yet,
        one not partitioned, or its checks were made by other code than ``derive``'s ``version``)."""
        old = self.old_reports
        try:
            made_by = (self.old_dir / CHECKED_BY).read_text(encoding="utf-8").strip()
        except OSError:
            made_by = None
        if (
            old is None
            or self.version is None
            or made_by != self.version
            or not all(self.partitioned.values())
        ):
            return None
        years = self.new.years() | _year_set(self.new.reports["year"])
        years |= _year_set(old.loc[old["report_id"].isin(self.replaced), "year"])
        self.rows_touched = set(years)
        before = old.set_index("report_id")["superseded_by"].astype("string")
        now = self.reports.set_index("report_id")["superseded_by"].astype("string")
        common = before.index.intersection(now.index)
        moved = common[(before[common].fillna("") != now[common].fillna("")).to_numpy(dtype=bool)]
        years |= _year_set(self.reports.loc[self.reports["report_id"].isin(moved), "year"])
        old_gaps = _gaps(old)

        def kept(gaps: dict[int, dict[int, list[str]]], y: int) -> dict[int, set[str]]:
            return {prev: set(ids) for prev, ids in gaps.get(y, {}).items()}

        years |= {y for y in set(old_gaps) | set(self.gaps) if kept(old_gaps, y) != kept(self.gaps, y)}
        return years

    def _untouched(self, year: Year, last: Year, changed: bool) -> bool:
        """Whether a year's stored partitions stay as they are: neither it nor the years around it are
        touched (:meth:`_touched`), nor the year its reports' earlier previous reports are of, and the
        year before, when checked again, came out as stored."""
        if self.touched is None or year in self.touched:
            return False
        if year is None:
            return True
        if {year - 1, year + 1} & self.touched or set(self.gaps.get(year, {})) & self.touched:
            return False
        return not (last == year - 1 and changed)

    def _keep(self, staging: Path, year: Year) -> None:
        """Link a year's stored partitions into the new generation as they are."""
        for t in codes.TABLES[1:]:
            self._link(staging, t, year)

    def _link(self, staging: Path, table: str, year: Year) -> bool:
        """Link a year's stored partition of a table into the new generation as it is; False when
        there is none."""
        name = parts.partition_name(year)
        folder = self.old_dir / f"{table}.parquet" / name
        if not folder.is_dir():
            return False
        (staging / f"{table}.parquet").mkdir(exist_ok=True)
        _stage_part(None, staging / f"{table}.parquet" / name, Old(folder, None))
        self.counts[table] += sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet"))
        return True

    def _rows_as_stored(self, year: Year) -> bool:
        """Whether the tables the checks do not change keep a year's stored rows as they are: no new
        report of the year, none of its reports replaced (it is checked again only because the years
        around it changed), and the stored checks made by the same code (as for a year kept whole)."""
        return self.touched is not None and year not in self.rows_touched

    def _as_stored(self, staging: Path, table: str, year: Year) -> list[dict[str, pd.DataFrame]]:
        """Link a year's partition of a table whose rows this save leaves as they are
        (:meth:`_rows_as_stored`), not merged and written again; what the checks read of it, a slice
        of reports at a time as :meth:`_stage_slices` takes them."""
        if not self._link(staging, table, year) or table not in READ:
            return []
        slices = self._slices(table, year)

        def inputs(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
            return self._inputs(table, sort_rows(retyped(table, df), ORDER))

        by_report = None if slices is None else read_year_by_report(self.old_dir, table, self.out_dir, year)
        if by_report is not None:
            held, n = [], 0
            for df in by_report.slices(slices):
                n += len(df)
                held.append(inputs(df))
            if n == len(by_report):
                return held
            del held  # rows of a report the reports table does not place in the year: read whole
        whole = self._old(table, {year})
        return [] if whole is None else [inputs(whole)]

    @cached_property
    def years(self) -> list[Year]:
        """Every year a table holds rows of (None: the unknown year), in order."""
        years: set[Year] = {None if pd.isna(y) else int(y) for y in self.reports["year"]}
        years |= self.new.years()
        for t in codes.TABLES:
            years |= stored_years(self.old_dir, t) or set()
        return _sorted_years(years)

    def _old(
        self,
        table: str,
        years: Iterable[Year] | None,
        report_ids: Iterable[str] | None = None,
        columns: list[str] | None = None,
    ) -> pd.DataFrame | None:
        if not self.stored[table]:
            return None
        return read_years(self.old_dir, table, self.out_dir, years, report_ids, columns)

    def _merged(
        self, years: Collection[Year], tables: Iterable[str]
    ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame | None]]:
        """(merged, old): these tables' rows of some years after the merge (before the checks across
        reports), and as stored."""
        years = set(years)
        old = {t: self._old(t, years) for t in tables}
        new = {t: self.new.rows(t, years) for t in tables}
        y = self.duplicates["year"]
        known = y.isin([v for v in years if v is not None]).fillna(False)
        dup = self.duplicates[(known | (y.isna() & (None in years))).to_numpy(dtype=bool)]
        merged = merged_year(old, new, self.replaced, dup)
        return {t: merged[t] for t in tables}, old

    def _earlier(self, years: list[int]) -> tuple[pd.DataFrame, list[str], list[int]]:
        """(sections, report_ids, years): the sections of the earlier previous reports of these years'
        reports (of years before them and the year before), and those reports; of a year derive was
        not given whole in this save (kept as stored), every report's, so that the checks can count
        what that year's reports have in common."""
        wanted: dict[int, set[str]] = {}
        for year in years:
            for prev_year, ids in self.gaps.get(year, {}).items():
                if prev_year < min(years) - 1:
                    wanted.setdefault(prev_year, set()).update(ids)
        found, rids, whole = [], [], []
        for prev_year, ids in sorted(wanted.items()):
            every = prev_year not in self.derived
            whole += [prev_year] if every else []
            rids += sorted(ids)
            old = self._old("sections", {prev_year}, None if every else ids)
            if old is not None:
                found.append(kept_rows("sections", old, self.replaced))
            new = self.new.rows("sections", {prev_year})
            found.append(new if every else new[new["report_id"].isin(ids)])
        return (_stack(found) if found else _NONE), rids, whole

    def _window(
        self, years: list[int], cur: dict[str, pd.DataFrame], before: dict[str, pd.DataFrame] | None
    ) -> dict[str, pd.DataFrame]:
        """What the checks of these years look at (see the class)."""
        after, _ = self._merged({max(years) + 1}, ["issues", "active_disclosure"])
        sections, ids, whole = self._earlier(years)
        earlier = {"sections": sections}
        r = self.reports
        near = r["year"].isin([min(years) - 1, *years, max(years) + 1, *whole]).fillna(False)
        window = {"reports": r[(near | r["report_id"].isin(ids)).to_numpy(dtype=bool)].reset_index(drop=True)}
        for t in codes.TABLES[1:]:
            dfs = [] if before is None or t not in before else [before[t]]
            dfs += [cur[t], after.get(t, _NONE), earlier.get(t, _NONE)]
            window[t] = _stack([df for df in dfs if len(df)] or [cur[t]])
        for t, df in cur.items():  # what ``inputs`` summed up of these years' tables
            window.setdefault(t, df)
        return window

    def _stage(
        self, staging: Path, table: str, name: str, df: pd.DataFrame, old: pd.DataFrame | None
    ) -> bool:
        folder = staging / f"{table}.parquet"
        folder.mkdir(exist_ok=True)
        same = (
            Old(self.old_dir / f"{table}.parquet" / name, old)
            if self.partitioned[table] and old is not None
            else None
        )
        self.counts[table] += len(df)
        return _stage_part(df, folder / name, same)

    def _slim(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The tables of a year before as far as the checks read them (``before``; all when not given)."""
        return tables if self.year_before is None else {**tables, **self.year_before(tables)}

    def _put(
        self,
        staging: Path,
        years: list[Year],
        cur: dict[str, pd.DataFrame],
        old: dict[str, pd.DataFrame | None],
        changed: set[str],
    ) -> dict[Year, bool]:
        """Validate these tables' rows of a group of years (only the new reports' where neither the
        checks changed the table nor is it new) and stage them a partition per year; for each year,
        whether all its partitions came out as stored."""
        rows = {
            t: None if (t in changed or not self.stored[t]) else df["report_id"].isin(self.new_ids)
            for t, df in cur.items()
        }
        check_tables(cur, self.out_dir, rows)
        _reached("checked", " ".join(map(str, years)))
        split = {t: parts.split(df) for t, df in cur.items() if len(df)}
        stored = {t: parts.split(old[t]) for t in cur if old.get(t) is not None and len(old[t])}
        out = {}
        for year in years:
            name = parts.partition_name(year)
            same = [
                self._stage(staging, t, name, by[name], stored.get(t, {}).get(name))
                for t, by in split.items()
                if name in by
            ]
            held = [t for t, by in stored.items() if name in by]
            out[year] = all(same) and len(same) == len(held)
        return out

    def _inputs(self, table: str, df: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """What the checks read of some of a table's rows (``inputs``; the rows as they are without it)."""
        return self.inputs(table, df) if self.inputs else {table: df}

    def _slices(self, table: str, year: Year) -> list[list[str]] | None:
        """A year's report_ids in the store's row order, cut into slices of about SLICE_BYTES of the
        table's rows (:func:`.parts.weight`), for a table to be staged a slice after the other; None
        when the year is taken whole (no more than that, or the table stored as one file, the layout
        before partitions)."""
        if self.stored[table] and not self.partitioned[table]:
            return None
        folder = self.old_dir / f"{table}.parquet" / parts.partition_name(year)
        old = parts.weight(folder.glob("*.parquet")) if self.stored[table] else 0
        n = -(-(old + self.new.weight(table, year)) // SLICE_BYTES)  # slices, rounded up
        if n <= 1:
            return None
        mine = self.reports.loc[_in_year(self.reports, year), ORDER].reset_index(drop=True)
        ids = sort_rows(mine, ORDER)["report_id"].tolist()
        size = max(1, -(-len(ids) // n))
        out = [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]
        o = self.old_reports
        if o is not None:  # the stored reports that go (their rows read with the first slice, dropped)
            gone = o.loc[_in_year(o, year), "report_id"]
            out[0] += sorted(set(gone[gone.isin(self.replaced)]) - set(ids))
        return out

    def _fixed(
        self, staging: Path, years: list[Year], table: str
    ) -> tuple[dict[Year, bool], dict[str, pd.DataFrame]]:
        """Merge, validate and stage a table the checks do not change for a group of years: the small
        years at once, a large one in slices of reports (:meth:`_slices`). Returns whether each year's
        partition came out as stored, and what the checks read of the table (:meth:`_inputs`; nothing
        of a table they do not read)."""
        same: dict[Year, bool] = {}
        pieces: list[dict[str, pd.DataFrame]] = []
        for y in years:
            if self._rows_as_stored(y):
                same[y] = True
                pieces += self._as_stored(staging, table, y)
        slices = {y: self._slices(table, y) for y in years if y not in same}
        for y in slices:
            got = None if slices[y] is None else self._stage_slices(staging, table, y, slices[y])
            if got is not None:
                same[y], held = got
                pieces += held
        whole = [y for y in years if y not in same]
        if whole:
            one, stored = self._merged(whole, [table])
            same.update(self._put(staging, whole, one, stored, set()))
            pieces += [self._inputs(table, one[table])] if table in READ else []
            del one, stored
        if table not in READ:
            return same, {table: typed(table, pd.DataFrame(columns=COLUMNS[table]))}
        if not pieces:  # every year as stored, none with rows of the table
            pieces = [self._inputs(table, typed(table, pd.DataFrame(columns=COLUMNS[table])))]
        held: dict[str, list[pd.DataFrame]] = {}
        for piece in pieces:
            for k, df in piece.items():
                held.setdefault(k, []).append(df)
        return same, {k: pd.concat(v, ignore_index=True) if len(v) > 1 else v[0] for k, v in held.items()}

    def _unchanged(self, old: pd.DataFrame) -> bool:
        """Whether a slice's stored rows are what the merge makes of them when it adds nothing: none of
        a replaced report, and in the table's order."""
        return not old["report_id"].isin(self.replaced).any() and sort_rows(old, ORDER) is old

    def _stage_slices(
        self, staging: Path, table: str, year: Year, slices: list[list[str]]
    ) -> tuple[bool, list[dict[str, pd.DataFrame]]] | None:
        """Stage a year's partition of a table a slice of reports after the other, each merged,
        validated and appended in order; (whether it came out as stored, what the checks read of each
        slice). None, with nothing staged, when the slices did not take every row of
        the year in order (rows of a report the reports table does not place there): the year is then
        taken whole."""
        name = parts.partition_name(year)
        (staging / f"{table}.parquet").mkdir(exist_ok=True)
        folder = staging / f"{table}.parquet" / name
        folder.mkdir()
        before = self.old_dir / f"{table}.parquet" / name
        old_rows = (
            read_year_by_report(self.old_dir, table, self.out_dir, year) if self.stored[table] else None
        )
        totals = (0 if old_rows is None else len(old_rows), self.new.count(table, year))
        seen, equal, staged, last, in_order = [0, 0], old_rows is not None, 0, None, True
        held: list[dict[str, pd.DataFrame]] = []
        olds = None if old_rows is None else old_rows.arrow_slices(slices)
        with parts.Appender(folder / parts.PART) as out:
            out.add(typed(table, pd.DataFrame(columns=COLUMNS[table])))  # the file's columns
            for ids in slices:
                data = None if olds is None else next(olds)
                old = None if data is None else old_rows.frame(data)  # type: ignore[union-attr]
                new = self.new.rows(table, {year}, ids)
                as_stored = old is not None and not len(new) and self._unchanged(old)
                if as_stored:  # what the merge would make of it, validated when it was stored
                    df = old
                else:
                    dup = self.duplicates.iloc[0:0]
                    df = merged_year({table: old}, {table: new}, self.replaced, dup)[table]
                    rows = None if not self.stored[table] else df["report_id"].isin(self.new_ids)
                    check_tables({table: df}, self.out_dir, {table: rows})
                if len(df):
                    in_order = last is None or last <= _row_key(df, 0)
                    if not in_order:
                        break
                    last = _row_key(df, len(df) - 1)
                if not (as_stored and out.add_stored(data)):  # type: ignore[arg-type]
                    out.add(df)
                equal = equal and old is not None and (as_stored or old.equals(df))
                seen[0] += 0 if old is None else len(old)
                seen[1] += len(new)
                staged += len(df)
                held += [self._inputs(table, df)] if table in READ else []
                del data, old, new, df
                _give_back(collect=False)  # what the slice's reading and writing took, before the next
        del old_rows, olds
        if not in_order or tuple(seen) != totals:
            shutil.rmtree(folder)
            return None
        if staged == 0:  # no rows: no partition (as stored when there was none)
            shutil.rmtree(folder)
            return totals[0] == 0, held
        self.counts[table] += staged
        if equal and seen[0] == totals[0]:  # as stored: the previous generation's files linked
            shutil.rmtree(folder)
            _stage_part(None, folder, Old(before, None))
            return True, held
        _fsync(folder / parts.PART)
        _fsync(folder)
        _reached("staged", f"{table}.parquet/{name}")
        return False, held

    def _groups(self) -> Iterator[tuple[list[Year], bool]]:
        """The years in order, as (years, kept): a year kept as stored alone, the others in groups of
        consecutive years up to GROUP reports (one check across reports for each group: its fixed
        cost paid once for many small years). Whether a year is kept depends on how the group before
        it came out, so the caller sets ``self.moved`` after each group."""
        size = self.reports.groupby(self.reports["year"].astype("Int64"), dropna=False).size()
        group: list[Year] = []
        for year in self.years:
            last = group[-1] if group else self.last
            if group and (
                year is None
                or last is None
                or self._untouched(year, None, False)
                or sum(size.get(y, 0) for y in group) + size.get(year, 0) > GROUP
            ):
                yield group, False
                group = []
                last = self.last
            if not group and self._untouched(year, last, self.moved):
                yield [year], True
                continue
            group.append(year)
        if group:
            yield group, False

    def fill(self, staging: Path) -> None:
        """Write every table into the staging folder of a new generation, a group of years at a time,
        each group validated before it is written; the reports table last (its issue counts known)."""
        before = None
        kept: set[Year] = set()
        self.last, self.moved = None, False
        total, done = len(self.years), 0
        for years, keep in self._groups():
            done += len(years)
            if self.progress is not None:
                self.progress(done, total)
            first = years[0]
            if keep:
                self._keep(staging, first)
                kept.add(first)
                before, self.last, self.moved = None, first, False
                continue
            # the tables the checks do not change: one at a time read, merged, validated and staged
            # first, then held only as far as the checks read them
            checked = self.derive is not None and first is not None
            fixed = [t for t in codes.TABLES[1:] if t not in DERIVED] if checked else []
            cur: dict[str, pd.DataFrame] = {}
            same = dict.fromkeys(years, True)
            for t in fixed:
                ok, held = self._fixed(staging, years, t)
                same = {y: ok[y] and same[y] for y in years}
                for k, df in held.items():
                    cur[k] = pd.concat([cur[k], df], ignore_index=True) if k in cur else df
                del held
            if fixed:
                _give_back()
            derived, old = self._merged(years, [t for t in codes.TABLES[1:] if t not in fixed])
            cur.update(derived)
            del derived
            changed: set[str] = set()
            if fixed:
                previous = self.last == first - 1
                if previous and before is None:  # the year before was kept: as stored
                    before = {t: self._old(t, {self.last}) for t in (*BEFORE, "sections")}
                    before = self._slim(
                        {t: df if df is not None else cur[t].iloc[0:0] for t, df in before.items()}
                    )
                window = self._window(years, cur, before if previous else None)  # type: ignore[arg-type]
                self.derived.update(years)  # type: ignore[arg-type]
                before = cur = None  # in the window now: not held twice
                found = self.derive(window, set(years), self.memo)  # type: ignore[arg-type]
                cur = {t: _of_years(window[t], years) for t in (*DERIVED, *BEFORE) if t in window}
                del window
                for t, df in found.items():
                    cur[t] = sort_rows(retyped(t, df), ORDER)
                    changed.add(t)
            rest = {t: df for t, df in cur.items() if t not in fixed}
            more = self._put(staging, years, rest, old, changed)
            self.moved = not (same[years[-1]] and more[years[-1]])
            self.n_issues.append(cur["issues"].groupby("report_id", observed=True).size())
            before = self._slim({t: _of_years(cur[t], years[-1:]) for t in BEFORE})
            self.last = years[-1]
            del cur, old
            _give_back()
        reports = self.reports
        if kept and self.old_reports is not None:  # the issues of the years kept: as counted before
            o = self.old_reports
            self.n_issues.append(
                o.loc[
                    o["year"].isin(kept) | (o["year"].isna() & (None in kept)), ["report_id", "n_issues"]
                ].set_index("report_id")["n_issues"]
            )
        counts = [c for c in self.n_issues if len(c)]
        counts = pd.concat(counts) if counts else pd.Series(dtype="int64")
        reports["n_issues"] = reports["report_id"].map(counts).fillna(0).astype("Int64")
        reports = sort_rows(retyped("reports", reports), ORDER)
        check_tables({"reports": reports}, self.out_dir)
        _reached("checked", "reports")
        old = parts.split(self.old_reports) if self.old_reports is not None else {}
        for name, part in parts.split(reports).items():
            self._stage(staging, "reports", name, part, old.get(name))
        for t in codes.TABLES:  # a table without rows: one empty partition, for its columns
            if not (staging / f"{t}.parquet").exists():
                self._stage(
                    staging, t, parts.partition_name(None), typed(t, pd.DataFrame(columns=COLUMNS[t])), None
                )
        if self.derive is not None and self.version is not None:
            (staging / CHECKED_BY).write_text(self.version + "\n", encoding="utf-8")


def save(
    frames: Mapping[str, pd.DataFrame] | Incoming,
    data_dir: str | Path | None = None,
    derive: Derive | None = None,
    version: str | None = None,
    progress: Progress | None = None,
    before: Before | None = None,
    inputs: Inputs | None = None,
) -> dict[str, int]:
    """Merge new reports into the store and replace it whole. Returns the row count of each table.

    New reports replace their report_ids and the old reports of the same source paths, never
    duplicate them; several documents for one bureau and year are all kept and one is chosen
    (``dedupe``). The tables are written a year at a time into a new generation folder beside the old
    one, each year validated before it is written, and that folder becomes the store in one step
    (``CURRENT`` renamed into place): a failed check or a process killed at any point leaves the
    previous tables whole. The previous generation is kept for readers still reading it; older ones
    and what killed runs left are removed. Raises StoreError (one line) when a table fails its schema.

    ``frames``: the new reports' tables, or an :class:`Incoming` (their rows spilled to disk while an
    ingest read them). ``derive`` (the checks across reports, ``analysis.corpus.apply``, passed by
    ingest) is called once a year with the tables its checks look at, that year and a dict it may keep
    things in for the years after, and returns the
    year's rows of the tables it changes; a stored table it does not change has only the new reports'
    rows validated again (and its keys on the whole year). Memory holds a few years' rows, not the store.
    ``version`` (a fingerprint of derive's code) is stored with the generation; when the stored one is
    the same, the years this save does not touch, nor the years around them, are kept as stored
    (linked, not read): adding a few reports to a large store reads and checks their years only.
    ``progress(done, total)`` is told the years written so far, as each group of years is taken on.
    ``before`` (``analysis.corpus.year_before``) takes a year's tables to the rows derive reads of
    them as the year before; without it those tables are held whole. ``inputs``
    (``analysis.corpus.check_inputs``) takes a table of the years being checked, as it is staged, to
    what derive reads of it (and what it sums up of it, given to derive under their own names);
    without it the tables derive reads are held whole.
    """
    out_dir = resolve_data_dir(data_dir)
    new = frames if isinstance(frames, Incoming) else Incoming.of(frames)
    with _locked(out_dir), _frozen():
        _reached("locked")
        _tidy(out_dir)
        _migrate(out_dir)
        writer = _Writer(generation_dir(out_dir), out_dir, new, derive, version, progress, before, inputs)
        gen = _new_generation(out_dir, writer.fill)
        _publish(out_dir, gen)
        _tidy(out_dir)
    return writer.counts
