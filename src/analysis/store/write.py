"""Writing the store: every table validated, written as a new generation beside the old one and made
current in one step, under a lock.

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
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.model import codes

if TYPE_CHECKING:
    from pandera.errors import SchemaErrors

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
from . import parts
from .load import (
    GENERATION,
    LINK,
    POINTER,
    StoreError,
    broken_pointer,
    generation_dir,
    read_stored,
    resolve_data_dir,
    table_path,
)
from .merge import finish, merge
from .schema import COLUMNS, typed, validate_rows


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
    for path in out_dir.glob(".*.tmp"):
        _remove(path)
    for n, path in gens.items():
        if n not in keep:
            _remove(path)


def _stage(
    df: pd.DataFrame, path: Path, old: Old | None = None, report_years: Mapping[str, object] | None = None
) -> Path:
    """Write one table into a generation being staged, durably, as a folder of year partitions
    (:mod:`.parts`; a table without a year column by its reports' ``report_years``). A partition whose
    rows are those of the previous generation's (``old``) is hard-linked from it, not written again."""
    path.mkdir()
    before = parts.split(old.frame, report_years) if old is not None else {}
    for name, part in parts.split(df, report_years).items():
        folder = path / name
        folder.mkdir()
        same = name in before and len(before[name]) == len(part) and before[name].equals(part)
        if same and old is not None:
            for src in sorted((old.folder / name).glob("*.parquet")):
                _link_or_copy(src, folder / src.name)
                _fsync(folder / src.name)
        else:
            parts.write(part, folder / parts.PART)
            _fsync(folder / parts.PART)
        _fsync(folder)
    _fsync(path)
    return path


@dataclass(frozen=True)
class Old:
    """A table of the previous generation, stored as year partitions: its folder and its rows."""

    folder: Path
    frame: pd.DataFrame


def _new_generation(out_dir: Path, put: dict[str, Callable[[Path], object]]) -> Path:
    """A new, whole generation folder beside the old ones, not yet current: staged under a ``.tmp``
    name (removed again if anything fails) and renamed to ``gen-NNNNNN`` once every table is in it."""
    number = max(_generations(out_dir), default=0) + 1
    final = out_dir / f"gen-{number:06d}"
    staging = out_dir / f".{final.name}.tmp"
    staging.mkdir()
    try:
        _reached("staging", staging.name)
        for table, write in put.items():
            write(staging / f"{table}.parquet")
            _reached("staged", table)
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
        _publish(out_dir, _new_generation(out_dir, {t: partial(_link_or_copy, p) for t, p in flat.items()}))


def _new_rows(
    merged: dict[str, pd.DataFrame], new_frames: dict[str, pd.DataFrame], kept: set[str]
) -> dict[str, pd.Series]:
    """The rows a save must validate in the tables whose stored rows it ``kept`` as they were (the
    merge added the new reports' rows to them; ``derive`` did not touch them): the new reports' rows.
    Every other table (reports, derived tables, tables new to the store) is validated whole."""
    ids = set(new_frames["reports"]["report_id"].dropna())
    out = {}
    for t in kept - {"reports"}:
        out[t] = merged[t]["report_id"].isin(ids | set(new_frames[t]["report_id"].dropna()))
    return out


Derive = Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]


def save(
    frames: dict[str, pd.DataFrame], data_dir: str | Path | None = None, derive: Derive | None = None
) -> dict[str, int]:
    """Merge new reports into the store and replace it whole. Returns the row count of each table.

    New reports replace their report_ids and the old reports of the same source paths, never
    duplicate them; several documents for one bureau and year are all kept and one is chosen
    (``dedupe``). Every table is validated before any is written; all are written into a new
    generation folder beside the old one, which becomes the store in one step (``CURRENT`` renamed
    into place): a failed check or a process killed at any point leaves the previous tables whole.
    The previous generation is kept for readers still reading it; older ones and what killed runs
    left are removed. Raises StoreError (one line) when a table fails its schema.

    ``derive`` (the checks across reports, ``analysis.corpus.apply``, passed by ingest) gets every
    merged table and returns them with its issues and derived tables, computed on the whole store so
    the result does not depend on the order reports arrived in; a table it changes is returned as a new
    frame (one it returns as given is taken as unchanged: only the new reports' rows of it are
    validated again, and its keys on the whole table).
    """
    out_dir = resolve_data_dir(data_dir)
    with _locked(out_dir):
        _reached("locked")
        _tidy(out_dir)
        _migrate(out_dir)
        old_dir = generation_dir(out_dir)
        new_frames = {t: typed(t, frames.get(t, pd.DataFrame(columns=COLUMNS[t]))) for t in codes.TABLES}
        old_frames, old = {}, {}
        for t in codes.TABLES:
            stored = read_stored(old_dir, t, out_dir)
            if stored is not None:
                old_frames[t] = stored[0]
                if stored[1]:  # partitioned: the unchanged partitions are linked, not written again
                    old[t] = Old(old_dir / f"{t}.parquet", stored[0])
        merged = merge(old_frames, new_frames)
        derived = derive(merged) if derive is not None else merged
        unchanged = {t for t, df in derived.items() if df is merged.get(t)}  # as merge finished them
        kept = unchanged & set(old_frames)
        del old_frames  # what is still needed of them is in ``old`` (the partitions to compare)
        merged = finish(derived, ready=unchanged) if derive is not None else merged
        check_tables(merged, out_dir, _new_rows(merged, new_frames, kept))
        _reached("checked")
        years = dict(zip(merged["reports"]["report_id"], merged["reports"]["year"], strict=True))
        put = {t: partial(_stage, df, old=old.get(t), report_years=years) for t, df in merged.items()}
        gen = _new_generation(out_dir, put)
        _publish(out_dir, gen)
        _tidy(out_dir)
    return {table: len(df) for table, df in merged.items()}
