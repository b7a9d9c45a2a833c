"""analysis.briefs.deck: brief.pptx has a title, the key figures, the sentences and one chart per slide."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.briefs import files


def test_brief_pptx_title_key_figures_sentences_and_one_chart_per_slide(huaian: files.BriefResult) -> None:
    from pptx import Presentation

    folder = Path(huaian.out_dir)
    prs = Presentation(str(folder / "brief.pptx"))
    slides = list(prs.slides)
    n_charts = len(json.loads((folder / "charts.json").read_text(encoding="utf-8")))
    assert len(slides) == 3 + n_charts
    assert "淮安市人民政府" in slides[0].shapes.title.text and "2024年" in slides[0].shapes.title.text
    key = slides[1]
    table = next(s for s in key.shapes if s.has_table).table
    cells = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(len(table.rows))}
    assert cells["本年新收申请"] == "3119件"
    assert cells["行政复议"] == "351件"
    sentences = "\n".join(sh.text_frame.text for sh in slides[2].shapes if sh.has_text_frame)
    assert "2024年共收到政府信息公开申请3119件" in sentences
    for slide in slides[3:]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0].width == prs.slide_width
        assert "数据来源：各单位政府信息公开工作年度报告" in slide.notes_slide.notes_text_frame.text
