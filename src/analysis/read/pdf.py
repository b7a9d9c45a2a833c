"""Reader for PDF reports: characters by position (pypdfium2), tables from their ruling lines.

Why by position: text extraction in reading order scrambles the statistical tables (merged
vertical labels come out one character per line, wrapped labels interleave with the numbers).
So each page's characters are read with their boxes, the table borders are taken from the page's
vector paths, and every character is put into the grid cell that contains it. A merged cell
(no border between two grid positions) keeps its text in its first row and column; the
positions it covers are empty strings, as in the HTML and Word readers. Writers draw borders
differently: Word one rule per row, LibreOffice one per row split where cells merge, Chromium
one per cell edge (so a merged cell leaves rules that touch nothing across it). Pieces of one
rule are joined first, and a rule separates only the columns (or rows) it spans. A table broken
across pages keeps one set of columns, and a row cut by the page break is joined with its rest
(see ``_Table``). Tables without ruling lines fall back to splitting text lines into cells by
wide gaps. Text outside tables is joined
into paragraphs (a line that stops short of the right margin ends one; headings start one) and
page numbers ("- 4 -", "第 4 页") are dropped.

pypdfium2 is used for speed: a six-page report reads in about 0.02 s, pdfplumber takes ~35x that.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import tempfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from analysis.model.document import Document, Line, ReadError, sha256_of

from ._common import is_value_token, iso_date, text_lines

# geometry tolerances, in PDF points (1/72 inch)
_THIN = 2.5  # a path thinner than this is a rule, not a box
_SNAP = 3.0  # rules closer than this are the same grid line
_MIN_RULE = 3.0  # shorter segments are decoration (tick marks, bullets)
_HUGE = 40.0  # a character box larger than this is a pdfium artefact, not a glyph

_FOOTER = re.compile(
    r"^(?:[-—–－~·•\s]*[0-9０-９]{1,4}[-—–－~·•\s]*|第\s*[0-9０-９]+\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]+\s*页)?"
    r"|[0-9]+\s*/\s*[0-9]+|共\s*[0-9]+\s*页\s*第\s*[0-9]+\s*页|page\s*[0-9]+(?:\s*of\s*[0-9]+)?)$",
    re.I,
)
# a line that starts a paragraph whatever the previous line looked like
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|[0-9]{1,2}[、．.](?![0-9])|第[一二三四五六七八九十]+[章节条部分])"
)
# a label that starts a new row of a statistical table ("第二十条…", "（三）…", "2.…", "四、…")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]{1,2}\s*[、．.]|第[一二三四五六七八九十]+条)"
)
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
# characters that are not text: unmapped glyphs (private use, replacement, controls)
_JUNK = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class _Seg:
    """A horizontal (pos = y, lo..hi along x) or vertical (pos = x, lo..hi along y) rule."""

    pos: float
    lo: float
    hi: float


@dataclass
class _TextLine:
    """A line of text on a page: its characters in x order and its box."""

    chars: list[tuple]
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    text: str = ""
    cells: list[str] = field(default_factory=list)
    _size: float | None = None

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def size(self) -> float:
        if self._size is None:
            self._size = _size(self.chars)
        return self._size


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

    @property
    def top(self) -> float:
        return self.ys[0]


# ------------------------------------------------------------------------------ characters


def _rotate_fn(page: pdfium.PdfPage):
    """A function mapping unrotated page coordinates to the page as displayed (/Rotate)."""
    rot = page.get_rotation() % 360
    left, bottom, right, top = page.get_mediabox()
    w, h = right - left, top - bottom
    if rot == 90:
        return lambda x, y: (y - bottom, w - (x - left))
    if rot == 180:
        return lambda x, y: (w - (x - left), h - (y - bottom))
    if rot == 270:
        return lambda x, y: (h - (y - bottom), x - left)
    return None


def _box(rot, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    if rot is None:
        return x0, y0, x1, y1
    ax, ay = rot(x0, y0)
    bx, by = rot(x1, y1)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _page_chars(textpage: pdfium.PdfTextPage, rot) -> list[tuple]:
    """Visible characters as (char, x0, y0, x1, y1, space_before), y upwards.

    Whitespace is dropped; ``space_before`` records that the text stream (or pdfium's word
    spacing) put a space just before the character, so words keep their spaces.
    Loose boxes (font ascent to descent) are used so that all characters of a line share one
    height, whatever their glyph shape ("一" and "。" have tiny tight boxes).
    """
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: fetch code points one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    raw = textpage.raw
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    get_tight = pdfium_c.FPDFText_GetCharBox
    tl, tr, tb, tt = (ctypes.c_double() for _ in range(4))
    trefs = [ctypes.byref(v) for v in (tl, tr, tb, tt)]
    out = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\x00":
            space = ch in " \u3000\xa0"
            continue
        if not get_box(raw, i, ref):
            continue
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        if y0 > y1:
            y0, y1 = y1, y0
        if x1 - x0 > _HUGE or y1 - y0 > _HUGE:
            # scaled or rotated text (e.g. a vertical label) can get an absurd loose box: use the glyph's
            if get_tight(raw, i, *trefs):
                x0, x1, y0, y1 = tl.value, tr.value, tb.value, tt.value
        if rot is not None:
            x0, y0, x1, y1 = _box(rot, x0, y0, x1, y1)
        out.append((ch, x0, y0, x1, y1, space))
        space = False
    _fix_flat_boxes(out)
    return out


def _fix_flat_boxes(chars: list[tuple]) -> None:
    """Give characters whose "loose" box is only their glyph's ink ("一" in some embedded fonts:
    11 pt wide, 1 pt high) the height of a neighbour on the same line, so that lines and cells
    keep them in place (their centre may sit above or below the line's other characters)."""
    for k, c in enumerate(chars):
        w, h = c[3] - c[1], c[4] - c[2]
        if h >= 0.5 * w or w < 2.0:
            continue
        cy = (c[2] + c[4]) / 2
        for j in (k - 1, k + 1):
            if 0 <= j < len(chars):
                n = chars[j]
                if n[4] - n[2] >= 0.5 * (n[3] - n[1]) and n[2] <= cy <= n[4]:
                    chars[k] = (c[0], c[1], n[2], c[3], n[4], c[5])
                    break


def _split_lines(chars: list[tuple]) -> list[list[tuple]]:
    """Characters → lines (top to bottom), each sorted left to right.

    A character starts a new line when its centre is below the bottom of the line being built.
    """
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: -(c[2] + c[4]))
    lines: list[list[tuple]] = []
    cur: list[tuple] = []
    bottom = 0.0
    for c in chars:
        if cur and (c[2] + c[4]) / 2 < bottom:
            lines.append(cur)
            cur = []
        if not cur:
            bottom = c[2]
        cur.append(c)
    lines.append(cur)
    for ln in lines:
        ln.sort(key=lambda c: c[1])
    return lines


def _group_lines(chars: list[tuple], page: int) -> list[_TextLine]:
    """Characters → _TextLines with their boxes."""
    out = []
    for ln in _split_lines(chars):
        out.append(
            _TextLine(
                chars=ln,
                x0=ln[0][1],
                y0=min([c[2] for c in ln]),
                x1=max([c[3] for c in ln]),
                y1=max([c[4] for c in ln]),
                page=page,
            )
        )
    return out


def _line_text(chars: list[tuple], size: float | None = None) -> str:
    """Join a line's characters, with a space where the PDF has one or the gap is a word space."""
    if not chars:
        return ""
    if len(chars) == 1:
        return chars[0][0]
    h = size or _size(chars)
    parts = [chars[0][0]]
    for prev, c in zip(chars, chars[1:], strict=False):
        gap = c[1] - prev[3]
        # between two CJK characters a space is justification, not a word break: only a wide gap counts
        if gap > 0.6 * h or (c[5] and gap > 0.05 * h and (prev[0] < "\u2e80" or c[0] < "\u2e80")):
            parts.append(" ")
        parts.append(c[0])
    return "".join(parts)


def _size(chars: list[tuple]) -> float:
    """The font size of a run of characters: the median width of its CJK (full-width) glyphs."""
    wide = sorted([c[3] - c[1] for c in chars if c[0] > "\u2e80"])
    if wide:
        return wide[len(wide) // 2] or 1.0
    return max(c[4] - c[2] for c in chars) or 1.0


_NUMERIC = frozenset("0123456789０１２３４５６７８９.,，%％/／—–-－")


def _fragments(chars: list[tuple]) -> list[tuple[str, float, float]]:
    """Split a text line into (text, x0, x1) cells at wide gaps (tables without ruling lines).

    Between two numeric characters a gap of half a character separates two values; elsewhere
    it takes more than a character's width, so spaced-out prose stays whole.
    """
    if not chars:
        return []
    h = _size(chars)
    groups: list[list[tuple]] = [[chars[0]]]
    for prev, c in zip(chars, chars[1:], strict=False):
        gap = c[1] - prev[3]
        numeric = prev[0] in _NUMERIC and c[0] in _NUMERIC
        if gap > 1.2 * h or (numeric and gap > 0.5 * h):
            groups.append([])
        groups[-1].append(c)
    return [(_line_text(g), g[0][1], g[-1][3]) for g in groups]


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell or paragraph: no space between CJK, one between words."""
    out = ""
    for p in parts:
        if out and p and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out


# ------------------------------------------------------------------------------ ruling lines


def _iter_paths(page: pdfium.PdfPage):
    """Path objects of a page (also inside form XObjects) with the matrix to page space."""
    stack = [(page.raw, None, 0, None)]
    count_page = pdfium_c.FPDFPage_CountObjects
    get_page = pdfium_c.FPDFPage_GetObject
    count_form = pdfium_c.FPDFFormObj_CountObjects
    get_form = pdfium_c.FPDFFormObj_GetObject
    get_type = pdfium_c.FPDFPageObj_GetType
    path_t, form_t = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    while stack:
        holder, form, depth, matrix = stack.pop()
        if form is None:
            objs = [get_page(holder, i) for i in range(count_page(holder))]
        else:
            objs = [get_form(form, i) for i in range(count_form(form))]
        for obj in objs:
            kind = get_type(obj)
            if kind == path_t:
                yield obj, matrix
            elif kind == form_t and depth < 4:
                m = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                stack.append((None, obj, depth + 1, own if matrix is None else _compose(own, matrix)))


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _page_rules(page: pdfium.PdfPage, rot) -> tuple[list[_Seg], list[_Seg]]:
    """Horizontal and vertical rules drawn on the page: thin paths, stroked lines and box edges.

    Filled boxes that are not thin are cell shading, not borders, and are ignored.
    """
    hs: list[_Seg] = []
    vs: list[_Seg] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    l_, b_, r_, t_ = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(v) for v in (l_, b_, r_, t_)]
    px, py = ctypes.c_float(), ctypes.c_float()
    pxr, pyr = ctypes.byref(px), ctypes.byref(py)
    moveto, bezier = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        x0, y0, x1, y1 = _box(rot, x0, y0, x1, y1)
        w, h = x1 - x0, y1 - y0
        if h <= _THIN and w >= _MIN_RULE:
            hs.append(_Seg((y0 + y1) / 2, x0, x1))
        elif w <= _THIN and h >= _MIN_RULE:
            vs.append(_Seg((x0 + x1) / 2, y0, y1))

    fill_r, stroke_r = ctypes.byref(fill), ctypes.byref(stroke)
    get_mode, get_bounds = pdfium_c.FPDFPath_GetDrawMode, pdfium_c.FPDFPageObj_GetBounds
    for obj, matrix in _iter_paths(page):
        if not get_mode(obj, fill_r, stroke_r):
            continue
        if not fill.value and not stroke.value:
            continue  # clipping or invisible path
        if not get_bounds(obj, *refs):
            continue
        x0, y0 = _apply(matrix, l_.value, b_.value)
        x1, y1 = _apply(matrix, r_.value, t_.value)
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        if x1 - x0 <= _THIN or y1 - y0 <= _THIN:
            add(x0, y0, x1, y1)
            continue
        nseg = pdfium_c.FPDFPath_CountSegments(obj)
        if not stroke.value and nseg <= 5:
            continue  # one filled box: shading
        # walk the subpaths: thin subpaths are rules; stroked subpaths contribute their edges
        m = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
        own = (m.a, m.b, m.c, m.d, m.e, m.f)
        full = own if matrix is None else _compose(own, matrix)
        subpaths: list[list[tuple[float, float]]] = []
        for i in range(nseg):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == bezier:
                subpaths = []  # a curve: an icon, a button or a rounded box, not table rules
                break
            pdfium_c.FPDFPathSegment_GetPoint(seg, pxr, pyr)
            pt = _apply(full, px.value, py.value)
            if kind == moveto or not subpaths:
                subpaths.append([pt])
            else:
                subpaths[-1].append(pt)
            if pdfium_c.FPDFPathSegment_GetClose(seg) and subpaths[-1][0] != pt:
                subpaths[-1].append(subpaths[-1][0])
        for sp in subpaths:
            sx0, sx1 = min(p[0] for p in sp), max(p[0] for p in sp)
            sy0, sy1 = min(p[1] for p in sp), max(p[1] for p in sp)
            if sx1 - sx0 <= _THIN or sy1 - sy0 <= _THIN:
                add(sx0, sy0, sx1, sy1)
            elif stroke.value:
                for (ax, ay), (bx, by) in zip(sp, sp[1:], strict=False):
                    if abs(ax - bx) <= 0.5 or abs(ay - by) <= 0.5:
                        add(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
    return hs, vs


# ------------------------------------------------------------------------------------ grids


def _cluster(values: list[float]) -> list[float]:
    """Sorted distinct positions, values within _SNAP of each other merged to their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= _SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _join_collinear(segs: list[_Seg]) -> list[_Seg]:
    """Rules on one line that meet or overlap, joined into one rule.

    Some writers (Chromium, LibreOffice) draw every cell's border on its own, so a table's row
    rule comes as one piece per cell; joined, a rule stops only where the drawing does (a cell
    with no top border leaves a real gap, so a partial rule stays partial).
    """
    if len(segs) < 2:
        return segs
    segs = sorted(segs, key=lambda s: s.pos)
    lines: list[list[_Seg]] = [[segs[0]]]
    for s in segs[1:]:
        if s.pos - lines[-1][-1].pos <= 1.0:
            lines[-1].append(s)
        else:
            lines.append([s])
    out: list[_Seg] = []
    for group in lines:
        if len(group) == 1:
            out.append(group[0])
            continue
        pos = sum(s.pos for s in group) / len(group)
        group.sort(key=lambda s: s.lo)
        cur = _Seg(pos, group[0].lo, group[0].hi)
        for s in group[1:]:
            if s.lo <= cur.hi + 1.0:
                cur.hi = max(cur.hi, s.hi)
            else:
                out.append(cur)
                cur = _Seg(pos, s.lo, s.hi)
        out.append(cur)
    return out


def _drop_underlines(hs: list[_Seg], chars: list[tuple]) -> list[_Seg]:
    """Horizontal rules that are not underlined text (LibreOffice draws underlines as thin boxes).

    An underline starts where the text on it starts and lies under it: characters whose bottom
    is within a third of their height of it, covering at least 40% of its length, the first of
    them starting within 1.5 pt of its left end. A cell border starts at the column's edge, and
    the text inside keeps off it by the cell's padding; a border under a whole row of cells is
    mostly not under text.
    """
    if not chars:
        return hs
    by_bottom = sorted(chars, key=lambda c: c[2])
    bottoms = [c[2] for c in by_bottom]
    out = []
    for s in hs:
        on = []
        for c in by_bottom[bisect_left(bottoms, s.pos - 8.0) : bisect_right(bottoms, s.pos + 8.0)]:
            h = c[4] - c[2]
            if s.lo - 1.0 <= (c[1] + c[3]) / 2 <= s.hi + 1.0 and -0.3 * h <= c[2] - s.pos <= 0.3 * h:
                on.append(c)
        if on:
            first = min(c[1] for c in on)
            ink = sum(c[3] - c[1] for c in on)
            if abs(first - s.lo) <= 1.5 and ink >= 0.4 * (s.hi - s.lo):
                continue
        out.append(s)
    return out


def _find_tables(hs: list[_Seg], vs: list[_Seg]) -> list[tuple[list[_Seg], list[_Seg]]]:
    """Group rules that touch into tables; keep groups that enclose at least one cell."""
    hs, vs = _join_collinear(hs), _join_collinear(vs)
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = _SNAP
    order = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    pos = [vs[j].pos for j in order]
    for i, h in enumerate(hs):
        # only the vertical rules whose x falls within this horizontal rule's span
        for k in range(bisect_left(pos, h.lo - tol), bisect_right(pos, h.hi + tol)):
            j = order[k]
            v = vs[j]
            if v.lo - tol <= h.pos <= v.hi + tol:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
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


def _fill_grid(grid: _Grid, hs: list[_Seg], vs: list[_Seg], chars: list[tuple]) -> None:
    """Merge grid positions not separated by a rule into cells and set the grid's text rows."""
    xs, ys = grid.xs, grid.ys
    ncol, nrow = len(xs) - 1, len(ys) - 1
    if ncol < 1 or nrow < 1:
        return
    # rules indexed by the grid line they sit on
    v_at: dict[int, list[_Seg]] = {}
    for v in vs:
        k = min(range(len(xs)), key=lambda i: abs(xs[i] - v.pos))
        if abs(xs[k] - v.pos) <= _SNAP:
            v_at.setdefault(k, []).append(v)
    h_at: dict[int, list[_Seg]] = {}
    for h in hs:
        k = min(range(len(ys)), key=lambda i: abs(ys[i] - h.pos))
        if abs(ys[k] - h.pos) <= _SNAP:
            h_at.setdefault(k, []).append(h)

    def covered(segs: list[_Seg] | None, lo: float, hi: float) -> bool:
        mid = (lo + hi) / 2
        return any(s.lo - _SNAP <= mid <= s.hi + _SNAP for s in segs or ())

    parent = list(range(nrow * ncol))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is the top-left position

    for r in range(nrow):
        for c in range(ncol - 1):
            if not covered(v_at.get(c + 1), ys[r + 1], ys[r]):
                union(r * ncol + c, r * ncol + c + 1)
    for r in range(nrow - 1):
        for c in range(ncol):
            if not covered(h_at.get(r + 1), xs[c], xs[c + 1]):
                union(r * ncol + c, (r + 1) * ncol + c)
    # characters into cells (by their centre)
    neg_ys = [-y for y in ys]
    per_cell: dict[int, list[tuple]] = {}
    for ch in chars:
        cx, cy = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
        c = bisect_right(xs, cx) - 1
        r = bisect_right(neg_ys, -cy) - 1
        if 0 <= c < ncol and 0 <= r < nrow:
            per_cell.setdefault(find(r * ncol + c), []).append(ch)
    texts = {
        root: _join_wrapped([_line_text(ln) for ln in _split_lines(cs)]) for root, cs in per_cell.items()
    }
    # a root is the smallest index of its group, i.e. its top row and (within it) left column
    roots = {find(i) for i in range(nrow * ncol)}
    anchor_cols = {root % ncol for root in roots}
    keep_cols = [c for c in range(ncol) if c in anchor_cols]
    rows: list[list[str]] = []
    row_index: dict[int, int] = {}
    grid.covered = []
    for r in range(nrow):
        row = []
        for c in keep_cols:
            i = r * ncol + c
            row.append(texts.get(i, "") if find(i) == i else "")
        if any(row):
            row_index[r] = len(rows)
            rows.append(row)
            # positions inside a cell merged from the left or from above: layout, not blank values
            grid.covered.append({k for k, c in enumerate(keep_cols) if find(r * ncol + c) != r * ncol + c})
    grid.rows = rows
    grid.cols = [xs[c] for c in keep_cols]
    kept = {c: k for k, c in enumerate(keep_cols)}

    def runs(r: int) -> list[tuple[float, float, int]]:
        """Row r's cells as (x0, x1, root): runs of grid positions of one merged cell."""
        out: list[tuple[float, float, int]] = []
        for c in range(ncol):
            root = find(r * ncol + c)
            if out and out[-1][2] == root:
                out[-1] = (out[-1][0], xs[c + 1], root)
            else:
                out.append((xs[c], xs[c + 1], root))
        return out

    grid.spans = []
    for r in row_index:
        grid.spans.append([(x0, x1, kept[root % ncol]) for x0, x1, root in runs(r) if root // ncol == r])
    if 0 in row_index:
        grid.top_cells = [(x0, x1, not covered(h_at.get(0), x0, x1)) for x0, x1, _root in runs(0)]
    bottom_rules = h_at.get(nrow)
    grid.bottom = [
        (x0, x1, row_index.get(root // ncol), kept[root % ncol], not covered(bottom_rules, x0, x1))
        for x0, x1, root in runs(nrow - 1)
    ]


# ------------------------------------------------------------------------------------ pages


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
    chars = _page_chars(textpage, rot)
    n_junk = len(_JUNK.findall("".join([c[0] for c in chars])))
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
    for grid, gh, gv in grids:
        x0, x1, y0, y1 = grid.xs[0], grid.xs[-1], grid.ys[-1], grid.ys[0]
        inside, outside = [], []
        for c in rest:
            if x0 <= (c[1] + c[3]) / 2 <= x1 and y0 <= (c[2] + c[4]) / 2 <= y1:
                inside.append(c)
            else:
                outside.append(c)
        if not inside:
            continue
        rest = outside
        _fill_grid(grid, gh, gv, inside)
        spill = _spill_below(grid, rest, height)
        if spill:  # text of a cut cell running past the table's last rule, at the page's end
            taken = set(map(id, spill))
            rest = [c for c in rest if id(c) not in taken]
            bottom, new_bottom = grid.ys[-1], min(c[2] for c in spill) - 1.0
            for v in gv:  # the columns go on down to the page's end
                if abs(v.lo - bottom) <= _SNAP:
                    v.lo = new_bottom
            grid.ys.append(new_bottom)
            _fill_grid(grid, gh, gv, inside + spill)
        if grid.rows:
            items.append((grid.top, "grid", grid))
    for ln in _group_lines(rest, index):
        ln.text = _line_text(ln.chars, ln.size)
        if _is_page_number(ln, height):
            continue
        items.append((ln.y1, "line", ln))
    items.sort(key=lambda it: -it[0])
    textpage.close()
    return _PageItems(items, len(chars), n_junk, has_images, width, height)


def _spill_below(grid: _Grid, rest: list[tuple], height: float) -> list[tuple]:
    """Characters just below a grid's bottom, under a cell left open there, when they are the
    last text on the page (page numbers aside): the rest of a cell cut by the page break that
    the writer let run past the rules (Chromium does so with a rowspan cell). [] otherwise."""
    spans = [(b[0], b[1]) for b in grid.bottom if b[4]]
    bottom = grid.ys[-1]
    below = [c for c in rest if (c[2] + c[4]) / 2 < bottom]
    if not spans or not below:
        return []
    spill = []
    for ln in _group_lines(below, 0):
        ln.text = _line_text(ln.chars, ln.size)
        if _is_page_number(ln, height):
            continue
        for c in ln.chars:
            cx, h = (c[1] + c[3]) / 2, c[4] - c[2]
            if c[4] < bottom - 2.0 * h or not any(x0 < cx < x1 for x0, x1 in spans):
                return []  # other text below the table: it ends here
            spill.append(c)
    return spill


def _is_page_number(ln: _TextLine, height: float) -> bool:
    """A page number or running footer in the top or bottom margin."""
    in_margin = ln.y1 < 0.12 * height or ln.y0 > 0.92 * height
    return in_margin and bool(_FOOTER.match(ln.text.strip()))


# ---------------------------------------------------------------------------- paragraphs


def _margins(lines: list[_TextLine]) -> tuple[float, float]:
    """The text block's left and right margin: where most full lines start and end."""
    full = [ln for ln in lines if len(ln.chars) >= 8]
    if not full:
        full = lines
    lefts = sorted(round(ln.x0) for ln in full)
    rights = sorted(round(ln.x1) for ln in full)
    left = lefts[len(lefts) // 10] if lefts else 0.0
    right = rights[-1 - len(rights) // 10] if rights else 0.0
    return float(left), float(right)


def _value_start(frags: list[tuple[str, float, float]]) -> float | None:
    """x where a line's trailing value cells begin, if it ends in values (a table row)."""
    k = len(frags)
    while k > 0 and is_value_token(frags[k - 1][0]):
        k -= 1
    n_values = len(frags) - k
    if n_values == 0:
        return None
    if k == 0 and n_values < 3:
        return None  # one or two bare numbers: a stray figure, not a row
    return frags[k][1]


def _borderless_rows(lines: list[_TextLine]) -> dict[int, list[str] | None]:
    """Rows of tables drawn without ruling lines, among one page's consecutive text lines.

    Returns {line index: cells} for the line that carries a row's values, and {index: None}
    for label lines that were folded into a row (or dropped). A row's values sit on one line;
    its label may wrap above and below that line, and a merged label spanning several rows
    may stand anywhere beside them. Each label piece goes to the value line nearest to it in
    height; one- or two-character pieces stacked in one column (a vertical merged label such as
    "三、/本/年/度/…") are dropped.
    """
    frags = [_fragments(ln.chars) for ln in lines]
    starts = [_value_start(f) for f in frags]
    out: dict[int, list[str] | None] = {}
    n = len(lines)
    i = 0
    while i < n:
        if starts[i] is None:
            i += 1
            continue
        xv = starts[i]
        run = [i]
        j = i + 1
        while j < n:
            if starts[j] is not None:
                xv = min(xv, starts[j])
                run.append(j)
                j += 1
                continue
            size = lines[j].size
            label_only = lines[j].x1 < xv - 0.3 * size
            nxt = j + 1 < n and (starts[j + 1] is not None or lines[j + 1].x1 < xv - 0.3 * size)
            if label_only and nxt and any(starts[k] is not None for k in range(j + 1, min(n, j + 7))):
                run.append(j)
                j += 1
                continue
            break
        # a label piece just below the last values line (a merged label cut by the page end)
        while j < n and starts[j] is None and lines[j].x1 < xv - 0.3 * lines[j].size:
            if lines[run[-1]].y0 - lines[j].y1 < 1.0 * lines[j].size:
                run.append(j)
                j += 1
            else:
                break
        # a wrapped label just above the first values line belongs to it
        while run[0] > 0 and starts[run[0] - 1] is None:
            above, first = lines[run[0] - 1], lines[run[0]]
            if above.x1 < xv - 0.3 * above.size and above.y0 - first.y1 < 0.8 * above.size:
                run.insert(0, run[0] - 1)
            else:
                break
        _fold_run(lines, frags, starts, run, xv, out)
        i = j
    # header lines next to a run (cells far apart, no values) are rows too: they name the columns
    in_run = sorted(out)
    for k in range(n):
        if k in out or len(frags[k]) < 2:
            continue
        if any(abs(k - r) <= 3 for r in in_run):
            out[k] = [f[0] for f in frags[k]]
    return out


def _fold_run(lines, frags, starts, run: list[int], xv: float, out: dict) -> None:  # noqa: ANN001
    """Give each label piece of a borderless run to its nearest values line; build the rows."""
    anchors = [k for k in run if starts[k] is not None]
    pieces: list[tuple[int, int, str, float]] = []  # (anchor, line, text, x0)
    for k in run:
        ln = lines[k]
        cy = (ln.y0 + ln.y1) / 2
        for text, x0, _x1 in frags[k]:
            if x0 >= xv - 0.3 * ln.size and is_value_token(text):
                continue
            if starts[k] is not None:
                anchor = k
            else:
                anchor = min(anchors, key=lambda a: abs((lines[a].y0 + lines[a].y1) / 2 - cy))
            pieces.append((anchor, k, text, x0))
    short = [p for p in pieces if len(p[2]) <= 2 and not p[2][:1].isdigit()]
    drop = {
        id(p)
        for p in short
        if any(q is not p and q[1] != p[1] and abs(q[3] - p[3]) < 0.6 * lines[p[1]].size for q in short)
    }
    for k in run:
        out[k] = None
    for a in anchors:
        mine = sorted((p for p in pieces if p[0] == a and id(p) not in drop), key=lambda p: p[3])
        cols: list[list[tuple]] = []
        for p in mine:  # label columns by x; within a column, top to bottom
            if cols and abs(p[3] - cols[-1][0][3]) < 0.8 * lines[p[1]].size:
                cols[-1].append(p)
            else:
                cols.append([p])
        labels = [_join_wrapped([q[2] for q in sorted(col, key=lambda q: q[1])]) for col in cols]
        size = lines[a].size
        values = [t for t, x0, _ in frags[a] if x0 >= xv - 0.3 * size and is_value_token(t)]
        out[a] = labels + values


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
                Line(list(r), is_row=True, page=page, table=self.number, covered=frozenset(cov))
                for r, cov in zip(grid.rows, grid.covered, strict=True)
            ]
            self.bottom = []
            return lines
        else:
            self._widen(grid.cols)
        index = _col_index(self.cols)
        rows = []
        covers = []
        own = {index(x) for x in grid.cols}  # the table's columns this page's grid does not have are layout
        for r, cov in zip(grid.rows, grid.covered, strict=True):
            cells = [""] * len(self.cols)
            for x, text in zip(grid.cols, r, strict=True):
                cells[index(x)] = text
            rows.append(cells)
            covers.append(frozenset({index(grid.cols[k]) for k in cov} | (set(range(len(self.cols))) - own)))
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
                lines[i] = Line(rows[i], is_row=True, page=page, table=self.number, covered=covers[i])
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
        for line in self.lines:
            cells = [""] * len(merged)
            for x, text in zip(self.cols, line.cells, strict=True):
                cells[index(x)] = text
            line.cells[:] = cells
            old = {index(x) for x in self.cols}  # the new columns are layout in the earlier lines
            line.covered = frozenset(
                {index(self.cols[k]) for k in line.covered} | (set(range(len(merged))) - old)
            )
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


def _assemble(pages: list[_PageItems]) -> list[Line]:
    """Page items → Document lines: grid rows, borderless rows and joined paragraphs."""
    out: list[Line] = []
    table_no = -1
    table: _Table | None = None
    last_kind = None  # kind of the last item emitted ("grid", "row", "line")
    para: list[_TextLine] = []

    def flush() -> None:
        if para:
            out.append(Line([_join_wrapped([p.text for p in para])], page=para[0].page + 1))
            para.clear()

    all_lines = [it[2] for p in pages for it in p.items if it[1] == "line"]
    left, right = _margins(all_lines)  # type: ignore[arg-type]
    for pno, p in enumerate(pages):
        first_on_page = True
        # borderless rows among each stretch of text lines between ruled tables
        rows: dict[int, list[str] | None] = {}
        stretch: list[int] = []
        for idx, (_top, kind, _obj) in enumerate([*p.items, (0.0, "grid", None)]):
            if kind == "line":
                stretch.append(idx)
            elif stretch:
                found = _borderless_rows([p.items[k][2] for k in stretch])  # type: ignore[misc]
                rows.update({stretch[k]: v for k, v in found.items()})
                stretch = []
        for idx, (_top, kind, obj) in enumerate(p.items):
            if kind == "grid":
                flush()
                grid: _Grid = obj  # type: ignore[assignment]
                if table is not None and first_on_page and last_kind == "grid":
                    # a grid at the top of a page continues the last page's table
                    out.extend(table.add(grid, pno + 1))
                else:
                    table_no += 1
                    table = _Table(table_no)
                    out.extend(table.add(grid, pno + 1))
                last_kind = "grid"
            elif idx in rows:
                flush()
                cells = rows[idx]
                if cells:
                    out.append(Line(cells, is_row=True, page=pno + 1))
                last_kind = "row"
            else:
                ln: _TextLine = obj  # type: ignore[assignment]
                if para and (last_kind != "line" or not _continues(para[-1], ln, left, right)):
                    flush()
                para.append(ln)
                last_kind = "line"
            first_on_page = False
    flush()
    return out


def _continues(prev: _TextLine, ln: _TextLine, left: float, right: float) -> bool:
    """True when ``ln`` carries on the paragraph that ``prev`` ends."""
    h = prev.size
    if prev.x1 < right - 1.5 * h:
        return False  # the previous line stopped short: it ended its paragraph
    if ln.x0 > left + 0.9 * h:
        return False  # indented first line
    if abs(ln.size - h) > 0.15 * h:
        return False  # another font size: a heading or a note
    if _HEADING.match(ln.text):
        return False
    if ln.page == prev.page and prev.y0 - ln.y1 > 1.6 * h:
        return False  # a blank line between
    return True


def _what_it_is(data: bytes) -> str:
    """A hint for a file that is not a PDF: what its bytes look like."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return "; it is a zip file, e.g. a .docx: rename it"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "; it is an Office file, e.g. a .doc: rename it"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head:
        return "; it is a web page (an error page instead of the download?)"
    return ""


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    """Open the bytes with pdfium; ReadError naming the problem when they cannot be opened."""
    if b"%PDF" not in data[:1024]:
        raise ReadError(f"{path}: not a PDF file (no %PDF header{_what_it_is(data)})")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ReadError(
                f"{path}: PDF is encrypted (password protected); save an unprotected copy"
            ) from exc
        m = re.search(r"PDFium: ([^)]+)", msg)
        reason = (m.group(1) if m else msg).strip().rstrip(".").lower()
        raise ReadError(f"{path}: damaged or truncated PDF (pdfium: {reason})") from exc


def read(path: Path, data: bytes) -> Document:
    """Read a PDF report into a Document (tables as grid rows, prose as paragraphs)."""
    pdf = _open(path, data)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReadError(f"{path}: PDF has no pages (damaged or truncated)")
        pages: list[_PageItems] = []
        for i in range(n_pages):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as exc:
                raise ReadError(f"{path}: page {i + 1} cannot be loaded (damaged or truncated PDF)") from exc
            try:
                pages.append(_read_page(page, i))
            finally:
                page.close()
        problems = []
        n_chars = sum(p.n_chars for p in pages)
        n_junk = sum(p.n_junk for p in pages)
        if n_chars == 0 or n_junk > 0.3 * n_chars:
            doc = _no_text_layer(path, data, pdf, n_pages, unmapped=n_chars > 0)
            return doc
        if n_junk > 0.02 * n_chars:
            problems.append(
                {
                    "severity": "warning",
                    "check": "unmapped_text",
                    "location": "document",
                    "message": f"{n_junk} of {n_chars} characters have no Unicode mapping (font without "
                    "ToUnicode): some text may be missing or wrong",
                }
            )
        for i, p in enumerate(pages):
            if p.n_chars < 20 and p.has_images:
                problems.append(
                    {
                        "severity": "warning",
                        "check": "no_text_layer",
                        "location": f"page {i + 1}",
                        "message": f"page {i + 1} is an image without text (scanned); its content is not read",
                    }
                )
        if not data.rstrip()[-1024:].rstrip().endswith(b"%%EOF") and b"%%EOF" not in data[-2048:]:
            problems.append(
                {
                    "severity": "warning",
                    "check": "truncated_file",
                    "location": "document",
                    "message": "PDF has no end-of-file marker (%%EOF): the file may be truncated",
                }
            )
        lines = _assemble(pages)
        title = _title(lines) or _meta_title(pdf)
        created = _meta_date(pdf)
    finally:
        pdf.close()
    if not lines:
        raise ReadError(f"{path}: PDF has no text")
    return Document(
        path=path,
        source_format="pdf",
        sha256=sha256_of(data),
        lines=lines,
        pages=n_pages,
        title=title,
        created=created,
        problems=problems,
    )


def _title(lines: list[Line]) -> str | None:
    """The report title from the first page's heading lines ("XX 2024 年…年度报告")."""
    head = [ln.text for ln in lines[:6] if not ln.is_row and (ln.page or 1) == 1]
    for k in range(len(head)):
        if "报告" in head[k]:
            start = max(0, k - 2)
            return "".join(t for t in head[start : k + 1] if len(t) <= 40) or None
    return None


def _meta_title(pdf: pdfium.PdfDocument) -> str | None:
    """The document's /Title when it names a report (a printed web page's <title>, a Word
    document's title): for PDFs whose first page has no title line."""
    try:
        title = (pdf.get_metadata_value("Title") or "").strip()
    except (pdfium.PdfiumError, KeyError, ValueError):
        return None
    return title if ("报告" in title or "年报" in title) and len(title) <= 120 else None


_PDF_DATE = re.compile(r"^(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})")


def _meta_date(pdf: pdfium.PdfDocument) -> str | None:
    """When the file was last made, from /ModDate or /CreationDate (ISO), for telling a corrected
    re-publication from the first one; None when the metadata has no valid date."""
    for key in ("ModDate", "CreationDate"):
        try:
            m = _PDF_DATE.match((pdf.get_metadata_value(key) or "").strip())
        except (pdfium.PdfiumError, KeyError, ValueError):
            continue
        if m and (date := iso_date(*m.groups())):
            return date
    return None


def _no_text_layer(
    path: Path, data: bytes, pdf: pdfium.PdfDocument, n_pages: int, unmapped: bool
) -> Document:
    """A scanned (image-only) or unmapped-font PDF: OCR it when tesseract can, else say so."""
    reason = (
        "no text layer: fonts have no Unicode mapping (text extracts as unreadable glyph codes)"
        if unmapped
        else "no text layer: scanned document"
    )
    ocr_lines = _ocr(pdf, n_pages)
    if ocr_lines:
        return Document(
            path=path,
            source_format="pdf",
            sha256=sha256_of(data),
            lines=ocr_lines,
            pages=n_pages,
            title=_title(ocr_lines),
            problems=[
                {
                    "severity": "warning",
                    "check": "ocr",
                    "location": "document",
                    "message": f"{reason}; text read by OCR (tesseract chi_sim): check every value",
                }
            ],
            ocr=True,
        )
    return Document(
        path=path,
        source_format="pdf",
        sha256=sha256_of(data),
        lines=[],
        pages=n_pages,
        problems=[{"severity": "error", "check": "no_text_layer", "location": "document", "message": reason}],
    )


def _tesseract() -> tuple[str, str] | None:
    """(tesseract executable, languages) when tesseract with Simplified Chinese is installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    langs = set(listed.split())
    if "chi_sim" not in langs:
        return None
    return exe, ("chi_sim+eng" if "eng" in langs else "chi_sim")


def _ocr(pdf: pdfium.PdfDocument, n_pages: int) -> list[Line]:
    """OCR every page with tesseract (chi_sim) when it is installed; [] otherwise.

    Rows come out as space-separated text, so they go through the same splitter as pasted text.
    """
    found = _tesseract()
    if found is None:
        return []
    exe, langs = found
    lines: list[Line] = []
    with tempfile.TemporaryDirectory(prefix="govreport-ocr-") as tmp:
        for i in range(n_pages):
            img = Path(tmp) / f"p{i + 1}.png"
            page = pdf[i]
            try:
                page.render(scale=300 / 72, grayscale=True).to_pil().save(img)
            finally:
                page.close()
            try:
                res = subprocess.run(
                    [exe, str(img), "stdout", "-l", langs, "--psm", "6"],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
            except (OSError, subprocess.SubprocessError):
                return []
            if res.returncode != 0:
                return []
            text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", res.stdout)
            text = "\n".join(ln for ln in text.splitlines() if not _FOOTER.match(ln.strip()))
            lines.extend(text_lines(text, page=i + 1))
    return lines
