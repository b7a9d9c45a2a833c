"""Helpers the readers share: decoding Chinese text and splitting pasted rows into cells."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from analysis.model.document import Line
from analysis.model.values import is_value_token

# the kinds of file most often saved under a text or web-page name, by their first bytes
_MAGIC = (
    (b"%PDF", "it is a PDF file: rename it to .pdf"),
    (b"PK\x03\x04", "it is a zip file, e.g. a .docx: rename it"),
    (b"\xd0\xcf\x11\xe0", "it is an Office file, e.g. a .doc: rename it"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
    (b"\x89PNG", "it is a PNG image"),
    (b"GIF8", "it is a GIF image"),
)


# the control bytes that make a file binary (not tab, LF, FF, CR, ESC)
_CONTROLS = bytes(b for b in range(0x20) if b not in (9, 10, 12, 13, 27))


def binary_hint(data: bytes) -> str | None:
    """None for bytes that can be text (or a web page) in some encoding; for binary bytes (NUL bytes, or
    more than 2% control characters, in the first 4 KB; UTF-16 with a BOM is text) what to do about it."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    controls = len(head) - len(head.translate(None, _CONTROLS))
    if b"\x00" not in head and controls <= len(head) // 50:
        return None
    return next(
        (h for magic, h in _MAGIC if data.startswith(magic)), "rename it to its real type, e.g. .pdf or .docx"
    )


def iso_date(year: str, month: str, day: str) -> str | None:
    """YYYY-MM-DD for a date printed in a file's metadata; None when its month or day is not one."""
    m, d = int(month), int(day)
    return f"{year}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode bytes as UTF-8 (with or without BOM), a declared charset, or the GB family."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    candidates = ["utf-8"]
    if declared:
        candidates.append(declared)
    candidates += ["gb18030"]
    for enc in candidates:
        try:
            return data.decode(_canonical_encoding(enc))
        except (UnicodeDecodeError, LookupError):
            continue
    # a few damaged bytes (a flipped bit, a character cut in two) in a file otherwise in one of
    # them: keep its text, with � where the bytes are bad, rather than guess another encoding
    # for all of it (see ``undecodable``)
    for enc in candidates:
        try:
            text = data.decode(_canonical_encoding(enc), errors="replace")
        except LookupError:
            continue
        if text.count("\ufffd") <= max(4, len(text) // 1000):
            return text
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("gb18030", errors="replace")


def undecodable(text: str) -> list[dict]:
    """The reader's problem for decoded text holding � (bytes that could not be decoded)."""
    if "\ufffd" not in text:  # (most texts have none: looking for one is many times faster than counting)
        return []
    n = text.count("\ufffd")
    return [
        {
            "severity": "warning",
            "check": "encoding.damaged",
            "location": "document",
            "message": f"{n} character{'s' if n > 1 else ''} could not be decoded (damaged bytes, shown as �): "
            "a value or label there may be wrong or missing",
        }
    ]


def _canonical_encoding(name: str) -> str:
    """GB2312 and GBK pages routinely use GB18030 characters: read them as its superset."""
    name = name.strip().lower()
    return "gb18030" if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030"} else name


# a drawn rule ("--------\t---", "=====", "|---|---|") separates rows; it is not a row of dashes
_RULE = re.compile(r"^[\s|+:]*[-=_—–]{3,}[-=_—–\s|+:]*$")
# markdown emphasis and heading marks around text ("## 二、主动公开…", "**总计**")
_MARKUP = re.compile(r"^#{1,6}\s+|\*\*|__")
# a page number left in text converted from a PDF: "- 4 -", "— 6 —", "第 4 页", "第4页 共12页"
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?)\s*$"
)
_MULTISPACE = re.compile(r"[ \u3000\xa0]{2,}")


# every value token (``is_value_token``) holds one of these: a line without any has no value cell
_VALUE_CHAR = re.compile("[0-9０-９/／—–\\-－无]")


# a line without any of these holds no value token, tab, markdown row or markup
_NOT_PLAIN = re.compile("[0-9０-９/／—–\\-－无\t|#*_]")  # _VALUE_CHAR's, and \t | # * _


def split_row(line: str) -> list[str]:
    """Split a pasted table line into cells: tabs, runs of spaces, trailing space-separated numbers.

    Tab-separated lines keep their empty cells (their position matters); a cell holding a label
    followed by space-separated numbers ("(一) 予以公开 0 0 0") is split into label and values.
    """
    return _split_row(line, _VALUE_CHAR.search(line) is not None)


def _split_row(line: str, values: bool) -> list[str]:
    """``split_row``; ``values`` False when the line holds no value token (nothing to peel off)."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        raw = stripped[1:-1].split("|")  # a markdown table row
    else:
        # (spaces at either end of a line separate nothing: no empty cells from them)
        raw = line.split("\t") if "\t" in line else _MULTISPACE.split(line.strip(" \u3000\xa0"))
    markup = "#" in line or "*" in line or "_" in line  # else _MARKUP finds nothing
    cells: list[str] = []
    for cell in raw:
        cell = cell.strip(" \u3000\xa0\r")
        if markup:
            cell = _MARKUP.sub("", cell)
        if not values:
            cells.append(cell)
            continue
        tokens = cell.split()
        if len(tokens) > 1 and is_value_token(tokens[-1]):
            # peel off trailing value tokens; the rest stays one label cell
            k = len(tokens)
            while k > 0 and is_value_token(tokens[k - 1]):
                k -= 1
            if k > 0:
                cells.append("".join(tokens[:k]))
            cells.extend(tokens[k:])
        else:
            cells.append(cell)
    return cells


_TABLE_MARKS = re.compile("[|#*_]")  # a markdown row's, and those _MARKUP needs


# the whitespace within a line: the page text's runs of it are one space in its paragraphs
LINE_SPACE = re.compile("[ \t\xa0\u3000]+")


def text_paragraphs(text: str) -> list[str]:
    """The text of each Line ``text_lines`` makes (a row's cells tab-joined), every run of LINE_SPACE
    one space, stripped: prose lines skip making a Line, most lines of a page are that."""
    out: list[str] = []
    sub = LINE_SPACE.sub
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # (runs made one space over the whole text at once; the tests below find in such a line what they
    # find in the line as printed: they read a run of whitespace as they read one space)
    for raw, flat in zip(text.split("\n"), sub(" ", text).split("\n"), strict=True):
        if flat == " " or not flat or _RULE.match(flat) or _PAGE_NUMBER.match(flat):
            continue
        if not _VALUE_CHAR.search(flat) and not _TABLE_MARKS.search(flat):
            # text_lines keeps such a line whole, or splits it at tabs or wide spaces, which the join
            # and the runs made one space make one space again (it peels off no value, takes off no
            # markup): the strip below is the rest
            out.append(flat.strip())
        elif len(flat.split()) <= 1 and not _TABLE_MARKS.search(flat):
            # a line of one word (spaces, tabs only at its ends) without markdown or markup is that word
            out.append(flat.strip())
        else:
            out.extend(sub(" ", line.text).strip() for line in text_lines(raw))
    return out


def text_lines(text: str, page: int | None = None) -> list[Line]:
    """Turn pasted text into Lines: a line with two or more cells is a table row."""
    out: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip(" \t\u3000\xa0") or _RULE.match(raw) or _PAGE_NUMBER.match(raw):
            continue
        if not _NOT_PLAIN.search(raw):
            # (most prose: no value, tab, markdown or markup, so what follows comes to this)
            text = raw.strip(" \u3000\xa0")
            out.append(Line([raw.strip() if _MULTISPACE.search(text) else text], page=page))
            continue
        values = _VALUE_CHAR.search(raw) is not None
        cells = _split_row(raw, values)
        markdown_row = raw.strip().startswith("|")
        if (
            len(cells) > 1
            and not markdown_row
            and "\t" not in raw
            and not (values and any(is_value_token(c) for c in cells))
        ):
            # prose with wide spaces, not a row of values: keep it as one paragraph
            out.append(Line([_MARKUP.sub("", raw.strip())], page=page))
        elif len(cells) > 1:
            out.append(Line(cells, is_row=True, page=page))
        else:
            out.append(Line([cells[0] if cells else raw.strip()], page=page))
    return out
