"""Ruled tables on one page: rules that touch grouped into grids, characters put into their cells."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .chars import (
    _X0,
    _X1,
    _Y0,
    _Y1,
    Char,
    _Boxes,
    _join_wrapped,
    _line_text,
    _run_sizes,
    _spaced_text,
    _split_lines,
    _word_spaces,
)
from .rules import _SNAP, _join_collinear, _Seg


@dataclass
class _Grid:
    """One ruled table on one page: column x's (ascending), row y's (descending) and its rows.

    ``cols`` is the left x of each column kept in ``rows``; ``spans`` and ``bottom`` give the
    cells' extents, so that a row cut by a page break can be joined with its rest on the next page.
    """

    xs: list[float]
    ys: list[float]
    rows: list[list[str]] = field(default_factory=list)
    cols: list[float] = field(default_factory=list)
    # per row of ``rows``: the cells that start in it, as (x0, x1, column index in the row)
    spans: list[list[tuple[float, float, int]]] = field(default_factory=list)
    # the cells along the bottom edge: (x0, x1, row index or None, column index, open)
    bottom: list[tuple[float, float, int | None, int, bool]] = field(default_factory=list)
    # the cells along the top edge, when rows[0] is the top row: (x0, x1, open)
    top_cells: list[tuple[float, float, bool]] = field(default_factory=list)
    # per row of ``rows``: the column indexes covered by a merged cell (colspan or rowspan)
    covered: list[set[int]] = field(default_factory=list)
    # per row of ``rows``: those of ``covered`` a cell merged from a row above covers (rowspan)
    above: list[set[int]] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.ys[0]


def _cluster(values: list[float]) -> list[float]:
    """Sorted distinct positions, values within _SNAP of each other merged to their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= _SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _union_find(n: int) -> tuple[Callable[[int, int], None], Callable[[], list[int]]]:
    """``union`` over the items 0..n-1 and ``roots``, every item's group as its smallest item."""
    parent = list(range(n))  # (an item's parent is never larger than the item)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    def roots() -> list[int]:
        """``[find(i) for i in range(n)]`` in one pass: a parent's root is known before its items'."""
        out: list[int] = []
        for i, p in enumerate(parent):
            out.append(i if p == i else out[p])
        return out

    return union, roots


def _find_tables(hs: list[_Seg], vs: list[_Seg]) -> list[tuple[list[_Seg], list[_Seg]]]:
    """Group rules that touch into tables; keep groups that enclose at least one cell."""
    hs, vs = _join_collinear(hs), _join_collinear(vs)
    n = len(hs) + len(vs)
    union, roots = _union_find(n)
    tol = _SNAP
    order = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    pos = [vs[j].pos for j in order]
    for i, h in enumerate(hs):
        # only the vertical rules whose x falls within this horizontal rule's span
        for k in range(bisect_left(pos, h.lo - tol), bisect_right(pos, h.hi + tol)):
            j = order[k]
            v = vs[j]
            if v.lo - tol <= h.pos <= v.hi + tol:
                union(i, len(hs) + j)
    root = roots()
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(root[i], ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(root[len(hs) + j], ([], []))[1].append(v)
    tables = [(gh, gv) for gh, gv in groups.values() if len(gh) >= 2 and len(gv) >= 2]
    # a vertical rule touching no horizontal one but running exactly from a table's bottom to its
    # top is that table's: the side of a merged cell cut by a page break (no rule at either end)
    for gh, gv in groups.values():
        if gh or not tables:
            continue
        for v in gv:
            for th, tv in tables:
                lo, hi = min(s.lo for s in tv), max(s.hi for s in tv)
                left, right = min(s.lo for s in th), max(s.hi for s in th)
                near = left - 0.5 * (right - left) <= v.pos <= right + 0.5 * (right - left)
                if near and abs(v.lo - lo) <= _SNAP and abs(v.hi - hi) <= _SNAP:
                    tv.append(v)
                    break
    return tables


def _build_grid(hs: list[_Seg], vs: list[_Seg]) -> _Grid:
    """Grid lines of one table: every rule position, plus the outer edges when a side is open."""
    xs = _cluster([v.pos for v in vs])
    ys = _cluster([h.pos for h in hs])
    left, right = min(h.lo for h in hs), max(h.hi for h in hs)
    bottom, top = min(v.lo for v in vs), max(v.hi for v in vs)
    if left < xs[0] - _SNAP:
        xs.insert(0, left)
    if right > xs[-1] + _SNAP:
        xs.append(right)
    if bottom < ys[0] - _SNAP:
        ys.insert(0, bottom)
    if top > ys[-1] + _SNAP:
        ys.append(top)
    return _Grid(xs=xs, ys=ys[::-1])


def _on_lines(lines: list[float], segs: list[_Seg]) -> dict[int, list[_Seg]]:
    """Rules by the grid line they sit on: the nearest one (the first of two as near), within _SNAP.

    ``lines`` are sorted (up or down): the nearest line to a position is next to where it would go."""
    out: dict[int, list[_Seg]] = {}
    if not lines:
        return out
    up = lines[0] <= lines[-1]
    keys = lines if up else [-v for v in lines]
    last = len(lines) - 1
    ordered = _ascending(keys)
    for s in segs:
        pos = s.pos
        if ordered:
            at = bisect_left(keys, pos if up else -pos)
            near = range(max(at - 1, 0), min(at + 1, last) + 1)
        else:  # (never seen: grid lines are sorted) every line
            near = range(last + 1)
        k, best = near[0], abs(lines[near[0]] - pos)
        for i in near[1:]:  # the nearest, the first of equals (as ``min`` by distance picks it)
            d = abs(lines[i] - pos)
            if d < best:
                k, best = i, d
        if best <= _SNAP:
            out.setdefault(k, []).append(s)
    return out


def _ascending(values: list[float]) -> bool:
    return all(a < b for a, b in zip(values, values[1:], strict=False))


def _open(mids: list[float], spans: list[tuple[float, float]], ordered: bool) -> list[int]:
    """Indexes of the ``mids`` (ascending when ``ordered``) that no span (lo, hi) covers (lo <= mid <= hi)."""
    if not ordered:
        return [i for i, m in enumerate(mids) if not any(lo <= m <= hi for lo, hi in spans)]
    shut = [False] * len(mids)
    for lo, hi in spans:
        for i in range(bisect_left(mids, lo), bisect_right(mids, hi)):
            shut[i] = True
    return [i for i, s in enumerate(shut) if not s]


def _cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines (top to bottom) joined as wrapped text."""
    if len(chars) == 1:
        return chars[0].text
    lines = _split_lines(chars)
    if len(lines) == 1:
        return _line_text(lines[0])  # (what _join_wrapped makes of one line)
    return _join_wrapped([_line_text(ln) for ln in lines])


def _cell_texts(b: _Boxes, cells: np.ndarray) -> dict[int, str]:
    """``{cell: _cell_text(chars)}`` for all of a grid's cells at once, by numpy: ``b`` the characters
    (finite boxes) grouped by cell, ``cells`` each one's cell (ascending)."""
    n = len(cells)
    if not n:
        return {}
    new_cell = np.concatenate(([True], cells[1:] != cells[:-1]))
    group_start = np.flatnonzero(new_cell)
    group_end = np.append(group_start[1:], n)
    if len(group_start) == n:  # one character a cell
        return dict(zip(cells.tolist(), b.codes.tobytes().decode("utf-32-le", "surrogatepass"), strict=True))
    group = np.cumsum(new_cell) - 1
    # each cell's characters top to bottom by their centre, negated (as _split_lines orders them)
    key = -(b.y0 + b.y1)
    by_centre = np.lexsort((key, group))
    keys, bottoms = key[by_centre], b.y0[by_centre]
    # a cell is one line when its lowest centre is within its top character's line
    starts = np.zeros(n, dtype=bool)
    starts[group_start] = True
    several = np.flatnonzero(-keys[group_end - 1] / 2 < bottoms[group_start])
    if len(several):  # those cells' lines, each ending at the first centre below its first bottom
        key_list, bottom_list = keys.tolist(), bottoms.tolist()
        for g in several.tolist():
            start, end = int(group_start[g]), int(group_end[g])
            while start < end:
                starts[start] = True
                start = bisect_right(key_list, -2.0 * bottom_list[start], start + 1, end)
    line = np.cumsum(starts) - 1
    # within a line, left to right (a stable sort: ties keep the top-to-bottom order)
    order = by_centre[np.lexsort((b.x0[by_centre], line))]
    b, group = b.take(order), group[order]
    size = _run_sizes(np.flatnonzero(starts), line, b)
    # spaces: within a line where _line_text puts one, between a cell's lines where _join_wrapped does
    alpha = ((b.codes >= 65) & (b.codes <= 90)) | ((b.codes >= 97) & (b.codes <= 122))
    wrapped = alpha[:-1] & alpha[1:] & (group[1:] == group[:-1])
    space = np.where(line[1:] == line[:-1], _word_spaces(b, size[line[1:]]), wrapped)
    text, at = _spaced_text(b.codes, space)
    firsts, ends = at[group_start].tolist(), (at[group_end - 1] + 1).tolist()
    return {cell: text[i:j] for cell, i, j in zip(cells[group_start].tolist(), firsts, ends, strict=True)}


def _cell_order(
    xs: list[float], ys: list[float], root: list[int], cx: np.ndarray, cy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Indexes of the characters inside the grid (centres ``cx``, ``cy``) grouped by cell (stable) and
    each one's cell (root position), as ``_chars_by_cell`` bisects, by ``np.searchsorted``."""
    ncol, nrow = len(xs) - 1, len(ys) - 1
    col = np.searchsorted(xs, cx, side="right") - 1
    row = np.searchsorted([-y for y in ys], -cy, side="right") - 1
    at = np.flatnonzero((col >= 0) & (col < ncol) & (row >= 0) & (row < nrow))
    cells = np.asarray(root, dtype=np.intp)[row[at] * ncol + col[at]]
    order = np.argsort(cells, kind="stable")  # by cell, in the characters' order within one
    return at[order], cells[order]


def _chars_by_cell(
    xs: list[float],
    ys: list[float],
    root: list[int],
    chars: list[Char],
    centres: tuple[np.ndarray, np.ndarray] | None,
) -> dict[int, list[Char]]:
    """The characters of each cell (by its root position), in their order, each put where its
    centre is: column ``bisect_right(xs, x) - 1``, row likewise down ``ys``; outside, left out.
    Searched for all characters at once (``_cell_order``; grid lines with a NaN go one character
    at a time)."""
    ncol, nrow = len(xs) - 1, len(ys) - 1
    neg_ys = [-y for y in ys]
    if math.isnan(sum(xs) + sum(ys)):  # (never seen) unsorted grid lines: bisect as they are
        per_cell: dict[int, list[Char]] = {}
        for ch in chars:
            c = bisect_right(xs, (ch.x0 + ch.x1) / 2) - 1
            r = bisect_right(neg_ys, -((ch.y0 + ch.y1) / 2)) - 1
            if 0 <= c < ncol and 0 <= r < nrow:
                per_cell.setdefault(root[r * ncol + c], []).append(ch)
        return per_cell
    if centres is None:
        n = len(chars)
        x0, x1 = (np.fromiter(map(get, chars), np.float64, n) for get in (_X0, _X1))
        y0, y1 = (np.fromiter(map(get, chars), np.float64, n) for get in (_Y0, _Y1))
        centres = (x0 + x1) / 2, (y0 + y1) / 2
    at, cells = _cell_order(xs, ys, root, *centres)
    if not len(at):
        return {}
    ordered = list(map(chars.__getitem__, at.tolist()))
    ends = [*(np.flatnonzero(cells[1:] != cells[:-1]) + 1).tolist(), len(ordered)]
    starts = [0, *ends[:-1]]
    return {cell: ordered[a:b] for cell, a, b in zip(cells[starts].tolist(), starts, ends, strict=True)}


def _fill_grid(
    grid: _Grid,
    hs: list[_Seg],
    vs: list[_Seg],
    chars: _Boxes,
) -> None:
    """Merge grid positions not separated by a rule into cells and set the grid's text rows
    (``chars``: the grid's characters, in page order)."""
    xs, ys = grid.xs, grid.ys
    ncol, nrow = len(xs) - 1, len(ys) - 1
    if ncol < 1 or nrow < 1:
        return
    # rules indexed by the grid line they sit on
    v_at, h_at = _on_lines(xs, vs), _on_lines(ys, hs)

    def covered(segs: list[_Seg] | None, lo: float, hi: float) -> bool:
        mid = (lo + hi) / 2
        return any(s.lo - _SNAP <= mid <= s.hi + _SNAP for s in segs or ())

    union, roots = _union_find(nrow * ncol)  # a cell's root is its top-left position

    # positions side by side (above each other) with no rule across their shared edge are one cell
    row_mids = [-((ys[r + 1] + ys[r]) / 2) for r in range(nrow)]  # negated: ascending
    up = _ascending(row_mids)
    for c in range(ncol - 1):
        for r in _open(row_mids, [(-(s.hi + _SNAP), -(s.lo - _SNAP)) for s in v_at.get(c + 1, ())], up):
            union(r * ncol + c, r * ncol + c + 1)
    col_mids = [(xs[c] + xs[c + 1]) / 2 for c in range(ncol)]
    up = _ascending(col_mids)
    for r in range(nrow - 1):
        for c in _open(col_mids, [(s.lo - _SNAP, s.hi + _SNAP) for s in h_at.get(r + 1, ())], up):
            union(r * ncol + c, (r + 1) * ncol + c)
    root = roots()
    if chars.finite() and not math.isnan(sum(xs) + sum(ys)):
        at, cells = _cell_order(xs, ys, root, (chars.x0 + chars.x1) / 2, (chars.y0 + chars.y1) / 2)
        texts = _cell_texts(chars.take(at), cells)
    else:
        texts = {
            cell: _cell_text(cs) for cell, cs in _chars_by_cell(xs, ys, root, chars.chars(), None).items()
        }
    # a root is the smallest index of its group, i.e. its top row and (within it) left column
    anchor_cols = {i % ncol for i in set(root)}
    keep_cols = [c for c in range(ncol) if c in anchor_cols]
    rows: list[list[str]] = []
    row_index: dict[int, int] = {}
    grid.covered = []
    grid.above = []
    for r in range(nrow):
        row = []
        for c in keep_cols:
            i = r * ncol + c
            row.append(texts.get(i, "") if root[i] == i else "")
        if any(row):
            row_index[r] = len(rows)
            rows.append(row)
            # positions inside a cell merged from the left or from above: layout, not blank values
            grid.covered.append({k for k, c in enumerate(keep_cols) if root[r * ncol + c] != r * ncol + c})
            grid.above.append({k for k, c in enumerate(keep_cols) if root[r * ncol + c] // ncol != r})
    grid.rows = rows
    grid.cols = [xs[c] for c in keep_cols]
    kept = {c: k for k, c in enumerate(keep_cols)}

    def runs(r: int) -> list[tuple[float, float, int]]:
        """Row r's cells as (x0, x1, root): runs of grid positions of one merged cell."""
        out: list[tuple[float, float, int]] = []
        for c in range(ncol):
            cell = root[r * ncol + c]
            if out and out[-1][2] == cell:
                out[-1] = (out[-1][0], xs[c + 1], cell)
            else:
                out.append((xs[c], xs[c + 1], cell))
        return out

    grid.spans = []
    for r in row_index:
        grid.spans.append([(x0, x1, kept[cell % ncol]) for x0, x1, cell in runs(r) if cell // ncol == r])
    if 0 in row_index:
        grid.top_cells = [(x0, x1, not covered(h_at.get(0), x0, x1)) for x0, x1, _root in runs(0)]
    bottom_rules = h_at.get(nrow)
    grid.bottom = [
        (x0, x1, row_index.get(cell // ncol), kept[cell % ncol], not covered(bottom_rules, x0, x1))
        for x0, x1, cell in runs(nrow - 1)
    ]
