"""Reports as they come back from the workers (compact: a reports row and plain tuples per table) →
typed DataFrames, a bounded batch at a time, each report checked against the tables' schemas."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.report import RECORD_TABLES, Report, failed_report
from analysis.store.incoming import Incoming
from analysis.store.schema import COLUMNS, typed, validate

Records = dict[str, list[tuple]]
Compact = tuple[dict, Records]  # the reports row, and every other table's rows in COLUMNS order


def compact(rep: Report) -> Compact:
    """A report as plain tuples: a fraction of the pickled size of its dicts, cheap to send and stack."""
    return rep.report, {
        t: [tuple(r.get(c) for c in COLUMNS[t]) for r in getattr(rep, t)] for t in RECORD_TABLES
    }


def reports_to_frames(reports: list[Report]) -> dict[str, pd.DataFrame]:
    """Stack many reports' records into one DataFrame per table."""
    frames = {"reports": pd.DataFrame([r.report for r in reports], columns=COLUMNS["reports"])}
    for t in RECORD_TABLES:
        frames[t] = pd.DataFrame([rec for r in reports for rec in getattr(r, t)], columns=COLUMNS[t])
    return frames


def _frames(rows: list[dict], records: Records) -> dict[str, pd.DataFrame]:
    """Typed frames of some reports' rows and records."""
    out = {"reports": typed("reports", pd.DataFrame(rows, columns=COLUMNS["reports"]))}
    for t in RECORD_TABLES:
        out[t] = typed(t, pd.DataFrame.from_records(records[t], columns=COLUMNS[t], nrows=len(records[t])))
    return out


def schema_failures(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """report_id → one-line reason for the reports whose records fail a table's schema check."""
    from pandera.errors import SchemaErrors

    bad: dict[str, str] = {}
    for table, df in frames.items():
        try:
            validate(table, df)
        except SchemaErrors as err:
            cases = err.failure_cases.to_dict("records")
            if any(not isinstance(c["index"], numbers.Integral) for c in cases):
                continue  # a failure not tied to rows: the store refuses the table with its reason
            for c in cases:
                rid = str(df["report_id"].iloc[c["index"]])
                why = f"schema check failed: {table}.{c['column']} {c['check']} ({c['failure_case']!r})"
                bad.setdefault(rid, why)
    return bad


def as_failed(row: dict, reason: str) -> Report:
    """The same report (its bytes' id, its paths), now failed with the reason."""
    path = row["source_path"]
    rep = failed_report(Path(path), None, f"{path}: {reason}")
    rid = row["report_id"]
    rep.report.update({k: row[k] for k in ("report_id", "sha256", "source_format", "duplicate_paths")})
    rep.issues = [{**i, "report_id": rid} for i in rep.issues]
    return rep


@dataclass
class Batches:
    """Collects compact reports and turns every ``size`` of them into typed frames handed to
    ``incoming`` (which spills them to disk when it has a folder), so what the parent keeps is one batch
    and the reports rows. ``failed`` gets report_id → reason for the reports that failed a schema check
    (they are stored failed, with that reason)."""

    incoming: Incoming
    size: int = 200
    rows: list[dict] = field(default_factory=list)
    records: Records = field(default_factory=lambda: {t: [] for t in RECORD_TABLES})
    failed: dict[str, str] = field(default_factory=dict)

    def add(self, row: dict, records: Records) -> None:
        self.rows.append(row)
        for t in RECORD_TABLES:
            self.records[t].extend(records.get(t, ()))
        if len(self.rows) >= self.size:
            self.flush()

    def add_frames(self, frames: dict[str, pd.DataFrame]) -> None:
        """Reports already typed (carried from the store): handed over as they are."""
        self.incoming.add(frames)

    def flush(self) -> None:
        """The pending reports as typed frames; those failing a schema check replaced by failed ones."""
        if not self.rows:
            return
        frames = _frames(self.rows, self.records)
        bad = schema_failures(frames)
        if bad:
            by_id = {r["report_id"]: r for r in self.rows}
            replaced = [as_failed(by_id[rid], why) for rid, why in bad.items()]
            frames = {t: df[~df["report_id"].isin(bad.keys())] for t, df in frames.items()}
            again = _frames(
                [r.report for r in replaced],
                {
                    t: [tuple(x.get(c) for c in COLUMNS[t]) for r in replaced for x in getattr(r, t)]
                    for t in RECORD_TABLES
                },
            )
            frames = {t: pd.concat([frames[t], again[t]], ignore_index=True) for t in frames}
            self.failed.update(bad)
        self.incoming.add(frames)
        self.rows = []
        self.records = {t: [] for t in RECORD_TABLES}

    def done(self) -> Incoming:
        """Every report added, for the save."""
        self.flush()
        return self.incoming
