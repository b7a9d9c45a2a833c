"""A folder of reports → the Parquet store, in parallel, with a progress bar and a closing summary."""

from __future__ import annotations

import numbers
import os
import signal
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from tqdm.auto import tqdm

from analysis.model.document import ReadError, naming_file
from analysis.read import SUPPORTED
from analysis.store.schema import COLUMNS, typed, validate

from . import corpus, store
from .report import RECORD_TABLES, Report, extract_report, failed_report


@dataclass
class IngestSummary:
    """What an ingest run did: status per file and the failures with their one-line reasons."""

    statuses: dict[str, str] = field(default_factory=dict)  # source path -> ok / partial / failed
    failures: dict[str, str] = field(default_factory=dict)  # source path -> reason
    duplicates: dict[str, str] = field(default_factory=dict)  # source path -> path with the same bytes
    counts: dict[str, int] = field(default_factory=dict)  # rows per table after the merge
    # bureau-years these files share with other documents: (bureau, year, documents, the one used)
    several: list[tuple[str, int, int, str]] = field(default_factory=list)

    def text(self) -> str:
        c = Counter(self.statuses.values())
        lines = [
            f"{len(self.statuses)} files: {c.get('ok', 0)} read, {c.get('partial', 0)} partial, "
            f"{c.get('failed', 0)} failed"
        ]
        lines += [f"  failed  {naming_file(p, why)}" for p, why in self.failures.items()]
        lines += [
            f"  same    {p}: same bytes as {other} (read once, both paths recorded)"
            for p, other in self.duplicates.items()
        ]
        lines += [
            f"  several {bureau} {year}: {n} documents, the views use {used} (see issues duplicate.bureau_year)"
            for bureau, year, n, used in self.several[:20]
        ]
        if len(self.several) > 20:
            lines.append(f"  several … and {len(self.several) - 20} more bureau-years")
        if self.counts:
            lines.append("  tables: " + ", ".join(f"{t} {n}" for t, n in self.counts.items()))
        return "\n".join(lines)


def available_cores() -> int:
    """The CPUs this process may run on (its affinity or cgroup share where Python can tell, else every
    core): the default number of parallel workers for ``ingest`` and ``briefs``."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+: affinity-aware
    if count is not None:
        return max(1, count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


# notes kept beside the reports (provenance, a read-me) are not reports, whatever their extension
NOT_REPORTS = frozenset({"sources.md", "readme.md"})


def find_reports(raw_dir: str | Path) -> list[Path]:
    """Report files under a folder (recursively), in a stable order; hidden files and the notes named in
    NOT_REPORTS (a folder's SOURCES.md, README.md) are skipped."""
    raw = Path(raw_dir)
    if raw.is_file():
        return [raw]
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: no such folder")
    return sorted(
        p
        for p in raw.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED
        and p.name.lower() not in NOT_REPORTS
        and not any(part.startswith(".") for part in p.relative_to(raw).parts)
    )


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


def _process_isolated(path: Path, timeout: float | None) -> Report:
    """Read one file in a process of its own: a reader that crashes the interpreter fails only this file."""
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(process_file, path, timeout).result()
    except BrokenProcessPool:
        return _failed(path, f"{path}: the reader crashed on this file (its process died)")


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and says what happened (no tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the worker processes without waiting for their files."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _read_all(files: list[Path], jobs: int, timeout: float | None, progress: bool) -> list[Report]:
    """Every file's Report, in the order of ``files``, read by ``jobs`` processes with a progress bar."""
    results: list[Report | None] = [None] * len(files)
    with tqdm(total=len(files), desc="reading reports", unit="file", disable=not progress) as bar:
        if jobs > 1 and len(files) > 2:
            crashed: list[int] = []
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
            try:
                futures = {pool.submit(process_file, f, timeout): i for i, f in enumerate(files)}
                for fut in as_completed(futures):
                    try:
                        results[futures[fut]] = fut.result()
                        bar.update()
                    except BrokenProcessPool:  # a worker died: the files it held are read again alone
                        crashed.append(futures[fut])
            except BaseException:  # Ctrl-C: stop the workers now rather than after their files
                _stop_workers(pool)
                raise
            pool.shutdown()
            for i in sorted(crashed):
                results[i] = _process_isolated(files[i], timeout)
                bar.update()
        else:
            for i, f in enumerate(files):
                results[i] = process_file(f, timeout)
                bar.update()
    return [r for r in results if r is not None]


def reports_to_frames(reports: list[Report]) -> dict[str, pd.DataFrame]:
    """Stack many reports' records into one DataFrame per table."""
    frames = {"reports": pd.DataFrame([r.report for r in reports], columns=COLUMNS["reports"])}
    for t in RECORD_TABLES:
        frames[t] = pd.DataFrame([rec for r in reports for rec in getattr(r, t)], columns=COLUMNS[t])
    return frames


def _schema_failures(reports: list[Report]) -> dict[str, str]:
    """report_id → one-line reason for the reports whose records fail a table's schema check."""
    frames = reports_to_frames(reports)
    bad: dict[str, str] = {}
    for table, df in frames.items():
        df = typed(table, df)
        try:
            validate(table, df)
        except pa.errors.SchemaErrors as err:
            cases = err.failure_cases.to_dict("records")
            if any(not isinstance(c["index"], numbers.Integral) for c in cases):
                continue  # a failure not tied to rows: the store refuses the table with its reason
            for c in cases:
                rid = str(df["report_id"].iloc[c["index"]])
                why = f"schema check failed: {table}.{c['column']} {c['check']} ({c['failure_case']!r})"
                bad.setdefault(rid, why)
    return bad


def _reason(rep: Report) -> str:
    """Why a report failed: its first error's message."""
    return next((i["message"] for i in rep.issues if i["severity"] == "error"), "")


def ingest_folder(
    raw_dir: str | Path,
    out_dir: str | Path = "data/clean",
    jobs: int | None = None,
    progress: bool = True,
    timeout: float | None = 300,
) -> IngestSummary:
    """Read every report under raw_dir into the store at out_dir; re-running replaces, never duplicates.

    Files with the same bytes are one report with all their paths; a file that cannot be read, crashes
    its reader, takes longer than ``timeout`` seconds or fails a schema check is a failed report with
    its reason. Nothing is written when the run is interrupted."""
    files = find_reports(raw_dir)
    summary = IngestSummary()
    if not files:
        return summary
    jobs = jobs or min(len(files), available_cores())
    results = _read_all(files, jobs, timeout, progress)
    unique: dict[str, Report] = {}
    for rep in results:
        path = rep.report["source_path"]
        rid = rep.report["report_id"]
        if rid in unique:
            first = unique[rid].report
            first["duplicate_paths"] = "\n".join(filter(None, [first.get("duplicate_paths"), path]))
            if rep.report["parse_status"] == "failed":  # e.g. two empty files: each gets its own answer
                summary.statuses[path] = "failed"
                summary.failures[path] = _reason(rep)
            else:
                summary.duplicates[path] = first["source_path"]
            continue
        unique[rid] = rep
        summary.statuses[path] = rep.report["parse_status"]
        if rep.report["parse_status"] == "failed":
            summary.failures[path] = _reason(rep)
    for rid, reason in _schema_failures(list(unique.values())).items():
        old = unique[rid].report
        path = old["source_path"]
        rep = failed_report(Path(path), None, f"{path}: {reason}")  # the same report, now failed
        rep.report.update({k: old[k] for k in ("report_id", "sha256", "source_format", "duplicate_paths")})
        rep.issues = [{**i, "report_id": rid} for i in rep.issues]
        unique[rid] = rep
        summary.statuses[path] = "failed"
        summary.failures[path] = _reason(unique[rid])
    summary.counts = store.save(reports_to_frames(list(unique.values())), out_dir, derive=corpus.apply)
    summary.several = _several(set(unique), out_dir)
    return summary


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
