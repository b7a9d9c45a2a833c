"""The arithmetic the reports promise (勾稽关系) → issues rows; values are never changed here.

A failed relation is an ``error`` (the data model reads a blank as 0, so a blank total under
non-zero parts does not add up); when a cell in it was printed blank (or "/", "—"), the message
names it, so a reader can tell a missing figure from a wrong one.
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.model import codes
from analysis.model.issues import issue
from analysis.model.labels import APPLICANT_LABELS
from analysis.model.values import parse_value

Cell = tuple[str, str]  # (row, column) of a table: (row code, applicant) or (proceeding, result)


class _Grid:
    """A table's values and which of its cells were printed blank, keyed by (row, column)."""

    def __init__(self, records: Iterable[dict], row_key: str, col_key: str) -> None:
        self.values: dict[Cell, float] = {}
        self.blank: set[Cell] = set()
        for r in records:
            cell = (r[row_key], r[col_key])
            if r["value"] is not None:
                self.values[cell] = r["value"]
            if parse_value(r.get("raw") or "").blank:
                self.blank.add(cell)

    def total(self, cells: list[Cell]) -> float | None:
        """The sum of the cells' values, or None when one of them has none."""
        vals = [self.values.get(c) for c in cells]
        return None if None in vals else sum(vals)  # type: ignore[arg-type]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _compare(
    grid: _Grid, check: str, location: str, left: list[Cell], right: list[Cell], what: str, **names: str
) -> list[dict]:
    """An issue when sum(left) ≠ sum(right); ``what`` is the message with {l} and {r} for the two sums
    and the ``names`` (formatted only for an issue)."""
    a, b = grid.total(left), grid.total(right)
    if a is None or b is None or a == b:
        return []
    blanks = sorted(set(left + right) & grid.blank)
    message = what.format(l=_fmt(a), r=_fmt(b), **names)
    if blanks:
        message += f" (printed blank and read as 0: {', '.join('/'.join(c) for c in blanks)})"
    return [issue("error", check, location, message, _fmt(a), _fmt(b))]


def check_requests(records: list[dict]) -> list[dict]:
    """Table 3: balance per applicant, outcomes add up to (七)总计, each row's total = sum of applicants."""
    grid = _Grid(records, "row", "applicant")
    rows = {row for row, _ in grid.values}
    outcome_rows = [row for row in codes.OUTCOME_ROWS if row in rows]
    expected = set(codes.expected_request_rows(rows)) & set(codes.OUTCOME_ROWS)
    if not expected <= rows:  # a row not read (reported as row.missing) is not an arithmetic error
        outcome_rows = []
    out: list[dict] = []
    for a in codes.APPLICANTS:
        label = APPLICANT_LABELS[a]
        out += _compare(
            grid, "table3.balance", f"table 3 / {a}",
            [("new_received", a), ("carried_over", a)], [("total_processed", a), ("carried_forward", a)],
            "{label}: 本年新收 + 上年结转 = {l} but (七)总计 + 结转下年度 = {r}", label=label,
        )  # fmt: skip
        if outcome_rows:
            out += _compare(
                grid, "table3.outcomes_sum", f"table 3 / total_processed / {a}",
                [(row, a) for row in outcome_rows], [("total_processed", a)],
                "{label}: outcome rows (一)–(六) add up to {l} but (七)总计 says {r}", label=label,
            )  # fmt: skip
    for row in [r for r in codes.REQUEST_ROWS if r in rows]:
        out += _compare(
            grid, "table3.applicant_sum", f"table 3 / {row} / total",
            [(row, a) for a in codes.APPLICANTS[:-1]], [(row, "total")],
            "row {row}: the six applicant columns add up to {l} but 总计 says {r}", row=row,
        )  # fmt: skip
    return out


def check_reviews(records: list[dict]) -> list[dict]:
    """Table 4: in each proceeding, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    grid = _Grid(records, "proceeding", "result")
    out: list[dict] = []
    for p in codes.PROCEEDINGS:
        out += _compare(
            grid, "table4.total", f"table 4 / {p} / total",
            [(p, r) for r in codes.RESULTS[:-1]], [(p, "total")],
            "{p}: 维持+纠正+其他+尚未审结 = {l} but 总计 says {r}", p=p,
        )  # fmt: skip
    return out


def run_checks(requests: list[dict], reviews: list[dict]) -> list[dict]:
    """Every 勾稽 check of the data model, as issues rows."""
    return check_requests(requests) + check_reviews(reviews)
