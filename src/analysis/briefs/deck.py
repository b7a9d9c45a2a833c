"""``brief.pptx`` from a brief folder: a 16:9 deck a leadership meeting can use as it is.

The layouts are made 16:9 in code (python-pptx's default master, every placeholder widened by 4/3 and the
theme's fonts set to the charts' Noto Sans CJK SC), every box is placed explicitly inside the slide and
beside, never over, the others, and every run carries the East-Asian font (``a:ea``) as well as the latin
one. Slides: a cover; the key figures as a table (numbers right-aligned, thousands separators, 未能读取
for a value not read); the generated sentences; one chart per slide under its title. Sources, notes and
the SVG's name go into the speaker notes. ``text_lines`` is the estimate of how text fills a box that
both the layout and the tests use.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.present import tables

from .files import KEY_FIGURES

EMU_PER_INCH = 914400
EMU_PER_PT = 12700
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 × 7.5 in, 16:9
MARGIN = int(0.5 * EMU_PER_INCH)
TITLE_TOP, TITLE_H = int(0.3 * EMU_PER_INCH), int(0.9 * EMU_PER_INCH)
BODY_TOP = int(1.35 * EMU_PER_INCH)
BODY_BOTTOM = SLIDE_H - int(0.35 * EMU_PER_INCH)
INSET_X, INSET_Y = int(0.1 * EMU_PER_INCH), int(0.05 * EMU_PER_INCH)  # text frame and table cell margins
LINE = 1.2  # line height as a multiple of the font size
TITLE_SIZES = (28, 24, 20, 18)
BODY_SIZES = (20, 18, 16)
TABLE_SIZES = (16, 14, 12)
DARK = "1F2937"
MUTED = "5F6B7A"

# python-pptx's default master: layouts by name
COVER, TITLE_ONLY = "Title Slide", "Title Only"


def char_em(ch: str) -> float:
    """The width of a character in ems: CJK and full-width forms 1, latin letters and digits about 0.55."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55


def text_lines(text: str, size_pt: float, width_emu: int) -> int:
    """How many lines ``text`` takes at ``size_pt`` in a box whose text area is ``width_emu`` wide."""
    per_line = width_emu / EMU_PER_PT
    lines = 0
    for para in text.split("\n"):
        ems = sum(char_em(c) for c in para)
        lines += max(1, math.ceil(ems * size_pt / per_line - 1e-9))
    return lines


def text_height(paragraphs: Sequence[tuple[str, float, float]], width_emu: int) -> int:
    """The height (EMU) of paragraphs given as (text, size pt, space after pt) in a text area this wide."""
    pts = sum(text_lines(t, size, width_emu) * size * LINE + after for t, size, after in paragraphs)
    return int(pts * EMU_PER_PT)


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def text_width(self) -> int:
        return self.width - 2 * INSET_X

    @property
    def text_height(self) -> int:
        return self.height - 2 * INSET_Y


CONTENT = Box(MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, BODY_BOTTOM - BODY_TOP)
TITLE = Box(MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H)


# ------------------------------------------------------------------------------------------ the master


def _scale_x(element: object, factor: float) -> None:
    for off in element.xpath(".//a:xfrm/a:off"):
        off.set("x", str(round(int(off.get("x")) * factor)))
    for ext in element.xpath(".//a:xfrm/a:ext"):
        ext.set("cx", str(round(int(ext.get("cx")) * factor)))


def _widescreen(prs: object, font: str) -> None:
    """Make the default (4:3) master and layouts 16:9 and their theme fonts the charts' CJK font."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    factor = SLIDE_W / prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    master = prs.slide_master
    _scale_x(master.shapes._spTree, factor)
    for layout in prs.slide_layouts:
        _scale_x(layout.shapes._spTree, factor)
    theme = master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = re.sub(r'<a:latin typeface="[^"]*"/><a:ea typeface="[^"]*"/>', "", xml)
    xml = re.sub(
        r"<a:(major|minor)Font>",
        rf'<a:\1Font><a:latin typeface="{font}"/><a:ea typeface="{font}"/>',
        xml,
    )
    xml = re.sub(
        r'<a:font script="Hans" typeface="[^"]*"/>', f'<a:font script="Hans" typeface="{font}"/>', xml
    )
    theme._blob = xml.encode("utf-8")


def _layout(prs: object, name: str) -> object:
    return next(lay for lay in prs.slide_layouts if lay.name == name)


# ------------------------------------------------------------------------------------------------ text


def set_run_font(
    run: object, font: str, size: float | None = None, bold: bool = False, color: str = ""
) -> None:
    """The run in ``font`` for latin and East-Asian text (``a:latin`` and ``a:ea``), at ``size`` points."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    f = run.font
    f.name = font  # a:latin
    if size:
        f.size = Pt(size)
    f.bold = bold or None
    if color:
        f.color.rgb = RGBColor.from_string(color)
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": font})
    latin = rpr.find(qn("a:latin"))
    latin.addnext(ea)


def write_text(
    frame: object,
    paragraphs: Sequence[str],
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: object = None,
    color: str = DARK,
    space_after: float = 0,
) -> None:
    """Replace a text frame's text by ``paragraphs``, every run in ``font`` (latin and East-Asian)."""
    from pptx.util import Pt

    frame.clear()
    frame.word_wrap = True
    for k, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        if space_after:
            para.space_after = Pt(space_after)
        run = para.add_run()
        run.text = text
        set_run_font(run, font, size, bold, color)


def _place(shape: object, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = box.left, box.top, box.width, box.height


def _fit_size(paragraphs: Sequence[str], box: Box, sizes: Sequence[float], after: float = 0) -> float | None:
    """The largest size at which the paragraphs fit the box, or None."""
    for size in sizes:
        if text_height([(p, size, after) for p in paragraphs], box.text_width) <= box.text_height:
            return size
    return None


def _title(slide: object, text: str, font: str) -> None:
    shape = slide.shapes.title
    _place(shape, TITLE)
    size = _fit_size([text], TITLE, TITLE_SIZES) or TITLE_SIZES[-1]
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    write_text(shape.text_frame, [text], font, size, bold=True, align=PP_ALIGN.LEFT)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _notes(slide: object, lines: Sequence[str | None], font: str) -> None:
    write_text(slide.notes_slide.notes_text_frame, [x for x in lines if x], font, 12)


# ----------------------------------------------------------------------------------------------- table


def _table_rows_fit(
    cells: Sequence[Sequence[str]], widths: Sequence[int], size: float, height: int
) -> list[int] | None:
    """Row heights (EMU) that hold every cell at ``size``, or None when the rows exceed ``height``."""
    rows = []
    for row in cells:
        lines = max(text_lines(text, size, w - 2 * INSET_X) for text, w in zip(row, widths, strict=True))
        rows.append(int(lines * size * LINE * EMU_PER_PT) + 2 * INSET_Y + int(4 * EMU_PER_PT))
    return rows if sum(rows) <= height else None


def _column_widths(frame: object, width: int) -> list[int]:
    """Widths in proportion to the longest text of each column (plus two ems); the table is as wide as
    its text at the largest size with some air, at least 55% and at most all of ``width``."""
    ems = [
        max(sum(char_em(c) for c in str(t)) for t in [col, *frame[col].tolist()]) + 2 for col in frame.columns
    ]
    total = sum(ems)
    natural = int(total * TABLE_SIZES[0] * EMU_PER_PT * 1.4)
    width = max(int(width * 0.55), min(width, natural))
    widths = [int(width * e / total) for e in ems]
    widths[-1] = width - sum(widths[:-1])
    return widths


def table_layout(frame: object, box: Box) -> tuple[list[int], list[int], float] | None:
    """Column widths, row heights and font size at which ``frame`` (header included) fits ``box``."""
    cells = [list(frame.columns), *frame.astype(str).values.tolist()]
    widths = _column_widths(frame, box.width)
    for size in TABLE_SIZES:
        heights = _table_rows_fit(cells, widths, size, box.height)
        if heights:
            return widths, heights, size
    return None


def add_table(slide: object, frame: object, box: Box, font: str, numeric: Sequence[str]) -> None:
    """``frame`` (all text, as ``present.tables`` formats it) as a real table in ``box``: header row
    bold, the ``numeric`` columns right-aligned; ValueError when it does not fit (see ``table_layout``)."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    layout = table_layout(frame, box)
    if layout is None:
        raise ValueError(f"table of {len(frame)} rows does not fit its box")
    widths, heights, size = layout
    cells = [list(frame.columns), *frame.astype(str).values.tolist()]
    shape = slide.shapes.add_table(len(cells), len(widths), box.left, box.top, sum(widths), sum(heights))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = w
    for i, h in enumerate(heights):
        table.rows[i].height = h
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = INSET_X
            cell.margin_top = cell.margin_bottom = INSET_Y
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            write_text(
                cell.text_frame,
                [text],
                font,
                size,
                bold=i == 0,
                align=PP_ALIGN.RIGHT if frame.columns[j] in numeric else PP_ALIGN.LEFT,
                color="FFFFFF" if i == 0 else DARK,
            )


# ----------------------------------------------------------------------------------------------- slides


def _cover(prs: object, name: str, year: int, font: str, source: str) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    slide = prs.slides.add_slide(_layout(prs, COVER))
    title = slide.shapes.title
    box = Box(MARGIN, int(1.7 * EMU_PER_INCH), SLIDE_W - 2 * MARGIN, int(2.3 * EMU_PER_INCH))
    _place(title, box)
    lines = [name, f"{year}年政府信息公开工作年度报告简报"]
    size = _fit_size(lines, box, (40, 36, 32, 28, 24)) or 24
    write_text(title.text_frame, lines, font, size, bold=True, align=PP_ALIGN.CENTER)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _rule(slide, box.top + box.height + int(0.1 * EMU_PER_INCH))
    sub = slide.placeholders[1]
    sub_box = Box(MARGIN, int(4.3 * EMU_PER_INCH), SLIDE_W - 2 * MARGIN, int(1.2 * EMU_PER_INCH))
    _place(sub, sub_box)
    write_text(
        sub.text_frame,
        [source, f"生成日期：{date.today():%Y-%m-%d}"],
        font,
        18,
        align=PP_ALIGN.CENTER,
        color=MUTED,
    )
    sub.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    _notes(slide, [f"{name}{year}年政府信息公开工作年度报告简报。", source], font)


def _rule(slide: object, top: int) -> None:
    """A short accent rule, centred, between the cover's title and subtitle."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    from analysis.present.charts import ACCENT  # the charts' first colour

    width = int(1.4 * EMU_PER_INCH)
    bar = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, (SLIDE_W - width) // 2, top, width, int(0.06 * EMU_PER_INCH)
    )
    bar.name = "accent rule"
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string(ACCENT.lstrip("#").upper())
    bar.line.fill.background()


def _key_figures(prs: object, figures: Mapping, font: str, source: str) -> None:
    rows, year = figures["figures"], int(figures["year"])
    # why a value was not read goes to the speaker notes, not into a column of the slide's table
    frame = tables.key_figures_frame(rows, year).drop(columns=["说明"], errors="ignore")
    unread = [r["label"] for r in rows if r.get("value") is None]
    unread += [
        f"{r['label']}（{r['prev_year']}年）"
        for r in rows
        if r.get("prev_year") and r.get("prev_value") is None
    ]
    prev = [r.get("prev_year") for r in rows if r.get("prev_year")]
    feet = [
        "" if prev else f"没有{year}年以前的报告，无法与往年比较。",
        f"{tables.UNREAD}：报告中的这个数字没有读出（原因见 brief.html 的“数据问题”），不按0计，也不作比较。"
        if unread
        else "",
    ]
    foot = "".join(feet)
    foot_h = int(0.5 * EMU_PER_INCH) if foot else 0
    box = Box(CONTENT.left, CONTENT.top, CONTENT.width, CONTENT.height - foot_h)
    numeric = [c for c in frame.columns if c not in tables.KEY_TEXT_COLUMNS]
    n = 1  # as few slides as the rows need
    while True:
        size = math.ceil(len(frame) / n)
        parts = [frame.iloc[i : i + size].reset_index(drop=True) for i in range(0, len(frame), size)] or [
            frame
        ]
        if all(table_layout(p, box) for p in parts) or size <= 1:
            break
        n += 1
    for k, part in enumerate(parts):
        slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))
        _title(slide, "主要数字" + (f"（{k + 1}/{len(parts)}）" if len(parts) > 1 else ""), font)
        add_table(slide, part, box, font, numeric)
        if foot:
            tb = slide.shapes.add_textbox(CONTENT.left, BODY_BOTTOM - foot_h, CONTENT.width, foot_h)
            write_text(tb.text_frame, [foot], font, 14, color=MUTED)
        _notes(
            slide,
            [
                f"{figures['name']}{year}年主要数字" + (f"，与{prev[0]}年报告比较。" if prev else "。"),
                ("未能读取的数字：" + "、".join(unread) + "。") if unread else None,
                *(f"{r['label']}：{r['reason']}" for r in rows if r.get("reason")),
                *(
                    f"{r['label']}（{r['prev_year']}年）：{r['prev_reason']}"
                    for r in rows
                    if r.get("prev_reason")
                ),
                source,
            ],
            font,
        )


def _sentences(prs: object, sentences: Sequence[str], font: str, source: str) -> None:
    groups: list[list[str]] = []
    current: list[str] = []
    for s in sentences:  # as many slides as the sentences need at the smallest body size
        if current and _fit_size([*current, s], CONTENT, BODY_SIZES[-1:], after=10) is None:
            groups.append(current)
            current = []
        current.append(s)
    if current:
        groups.append(current)
    for k, group in enumerate(groups):
        slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))
        _title(slide, "要点" + (f"（{k + 1}/{len(groups)}）" if len(groups) > 1 else ""), font)
        size = _fit_size(group, CONTENT, BODY_SIZES, after=10) or BODY_SIZES[-1]
        need = text_height([(s, size, 10) for s in group], CONTENT.text_width) + 2 * INSET_Y
        tb = slide.shapes.add_textbox(CONTENT.left, CONTENT.top, CONTENT.width, min(CONTENT.height, need))
        write_text(tb.text_frame, group, font, size, space_after=10)
        _notes(slide, ["由报告数字自动生成的文字。", source], font)


def title_band(png: Path) -> float:
    """The share of a chart's height taken by its own one-line title at the top (the slide shows the
    title as text above it), or 0 when the top is not plainly one line followed by a blank band
    (``charts.title_band`` of the PNG's image; ``save_chart`` records it in charts.json)."""
    import numpy as np
    from PIL import Image

    from analysis.present import charts

    with Image.open(png) as im:
        return charts.title_band(np.asarray(im.convert("RGBA")))


def _chart(prs: object, folder: Path, entry: Mapping, font: str, source: str) -> None:
    from PIL import Image

    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))
    _title(slide, entry["title"], font)
    png = folder / entry["png"]
    with Image.open(png) as im:  # the size only: the image is not decoded
        w_px, h_px = im.size
    crop = entry.get("title_band")
    crop = title_band(png) if crop is None else float(crop)  # a charts.json written before it was recorded
    shown_h = h_px * (1 - crop)
    height = CONTENT.height
    width = int(height * w_px / shown_h)
    if width > CONTENT.width:
        width, height = CONTENT.width, int(CONTENT.width * shown_h / w_px)
    pic = slide.shapes.add_picture(str(png), (SLIDE_W - width) // 2, CONTENT.top, width, height)
    pic.crop_top = crop  # the chart's own title is the slide's title
    pic.name = entry["title"]
    _notes(
        slide,
        [entry["title"], entry.get("note"), entry.get("source") or source, f"矢量图（SVG）：{entry['svg']}"],
        font,
    )


def build_pptx(folder: str | Path, path: str | Path | None = None) -> Path:
    """``brief.pptx`` from a brief folder (``key_figures.json`` and the charts in ``charts.json``):
    cover, key figures, sentences, one chart per slide; 16:9, nothing outside the slide or overlapping."""
    from pptx import Presentation

    from analysis.present import charts

    folder = Path(folder)
    figures = json.loads((folder / KEY_FIGURES).read_text(encoding="utf-8"))
    manifest = folder / charts.MANIFEST
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    font, source = charts.FONT_FAMILY, charts.SOURCE_LINE

    prs = Presentation()
    _widescreen(prs, font)
    _cover(prs, figures["name"], int(figures["year"]), font, source)
    _key_figures(prs, figures, font, source)
    _sentences(prs, figures["sentences"], font, source)
    for entry in entries:
        _chart(prs, folder, entry, font, source)
    out = Path(path) if path else folder / "brief.pptx"
    prs.save(str(out))
    return out
