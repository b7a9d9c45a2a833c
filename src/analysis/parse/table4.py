"""Table 4 (复议诉讼) rows → reviews_litigation records (proceeding × result)."""

from __future__ import annotations

import re

from analysis.model import codes
from analysis.model.document import Line
from analysis.model.issues import issue

from .result import TableResult
from .rows import fit_values, split_label

N_TABLE4 = len(codes.PROCEEDINGS) * len(codes.RESULTS)


def parse_table4(rows: list[Line]) -> TableResult:
    """Table 4 → reviews_litigation records (proceeding × result): the 15 values in template order."""
    out = TableResult()
    cells: list[tuple[int, str]] = []
    for line in rows:  # the value rows: one of 15 cells, or several (5 + 5 + 5, …) until 15 are found
        label, vals = split_label(line.cells, line.covered)
        if any(re.search(r"\d", v) for _, v in vals):
            if len(vals) > N_TABLE4:
                vals = fit_values(vals, N_TABLE4) or vals
            cells.extend(vals)
            if len(cells) >= N_TABLE4:
                break
    if len(cells) > N_TABLE4:
        cells = fit_values(cells, N_TABLE4) or cells
    if len(cells) != N_TABLE4:
        out.issues.append(
            issue(
                "error",
                "row.cells",
                "table 4",
                f"table 4: expected {N_TABLE4} value cells, found {len(cells)}",
                N_TABLE4,
                len(cells),
            )
        )
        return out
    it = iter(cells)
    for proceeding in codes.PROCEEDINGS:
        for result in codes.RESULTS:
            _, raw = next(it)
            out.records.append(
                out.cell(
                    f"table 4 / {proceeding} / {result}",
                    {"proceeding": proceeding, "result": result},
                    raw,
                )
            )
    return out
