"""TableResult: what each table parser gives back (records, issues, blank cells, template), one shape for all."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.model.issues import issue
from analysis.model.values import parse_value


@dataclass
class TableResult:
    """The records one table gave and the problems met reading it. Cells printed blank or as a dash
    are read as 0 and collected in ``blanks`` ((location, cell as printed)): ``parse_tables`` reports
    them once for the whole document. ``template`` is the one table 2's headers use (None when they do
    not tell, and for the other tables)."""

    records: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    blanks: list[tuple[str, str]] = field(default_factory=list)
    template: str | None = None

    def cell(
        self, location: str, keys: dict, raw: str, money: bool = False, header_unit: str | None = None
    ) -> dict:
        """The record of one cell (its keys, value and text as printed); a blank cell is noted in
        ``blanks``, one that is not a number becomes an issue."""
        v = parse_value(raw, money, header_unit)  # (positional: the cache's key is quicker made)
        if v.blank:
            self.blanks.append((location, raw))
        elif not v.ok:
            self.issues.append(
                issue("error", "cell.unparseable", location, f"cell '{raw}' is not a number", None, raw)
            )
        return {**keys, "value": v.value, "raw": raw}
