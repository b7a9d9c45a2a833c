"""One report end to end: read → tables → narrative → checks, as records of every tidy table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.model import codes
from analysis.model.document import Document, ReadError, storable
from analysis.model.fingerprint import fingerprint
from analysis.model.issues import PARTIAL_CHECKS, issue, registered
from analysis.parse import metadata, narrative
from analysis.parse.checks import run_checks
from analysis.parse.tables import Tables, parse_tables
from analysis.read import read_document

# every table but `reports` and the derived ones: lists of records
RECORD_TABLES = tuple(t for t in codes.TABLES[1:] if t not in codes.DERIVED_TABLES)


@dataclass
class Report:
    """A report's row in ``reports`` and its records in every other tidy table."""

    report: dict
    requests: list[dict] = field(default_factory=list)
    reviews_litigation: list[dict] = field(default_factory=list)
    active_disclosure: list[dict] = field(default_factory=list)
    channel_volumes: list[dict] = field(default_factory=list)
    rankings: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The data-model JSON object for this report."""
        return {"report": self.report, **{t: getattr(self, t) for t in RECORD_TABLES}}

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=str)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Each table as a plain DataFrame (dtypes are set by ``schema`` when stored or loaded)."""
        from analysis.store.schema import COLUMNS

        out = {"reports": pd.DataFrame([self.report], columns=COLUMNS["reports"])}
        for t in RECORD_TABLES:
            out[t] = pd.DataFrame(getattr(self, t), columns=COLUMNS[t])
        return out

    def value(self, table: str, **keys: str) -> float | int | None:
        """The value of the one record matching keys, e.g. ``value("requests", row="granted", applicant="total")``."""
        for rec in getattr(self, table):
            if all(rec.get(k) == v for k, v in keys.items()):
                return rec["value"]
        return None


def build_report(doc: Document) -> Report:
    """Turn a read Document into a checked Report (tables, narrative, issues, status)."""
    try:
        story = narrative.extract(doc)
        story_issues: list[dict] = []
    except Exception as exc:  # narrative is best effort: the tables still count
        story = narrative.Narrative()
        story_issues = [issue("error", "narrative.failed", "narrative", f"narrative not read: {exc}")]
    meta = story.metadata
    year = meta.get("year")
    problems = [registered(p) for p in doc.problems]  # the reader's, an OCR'd scan's `ocr` warning among them
    scanned = any(p["check"] == "no_text_layer" for p in problems)
    tables = Tables() if scanned else parse_tables(doc, year=year)  # images: the reader said so already
    issues = problems + tables.issues + story_issues
    issues += run_checks(tables.requests, tables.reviews_litigation)
    issues += _year_issues(doc, meta)
    found = {i["check"] for i in issues}
    blocking = found & PARTIAL_CHECKS
    has_values = bool(tables.requests or tables.reviews_litigation or tables.active_disclosure)
    if (
        not has_values
        and not (meta.get("title") and story.sections)  # a news item names a report but has no sections
        and not any(p["severity"] == "error" for p in doc.problems)  # a reader's warning is no reason
        and not (found & {"layout.flattened", "template.legacy"})
    ):
        what = (
            "it names a 年度报告 but has none of its six sections"
            if meta.get("title")
            else "no 年度报告 title"
        )
        raise ReadError(
            f"{doc.path}: not an information-disclosure annual report ({what} and none of the three statistical tables)"
        )
    if not blocking:
        status = "ok"
    elif has_values or ((story.sections or meta.get("bureau")) and not scanned):
        status = "partial"
    else:
        status = "failed"
    report = {
        "report_id": doc.report_id,
        "bureau": meta.get("bureau"),
        "year": year,
        "bureau_as_printed": meta.get("bureau_as_printed"),
        "region": meta.get("region"),
        "admin_level": meta.get("admin_level"),
        "template": tables.template,
        "title": meta.get("title"),
        "source_path": storable(str(doc.path)),
        "source_format": doc.source_format,
        "sha256": doc.sha256,
        "pages": doc.pages,
        "parse_status": status,
        "n_issues": len(issues),
        "alias_matched": meta.get("alias_matched"),
        "published": meta.get("published"),
        "duplicate_paths": None,  # other files with the same bytes, set by ingest
        "superseded_by": None,  # set by the store when another document covers the same bureau and year
        "source_url": doc.source_url,
        "reader": reader_version(),
    }
    try:  # (UTF-8 refuses the joined text exactly when it refuses one of them: checked at once)
        "".join([v for i in issues for v in i.values() if isinstance(v, str)]).encode("utf-8")
    except UnicodeEncodeError:
        issues = [{k: storable(v) if isinstance(v, str) else v for k, v in i.items()} for i in issues]
    keys = {"report_id": doc.report_id, "bureau": report["bureau"], "year": year}

    def keyed(records: list[dict]) -> list[dict]:
        return [{**keys, **r} for r in records]

    return Report(
        report=report,
        requests=keyed(tables.requests),
        reviews_litigation=keyed(tables.reviews_litigation),
        active_disclosure=keyed(tables.active_disclosure),
        channel_volumes=keyed(story.channel_volumes),
        rankings=keyed(story.rankings),
        sections=keyed(story.sections),
        issues=keyed(issues),
    )


def _year_issues(doc: Document, meta: dict) -> list[dict]:
    """The year printed in the text wins over the file name's; say so when they differ or the text has none."""
    named = metadata.filename_year(doc.path)
    year = meta.get("year")
    if meta.get("year_source") == "filename":
        return [
            issue(
                "warning",
                "year.from_filename",
                "file name",
                f"the text names no report year: {year} taken from the file name {doc.path.name}",
            )
        ]
    if named is not None and year is not None and named != year:
        return [
            issue(
                "warning",
                "year.filename_mismatch",
                "file name",
                f"the file name says {named} but the report's text says {year}: using {year}",
                expected=str(year),
                actual=str(named),
            )
        ]
    return []


@cache
def reader_version() -> str:
    """A fingerprint of the code and data that turn a file into its rows (model/, read/, parse/ and this
    module): stored with each report, so ``ingest`` reads a file again when the reader has changed."""
    return fingerprint("report.py", "model", "read", "parse")


def extract_report(path: str | Path) -> Report:
    """Read, parse and check one file; raises ReadError (one line naming the file) when unreadable."""
    return build_report(read_document(path))


def failed_report(path: str | Path, data: bytes | None, reason: str) -> Report:
    """The reports row (status failed) and single issue for a file that could not be read at all."""
    from analysis.model.document import sha256_of
    from analysis.store.schema import COLUMNS

    sha = sha256_of(data if data is not None else str(path).encode())
    rid = sha[:16]
    report: dict = dict.fromkeys(COLUMNS["reports"])
    report.update(
        report_id=rid,
        source_path=storable(str(path)),
        source_format=Path(path).suffix.lstrip(".").lower() or None,
        sha256=sha,
        parse_status="failed",
        n_issues=1,
        reader=reader_version(),
    )
    where, why = storable(str(path)), storable(reason)
    err = {"report_id": rid, "bureau": None, "year": None, **issue("error", "read.failed", where, why)}
    return Report(report=report, issues=[err])


__all__ = ["Report", "ReadError", "build_report", "extract_report", "failed_report", "reader_version"]
