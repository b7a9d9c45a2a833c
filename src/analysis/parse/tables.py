"""Document → canonical records of tables 2, 3 and 4, using the label templates in ``templates/``.

The reader gives rows of cells; here each row's label cells are joined and matched against the
template patterns, and its trailing value cells are parsed. Values are kept exactly as printed
(``raw``); anything odd becomes an issue rather than a silent fix. This module composes the steps:
``regions`` finds each table, ``table2``/``table3``/``table4`` read it (each gives a ``TableResult``),
``flattened`` reads text whose cells run together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.model.document import Document, Line
from analysis.model.issues import issue
from analysis.parse.templates import normalize_label

from .flattened import parse_flattened
from .legacy import parse_legacy
from .regions import find_regions
from .rows import rows_from_cell_lines
from .table2 import parse_table2
from .table3 import parse_table3
from .table4 import parse_table4

TABLE_NAMES = {
    "table2": "table 2 (主动公开)",
    "table3": "table 3 (依申请公开)",
    "table4": "table 4 (复议诉讼)",
}


@dataclass
class Tables:
    """What the statistical tables hold, plus the problems met while reading them."""

    template: str | None = None
    requests: list[dict] = field(default_factory=list)
    reviews_litigation: list[dict] = field(default_factory=list)
    active_disclosure: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    found: dict[str, bool] = field(default_factory=dict)


_WIDE_SPACE = re.compile(r"[ \u3000\xa0]{2,}")
_FLATTENED = re.compile(r"(本年新收|规章|行政许可|行政处罚|予以公开|总计)[^\d]{0,40}\d{5,}")
_GLUED_EXAMPLE = re.compile(r"(?:规范性文件|行政许可|行政处罚|申请数量|予以公开)\d{4,}")


def parse_tables(doc: Document, year: int | None = None) -> Tables:
    """Read all three statistical tables of a Document; missing tables become issues."""
    out = Tables()
    regions = find_regions(doc.lines)
    blanks: list[tuple[str, str]] = []  # (location, cell as printed): read as 0, reported once
    for name, parser in (("table2", parse_table2), ("table3", parse_table3), ("table4", parse_table4)):
        start, stop = regions.get(name, (0, 0))
        region = doc.lines[start:stop]
        rows = [ln for ln in region if ln.is_row]
        if len(rows) < 3:
            rows = rows_from_cell_lines(region) or rows
        else:  # short text lines inside a table are labels (a clause header, a wrapped row label,
            # a row of column headers set apart by runs of spaces)
            rows = [
                ln if ln.is_row else Line(_WIDE_SPACE.split(ln.text.strip()), is_row=True)
                for ln in region
                if ln.is_row or len(ln.text) <= 40
            ]
        if not rows:
            out.found[name] = False
            continue
        result = parser(rows)
        if name == "table2":
            out.active_disclosure, out.template = result.records, result.template
        elif name == "table3":
            out.requests = result.records
        else:
            out.reviews_litigation = result.records
        out.issues.extend(result.issues)
        blanks += result.blanks
        out.found[name] = bool(result.records)
    out.issues += blank_issue(blanks)
    _missing(doc, out, year)
    if out.template is None and any(out.found.values()):
        # no table-2 header told: three (六) sub-rows are the 2021 template, else go by the year
        other_rows = any(r["row"].startswith("other.") for r in out.requests)
        out.template = "2021" if other_rows or (year or 0) >= 2021 else "2019"
    return out


def blank_issue(blanks: list[tuple[str, str]]) -> list[dict]:
    """One warning naming every cell printed blank or as a dash (read as 0), or none."""
    if not blanks:
        return []
    shown = ", ".join(f"{loc} ('{raw}')" for loc, raw in blanks[:8])
    more = f" and {len(blanks) - 8} more" if len(blanks) > 8 else ""
    return [
        issue(
            "warning",
            "cell.blank",
            "; ".join(loc for loc, _ in blanks),
            f"{len(blanks)} blank or dash cells read as 0: {shown}{more}",
            0,
            len(blanks),
        )
    ]


def _missing(doc: Document, out: Tables, year: int | None) -> None:
    """Name each table that could not be read, and say why when the reason is recognisable."""
    if not any(out.found.values()):
        flat_lines = [normalize_label(ln.text) for ln in doc.lines if not ln.is_row]
        if any(_FLATTENED.search(t) for t in flat_lines):
            example = next((m.group(0) for t in flat_lines if (m := _GLUED_EXAMPLE.search(t))), "")
            _read_flattened(doc, out, example)
            return
        if year is not None and year <= 2018:
            out.template = "legacy"
            _read_legacy(doc, out, year)
            return
    _flag_missing(out, ("table2", "table3", "table4"))


def _flag_missing(out: Tables, names: tuple[str, ...]) -> None:
    """An error issue for each named table that gave no values."""
    for name in names:
        if not out.found.get(name):
            out.found[name] = False
            out.issues.append(
                issue(
                    "error",
                    "table.missing",
                    TABLE_NAMES[name],
                    f"{TABLE_NAMES[name]} not found or no values read",
                )
            )


def _read_flattened(doc: Document, out: Tables, example: str) -> None:
    """Tables from text whose cells run together, as far as exactly one reading is possible."""
    flat = parse_flattened(doc.text)
    out.requests, out.reviews_litigation, out.active_disclosure = (
        flat.requests, flat.reviews_litigation, flat.active_disclosure
    )  # fmt: skip
    out.template = flat.template
    out.issues.append(
        issue(
            "warning",
            "layout.flattened",
            "tables",
            f"table cells run together without separators (e.g. '{example}'): cells are cut where the digits, "
            "the tables' sums or the narrative leave one reading",
        )
    )
    out.issues.extend(flat.issues)
    out.issues += blank_issue(flat.blanks)
    out.found.update(
        table2=bool(out.active_disclosure), table3=bool(out.requests), table4=bool(out.reviews_litigation)
    )
    _flag_missing(out, ("table2", "table3", "table4"))


def _read_legacy(doc: Document, out: Tables, year: int) -> None:
    """A pre-2019 report: its statistics table's year column and the figures its sentences state."""
    legacy = parse_legacy(doc.text, year)
    out.requests, out.reviews_litigation, out.active_disclosure = (
        legacy.requests, legacy.reviews_litigation, legacy.active_disclosure
    )  # fmt: skip
    out.issues.extend(legacy.issues)
    if legacy.empty:
        out.issues.append(
            issue(
                "warning",
                "template.legacy",
                "tables",
                "pre-2019 (legacy) report: neither a statistics table nor a stated figure was found",
            )
        )
