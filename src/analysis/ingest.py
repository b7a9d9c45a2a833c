"""A folder of reports → the Parquet store, in parallel, with a progress bar and a closing summary."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from . import store
from .document import ReadError
from .read import SUPPORTED
from .report import RECORD_TABLES, Report, extract_report, failed_report
from .schema import COLUMNS


@dataclass
class IngestSummary:
    """What an ingest run did: status per file and the failures with their one-line reasons."""

    statuses: dict[str, str] = field(default_factory=dict)  # source path -> ok / partial / failed
    failures: dict[str, str] = field(default_factory=dict)  # source path -> reason
    duplicates: dict[str, str] = field(default_factory=dict)  # source path -> path with the same bytes
    counts: dict[str, int] = field(default_factory=dict)  # rows per table after the merge

    def text(self) -> str:
        c = Counter(self.statuses.values())
        lines = [
            f"{len(self.statuses)} files: {c.get('ok', 0)} read, {c.get('partial', 0)} partial, "
            f"{c.get('failed', 0)} failed"
        ]
        lines += [
            f"  failed  {why if why.startswith(p) else f'{p}: {why}'}" for p, why in self.failures.items()
        ]
        lines += [f"  skipped {p}: same bytes as {other}" for p, other in self.duplicates.items()]
        if self.counts:
            lines.append("  tables: " + ", ".join(f"{t} {n}" for t, n in self.counts.items()))
        return "\n".join(lines)


def find_reports(raw_dir: str | Path) -> list[Path]:
    """Report files under a folder (recursively), in a stable order; hidden files are skipped."""
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
        and not any(part.startswith(".") for part in p.relative_to(raw).parts)
    )


def process_file(path: Path) -> Report:
    """Extract one file; any failure becomes a failed report with its reason, never an exception."""
    try:
        return extract_report(path)
    except ReadError as exc:
        reason = str(exc)
    except Exception as exc:  # one bad file must never stop a batch
        reason = f"{path}: internal error while reading: {type(exc).__name__}: {exc}"
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    return failed_report(path, data, reason)


def reports_to_frames(reports: list[Report]) -> dict[str, pd.DataFrame]:
    """Stack many reports' records into one DataFrame per table."""
    frames = {"reports": pd.DataFrame([r.report for r in reports], columns=COLUMNS["reports"])}
    for t in RECORD_TABLES:
        frames[t] = pd.DataFrame([rec for r in reports for rec in getattr(r, t)], columns=COLUMNS[t])
    return frames


def ingest_folder(
    raw_dir: str | Path, out_dir: str | Path = "data/clean", jobs: int | None = None, progress: bool = True
) -> IngestSummary:
    """Read every report under raw_dir into the store at out_dir; re-running replaces, never duplicates."""
    files = find_reports(raw_dir)
    summary = IngestSummary()
    if not files:
        return summary
    jobs = jobs or min(len(files), os.cpu_count() or 1)
    bar = tqdm(total=len(files), desc="reading reports", unit="file", disable=not progress)
    results: list[Report] = []
    if jobs > 1 and len(files) > 2:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for rep in pool.map(process_file, files, chunksize=max(1, len(files) // (jobs * 8))):
                results.append(rep)
                bar.update()
    else:
        for f in files:
            results.append(process_file(f))
            bar.update()
    bar.close()
    unique: dict[str, Report] = {}
    for rep in results:
        path = rep.report["source_path"]
        rid = rep.report["report_id"]
        if rid in unique:
            summary.duplicates[path] = unique[rid].report["source_path"]
            continue
        unique[rid] = rep
        summary.statuses[path] = rep.report["parse_status"]
        if rep.report["parse_status"] == "failed":
            summary.failures[path] = next((i["message"] for i in rep.issues if i["severity"] == "error"), "")
    summary.counts = store.save(reports_to_frames(list(unique.values())), out_dir)
    return summary
