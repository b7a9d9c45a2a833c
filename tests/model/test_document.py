"""The Document's error record. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations

from analysis.model.document import ReadError


def test_read_error_message_is_one_line() -> None:
    assert (
        str(ReadError("a.docx: broken XML: bad char\n, line 2\r\n"))
        == "a.docx: broken XML: bad char , line 2"
    )
