"""A ruled table broken across pages made one: shared columns, cut rows joined, repeated headers dropped."""

from __future__ import annotations

import re
from bisect import bisect_right

from analysis.model.document import Line
from analysis.model.values import is_value_token

from .chars import _join_wrapped
from .grid import _Grid
from .rules import _SNAP

# a label that starts a new row of a statistical table ("第二十条…", "（三）…", "2.…", "四、…")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]{1,2}\s*[、．.]|第[一二三四五六七八九十]+条)"
)


class _Table:
    """A ruled table as it is emitted, page by page: its columns, its lines, its bottom cells.

    A table broken across pages comes as one grid per page, each with only the columns its own
    rows need. The lines of all its grids share one set of columns (the union of the grids'),
    so that a row keeps its shape whatever page it is on. A row cut by the page break is joined
    with its rest at the top of the next page, cell by cell (see ``_join_cut_row``); header rows
    repeated at the top of a page are dropped.
    """

    def __init__(self, number: int) -> None:
        self.number = number
        self.cols: list[float] = []  # left x of each column of the lines
        self.left = self.right = 0.0
        self.lines: list[Line] = []
        # the cells along the last grid's bottom: (x0, x1, line holding the text, its column x, open)
        self.bottom: list[tuple[float, float, Line | None, float, bool]] = []

    def add(self, grid: _Grid, page: int) -> list[Line]:
        """The grid's rows as new lines of this table (rows joined to earlier lines left out)."""
        if not self.lines:
            self.cols, self.left, self.right = list(grid.cols), grid.xs[0], grid.xs[-1]
        elif not self._aligns(grid):
            # not the same columns: leave the rows as they are, no joining. They are not kept in
            # ``lines``, which holds rows in the table's columns only (``_widen`` reshapes them all)
            lines = [
                Line(
                    list(r),
                    is_row=True,
                    page=page,
                    table=self.number,
                    covered=frozenset(cov),
                    covered_above=frozenset(up),
                )
                for r, cov, up in zip(grid.rows, grid.covered, _above(grid), strict=True)
            ]
            self.bottom = []
            return lines
        else:
            self._widen(grid.cols)
        index = _col_index(self.cols)
        at = [index(x) for x in grid.cols]  # the table's column of each of the grid's
        rows = []
        covers = []
        aboves = []
        layout = set(range(len(self.cols))) - set(at)  # the table's columns this page's grid does not have
        for r, cov, up in zip(grid.rows, grid.covered, _above(grid), strict=True):
            cells = [""] * len(self.cols)
            for c, text in zip(at, r, strict=True):
                cells[c] = text
            rows.append(cells)
            covers.append(frozenset({at[k] for k in cov} | layout))
            aboves.append(frozenset(at[k] for k in up))
        first = 0  # header rows (no values) repeated at the top of the new page are dropped
        while (
            first < min(len(rows), len(self.lines))
            and rows[first] == self.lines[first].cells
            and not any(is_value_token(c) for c in rows[first] if c)
        ):
            first += 1
        where: dict[tuple[int, int], tuple[Line | None, float]] = {}
        if first < len(rows) and self.bottom:
            where.update(self._join_cut_row(grid, first, rows[first]))
        lines: list[Line | None] = [None] * len(rows)
        new: list[Line] = []
        for i in range(first, len(rows)):
            if any(rows[i]):
                lines[i] = Line(
                    rows[i],
                    is_row=True,
                    page=page,
                    table=self.number,
                    covered=covers[i],
                    covered_above=aboves[i],
                )
                new.append(lines[i])  # type: ignore[arg-type]
        self.lines += new
        self.bottom = []
        for x0, x1, ri, k, is_open in grid.bottom:
            line, tx = where.get((ri, k), (lines[ri] if ri is not None else None, grid.cols[k]))
            self.bottom.append((x0, x1, line, tx, is_open))
        return new

    def _aligns(self, grid: _Grid) -> bool:
        """True when the grid's column lines are the table's (the same outer edges, or a subset)."""
        if abs(grid.xs[0] - self.left) <= _SNAP and abs(grid.xs[-1] - self.right) <= _SNAP:
            return True
        edges = [*self.cols, self.right]
        return all(any(abs(x - e) <= _SNAP for e in edges) for x in [*grid.cols, grid.xs[-1]])

    def _widen(self, cols: list[float]) -> None:
        """Add the grid's columns to the table's; earlier lines get empty cells in the new ones."""
        merged: list[float] = []
        for x in sorted([*self.cols, *cols]):
            if not merged or x - merged[-1] > _SNAP:
                merged.append(x)
        if len(merged) == len(self.cols):
            return
        index = _col_index(merged)
        at = [index(x) for x in self.cols]  # the merged column of each of the table's
        new = set(range(len(merged))) - set(at)  # the new columns are layout in the earlier lines
        for line in self.lines:
            cells = [""] * len(merged)
            for c, text in zip(at, line.cells, strict=True):
                cells[c] = text
            line.cells[:] = cells
            line.covered = frozenset({at[k] for k in line.covered} | new)
            line.covered_above = frozenset(at[k] for k in line.covered_above)
        self.cols = merged

    def _join_cut_row(self, grid: _Grid, i: int, row: list[str]) -> dict:
        """Move the text of a row cut by the page break (``row``, the grid's first) into the cells
        it continues, emptying them in ``row``; returns {(row, column): (line, column x)} for them.

        A cell continues the one above the page break with the same left and right edges when
        no rule separates them: open at the bottom of the last page and at the top of this one
        (browsers draw a cut cell so; Word draws the rule between two rows on one of the pages).
        LibreOffice closes a cut row with a rule on both pages, so there the row joins when its
        text can only be the rest of the cells above: no values, no numbered label, and under
        each piece a text cell of the same width.
        """
        index = _col_index(self.cols)
        top = grid.top_cells if i == 0 else []
        pieces = []  # (column index in row, column index in grid row, the cell above, open)
        for x0, x1, k in grid.spans[i]:
            c = index(grid.cols[k])
            if not row[c]:
                continue
            above = next(
                (b for b in self.bottom if abs(b[0] - x0) <= _SNAP and abs(b[1] - x1) <= _SNAP), None
            )
            is_open = any(t[2] and abs(t[0] - x0) <= _SNAP and abs(t[1] - x1) <= _SNAP for t in top)
            pieces.append((c, k, above, is_open and above is not None and above[4]))
        joined: dict[tuple[int, int], tuple[Line | None, float]] = {}

        def join(c: int, k: int, above: tuple) -> None:
            line, tx = above[2], above[3]
            t = index(tx)
            line.cells[t] = _join_wrapped([line.cells[t], row[c]])
            row[c] = ""
            joined[(i, k)] = (line, tx)

        rest = []
        for c, k, above, is_open in pieces:
            if is_open and above[2] is not None:
                join(c, k, above)
            else:
                rest.append((c, k, above))
        if not rest or any(is_value_token(t) for t in row if t):
            return joined

        def rest_of_above(c: int, above: tuple | None) -> bool:
            return bool(
                above is not None
                and above[2] is not None
                and not _NUMBERED.match(row[c])
                and (t := above[2].cells[index(above[3])])
                and not is_value_token(t)
            )

        fits = [rest_of_above(c, above) for c, _k, above in rest]
        if all(fits):
            for c, k, above in rest:
                join(c, k, above)
        elif self.lines and not any(is_value_token(t) for t in self.lines[-1].cells if t):
            # under a header row (no values) the first column's piece may be the rest of a cut
            # label beside new cells that start below wider ones ("申请人情况" → "自然人", …)
            for (c, k, above), fit in zip(rest, fits, strict=True):
                if fit and c == 0:
                    join(c, k, above)
        return joined


def _col_index(cols: list[float]):  # noqa: ANN202
    """A function giving the index of the column at x (the last column starting at or before it)."""

    def index(x: float) -> int:
        return max(0, bisect_right(cols, x + _SNAP) - 1)

    return index


def _above(grid: _Grid) -> list[set[int]]:
    """Per row of the grid, the columns a cell merged from a row above covers (none, for a grid made
    without them)."""
    return grid.above if len(grid.above) == len(grid.rows) else [set() for _ in grid.rows]
