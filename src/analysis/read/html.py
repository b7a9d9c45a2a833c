"""Reader for HTML pages: real tables (rowspan/colspan expanded to a grid) and paragraphs.

Government pages wrap the report in navigation; the article body is found by its tables
and headings, and everything else (scripts, styles, menus) is dropped. Charset comes from
the page's declaration when there is one, else from the bytes (GB2312/GBK read as GB18030).
The page's text and its tables' cells come out of libxml2/libxslt in one pass (``_walk``); a page
that could confuse that pass is read one element at a time (``_walk_events``), to the same lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from analysis.model.document import Document, Line, ReadError, sha256_of

from ._common import decode, iso_date, text_paragraphs, undecodable

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_BLOCKS = {
    "table",
    "tr",
    "td",
    "th",
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "section",
    "article",
    "center",
}
_DROP = ("script", "style", "noscript", "iframe", "select", "option", "head", "button", "form")
_WS = re.compile(r"[ \t\r\n\xa0\u3000]+")
# control characters XML does not allow: lxml parses them into text nodes, then refuses them when
# the tree is edited (dropping a <script> moves its tail), so they go before parsing
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # the same, as UTF-8 bytes


# plain lxml elements (no lxml.html element classes: their per-element Python lookup is slow);
# ``_text_content`` is lxml.html's ``text_content``; the page goes in as UTF-8 bytes, which
# libxml2 parses faster than a Python str, into the same tree
_PARSER = etree.HTMLParser(encoding="utf-8")
_STR_PARSER = etree.HTMLParser()
_text_content = etree.XPath("string()", smart_strings=False)


def _cell_text(td: etree._Element) -> str:
    # (an element without children, not even a comment, holds only its .text)
    return _WS.sub(" ", _text_content(td) if len(td) else (td.text or "")).strip()


def _text(data: bytes) -> tuple[str, bytes | None]:
    """The page's text (decoded, without the control characters XML refuses) and, when the
    page's bytes are that text in UTF-8 as they are (most pages), those bytes."""
    if not data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data.decode("utf-8")  # what ``decode`` tries first
        except UnicodeDecodeError:
            pass
        else:
            # (one memchr per control byte reads a page several times faster than a translate)
            if not any(byte in data for byte in _CONTROL_BYTES) and not (
                "\ufffe" in text or "\uffff" in text
            ):
                return text, data
            return _NOT_XML.sub("", text), None
    declared = _CHARSET.search(data[:4096])
    return _NOT_XML.sub("", decode(data, declared.group(1).decode("ascii") if declared else None)), None


def _parse(text: str, utf8: bytes | None = None) -> etree._Element:
    """The page's tree, as ``lxml.html.document_fromstring(text)`` makes it (with plain elements);
    ``utf8`` is the text's UTF-8 bytes when the caller has them."""
    if text.startswith("<?xml"):  # lxml refuses a str declaring its encoding (ValueError): as before
        data = None
    elif utf8 is not None:
        data = utf8
    else:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: lxml takes them only as a str
            data = None
    root = etree.fromstring(text if data is None else data, _STR_PARSER if data is None else _PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def _drop_tree(el: etree._Element) -> None:
    """Remove el and its content; its tail joins the previous sibling or the parent (lxml.html's drop_tree)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


# rows of cells, each [colspan, rowspan, text] as printed ("" for none), every run of _WS in the text
# one space
Grid = list[list[list[str]]]


def _grid(table: etree._Element) -> Grid:
    """The table's rows (its <tr>, in document order) of cells (their <td>/<th>) as printed, for a
    table holding no other table (``_walk`` gets the same from _TEXT, for all tables at once)."""
    ws = _WS.sub
    return [
        [
            [td.get("colspan") or "", td.get("rowspan") or "", ws(" ", _text_content(td))]
            for td in tr.iterchildren("td", "th")
        ]
        for tr in table.iter("tr")
    ]


_BLANK_LINES = re.compile("\n[ \t\u3000\xa0]*(?=\n)")


def _paragraphs(text: str) -> list[Line]:
    """The page's text between tables as lines: prose text in HTML is one paragraph per block, so
    the row split on wide spaces (``text_lines``) is undone; blank ones are left out."""
    # (blank lines, one or two around every block element, go first: text_lines skips them)
    text = _BLANK_LINES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [Line([paragraph]) for paragraph in text_paragraphs(text) if paragraph]


_NONE: frozenset[int] = frozenset()


def _table_rows(grid: Grid, index: int) -> list[Line]:
    """Expand a table's grid into rows: a spanned position is an empty cell, as in pasted text (and
    ``covered``; ``covered_above`` too when the span comes from a row above)."""
    rows: list[Line] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above (none at 0)
    for row in grid:
        cells: list[str] = []
        covered: set[int] = set()
        above: set[int] = set()
        for colspan_text, rowspan_text, text in row:
            if len(cells) in pending:
                _fill_spans(cells, pending, covered, above)
            cells.append(text.strip())
            if not colspan_text and not rowspan_text:  # most cells
                continue
            colspan, rowspan = _span(colspan_text, "colspan"), _span(rowspan_text, "rowspan")
            if rowspan > 1:
                pending[len(cells) - 1] = rowspan - 1
            for _ in range(colspan - 1):
                covered.add(len(cells))
                cells.append("")
                if rowspan > 1:
                    pending[len(cells) - 1] = rowspan - 1
        if len(cells) in pending:
            _fill_spans(cells, pending, covered, above)
        # (each cell is stripped of every kind of space: a cell of other spaces than _WS's is blank too)
        if any(cells):
            rows.append(
                Line(
                    cells,
                    is_row=True,
                    table=index,
                    covered=frozenset(covered) if covered else _NONE,
                    covered_above=frozenset(above) if above else _NONE,
                )
            )
    return rows


def _fill_spans(cells: list[str], pending: dict[int, int], covered: set[int], above: set[int]) -> None:
    """Put an empty (covered) cell wherever a rowspan from an earlier row covers the next column."""
    while (left := pending.get(len(cells))) is not None:
        if left > 1:
            pending[len(cells)] = left - 1
        else:
            del pending[len(cells)]
        covered.add(len(cells))
        above.add(len(cells))
        cells.append("")


def _data_grid(table: etree._Element) -> Grid | None:
    """The grid of a data table; None for a table used for page layout (it holds other tables, or
    paragraphs of prose), whose content is read as text and tables, like the rest of the page."""
    if table.find(".//table") is not None:
        return None
    grid = _grid(table)
    if max((len(row) for row in grid), default=0) <= 2 and any(
        len(_cell_text(td)) > 150 for td in table.iter("td", "th")
    ):
        return None
    return grid


def _wide(table: etree._Element) -> bool:
    """Has the table a row of more than two cells (XPath's ``boolean(.//tr[count(td | th) > 2])``,
    which looks at every row: a data table's first row mostly answers)?"""
    for tr in table.iter("tr"):
        n = 0
        for _ in tr.iterchildren("td", "th"):
            n += 1
            if n > 2:
                return True
    return False


def _is_data_table(table: etree._Element) -> bool:
    """``_data_grid(table) is not None``, without making the grid."""
    if table.find(".//table") is not None:
        return False
    return _wide(table) or not any(len(_cell_text(td)) > 150 for td in table.iter("td", "th"))


# the HTML standard's limits: a larger colspan/rowspan is read as the limit (browsers do the same),
# so a typo such as colspan="1000000000" cannot make a row of a billion cells
_MAX_SPAN = {"colspan": 1000, "rowspan": 65534}


def _span(value: str, name: str) -> int:
    if not value:  # no span, or an empty one
        return 1
    try:
        return min(_MAX_SPAN[name], max(1, int(value.strip() or 1)))
    except ValueError:
        return 1


def read(path: Path, data: bytes) -> Document:
    """Parse the page, keep its text blocks and tables in document order."""
    text, utf8 = _text(data)
    try:
        root = _parse(text, utf8)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"{path}: not parseable as HTML: {exc}") from exc
    title_el = root.find(".//title")
    title = _cell_text(title_el) if title_el is not None else None
    published = _published_meta(root)
    source_url = next(
        (u for m in root.iter("meta") if (m.get("name") or "").lower() == "url" and (u := (m.get("content") or "").strip())
         and u.startswith(("http://", "https://")) and " " not in u),
        None,
    )  # fmt: skip
    for bad in list(root.iter(*_DROP)):
        _drop_tree(bad)
    body = root.find("body")
    lines = _walk(body if body is not None else root, _marks_free(text))
    if not lines:
        raise ReadError(f"{path}: HTML page has no text")
    return Document(
        path=path,
        source_format="html",
        sha256=sha256_of(data),
        lines=lines,
        title=title,
        published=published,
        source_url=source_url,
        problems=undecodable(text),
    )


# the publication date government CMSs put in <meta> (PubDate, firstpublishedtime, publishdate …)
_DATE_META = re.compile(
    r"pubdate|publishdate|publishedtime|firstpublishedtime|publish_time|releasedate", re.I
)
_ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")


# the page's text as ``_walk_events`` gathers it, in one libxslt pass: U+0082 around each block
# element (line breaks once those in the text are spaces), comments left out, and where a data table
# (one the reader marked with _MARK) stands, U+0086, its ``_grid`` (rows after U+0083, cells after
# U+0084, U+0080 between a cell's colspan, rowspan and text) and U+0085
_MARK = "data-analysis-grid"
_TEXT = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="table[@{_MARK}]">&#x86;<xsl:for-each select=".//tr">&#x83;<xsl:for-each select="td|th">&#x84;"""
        """<xsl:value-of select="@colspan"/>&#x80;<xsl:value-of select="@rowspan"/>&#x80;"""
        f"""<xsl:value-of select="."/></xsl:for-each></xsl:for-each>&#x85;</xsl:template>
<xsl:template match="{"|".join(sorted(_BLOCKS))}">&#x82;<xsl:apply-templates/>&#x82;</xsl:template>
<xsl:template match="comment()|processing-instruction()"/>
</xsl:stylesheet>""".encode()
    )
)
_MARKS = "\x80\x82\x83\x84\x85\x86"


def _references_remapped() -> bool:
    """Does the parser read &#x80; … &#x86; as windows-1252 (€ ‚ ƒ …, as the HTML standard says), so
    that only the page's own characters can put one of _MARKS in its text?"""
    refs = "".join(f"&#x{ord(m):x};&#{ord(m)};" for m in _MARKS)
    text = etree.fromstring(f"<p>{refs}</p>".encode(), _PARSER).findtext(".//p") or ""
    return not any(m in text for m in _MARKS)


_REMAPPED = _references_remapped()


def _marks_free(page: str) -> bool:
    """The page's text cannot hold one of _TEXT's marks."""
    return _REMAPPED and not any(m in page for m in _MARKS)


def _walk(start: etree._Element, marks_free: bool = False) -> list[Line]:
    """The page's lines in document order: text blocks (one line per block element) and the rows
    of data tables; a layout table is walked like the rest of the page. ``marks_free``: the page's
    text holds none of _TEXT's marks (else it is walked one element at a time)."""
    if not marks_free or start.getparent() is None:  # (no <body>: libxslt would read the whole
        return _walk_events(start)  # document, a second <html> too)
    tables = list(start.iter("table"))  # (a data table holds no table: each is seen once)
    if any(table.get(_MARK) is not None for table in tables):  # the page's own attribute
        return _walk_events(start)
    n_data = 0
    for table in tables:
        if _is_data_table(table):
            table.set(_MARK, "")
            n_data += 1
    # (line breaks in a cell are spaces either way: _table_rows turns every run of _WS into one)
    parts = str(_TEXT(start)).replace("\n", " ").split("\x86")
    if len(parts) != n_data + 1:  # (cannot be)
        return _walk_events(start)
    if start.tail:
        parts[-1] += start.tail.replace("\n", " ")
    lines: list[Line] = _paragraphs(parts[0].replace("\x82", "\n"))
    for k, part in enumerate(parts[1:]):
        grid, _, after = part.partition("\x85")
        grid = _WS.sub(" ", grid)  # (each cell's runs of _WS one space: no run crosses a mark)
        rows = [[cell.split("\x80") for cell in row.split("\x84")[1:]] for row in grid.split("\x83")[1:]]
        lines.extend(_table_rows(rows, k))
        lines.extend(_paragraphs(after.replace("\x82", "\n")))
    return lines


def _walk_events(start: etree._Element) -> list[Line]:
    """``_walk`` one element at a time."""
    lines: list[Line] = []
    buf: list[str] = []
    n_tables = 0
    blocks = _BLOCKS
    walker = etree.iterwalk(start, events=("start", "end", "comment", "pi"))
    table_done = False  # the element just seen was a data table, read whole: its end adds only its tail
    for event, el in walker:
        if event == "start":
            tag = el.tag.lower()
            if tag == "table" and (grid := _data_grid(el)) is not None:
                if buf:
                    lines.extend(_paragraphs("".join(buf)))
                    buf.clear()
                lines.extend(_table_rows(grid, n_tables))
                n_tables += 1
                walker.skip_subtree()
                table_done = True
                continue
            if tag in blocks:
                buf.append("\n")
            if el.text:
                buf.append(el.text.replace("\n", " "))
        elif event == "end":
            if table_done:
                table_done = False
            elif el.tag.lower() in blocks:
                buf.append("\n")
            if el.tail:
                buf.append(el.tail.replace("\n", " "))
        elif el.tail:  # a comment or processing instruction: its text is not the page's
            buf.append(el.tail.replace("\n", " "))
    if buf:
        lines.extend(_paragraphs("".join(buf)))
    return lines


def _published_meta(root: etree._Element) -> str | None:
    """The page's publication date from its <meta> tags, as YYYY-MM-DD (None when it has none)."""
    for meta in root.iter("meta"):
        if _DATE_META.fullmatch((meta.get("name") or meta.get("property") or "").strip()):
            m = _ISO_DATE.search(meta.get("content") or "")
            if m and (date := iso_date(*m.groups())):
                return date
    return None
