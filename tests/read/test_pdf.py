"""The PDF reader: real reports give the rows and paragraphs their text versions would.

Checked against the hand-made gold files of the two real PDFs, and against variants made from
them at test time: the same pages without ruling lines (borderless tables), and the pages
drawn sideways on landscape pages with /Rotate (content inside form XObjects).

PDFs made by other tools draw tables differently, so three converted reports are checked
against the gold files of their sources too (``CONVERTED``). How they were made (2026-11):

- ``2025_pingtan-zongheshiyanqu.chromium.pdf``: the 2025 HTML report printed to PDF by headless
  Chromium 150 (Skia/PDF; no CJK font installed, so CJK glyphs are Type3);
- ``2021_pingtan-zongheshiyanqu.chromium.pdf``: the 2021 web page, navigation chrome included,
  printed the same way (9 pages; a table-3 merged label cut by two page breaks);
- ``2020_luoyang-tongjiju.libreoffice.pdf``: ``soffice --headless --convert-to pdf
  tests/fixtures/2020_luoyang-tongjiju.docx`` (LibreOffice 7.4; rows cut by page breaks);

each then shrunk with ``qpdf --object-streams=generate --recompress-flate --compression-level=9``
(the reader gives the same lines for the shrunk and the original file). Chromium draws every
cell edge as its own thin filled box (a merged cell leaves rule pieces that touch no other
rule), LibreOffice closes a row cut by a page break with a rule on both pages; the synthetic
tables below (``chromium_style_pdf``) pin those mechanisms down one by one.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from gold import load_gold, mismatches
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.model import codes
from analysis.model.document import Document, ReadError
from analysis.model.values import is_value_token
from analysis.read import read_document
from analysis.report import extract_report

FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD = FIXTURES / "bad"
ROOT = Path(__file__).resolve().parents[2]
PDFS = {
    "2024_huaian-shizhengfu": FIXTURES / "2024_huaian-shizhengfu.pdf",
    "2023_hongze-quzhengfu": FIXTURES / "2023_hongze-quzhengfu.pdf",
}
# PDFs printed or converted from other fixtures by other tools → the gold file of their source
CONVERTED = {
    "2025_pingtan-zongheshiyanqu.chromium.pdf": "2025_pingtan-zongheshiyanqu",
    "2021_pingtan-zongheshiyanqu.chromium.pdf": "2021_pingtan-zongheshiyanqu-html",
    "2020_luoyang-tongjiju.libreoffice.pdf": "2020_luoyang-tongjiju",
}

# a keyword of each table-3 row's label (whitespace removed), unique among the rows with values
ROW_KEYWORDS = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld.state_secret": "国家秘密",
    "withheld.prohibited_by_law": "其他法律行政",
    "withheld.security_stability": "三安全一稳定",
    "withheld.third_party": "第三方",
    "withheld.internal_affairs": "三类内部事务",
    "withheld.process_info": "四类过程性",
    "withheld.enforcement_file": "行政执法案卷",
    "withheld.administrative_query": "行政查询",
    "unavailable.not_held": "不掌握",
    "unavailable.needs_creation": "另行制作",
    "unavailable.still_unclear": "仍不明确",
    "not_processed.petition": "信访举报",
    "not_processed.duplicate": "重复申请",
    "not_processed.publication": "公开出版物",
    "not_processed.excessive": "大量反复",
    "not_processed.confirmation": "确认或重新出具",
    "other": "其他处理",
    "other.no_correction": "逾期不补正",
    "other.fee_unpaid": "收费通知",
    "other.other": "3、其他",
    "total_processed": "总计",
    "carried_forward": "结转下年度",
}
TABLE2_LABELS = {
    ("20.1", "regulation"): "规章",
    ("20.1", "normative_document"): "行政规范性文件",
    ("20.5", "administrative_license"): "行政许可",
    ("20.6", "administrative_penalty"): "行政处罚",
    ("20.6", "administrative_coercion"): "行政强制",
    ("20.8", "administrative_fee"): "行政事业性收费",
}


def _label(cells: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(c for c in cells if not is_value_token(c)))


def _numbers(cells: list[str]) -> list[float]:
    return [float(c) for c in cells if c.strip()]


def value_rows(doc: Document, n: int) -> list[tuple[str, list[float]]]:
    """(label, last n values) of every table row that ends in n numeric cells."""
    out = []
    for line in doc.lines:
        if not line.is_row:
            continue
        cells = list(line.cells)
        while cells and not cells[-1].strip():
            cells.pop()
        tail = cells[-n:]
        if len(cells) >= n and all(re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", c.strip()) for c in tail):
            out.append((_label(cells[:-n]), [float(c) for c in tail]))
    return out


def strip_rules(src: Path, out: Path) -> Path:
    """The same PDF with every vector path removed: its tables become borderless."""
    pdf = pdfium.PdfDocument(src)
    for page in pdf:
        for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1)):
            page.remove_obj(obj)
        page.gen_content()
    pdf.save(out)
    return out


def landscape(src: Path, out: Path) -> Path:
    """Each page drawn sideways on a landscape page (inside a form XObject), set upright by /Rotate 90."""
    pdf = pdfium.PdfDocument(src)
    dst = pdfium.PdfDocument.new()
    for i in range(len(pdf)):
        w, h = pdf[i].get_size()
        xobj = pdf.page_as_xobject(i, dst)
        page = dst.new_page(h, w)
        obj = xobj.as_pageobject()
        obj.set_matrix(pdfium.PdfMatrix(0, 1, -1, 0, h, 0))
        page.insert_obj(obj)
        page.gen_content()
        page.set_rotation(90)
    dst.save(out)
    return out


def chromium_style_pdf(path: Path, pages: list[dict]) -> Path:
    """A PDF with one ruled table per page, its borders drawn as Chromium prints HTML tables.

    Each page is ``{"rows": [[text, ...], ...], "open_top": {col, ...}, "open_bottom": {...}}``;
    a cell "<" belongs to the cell on its left, "^" to the cell above (colspan / rowspan). Every
    grid position's edge is its own thin filled box, drawn where two different cells meet and
    along the table's outside, except the top / bottom edges of the columns listed open (a cell
    cut by a page break). Text is Helvetica, in the top-left position of its cell, one line per
    "\n"-separated part; with ``"underline": True`` it starts at the cell's left edge and every
    line is underlined by a thin filled box, as LibreOffice draws underlined text.
    """
    pdf = pdfium.PdfDocument.new()
    w, left, top, t = 70.0, 72.0, 700.0, 0.75
    for spec in pages:
        h = spec.get("row_height", 20.0)
        underline = spec.get("underline", False)
        rows = spec["rows"]
        ids: list[list[tuple[int, int]]] = []
        for r, row in enumerate(rows):
            ids.append([])
            for c, text in enumerate(row):
                ids[r].append(ids[r][c - 1] if text == "<" else ids[r - 1][c] if text == "^" else (r, c))
        page = pdf.new_page(612, 792)

        def box(x0: float, y0: float, x1: float, y1: float, page: pdfium.PdfPage = page) -> None:
            obj = pdfium_c.FPDFPageObj_CreateNewRect(x0, y0, x1 - x0, y1 - y0)
            pdfium_c.FPDFPageObj_SetFillColor(obj, 0, 0, 0, 255)
            pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_WINDING, False)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)

        nrow, ncol = len(rows), len(rows[0])
        for r in range(nrow + 1):  # horizontal edges, one box per grid column
            y = top - r * h
            for c in range(ncol):
                if r == 0 and c in spec.get("open_top", ()) or r == nrow and c in spec.get("open_bottom", ()):
                    continue
                if 0 < r < nrow and ids[r - 1][c] == ids[r][c]:
                    continue
                box(left + c * w - t / 2, y - t / 2, left + (c + 1) * w + t / 2, y + t / 2)
        for c in range(ncol + 1):  # vertical edges, one box per grid row
            x = left + c * w
            for r in range(nrow):
                if 0 < c < ncol and ids[r][c - 1] == ids[r][c]:
                    continue
                box(x - t / 2, top - (r + 1) * h - t / 2, x + t / 2, top - r * h + t / 2)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if ids[r][c] != (r, c) or not text:
                    continue
                for k, part in enumerate(text.split("\n")):
                    obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 9.0)
                    wide = (part + "\0").encode("utf-16-le")  # FPDF_WIDESTRING is UTF-16
                    buf = ctypes.create_string_buffer(wide, len(wide))
                    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
                    x, y = left + c * w + (0.4 if underline else 3), top - r * h - 12 - 11 * k
                    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
                    pdfium_c.FPDFPage_InsertObject(page.raw, obj)
                    if underline:
                        bounds = [ctypes.c_float() for _ in range(4)]
                        pdfium_c.FPDFPageObj_GetBounds(obj, *[ctypes.byref(v) for v in bounds])
                        box(x, y - 1.6, bounds[2].value, y - 1.0)
        page.gen_content()
    pdf.save(path)
    return path


def table_rows(path: Path) -> list[list[str]]:
    return [ln.cells for ln in read_document(path).lines if ln.is_row]


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name: read_document(path) for name, path in PDFS.items()}


@pytest.fixture(scope="module")
def converted() -> dict[str, Document]:
    return {name: read_document(FIXTURES / name) for name in CONVERTED}


# ------------------------------------------------------------------------------- rows


@pytest.mark.parametrize("name", PDFS)
def test_every_table3_row_holds_its_gold_values(docs: dict[str, Document], name: str) -> None:
    rows = [r for r in value_rows(docs[name], 7) if r[0]]  # the table-4 row has no label
    gold = load_gold(name)["requests"]
    assert len(rows) == len(gold)
    for code, values in gold.items():
        hits = [v for label, v in rows if ROW_KEYWORDS[code] in label]
        assert hits == [values], code


def test_huaian_new_received_row_is_one_line_with_label_and_values(docs: dict[str, Document]) -> None:
    row = next(ln for ln in docs["2024_huaian-shizhengfu"].lines if ln.is_row and "本年新收" in ln.text)
    assert row.cells[0] == "一、本年新收政府信息公开申请数量"
    assert row.cells[-7:] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert row.page == 4 and row.table is not None


@pytest.mark.parametrize("name", PDFS)
def test_table4_row_has_the_15_gold_values(docs: dict[str, Document], name: str) -> None:
    gold = load_gold(name)["reviews_litigation"]
    want = [float(v) for p in codes.PROCEEDINGS for v in gold[p]]
    assert [v for label, v in value_rows(docs[name], 15) if label == ""] == [want]


@pytest.mark.parametrize("name", PDFS)
def test_table2_rows_hold_their_gold_values(docs: dict[str, Document], name: str) -> None:
    gold = load_gold(name)["active_disclosure"]
    for (clause, item), label in TABLE2_LABELS.items():
        want = [float(r["value"]) for r in gold if (r["clause"], r["item"]) == (clause, item)]
        rows = [ln for ln in docs[name].lines if ln.is_row and ln.cells[0] == label]
        assert len(rows) == 1, label
        assert _numbers(rows[0].cells[1:]) == want, label


def test_merged_cells_keep_text_in_their_first_row_and_column(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        rows = [ln.cells for ln in doc.lines if ln.is_row and ln.table == 1]
        assert all(len(r) == 10 for r in rows)  # 3 label columns + 7 applicant columns
        first = next(r for r in rows if "予以公开" in "".join(r))
        assert first[:3] == ["三、本年度办理结果", "（一）予以公开", ""]
        secret = next(r for r in rows if "国家秘密" in "".join(r))
        assert secret[:3] == ["", "（三）不予公开", "1.属于国家秘密"]
        after = rows[rows.index(secret) + 1]
        assert after[:2] == ["", ""] and after[2].startswith("2.其他法律行政")
        header = rows[0]
        assert header[3] == "申请人情况" and header[4:] == [""] * 6


def test_no_bogus_rows_from_vertical_labels(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        for ln in doc.lines:
            if ln.is_row:
                labels = [c for c in ln.cells if c.strip() and not is_value_token(c)]
                assert not (len(labels) == 1 and len(labels[0]) == 1 and len(ln.cells) <= 2), ln.cells
            else:
                assert len(ln.text) > 1 or ln.text == "无", ln.text


def test_a_table_broken_across_pages_continues(docs: dict[str, Document]) -> None:
    doc = docs["2024_huaian-shizhengfu"]
    t3 = [i for i, ln in enumerate(doc.lines) if ln.is_row and ln.table == 1]
    assert t3 == list(range(t3[0], t3[-1] + 1))  # consecutive lines, one table
    assert {doc.lines[i].page for i in t3} == {4, 5}
    pages = [doc.lines[i].page for i in t3]
    k = pages.index(5)
    assert "本机关不掌握" in doc.lines[t3[k - 1]].text and "另行制作" in doc.lines[t3[k]].text


def test_huaian_table_rows_exactly(docs: dict[str, Document]) -> None:
    rows = [ln.cells for ln in docs["2024_huaian-shizhengfu"].lines if ln.is_row]
    assert ["规章", "1", "0", "11"] in rows
    assert ["行政事业性收费", "96171.6", "", ""] in rows  # page 5's part of table 2 keeps its 4 columns
    assert ["", "（七）总计", "", "2932", "53", "0", "0", "61", "4", "3050"] in rows
    assert [
        "",
        "（六）其他处理",
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "67", "3", "0", "0", "1", "0", "71",
    ] in rows  # fmt: skip
    assert ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"] in rows


# ----------------------------------------------------------- tables drawn by other tools


def test_a_partial_rule_separates_only_the_columns_it_spans(tmp_path: Path) -> None:
    """Table 2 as Chromium draws it: a rule piece under a merged cell touches no other rule."""
    rows = [
        ["Clause 1", "<", "<", "<"],
        ["Item", "issued", "repealed", "in force"],
        ["Rules", "0", "0", "0"],
        ["Clause 5", "<", "<", "<"],
        ["Item", "decisions", "<", "<"],
        ["Licences", "2418", "<", "<"],
        ["Clause 8", "<", "<", "<"],
    ]
    path = chromium_style_pdf(tmp_path / "t2.pdf", [{"rows": rows}])
    assert table_rows(path) == [
        ["Clause 1", "", "", ""],
        ["Item", "issued", "repealed", "in force"],
        ["Rules", "0", "0", "0"],
        ["Clause 5", "", "", ""],
        ["Item", "decisions", "", ""],
        ["Licences", "2418", "", ""],
        ["Clause 8", "", "", ""],
    ]


def test_rowspan_and_colspan_cells_drawn_per_edge(tmp_path: Path) -> None:
    rows = [
        ["Note", "<", "Person", "Total"],
        ["^", "^", "^", "^"],
        ["New", "<", "151", "154"],
        ["Result", "Granted", "33", "33"],
        ["^", "Withheld", "0", "0"],
        ["^", "^", "3", "3"],
    ]
    path = chromium_style_pdf(tmp_path / "t3.pdf", [{"rows": rows}])
    assert table_rows(path) == [
        ["Note", "", "Person", "Total"],
        ["New", "", "151", "154"],
        ["Result", "Granted", "33", "33"],
        ["", "Withheld", "0", "0"],
        ["", "", "3", "3"],
    ]


def test_a_row_cut_by_a_page_break_with_open_edges_is_joined(tmp_path: Path) -> None:
    """Chromium leaves a cut cell open at the page bottom and at the next page's top."""
    page1 = {"rows": [["Item", "A", "B"], ["New", "1", "2"], ["Carried", "", ""]], "open_bottom": {0, 1, 2}}
    page2 = {"rows": [["forward", "3", "4"], ["Total", "4", "6"]], "open_top": {0, 1, 2}}
    path = chromium_style_pdf(tmp_path / "cut.pdf", [page1, page2])
    assert table_rows(path) == [
        ["Item", "A", "B"],
        ["New", "1", "2"],
        ["Carried forward", "3", "4"],
        ["Total", "4", "6"],
    ]


def test_a_merged_label_cut_by_a_page_break_keeps_its_text_in_its_first_row(tmp_path: Path) -> None:
    page1 = {"rows": [["Outcome of", "Granted", "5"], ["^", "Partly", "1"]], "open_bottom": {0}}
    page2 = {"rows": [["requests", "Other", "2"], ["Total", "<", "8"]], "open_top": {0}}
    path = chromium_style_pdf(tmp_path / "merged.pdf", [page1, page2])
    assert table_rows(path) == [
        ["Outcome of requests", "Granted", "5"],
        ["", "Partly", "1"],
        ["", "Other", "2"],
        ["Total", "", "8"],
    ]


def test_a_cut_row_closed_on_both_pages_joins_only_when_its_rest_is_text(tmp_path: Path) -> None:
    """LibreOffice closes a cut row on both pages: its rest has no values and no number."""
    page1 = {"rows": [["Item", "A", "B"], ["Partly (only", "5", "0"]]}
    rest = {"rows": [["this case)", "", ""], ["2. Other", "1", "1"]]}
    path = chromium_style_pdf(tmp_path / "lo.pdf", [page1, rest])
    assert table_rows(path) == [
        ["Item", "A", "B"],
        ["Partly (only this case)", "5", "0"],
        ["2. Other", "1", "1"],
    ]
    for first in (["(3) Withheld", "", ""], ["Next", "1", "1"]):  # a numbered label, values: new rows
        path = chromium_style_pdf(tmp_path / "lo2.pdf", [page1, {"rows": [first]}])
        assert table_rows(path)[-1] == first
    header = {"rows": [["Item", "A", "B"], ["Total", "9", "9"]]}  # a header row repeated on page 2
    path = chromium_style_pdf(tmp_path / "lo3.pdf", [page1, header])
    assert table_rows(path) == [["Item", "A", "B"], ["Partly (only", "5", "0"], ["Total", "9", "9"]]


def test_underlined_text_is_not_a_rule(tmp_path: Path) -> None:
    """LibreOffice underlines are thin boxes; one under text flush with a border touches it."""
    rows = [
        ["Item", "A", "B"],
        ["Partly granted\nin this case", "5", "0"],
        ["New requests\nreceived here", "12", "3"],
    ]
    path = chromium_style_pdf(tmp_path / "ul.pdf", [{"rows": rows, "row_height": 30.0, "underline": True}])
    assert table_rows(path) == [
        ["Item", "A", "B"],
        ["Partly granted in this case", "5", "0"],
        ["New requests received here", "12", "3"],
    ]


def test_a_cut_header_label_in_the_first_column_is_joined(tmp_path: Path) -> None:
    page1 = {"rows": [["Note (the", "Applicants", "<"]]}
    page2 = {"rows": [["rest)", "Person", "Firm"], ["New", "1", "2"]]}
    path = chromium_style_pdf(tmp_path / "head.pdf", [page1, page2])
    assert table_rows(path) == [
        ["Note (the rest)", "Applicants", ""],
        ["", "Person", "Firm"],
        ["New", "1", "2"],
    ]


def test_text_of_a_cut_cell_running_past_the_last_rule_stays_in_its_cell(tmp_path: Path) -> None:
    """Chromium cuts a rowspan cell's borders at the page break but lets its text run on below."""
    page1 = {"rows": [["Item", "A", "B"], ["Note", "Applicants", "<"]], "open_bottom": {0}}
    page1["rows"][1][0] = "Note on\nthe rest\nof it"
    page2 = {"rows": [["", "Person", "Firm"], ["New", "1", "2"]], "open_top": {0}}
    path = chromium_style_pdf(tmp_path / "spill.pdf", [page1, page2])
    assert table_rows(path) == [
        ["Item", "A", "B"],
        ["Note on the rest of it", "Applicants", ""],
        ["", "Person", "Firm"],
        ["New", "1", "2"],
    ]
    doc = read_document(path)
    assert {ln.table for ln in doc.lines} == {0}  # one table, no stray paragraph between its pages


def test_a_table_across_pages_keeps_one_set_of_columns(tmp_path: Path) -> None:
    page1 = {"rows": [["Review", "<", "Litigation"]]}
    page2 = {"rows": [["upheld", "total", "upheld"], ["1", "1", "0"]]}
    path = chromium_style_pdf(tmp_path / "cols.pdf", [page1, page2])
    assert table_rows(path) == [["Review", "", "Litigation"], ["upheld", "total", "upheld"], ["1", "1", "0"]]


@pytest.mark.parametrize("name", CONVERTED)
def test_converted_pdf_matches_every_gold_cell(name: str) -> None:
    gold = load_gold(CONVERTED[name])
    obj = json.loads(extract_report(FIXTURES / name).to_json())
    assert obj["report"]["template"] == gold["template"] and obj["report"]["year"] == gold["year"]
    assert obj["report"]["source_format"] == "pdf"
    assert mismatches(obj, gold) == []
    assert not [i for i in obj["issues"] if i["severity"] == "error"]


def test_every_table_keeps_one_width(docs: dict[str, Document], converted: dict[str, Document]) -> None:
    for doc in [*docs.values(), *converted.values()]:
        widths: dict[int, set[int]] = {}
        for ln in doc.lines:
            if ln.is_row and ln.table is not None:
                widths.setdefault(ln.table, set()).add(len(ln.cells))
        assert widths and all(len(w) == 1 for w in widths.values()), (doc.path.name, widths)


def test_chromium_table_rows(converted: dict[str, Document]) -> None:
    rows = [ln.cells for ln in converted["2025_pingtan-zongheshiyanqu.chromium.pdf"].lines if ln.is_row]
    # labels in their own rows, not in the header's merged cell
    assert rows[14][:4] == [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "",
        "",
        "申请人情况",
    ]
    assert ["一、本年新收政府信息公开申请数量", "", "", "151", "3", "0", "0", "0", "0", "154"] in rows
    assert ["二、上年结转政府信息公开申请数量", "", "", "0", "0", "0", "0", "0", "0", "0"] in rows
    # table 2: one row per clause, a merged value cell keeps its column
    assert ["第二十条第（五）项", "", "", ""] in rows and ["行政许可", "2418", "", ""] in rows
    assert ["行政事业性收费", "4166.241619", "", ""] in rows
    # merged labels in the first row of their span; quotes in place
    assert ["", "（四）无法提供", "1.本机关不掌握相关政府信息", "49", "1", "0", "0", "0", "0", "50"] in rows
    assert ["", "", "3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"] in rows
    # the last row, alone on the next page, keeps the table's columns
    last = next(
        ln for ln in converted["2025_pingtan-zongheshiyanqu.chromium.pdf"].lines if "结转下年度" in ln.text
    )
    assert last.is_row and last.page == 5 and last.table == 1
    assert last.cells == ["四、结转下年度继续办理", "", "", "4", "2", "0", "0", "0", "0", "6"]


def test_chromium_page_with_site_chrome(converted: dict[str, Document]) -> None:
    doc = converted["2021_pingtan-zongheshiyanqu.chromium.pdf"]
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    # a label justified over a narrow cell has no spaces between its characters
    assert rows[19][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert ["", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"] in rows
    report = extract_report(FIXTURES / "2021_pingtan-zongheshiyanqu.chromium.pdf")
    assert report.report["bureau"] == "平潭综合实验区" and report.report["year"] == 2021


def test_libreoffice_rows_cut_by_page_breaks_are_joined(converted: dict[str, Document]) -> None:
    doc = converted["2020_luoyang-tongjiju.libreoffice.pdf"]
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert ["三、本年度办理结果", "(一) 予以公开", "", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert [
        "",
        "(二) 部分公开(区分处理的,只计这一情形,不计其他情形)",
        "",
        "5",
        "0",
        "0",
        "0",
        "0",
        "0",
        "5",
    ] in rows
    assert ["", "(四)无法提供", "1.本机关不掌握相关政府信息", "2", "0", "0", "0", "0", "0", "2"] in rows
    assert rows[-4] == ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9  # page 4, widened by page 5
    assert not [r for r in rows if not any(is_value_token(c) and c for c in r) and r[0] in ("理结果", "息")]


# ------------------------------------------------------------------------------- text


def test_page_numbers_are_dropped(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        for ln in doc.lines:
            assert not re.fullmatch(r"[-—\s]*\d+[-—\s]*", ln.text.strip()), ln.text
            assert "- 4 -" not in ln.text and "- 2 -" not in ln.text


def test_wrapped_lines_are_joined_into_paragraphs(docs: dict[str, Document]) -> None:
    huaian = [ln.text for ln in docs["2024_huaian-shizhengfu"].lines if not ln.is_row]
    hongze = [ln.text for ln in docs["2023_hongze-quzhengfu"].lines if not ln.is_row]
    assert huaian[:4] == ["淮安市人民政府", "2024 年政府信息公开工作年度报告", huaian[2], "一、总体情况"]
    assert huaian[2].startswith("本报告由淮安市人民政府办公室") and huaian[2].endswith("hazwgkc@163.com）。")
    # sentences wrapped over lines, and over a page break, are whole
    assert any("全市共受理政府信息公开申请 3119 件，答复 3050 件" in t for t in huaian)
    assert any("还有一些需要加强和改进的地方。主要表现在" in t for t in huaian)
    assert any("全市在运维政务新媒体共计 95个，在省办 2024 年" in t for t in huaian)
    assert any("在政府网站平台主动公开政府信息 1136 条。" in t for t in hongze)
    # headings start their own paragraph
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):  # fmt: skip
        assert heading in huaian and heading in hongze
    assert any(t.startswith("（二）依申请公开情况。定期对") for t in huaian)
    assert "（三）政府信息管理情况。" in hongze  # a heading line that stops short is a paragraph of its own
    assert (
        huaian[-1]
        == "2024 年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 3940 元。"
    )


def test_document_metadata(docs: dict[str, Document]) -> None:
    doc = docs["2024_huaian-shizhengfu"]
    assert doc.source_format == "pdf" and doc.pages == 6 and not doc.ocr and doc.problems == []
    assert doc.title == "淮安市人民政府2024 年政府信息公开工作年度报告"
    assert doc.sha256 == hashlib.sha256(PDFS["2024_huaian-shizhengfu"].read_bytes()).hexdigest()
    assert docs["2023_hongze-quzhengfu"].pages == 5


# ------------------------------------------------------------------------------- end to end


@pytest.mark.parametrize("name", PDFS)
def test_extract_report_matches_every_gold_cell(name: str) -> None:
    report = extract_report(PDFS[name])
    gold = load_gold(name)
    obj = json.loads(report.to_json())
    assert obj["report"]["template"] == gold["template"] and obj["report"]["year"] == gold["year"]
    assert obj["report"]["source_format"] == "pdf"
    assert mismatches(obj, gold) == []


@pytest.mark.parametrize("name", PDFS)
def test_borderless_tables_give_the_same_values(tmp_path: Path, name: str) -> None:
    path = strip_rules(PDFS[name], tmp_path / f"{name}-borderless.pdf")
    doc = read_document(path)
    assert not [ln for ln in doc.lines if ln.table is not None]  # no ruled grid left
    gold = load_gold(name)
    rows = value_rows(doc, 7)
    for code, values in gold["requests"].items():
        assert [v for label, v in rows if ROW_KEYWORDS[code] in label] == [values], code
    # wrapped labels are folded into the row that holds the numbers
    assert any("部分公开（区分处理的，只计这一情" in label and "不计其他情形）" in label for label, _ in rows)
    assert mismatches(json.loads(extract_report(path).to_json()), gold) == []


def test_rotated_landscape_pages_read_like_the_original(tmp_path: Path, docs: dict[str, Document]) -> None:
    path = landscape(PDFS["2024_huaian-shizhengfu"], tmp_path / "landscape.pdf")
    rotated = read_document(path)
    original = docs["2024_huaian-shizhengfu"]
    assert [(ln.cells, ln.is_row, ln.page) for ln in rotated.lines] == [
        (ln.cells, ln.is_row, ln.page) for ln in original.lines
    ]


# ------------------------------------------------------------------------------- bad input


def test_encrypted_pdf_from_the_command_line_is_one_line_on_stderr() -> None:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(BAD / "encrypted.pdf")],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode != 0 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "encrypted" in proc.stderr


@pytest.mark.skipif(shutil.which("tesseract") is not None, reason="tesseract installed: the scan is OCR'd")
def test_scanned_pdf_is_a_document_with_a_no_text_layer_error() -> None:
    doc = read_document(BAD / "scanned.pdf")
    assert doc.pages == 2 and not doc.ocr
    assert [ln for ln in doc.lines if ln.is_row] == []
    assert doc.problems == [
        {"severity": "error", "check": "no_text_layer", "location": "document",
         "message": "no text layer: scanned document"}
    ]  # fmt: skip
    report = extract_report(BAD / "scanned.pdf")
    assert "no_text_layer" in {i["check"] for i in report.issues}
    assert report.requests == []


def test_a_scanned_page_inside_a_text_pdf_is_a_warning(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument(PDFS["2024_huaian-shizhengfu"])
    pdf.import_pages(pdfium.PdfDocument(BAD / "scanned.pdf"), [0])
    pdf.save(tmp_path / "mixed.pdf")
    doc = read_document(tmp_path / "mixed.pdf")
    assert doc.pages == 7
    assert [(p["severity"], p["check"], p["location"]) for p in doc.problems] == [
        ("warning", "page.no_text_layer", "page 7")
    ]
    assert value_rows(doc, 15)  # the text pages are still read


def test_scanned_pdf_is_ocrd_when_tesseract_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OCR path with a stand-in tesseract (the real one is not installed here)."""
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then printf "List of available languages (2):\\nchi_sim\\neng\\n"; exit 0; fi\n'
        'case "$1" in *.png) ;; *) exit 2;; esac\n'
        "cat <<'EOT'\n"
        "洪 泽 区 人 民 政 府\n"
        "2023 年 政 府 信 息 公 开 工 作 年 度 报 告\n"
        "一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n"
        "- 1 -\n"
        "EOT\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    doc = read_document(BAD / "scanned.pdf")
    assert doc.ocr and doc.pages == 2
    assert [p["check"] for p in doc.problems] == ["ocr"] and doc.problems[0]["severity"] == "warning"
    assert doc.lines[0].text == "洪泽区人民政府" and doc.lines[0].page == 1
    assert doc.lines[1].text == "2023 年政府信息公开工作年度报告"
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert rows == [["一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"]] * 2
    assert not any(ln.text == "- 1 -" for ln in doc.lines)


def test_a_web_page_saved_as_pdf_is_named(tmp_path: Path) -> None:
    page = tmp_path / "report.pdf"
    page.write_bytes(b"<!DOCTYPE html><html><body>404</body></html>")
    with pytest.raises(ReadError, match=r"not a PDF file \(no %PDF header; it is a web page"):
        read_document(page)
    zipped = tmp_path / "report2.pdf"
    zipped.write_bytes((FIXTURES / "2020_luoyang-tongjiju.docx").read_bytes())
    with pytest.raises(ReadError, match="it is a zip file"):
        read_document(zipped)


# ------------------------------------------------------------ fuzz regressions (benchmarks/fuzz.py)


def test_pdf_table_widened_after_a_grid_of_other_columns() -> None:
    """A table's grid on page 2 with other columns, then one on page 3 with its columns and one
    more: widening reshaped page 2's rows too, with the wrong number of cells (ValueError)."""
    from analysis.read.pdf.grid import _Grid
    from analysis.read.pdf.stitch import _Table

    def grid(xs: list[float], rows: list[list[str]]) -> _Grid:
        n = len(xs) - 1
        return _Grid(
            xs=xs,
            ys=[700.0, 100.0],
            rows=rows,
            cols=xs[:-1],
            spans=[[(xs[i], xs[i + 1], i) for i in range(n)] for _ in rows],
            covered=[set() for _ in rows],
        )

    table = _Table(0)
    first = table.add(grid([0, 100, 200], [["自然人", "1"]]), 1)
    other = table.add(grid([0, 50, 70, 300], [["a", "b", "c"]]), 2)
    wider = table.add(grid([0, 100, 150, 200], [["商业企业", "2", "3"]]), 3)
    assert [ln.cells for ln in first] == [["自然人", "1", ""]]  # widened in place
    assert [ln.cells for ln in other] == [["a", "b", "c"]]  # left as it was
    assert [ln.cells for ln in wider] == [["商业企业", "2", "3"]]


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=3000),
    st.lists(st.sampled_from([b" ", b"\n", b"\r\n", b"\t", b"\x0b", b"\x0c", b"%%EOF"]), max_size=40),
    st.integers(min_value=0, max_value=5000),
    st.sampled_from([1, 7, 64, 1024]),
)
def test_pdf_tail_is_the_last_bytes_before_trailing_whitespace(
    body: bytes, end: list, blank: int, n: int
) -> None:
    """The end-of-file check's tail (taken without copying the file) is ``data.rstrip()[-n:]``."""
    from analysis.read.pdf import _tail

    data = body + b"".join(end) + b" " * blank
    assert _tail(data, n) == data.rstrip()[-n:]
