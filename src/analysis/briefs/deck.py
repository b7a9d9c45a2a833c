"""``brief.pptx`` from a brief folder: title, key figures, sentences, one chart per slide."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from analysis.present.text import fmt_value

from .files import KEY_FIGURES


def build_pptx(folder: str | Path, path: str | Path | None = None) -> Path:
    """``brief.pptx`` from a brief folder: a title slide, a key-figures slide (table with the change on the
    earlier report), the generated sentences, and one slide per chart in ``charts.json`` (the 16:9 PNG fills the slide; SVGs stay beside the deck)."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    from analysis.present import charts

    folder = Path(folder)
    figures = json.loads((folder / KEY_FIGURES).read_text(encoding="utf-8"))
    manifest = folder / charts.MANIFEST
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    name, year = figures["name"], figures["year"]

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    margin = Inches(0.6)
    width = prs.slide_width - 2 * margin

    def titled(layout: int, title: str):  # noqa: ANN202 - a pptx slide
        slide = prs.slides.add_slide(prs.slide_layouts[layout])
        shape = slide.shapes.title
        shape.text = title
        shape.left, shape.width = margin, width  # the default template is 4:3: widen to 16:9
        return slide

    cover = titled(0, f"{name}\n{year}年政府信息公开工作年度报告简报")
    sub = cover.placeholders[1]
    sub.left, sub.width = margin, width
    sub.text = f"{charts.SOURCE_LINE}\n生成日期：{date.today():%Y-%m-%d}"

    slide = titled(5, "主要数字")
    rows = [f for f in figures["figures"] if f["value"] is not None]
    prev_years = [f["prev_year"] for f in rows if f["prev_year"]]
    shape = slide.shapes.add_table(
        len(rows) + 1, 4, margin, Inches(1.5), width, Inches(0.38 * (len(rows) + 1))
    )
    table = shape.table
    for j, w in enumerate((0.4, 0.2, 0.2, 0.2)):
        table.columns[j].width = int(width * w)
    head = ["指标", f"{year}年", f"{prev_years[0]}年" if prev_years else "上年", "变化"]
    for j, text in enumerate(head):
        table.cell(0, j).text = text
    for i, f in enumerate(rows, start=1):
        prev = fmt_value(f["prev_value"], f["unit"]) if f["prev_value"] is not None else "—"
        for j, text in enumerate([f["label"], f["text"], prev, f["change"]]):
            table.cell(i, j).text = text
    for cell in (c for r in table.rows for c in r.cells):
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(16)
    if not prev_years:
        slide.notes_slide.notes_text_frame.text = "没有往年报告，无法计算同比变化。"

    slide = titled(5, "要点")
    box = slide.shapes.add_textbox(margin, Inches(1.5), width, Inches(5.6)).text_frame
    box.word_wrap = True
    for k, sentence in enumerate(figures["sentences"]):
        para = box.paragraphs[0] if k == 0 else box.add_paragraph()
        para.text = sentence
        para.font.size = Pt(20)
        para.space_after = Pt(10)

    blank = prs.slide_layouts[6]
    for entry in entries:
        s = prs.slides.add_slide(blank)
        pic = s.shapes.add_picture(str(folder / entry["png"]), 0, 0, width=prs.slide_width)
        pic.height = Emu(int(prs.slide_width * charts.PNG_SIZE[1] / charts.PNG_SIZE[0]))
        pic.name = entry["title"]
        s.notes_slide.notes_text_frame.text = "\n".join(
            x
            for x in (
                entry["title"],
                entry.get("note"),
                entry.get("source", charts.SOURCE_LINE),
                f"SVG：{entry['svg']}",
            )
            if x
        )
    out = Path(path) if path else folder / "brief.pptx"
    prs.save(str(out))
    return out
