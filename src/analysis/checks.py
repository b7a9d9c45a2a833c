"""The arithmetic the reports promise (勾稽关系) → issues rows; values are never changed here."""

from __future__ import annotations

from collections import defaultdict

from . import codes
from .tables import issue


def _fmt(x: float | int) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def check_requests(records: list[dict]) -> list[dict]:
    """Table 3: balance per applicant, outcomes add up to (七)总计, each row's total = sum of applicants."""
    grid: dict[str, dict[str, float]] = defaultdict(dict)
    for r in records:
        if r["value"] is not None:
            grid[r["row"]][r["applicant"]] = r["value"]
    out: list[dict] = []
    outcome_rows = [row for row in codes.OUTCOME_ROWS if row in grid]
    for applicant in codes.APPLICANTS:

        def val(row: str, a: str = applicant) -> float | None:
            return grid.get(row, {}).get(a)

        a, b, c, d = (val(r) for r in ("new_received", "carried_over", "total_processed", "carried_forward"))
        if None not in (a, b, c, d) and a + b != c + d:
            out.append(
                issue(
                    "error",
                    "table3.balance",
                    f"table 3 / {applicant}",
                    f"{codes.APPLICANT_LABELS[applicant]}: 本年新收 {_fmt(a)} + 上年结转 {_fmt(b)} ≠ "
                    f"(七)总计 {_fmt(c)} + 结转下年度 {_fmt(d)}",
                    _fmt(a + b),
                    _fmt(c + d),
                )
            )
        parts = [val(r) for r in outcome_rows]
        if c is not None and outcome_rows and None not in parts and sum(parts) != c:
            out.append(
                issue(
                    "error",
                    "table3.outcomes_sum",
                    f"table 3 / total_processed / {applicant}",
                    f"{codes.APPLICANT_LABELS[applicant]}: outcome rows (一)–(六) add up to "
                    f"{_fmt(sum(parts))} but (七)总计 says {_fmt(c)}",
                    _fmt(sum(parts)),
                    _fmt(c),
                )
            )
    for row, cells in grid.items():
        parts = [cells.get(a) for a in codes.APPLICANTS[:-1]]
        total = cells.get("total")
        if total is not None and None not in parts and sum(parts) != total:
            out.append(
                issue(
                    "error",
                    "table3.applicant_sum",
                    f"table 3 / {row} / total",
                    f"row {row}: the six applicant columns add up to {_fmt(sum(parts))} but 总计 says "
                    f"{_fmt(total)}",
                    _fmt(sum(parts)),
                    _fmt(total),
                )
            )
    return out


def check_reviews(records: list[dict]) -> list[dict]:
    """Table 4: in each proceeding, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    grid: dict[str, dict[str, float]] = defaultdict(dict)
    for r in records:
        if r["value"] is not None:
            grid[r["proceeding"]][r["result"]] = r["value"]
    out: list[dict] = []
    for proceeding, cells in grid.items():
        parts = [cells.get(r) for r in codes.RESULTS[:-1]]
        total = cells.get("total")
        if total is not None and None not in parts and sum(parts) != total:
            out.append(
                issue(
                    "error",
                    "table4.total",
                    f"table 4 / {proceeding} / total",
                    f"{proceeding}: 维持+纠正+其他+尚未审结 = {_fmt(sum(parts))} but 总计 says {_fmt(total)}",
                    _fmt(sum(parts)),
                    _fmt(total),
                )
            )
    return out


def run_checks(requests: list[dict], reviews: list[dict]) -> list[dict]:
    """Every 勾稽 check of the data model, as issues rows."""
    return check_requests(requests) + check_reviews(reviews)
