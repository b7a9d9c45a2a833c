"""The Word reader: a .docx of a report gives the rows and paragraphs its text version gives.

The seed text report is rebuilt as a real Word file with the template's merged cells
(tests/fixtures/make_fixtures.py), so every table cell can be compared with the text version
and with the gold file.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from gold import load_gold, mismatches
from lxml import etree

from analysis.model.document import Document, ReadError
from analysis.model.values import is_value_token
from analysis.read import docx as read_docx
from analysis.read import read_document
from analysis.report import build_report, extract_report

FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD = FIXTURES / "bad"
SEED_TXT = FIXTURES / "2020_luoyang-tongjiju.txt"
SEED_DOCX = FIXTURES / "2020_luoyang-tongjiju.docx"

import make_fixtures  # noqa: E402 - tests/fixtures is on sys.path (conftest.py)

L, U = make_fixtures.COVER_LEFT, make_fixtures.COVER_UP


def value_rows(doc: Document) -> list[tuple[str, list[str]]]:
    """(label without spaces, value cells) of every table row that holds values."""
    out = []
    for ln in doc.lines:
        if not ln.is_row:
            continue
        label = re.sub(r"\s+", "", "".join(c for c in ln.cells if c.strip() and not is_value_token(c)))
        values = [c for c in ln.cells if c.strip() and is_value_token(c)]
        if values:
            out.append((label, values))
    return out


@pytest.fixture(scope="module")
def text_doc() -> Document:
    return read_document(SEED_TXT)


@pytest.fixture(scope="module")
def word_doc(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = make_fixtures.build_seed_docx(tmp_path_factory.mktemp("docx") / "2020_luoyang-tongjiju.docx")
    return read_document(path)


# ------------------------------------------------------------------------------- the seed report


def test_the_built_docx_really_has_merged_cells(tmp_path: Path) -> None:
    path = make_fixtures.build_seed_docx(tmp_path / "seed.docx")
    xml = docx.Document(path).element.body.xml
    assert xml.count("<w:vMerge/>") >= 30 and xml.count('<w:vMerge w:val="restart"/>') >= 10
    assert xml.count("<w:gridSpan") >= 20


def test_docx_rows_give_the_same_labels_and_values_as_text(text_doc: Document, word_doc: Document) -> None:
    text_rows, word_rows = value_rows(text_doc), value_rows(word_doc)
    assert [v for _, v in word_rows] == [v for _, v in text_rows]
    for (tl, _), (wl, _) in zip(text_rows, word_rows, strict=True):
        # the text version wraps one label onto a row of its own ("…已获取信" / "息")
        assert wl == tl or (wl.startswith(tl) and wl == tl + "息"), (tl, wl)


def test_docx_paragraphs_are_the_text_paragraphs(text_doc: Document, word_doc: Document) -> None:
    assert [ln.text for ln in word_doc.lines if not ln.is_row] == [
        ln.text for ln in text_doc.lines if not ln.is_row
    ]


def test_merged_cells_expand_to_the_grid(word_doc: Document) -> None:
    rows = {i: [ln.cells for ln in word_doc.lines if ln.is_row and ln.table == i] for i in range(3)}
    t2, t3, t4 = rows[0], rows[1], rows[2]
    assert t2[0] == ["第二十条第（一）项", "", "", ""]  # gridSpan 4
    assert t2[-1] == ["政府集中采购", "1", "61.8", ""]
    assert all(len(r) == 10 for r in t3)
    assert t3[0] == [t3[0][0], "", "", "申请人情况", "", "", "", "", "", ""]
    assert t3[1] == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert t3[2] == ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert t3[3] == ["一、本年新收政府信息公开申请数量", "", "", "7", "0", "0", "0", "0", "0", "7"]
    assert t3[5] == ["三、本年度办理结果", "(一) 予以公开", "", "0", "0", "0", "0", "0", "0", "0"]
    assert t3[7][:3] == ["", "(三) 不予公开", "1. 属于国家秘密"]
    assert t3[8][:3] == ["", "", "2. 其他法律行政法规禁止公开"]  # vMerge continues: covered positions
    assert t3[-1] == ["四、结转下年度继续办理", "", "", "0", "0", "0", "0", "0", "0", "0"]
    assert t4[0] == ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9]
    assert t4[2][:6] == ["", "", "", "", "", "结果 维持"]
    assert t4[3] == [
        "",
        "",
        "",
        "",
        "",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]  # blank cells stay blank


def test_tables_sit_between_their_headings(word_doc: Document) -> None:
    kinds = [("row", ln.table) if ln.is_row else ("p", ln.text[:4]) for ln in word_doc.lines]
    i = kinds.index(("p", "二、主动"))
    assert kinds[i + 1] == ("row", 0)
    j = kinds.index(("p", "三、收到"))
    assert kinds[j - 1] == ("row", 0) and kinds[j + 1] == ("row", 1)
    k = kinds.index(("p", "四、政府"))
    assert kinds[k - 1] == ("row", 1) and kinds[k + 1] == ("row", 2) and kinds[k + 5] == ("p", "五、存在")


def test_docx_extracts_the_same_tables_as_text(text_doc: Document, word_doc: Document) -> None:
    from_text, from_word = build_report(text_doc), build_report(word_doc)

    def strip(records: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "report_id"} for r in records]

    for table in ("requests", "reviews_litigation", "active_disclosure"):
        assert strip(getattr(from_word, table)) == strip(getattr(from_text, table)), table
        assert getattr(from_word, table)
    gold = load_gold("2020_luoyang-tongjiju")
    assert mismatches(json.loads(from_word.to_json()), gold) == []
    assert from_word.report["template"] == "2019" and from_word.report["year"] == 2020


def test_committed_docx_fixture_is_what_the_builder_makes(word_doc: Document) -> None:
    committed = read_document(SEED_DOCX)
    assert committed.source_format == "docx"
    assert [(ln.cells, ln.is_row, ln.table) for ln in committed.lines] == [
        (ln.cells, ln.is_row, ln.table) for ln in word_doc.lines
    ]
    assert committed.title == "洛阳市统计局2020年政府信息公开工作年度报告"
    assert extract_report(SEED_DOCX).report["parse_status"] == "ok"


def test_tables_pasted_as_tab_separated_paragraphs_read_like_the_text_file(tmp_path: Path) -> None:
    path = make_fixtures.build_pasted_docx(tmp_path / "pasted.docx")
    pasted, text = read_document(path), read_document(SEED_TXT)
    assert [(ln.cells, ln.is_row) for ln in pasted.lines] == [(ln.cells, ln.is_row) for ln in text.lines]


# ------------------------------------------------------------------------------- structure


def _doc_with(tmp_path: Path, build) -> Document:  # noqa: ANN001
    d = docx.Document()
    build(d)
    path = tmp_path / "t.docx"
    d.save(path)
    return read_document(path)


def test_grid_span_and_vmerge_give_empty_covered_positions(tmp_path: Path) -> None:
    grid = [
        ["A", L, "B", "C"],
        [U, U, "D", L],
        ["E", "F", U, U],
        ["H", L, "I", "J"],
    ]
    doc = _doc_with(tmp_path, lambda d: make_fixtures.add_grid_table(d, grid))
    assert [ln.cells for ln in doc.lines] == [
        ["A", "", "B", "C"],
        ["", "", "D", ""],
        ["E", "F", "", ""],
        ["H", "", "I", "J"],
    ]
    assert all(ln.is_row and ln.table == 0 for ln in doc.lines)


def test_cell_paragraphs_are_joined_and_nested_tables_flattened(tmp_path: Path) -> None:
    def build(d) -> None:  # noqa: ANN001
        t = d.add_table(rows=1, cols=3)
        t.cell(0, 0).text = "三、"
        t.cell(0, 0).add_paragraph("本年度")
        t.cell(0, 0).add_paragraph("办理结果")
        t.cell(0, 1).text = "12"
        inner = t.cell(0, 2).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "x"
        inner.cell(0, 1).text = "y"

    doc = _doc_with(tmp_path, build)
    assert [ln.cells for ln in doc.lines] == [["三、本年度办理结果", "12", "x y"]]


def test_one_column_frame_table_is_read_as_paragraphs(tmp_path: Path) -> None:
    def build(d) -> None:  # noqa: ANN001
        d.add_paragraph("标题")
        t = d.add_table(rows=2, cols=1)
        t.cell(0, 0).text = "一、总体情况"
        t.cell(1, 0).text = "主动公开信息 302 条。"

    doc = _doc_with(tmp_path, build)
    assert [(ln.text, ln.is_row) for ln in doc.lines] == [
        ("标题", False),
        ("一、总体情况", False),
        ("主动公开信息 302 条。", False),
    ]


def test_automatic_list_numbers_are_part_of_the_text(tmp_path: Path) -> None:
    def build(d) -> None:  # noqa: ANN001
        d.add_paragraph("总体情况", style="List Number")
        d.add_paragraph("正文。")
        d.add_paragraph("主动公开政府信息情况", style="List Number")

    doc = _doc_with(tmp_path, build)
    assert [ln.text for ln in doc.lines] == ["1.总体情况", "正文。", "2.主动公开政府信息情况"]


def test_chinese_list_numbers(tmp_path: Path) -> None:
    from analysis.read.docx import _chinese, _format_number

    assert [_chinese(n) for n in (1, 6, 10, 12, 20, 21)] == ["一", "六", "十", "十二", "二十", "二十一"]
    assert _format_number(3, "chineseCounting") == "三"
    assert _format_number(2, "decimal") == "2"
    assert _format_number(1, "ideographTraditional") == "甲"


# ------------------------------------------------------------------------------- file kinds


@pytest.mark.skipif(
    bool(shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice installed"
)
def test_binary_doc_without_libreoffice_says_how_to_fix_it() -> None:
    path = BAD / "binary.doc"
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value) == (
        f"{path}: .doc needs LibreOffice to convert; install it (apt-get install libreoffice-writer) "
        "or save the file as .docx"
    )


def test_a_libreoffice_without_writer_is_named_not_the_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """LibreOffice installed without Writer (Impress alone) exits 0 having converted nothing, as for a
    damaged file: the reader says what is missing instead of blaming the file."""
    import analysis.read.docx as reader

    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice").write_text("#!/bin/sh\nexit 0\n")
    (program / "soffice").chmod(0o755)
    (program / "libmergedlo.so").write_bytes(b"")  # LibreOffice's libraries, Writer's (libswlo) not
    monkeypatch.setattr(reader.shutil, "which", lambda name: str(program / "soffice"))
    path = BAD / "binary.doc"
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value) == (
        f"{path}: .doc needs LibreOffice Writer to convert, and the LibreOffice installed has none; "
        "install it (apt-get install libreoffice-writer) or save the file as .docx"
    )
    (program / "libswlo.so").write_bytes(b"")  # with Writer: converted (this one makes nothing)
    with pytest.raises(ReadError, match="damaged or not a Word document: LibreOffice could not convert it"):
        read_document(path)


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="needs LibreOffice")
def test_doc_is_converted_with_libreoffice(tmp_path: Path) -> None:  # pragma: no cover - needs soffice
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([exe, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(SEED_DOCX)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    converted = tmp_path / "2020_luoyang-tongjiju.doc"
    if not converted.exists():  # soffice exits 0 having made nothing when its Writer is not installed
        pytest.skip("LibreOffice made no .doc: its Writer component is not installed")
    doc = read_document(converted)
    assert value_rows(doc) == value_rows(read_document(SEED_DOCX))


def test_doc_files_that_are_really_docx_or_html_are_read(tmp_path: Path) -> None:
    renamed = tmp_path / "report.doc"
    renamed.write_bytes(SEED_DOCX.read_bytes())
    assert value_rows(read_document(renamed)) == value_rows(read_document(SEED_DOCX))
    page = tmp_path / "report2.doc"
    page.write_bytes((FIXTURES / "2025_pingtan-zongheshiyanqu.html").read_bytes())
    assert read_document(page).source_format == "html"
    wps = tmp_path / "report.wps"
    wps.write_bytes(b"just some bytes, not a document at all")
    with pytest.raises(ReadError, match="not a Word document"):
        read_document(wps)


# ------------------------------------------------------------ fuzz regressions (benchmarks/fuzz.py)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NUMBERING_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"

BODY = (
    "<w:p><w:r><w:t>2020年政府信息公开工作年度报告</w:t></w:r></w:p><w:tbl><w:tr>"
    "<w:tc><w:p><w:r><w:t>自然人</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc>"
    "</w:tr></w:tbl>"
)


def docx_bytes(
    body: str = BODY,
    *,
    document: str | None = None,
    types: str | None = None,
    rels: str | None = None,
    doc_rels: str = "",
    extra: dict[str, str] | None = None,
) -> bytes:
    """A minimal .docx package: the parts given, the others as Word writes them."""
    types = types or (
        f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/'
        f'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN_CT}"/>'
        f'<Override PartName="/word/numbering.xml" ContentType="{NUMBERING_CT}"/></Types>'
    )
    rels = (
        rels
        or f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}" Target="word/document.xml"/></Relationships>'
    )
    members = {
        "[Content_Types].xml": types,
        "_rels/.rels": rels,
        "word/document.xml": document or f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        "word/_rels/document.xml.rels": f'<Relationships xmlns="{RELS}">{doc_rels}</Relationships>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def read_docx_file(tmp_path: Path, data: bytes):  # noqa: ANN201
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    return path, read_docx.read(path, data)


def assert_read_error(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_docx.read(path, data)
    msg = str(err.value)
    assert msg.startswith(f"{path}: ") and reason in msg and len(msg.splitlines()) == 1, msg


def test_minimal_docx_reads(tmp_path: Path) -> None:
    _, doc = read_docx_file(tmp_path, docx_bytes())
    assert doc.lines[0].text.endswith("年度报告") and doc.lines[1].cells == ["自然人", "5"]


# ------------------------------------------------------------------------------------ docx package


def test_docx_member_with_damaged_compressed_data(tmp_path: Path) -> None:
    """zlib.error from inside zipfile (python-docx reading a member) was not caught."""
    data = bytearray(docx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 4] = b"\xff\xff\xff\xff"  # a deflate block of the reserved type 3
    assert_read_error(tmp_path, bytes(data), "damaged Word file (not a complete .docx package")


def patch_central_directory(data: bytes, name: str, offset: int, value: bytes) -> bytes:
    """Overwrite a field of ``name``'s central-directory entry (offset from its PK\\x01\\x02)."""
    start = data.index(b"PK\x01\x02")
    while True:
        n = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + n] == name.encode():
            return data[: start + offset] + value + data[start + offset + len(value) :]
        start = data.index(b"PK\x01\x02", start + 4)


def test_docx_encrypted_member(tmp_path: Path) -> None:
    """zipfile raises RuntimeError ("password required") for a member flagged as encrypted."""
    data = patch_central_directory(docx_bytes(), "[Content_Types].xml", 8, b"\x01\x00")
    assert_read_error(tmp_path, data, "damaged Word file ([Content_Types].xml is encrypted)")


def test_docx_member_packed_with_unknown_method(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError for a compression method it does not have."""
    data = patch_central_directory(docx_bytes(), "word/document.xml", 10, (99).to_bytes(2, "little"))
    assert_read_error(
        tmp_path, data, "damaged Word file (word/document.xml is packed with unknown method 99)"
    )


def test_docx_zip_of_an_unknown_version(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError ("zip file version 8.4") opening the zip's index."""
    data = patch_central_directory(docx_bytes(), "[Content_Types].xml", 6, (84).to_bytes(2, "little"))
    assert_read_error(
        tmp_path, data, "damaged Word file (not a complete .docx package: zip file version 8.4)"
    )


def test_docx_relationship_without_target(tmp_path: Path) -> None:
    """TypeError inside python-docx (posixpath.join(base, None))."""
    rels = f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}"/></Relationships>'
    assert_read_error(tmp_path, docx_bytes(rels=rels), "damaged Word file (broken package index")


def test_docx_content_type_default_without_extension(tmp_path: Path) -> None:
    """AttributeError inside python-docx (None.lower())."""
    types = (
        f'<Types xmlns="{CT}"><Default ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN_CT}"/></Types>'
    )
    assert_read_error(tmp_path, docx_bytes(types=types), "damaged Word file (broken package index")


def test_docx_core_properties_of_another_content_type(tmp_path: Path) -> None:
    """docProps/core.xml typed as plain XML is a plain part: no core_properties (AttributeError)."""
    rels = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}" Target="word/document.xml"/>'
        f'<Relationship Id="rId2" Type="{CORE_REL}" Target="docProps/core.xml"/></Relationships>'
    )
    core = '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    _, doc = read_docx_file(tmp_path, docx_bytes(rels=rels, extra={"docProps/core.xml": core}))
    assert doc.title is None and doc.lines[1].cells == ["自然人", "5"]


def test_docx_document_without_body(tmp_path: Path) -> None:
    """doc.element.body was None (or missing on a root that is not w:document): AttributeError."""
    assert_read_error(tmp_path, docx_bytes(document=f'<w:document xmlns:w="{W}"/>'), "has no body")
    other_root = f'<w:body xmlns:w="{W}">{BODY}</w:body>'
    assert_read_error(tmp_path, docx_bytes(document=other_root), "has no body")


def test_docx_broken_xml_error_is_one_line(tmp_path: Path) -> None:
    """lxml's message ends in a newline and the position: the ReadError was two lines."""
    document = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>a\x00b</w:t></w:r></w:p></w:body></w:document>'
    )
    assert_read_error(tmp_path, docx_bytes(document=document), "damaged Word file (broken XML")


# ------------------------------------------------------------------------------------ docx values


def numbering(fmt: str, start: str, ilvl: str = "0") -> str:
    return (
        f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="{ilvl}">'
        f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )


NUMBERED = (
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    "<w:r><w:t>总体情况</w:t></w:r></w:p>"
)


def numbered_docx(fmt: str, start: str, ilvl: str = "0", para_ilvl: str = "0") -> bytes:
    return docx_bytes(
        BODY + NUMBERED.format(ilvl=para_ilvl),
        doc_rels=f'<Relationship Id="rId9" Type="{NUMBERING_REL}" Target="numbering.xml"/>',
        extra={"word/numbering.xml": numbering(fmt, start, ilvl)},
    )


def test_numbering_values_that_are_not_integers(tmp_path: Path) -> None:
    """int("1.5") in the numbering definitions raised ValueError."""
    _, doc = read_docx_file(tmp_path, numbered_docx("chineseCounting", "1.5", ilvl="x", para_ilvl="1.5"))
    assert doc.lines[-1].text == "一、总体情况"


def test_numbering_related_twice(tmp_path: Path) -> None:
    """Two numbering relationships: python-docx's numbering_part raised ValueError."""
    twice = "".join(
        f'<Relationship Id="rId{i}" Type="{NUMBERING_REL}" Target="numbering.xml"/>' for i in (8, 9)
    )
    data = docx_bytes(
        BODY + NUMBERED.format(ilvl="0"),
        doc_rels=twice,
        extra={"word/numbering.xml": numbering("chineseCounting", "1")},
    )
    _, doc = read_docx_file(tmp_path, data)
    assert doc.lines[-1].text == "一、总体情况"


def test_numbering_start_out_of_range(tmp_path: Path) -> None:
    """A huge w:start made a Roman numeral of 10 000 characters (and 10**20 ran for ever)."""
    _, doc = read_docx_file(tmp_path, numbered_docx("upperRoman", "10000000"))
    label = doc.lines[-1].text
    assert label.endswith("、总体情况") and len(label) < 60


def test_grid_span_and_grid_before_out_of_range(tmp_path: Path) -> None:
    """gridSpan="1000000" made a row of a million cells; gridBefore="x" raised ValueError."""
    row = (
        f'<w:tbl xmlns:w="{W}"><w:tr><w:trPr><w:gridBefore w:val="x"/></w:trPr>'
        '<w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr><w:p><w:r><w:t>自然人</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    grid = read_docx._table_grid(etree.fromstring(row))
    assert len(grid) == 1 and len(grid[0]) <= 64


# ------------------------------------------------------------------- the package without python-docx


def package_readings(path: Path, data: bytes) -> tuple[object, object]:
    """(what _read_package gives, what python-docx gives: the same tuple or its ReadError)."""
    z = read_docx._check_package(path, data)
    fast = read_docx._read_package(z) if z is not None else None
    try:
        slow: object = read_docx._python_docx_parts(path, data)
    except ReadError as exc:
        slow = exc
    return fast, slow


def same_parts(fast: tuple, slow: tuple) -> bool:
    return etree.tostring(fast[0]) == etree.tostring(slow[0]) and fast[1:] == slow[1:]


@pytest.mark.parametrize(
    "path",
    sorted(FIXTURES.glob("*.docx")) + sorted((FIXTURES / "extra").glob("*.docx")),
    ids=lambda p: p.name,
)
def test_package_is_read_as_python_docx_reads_it(path: Path) -> None:
    """Word, LibreOffice and python-docx packages are read without python-docx (not left to it),
    with the document, list levels, style numbering and title python-docx gives."""
    fast, slow = package_readings(path, path.read_bytes())
    assert fast is not None and isinstance(slow, tuple) and same_parts(fast, slow)
    assert fast[0].tag == f"{{{W}}}document"


def test_package_quirks_are_read_as_python_docx_reads_them(tmp_path: Path) -> None:
    """No core properties (python-docx's default title), core properties of another content type,
    numbering related twice: each as python-docx reads it."""
    plain_core = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}" Target="word/document.xml"/>'
        f'<Relationship Id="rId2" Type="{CORE_REL}" Target="docProps/core.xml"/></Relationships>'
    )
    core = '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    twice = "".join(
        f'<Relationship Id="rId{i}" Type="{NUMBERING_REL}" Target="numbering.xml"/>' for i in (8, 9)
    )
    cases = {
        "no_core": docx_bytes(),
        "plain_core": docx_bytes(rels=plain_core, extra={"docProps/core.xml": core}),
        "numbering_twice": docx_bytes(
            BODY + NUMBERED.format(ilvl="0"),
            doc_rels=twice,
            extra={"word/numbering.xml": numbering("chineseCounting", "1")},
        ),
    }
    for name, data in cases.items():
        fast, slow = package_readings(tmp_path / f"{name}.docx", data)
        assert fast is not None and isinstance(slow, tuple) and same_parts(fast, slow), name
    assert package_readings(tmp_path / "no_core.docx", cases["no_core"])[0][3] == "Word Document"
    assert package_readings(tmp_path / "plain_core.docx", cases["plain_core"])[0][3] is None
    levels = package_readings(tmp_path / "twice.docx", cases["numbering_twice"])[0][1]
    assert levels and all(lv[0][0] == "chineseCounting" for lv in levels.values())


def test_damaged_packages_are_left_to_python_docx(tmp_path: Path) -> None:
    """Whatever python-docx refuses, _read_package declines too, so the error is python-docx's own."""
    rels = f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}"/></Relationships>'
    types = (
        f'<Types xmlns="{CT}"><Default ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN_CT}"/></Types>'
    )
    made = {
        "no_target.docx": docx_bytes(rels=rels),
        "no_extension.docx": docx_bytes(types=types),
        "broken_numbering.docx": docx_bytes(
            doc_rels=f'<Relationship Id="rId8" Type="{NUMBERING_REL}" Target="numbering.xml"/>',
            extra={"word/numbering.xml": f'<w:numbering xmlns:w="{W}"><w:num>'},
        ),
    }
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    damaged = [p for p in sorted(BAD.glob("*.docx")) if p.stat().st_size] + sorted(tmp_path.glob("*.docx"))
    declined = 0
    for path in damaged:
        data = path.read_bytes()
        try:
            fast, slow = package_readings(path, data)
        except ReadError:  # _check_package's own errors: neither reader is asked
            continue
        assert isinstance(slow, ReadError) and fast is None, path.name
        declined += 1
    assert declined >= 5


def test_cached_styles_and_numbering_read_the_same(tmp_path: Path) -> None:
    """A second report with the same numbering.xml and styles.xml (cached by their bytes) reads as the first."""
    read_docx._CACHE.clear()
    first = read_document(SEED_DOCX)
    assert any(what == "styles" for what, _ in read_docx._CACHE)
    copy = tmp_path / SEED_DOCX.name
    copy.write_bytes(SEED_DOCX.read_bytes())
    second = read_document(copy)
    assert [(ln.cells, ln.is_row, ln.covered) for ln in second.lines] == [
        (ln.cells, ln.is_row, ln.covered) for ln in first.lines
    ]
    assert second.title == first.title
