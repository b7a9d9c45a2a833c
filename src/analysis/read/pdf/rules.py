"""Ruling lines drawn on a page (its vector paths), joined and told apart from underlines."""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import calls
from .chars import _box, _Boxes

# geometry tolerances, in PDF points (1/72 inch)
_THIN = 2.5  # a path thinner than this is a rule, not a box
_SNAP = 3.0  # rules closer than this are the same grid line
_MIN_RULE = 3.0  # shorter segments are decoration (tick marks, bullets)


@dataclass(slots=True)
class _Seg:
    """A horizontal (pos = y, lo..hi along x) or vertical (pos = x, lo..hi along y) rule."""

    pos: float
    lo: float
    hi: float


_POS, _LO = attrgetter("pos"), attrgetter("lo")


def _iter_paths(page: pdfium.PdfPage) -> Iterator[tuple[object, tuple | None]]:
    """Path objects of a page (also inside form XObjects) with the matrix to page space, one by one
    (a handle is a ctypes object the garbage collector tracks: a page's hundreds are not all held)."""
    path_t, form_t = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    get_page, get_form = calls.get_object_address, calls.form_get_object_address
    kind_of, handle = calls.object_type_at, calls._Handle
    stack = [(page.raw, None, 0, None)]
    while stack:
        holder, form, depth, matrix = stack.pop()
        if form is None:
            n = calls.count_objects(holder)
            objs = list(map(get_page, repeat(holder, n), range(n)))
        else:
            n = calls.form_count_objects(form)
            objs = list(map(get_form, repeat(form, n), range(n)))
        kinds = list(map(kind_of, objs))
        if form_t not in kinds:  # (the usual page: its paths in one pass)
            for obj in compress(objs, map(path_t.__eq__, kinds)):  # (kind == path_t, at C speed)
                yield handle(obj), matrix
            continue
        for obj, kind in zip(objs, kinds, strict=True):
            if kind == path_t:
                yield handle(obj), matrix
            elif kind == form_t and depth < 4:
                m = pdfium_c.FS_MATRIX()
                form_obj = handle(obj)
                calls.object_matrix(form_obj, ctypes.byref(m))
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                stack.append((None, form_obj, depth + 1, own if matrix is None else _compose(own, matrix)))


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
    m = pdfium_c.FS_MATRIX()
    mref = ctypes.byref(m)
    moveto, bezier = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
    get_segment, segment_type, segment_point = calls.path_segment, calls.segment_type, calls.segment_point
    segment_close = calls.segment_close

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if rot is not None:
            x0, y0, x1, y1 = _box(rot, x0, y0, x1, y1)
        w, h = x1 - x0, y1 - y0
        if h <= _THIN and w >= _MIN_RULE:
            hs.append(_Seg((y0 + y1) / 2, x0, x1))
        elif w <= _THIN and h >= _MIN_RULE:
            vs.append(_Seg((x0 + x1) / 2, y0, y1))

    fill_r, stroke_r = ctypes.byref(fill), ctypes.byref(stroke)
    get_mode, get_bounds = calls.path_draw_mode, calls.object_bounds
    for obj, matrix in _iter_paths(page):
        if not get_mode(obj, fill_r, stroke_r):
            continue
        if not fill.value and not stroke.value:
            continue  # clipping or invisible path
        if not get_bounds(obj, *refs):
            continue
        if matrix is None:
            ax, ay, bx, by = l_.value, b_.value, r_.value, t_.value
        else:
            ax, ay = _apply(matrix, l_.value, b_.value)
            bx, by = _apply(matrix, r_.value, t_.value)
        x0, x1 = bx if bx < ax else ax, bx if bx > ax else ax  # min(ax, bx), max(ax, bx)
        y0, y1 = by if by < ay else ay, by if by > ay else ay
        if x1 - x0 <= _THIN or y1 - y0 <= _THIN:
            if rot is not None:
                add(x0, y0, x1, y1)
                continue
            w, h = x1 - x0, y1 - y0  # add() inlined: most paths of a ruled table are thin boxes
            if h <= _THIN and w >= _MIN_RULE:
                hs.append(_Seg((y0 + y1) / 2, x0, x1))
            elif w <= _THIN and h >= _MIN_RULE:
                vs.append(_Seg((x0 + x1) / 2, y0, y1))
            continue
        nseg = calls.path_count_segments(obj)
        stroked = stroke.value
        if not stroked and nseg <= 5:
            continue  # one filled box: shading
        # walk the subpaths: thin subpaths are rules; stroked subpaths contribute their edges
        # (a fresh matrix is all 0 when pdfium cannot give it: never for a path)
        own = (m.a, m.b, m.c, m.d, m.e, m.f) if calls.object_matrix(obj, mref) else (0.0,) * 6
        ma, mb, mc, md, me, mf = own if matrix is None else _compose(own, matrix)
        subpaths: list[list[tuple[float, float]]] = []
        for i in range(nseg):
            seg = get_segment(obj, i)
            kind = segment_type(seg)
            if kind == bezier:
                subpaths = []  # a curve: an icon, a button or a rounded box, not table rules
                break
            segment_point(seg, pxr, pyr)
            x, y = px.value, py.value
            pt = (ma * x + mc * y + me, mb * x + md * y + mf)
            if kind == moveto or not subpaths:
                cur = [pt]
                subpaths.append(cur)
            else:
                cur.append(pt)
            if cur[0] != pt and segment_close(seg):  # (asked only when it matters: a box ends where it began)
                cur.append(cur[0])
        for sp in subpaths:
            sxs, sys_ = [p[0] for p in sp], [p[1] for p in sp]
            sx0, sx1, sy0, sy1 = min(sxs), max(sxs), min(sys_), max(sys_)
            if sx1 - sx0 <= _THIN or sy1 - sy0 <= _THIN:
                add(sx0, sy0, sx1, sy1)
            elif stroked and rot is None:  # add() inlined for the many edges of cell borders
                for (ax, ay), (bx, by) in zip(sp, sp[1:], strict=False):
                    if abs(ax - bx) <= 0.5 or abs(ay - by) <= 0.5:
                        x0, x1 = bx if bx < ax else ax, bx if bx > ax else ax  # min(ax, bx), max(ax, bx)
                        y0, y1 = by if by < ay else ay, by if by > ay else ay
                        w, h = x1 - x0, y1 - y0
                        if h <= _THIN and w >= _MIN_RULE:
                            hs.append(_Seg((y0 + y1) / 2, x0, x1))
                        elif w <= _THIN and h >= _MIN_RULE:
                            vs.append(_Seg((x0 + x1) / 2, y0, y1))
            elif stroked:
                for (ax, ay), (bx, by) in zip(sp, sp[1:], strict=False):
                    if abs(ax - bx) <= 0.5 or abs(ay - by) <= 0.5:
                        add(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
    return hs, vs


def _join_collinear(segs: list[_Seg]) -> list[_Seg]:
    """Rules on one line that meet or overlap, joined into one rule.

    Some writers (Chromium, LibreOffice) draw every cell's border on its own, so a table's row
    rule comes as one piece per cell; joined, a rule stops only where the drawing does (a cell
    with no top border leaves a real gap, so a partial rule stays partial).
    """
    if len(segs) < 2:
        return segs
    segs = sorted(segs, key=_POS)
    group = [segs[0]]
    lines: list[list[_Seg]] = [group]
    last = segs[0].pos
    for s in segs[1:]:
        if s.pos - last <= 1.0:
            group.append(s)
        else:
            group = [s]
            lines.append(group)
        last = s.pos
    out: list[_Seg] = []
    for group in lines:
        if len(group) == 1:
            out.append(group[0])
            continue
        pos = sum(map(_POS, group)) / len(group)
        group.sort(key=_LO)
        cur = _Seg(pos, group[0].lo, group[0].hi)
        for s in group[1:]:
            if s.lo <= cur.hi + 1.0:
                cur.hi = max(cur.hi, s.hi)
            else:
                out.append(cur)
                cur = _Seg(pos, s.lo, s.hi)
        out.append(cur)
    return out


def _drop_underlines(hs: list[_Seg], chars: _Boxes) -> list[_Seg]:
    """Horizontal rules that are not underlined text (LibreOffice draws underlines as thin boxes).

    An underline starts where the text on it starts and lies under it: characters whose bottom
    is within a third of their height of it, covering at least 40% of its length, the first of
    them starting within 1.5 pt of its left end. A cell border starts at the column's edge, and
    the text inside keeps off it by the cell's padding; a border under a whole row of cells is
    mostly not under text.
    """
    n = len(chars.codes)
    if not n:
        return hs
    x0, y0, x1, y1 = chars.x0.tolist(), chars.y0.tolist(), chars.x1.tolist(), chars.y1.tolist()
    by_bottom = sorted(range(n), key=y0.__getitem__)
    bottoms = [y0[k] for k in by_bottom]
    out = []
    for s in hs:
        pos, lo, hi = s.pos, s.lo - 1.0, s.hi + 1.0
        on = []
        for k in by_bottom[bisect_left(bottoms, pos - 8.0) : bisect_right(bottoms, pos + 8.0)]:
            h = y1[k] - y0[k]
            if lo <= (x0[k] + x1[k]) / 2 <= hi and -0.3 * h <= y0[k] - pos <= 0.3 * h:
                on.append(k)
        if on:
            first = min(x0[k] for k in on)
            ink = sum(x1[k] - x0[k] for k in on)
            if abs(first - s.lo) <= 1.5 and ink >= 0.4 * (s.hi - s.lo):
                continue
        out.append(s)
    return out
