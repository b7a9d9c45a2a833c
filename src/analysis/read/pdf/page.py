"""One page read into its items in reading order: text lines and filled grids, page numbers dropped."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .borderless import _NUMERIC_CODE, _fragments
from .chars import (
    Char,
    _Boxes,
    _group_lines,
    _line_text,
    _page_chars,
    _rotate_fn,
    _run_sizes,
    _spaced_text,
    _TextLine,
    _word_spaces,
)
from .grid import _build_grid, _fill_grid, _find_tables, _Grid
from .rules import _SNAP, _drop_underlines, _join_collinear, _page_rules, _Seg

_FOOTER = re.compile(
    r"^(?:[-—–－~·•\s]*[0-9０-９]{1,4}[-—–－~·•\s]*|第\s*[0-9０-９]+\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]+\s*页)?"
    r"|[0-9]+\s*/\s*[0-9]+|共\s*[0-9]+\s*页\s*第\s*[0-9]+\s*页|page\s*[0-9]+(?:\s*of\s*[0-9]+)?)$",
    re.I,
)


@dataclass
class _PageItems:
    """What one page holds in reading order: text lines and ruled tables, top to bottom."""

    items: list[tuple[float, str, object]]  # (top y, "line" | "grid", payload)
    n_chars: int
    n_junk: int
    has_images: bool
    width: float
    height: float


def _read_page(page: pdfium.PdfPage, index: int) -> _PageItems:
    """One page's characters, ruled tables (filled with their characters) and remaining text lines."""
    textpage = page.get_textpage()
    rot = _rotate_fn(page)
    width, height = page.get_size()
    boxes, n_junk, page_cx, page_cy = _page_chars(textpage, rot)
    n_chars = len(boxes.codes)
    has_images = False
    if n_chars < 20:  # a scan: little or no text, an image over most of the page
        area = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            area += max(0.0, right - left) * max(0.0, top - bottom)
        has_images = area > 0.4 * width * height
    items: list[tuple[float, str, object]] = []
    hs, vs = _page_rules(page, rot) if n_chars else ([], [])
    if hs:
        hs = _drop_underlines(_join_collinear(hs), boxes)
    grids: list[tuple[_Grid, list[_Seg], list[_Seg]]] = []
    for gh, gv in _find_tables(hs, vs):
        grid = _build_grid(gh, gv)
        if len(grid.xs) >= 3 and len(grid.ys) >= 2:  # one-column boxes are frames, not tables
            grids.append((grid, gh, gv))
    rest_at = np.arange(n_chars)  # the characters not in a grid (their indexes), in page order
    for grid, gh, gv in grids:
        x0, x1, y0, y1 = grid.xs[0], grid.xs[-1], grid.ys[-1], grid.ys[0]
        cx, cy = page_cx[rest_at], page_cy[rest_at]
        within = (x0 <= cx) & (cx <= x1) & (y0 <= cy) & (cy <= y1)  # the centre inside the grid
        in_at = np.flatnonzero(within)
        if not len(in_at):
            continue
        inside_at = rest_at[in_at]
        rest_at = rest_at[np.flatnonzero(~within)]
        _fill_grid(grid, gh, gv, boxes.take(inside_at))
        spill_at = _spill_below(grid, boxes, rest_at, height)
        if len(spill_at):  # text of a cut cell running past the table's last rule, at the page's end
            rest_at = rest_at[~np.isin(rest_at, spill_at)]
            bottom, new_bottom = grid.ys[-1], min(boxes.y0[spill_at].tolist()) - 1.0
            for v in gv:  # the columns go on down to the page's end
                if abs(v.lo - bottom) <= _SNAP:
                    v.lo = new_bottom
            grid.ys.append(new_bottom)
            _fill_grid(grid, gh, gv, boxes.take(np.concatenate((inside_at, spill_at))))
        if grid.rows:
            items.append((grid.top, "grid", grid))
    rest = boxes.take(rest_at)
    if rest.finite():
        lines = _page_lines(rest, page_cy[rest_at], index)
    else:
        lines = _text_lines(rest.chars(), page_cy[rest_at], index)
    for ln in lines:
        if not _is_page_number(ln, height):
            items.append((ln.y1, "line", ln))
    items.sort(key=lambda it: -it[0])
    textpage.close()
    return _PageItems(items, n_chars, n_junk, has_images, width, height)


def _text_lines(chars: list[Char], cy: np.ndarray, page: int) -> list[_TextLine]:
    """The characters' text lines (``cy``: their centres) with their text and pieces, the
    characters let go (``_TextLine.release``)."""
    lines = _group_lines(chars, page, cy)
    for ln in lines:
        ln.text = _line_text(ln.chars, ln.size)
        ln.release(_fragments(ln))
    return lines


def _page_lines(b: _Boxes, cy: np.ndarray, page: int) -> list[_TextLine]:
    """``_text_lines`` for characters given as arrays (finite boxes), for all lines at once: the
    lines split and ordered as ``_split_lines`` does, their size, text and pieces (``_fragments``)
    as ``_size``, ``_line_text`` and ``_fragments`` make them."""
    n = len(cy)
    if not n:
        return []
    by_centre = np.argsort(-cy, kind="stable")  # top to bottom
    keys, bottoms = (-2.0 * cy)[by_centre], b.y0[by_centre]
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    if -keys[-1] / 2 < bottoms[0]:  # several lines, each ending at the first centre below its first bottom
        key_list, bottom_list = keys.tolist(), bottoms.tolist()
        start = 0
        while start < n:
            starts[start] = True
            start = bisect_right(key_list, -2.0 * bottom_list[start], start + 1)
    line = np.cumsum(starts) - 1
    b = b.take(by_centre[np.lexsort((b.x0[by_centre], line))])  # each line left to right
    first = np.flatnonzero(starts)
    last = np.append(first[1:], n) - 1
    size = _run_sizes(first, line, b)
    same = line[1:] == line[:-1]
    text, at = _spaced_text(b.codes, _word_spaces(b, size[line[1:]]) & same)
    texts = [text[i:j] for i, j in zip(at[first].tolist(), (at[last] + 1).tolist(), strict=True)]
    lefts, rights = b.x0[first].tolist(), b.x1[last].tolist()
    frags = [[piece] for piece in zip(texts, lefts, rights, strict=True)]
    # pieces at wide gaps: more than 1.2 sizes, or half a size between two numeric characters
    h, gap = size[line[1:]], b.x0[1:] - b.x1[:-1]
    numeric = _NUMERIC_CODE[np.minimum(b.codes, 0xFFFF)]
    cut = same & ((gap > 1.2 * h) | (numeric[:-1] & numeric[1:] & (gap > 0.5 * h)))
    if cut.any():
        piece_starts = starts.copy()
        piece_starts[1:] |= cut
        piece = np.cumsum(piece_starts) - 1
        p_first = np.flatnonzero(piece_starts)
        p_last = np.append(p_first[1:], n) - 1
        p_size = _run_sizes(p_first, piece, b)
        p_space = _word_spaces(b, p_size[piece[1:]]) & (piece[1:] == piece[:-1])
        p_text, p_at = _spaced_text(b.codes, p_space)
        cut_lines = set(line[1:][cut].tolist())
        for k in cut_lines:
            frags[k] = []
        for k, i, j, left, right in zip(
            line[p_first].tolist(),
            p_at[p_first].tolist(),
            (p_at[p_last] + 1).tolist(),
            b.x0[p_first].tolist(),
            b.x1[p_last].tolist(),
            strict=True,
        ):
            if k in cut_lines:
                frags[k].append((p_text[i:j], left, right))
    y0s = np.minimum.reduceat(b.y0, first).tolist()
    x1s, y1s = np.maximum.reduceat(b.x1, first).tolist(), np.maximum.reduceat(b.y1, first).tolist()
    counts = np.diff(np.append(first, n)).tolist()
    return [
        _TextLine([], x0, y0, x1, y1, page, text=t, _size=s, n_chars=k, frags=f)
        for x0, y0, x1, y1, t, s, k, f in zip(
            lefts, y0s, x1s, y1s, texts, size.tolist(), counts, frags, strict=True
        )
    ]


def _spill_below(grid: _Grid, boxes: _Boxes, rest_at: np.ndarray, height: float) -> np.ndarray:
    """Characters just below a grid's bottom, under a cell left open there, when they are the
    last text on the page (page numbers aside): the rest of a cell cut by the page break that
    the writer let run past the rules (Chromium does so with a rowspan cell). Their indexes in
    ``boxes`` (the page's characters; ``rest_at``: those outside grids), none otherwise."""
    none = np.empty(0, dtype=np.intp)
    spans = [(b[0], b[1]) for b in grid.bottom if b[4]]
    if not spans:
        return none
    bottom = grid.ys[-1]
    below_at = rest_at[(boxes.y0[rest_at] + boxes.y1[rest_at]) / 2 < bottom]
    if not len(below_at):
        return none
    below = boxes.take(below_at).chars()
    index_of = {id(c): k for c, k in zip(below, below_at.tolist(), strict=True)}
    spill = []
    for ln in _group_lines(below, 0):
        ln.text = _line_text(ln.chars, ln.size)
        if _is_page_number(ln, height):
            continue
        for c in ln.chars:
            cx, h = (c.x0 + c.x1) / 2, c.y1 - c.y0
            if c.y1 < bottom - 2.0 * h or not any(x0 < cx < x1 for x0, x1 in spans):
                return none  # other text below the table: it ends here
            spill.append(index_of[id(c)])
    return np.array(spill, dtype=np.intp)


def _is_page_number(ln: _TextLine, height: float) -> bool:
    """A page number or running footer in the top or bottom margin."""
    in_margin = ln.y1 < 0.12 * height or ln.y0 > 0.92 * height
    return in_margin and bool(_FOOTER.match(ln.text.strip()))
