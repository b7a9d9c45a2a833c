"""The command line: ``python -m analysis {extract,ingest,brief,briefs} …`` (see ``--help``).

Every command is defined here; the work each one does is imported inside its function, so ``--help``
answers without loading pandas and ``extract`` loads only what reading needs."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from analysis.briefs.defaults import DEFAULT_KERNEL, DEFAULT_TIMEOUT
from analysis.model.document import ReadError, naming_file, storable
from analysis.model.labels import ROW_LABELS, STATUS_LABELS

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

DESCRIPTION = """\
Read China's government information-disclosure annual reports (政府信息公开工作年度报告),
check their arithmetic (勾稽关系) and compare them across bureaus and years.

  extract FILE [--json]          read one report; print a summary or the data-model JSON
  ingest [RAW] [--out CLEAN]     read every report in a folder into Parquet tables
  brief --bureau NAME --year Y   run the yearly brief notebook for one bureau or region
  briefs --year Y                run every brief for a year with an index page
  list [--year Y] [--bureau NAME]  bureaus × years in the store: status, unread parts, errors
  synth --n N --out DIR          write N synthetic reports with the tables each must read as
  fonts [--install]              can LibreOffice show a deck's Chinese here; install the bundled font

Run `python -m analysis COMMAND --help` for a command's options.
"""


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every command; building it imports nothing heavy (the commands do)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_read_commands(sub)
    add_brief_commands(sub)
    add_list_command(sub)
    add_synth_command(sub)
    add_fonts_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python's exit flush quiet
        return 0


def add_read_commands(sub: argparse._SubParsersAction) -> None:
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
        "previous tables in place. Files are hashed first: those the store already has under the same "
        "path are skipped (--force reads them again), and a file moved or renamed has its new path "
        "recorded without being read. Each file's hash is remembered in OUT/.file-hashes.parquet with "
        "its size and times, so an unchanged file is not read again to be hashed (--force hashes every "
        "file again). What the checks across reports work out of each "
        "report alone (its sentences, its narrative's figures) is kept in OUT/.corpus-kept, so that "
        "the next run works it out only for new reports; a cache: deleting it costs only time. "
        "Exit status: 0 when at least one file was read (with --strict: "
        "when none failed), 1 otherwise.",
    )
    p.add_argument(
        "raw", nargs="?", default="data/raw", help="folder of reports or an fsspec URL (default data/raw)"
    )
    p.add_argument("--out", default="data/clean", help="output folder (default data/clean)")
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
        help="give up on a file that takes longer than this to read (default 300; 0 = no limit; not "
        "applied on a Dask cluster)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="read every file again, even those the store already has (e.g. after upgrading the parser)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="read on a Dask cluster, e.g. tcp://host:8786 (RAW as a path the workers see or an fsspec URL "
        "such as s3://bucket/reports; OUT a folder this machine writes, shared storage on a cluster)",
    )
    p.set_defaults(func=cmd_ingest)


SYNTH_DESCRIPTION = """\
Write N synthetic 政府信息公开工作年度报告 into OUT, and beside each file NAME.expected.json: the
report's bureau, region, year and template, every cell of tables 2, 3 and 4 by the data model's codes
(value and the text printed, "" for a cell printed blank), the figures its narrative states, and any
inconsistency injected into it with the checks the project must raise for it.

Bodies are governments and departments of real places (the gazetteer the bureau registry uses), each
reporting over a run of consecutive years: tables add up (勾稽关系), 上年结转 continues last year's
结转下年度, 现行有效件数 and 对外公开总数量 continue last year's, and the narrative states the tables'
figures. Formats are mixed in turn: txt (pasted with tab-separated cells, or crawled with the cells run
together), html (tables with rowspan/colspan), docx (merged cells), pdf (ruled tables, merged label
cells, a table across a page break). Legacy (pre-2019) reports have the old seven parts and a
统计表 (指标名称 | 计量单位 | 本年度) whose figures the text repeats. With --inject F, a fraction F of the 2019/2021 reports gets one
inconsistency: arithmetic in a table (table3.* / table4.total, raised by extract), continuity with the
year before (corpus.carried_over), narrative against table (corpus.narrative_table) or text copied
from another body's report of the same year (corpus.copied_text), these raised by ingest.
The same --seed writes the same files.

examples:
  python -m analysis synth --n 10000 --out /tmp/synth
  python -m analysis synth --n 200 --out /tmp/s --formats html --templates 2021 --inject 0
"""


def add_synth_command(sub: argparse._SubParsersAction) -> None:
    """Add ``synth`` (a synthetic corpus with expected tables) to the command line."""
    p = sub.add_parser(
        "synth",
        help="write synthetic reports with the tables each must read as (tests, benchmarks)",
        description=SYNTH_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--n", type=int, required=True, help="number of reports to write")
    p.add_argument("--out", type=Path, required=True, help="folder to write them in (created)")
    p.add_argument(
        "--formats",
        default="txt,html,docx,pdf",
        help="comma-separated, used in turn (default txt,html,docx,pdf)",
    )
    p.add_argument(
        "--templates",
        default="2019,2021,legacy",
        help="comma-separated report templates: 2019 (years 2019-2020), 2021 (2021-2025), legacy (2008-2018, "
        "narrative and 统计表); default all three",
    )
    p.add_argument(
        "--seed", type=int, default=1, help="random seed: the same seed writes the same files (default 1)"
    )
    p.add_argument(
        "--inject",
        type=float,
        default=0.1,
        metavar="FRACTION",
        help="fraction of 2019/2021 reports given one inconsistency (default 0.1)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_synth)


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import generate

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    templates = tuple(t.strip() for t in args.templates.split(",") if t.strip())
    if args.n < 0 or not 0 <= args.inject <= 1:
        print("error: --n must be ≥ 0 and --inject between 0 and 1", file=sys.stderr)
        return 2
    try:
        paths = generate(
            args.n,
            args.out,
            formats,
            templates,
            seed=args.seed,
            inject_share=args.inject,
            progress=not args.quiet,
        )
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{len(paths)} reports and their .expected.json files in {args.out}")
    return 0


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
    from .ingest.sources import check_output, local

    try:  # before hours of reading, not after: the tables must have somewhere to go
        check_output(args.out)
        args.out = Path(local(args.out))
        args.out.mkdir(parents=True, exist_ok=True)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {args.out}: cannot hold the tables ({exc.strerror or exc})", file=sys.stderr)
        return 1
    try:
        summary = ingest_folder(
            args.raw,
            args.out,
            jobs=args.jobs,
            progress=not args.quiet,
            timeout=args.timeout or None,
            force=args.force,
            scheduler=args.scheduler,
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
    if not summary.statuses and not summary.unchanged:
        print(
            f"error: {args.raw}: no report files found (looked for .txt .html .pdf .docx …)", file=sys.stderr
        )
        return 1
    print(summary.text())
    print(f"tables written to {args.out}/" if summary.counts else f"tables in {args.out}/ left as they were")
    # a file skipped as unchanged keeps its stored status: one that failed before still fails
    statuses = [*summary.statuses.values(), *summary.unchanged.values()]
    failed = statuses.count("failed")
    if args.strict and failed:
        print(f"error: {failed} of {len(statuses)} files failed (--strict)", file=sys.stderr)
        return 1
    return 0 if failed < len(statuses) else 1


# ----------------------------------------------------------------------------------------------- briefs

BRIEF_HELP = """\
Run the yearly_brief notebook (shipped inside the package, analysis/briefs/) with papermill for one
bureau (or region) and year and write <out>/<slug>/<year>/: brief.ipynb (executed), brief.html (no
code), every chart as PNG (1920x1080) and SVG, key_figures.json and brief.pptx (title, key figures,
one chart per slide).

example:  python -m analysis brief --bureau 淮安市人民政府 --year 2024
"""
BRIEFS_HELP = """\
Make every brief for a year: the store is read once (the briefs' bureaus, all their years), then each
brief is rendered from that data in a process of its own (--jobs at a time, each with a time limit), the
same figures and files as `brief` without starting a notebook kernel; then write <out>/index.html and
print what was made, skipped and failed. A brief whose input rows, parameters and package version did
not change since its last good run is skipped (its folder's fingerprint.json); --force redoes it.
Exit code 1 when any brief failed.

config (YAML, all keys optional):
  jobs: 2            # briefs run at the same time
  timeout: 600       # seconds per brief
  notebook: false    # true: every brief as an executed notebook (brief.ipynb), as `brief` makes it
  briefs:            # default: every bureau with a report that year
    - bureau: 淮安市人民政府
    - region: 江苏省淮安市
    - bureau: 平潭综合实验区
      year: 2023     # overrides --year for this brief
      notebook: true # this bureau's brief as an executed notebook

example:  python -m analysis briefs --year 2024 --config briefs.yml
"""


def add_brief_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``brief`` and ``briefs`` sub-commands to the project's command line."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = subparsers.add_parser(
        "brief",
        help="run the yearly brief notebook for one bureau or region",
        description=BRIEF_HELP,
        formatter_class=fmt,
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--bureau", help="canonical bureau name, e.g. 洛阳市统计局")
    who.add_argument("--region", help="region name, e.g. 江苏省淮安市 (sums the region's reports)")
    p.add_argument("--year", type=int, required=True, help="the year reported on")
    _common(p)
    p.add_argument(
        "--cell-timeout", type=int, default=None, help="seconds a single cell may run (default: none)"
    )
    p.set_defaults(func=_cmd_brief)

    q = subparsers.add_parser(
        "briefs",
        help="run every brief for a year, with an index page",
        description=BRIEFS_HELP,
        formatter_class=fmt,
    )
    q.add_argument("--year", type=int, required=True, help="the year reported on")
    q.add_argument("--config", help="briefs.yml listing the briefs to run (default: every bureau that year)")
    _common(q, defaults=False)
    q.add_argument(
        "--jobs", type=int, help="briefs run at the same time (default: config, else one per available core)"
    )
    q.add_argument(
        "--timeout", type=float, help=f"seconds per brief (default: config, else {DEFAULT_TIMEOUT})"
    )
    q.add_argument(
        "--notebook",
        action="store_true",
        default=None,
        help="run the yearly_brief notebook for every brief (brief.ipynb kept; slower: a kernel each)",
    )
    q.add_argument("--force", action="store_true", help="redo briefs whose inputs did not change")
    q.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    q.set_defaults(func=_cmd_briefs)


def _data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        default=None,
        metavar="DIR",
        help="clean tables built by `ingest` (default: data/clean of the project)",
    )


def _common(p: argparse.ArgumentParser, defaults: bool = True) -> None:
    _data_option(p)
    p.add_argument(
        "--out",
        default="reports" if defaults else None,
        metavar="DIR",
        help="output folder (default: reports)",
    )
    p.add_argument(
        "--kernel",
        default=None if not defaults else DEFAULT_KERNEL,
        help=f"Jupyter kernel to run the notebook with (default: {DEFAULT_KERNEL}; "
        "`make lab` registers 'govreport')",
    )


def _cmd_brief(args: argparse.Namespace) -> int:
    from analysis.briefs.run import run_brief

    signal.signal(signal.SIGTERM, _raise_exit)  # a batch timeout stops us: let papermill stop its kernel
    result = run_brief(
        args.year,
        bureau=args.bureau,
        region=args.region,
        data_dir=args.data,
        out_dir=args.out,
        kernel_name=args.kernel,
        cell_timeout=args.cell_timeout,
    )
    if result.ok:
        print(f"brief written to {result.out_dir}")
        for f in result.files:
            print(f"  {f}")
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
        for u in result.unread:
            print(f"unread: {u}", file=sys.stderr)
        _font_note(result.files)
        return 0
    print(f"brief failed for {result.name} {result.year}: {result.error}", file=sys.stderr)
    return 1


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _cmd_briefs(args: argparse.Namespace) -> int:
    from analysis.briefs.batch import run_batch, summary_table
    from analysis.store import StoreError

    try:
        results = run_batch(
            args.year,
            config=args.config,
            data_dir=args.data,
            out_dir=args.out,
            jobs=args.jobs,
            timeout=args.timeout,
            kernel_name=args.kernel,
            notebook=args.notebook,
            force=args.force,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    except (FileNotFoundError, ValueError, StoreError) as exc:  # no or damaged store, bad config
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary_table(results))
    for r in results:  # a brief holding values not read says so (the index flags it too)
        if r.unread:
            print(f"unread values in {r.name} {r.year} ({len(r.unread)}): {'; '.join(r.unread)}")
    if results:
        print(f"index: {Path(results[0].out_dir).parents[1] / 'index.html'}")
        _font_note([f for r in results if r.ok for f in r.files])
    else:
        print("no briefs to run")
    return 0 if all(r.ok for r in results) else 1


def _font_note(files: list[str]) -> None:
    """Say so when decks were made on a machine whose LibreOffice cannot show their Chinese."""
    from analysis.present.userfont import missing_font_note

    if any(str(f).endswith(".pptx") for f in files) and (note := missing_font_note()):
        print(note, file=sys.stderr)


# ------------------------------------------------------------------------------------------------- list


def add_list_command(subparsers: argparse._SubParsersAction) -> None:
    """Add ``list``: what the store holds, bureau by year."""
    p = subparsers.add_parser(
        "list",
        help="bureaus × years in the store, with status and unread/error counts",
        description="Print one line per bureau and year in the clean tables: the report the views use, its "
        "status (已读取 / 部分读取 / 读取失败), how many parts could not be read (unread), its errors and "
        "warnings, and how many documents cover that bureau-year. An unknown bureau or a year without "
        "reports is an error naming what the store holds.",
    )
    p.add_argument("--year", type=int, help="only this year")
    p.add_argument("--bureau", help="only this bureau (canonical name, e.g. 平潭综合实验区)")
    _data_option(p)
    p.set_defaults(func=_cmd_list)


def _cmd_list(args: argparse.Namespace) -> int:
    from analysis import store, views
    from analysis.views.listing import report_list

    try:
        t = store.load_tables(args.data, tables=["reports", "issues"])
        views.check_parameters(t["reports"], bureau=args.bureau, year=args.year, need_readable=False)
    except (FileNotFoundError, ValueError, store.StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    listing = report_list(t["reports"], t["issues"], year=args.year, bureau=args.bureau)
    header = ["单位", "年度", "状态", "未能读取", "错误", "警告", "文件数", "来源"]
    rows = [
        [r.bureau, str(r.year), STATUS_LABELS.get(str(r.parse_status), str(r.parse_status))]
        + [str(v) for v in (r.unread, r.errors, r.warnings, r.documents)]
        + [str(r.source_path)]
        for r in listing.itertuples()
    ]
    widths = [max(_width(x) for x in col) for col in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        cells = [
            c + " " * (w - _width(c)) if i in (0, 2, 7) else " " * (w - _width(c)) + c
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    print(f"{len(rows)} bureau-years, {listing['bureau'].nunique()} bureaus")
    return 0


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ------------------------------------------------------------------------------------------------ fonts


def add_fonts_command(subparsers: argparse._SubParsersAction) -> None:
    """Add ``fonts``: whether this machine can show a deck's Chinese, and installing the bundled font."""
    p = subparsers.add_parser(
        "fonts",
        help="can LibreOffice show a deck's Chinese here; --install the bundled font for this user",
        description="Charts and HTML pages carry their Chinese font, but a PowerPoint deck only names it "
        "(Noto Sans CJK SC): PowerPoint stands in a Chinese font of its own, LibreOffice on a machine "
        "without one draws boxes. Without options, say which Chinese fonts fontconfig knows here. "
        "--install copies the font bundled with the project (mplfonts, SIL OFL) into this user's font "
        "folder (~/.local/share/fonts on Linux, ~/Library/Fonts on macOS) and refreshes fontconfig; "
        "`make setup` runs it. Nothing is installed for other users or outside your home folder.",
    )
    p.add_argument("--install", action="store_true", help="install the bundled font for this user")
    p.set_defaults(func=_cmd_fonts)


def _cmd_fonts(args: argparse.Namespace) -> int:
    from analysis.present import userfont

    if args.install:
        try:
            print(userfont.install())
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    families = userfont.cjk_families()
    if families is None:
        print("no fontconfig (fc-list) here to ask which Chinese fonts LibreOffice can use")
    elif families:
        shown = ", ".join(families[:6]) + (f" and {len(families) - 6} more" if len(families) > 6 else "")
        print(f"Chinese fonts for LibreOffice: {shown}")
    else:
        print(f"no Chinese font for LibreOffice: a deck's text shows as boxes; `{userfont.INSTALL_HINT}`")
        return 1
    return 0
