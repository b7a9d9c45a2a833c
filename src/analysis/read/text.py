"""Reader for text pasted from a web page or Word: tab- or space-separated table rows."""

from __future__ import annotations

from pathlib import Path

from analysis.model.document import Document, ReadError, sha256_of

from ._common import binary_hint, decode, text_lines, undecodable


def read(path: Path, data: bytes) -> Document:
    """Decode the text (UTF-8 or GB family) and split it into paragraphs and table rows."""
    if hint := binary_hint(data):  # (read_document says so first; this is for a direct call)
        raise ReadError(f"{path}: binary file, not text ({hint})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")  # an odd byte at the end, a lone surrogate: �
    else:
        text = decode(data)
    if text.count("\ufffd") > max(10, len(text) // 50):
        raise ReadError(f"{path}: not readable text in any Chinese encoding (UTF-8, GB18030)")
    lines = text_lines(text)
    if not lines:
        raise ReadError(f"{path}: no text in file")
    return Document(
        path=path, source_format="txt", sha256=sha256_of(data), lines=lines, problems=undecodable(text)
    )
