"""Inputs found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here.

Each one used to escape as an exception other than ReadError, hide a reader bug behind the
catch-all "could not read as …" message, print a ReadError over several lines, or run for
minutes; the readers are called directly where the catch-all in ``read_document`` would hide
the failure.
"""

from __future__ import annotations

import contextlib
import io
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from analysis.model.document import ReadError
from analysis.parse.flattened import parse_flattened
from analysis.read import docx as read_docx
from analysis.read import html as read_html
from analysis.report import extract_report

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


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging when the code under test runs too long."""

    def expired(_sig, _frame):  # noqa: ANN001, ANN202
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


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


def test_read_error_message_is_one_line() -> None:
    assert (
        str(ReadError("a.docx: broken XML: bad char\n, line 2\r\n"))
        == "a.docx: broken XML: bad char , line 2"
    )


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


# -------------------------------------------------------------------------------------------- pdf


def test_pdf_table_widened_after_a_grid_of_other_columns() -> None:
    """A table's grid on page 2 with other columns, then one on page 3 with its columns and one
    more: widening reshaped page 2's rows too, with the wrong number of cells (ValueError)."""
    from analysis.read.pdf import _Grid, _Table

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


# ------------------------------------------------------------------------------------------- html


def test_html_colspan_out_of_range(tmp_path: Path) -> None:
    """colspan="1000000000" made a billion cells (MemoryError); the HTML standard's limit is 1000."""
    page = (
        "<html><body><table><tr><td colspan='5000'>自然人</td><td>5</td></tr>"
        "<tr><td rowspan='99999999999'>a</td><td>1</td></tr><tr><td>2</td></tr></table></body></html>"
    )
    doc = read_html.read(tmp_path / "r.html", page.encode())
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert len(rows[0]) == 1001 and rows[0][0] == "自然人" and rows[0][-1] == "5"
    assert rows[2] == ["", "2"]


def test_html_control_characters(tmp_path: Path) -> None:
    """A control character in the text after a <script>: lxml refused it when the script was dropped."""
    page = "<html><body><p>年度报告</p><script>x</script>\x01尾\x0b巴</body></html>"
    doc = read_html.read(tmp_path / "r.html", page.encode())
    assert [ln.text for ln in doc.lines] == ["年度报告", "尾巴"]


# -------------------------------------------------------------------------------------- flattened


def test_flattened_long_run_of_digits_is_left_unread_quickly() -> None:
    """A 60-digit run cut into 7 cells: 45 million ways, tried one by one (minutes)."""
    text = (
        "三、收到和处理政府信息公开申请情况 本年新收政府信息公开申请数量 "
        + "1" * 60
        + " 上年结转政府信息公开申请数量 "
        "1000001 四、政府信息公开行政复议、行政诉讼情况 " + "2" * 90
    )
    with deadline(10):
        flat = parse_flattened(text)
    unread = {i["location"]: i["message"] for i in flat.issues if i["check"] == "row.ambiguous"}
    assert "too many ways to try" in unread["table 3 / new_received"]
    assert "too many ways to try" in unread["table 4"]
    # the run after it is still read
    assert [r["value"] for r in flat.requests if r["row"] == "carried_over"] == [1, 0, 0, 0, 0, 0, 1]


def test_flattened_report_with_a_long_run_finishes(tmp_path: Path) -> None:
    path = tmp_path / "2020_report.txt"
    path.write_text(
        "某某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况本年新收政府信息公开申请数量"
        + "3" * 80
        + "\n",
        encoding="utf-8",
    )
    with deadline(10):
        report = extract_report(path)
    assert any("too many ways to try" in i["message"] for i in report.issues)


# ------------------------------------------------------------------------------ values too large


def test_cell_of_hundreds_of_digits_is_not_a_number() -> None:
    """float() of 400 digits is inf, of 30 digits an inexact float no Int64 column holds."""
    from analysis.model.values import parse_value

    assert parse_value("1" * 400).value is None and parse_value("9" * 30, money=True).value is None
    assert parse_value("3万").value == 30000 and parse_value("12.5万元", money=True).value == 12.5


def test_narrative_figure_of_hundreds_of_digits_is_skipped() -> None:
    """int(inf) in the figure of a release count raised OverflowError (narrative not read)."""
    from analysis.parse.narrative import channel_volumes, rankings

    figures = channel_volumes("通过政府网站主动公开信息" + "1" * 400 + "条，其中工作动态218条。")
    assert [f["value"] for f in figures] == [218]
    assert rankings("在全省政府网站绩效评估中排名第" + "9" * 30 + "名。") == []


def test_flattened_cut_into_huge_numbers_is_not_taken() -> None:
    """0|0|0|0|0|A|A adds up for a 20-digit A: a value no Int64 column holds."""
    from analysis.parse.flattened import consistent_splits

    assert consistent_splits(["00000" + "9" * 20 + "9" * 20], [7]) == []
    text = (
        "二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 "
        + "9" * 30
        + " 三、收到和处理政府信息公开申请情况"
    )
    flat = parse_flattened(text)
    assert [i["location"] for i in flat.issues if i["check"] == "cell.unparseable"] == [
        "table 2 / 20.1 / regulation / in_force"
    ]


# ------------------------------------------------------------------------------------ damaged text

FIXTURES = Path(__file__).parent / "fixtures"


def damaged(data: bytes, near: str, byte: int = 0xFF) -> bytes:
    """The bytes with the first byte of the UTF-8 text ``near`` replaced."""
    at = data.index(near.encode("utf-8"))
    return data[:at] + bytes([byte]) + data[at + 1 :]


def test_utf8_report_with_one_damaged_byte_is_read(tmp_path: Path) -> None:
    """One byte invalid in UTF-8 and GB18030 made the whole report "not readable text"."""
    good = FIXTURES / "2020_luoyang-tongjiju.txt"
    path = tmp_path / good.name
    path.write_bytes(damaged(good.read_bytes(), "有章可循"))
    report, original = extract_report(path), extract_report(good)
    assert report.report["bureau"] == original.report["bureau"] == "洛阳市统计局"

    def values(r):  # noqa: ANN001, ANN202
        return [(v["row"], v["applicant"], v["value"]) for v in r.requests]

    assert values(report) == values(original) and len(values(report)) > 100
    assert [
        i["check"] for i in report.issues if i["severity"] == "warning" and "decoded" in i["message"]
    ] == ["encoding.damaged"]


def test_damaged_byte_does_not_make_a_report_of_other_text(tmp_path: Path) -> None:
    """The reader's warning about the damaged byte is no reason to take a news item for a report."""
    path = tmp_path / "news.txt"
    path.write_bytes(damaged("本局召开会议，研究部署下一阶段工作。\n".encode() * 20, "研究"))
    with pytest.raises(ReadError, match="not an information-disclosure annual report"):
        extract_report(path)


def test_utf16_text_cut_in_the_middle_of_a_character(tmp_path: Path) -> None:
    """An odd number of UTF-16 bytes raised UnicodeDecodeError."""
    good = FIXTURES / "2020_luoyang-tongjiju.txt"
    data = good.read_text(encoding="utf-8").encode("utf-16")[:-1]
    from analysis.read import text as read_text

    doc = read_text.read(tmp_path / "r.txt", data)
    assert doc.lines and [p["check"] for p in doc.problems] == ["encoding.damaged"]


def test_lone_surrogates_from_a_reader_never_reach_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF whose font map was damaged gave text with a lone surrogate ('\\udfff'): extract passed, but
    Parquet refused the string and the whole ingest stopped. Readers' text is cleaned where it leaves them."""
    from analysis.ingest import ingest_folder
    from analysis.model.document import storable
    from analysis.read import text as read_text
    from analysis.store import load_table

    real = read_text.read

    def damaged(path: Path, data: bytes):  # noqa: ANN202 - what the damaged font map produced
        doc = real(path, data)
        doc.lines[2].cells = [doc.lines[2].cells[0] + "\udfff"]  # the first paragraph of section 1
        return doc

    monkeypatch.setattr(read_text, "read", damaged)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_bytes(
        (Path(__file__).parent / "fixtures" / "2020_luoyang-tongjiju.txt").read_bytes()
    )
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert summary.statuses == {str(raw / "seed.txt"): "ok"}
    sections = load_table("sections", tmp_path / "clean")
    assert "\ufffd" in sections[sections["section"] == 1]["text"].iloc[0]
    assert storable("x\udfff") == "x\ufffd"  # not a file-name escape either: replaced, never raised
