"""The document's title and date: from its first lines, else from the PDF's metadata."""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from analysis.model.document import Line
from analysis.read._common import iso_date


def _title(lines: list[Line]) -> str | None:
    """The report title from the first page's heading lines ("XX 2024 年…年度报告")."""
    head = [ln.text for ln in lines[:6] if not ln.is_row and (ln.page or 1) == 1]
    for k in range(len(head)):
        if "报告" in head[k]:
            start = max(0, k - 2)
            return "".join(t for t in head[start : k + 1] if len(t) <= 40) or None
    return None


def _meta_title(pdf: pdfium.PdfDocument) -> str | None:
    """The document's /Title when it names a report (a printed web page's <title>, a Word
    document's title): for PDFs whose first page has no title line."""
    try:
        title = (pdf.get_metadata_value("Title") or "").strip()
    except (pdfium.PdfiumError, KeyError, ValueError):
        return None
    return title if ("报告" in title or "年报" in title) and len(title) <= 120 else None


_PDF_DATE = re.compile(r"^(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})")


def _meta_date(pdf: pdfium.PdfDocument) -> str | None:
    """When the file was last made, from /ModDate or /CreationDate (ISO), for telling a corrected
    re-publication from the first one; None when the metadata has no valid date."""
    for key in ("ModDate", "CreationDate"):
        try:
            m = _PDF_DATE.match((pdf.get_metadata_value(key) or "").strip())
        except (pdfium.PdfiumError, KeyError, ValueError):
            continue
        if m and (date := iso_date(*m.groups())):
            return date
    return None
