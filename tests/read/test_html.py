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
