"""A report as a PDF (fpdf2, with a CJK font embedded): paragraphs, and the tables drawn cell by cell
with ruling lines, merged label cells spanning rows, rows split across pages (a tall table runs on
to the next page, its merged cells closed at the foot of one page and continued on the next), and a
page number in the footer.

The font is Noto Sans CJK SC (or SimHei) from the ``mplfonts`` package the project's charts use,
subset once per process to the characters the generator prints (loading the whole 16 MB font for
every report would take half a second)."""

from __future__ import annotations

import hashlib
import importlib.util
import random
import tempfile
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from .layout import Cell, Grid
from .narrative import Document

FONT_FILES = ("SimHei.ttf", "NotoSansCJKsc-Regular.otf")
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 15.0
BOTTOM = PAGE_H - 20.0  # the last y a table row may reach
TABLE_FONT, TABLE_LINE, PAD = 8.0, 4.0, 1.2
# column widths (mm) by the number of columns a table has: legacy statistics (3), table 2 (4), table 3 (10), table 4 (15)
WIDTHS = {
    3: (100.0, 40.0, 40.0),
    4: (60.0, 40.0, 40.0, 40.0),
    10: (12.0, 18.0, 52.0, *(14.0,) * 7),
    15: (12.0,) * 15,
}
ALWAYS = "".join(chr(c) for c in range(32, 127)) + "，。、；：？！“”‘’（）《》〔〕—…·　．／"


def font_source() -> Path:
    """The CJK font file inside the installed ``mplfonts`` package (SIL OFL / freely usable)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.origin:
        raise RuntimeError("synth pdf needs the mplfonts package (pip install mplfonts) for a CJK font")
    folder = Path(spec.origin).parent / "fonts"
    for name in FONT_FILES:
        if (folder / name).is_file():
            return folder / name
    raise RuntimeError(f"no CJK font in {folder}")


@lru_cache(maxsize=8)
def subset_font(chars: frozenset[str]) -> Path:
    """A font holding only ``chars`` (cached in the temp folder by its characters' hash)."""
    from fontTools import subset

    src = font_source()
    key = hashlib.sha256(("".join(sorted(chars)) + src.name).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"analysis-synth-{key}{src.suffix}"
    if not path.exists():
        options = subset.Options()
        options.layout_features = []
        options.name_IDs = ["*"]
        font = subset.load_font(str(src), options)
        sub = subset.Subsetter(options)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)
        tmp = path.with_suffix(f".{random.random():.9f}.tmp")
        font.save(str(tmp))
        tmp.replace(path)  # atomic: parallel workers may build the same file
    return path


_known: set[str] = set()


def font_for(text: str) -> Path:
    """A subset font covering ``text``: the current one, or one grown to cover it too."""
    global _known
    missing = set(text) - _known
    if missing or not _known:
        _known = _known | missing | set(ALWAYS) | _seed_chars()
    return subset_font(frozenset(_known))


@lru_cache(maxsize=1)
def _seed_chars() -> set[str]:
    """Every character of the generator's own wording (labels, phrases) and of the places' names, so
    the font rarely grows."""
    from .bureaus import place_names

    here = Path(__file__).parent
    return {c for f in here.glob("*.csv") for c in f.read_text(encoding="utf-8")} | set(
        "".join(place_names())
    )


class _PDF(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("cjk", size=9)
        self.cell(0, 8, f"— {self.page_no()} —", align="C")


def document(doc: Document, rng: random.Random) -> bytes:
    """The PDF bytes of the report."""
    text = (
        doc.title
        + "".join(b.text for b in doc.blocks)
        + "".join(c.text for b in doc.blocks if b.grid for row in b.grid for c in row)
    )
    pdf = _PDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("cjk", "", str(font_for(text)))
    pdf.fonts["cjk"].ttfont.recalcBBoxes = False  # the subset keeps the glyphs' own boxes: no recompiling
    pdf.set_creation_date(_date(doc))
    pdf.set_title(doc.title)
    pdf.add_page()
    for b in doc.blocks:
        if b.kind == "title":
            pdf.set_font("cjk", size=16)
            pdf.multi_cell(
                0, 9, b.text, align="C", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.ln(3)
        elif b.kind in ("heading", "para"):
            pdf.set_font("cjk", size=11)
            pdf.multi_cell(
                0,
                6.5,
                ("" if b.kind == "heading" else "　　") + b.text,
                wrapmode=WrapMode.CHAR,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        else:
            pdf.ln(2)
            _table(pdf, b.grid)
            pdf.ln(3)
    return bytes(pdf.output())


def _date(doc: Document):  # noqa: ANN202 - a datetime
    import datetime as dt

    year = int(doc.title.split("年政府信息公开")[0][-4:])
    return dt.datetime(year + 1, 1, 20, 9, 0, tzinfo=dt.timezone.utc)


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    if not text:
        return [""]
    if pdf.get_string_width(text) <= width - 2 * PAD:
        return [text]
    return pdf.multi_cell(
        width - 2 * PAD, TABLE_LINE, text, wrapmode=WrapMode.CHAR, dry_run=True, output="LINES"
    )


def _table(pdf: FPDF, grid: Grid) -> None:
    """Draw ``grid`` from the current y: row heights fit the wrapped labels; a row that does not fit
    starts a new page, and merged cells running over it are drawn in a segment on each page."""
    pdf.set_font("cjk", size=TABLE_FONT)
    ncols = sum(c.colspan for c in grid[0])
    widths = WIDTHS[ncols]
    xs = [MARGIN + sum(widths[:j]) for j in range(ncols + 1)]
    placed: list[tuple[Cell, int, int, list[str]]] = []  # cell, first row, first column, its lines
    taken: set[tuple[int, int]] = set()
    for i, row in enumerate(grid):
        j = 0
        for cell in row:
            while (i, j) in taken:
                j += 1
            taken |= {(i + di, j + dj) for di in range(cell.rowspan) for dj in range(cell.colspan)}
            placed.append((cell, i, j, _lines(pdf, cell.text, xs[j + cell.colspan] - xs[j])))
            j += cell.colspan
    heights = [TABLE_LINE + 2 * PAD] * len(grid)
    for cell, i, _j, lines in placed:
        if cell.rowspan == 1:
            heights[i] = max(heights[i], len(lines) * TABLE_LINE + 2 * PAD)
    for cell, i, _j, lines in placed:
        if cell.rowspan > 1:
            need = len(lines) * TABLE_LINE + 2 * PAD
            have = sum(heights[i : i + cell.rowspan])
            if have < need:
                heights[i + cell.rowspan - 1] += need - have
    starting = {}
    for item in placed:
        starting.setdefault(item[1], []).append(item)
    open_cells: dict[int, list] = {}  # id → [cell, column, segment top, first segment?, lines, last row]
    y = pdf.get_y()

    def close(entry: list, bottom: float) -> None:
        cell, j, top, first, lines, _last = entry
        w = xs[j + cell.colspan] - xs[j]
        pdf.rect(xs[j], top, w, bottom - top)
        if first:
            _text(pdf, lines, xs[j], top, w, bottom - top)

    for i, h in enumerate(heights):
        if y + h > BOTTOM:
            for entry in open_cells.values():
                close(entry, y)
                entry[2], entry[3] = MARGIN, False
            pdf.add_page()
            pdf.set_font("cjk", size=TABLE_FONT)
            y = MARGIN
            for entry in open_cells.values():
                entry[2] = y
        for cell, _i, j, lines in starting.get(i, ()):
            if cell.rowspan == 1:
                w = xs[j + cell.colspan] - xs[j]
                pdf.rect(xs[j], y, w, h)
                _text(pdf, lines, xs[j], y, w, h)
            else:
                open_cells[id(cell)] = [cell, j, y, True, lines, i + cell.rowspan - 1]
        y += h
        for key in [k for k, e in open_cells.items() if e[5] == i]:
            close(open_cells.pop(key), y)
    pdf.set_xy(MARGIN, y)


def _text(pdf: FPDF, lines: list[str], x: float, y: float, w: float, h: float) -> None:
    top = y + (h - len(lines) * TABLE_LINE) / 2
    for k, line in enumerate(lines):
        pdf.set_xy(x, top + k * TABLE_LINE)
        pdf.cell(w, TABLE_LINE, line, align="C")
