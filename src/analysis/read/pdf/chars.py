"""Characters of a page with their boxes (pypdfium2), grouped into lines and joined into text."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import calls

_HUGE = 40.0  # a character box larger than this is a pdfium artefact, not a glyph


# characters that are not text: unmapped glyphs (private use, replacement, controls)
_JUNK = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


class Char(NamedTuple):
    """A visible character and its box on the page (PDF points, y upwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    space_before: bool  # the text stream (or pdfium's word spacing) put a space just before it


_new = tuple.__new__  # a page makes thousands of Chars: build them at C speed


@dataclass
class _TextLine:
    """A line of text on a page: its characters in x order and its box."""

    chars: list[Char]
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


def _page_chars(textpage: pdfium.PdfTextPage, rot) -> list[Char]:
    """The page's visible characters, y upwards.

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
    get_box, get_tight = calls.loose_char_box, calls.char_box
    tl, tr, tb, tt = (ctypes.c_double() for _ in range(4))
    trefs = [ctypes.byref(v) for v in (tl, tr, tb, tt)]
    out: list[Char] = []
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
        out.append(_new(Char, (ch, x0, y0, x1, y1, space)))  # Char(...) without its Python-level __new__
        space = False
    _fix_flat_boxes(out)
    return out


def _fix_flat_boxes(chars: list[Char]) -> None:
    """Give characters whose "loose" box is only their glyph's ink ("一" in some embedded fonts:
    11 pt wide, 1 pt high) the height of a neighbour on the same line, so that lines and cells
    keep them in place (their centre may sit above or below the line's other characters)."""
    for k, c in enumerate(chars):
        w, h = c.x1 - c.x0, c.y1 - c.y0
        if h >= 0.5 * w or w < 2.0:
            continue
        cy = (c.y0 + c.y1) / 2
        for j in (k - 1, k + 1):
            if 0 <= j < len(chars):
                n = chars[j]
                if n.y1 - n.y0 >= 0.5 * (n.x1 - n.x0) and n.y0 <= cy <= n.y1:
                    chars[k] = c._replace(y0=n.y0, y1=n.y1)
                    break


def _split_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters → lines (top to bottom), each sorted left to right.

    A character starts a new line when its centre is below the bottom of the line being built.
    """
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: -(c.y0 + c.y1))
    lines: list[list[Char]] = []
    cur: list[Char] = []
    bottom = 0.0
    for c in chars:
        if cur and (c.y0 + c.y1) / 2 < bottom:
            lines.append(cur)
            cur = []
        if not cur:
            bottom = c.y0
        cur.append(c)
    lines.append(cur)
    for ln in lines:
        ln.sort(key=lambda c: c.x0)
    return lines


def _group_lines(chars: list[Char], page: int) -> list[_TextLine]:
    """Characters → _TextLines with their boxes."""
    out = []
    for ln in _split_lines(chars):
        out.append(
            _TextLine(
                chars=ln,
                x0=ln[0].x0,
                y0=min([c.y0 for c in ln]),
                x1=max([c.x1 for c in ln]),
                y1=max([c.y1 for c in ln]),
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
    parts = [chars[0].text]
    for prev, c in zip(chars, chars[1:], strict=False):
        gap = c.x0 - prev.x1
        # between two CJK characters a space is justification, not a word break: only a wide gap counts
        if gap > 0.6 * h or (
            c.space_before and gap > 0.05 * h and (prev.text < "\u2e80" or c.text < "\u2e80")
        ):
            parts.append(" ")
        parts.append(c.text)
    return "".join(parts)


def _size(chars: list[Char]) -> float:
    """The font size of a run of characters: the median width of its CJK (full-width) glyphs."""
    wide = sorted([c.x1 - c.x0 for c in chars if c.text > "\u2e80"])
    if wide:
        return wide[len(wide) // 2] or 1.0
    return max(c.y1 - c.y0 for c in chars) or 1.0


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell or paragraph: no space between CJK, one between words."""
    out = ""
    for p in parts:
        if out and p and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out
