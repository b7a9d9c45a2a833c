"""One page read into its items in reading order: text lines and filled grids, page numbers dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .borderless import _fragments
from .chars import Char, _group_lines, _line_text, _page_chars, _rotate_fn, _TextLine
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
    chars, n_junk, page_cx, page_cy = _page_chars(textpage, rot)
    has_images = False
    if len(chars) < 20:  # a scan: little or no text, an image over most of the page
        area = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            area += max(0.0, right - left) * max(0.0, top - bottom)
        has_images = area > 0.4 * width * height
    items: list[tuple[float, str, object]] = []
    hs, vs = _page_rules(page, rot) if chars else ([], [])
    if hs:
        hs = _drop_underlines(_join_collinear(hs), chars)
    grids: list[tuple[_Grid, list[_Seg], list[_Seg]]] = []
    for gh, gv in _find_tables(hs, vs):
        grid = _build_grid(gh, gv)
        if len(grid.xs) >= 3 and len(grid.ys) >= 2:  # one-column boxes are frames, not tables
            grids.append((grid, gh, gv))
    rest = chars
    rest_at = np.arange(len(chars))  # where the characters of ``rest`` are in ``chars``
    for grid, gh, gv in grids:
        x0, x1, y0, y1 = grid.xs[0], grid.xs[-1], grid.ys[-1], grid.ys[0]
        cx, cy = page_cx[rest_at], page_cy[rest_at]
        within = (x0 <= cx) & (cx <= x1) & (y0 <= cy) & (cy <= y1)  # the centre inside the grid
        in_at = np.flatnonzero(within)
        if not len(in_at):
            continue
        inside = list(map(rest.__getitem__, in_at.tolist()))
        out_at = np.flatnonzero(~within)
        rest = list(map(rest.__getitem__, out_at.tolist()))
        rest_at = rest_at[out_at]
        _fill_grid(grid, gh, gv, inside, (cx[in_at], cy[in_at]))
        spill = _spill_below(grid, rest, height)
        if spill:  # text of a cut cell running past the table's last rule, at the page's end
            taken = set(map(id, spill))
            kept = [id(c) not in taken for c in rest]
            rest = list(compress(rest, kept))
            rest_at = rest_at[np.array(kept, dtype=bool)]
            bottom, new_bottom = grid.ys[-1], min(c.y0 for c in spill) - 1.0
            for v in gv:  # the columns go on down to the page's end
                if abs(v.lo - bottom) <= _SNAP:
                    v.lo = new_bottom
            grid.ys.append(new_bottom)
            _fill_grid(grid, gh, gv, inside + spill)
        if grid.rows:
            items.append((grid.top, "grid", grid))
    for ln in _group_lines(rest, index, page_cy[rest_at]):
        ln.text = _line_text(ln.chars, ln.size)
        if _is_page_number(ln, height):
            continue
        ln.release(_fragments(ln))
        items.append((ln.y1, "line", ln))
    items.sort(key=lambda it: -it[0])
    textpage.close()
    return _PageItems(items, len(chars), n_junk, has_images, width, height)


def _spill_below(grid: _Grid, rest: list[Char], height: float) -> list[Char]:
    """Characters just below a grid's bottom, under a cell left open there, when they are the
    last text on the page (page numbers aside): the rest of a cell cut by the page break that
    the writer let run past the rules (Chromium does so with a rowspan cell). [] otherwise."""
    spans = [(b[0], b[1]) for b in grid.bottom if b[4]]
    if not spans:
        return []
    bottom = grid.ys[-1]
    below = [c for c in rest if (c.y0 + c.y1) / 2 < bottom]
    if not below:
        return []
    spill = []
    for ln in _group_lines(below, 0):
        ln.text = _line_text(ln.chars, ln.size)
        if _is_page_number(ln, height):
            continue
        for c in ln.chars:
            cx, h = (c.x0 + c.x1) / 2, c.y1 - c.y0
            if c.y1 < bottom - 2.0 * h or not any(x0 < cx < x1 for x0, x1 in spans):
                return []  # other text below the table: it ends here
            spill.append(c)
    return spill


def _is_page_number(ln: _TextLine, height: float) -> bool:
    """A page number or running footer in the top or bottom margin."""
    in_margin = ln.y1 < 0.12 * height or ln.y0 > 0.92 * height
    return in_margin and bool(_FOOTER.match(ln.text.strip()))
