"""Reader for PDF reports: characters by position (pypdfium2), tables from their ruling lines.

Why by position: text extraction in reading order scrambles the statistical tables (merged
vertical labels come out one character per line, wrapped labels interleave with the numbers).
So each page's characters are read with their boxes, the table borders are taken from the page's
vector paths, and every character is put into the grid cell that contains it. A merged cell
(no border between two grid positions) keeps its text in its first row and column; the
positions it covers are empty strings, as in the HTML and Word readers. Writers draw borders
differently: Word one rule per row, LibreOffice one per row split where cells merge, Chromium
one per cell edge (so a merged cell leaves rules that touch nothing across it). Pieces of one
rule are joined first, and a rule separates only the columns (or rows) it spans. A table broken
across pages keeps one set of columns, and a row cut by the page break is joined with its rest
(see ``stitch``). Tables without ruling lines fall back to splitting text lines into cells by
wide gaps. Text outside tables is joined into paragraphs (a line that stops short of the right
margin ends one; headings start one) and page numbers ("- 4 -", "第 4 页") are dropped.

The stages, one module each, in the order they run: ``chars`` (characters and their boxes, text
lines), ``rules`` (ruling lines), ``grid`` (ruled tables, characters into cells), ``page`` (one
page's lines and grids in reading order), then over all pages ``layout`` (document lines), which
uses ``stitch`` (tables across pages) and ``borderless`` (tables without rules); ``meta`` finds
the title and date, ``scan`` handles PDFs without a text layer (OCR).

pypdfium2 is used for speed: a six-page report reads in about 0.02 s, pdfplumber takes ~35x that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

from analysis.model.document import Document, ReadError, sha256_of

from .layout import _assemble
from .meta import _meta_date, _meta_title, _title
from .page import _PageItems, _read_page
from .scan import _no_text_layer


def _what_it_is(data: bytes) -> str:
    """A hint for a file that is not a PDF: what its bytes look like."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return "; it is a zip file, e.g. a .docx: rename it"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "; it is an Office file, e.g. a .doc: rename it"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head:
        return "; it is a web page (an error page instead of the download?)"
    return ""


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    """Open the bytes with pdfium; ReadError naming the problem when they cannot be opened."""
    if b"%PDF" not in data[:1024]:
        raise ReadError(f"{path}: not a PDF file (no %PDF header{_what_it_is(data)})")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ReadError(
                f"{path}: PDF is encrypted (password protected); save an unprotected copy"
            ) from exc
        m = re.search(r"PDFium: ([^)]+)", msg)
        reason = (m.group(1) if m else msg).strip().rstrip(".").lower()
        raise ReadError(f"{path}: damaged or truncated PDF (pdfium: {reason})") from exc


def _tail(data: bytes, n: int) -> bytes:
    """``data.rstrip()[-n:]`` without copying the whole file (as rstrip does when it ends in whitespace)."""
    k = n + 64
    while True:
        tail = data[-k:].rstrip()
        if len(tail) >= n or k >= len(data):
            return tail[-n:]
        k *= 4


def read(path: Path, data: bytes) -> Document:
    """Read a PDF report into a Document (tables as grid rows, prose as paragraphs)."""
    pdf = _open(path, data)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReadError(f"{path}: PDF has no pages (damaged or truncated)")
        pages: list[_PageItems] = []
        for i in range(n_pages):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as exc:
                raise ReadError(f"{path}: page {i + 1} cannot be loaded (damaged or truncated PDF)") from exc
            try:
                pages.append(_read_page(page, i))
            finally:
                page.close()
        problems = []
        n_chars = sum(p.n_chars for p in pages)
        n_junk = sum(p.n_junk for p in pages)
        if n_chars == 0 or n_junk > 0.3 * n_chars:
            doc = _no_text_layer(path, data, pdf, n_pages, unmapped=n_chars > 0)
            return doc
        if n_junk > 0.02 * n_chars:
            problems.append(
                {
                    "severity": "warning",
                    "check": "unmapped_text",
                    "location": "document",
                    "message": f"{n_junk} of {n_chars} characters have no Unicode mapping (font without "
                    "ToUnicode): some text may be missing or wrong",
                }
            )
        for i, p in enumerate(pages):
            if p.n_chars < 20 and p.has_images:
                problems.append(
                    {
                        "severity": "warning",
                        "check": "page.no_text_layer",
                        "location": f"page {i + 1}",
                        "message": f"page {i + 1} is an image without text (scanned); its content is not read",
                    }
                )
        if not _tail(data, 1024).rstrip().endswith(b"%%EOF") and b"%%EOF" not in data[-2048:]:
            problems.append(
                {
                    "severity": "warning",
                    "check": "truncated_file",
                    "location": "document",
                    "message": "PDF has no end-of-file marker (%%EOF): the file may be truncated",
                }
            )
        lines = _assemble(pages)
        title = _title(lines) or _meta_title(pdf)
        created = _meta_date(pdf)
    finally:
        pdf.close()
    if not lines:
        raise ReadError(f"{path}: PDF has no text")
    return Document(
        path=path,
        source_format="pdf",
        sha256=sha256_of(data),
        lines=lines,
        pages=n_pages,
        title=title,
        created=created,
        problems=problems,
    )
