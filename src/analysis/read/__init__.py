"""One reader per format, all returning a :class:`~analysis.document.Document`.

``read_document`` picks the reader from the file's suffix (and sniffs HTML saved as .txt);
every reader raises :class:`~analysis.document.ReadError` with a one-line reason on bad input.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from analysis.model.document import Document, ReadError, clean_text

from ._common import binary_hint

# suffix -> module in analysis.read (imported lazily, so PDF libraries load only for PDFs)
READERS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "docx",
    ".wps": "docx",
}

SUPPORTED = tuple(sorted(READERS))


def read_document(path: str | Path) -> Document:
    """Read one report file into a Document; raise ReadError (one line) when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a report file")
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(
            f"{path}: unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUPPORTED)}"
        )
    data = path.read_bytes()
    if not data or data.isspace():  # (as `not data.strip()`, without copying the file)
        raise ReadError(f"{path}: empty file")
    module = READERS[suffix]
    if module == "text" and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        module = "html"
    if module in ("text", "html") and (hint := binary_hint(data)):
        raise ReadError(f"{path}: binary file, not {'text' if module == 'text' else 'a web page'} ({hint})")
    reader = importlib.import_module(f"{__name__}.{module}")
    try:
        doc = reader.read(path, data)
    except ReadError:
        raise
    except Exception as exc:  # a reader bug or a library error must still be one line
        raise ReadError(f"{path}: could not read as {module}: {type(exc).__name__}: {exc}") from exc
    # what the readers return must be storable: no lone surrogates (checked at once for the whole
    # document: UTF-8 refuses a surrogate in the joined text exactly when it refuses one in a cell)
    try:
        "".join([c for line in doc.lines for c in line.cells]).encode("utf-8")
    except UnicodeEncodeError:
        for line in doc.lines:
            line.cells = [clean_text(c) for c in line.cells]
    doc.title = clean_text(doc.title) if doc.title else doc.title
    return doc
