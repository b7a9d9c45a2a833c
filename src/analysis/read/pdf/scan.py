"""PDFs without a text layer (scans, unmapped fonts): read by OCR when tesseract is installed, else flagged."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from analysis.model.document import Document, Line, sha256_of
from analysis.read._common import text_lines

from .meta import _title
from .page import _FOOTER


def _no_text_layer(
    path: Path, data: bytes, pdf: pdfium.PdfDocument, n_pages: int, unmapped: bool
) -> Document:
    """A scanned (image-only) or unmapped-font PDF: OCR it when tesseract can, else say so."""
    reason = (
        "no text layer: fonts have no Unicode mapping (text extracts as unreadable glyph codes)"
        if unmapped
        else "no text layer: scanned document"
    )
    ocr_lines = _ocr(pdf, n_pages)
    if ocr_lines:
        return Document(
            path=path,
            source_format="pdf",
            sha256=sha256_of(data),
            lines=ocr_lines,
            pages=n_pages,
            title=_title(ocr_lines),
            problems=[
                {
                    "severity": "warning",
                    "check": "ocr",
                    "location": "document",
                    "message": f"{reason}; text read by OCR (tesseract chi_sim): check every value",
                }
            ],
            ocr=True,
        )
    return Document(
        path=path,
        source_format="pdf",
        sha256=sha256_of(data),
        lines=[],
        pages=n_pages,
        problems=[{"severity": "error", "check": "no_text_layer", "location": "document", "message": reason}],
    )


def _tesseract() -> tuple[str, str] | None:
    """(tesseract executable, languages) when tesseract with Simplified Chinese is installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    langs = set(listed.split())
    if "chi_sim" not in langs:
        return None
    return exe, ("chi_sim+eng" if "eng" in langs else "chi_sim")


def _ocr(pdf: pdfium.PdfDocument, n_pages: int) -> list[Line]:
    """OCR every page with tesseract (chi_sim) when it is installed; [] otherwise.

    Rows come out as space-separated text, so they go through the same splitter as pasted text.
    """
    found = _tesseract()
    if found is None:
        return []
    exe, langs = found
    lines: list[Line] = []
    with tempfile.TemporaryDirectory(prefix="govreport-ocr-") as tmp:
        for i in range(n_pages):
            img = Path(tmp) / f"p{i + 1}.png"
            page = pdf[i]
            try:
                page.render(scale=300 / 72, grayscale=True).to_pil().save(img)
            finally:
                page.close()
            try:
                res = subprocess.run(
                    [exe, str(img), "stdout", "-l", langs, "--psm", "6"],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
            except (OSError, subprocess.SubprocessError):
                return []
            if res.returncode != 0:
                return []
            text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", res.stdout)
            text = "\n".join(ln for ln in text.splitlines() if not _FOOTER.match(ln.strip()))
            lines.extend(text_lines(text, page=i + 1))
    return lines
