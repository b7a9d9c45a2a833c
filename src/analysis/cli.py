"""The ``extract`` and ``ingest`` commands: one report to JSON or a summary; a folder to Parquet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.model.document import ReadError, naming_file, storable
from analysis.model.labels import ROW_LABELS

KEY_ROWS = tuple(
    (row, ROW_LABELS[row])
    for row in (
        "new_received",
        "carried_over",
        "granted",
        "partially_granted",
        "total_processed",
        "carried_forward",
    )
)


def register_cli(sub: argparse._SubParsersAction) -> None:
    """Add ``extract`` and ``ingest`` to the command line."""
    p = sub.add_parser(
        "extract",
        help="read one report and print a summary or its JSON",
        description="Read one report (txt, html, pdf, docx), parse its three statistical tables and narrative, "
        "check its arithmetic, and print a short summary — or, with --json, the data-model JSON "
        "(docs/data-model.md). Exits 1 with a one-line reason on stderr when the file cannot be read "
        "or nothing in it can (a scanned document without OCR).",
    )
    p.add_argument("file", type=Path, help="the report file")
    p.add_argument("--json", action="store_true", help="print the full JSON object instead of a summary")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "ingest",
        help="read every report in a folder into the Parquet tables",
        description="Read every report under RAW (recursively) into one Parquet file per table in OUT. "
        "Reports are keyed by the hash of their bytes: running again replaces them, never "
        "duplicates; files with the same bytes are read once and all their paths recorded. A file "
        "that cannot be read is recorded as failed with its reason; the rest carry on. Several "
        "documents for one bureau and year are all kept, flagged in issues, and one is chosen for "
        "the views (the later publication, else the one with fewer errors). Tables are validated "
        "before they are written and replaced atomically: an interrupted or failed run leaves the "
        "previous tables in place. Exit status: 0 when at least one file was read (with --strict: "
        "when none failed), 1 otherwise.",
    )
    p.add_argument(
        "raw", nargs="?", type=Path, default=Path("data/raw"), help="folder of reports (default data/raw)"
    )
    p.add_argument("--out", type=Path, default=Path("data/clean"), help="output folder (default data/clean)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when any file failed (default: only when none could be read)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="give up on a file that takes longer than this to read (default 300; 0 = no limit)",
    )
    p.set_defaults(func=cmd_ingest)


def cmd_extract(args: argparse.Namespace) -> int:
    from .report import extract_report

    try:
        report = extract_report(args.file)
    except ReadError as exc:
        print(f"error: {storable(str(exc))}", file=sys.stderr)
        return 1
    if args.json:
        print(report.to_json())
    if report.report["parse_status"] == "failed":  # read, but nothing usable in it (e.g. scanned pages)
        why = next((i["message"] for i in report.issues if i["severity"] == "error"), "nothing could be read")
        print(f"error: {naming_file(args.file, why)}", file=sys.stderr)
        return 1
    if not args.json:
        print(summary_text(report))
    return 0


def summary_text(report) -> str:  # noqa: ANN001 - a Report
    """A few lines a person can read: who, when, which template, the key totals, the issues."""
    r = report.report
    lines = [
        f"{r['source_path']}",
        f"  bureau   {r['bureau'] or '?'}"
        + (
            f" (printed: {r['bureau_as_printed']})"
            if r.get("bureau_as_printed") not in (None, r["bureau"])
            else ""
        )
        + (f" [alias: {r['alias_matched']}]" if r.get("alias_matched") not in (None, r["bureau"]) else ""),
        f"  region   {r['region'] or '?'}   year {r['year'] or '?'}   template {r['template'] or '?'}   "
        f"format {r['source_format']}   status {r['parse_status']}",
    ]
    totals = [
        f"{label} {report.value('requests', row=row, applicant='total')}"
        for row, label in KEY_ROWS
        if report.value("requests", row=row, applicant="total") is not None
    ]
    if totals:
        lines.append("  requests " + ", ".join(totals))
    rl = [
        f"{name} {report.value('reviews_litigation', proceeding=p, result='total')}"
        for p, name in (
            ("review", "复议"),
            ("litigation_direct", "直接起诉"),
            ("litigation_after_review", "复议后起诉"),
        )
        if report.value("reviews_litigation", proceeding=p, result="total") is not None
    ]
    if rl:
        lines.append("  reviews  " + ", ".join(rl))
    if report.channel_volumes or report.rankings:
        lines.append(
            f"  narrative {len(report.channel_volumes)} channel figures, {len(report.rankings)} rankings"
        )
    errors = [i for i in report.issues if i["severity"] == "error"]
    warnings = [i for i in report.issues if i["severity"] == "warning"]
    lines.append(f"  issues   {len(errors)} errors, {len(warnings)} warnings")
    for i in errors + warnings:
        lines.append(f"    {i['severity']:7} {i['check']:22} {i['message']}")
    return "\n".join(lines)


def cmd_ingest(args: argparse.Namespace) -> int:
    from analysis.store import StoreError

    from .ingest import ingest_folder

    try:  # before hours of reading, not after: the tables must have somewhere to go
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: {args.out}: cannot hold the tables ({exc.strerror or exc})", file=sys.stderr)
        return 1
    try:
        summary = ingest_folder(
            args.raw, args.out, jobs=args.jobs, progress=not args.quiet, timeout=args.timeout or None
        )
    except (FileNotFoundError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, permissions: staged files are removed, the old tables stay
        where = exc.filename or args.out
        print(
            f"error: {where}: tables not written ({exc.strerror or exc}); the old ones are unchanged",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: nothing written, the tables in {args.out}/ are unchanged", file=sys.stderr)
        return 130
    if not summary.statuses:
        print(
            f"error: {args.raw}: no report files found (looked for .txt .html .pdf .docx …)", file=sys.stderr
        )
        return 1
    print(summary.text())
    print(f"tables written to {args.out}/")
    failed = sum(1 for s in summary.statuses.values() if s == "failed")
    if args.strict and failed:
        print(f"error: {failed} of {len(summary.statuses)} files failed (--strict)", file=sys.stderr)
        return 1
    return 0 if failed < len(summary.statuses) else 1
