"""The format-neutral Document every reader returns and every later step reads.

A Document is the report as an ordered list of lines; a line is either a paragraph of text
(one cell) or a table row (several cells, empty strings where the source has an empty or
spanned cell). Nothing after ``read/`` needs to know which format the report came in.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+\s*")


class ReadError(Exception):
    """A file that cannot be read as a report; the message is one line naming the problem.

    Line breaks in the message (a library's error text quoted in it: lxml's end in a newline and
    a position) become spaces, so the message is one line whatever a reader puts into it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(_LINE_BREAKS.sub(" ", str(message)).rstrip())


@dataclass
class Line:
    """One paragraph (``cells`` of length 1, ``is_row`` False) or one table row."""

    cells: list[str]
    is_row: bool = False
    page: int | None = None
    table: int | None = None  # index of the source table (HTML/DOCX/PDF grid), if any
    # grid positions covered by a cell spanning from the left or from above (colspan/rowspan):
    # they hold "" but are layout, not a blank value
    covered: frozenset[int] = frozenset()
    # those of ``covered`` that a cell spanning from a row above covers (rowspan, Word's vMerge, a
    # PDF box over several rows): the row's cell there is merged with a row above's
    covered_above: frozenset[int] = frozenset()

    @property
    def text(self) -> str:
        return "\t".join(self.cells) if self.is_row else (self.cells[0] if self.cells else "")


@dataclass
class Document:
    """A report read from one file: its lines in reading order plus provenance."""

    path: Path
    source_format: str  # txt, html, pdf, docx
    sha256: str
    lines: list[Line]
    pages: int | None = None
    title: str | None = None  # e.g. the HTML <title>, when the format has one
    published: str | None = None  # publication date the source's metadata gives (HTML PubDate), ISO
    created: str | None = None  # when the file itself says it was made (PDF /ModDate), ISO
    source_url: str | None = (
        None  # the address the page was saved from (a crawler's 原文链接, <meta name="Url">)
    )
    # problems the reader found: dicts with severity, check, location, message (become issues)
    problems: list[dict] = field(default_factory=list)
    ocr: bool = False  # True when the text came from OCR, so every value must be checked

    @property
    def report_id(self) -> str:
        return self.sha256[:16]

    @property
    def text(self) -> str:
        """The whole document as text: paragraphs as lines, table rows tab-joined."""
        return "\n".join(line.text for line in self.lines)


def sha256_of(data: bytes) -> str:
    """Hex sha256 of the source bytes: the stable identity of a report."""
    return hashlib.sha256(data).hexdigest()


def naming_file(path: str | Path, reason: str) -> str:
    """A reason that names its file once: readers' messages start with the path, checks' do not."""
    return reason if reason.startswith(str(path)) else f"{path}: {reason}"


def storable(text: str) -> str:
    """Text that can be stored and printed: a file name in another encoding than the system's (GBK
    names unzipped on Linux arrive as surrogate escapes) decoded as GB18030, else its odd bytes escaped."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(text) if os.name != "nt" else text.encode("utf-8", "surrogatepass")
        return raw.decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):  # lone surrogates, or bytes GB18030 refuses
        return clean_text(text)


def clean_text(text: str) -> str:
    """Text with any lone surrogate (a damaged font map, a broken encoding) replaced by U+FFFD: every
    string a reader returns must be storable as UTF-8 (Parquet refuses surrogates)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")
