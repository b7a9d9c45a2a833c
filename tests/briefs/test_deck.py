"""analysis.briefs.deck: brief.pptx is 16:9, every box inside its slide and beside (not over) the others,
its text fits its boxes and carries the charts' East-Asian font, the key figures are a real table with
right-aligned numbers; with LibreOffice installed the deck is rendered to PNG for a person to look at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import pytest

from analysis import store, views
from analysis.briefs import deck, files
from analysis.present import charts, text

A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def pingtan_2025(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A brief folder of 平潭综合实验区 2025 (key figures and sentences, no charts) and its deck."""
    folder = tmp_path_factory.mktemp("pingtan") / "2025"
    name = "平潭综合实验区"
    tables = views.scope(store.load_tables(clean_dir), bureau=name)
    headline = views.headline_figures(tables, name, 2025)
    files.write_key_figures(folder, name, 2025, headline, text.brief_sentences(tables, name, 2025))
    deck.build_pptx(folder)
    return folder


def _slides(folder: Path) -> tuple[object, list]:
    from pptx import Presentation

    prs = Presentation(str(folder / "brief.pptx"))
    return prs, list(prs.slides)


def _key_table(slide: object) -> list[list[tuple[str, object]]]:
    table = next(s for s in slide.shapes if s.has_table).table
    return [
        [(c.text, c.text_frame.paragraphs[0].alignment) for c in table.rows[r].cells]
        for r in range(len(table.rows))
    ]


def _size(runs: list, found: list[str], where: str) -> float:
    """The largest run size in points; a run without an explicit size is a problem (18 pt assumed)."""
    if any(r.font.size is None for r in runs):
        found.append(f"{where}: a run without a font size")
    return max((r.font.size.pt if r.font.size else 18.0) for r in runs) if runs else 18.0


def _after(p: object) -> float:
    return p.space_after.pt if p.space_after is not None else 0.0


def geometry_problems(prs: object) -> list[str]:
    """Every shape with its four coordinates inside the slide, no two shapes of a slide overlapping, the
    text of every box and table cell fitting it (characters × font size), every run in the CJK font."""
    from pptx.util import Emu

    w, h = prs.slide_width, prs.slide_height
    found = []
    for n, slide in enumerate(prs.slides, start=1):
        boxes = []
        for shape in slide.shapes:
            where = f"slide {n} {shape.name!r}"
            geo = (shape.left, shape.top, shape.width, shape.height)
            if None in geo or shape.width <= 0 or shape.height <= 0:
                found.append(f"{where}: no geometry {geo}")
                continue
            if (
                shape.left < 0
                or shape.top < 0
                or shape.left + shape.width > w
                or shape.top + shape.height > h
            ):
                found.append(f"{where}: outside the slide {geo}")
            boxes.append((where, shape.left, shape.top, shape.left + shape.width, shape.top + shape.height))
            if shape.has_text_frame and shape.text_frame.text.strip():
                tf = shape.text_frame
                paras = [(p.text, _size(p.runs, found, where), _after(p)) for p in tf.paragraphs if p.runs]
                need = deck.text_height(paras, shape.width - tf.margin_left - tf.margin_right)
                room = shape.height - tf.margin_top - tf.margin_bottom
                if need > room:
                    found.append(
                        f"{where}: text needs {Emu(need).inches:.2f} in, box has {Emu(room).inches:.2f}"
                    )
            if shape.has_table:
                table = shape.table
                if sum(r.height for r in table.rows) > shape.height + 12700:
                    found.append(f"{where}: rows taller than the table")
                for row in table.rows:
                    for col, cell in zip(table.columns, row.cells, strict=True):
                        size = _size([r for p in cell.text_frame.paragraphs for r in p.runs], found, where)
                        need = deck.text_height(
                            [(cell.text, size, 0)], col.width - cell.margin_left - cell.margin_right
                        )
                        if need > row.height - cell.margin_top - cell.margin_bottom:
                            found.append(f"{where}: cell {cell.text!r} does not fit")
        for a, b in combinations(boxes, 2):
            if min(a[3], b[3]) > max(a[1], b[1]) and min(a[4], b[4]) > max(a[2], b[2]):
                found.append(f"{a[0]} overlaps {b[0]}")
        for part in (slide, slide.notes_slide):
            for run in part._element.iter(f"{A_NS}r"):
                rpr = run.find(f"{A_NS}rPr")
                fonts = {
                    tag: (
                        rpr.find(f"{A_NS}{tag}").get("typeface")
                        if rpr is not None and rpr.find(f"{A_NS}{tag}") is not None
                        else None
                    )
                    for tag in ("latin", "ea")
                }
                if fonts != {"latin": charts.FONT_FAMILY, "ea": charts.FONT_FAMILY}:
                    found.append(f"slide {n}: run {run.findtext(f'{A_NS}t')!r} in {fonts}")
    return found


def test_deck_is_16_9_with_every_box_inside_apart_fitting_and_in_the_cjk_font(
    huaian: files.BriefResult,
) -> None:
    prs, slides = _slides(Path(huaian.out_dir))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 13.333 × 7.5 in
    assert geometry_problems(prs) == []
    for slide in slides:
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip()  # editable title text on every slide
        assert title.top > 0 and title.height > 0
    for layout in prs.slide_layouts:  # the layouts are 16:9 too: a slide added by hand fits
        for ph in layout.placeholders:
            assert ph.left + ph.width <= prs.slide_width, (layout.name, ph.name)


def test_deck_cover_key_figures_sentences_and_one_chart_per_slide(huaian: files.BriefResult) -> None:
    folder = Path(huaian.out_dir)
    prs, slides = _slides(folder)
    entries = json.loads((folder / "charts.json").read_text(encoding="utf-8"))
    assert len(slides) == 3 + len(entries)
    cover = slides[0].shapes.title.text_frame.text
    assert cover == "淮安市人民政府\n2024年政府信息公开工作年度报告简报"
    rows = {r[0][0]: [t for t, _ in r[1:]] for r in _key_table(slides[1])}
    assert rows["本年新收申请"][0] == "3,119件"
    assert rows["行政复议"][0] == "351件"
    assert "2024年共收到政府信息公开申请3119件" in slides[2].shapes[1].text_frame.text
    for slide, entry in zip(slides[3:], entries, strict=True):
        assert slide.shapes.title.text_frame.text == entry["title"]
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic.top >= slide.shapes.title.top + slide.shapes.title.height  # below its title
        shown = 1920 / (1080 * (1 - pic.crop_top - pic.crop_bottom))  # aspect ratio kept
        assert abs(pic.width / pic.height - shown) < 0.01
        notes = slide.notes_slide.notes_text_frame.text
        assert "数据来源：各单位政府信息公开工作年度报告" in notes and entry["svg"] in notes


def test_key_figures_table_right_aligns_separated_numbers_and_shows_unread(pingtan_2025: Path) -> None:
    from pptx.enum.text import PP_ALIGN

    prs, slides = _slides(pingtan_2025)
    assert geometry_problems(prs) == []
    table = _key_table(slides[1])
    assert [t for t, _ in table[0]] == ["指标", "2025年", "2023年", "变化"]
    rows = {r[0][0]: r[1:] for r in table[1:]}
    assert [t for t, _ in rows["行政许可决定"]] == ["2,418件", "2,629件", "-8.0%"]
    assert [t for t, _ in rows["公开率（含部分公开）"]] == ["48.0%", "51.9%", "-3.9个百分点"]
    # 2023's normative-documents row could not be cut (row.ambiguous): unread, not 0, not compared
    assert [t for t, _ in rows["本年制发规章和规范性文件"]] == ["58件", "未能读取", "—"]
    assert {a for r in table for _, a in r[1:]} == {PP_ALIGN.RIGHT}
    assert {r[0][1] for r in table} == {PP_ALIGN.LEFT}
    foot = [s.text_frame.text for s in slides[1].shapes if s.has_text_frame and s != slides[1].shapes.title]
    assert any(t.startswith("未能读取：") for t in foot)
    assert "未能读取的数字：本年制发规章和规范性文件（2023年）" in slides[1].notes_slide.notes_text_frame.text


def test_an_unread_value_is_never_a_number_and_long_text_goes_on_more_slides(tmp_path: Path) -> None:
    figures = [
        {
            "key": f"k{i}",
            "label": f"指标{i}",
            "unit": "件",
            "value": 1234567.0 * i,
            "prev_year": 2023,
            "prev_value": 1000.0,
            "text": "",
            "change": "+1.0%",
        }
        for i in range(1, 21)
    ]
    figures[0] |= {"value": None, "change": "+5.0%"}  # a stale change text must not show for an unread value
    sentence = "这是一句很长的自动生成的说明文字，用来检验要点页放不下时会分成几页。" * 3
    (tmp_path / files.KEY_FIGURES).write_text(
        json.dumps(
            {"name": "某单位", "year": 2024, "figures": figures, "sentences": [sentence] * 12},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    prs = __import__("pptx").Presentation(str(deck.build_pptx(tmp_path)))
    assert geometry_problems(prs) == []
    slides = list(prs.slides)
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[1:3] == ["主要数字（1/2）", "主要数字（2/2）"]
    assert titles[3].startswith("要点（1/") and len(titles) > 4
    first = {r[0][0]: [t for t, _ in r[1:]] for r in _key_table(slides[1])}
    assert first["指标1"] == ["未能读取", "1,000件", "—"]
    assert first["指标2"] == ["2,469,134件", "1,000件", "+1.0%"]


def test_text_estimate_counts_cjk_as_one_em_and_latin_as_about_half() -> None:
    inch = deck.EMU_PER_INCH
    cjk = "政府信息公开" * 6  # 36 em at 18 pt = 648 pt
    assert [deck.text_lines(cjk, 18, w * inch) for w in (10, 6, 4)] == [1, 2, 3]  # 720, 432, 288 pt lines
    assert deck.text_lines("2025" * 10, 18, 6 * inch) == 1  # 40 digits × 0.55 em × 18 pt = 396 pt
    assert deck.text_lines("二〇二五" * 10, 18, 6 * inch) == 2  # 40 CJK × 18 pt = 720 pt
    assert deck.text_lines("一\n二", 18, 6 * inch) == 2


def _render(pptx: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out}/.lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = out / (pptx.stem + ".pdf")
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(out / "slide")], check=True, timeout=300)
    return sorted(out.glob("slide-*.png"))


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="needs LibreOffice and poppler"
)
def test_deck_renders_to_png_for_a_person_to_look_at(huaian: files.BriefResult, tmp_path: Path) -> None:
    """Renders the deck with LibreOffice; the PNGs go to $DECK_PNG_DIR (e.g. reports/deck-png) or tmp."""
    from PIL import Image

    out = Path(os.environ.get("DECK_PNG_DIR") or tmp_path)
    prs, slides = _slides(Path(huaian.out_dir))
    pngs = _render(Path(huaian.out_dir) / "brief.pptx", out)
    print(f"deck rendered to {out}")
    assert len(pngs) == len(slides)
    for png in pngs:
        with Image.open(png) as im:
            assert abs(im.width / im.height - 16 / 9) < 0.01
            assert im.convert("L").getextrema()[0] < 100  # something dark was drawn: text rendered
