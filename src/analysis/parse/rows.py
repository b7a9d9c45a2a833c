"""Rows of cells → a label and value cells: how a row's cells are split and trimmed to the columns a
template expects, shared by the table parsers."""

from __future__ import annotations

from analysis.model.document import Line
from analysis.model.values import is_value_token
from analysis.parse.templates import normalize_label


def split_label(
    cells: list[str], covered: frozenset[int] = frozenset(), last_label: int | None = None
) -> tuple[str, list[tuple[int, str]]]:
    """(normalized label, [(column, raw value cell)…]): value cells are those after the last label cell,
    leaving out positions a spanning cell covers (they are layout, not blank values); ``last_label``
    is ``label_end(cells)`` when the caller has it."""
    if last_label is None:
        last_label = label_end(cells)
    label = normalize_label("".join(c for c in cells[: last_label + 1] if c.strip()))
    return label, [(i, cells[i]) for i in range(last_label + 1, len(cells)) if i not in covered]


def label_end(cells: list[str]) -> int:
    """The column of a row's last label cell (filled, not a value), -1 when it has none."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i].strip() and not is_value_token(cells[i]):
            return i
    return -1


def fit_values(
    values: list[tuple[int, str]], n: int, structural: set[int] = frozenset()
) -> list[tuple[int, str]] | None:
    """Trim the value cells of a row to the n the template expects, or None when they do not fit.

    Surplus empty cells come from layout (an empty structural column in a grid, a trailing tab, a
    spanned label column); structural columns go first (a blank total at the end is a value), then
    empties at the ends.
    """
    vals = list(values)
    if len(vals) > n and structural:
        kept = [v for v in vals if v[1].strip() or v[0] not in structural]
        if len(kept) >= n:
            vals = kept
    while len(vals) > n and not vals[-1][1].strip():
        vals.pop()
    while len(vals) > n and not vals[0][1].strip():
        vals.pop(0)
    return vals if len(vals) == n else None


def values_under_headers(
    line: Line, vals: list[tuple[int, str]], spans: list[range]
) -> list[tuple[int, str]] | None:
    """In a grid, the cell under each header's columns (the one that is filled, if any); None when a
    filled cell sits under no header or two under one, so the caller falls back to counting cells."""
    filled = {col for col, text in vals if text.strip()}
    if not filled <= {c for span in spans for c in span}:
        return None
    out = []
    for span in spans:
        picks = [c for c in span if c in filled]
        if len(picks) > 1:
            return None
        col = picks[0] if picks else span.start
        out.append((col, line.cells[col] if col < len(line.cells) else ""))
    return out


def structural_columns(rows: list[list[tuple[int, str]]]) -> set[int]:
    """Grid columns that are empty in every data row: layout, not a blank value."""
    seen: set[int] = set()
    filled: set[int] = set()
    for vals in rows:
        for col, text in vals:
            seen.add(col)
            if text.strip():
                filled.add(col)
    return seen - filled


def rows_from_cell_lines(lines: list[Line]) -> list[Line]:
    """Rebuild rows from text copied one cell per line (a common web-page paste): a run of label
    lines followed by a run of value lines is one row. Blank cells are lost in such text, so a row
    that comes out short is reported, not guessed."""
    rows: list[Line] = []
    labels: list[str] = []
    values: list[str] = []
    for line in lines:
        cells = [c for c in line.cells if c.strip()]
        for cell in cells:
            if is_value_token(cell):
                values.append(cell)
            else:
                if values:
                    rows.append(Line(labels + values, is_row=True, page=line.page))
                    labels, values = [], []
                labels.append(cell)
    if labels or values:
        rows.append(Line(labels + values, is_row=True))
    return [r for r in rows if any(is_value_token(c) for c in r.cells)]
