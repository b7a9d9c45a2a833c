"""Per-report steps of the checks kept between saves: for copied text, a report's sentences as it
splits and masks them (hashed) and its shingle sets; the figures its narrative states.

Each is a function of the report alone (its sections, which its bytes and the reader that read them
decide, and its bureau, region, template and year) and of the checks' code, so it is kept on disk
under a key of those and made again only for the reports it does not hold (a report's shingle sets
also depend on which of its sentences are the year's template wording: that is in their key). Adding a few reports to a
large store then splits only theirs, not every report of the years they touch. A cache, not part of
the store: the views never read it, a store without it makes it again, and deleting it changes
nothing but time. It lives beside the store's generations, in :data:`FOLDER`, a folder per version of
the checks (:func:`analysis.corpus.checks_version`; the others are removed), a step and a year.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.store.parts import write_whole

FOLDER = ".corpus-kept"
# what a report's steps are made from, besides its sections (which its report_id and reader fix)
_KEY_FIELDS = ("report_id", "reader", "bureau", "bureau_as_printed", "region", "template", "year")
_ROW = "kept_row"  # a kept row's place in its report's rows; -1: the report has none (made, empty)
_KEY = "kept_key"
_EXACT = {pa.uint64(): pd.UInt64Dtype(), pa.int64(): pd.Int64Dtype()}  # read back as written, NA and all
MERGE_AT = 16  # files of one step and year: from this many, they are merged into one


def report_keys(reports: pd.DataFrame) -> pd.Series:
    """report_id → the key a report's steps are kept under: a hash of :data:`_KEY_FIELDS`."""
    cols = [reports[c].astype("string").fillna("\x00NA").tolist() for c in _KEY_FIELDS]
    keys = [
        hashlib.blake2b("\x1f".join(v).encode(), digest_size=12).hexdigest() for v in zip(*cols, strict=True)
    ]
    return pd.Series(keys, index=reports["report_id"].astype("string").tolist(), dtype=object)


def _frame(table: pa.Table) -> pd.DataFrame:
    """Kept rows as pandas, exactly as they were written (integers with NA as nullable integers)."""
    return table.to_pandas(types_mapper=_EXACT.get)


class Kept:
    """The kept steps of one store (``store_dir``) and version of the checks (``version``)."""

    def __init__(self, store_dir: str | Path, version: str) -> None:
        root = Path(store_dir) / FOLDER
        self.folder = root / version
        if root.is_dir():  # what other versions of the checks made is never read again
            for old in root.iterdir():
                if old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)
        self._held: dict[tuple[str, int], pa.Table | None] = {}
        self._keys: dict[str, str] = {}  # report_id → its key, while a save checks a group of years
        self._asked: dict[tuple[str, int], set[str]] = {}  # the keys asked of each step and year

    def rows(
        self,
        step: str,
        reports: pd.DataFrame,
        make: Callable[[list[str]], pd.DataFrame],
        schema: dict[str, pa.DataType],
        salt: pd.Series | None = None,
    ) -> pd.DataFrame:
        """The step's rows of these reports (report_id and the columns of ``schema``; each report's rows
        in the order ``make`` gave them, the reports in report_id order): those kept, and for the others
        what ``make`` (given their report_ids) returns, which is kept for the next time. ``reports``:
        their rows of the reports table (every field of :data:`_KEY_FIELDS`; year known). ``salt``:
        report_id → what else the step's rows of a report depend on (text), part of its key. ``make``
        must be able to make every report it is given: what it returns for one is kept as that
        report's rows (none: kept as none), so a caller asks only for reports whose input it holds."""
        ids = reports["report_id"].astype("string").tolist()
        if any(i not in self._keys for i in ids):
            self._keys.update(report_keys(reports[[i not in self._keys for i in ids]]))
        keys = pd.Series([self._keys[i] for i in ids], index=ids, dtype=object)
        if salt is not None:
            keys = keys + "/" + salt.reindex(keys.index).astype(str)
        years = pd.Series(reports["year"].astype("int64").to_numpy(), index=keys.index)
        parts, have = [], set()
        for y in sorted(set(years)):
            of_year = keys[years == y]
            self._asked.setdefault((step, int(y)), set()).update(of_year)
            rows, found = self._found(step, int(y), of_year)
            parts += [rows] if len(rows) else []
            have |= found
        missing = [rid for rid, k in keys.items() if k not in have]
        if missing or not parts:
            made = make(missing)[["report_id", *schema]].reset_index(drop=True)
            table = self._keep(step, made, keys[missing], years[missing], schema)
            # as it will be read back next time: the same dtypes whichever way a row came
            parts.append(pd.concat([made[["report_id"]], _frame(table.select(list(schema)))], axis=1))
        out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        order = out["report_id"].astype(str).argsort(kind="stable").to_numpy()
        return out.iloc[order].reset_index(drop=True)

    def _found(self, step: str, year: int, keys: pd.Series) -> tuple[pd.DataFrame, set[str]]:
        """The kept rows of these reports (their keys) of one year, report_id first, and the keys of
        the reports kept (with rows or none)."""
        table = self._table(step, year)
        if table is None or not len(keys):
            return pd.DataFrame(), set()
        wanted = pa.array(keys.tolist(), pa.string())
        got = table.filter(pc.is_in(table[_KEY], value_set=wanted))
        found = set(pc.unique(got[_KEY]).to_pylist())
        got = got.filter(pc.greater_equal(got[_ROW], 0))
        at = pc.index_in(got[_KEY], value_set=wanted).to_numpy(zero_copy_only=False)
        ids = keys.index.to_numpy(dtype=object)[at]  # each row's report, by its key's place
        df = _frame(got.drop_columns([_KEY, _ROW]))
        df.insert(0, "report_id", ids)
        return df, found

    def _table(self, step: str, year: int) -> pa.Table | None:
        """A step's kept rows of a year (read once per instance, its files merged when there are many)."""
        at = (step, year)
        if at not in self._held:
            folder = self.folder / step / str(year)
            files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
            tables, seen, twice = [], pa.array([], pa.string()), False
            for f in files:
                try:
                    t = pq.read_table(f)
                except (OSError, pa.ArrowException):  # a damaged file: its reports are made again
                    f.unlink(missing_ok=True)
                    continue
                if tables:  # a report kept in an earlier file too: its rows are taken from that one
                    again = pc.is_in(t[_KEY], value_set=seen)
                    if pc.any(again).as_py():
                        t, twice = t.filter(pc.invert(again)), True
                tables.append(t)
                seen = pa.concat_arrays([seen, pc.unique(t[_KEY])])
            table = pa.concat_tables(tables, promote_options="default") if tables else None
            if table is not None and (len(tables) >= MERGE_AT or twice):
                self._replace(folder, table)
            self._held[at] = table
        return self._held[at]

    def _keep(
        self, step: str, made: pd.DataFrame, keys: pd.Series, years: pd.Series, schema: dict[str, pa.DataType]
    ) -> pa.Table:
        """Keep what ``make`` returned for these reports (a marker row for one it gave no rows); its
        rows as kept, markers left out."""
        pos = made.groupby("report_id", sort=False).cumcount().to_numpy()
        rows = made.drop(columns="report_id").assign(
            **{_KEY: made["report_id"].map(keys).to_numpy(), _ROW: pos}
        )
        given = set(made["report_id"])
        empty = [rid for rid in keys.index if rid not in given]
        if empty:
            marks = pd.DataFrame({_KEY: keys[empty].to_numpy(), _ROW: -1})
            rows = pd.concat([rows, marks], ignore_index=True) if len(rows) else marks
        rows = rows.reindex(columns=[*schema, _KEY, _ROW])
        rows["year"] = made["report_id"].map(years).tolist() + years[empty].tolist()
        for year, df in rows.groupby("year", sort=True):
            table = pa.Table.from_pandas(
                df.drop(columns="year"),
                schema=pa.schema([*schema.items(), (_KEY, pa.string()), (_ROW, pa.int32())]),
                preserve_index=False,
            ).replace_schema_metadata(None)
            self._write(self.folder / step / str(int(year)), table)
            at = (step, int(year))
            if at in self._held:  # read already (None: no file then): what was just kept joins it
                held = self._held[at]
                self._held[at] = (
                    table if held is None else pa.concat_tables([held, table], promote_options="default")
                )
        return pa.Table.from_pandas(
            made.drop(columns="report_id"), schema=pa.schema(list(schema.items())), preserve_index=False
        )

    @staticmethod
    def _write(folder: Path, table: pa.Table) -> bool:
        """One more file of kept rows (:func:`.parts.write_whole`); one that cannot be written is not
        kept (a cache: the save goes on, the next one makes those rows again)."""
        return write_whole(table, folder / f"{uuid.uuid4().hex}.parquet")

    def _replace(self, folder: Path, table: pa.Table) -> None:
        """A step-year's files replaced by one of these rows (left as they are when it cannot be written)."""
        files = sorted(folder.glob("*.parquet"))
        if self._write(folder, table):
            for f in files:
                f.unlink(missing_ok=True)

    def release(self, prune: Collection[int] | None = ()) -> None:
        """Let go of what was read (a save holds it only while it checks a group of years). ``prune``:
        the years whose every report was asked for (those the call checked; None: every year asked),
        whose rows of reports not asked (replaced, or kept under a key that changed: another reader,
        another template wording) go when they are a quarter of the year's rows or more."""
        for (step, year), asked in self._asked.items():
            if prune is not None and year not in prune:
                continue
            table = self._held.get((step, year))
            if table is None:
                continue
            live = pc.is_in(table[_KEY], value_set=pa.array(sorted(asked), pa.string()))
            dead = len(table) - (pc.sum(live).as_py() or 0)
            if dead and dead * 4 >= len(table):
                self._replace(self.folder / step / str(year), table.filter(live))
        self._held.clear()
        self._keys.clear()
        self._asked.clear()
