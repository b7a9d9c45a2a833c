"""The HTML reader on inputs that once broke it. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations

from pathlib import Path

from analysis.read import html as read_html


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


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _lines(start) -> list[tuple]:  # noqa: ANN001
    return [(ln.cells, ln.is_row, ln.table, ln.covered) for ln in start]


def _body(data: bytes):  # noqa: ANN202
    text, utf8 = read_html._text(data)
    root = read_html._parse(text, utf8)
    for bad in list(root.iter(*read_html._DROP)):
        read_html._drop_tree(bad)
    return root.find("body"), text


def test_html_one_pass_reads_what_the_element_walk_reads() -> None:
    """The page's text and tables in one libxslt pass (``_walk``) are the lines the element-by-element
    walk (``_walk_events``, used when a page holds one of the pass's marks) reads, on real pages."""
    pages = sorted(FIXTURES.glob("*.html")) + sorted((FIXTURES / "crawled").glob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        data = page.read_bytes()
        body, text = _body(data)
        assert read_html._marks_free(text), page.name
        fast = _lines(read_html._walk(body, marks_free=True))
        slow = _lines(read_html._walk_events(_body(data)[0]))
        assert fast == slow and any(row for _, row, _, _ in fast), page.name


def test_html_marks_in_the_page_text(tmp_path: Path) -> None:
    """A page whose text holds the one-pass reading's marks (U+0082 …, or a table with the reader's own
    attribute) is read element by element: the marks stay text, the table's rows are its own."""
    page = (
        "<html><body><p>年度报告\u0082一</p><table data-analysis-grid='x'><tr><td>a\u0086b</td><td>1</td>"
        "<td>2</td></tr></table><p>&#x82;尾</p></body></html>"
    )
    doc = read_html.read(tmp_path / "r.html", page.encode())
    assert [ln.cells for ln in doc.lines] == [["年度报告\u0082一"], ["a\u0086b", "1", "2"], ["\u201a尾"]]
