"""Reader for HTML pages: real tables (rowspan/colspan expanded to a grid) and paragraphs.

Government pages wrap the report in navigation; the article body is found by its tables
and headings, and everything else (scripts, styles, menus) is dropped. Charset comes from
the page's declaration when there is one, else from the bytes (GB2312/GBK read as GB18030).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from analysis.model.document import Document, Line, ReadError, sha256_of

from ._common import decode, iso_date, text_lines, undecodable

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


# plain lxml elements (no lxml.html element classes: their per-element Python lookup is slow);
# ``_text_content`` is lxml.html's ``text_content``; the page goes in as UTF-8 bytes, which
# libxml2 parses faster than a Python str, into the same tree
_PARSER = etree.HTMLParser(encoding="utf-8")
_STR_PARSER = etree.HTMLParser()
_text_content = etree.XPath("string()", smart_strings=False)


def _cell_text(td: etree._Element) -> str:
    return _WS.sub(" ", _text_content(td)).strip()


def _parse(text: str) -> etree._Element:
    """The page's tree, as ``lxml.html.document_fromstring(text)`` makes it (with plain elements)."""
    try:
        data = None if text.startswith("<?xml") else text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: lxml takes them only as a str
        data = None
    # (a str with an XML encoding declaration is refused with lxml's ValueError, as before)
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


def _table_rows(table: etree._Element, index: int) -> list[Line]:
    """Expand a <table> into grid rows: a spanned position is an empty cell, as in pasted text."""
    rows: list[Line] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for tr in table.iter("tr"):
        if _nearest_table(tr) is not table:
            continue  # rows of a nested table are read with that table
        cells: list[str] = []
        covered: set[int] = set()
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            _fill_spans(cells, pending, covered)
            colspan, rowspan = _int_attr(td, "colspan"), _int_attr(td, "rowspan")
            for extra in range(colspan):
                if extra:
                    covered.add(len(cells))
                cells.append("" if extra else _cell_text(td))
                if rowspan > 1:
                    pending[len(cells) - 1] = rowspan - 1
        _fill_spans(cells, pending, covered)
        if any(c for c in cells):
            rows.append(Line(cells, is_row=True, table=index, covered=frozenset(covered)))
    return rows


def _fill_spans(cells: list[str], pending: dict[int, int], covered: set[int]) -> None:
    """Put an empty (covered) cell wherever a rowspan from an earlier row covers the next column."""
    while pending.get(len(cells), 0) > 0:
        pending[len(cells)] -= 1
        covered.add(len(cells))
        cells.append("")


def _is_layout(table: etree._Element) -> bool:
    """A table used for page layout (it holds other tables, or paragraphs of prose), not data:
    its content is read as text and tables, like the rest of the page."""
    if table.find(".//table") is not None:
        return True
    widths = [
        len([c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")])
        for tr in table.iter("tr")
    ]
    return max(widths, default=0) <= 2 and any(len(_cell_text(td)) > 150 for td in table.iter("td", "th"))


# the HTML standard's limits: a larger colspan/rowspan is read as the limit (browsers do the same),
# so a typo such as colspan="1000000000" cannot make a row of a billion cells
_MAX_SPAN = {"colspan": 1000, "rowspan": 65534}


def _int_attr(el: etree._Element, name: str) -> int:
    value = el.get(name)
    if value is None:  # most cells: no span
        return 1
    try:
        return min(_MAX_SPAN[name], max(1, int(str(value).strip() or 1)))
    except ValueError:
        return 1


def _nearest_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def read(path: Path, data: bytes) -> Document:
    """Parse the page, keep its text blocks and tables in document order."""
    declared = _CHARSET.search(data[:4096])
    text = _NOT_XML.sub("", decode(data, declared.group(1).decode("ascii") if declared else None))
    try:
        root = _parse(text)
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
    lines: list[Line] = []
    n_tables = 0
    buf: list[str] = []

    def flush() -> None:
        if buf:
            lines.extend(text_lines("".join(buf)))
            buf.clear()

    def walk(el: etree._Element) -> None:
        nonlocal n_tables
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "table" and not _is_layout(el):
            flush()
            lines.extend(_table_rows(el, n_tables))
            n_tables += 1
        else:
            if tag in _BLOCKS:
                buf.append("\n")
            if el.text and tag:
                buf.append(el.text.replace("\n", " "))
            for child in el:
                walk(child)
            if tag in _BLOCKS:
                buf.append("\n")
        if el.tail:
            buf.append(el.tail.replace("\n", " "))

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    # prose text in HTML is one paragraph per block: undo the row split on wide spaces
    lines = [ln if ln.table is not None else Line([_WS.sub(" ", ln.text).strip()]) for ln in lines]
    lines = [ln for ln in lines if ln.text.strip()]
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


def _published_meta(root: etree._Element) -> str | None:
    """The page's publication date from its <meta> tags, as YYYY-MM-DD (None when it has none)."""
    for meta in root.iter("meta"):
        if _DATE_META.fullmatch((meta.get("name") or meta.get("property") or "").strip()):
            m = _ISO_DATE.search(meta.get("content") or "")
            if m and (date := iso_date(*m.groups())):
                return date
    return None
