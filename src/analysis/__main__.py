"""Command line: ``python -m analysis {extract,ingest,brief,briefs} …`` (see ``--help``)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

DESCRIPTION = """\
Read China's government information-disclosure annual reports (政府信息公开工作年度报告),
check their arithmetic (勾稽关系) and compare them across bureaus and years.

  extract FILE [--json]          read one report; print a summary or the data-model JSON
  ingest [RAW] [--out CLEAN]     read every report in a folder into Parquet tables
  brief --bureau NAME --year Y   run the yearly brief notebook for one bureau or region
  briefs --year Y                run every brief for a year (in parallel) with an index page

Run `python -m analysis COMMAND --help` for a command's options.
"""

# modules that add their sub-commands with register_cli(subparsers); each owns its command
COMMAND_MODULES = ("analysis.cli", "analysis.briefs")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every command module's sub-commands."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register_cli(sub)
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


if __name__ == "__main__":
    sys.exit(main())
