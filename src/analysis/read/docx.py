"""Reader for Word reports (.docx; .doc and .wps through LibreOffice): paragraphs and tables in order.

The body is walked in document order so each table lands between the headings around it.
Tables are expanded to their grid: a cell merged across columns (``gridSpan``) or down rows
(``vMerge``) keeps its text in its first column and row, and the positions it covers are
empty strings, as in the HTML and PDF readers. Paragraphs holding tab-separated rows (a table
pasted as text) are split like the text reader does. Automatic list numbers ("一、", "（一）")
are not in the text runs, so they are rebuilt from the numbering definitions.

The package is read with zipfile and lxml exactly as python-docx would read it (the same parts,
parser settings and relationships), without building python-docx's objects; a package
python-docx might read otherwise or refuse is handed to python-docx, whose error is reported.

Many ".doc" files on government sites are really HTML, RTF or .docx; the bytes decide how a
file is read, not its name. Real binary .doc/.wps files need LibreOffice (``soffice``).
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from analysis.model.document import Document, Line, ReadError, sha256_of
from analysis.model.values import is_value_token

from ._common import split_row, text_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _SDT, _SDTCONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _TXBX = (f"{_W}{t}" for t in ("t", "tab", "br", "cr", "txbxContent"))
_VAL = f"{_W}val"
_PPR, _RPR, _NUMPR, _PSTYLE, _TCPR, _TRPR = (
    f"{_W}{t}" for t in ("pPr", "rPr", "numPr", "pStyle", "tcPr", "trPr")
)
_GRIDSPAN, _VMERGE, _HMERGE = (f"{_W}{t}" for t in ("gridSpan", "vMerge", "hMerge"))
# what a run's text leaves out: the fallback repeats the choice, nested blocks are read as blocks,
# field codes, deleted text and properties are not text
_NOT_TEXT = frozenset({_MC_FALLBACK, _P, _TBL, f"{_W}instrText", f"{_W}delText", _PPR, _RPR})
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
_WS = re.compile(r"[ \t\r\n\xa0\u3000]+")
# containers whose children are read as if they were in the body
_TRANSPARENT = {
    f"{_W}{t}" for t in ("sdt", "sdtContent", "customXml", "smartTag", "ins", "hyperlink", "fldSimple")
}


# ---------------------------------------------------------------------------------- numbering

_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (list numbers stay small)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                       (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        while n >= value:
            out += sym
            n -= value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):  # fmt: skip
        return _chinese(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)  # decimal, decimalZero, decimalFullWidth, …


_Levels = dict[str, dict[int, tuple[str, str, int]]]


class _Numbering:
    """Automatic list labels ("一、", "（二）", "3.") from numbering.xml, counted in body order."""

    def __init__(self, levels: _Levels, style_num: dict[str, tuple[str, int]]) -> None:
        self.levels = levels  # numId -> ilvl -> (fmt, text, start), from _list_levels
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num = style_num  # styleId -> (numId, ilvl), from _style_numbers

    def candidates(self, body: etree._Element) -> set[etree._Element]:
        """The paragraphs under body ``label`` may number: those whose first pPr has a numPr (or a
        pStyle, when a style numbers its paragraphs); found by lxml's own iteration, not by a look
        into every pPr."""
        out: set[etree._Element] = set()
        if not self.levels:
            return out
        for mark in body.iter(_NUMPR, _PSTYLE) if self.style_num else body.iter(_NUMPR):
            ppr = mark.getparent()
            p = ppr.getparent() if ppr.tag == _PPR else None
            if p is not None and p.tag == _P and _first(p, _PPR) is ppr:
                out.add(p)
        return out

    def label(self, p: etree._Element) -> str:
        """The list label of paragraph p ("" when it is not numbered); advances the counters."""
        if not self.levels:
            return ""
        ppr = _first(p, _PPR)
        if ppr is None:
            return ""
        num_pr = style_el = None  # the first of each, as find() gives
        for child in ppr:
            tag = child.tag
            if tag == _NUMPR:
                num_pr = child if num_pr is None else num_pr
            elif tag == _PSTYLE:
                style_el = child if style_el is None else style_el
        num_id, ilvl = None, 0
        style = None if style_el is None else style_el.get(_VAL)
        if style in self.style_num:
            num_id, ilvl = self.style_num[style]
        if num_pr is not None:
            num_id = _child_val(num_pr, "numId") or num_id
            ilvl = _int(_child_val(num_pr, "ilvl"), ilvl, _MAX_LEVEL)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        fmt, text, _start = levels[ilvl]
        if fmt == "bullet":
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            n = counts.get(k, levels[k][2])
            return _format_number(n, levels[ilvl][0] if k == ilvl else levels[k][0])

        return re.sub(r"%([1-9])", sub, text)


def _list_levels(numbering: etree._Element | None) -> _Levels:
    """numId -> ilvl -> (number format, level text, start) of the lists numbering.xml defines."""
    levels: _Levels = {}
    if numbering is not None:
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in numbering.iterchildren(f"{_W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iterchildren(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl"), 0, _MAX_LEVEL)
                lv[ilvl] = (_child_val(lvl, "numFmt") or "decimal", _child_val(lvl, "lvlText") or "",
                            _int(_child_val(lvl, "start"), 1, _MAX_START))  # fmt: skip
            abstract[an.get(f"{_W}abstractNumId", "")] = lv
        for num in numbering.iterchildren(f"{_W}num"):
            aid = _child_val(num, "abstractNumId")
            if aid in abstract:
                lv = dict(abstract[aid])
                for ov in num.iterchildren(f"{_W}lvlOverride"):
                    ilvl = _int(ov.get(f"{_W}ilvl"), 0, _MAX_LEVEL)
                    start = _child_val(ov, "startOverride")
                    if start is not None and ilvl in lv:
                        lv[ilvl] = (lv[ilvl][0], lv[ilvl][1], _int(start, 1, _MAX_START))
                levels[num.get(f"{_W}numId", "")] = lv
    return levels


def _style_numbers(styles: etree._Element | None) -> dict[str, tuple[str, int]]:
    """styleId -> (numId, ilvl) of the paragraph styles that number their paragraphs (styles.xml)."""
    out: dict[str, tuple[str, int]] = {}
    if styles is not None:
        for st in styles.iterchildren(f"{_W}style"):
            num_pr = next((n for ppr in st.iterchildren(_PPR) for n in ppr.iterchildren(_NUMPR)), None)
            if num_pr is not None:
                out[st.get(f"{_W}styleId", "")] = (
                    _child_val(num_pr, "numId") or "",
                    _int(_child_val(num_pr, "ilvl"), 0, _MAX_LEVEL),
                )
    return out


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    """The first child with ``tag``: what ``el.find(tag)`` gives, without its path parser."""
    for child in el:  # (faster than iterchildren(tag), which sets up a tag matcher each call)
        if child.tag == tag:
            return child
    return None


def _child_val(el: etree._Element, name: str) -> str | None:
    child = _first(el, f"{_W}{name}")
    return None if child is None else child.get(_VAL)


# Word's own limits: list levels 0-8, list start values up to 32767, 63 columns in a table
_MAX_LEVEL, _MAX_START, _MAX_COLUMNS = 8, 32767, 63


def _int(value: str | None, default: int, most: int) -> int:
    """An integer attribute of the XML, the default when it is missing or not a number, kept
    within 0..most (a damaged or hand-made file can say w:gridSpan="1000000000" or w:start="1.5")."""
    try:
        n = int(value) if value is not None else default
    except ValueError:
        n = default
    return min(max(n, 0), most)


# ---------------------------------------------------------------------------------- text


def _run_text(el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
    """Text of a paragraph's runs: w:t, tabs and breaks; text boxes are collected separately."""
    for child in el:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag == _BR or tag == _CR:
            out.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            out.append("-")
        elif tag == _TXBX:
            boxes.append(child)
        elif tag not in _NOT_TEXT and isinstance(tag, str):
            _run_text(child, out, boxes)


def _join_parts(parts: list[str]) -> str:
    """Join the paragraphs of a cell: nothing between CJK pieces, a space between words."""
    out = ""
    for p in parts:
        p = _WS.sub(" ", p).strip()
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


class _Walker:
    """Walks a document body in order, collecting Lines."""

    def __init__(self, numbering: _Numbering, body: etree._Element) -> None:
        self.lines: list[Line] = []
        self.numbering = numbering
        self.numbered = numbering.candidates(body)  # the only paragraphs that may have a label
        self.merges = _merge_marks(body)
        self.n_tables = 0

    def body(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _TBL:
                self.table(child)
            elif tag in _TRANSPARENT:
                self.body(child)

    def paragraph_text(self, p: etree._Element) -> tuple[str, list[etree._Element]]:
        parts: list[str] = [self.numbering.label(p) if p in self.numbered else ""]
        boxes: list[etree._Element] = []
        _run_text(p, parts, boxes)
        return "".join(parts), boxes

    def paragraph(self, p: etree._Element) -> None:
        text, boxes = self.paragraph_text(p)
        if text.strip(" \t\n\xa0\u3000"):
            self.lines.extend(_paragraph_lines(text))
        for box in boxes:
            self.body(box)

    def cell_text(self, tc: etree._Element) -> str:
        parts: list[str] = []
        for child in tc:
            if child.tag == _P:
                text, boxes = self.paragraph_text(child)
                parts.append(text)
                parts.extend(self.paragraph_text(q)[0] for box in boxes for q in box.iter(_P))
            elif child.tag == _TBL:  # a nested table: its cells in reading order
                parts.extend(self.cell_text(t) for t in child.iter(_TC))
            elif child.tag in _TRANSPARENT:
                parts.append(self.cell_text(child))
        return _join_parts(parts)

    def table(self, tbl: etree._Element) -> None:
        grid, above = _grid_with_merges(tbl, self.merges)
        if grid and all(len(tcs) == 1 for tcs in grid):
            # a one-column table is a frame around content (or a layout box): read what is inside
            for tcs in grid:
                if tcs[0] is not None:
                    self.body(tcs[0])
            return
        index = self.n_tables
        self.n_tables += 1
        for tcs, merged in zip(grid, above, strict=True):
            cells = ["" if tc is None else self.cell_text(tc) for tc in tcs]
            if any(cells):
                covered = frozenset(i for i, tc in enumerate(tcs) if tc is None)
                self.lines.append(
                    Line(cells, is_row=True, table=index, covered=covered, covered_above=frozenset(merged))
                )


def _table_grid(tbl: etree._Element, merges: _Merges | None = None) -> list[list[etree._Element | None]]:
    """Rows of a table as grid positions: the tc element that starts there, or None if covered.

    ``gridSpan`` adds covered positions to the right; ``vMerge`` without "restart" covers the
    position below the cell that started the merge; ``gridBefore``/``gridAfter`` are skipped
    positions at the row ends. ``merges`` holds each cell's merge marks (``_merge_marks``).
    """
    return _grid_with_merges(tbl, merges)[0]


def _grid_with_merges(
    tbl: etree._Element, merges: _Merges | None = None
) -> tuple[list[list[etree._Element | None]], list[set[int]]]:
    """``_table_grid`` and, per row, the positions a cell merged from a row above covers (``vMerge``
    continued, with its ``gridSpan``)."""
    if merges is None:
        merges = _merge_marks(tbl)
    rows = []
    aboves: list[set[int]] = []
    for tr in _children(tbl, _TR):
        tcs: list[etree._Element | None] = []
        above: set[int] = set()
        trpr = _first(tr, _TRPR)
        before = _int(_child_val(trpr, "gridBefore"), 0, _MAX_COLUMNS) if trpr is not None else 0
        after = _int(_child_val(trpr, "gridAfter"), 0, _MAX_COLUMNS) if trpr is not None else 0
        tcs.extend([None] * before)
        for tc in _children(tr, _TC):
            marks = merges.get(tc)
            if marks is None:
                tcs.append(tc)
                continue
            gridspan, vmerge, hmerge = marks
            span = 1 if gridspan is None else max(1, _int(gridspan.get(_VAL), 1, _MAX_COLUMNS))
            from_above = vmerge is not None and vmerge.get(_VAL, "continue") != "restart"
            covered = from_above or (
                hmerge is not None and hmerge.get(_VAL, "continue") != "restart"  # Word 2003's merge
            )
            if from_above:
                above.update(range(len(tcs), len(tcs) + span))
            tcs.append(None if covered else tc)
            tcs.extend([None] * (span - 1))
        tcs.extend([None] * after)
        rows.append(tcs)
        aboves.append(above)
    return rows, aboves


# a cell -> the first gridSpan, vMerge and hMerge in its first tcPr (as tc.find("w:tcPr").find(...))
_Merges = dict[etree._Element, list["etree._Element | None"]]
_MERGE_SLOT = {_GRIDSPAN: 0, _VMERGE: 1, _HMERGE: 2}


def _merge_marks(body: etree._Element) -> _Merges:
    """The merge marks of every cell under body, by cell: one pass of lxml's own iteration instead
    of a look into every tcPr (in document order, so the first of each kind wins)."""
    merges: _Merges = {}
    for mark in body.iter(_GRIDSPAN, _VMERGE, _HMERGE):
        tcpr = mark.getparent()
        tc = tcpr.getparent() if tcpr.tag == _TCPR else None
        if tc is None or tc.tag != _TC or _first(tc, _TCPR) is not tcpr:
            continue
        slots = merges.setdefault(tc, [None, None, None])
        k = _MERGE_SLOT[mark.tag]
        if slots[k] is None:
            slots[k] = mark
    return merges


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in _TRANSPARENT:
            out.extend(_children(child, tag))
    return out


def _paragraph_lines(text: str) -> list[Line]:
    """A paragraph as Lines: tab-separated rows go through the text splitter; prose stays whole."""
    if "\t" in text or "\n" in text:
        return text_lines(text)
    cells = split_row(text)
    if len(cells) >= 4 and sum(is_value_token(c) for c in cells) >= 3:
        return [Line(cells, is_row=True)]  # a row aligned with spaces
    return [Line([_WS.sub(" ", text).strip()])]


# ---------------------------------------------------------------------------------- input kinds


def _sniff(data: bytes) -> str:
    """What the bytes are, whatever the file is called: zip, ole, rtf, html, mht or unknown."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    low = head.lower()
    if low.startswith(b"mime-version") or b"\nmime-version:" in low[:400]:
        return "mht"
    if b"<w:worddocument" in low or b"<pkg:package" in low:
        return "wordxml"
    if low.startswith((b"<!doctype html", b"<html")) or (low.startswith(b"<?xml") and b"<html" in low):
        return "html"
    return "unknown"


def _writer_missing(exe: str) -> bool:
    """Whether the LibreOffice at ``exe`` is installed without its Writer (a Linux install of Impress or
    Calc alone): its program folder holds LibreOffice's libraries (``lib*lo.so``) but not Writer's."""
    program = Path(os.path.realpath(exe)).parent
    return any(program.glob("lib*lo.so")) and not (program / "libswlo.so").exists()


def _convert(path: Path, data: bytes, kind: str) -> bytes:
    """Convert a .doc/.wps/.rtf file to .docx bytes with LibreOffice, or say how to get it read."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    suffix = path.suffix.lower() or ".doc"
    what = suffix if kind == "ole" else f"{suffix} ({kind.upper()} content)"
    if exe is None:
        raise ReadError(
            f"{path}: {what} needs LibreOffice to convert; install it (apt-get install libreoffice-writer) "
            "or save the file as .docx"
        )
    if _writer_missing(exe):  # (it would exit 0 having made nothing, as for a damaged file)
        raise ReadError(
            f"{path}: {what} needs LibreOffice Writer to convert, and the LibreOffice installed has none; "
            "install it (apt-get install libreoffice-writer) or save the file as .docx"
        )
    ext = {"rtf": ".rtf", "mht": ".mht", "wordxml": ".xml"}.get(kind, suffix)
    with tempfile.TemporaryDirectory(prefix="govreport-doc-") as tmp:
        src = Path(tmp) / f"report{ext}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]  # fmt: skip
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        except subprocess.TimeoutExpired as exc:
            raise ReadError(f"{path}: LibreOffice took more than 180 s to convert it") from exc
        except OSError as exc:
            raise ReadError(f"{path}: LibreOffice could not be started: {exc}") from exc
        out = Path(tmp) / "report.docx"
        if not out.exists():
            detail = (res.stderr or res.stdout).strip().splitlines()
            raise ReadError(
                f"{path}: damaged or not a Word document: LibreOffice could not convert it "
                f"({detail[-1] if detail else 'no output'})"
            )
        return out.read_bytes()


_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def _check_package(path: Path, data: bytes) -> zipfile.ZipFile | None:
    """ReadError for a complete zip python-docx would misread: not an Office package at all (an
    archive of other files, an OpenDocument file), or a member zipfile cannot open (it raises
    RuntimeError or NotImplementedError for it): encrypted, or packed with a method it does not
    have. Word writes neither. A damaged zip is left to python-docx, which names the damage.
    Returns the open zip (None when its index cannot be read)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError):
        # no readable index (NotImplementedError: a "version needed" zipfile lacks)
        return None
    names = [info.filename for info in infos]
    if "[Content_Types].xml" not in names:
        if "mimetype" in names and "content.xml" in names:
            raise ReadError(f"{path}: an OpenDocument file (.odt), not .docx: save it as .docx")
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise ReadError(
            f"{path}: not a Word document: a zip archive of other files ({shown or 'empty'}), "
            "not a .docx package"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(f"{path}: damaged Word file ({info.filename} is encrypted)")
        if info.compress_type not in _ZIP_METHODS:
            raise ReadError(
                f"{path}: damaged Word file ({info.filename} is packed with unknown method "
                f"{info.compress_type})"
            )
    return z


def _related_xml(part, reltype: str) -> etree._Element | None:  # noqa: ANN001 - a python-docx Part
    """The XML of the first part ``part`` relates to by ``reltype`` (numbering, styles), or None.

    Not python-docx's ``numbering_part``/``styles``: they raise ValueError when a damaged package
    relates two parts by one type, and NotImplementedError when there is none."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            element = getattr(rel.target_part, "element", None)  # a plain Part (wrong content type) has none
            if isinstance(element, etree._Element):
                return element
    return None


def _parse_docx(path: Path, data: bytes) -> tuple[etree._Element, _Numbering, str | None]:
    """The body element, list numbering and title of a .docx, or ReadError for a damaged file."""
    package = _check_package(path, data)
    parts = _read_package(package) if package is not None else None
    if parts is None:  # not a package python-docx surely reads as _read_package does: it says why
        parts = _python_docx_parts(path, data)
    root, levels, style_num, title = parts
    body = _first(root, f"{_W}body")  # not .body: the root may not be a w:document at all
    if body is None:
        raise ReadError(f"{path}: damaged Word file (word/document.xml has no body)")
    return body, _Numbering(levels, style_num), title


# the document's root element, its list levels and style numbering, and the title
_Parts = tuple[etree._Element, _Levels, dict[str, tuple[str, int]], "str | None"]


def _python_docx_parts(path: Path, data: bytes) -> _Parts:
    """The document's root element, numbering, style numbering and title as python-docx opens the
    package, or ReadError naming what it found damaged."""
    import docx  # python-docx, imported here so text/HTML runs never pay for it
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        PackageNotFoundError,
        KeyError,
    ) as exc:
        # zlib.error / EOFError: a member's compressed data is damaged or cut short;
        # NotImplementedError: zipfile meets a feature flag it does not know in a member's header
        raise ReadError(f"{path}: damaged Word file (not a complete .docx package: {exc})") from exc
    except etree.XMLSyntaxError as exc:
        why = re.sub(r"\s*\(<string>, line \d+\)$", "", str(exc))  # lxml's note of its own input
        raise ReadError(f"{path}: damaged Word file (broken XML: {why})") from exc
    except ValueError as exc:  # e.g. an .xlsx or .pptx renamed to .docx
        raise ReadError(f"{path}: not a Word document ({exc})") from exc
    except (TypeError, AttributeError) as exc:
        # python-docx does not check the package's index: a relationship without a Target or a
        # content type without an Extension fails inside it with these
        raise ReadError(
            f"{path}: damaged Word file (broken package index [Content_Types].xml or .rels: {exc})"
        ) from exc
    numbering_el = _related_xml(doc.part, RT.NUMBERING)
    styles_el = _related_xml(doc.part, RT.STYLES)
    try:
        title = (doc.core_properties.title or "").strip() or None
    except AttributeError:  # docProps/core.xml with another content type: a plain part, no properties
        title = None
    return doc.element, _list_levels(numbering_el), _style_numbers(styles_el), title


# ------------------------------------------------------------------------ the package without python-docx

# python-docx builds an object for every part and relationship of the package and parses every XML part
# into its own element classes; _read_package reads the same parts with zipfile and plain lxml (the
# same parser settings), in the same order, and answers what python-docx would, or None for anything
# python-docx might read differently or refuse (then python-docx reads it and names the damage).
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_PARSERS = threading.local()  # python-docx's parser settings, plain elements; one parser per thread


def _xml(blob: bytes) -> etree._Element:
    """The root element of an XML part, parsed as python-docx parses it."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    return etree.fromstring(blob, parser)


_MAX_PARTS = 200  # python-docx walks the parts recursively: a longer chain is left to it
# styles.xml is often the largest part (350 KB in python-docx's template), and it and numbering.xml
# are the same in every report made from one template: what _style_numbers and _list_levels found
# in the last few seen, by their exact bytes (which parsed without error: python-docx would parse
# them again, without error); up to 16 parts of 4 KB to 1 MB
_CACHE: dict[tuple[str, bytes], dict] = {}
_CACHE_SIZE, _CACHE_MIN, _CACHE_MAX = 16, 4096, 1 << 20


def _part_kinds() -> tuple | None:
    """python-docx's part classes: the image relationship type, content type -> "xml" (parsed on
    load; "core" and "document" for those two parts) and its relationship types; None if python-docx
    loads parts in some other way than this module knows."""
    global _KINDS
    if _KINDS is None:
        import docx  # noqa: F401 - registers python-docx's part classes
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.part import Part, PartFactory, XmlPart
        from docx.opc.parts.coreprops import CorePropertiesPart
        from docx.parts.document import DocumentPart
        from docx.parts.image import ImagePart

        kinds: dict[str, str] = {}
        known = (
            PartFactory.default_part_type is Part
            and getattr(PartFactory.part_class_selector, "__module__", None) == "docx"
        )
        for ct, cls in PartFactory.part_type_for.items():
            if cls.load.__func__ is XmlPart.load.__func__:  # type: ignore[attr-defined]
                kinds[ct] = (
                    "core" if cls is CorePropertiesPart else "document" if cls is DocumentPart else "xml"
                )
            elif cls.load.__func__ is not Part.load.__func__:  # type: ignore[attr-defined]
                known = False
        known = known and ImagePart.load.__func__ is not XmlPart.load.__func__  # type: ignore[attr-defined]
        _KINDS = (RT.IMAGE, kinds, RT) if known else ()
    return _KINDS or None


_KINDS: tuple | None = None


def _rels(z: zipfile.ZipFile, source: str) -> list[tuple[str | None, str, bool, str]] | None:
    """(Id, Type, external, target part name) of each relationship of part ``source`` ("/" for the
    package), as python-docx resolves them; None for a relationship it would trip over."""
    base, name = posixpath.split(source)
    try:
        xml = z.read(posixpath.join(base, "_rels", f"{name}.rels")[1:])
    except KeyError:
        return []
    root = _xml(xml)
    if root.tag != f"{_PR}Relationships":
        return None
    out = []
    for rel in root.iterchildren(f"{_PR}Relationship"):
        rid, reltype, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
        if rid is None or reltype is None or target is None:
            return None
        external = rel.get("TargetMode", "Internal") == "External"
        out.append(
            (rid, reltype, external, "" if external else posixpath.abspath(posixpath.join(base, target)))
        )
    return out


def _read_package(z: zipfile.ZipFile) -> _Parts | None:
    """What _python_docx_parts gives for this package, read without python-docx; None for a package
    python-docx might read otherwise or refuse."""
    try:
        return _read_package_parts(z)
    except Exception:  # damaged somewhere: python-docx reads it again and names the damage
        return None


def _read_package_parts(z: zipfile.ZipFile) -> _Parts | None:
    kinds = _part_kinds()
    if kinds is None:
        return None
    image_rel, xml_types, RT = kinds
    types = _xml(z.read("[Content_Types].xml"))
    if types.tag != f"{_CT}Types":
        return None
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for o in types.iterchildren(f"{_CT}Override"):
        partname, content_type = o.get("PartName"), o.get("ContentType")
        if partname is None or content_type is None:
            return None
        overrides[partname.lower()] = content_type
    for d in types.iterchildren(f"{_CT}Default"):
        ext, content_type = d.get("Extension"), d.get("ContentType")
        if ext is None or content_type is None:
            return None
        defaults[ext.lower()] = content_type

    # the parts reachable from the package's relationships, depth first, each once (python-docx's walk)
    rels: dict[str, dict] = {}  # part name -> {Id: (Type, external, target)}, later Ids replacing earlier
    kind: dict[str, str] = {}  # part name -> "xml", "core", "document" (parsed) or "blob"
    blobs: dict[str, bytes] = {}
    order: list[str] = []

    def walk(source: str, srels: list) -> bool:
        rels[source] = {rid: (reltype, external, target) for rid, reltype, external, target in srels}
        for _rid, reltype, external, target in srels:
            if external or target in kind:
                continue
            if len(kind) >= _MAX_PARTS:
                return False
            part_rels = _rels(z, target)
            if part_rels is None:
                return False
            blobs[target] = z.read(target[1:])
            content_type = overrides.get(target.lower())
            if content_type is None:
                ext = posixpath.splitext(target)[1]
                content_type = defaults.get((ext[1:] if ext.startswith(".") else ext).lower())
                if content_type is None:
                    return False
            kind[target] = "blob" if reltype == image_rel else xml_types.get(content_type, "blob")
            order.append(target)
            if not walk(target, part_rels):
                return False
        return True

    package_rels = _rels(z, "/")
    if package_rels is None or not walk("/", package_rels):
        return None

    def related(source: str, reltype: str) -> list[tuple[bool, str]]:
        return [(external, target) for t, external, target in rels[source].values() if t == reltype]

    def parsed_target(source: str, reltype: str) -> str | None:
        """The first internal target by reltype that python-docx parsed (_related_xml)."""
        return next(
            (t for external, t in related(source, reltype) if not external and kind[t] != "blob"), None
        )

    main = related("/", RT.OFFICE_DOCUMENT)
    if len(main) != 1 or main[0][0] or kind[main[0][1]] != "document":
        return None  # python-docx raises KeyError or ValueError, or the part is not a document part
    main_name = main[0][1]
    core = related("/", RT.CORE_PROPERTIES)
    if len(core) > 1 or (core and (core[0][0] or kind[core[0][1]] not in ("core", "blob"))):
        return None  # python-docx raises ValueError, or asks another part for its properties
    numbering_name, styles_name = parsed_target(main_name, RT.NUMBERING), parsed_target(main_name, RT.STYLES)
    # what numbering and styles give, from the cache when their bytes were read before
    found: dict[str, dict] = {}
    for what, name in (("numbering", numbering_name), ("styles", styles_name)):
        if (
            name is not None
            and _CACHE_MIN <= len(blobs[name]) <= _CACHE_MAX
            and numbering_name != styles_name
        ):
            hit = _CACHE.get((what, blobs[name]))
            if hit is not None:
                found[what] = hit
    skip = {name for what, name in (("numbering", numbering_name), ("styles", styles_name)) if what in found}
    skip -= {main_name, core[0][1] if core else ""}
    elements: dict[str, etree._Element] = {}
    for name in order:  # python-docx parses every part it has an element class for
        if kind[name] != "blob" and name not in skip:
            elements[name] = _xml(blobs[name])
    derive = (("numbering", numbering_name, _list_levels), ("styles", styles_name, _style_numbers))
    for what, name, fn in derive:
        if what not in found:
            found[what] = fn(elements[name] if name is not None else None)
            if name is not None and _CACHE_MIN <= len(blobs[name]) <= _CACHE_MAX:
                while len(_CACHE) >= _CACHE_SIZE:  # the oldest out (safe if threads share it)
                    _CACHE.pop(next(iter(_CACHE), None), None)  # type: ignore[arg-type]
                _CACHE[(what, blobs[name])] = found[what]
    title: str | None
    if not core:
        title = "Word Document"  # python-docx makes default properties with this title
    elif kind[core[0][1]] == "core" and elements[core[0][1]].tag == _CORE:
        dc_title = _first(elements[core[0][1]], _DC_TITLE)
        title = ((dc_title.text if dc_title is not None else None) or "").strip() or None
    else:  # a plain part, or not a core-properties root element: AttributeError in python-docx
        title = None
    return elements[main_name], found["numbering"], found["styles"], title


def read(path: Path, data: bytes) -> Document:
    """Read a Word report (.docx, or .doc/.wps/.rtf via LibreOffice; HTML saved as .doc too)."""
    kind = _sniff(data)
    if kind == "html":
        from . import html  # a web page saved with a Word name

        return html.read(path, data)
    if kind == "zip":
        docx_bytes = data
    elif kind in ("ole", "rtf", "mht", "wordxml"):
        docx_bytes = _convert(path, data, kind)
    else:
        raise ReadError(f"{path}: not a Word document (neither .docx, .doc, RTF nor HTML)")
    body, numbering, title = _parse_docx(path, docx_bytes)
    walker = _Walker(numbering, body)
    walker.body(body)
    lines = walker.lines
    if not lines:
        raise ReadError(f"{path}: Word document has no text")
    if title is not None and "报告" not in title:
        title = None  # core properties often hold a template name, not the report title
    return Document(path=path, source_format="docx", sha256=sha256_of(data), lines=lines, title=title)
