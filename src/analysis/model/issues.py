"""The issues table's record and the registry of every check that may make one (``checks.csv``).

A check has one name, one severity, whether it makes a report ``partial`` (part of it could not be
read), the kind of finding it is in the audit (``kind``: a code of ``labels.FINDING_KIND_LABELS``, or
empty for checks the audit does not list) and a one-sentence meaning; ``issue()`` refuses a check the registry does not hold, so the
vocabulary cannot drift from the README's table (``markdown_table()``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Check:
    """One registered check: its name in ``issues.check``, severity, whether it blocks a full read."""

    name: str
    severity: str
    partial: bool
    meaning: str
    kind: str = ""  # the audit's kind of finding (labels.FINDING_KIND_LABELS), empty: not in the audit
    label_zh: str = ""  # the check in Chinese, for tables people read (checks_zh.csv)
    what_to_check_zh: str = ""  # what a reader should check in the report, in Chinese


def _rows(name: str) -> list[dict[str, str]]:
    return list(
        csv.DictReader(files("analysis.model").joinpath(name).read_text(encoding="utf-8").splitlines())
    )


def _load() -> dict[str, Check]:
    zh = {r["check"]: r for r in _rows("checks_zh.csv")}  # Chinese wording, kept beside the registry
    rows = [
        Check(
            r["check"],
            r["severity"],
            r["partial"] == "yes",
            r["meaning"],
            r["kind"],
            zh.get(r["check"], {}).get("label", ""),
            zh.get(r["check"], {}).get("what_to_check", ""),
        )
        for r in _rows("checks.csv")
    ]
    return {c.name: c for c in rows}


CHECKS: dict[str, Check] = _load()  # name → Check, in the order of the README's table
# checks across reports (analysis.corpus): recomputed on the whole store at every write, never merged
DERIVED_PREFIX = "corpus."
# issues that mean a table (or part of the text) could not be read: the report is then `partial`
PARTIAL_CHECKS: frozenset[str] = frozenset(c.name for c in CHECKS.values() if c.partial)
# check → the kind of finding the audit lists it as (relation, narrative, copied, anomaly, unread)
FINDING_KINDS: dict[str, str] = {c.name: c.kind for c in CHECKS.values() if c.kind}


def registered(record: dict) -> dict:
    """The record unchanged when its check is registered with its severity; else ValueError."""
    name, severity = record["check"], record["severity"]
    check = CHECKS.get(name)
    if check is None:
        raise ValueError(f"unregistered check {name!r}: add it to analysis/model/checks.csv")
    if severity != check.severity:
        raise ValueError(f"check {name!r} is registered as {check.severity!r}, not {severity!r}")
    return record


def issue(severity: str, check: str, location: str, message: str, expected=None, actual=None) -> dict:  # noqa: ANN001
    """One row of the issues table (without the report keys, added by the caller); ValueError for a
    check not registered with this severity."""
    return registered(
        {
            "severity": severity,
            "check": check,
            "location": location,
            "expected": None if expected is None else str(expected),
            "actual": None if actual is None else str(actual),
            "message": message,
        }
    )


def markdown_table() -> str:
    """The README's table of checks, one row per registered check."""
    lines = [
        "| check | severity | makes the report partial | what it means |",
        "|---|---|---|---|",
    ]
    for c in CHECKS.values():
        lines.append(f"| `{c.name}` | {c.severity} | {'yes' if c.partial else ''} | {c.meaning} |")
    return "\n".join(lines) + "\n"
