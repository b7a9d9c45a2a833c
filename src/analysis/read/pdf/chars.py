"""Characters of a page with their boxes (pypdfium2), grouped into lines and joined into text."""

from __future__ import annotations

import ctypes
import math
from bisect import bisect_right
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import add, itemgetter, neg, sub
from typing import NamedTuple

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import calls

_HUGE = 40.0  # a character box larger than this is a pdfium artefact, not a glyph


# by code point: characters that are not text, unmapped glyphs (private use U+E000..U+F8FF,
# replacement U+FFFD, controls U+0000..U+0008, U+000B, U+000C, U+000E..U+001F)
_JUNK = np.zeros(0x10000, dtype=bool)
_JUNK[np.r_[0xE000:0xF900, 0xFFFD, 0x00:0x09, 0x0B:0x0D, 0x0E:0x20]] = True
# by code point (U+0000..U+FFFF): the characters dropped (whitespace, NUL) and the spaces among them
_HIDDEN = np.zeros(0x10000, dtype=bool)
_HIDDEN[[c for c in range(0x10000) if c == 0 or chr(c).isspace()]] = True
_SPACE = np.zeros(0x10000, dtype=bool)
_SPACE[[ord(c) for c in " \u3000\xa0"]] = True


class Char(NamedTuple):
    """A visible character and its box on the page (PDF points, y upwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    space_before: bool  # the text stream (or pdfium's word spacing) put a space just before it


_new = tuple.__new__  # a page makes thousands of Chars: build them at C speed
_TEXT, _X0, _Y0, _X1, _Y1 = map(itemgetter, range(5))  # Char fields at C speed


@dataclass
class _TextLine:
    """A line of text on a page: its characters in x order (until ``release``) and its box."""

    chars: list[Char]
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    text: str = ""
    _size: float | None = None
    # set by ``release``: how many characters it had, and its pieces at wide gaps (text, x0, x1)
    n_chars: int = 0
    frags: list[tuple[str, float, float]] | None = None

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def size(self) -> float:
        if self._size is None:
            self._size = _size(self.chars)
        return self._size

    def release(self, frags: list[tuple[str, float, float]]) -> None:
        """Keep what later stages need of the characters (their count, text, size and ``frags``)
        and let them go: kept, a document's characters all outlive their page, and the garbage
        collector walks them again and again (a NamedTuple is never untracked as a tuple is)."""
        self._size = self.size
        self.n_chars = len(self.chars)
        self.frags = frags
        self.chars = []


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


class _PageChars(NamedTuple):
    """A page's visible characters as arrays, how many of them are not text, and their centres."""

    boxes: _Boxes
    n_junk: int
    cx: np.ndarray  # (x0 + x1) / 2 of each character
    cy: np.ndarray  # (y0 + y1) / 2


class _Boxes(NamedTuple):
    """Characters as arrays: code points, boxes (as their Chars have them) and ``space_before``."""

    codes: np.ndarray
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    space: np.ndarray

    def take(self, at: np.ndarray) -> _Boxes:
        """The characters at the indexes ``at``, in that order."""
        return _Boxes(*(v[at] for v in self))

    def chars(self) -> list[Char]:
        """The characters as Chars, for the steps that go one character at a time."""
        text = self.codes.tobytes().decode("utf-32-le", "surrogatepass")
        cols = (self.x0.tolist(), self.y0.tolist(), self.x1.tolist(), self.y1.tolist(), self.space.tolist())
        return list(map(_new, repeat(Char), zip(text, *cols, strict=True)))  # Char(...) at C speed

    def finite(self) -> bool:
        """All boxes and their doubled centres are finite numbers (the bulk line and cell texts
        assume it: no NaN to sort or compare)."""
        x0, y0, x1, y1 = self.x0, self.y0, self.x1, self.y1
        return bool(np.isfinite(np.stack((x0, y0, x1, y1, x0 + x1, y0 + y1))).all())


def _no_chars() -> _PageChars:
    empty = np.empty(0)
    return _PageChars(
        _Boxes(np.empty(0, np.uint32), empty, empty, empty, empty, np.empty(0, bool)), 0, empty, empty
    )


def _page_chars(textpage: pdfium.PdfTextPage, rot) -> _PageChars:
    """The page's visible characters, y upwards, and how many of them are not text (``_JUNK``).

    Whitespace is dropped; ``space_before`` records that the text stream (or pdfium's word
    spacing) put a space just before the character, so words keep their spaces.
    Loose boxes (font ascent to descent) are used so that all characters of a line share one
    height, whatever their glyph shape ("一" and "。" have tiny tight boxes).
    The boxes are fetched in one pass into one float buffer and checked as arrays: the only
    per-character Python work is the C call (Chars are made later, for the few steps that need them).
    """
    n = textpage.count_chars()
    if n <= 0:
        return _no_chars()
    text = _page_text(textpage, n)
    if len(text) != n:  # characters outside the BMP: fetch code points one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = np.minimum(codes, 0xFFFF)  # no whitespace above U+FFFF
    at = np.flatnonzero(~_HIDDEN[bmp])  # the visible characters' indexes
    m = len(at)
    if not m:
        return _no_chars()
    vis = at.tolist()
    junk = _JUNK[bmp[at]]
    codes = codes[at]
    # a space (not a line break) just before: the last whitespace since the last character kept
    space = _SPACE[bmp[at - 1]] & (at > 0)
    raw = textpage.raw
    # FS_RECTF: left, top, right, bottom. (An array of a power-of-two length: a few array types
    # serve every page, see ``calls.array_type``.)
    buf = calls.array_type(ctypes.c_float, 1 << (4 * m - 1).bit_length())()
    refs = map(ctypes.byref, repeat(buf, m), range(0, 16 * m, 16))
    ok = list(map(calls.loose_char_box, repeat(raw, m), vis, refs))
    box = np.frombuffer(buf, dtype=np.float32, count=4 * m).reshape(m, 4).astype(np.float64)
    x0, top, x1, bottom = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    flip = bottom > top
    y0, y1 = np.where(flip, top, bottom), np.where(flip, bottom, top)
    huge = ((x1 - x0) > _HUGE) | ((y1 - y0) > _HUGE)
    if huge.any():
        # scaled or rotated text (e.g. a vertical label) can get an absurd loose box: use the glyph's
        tl, tr, tb, tt = (ctypes.c_double() for _ in range(4))
        trefs = [ctypes.byref(v) for v in (tl, tr, tb, tt)]
        for k in np.flatnonzero(huge).tolist():
            if ok[k] and calls.char_box(raw, vis[k], *trefs):
                x0[k], x1[k], y0[k], y1[k] = tl.value, tr.value, tb.value, tt.value
    if not all(ok):  # a character without a box is dropped; the space before it carries over
        for k in range(1, m):
            if not ok[k - 1] and vis[k] - 1 == vis[k - 1]:
                space[k] = space[k - 1]
        keep = np.array(ok, dtype=bool)
        x0, y0, x1, y1, space, junk = x0[keep], y0[keep], x1[keep], y1[keep], space[keep], junk[keep]
        codes = codes[keep]
        if not len(codes):
            return _no_chars()
    if rot is not None:
        cols = [x0.tolist(), y0.tolist(), x1.tolist(), y1.tolist()]
        cols = [list(c) for c in zip(*[_box(rot, *b) for b in zip(*cols, strict=True)], strict=True)]
        x0, y0, x1, y1 = (np.array(c, dtype=np.float64) for c in cols)
    w, h = x1 - x0, y1 - y0
    flat = ~((h >= 0.5 * w) | (w < 2.0))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if flat.any():
        fixed = np.flatnonzero(flat).tolist()
        bottoms, tops = y0.tolist(), y1.tolist()
        _fix_flat_boxes(x0.tolist(), bottoms, x1.tolist(), tops, fixed)
        y0[fixed], y1[fixed] = [bottoms[k] for k in fixed], [tops[k] for k in fixed]
        cy[fixed] = [(bottoms[k] + tops[k]) / 2 for k in fixed]
    return _PageChars(_Boxes(codes, x0, y0, x1, y1, space), int(junk.sum()), cx, cy)


def _page_text(textpage: pdfium.PdfTextPage, n: int) -> str:
    """``textpage.get_text_range(0, n)``, the same text, into a buffer of a cached array type
    (pypdfium2 makes an array type per call). Pages whose first or last character is left out
    of the text (which pypdfium2 works around) go to pypdfium2."""
    raw = textpage.raw
    start, end = calls.text_index(raw, 0), calls.text_index(raw, n - 1)
    if start != 0 or end == -1:
        return textpage.get_text_range(0, n)
    size = end + 2  # the text's units, NUL included
    buf = calls.array_type(ctypes.c_ushort, 1 << (size - 1).bit_length())()
    written = calls.get_text(raw, 0, n, buf)
    if not 0 < written <= size:  # (pypdfium2 fails on more than it expected)
        return textpage.get_text_range(0, n)
    return memoryview(buf)[: written - 1].tobytes().decode("utf-16-le", "ignore")


def _fix_flat_boxes(
    x0: list[float], y0: list[float], x1: list[float], y1: list[float], flat: list[int]
) -> None:
    """Give characters whose "loose" box is only their glyph's ink ("一" in some embedded fonts:
    11 pt wide, 1 pt high) the height of a neighbour on the same line, so that lines and cells
    keep them in place (their centre may sit above or below the line's other characters).
    ``x0`` .. ``y1``: the characters' boxes, ``y0`` and ``y1`` changed in place; ``flat``: the
    indexes of those characters (height under half the width, width 2 pt or more)."""
    n = len(x0)
    for k in flat:
        cy = (y0[k] + y1[k]) / 2
        for j in (k - 1, k + 1):
            if 0 <= j < n and y1[j] - y0[j] >= 0.5 * (x1[j] - x0[j]) and y0[j] <= cy <= y1[j]:
                y0[k], y1[k] = y0[j], y1[j]
                break


def _split_lines(chars: list[Char], cy: np.ndarray | None = None) -> list[list[Char]]:
    """Characters → lines (top to bottom), each sorted left to right.

    A character starts a new line when its centre is below the bottom of the line being built.
    ``cy``: the characters' centres ``(c.y0 + c.y1) / 2`` as an array, when the caller has them
    (a page's many characters are then sorted by numpy, in the same stable order).
    """
    if len(chars) < 2:
        return [list(chars)] if chars else []
    if cy is not None and not np.isnan(cy).any():
        by_centre = np.argsort(-cy, kind="stable")
        order = by_centre.tolist()
        keys = (-2.0 * cy).tolist()  # -(c.y0 + c.y1), exactly: the centre is its half
    else:
        keys = list(
            map(neg, map(add, map(_Y0, chars), map(_Y1, chars)))
        )  # top to bottom: by the centre, negated
        order = sorted(range(len(chars)), key=keys.__getitem__)
    if -keys[order[-1]] / 2 >= chars[order[0]].y0:  # the lowest centre is within the top one's line
        line = list(map(chars.__getitem__, order))  # (the common case, a cell's one line: no walk)
        line.sort(key=_X0)
        return [line]
    ordered = list(map(chars.__getitem__, order))
    ordered_keys = list(map(keys.__getitem__, order))  # ascending
    if math.isnan(sum(ordered_keys)):  # (never seen) no order to search in: walk the characters
        return _walk_lines(ordered, ordered_keys)
    lines: list[list[Char]] = []
    start, n = 0, len(ordered)
    while start < n:
        # the line ends at the first centre below its first character's bottom: -key / 2 < bottom,
        # i.e. key > -2 * bottom (exact: halving and doubling lose nothing), found by bisection
        end = bisect_right(ordered_keys, -2.0 * ordered[start].y0, start + 1)
        ln = ordered[start:end]
        if len(ln) > 1:
            ln.sort(key=_X0)
        lines.append(ln)
        start = end
    return lines


def _walk_lines(ordered: list[Char], keys: list[float]) -> list[list[Char]]:
    """``_split_lines`` one character at a time: ``ordered`` top to bottom, ``keys`` their
    negated centres (times two)."""
    lines: list[list[Char]] = []
    cur: list[Char] = []
    bottom = 0.0
    for c, key in zip(ordered, keys, strict=True):
        if cur and -key / 2 < bottom:
            lines.append(cur)
            cur = []
        if not cur:
            bottom = c.y0
        cur.append(c)
    lines.append(cur)
    for ln in lines:
        if len(ln) > 1:
            ln.sort(key=_X0)
    return lines


def _group_lines(chars: list[Char], page: int, cy: np.ndarray | None = None) -> list[_TextLine]:
    """Characters → _TextLines with their boxes (``cy``: as for ``_split_lines``)."""
    out = []
    for ln in _split_lines(chars, cy):
        out.append(
            _TextLine(
                chars=ln,
                x0=ln[0].x0,
                y0=min(map(_Y0, ln)),
                x1=max(map(_X1, ln)),
                y1=max(map(_Y1, ln)),
                page=page,
            )
        )
    return out


def _line_text(chars: list[Char], size: float | None = None) -> str:
    """Join a line's characters, with a space where the PDF has one or the gap is a word space."""
    if not chars:
        return ""
    if len(chars) == 1:
        return chars[0].text
    h = size or _size(chars)
    wide, narrow = 0.6 * h, 0.05 * h
    gaps = _gaps(chars)
    if max(gaps) <= min(wide, narrow):  # no gap anywhere that could be a space
        return "".join(map(_TEXT, chars))
    parts = [chars[0].text]
    for gap, prev, c in zip(gaps, chars, islice(chars, 1, None), strict=False):
        # between two CJK characters a space is justification, not a word break: only a wide gap counts
        if gap > wide or (c.space_before and gap > narrow and (prev.text < "\u2e80" or c.text < "\u2e80")):
            parts.append(" ")
        parts.append(c.text)
    return "".join(parts)


def _gaps(chars: list[Char]) -> list[float]:
    """The gaps between consecutive characters (``c.x0 - prev.x1``), made at C speed."""
    return list(map(sub, map(_X0, islice(chars, 1, None)), map(_X1, chars)))


def _size(chars: list[Char]) -> float:
    """The font size of a run of characters: the median width of its CJK (full-width) glyphs."""
    # (at C speed: the widths of the characters above U+2E80, i.e. "\u2e80" < text)
    wide = sorted(
        compress(map(sub, map(_X1, chars), map(_X0, chars)), map("\u2e80".__lt__, map(_TEXT, chars)))
    )
    if wide:
        return wide[len(wide) // 2] or 1.0
    return max(map(sub, map(_Y1, chars), map(_Y0, chars))) or 1.0


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell or paragraph: no space between CJK, one between words."""
    out = ""
    for p in parts:
        if out and p and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out


def _run_sizes(first: np.ndarray, run: np.ndarray, b: _Boxes) -> np.ndarray:
    """``_size`` of each run of characters (a line or a piece of one) for all runs at once:
    ``first``: where each run starts in ``b`` (ascending from 0), ``run``: each character's run."""
    size = np.maximum.reduceat(b.y1 - b.y0, first)
    cjk = b.codes > 0x2E80
    if cjk.any():
        run_cjk, width = run[cjk], (b.x1 - b.x0)[cjk]
        widths = width[np.lexsort((width, run_cjk))]
        count = np.bincount(run_cjk, minlength=len(first))
        has = count > 0
        size[has] = widths[(np.cumsum(count) - count + count // 2)[has]]
    size[size == 0] = 1.0
    return size


def _word_spaces(b: _Boxes, h: np.ndarray) -> np.ndarray:
    """Where ``_line_text`` puts a space between consecutive characters of ``b`` (``h``: the font
    size, per pair): a wide gap, or the PDF's space and a narrow gap unless both are CJK."""
    gap = b.x0[1:] - b.x1[:-1]
    both_cjk = (b.codes[:-1] >= 0x2E80) & (b.codes[1:] >= 0x2E80)
    return (gap > 0.6 * h) | (b.space[1:] & (gap > 0.05 * h) & ~both_cjk)


def _spaced_text(codes: np.ndarray, space: np.ndarray) -> tuple[str, np.ndarray]:
    """The characters ``codes`` as one string with a space before each where ``space`` (one per
    pair) says so, and where each character is in it (cut it there for a run's text)."""
    at = np.arange(len(codes))
    at[1:] += np.cumsum(space)
    out = np.full(int(at[-1]) + 1, 32, dtype=np.uint32)
    out[at] = codes
    return out.tobytes().decode("utf-32-le", "surrogatepass"), at
