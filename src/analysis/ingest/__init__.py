"""A folder of reports → the Parquet store, streamed: files hashed first, those the store already has
skipped, the rest read in parallel (worker processes here, or a Dask cluster) and stacked into typed
tables a bounded batch at a time, then one save. A progress bar and a closing summary.

``sources`` lists and fetches files (local or fsspec URLs), ``plan`` decides what to read,
``executors`` runs the reading, ``tables`` turns what comes back into typed frames."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from analysis.model.document import ReadError, naming_file, storable
from analysis.store.incoming import Incoming, spill_folder
from analysis.store.schema import COLUMNS

from .. import corpus, store
from ..report import Report, extract_report, failed_report, reader_version
from .executors import runner
from .hashes import file_hashes
from .plan import carry_stored, plan
from .sources import (
    check_output,
    fetched,
    find_remote,
    is_remote,
    is_report,
    local,
)
from .tables import Batches, Compact, compact, reports_to_frames

__all__ = [
    "IngestSummary",
    "available_cores",
    "find_reports",
    "find_sources",
    "ingest_folder",
    "process_file",
    "read_compact",
    "reports_to_frames",
]


@dataclass
class IngestSummary:
    """What an ingest run did: status per file and the failures with their one-line reasons."""

    statuses: dict[str, str] = field(default_factory=dict)  # source path -> ok / partial / failed
    failures: dict[str, str] = field(default_factory=dict)  # source path -> reason
    duplicates: dict[str, str] = field(default_factory=dict)  # source path -> path with the same bytes
    moved: dict[str, str] = field(default_factory=dict)  # new path -> the stored path with its bytes
    unchanged: dict[str, str] = field(default_factory=dict)  # source path -> stored status (skipped)
    reread: int = 0  # files in the store already, read again because the reader changed since
    counts: dict[str, int] = field(default_factory=dict)  # rows per table after the merge (if written)
    # bureau-years these files share with other documents: (bureau, year, documents, the one used)
    several: list[tuple[str, int, int, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step: hash, read, write
    peak_mb: dict[str, float] = field(default_factory=dict)  # this process's peak RSS at each step's end

    def text(self) -> str:
        c = Counter(status for path, status in self.statuses.items() if path not in self.moved)
        lines = [
            f"{len(self.statuses) + len(self.unchanged)} files: {c.get('ok', 0)} read, "
            f"{c.get('partial', 0)} partial, {c.get('failed', 0)} failed"
            + (f", {len(self.moved)} moved (stored under another path)" if self.moved else "")
            + (
                f", {len(self.unchanged)} skipped as unchanged (already in the store)"
                if self.unchanged
                else ""
            )
        ]
        if self.reread:
            lines.append(
                f"  read again: {self.reread} files already stored, read by an earlier version of the reader"
            )
        lines += [f"  failed  {naming_file(p, why)}" for p, why in self.failures.items()]
        lines += _first(
            [
                f"  same    {p}: same bytes as {other} (read once, both paths recorded)"
                for p, other in self.duplicates.items()
            ],
            "  same    … and {} more files with the same bytes as another (read once, all paths recorded)",
        )
        lines += _first(
            [
                f"  moved   {p}: same bytes as the stored {other} (not read again, its path recorded)"
                for p, other in self.moved.items()
            ],
            "  moved   … and {} more files stored under another path (not read again, their paths recorded)",
        )
        lines += _first(
            [
                f"  several {bureau} {year}: {n} documents, the views use {used} (see issues duplicate.bureau_year)"
                for bureau, year, n, used in self.several
            ],
            "  several … and {} more bureau-years",
        )
        if self.counts:
            lines.append("  tables: " + ", ".join(f"{t} {n}" for t, n in self.counts.items()))
        elif self.unchanged:
            lines.append("  nothing new: the store is unchanged")
        if self.seconds:
            lines.append("  time: " + ", ".join(f"{step} {s:.1f} s" for step, s in self.seconds.items()))
        if self.peak_mb:
            lines.append(
                "  peak memory of this process: "
                + ", ".join(f"{mb:.0f} MB {step}" for step, mb in self.peak_mb.items())
            )
        return "\n".join(lines)


LISTED = 20  # lines of each kind the summary lists (a moved folder of 10,000 files: not 10,000 lines)


def _first(lines: list[str], more: str) -> list[str]:
    """The first LISTED lines, and ``more`` (formatted with how many were left out) for the rest."""
    if len(lines) <= LISTED:
        return lines
    return [*lines[:LISTED], more.format(f"{len(lines) - LISTED:,}")]


def available_cores() -> int:
    """The CPUs this process may run on (its affinity or cgroup share where Python can tell, else every
    core): the default number of parallel workers for ``ingest`` and ``briefs``."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+: affinity-aware
    if count is not None:
        return max(1, count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def find_reports(raw_dir: str | Path) -> list[Path]:
    """Report files under a folder (recursively), in a stable order; hidden files and the notes named in
    NOT_REPORTS (a folder's SOURCES.md, README.md) are skipped."""
    raw = Path(raw_dir)
    if raw.is_file():
        return [raw]
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: no such folder")
    return sorted(p for p in raw.rglob("*") if p.is_file() and is_report(p.name, p.relative_to(raw).parts))


def find_sources(raw: str | Path) -> list[str]:
    """The report files under a local folder, a ``file://`` URL or an fsspec URL (``s3://bucket/prefix``)."""
    if is_remote(raw):
        return find_remote(str(raw))
    return [str(p) for p in find_reports(local(raw))]


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def process_file(path: Path, timeout: float | None = None) -> Report:
    """Extract one file; any failure becomes a failed report with its reason, never an exception.

    ``timeout`` (seconds, Unix main thread only) stops a file that takes too long, so one pathological
    document cannot hold up a batch."""
    timer = (
        bool(timeout) and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    )
    if timer:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return extract_report(path)
    except ReadError as exc:
        reason = str(exc)
    except _Timeout:
        reason = f"{path}: reading took longer than {timeout:g} s: skipped (see --timeout)"
    except Exception as exc:  # one bad file must never stop a batch
        reason = f"{path}: internal error while reading: {type(exc).__name__}: {exc}"
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return _failed(path, reason.splitlines()[0] if reason else reason)


def _failed(path: Path, reason: str) -> Report:
    """The failed report of a file (keyed by its bytes when they can still be read)."""
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    return failed_report(path, data, reason)


def _renamed(result: Compact, old: str, new: str) -> Compact:
    """A report read from a temporary copy, naming its real source instead."""

    def fix(v: Any) -> Any:
        return v.replace(old, new) if isinstance(v, str) else v

    row, records = result
    return {k: fix(v) for k, v in row.items()}, {
        t: [tuple(fix(v) for v in rec) for rec in recs] for t, recs in records.items()
    }


def read_compact(source: str, timeout: float | None = None) -> Compact:
    """One file (a path or an fsspec URL) read into its compact tables: what a worker sends back."""
    if not is_remote(source):
        return compact(process_file(Path(local(source)), timeout))
    try:
        with fetched(source) as path:
            return _renamed(compact(process_file(path, timeout)), storable(str(path)), storable(source))
    except OSError as exc:  # gone, no access: this file fails, the batch goes on
        return compact(failed_report(source, None, f"{source}: could not be fetched: {exc}"))


def _crashed(source: str) -> Compact:
    """The result of a file whose reader killed its process."""
    reason = f"{source}: the reader crashed on this file (its process died)"
    if is_remote(source):
        return compact(failed_report(source, None, reason))
    return compact(_failed(Path(local(source)), reason))


_SEVERITY = COLUMNS["issues"].index("severity")
_MESSAGE = COLUMNS["issues"].index("message")


def _reason(records: dict[str, list[tuple]]) -> str:
    """Why a report failed: its first error's message."""
    return next((i[_MESSAGE] for i in records["issues"] if i[_SEVERITY] == "error"), "")


def _stored_reports(out_dir: Path):  # noqa: ANN202 - a DataFrame or None
    """The store's reports table, or None when there is no store yet."""
    try:
        return store.load_table("reports", out_dir, validate=False)
    except FileNotFoundError:
        return None


def ingest_folder(
    raw_dir: str | Path,
    out_dir: str | Path = "data/clean",
    jobs: int | None = None,
    progress: bool = True,
    timeout: float | None = 300,
    force: bool = False,
    scheduler: Any = None,
    batch_size: int = 200,
) -> IngestSummary:
    """Read every report under raw_dir (a folder or an fsspec URL) into the store at out_dir (a local
    or mounted folder); re-running replaces, never duplicates.

    Files are hashed first: those whose bytes the store has under the same path are skipped (``force``
    reads them again), a stored file under a new path records that path without being read. Files with
    the same bytes are one report with all their paths; a file that cannot be read, crashes its reader,
    takes longer than ``timeout`` seconds or fails a schema check is a failed report with its reason.
    ``scheduler`` (a Dask scheduler address or ``distributed.Client``) reads on that cluster's workers.
    Reports are stacked into typed tables ``batch_size`` at a time; the store is saved once, at the end.
    Nothing is written when the run is interrupted or nothing is new."""
    check_output(out_dir)
    out_dir = Path(local(out_dir))
    files = find_sources(raw_dir)
    summary = IngestSummary()
    if not files:
        return summary
    names = [storable(f) for f in files]
    run = runner(jobs or min(len(files), available_cores()), scheduler)
    spill = spill_folder(out_dir)
    batches = Batches(Incoming(spill), batch_size)
    first_path: dict[str, str] = {}  # report_id → the path read
    clock = time.perf_counter()
    try:
        try:
            with tqdm(total=len(files), desc="hashing files", unit="file", disable=not progress) as bar:
                shas, remember = file_hashes(out_dir, files, run.hashes, trust=not force)
                bar.update(len(files))
                stored = _stored_reports(out_dir)
                todo = plan(names, shas, stored, force, reader_version())
                summary.reread = todo.reread
                summary.seconds["hashing"] = time.perf_counter() - clock
                if todo.carry:
                    bar.reset(total=len(todo.carry))
                    bar.set_description("carrying moved files' reports")

                    def add(frames: dict[str, Any]) -> None:
                        batches.add_frames(frames)
                        bar.update(len(frames["reports"]))

                    todo.read += carry_stored(todo, names, out_dir, stored, add)
                    summary.seconds["carrying moved files' reports"] = (
                        time.perf_counter() - clock - summary.seconds["hashing"]
                    )
                todo.read.sort()
                bar.reset(total=len(files))
                bar.set_description("reading reports")
                bar.update(len(todo.unchanged) + sum(len(g) for g in todo.carry.values()))
                for k, (row, records) in run.results(
                    read_compact, [files[g[0]] for g in todo.read], timeout, _crashed
                ):
                    group = todo.read[k]
                    _count(summary, row, records, [names[i] for i in group])
                    first_path[row["report_id"]] = names[group[0]]
                    batches.add(row, records)
                    bar.update(len(group))
        finally:
            run.close()
        summary = _write(summary, todo, stored, batches, first_path, names, out_dir, clock, progress)
        remember()  # the files' hashes, for the next run: only once this one is done
        return summary
    finally:
        batches.incoming.close()  # the spilled rows: in the store now, or not wanted


def _write(
    summary: IngestSummary,
    todo: Any,
    stored: Any,
    batches: Batches,
    first_path: dict[str, str],
    names: list[str],
    out_dir: Path,
    clock: float,
    progress: bool,
) -> IngestSummary:
    """After reading: the summary completed and the store saved (when anything is new)."""
    summary.seconds["reading"] = time.perf_counter() - clock - sum(summary.seconds.values())
    _peak(summary, "reading")
    for i, status in todo.unchanged.items():
        summary.unchanged[names[i]] = status
    if todo.carry:
        old = stored.drop_duplicates("report_id").set_index("report_id")[["parse_status", "source_path"]]
    for rid, group in todo.carry.items():
        summary.statuses[names[group[0]]] = str(old.at[rid, "parse_status"])
        summary.moved[names[group[0]]] = str(old.at[rid, "source_path"])
        summary.duplicates.update({names[i]: names[group[0]] for i in group[1:]})
    incoming = batches.done()
    for rid, why in batches.failed.items():
        path = first_path[rid]
        summary.statuses[path] = "failed"
        summary.failures[path] = f"{path}: {why}"
    _in_order(summary, names)
    if not todo.read and not todo.carry:
        return summary  # nothing new: the store is left as it is
    clock = time.perf_counter()
    with tqdm(desc="writing the store", unit="year", disable=not progress) as bar:

        def told(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        summary.counts = store.save(incoming, out_dir, progress=told, **corpus.save_options(out_dir))
    summary.seconds["writing (with the checks across reports)"] = time.perf_counter() - clock
    _peak(summary, "writing")
    summary.several = _several(set(incoming.reports["report_id"]), out_dir)
    return summary


def _peak(summary: IngestSummary, step: str) -> None:
    """Note the process's peak resident memory so far (Linux: VmHWM, which unlike ru_maxrss does not
    carry over the peak of the process that started this one; elsewhere ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
        summary.peak_mb[f"by the end of {step}"] = kb / 1024
        return
    except (OSError, StopIteration, ValueError):
        pass
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary.peak_mb[f"by the end of {step}"] = rss / (2**20 if sys.platform == "darwin" else 2**10)


def _count(summary: IngestSummary, row: dict, records: dict[str, list[tuple]], paths: list[str]) -> None:
    """Record a read report's status (and its copies') in the summary; its row gets the copies' paths."""
    first, copies = paths[0], paths[1:]
    row["duplicate_paths"] = "\n".join(copies) or None
    status = row["parse_status"]
    summary.statuses[first] = status
    if status == "failed":
        why = _reason(records)
        summary.failures[first] = why
        for p in copies:  # e.g. two empty files: each gets its own answer
            summary.statuses[p] = "failed"
            summary.failures[p] = why.replace(first, p)
    else:
        summary.duplicates.update(dict.fromkeys(copies, first))


def _in_order(summary: IngestSummary, names: list[str]) -> None:
    """The summary's lists in the order of the files (results arrive in the order they finish)."""
    rank = {n: i for i, n in enumerate(names)}
    for attr in ("statuses", "failures", "duplicates", "moved", "unchanged"):
        d = getattr(summary, attr)
        setattr(summary, attr, dict(sorted(d.items(), key=lambda kv: rank.get(kv[0], len(rank)))))


def _several(ids: set[str], out_dir: str | Path) -> list[tuple[str, int, int, str]]:
    """The bureau-years of these reports that the store holds several documents for, and the one used."""
    reports = store.load_table("reports", out_dir, validate=False)
    known = reports[reports["bureau"].notna() & reports["year"].notna()].astype({"bureau": "string"})
    keys = ["bureau", "year"]
    sizes = known.groupby(keys).size().rename("n")
    used = known[known["superseded_by"].isna()].drop_duplicates(keys).set_index(keys)["source_path"]
    mine = known[known["report_id"].isin(ids)][keys].drop_duplicates().set_index(keys)
    mine = mine.join(sizes).join(used)
    mine = mine[mine["n"] > 1].sort_index()
    return [(str(b), int(y), int(r.n), str(r.source_path)) for (b, y), r in mine.iterrows()]
