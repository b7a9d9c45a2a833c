"""A report as a Word document: headings and paragraphs, the tables with merged cells where the
template spans them (``w:vMerge`` for the vertical label cells, ``w:gridSpan`` for the header's
groups), as Word writes them. The package (styles, settings) is python-docx's default document,
made once; each report's ``word/document.xml`` is written directly (python-docx's cell API takes
~0.3 s per report)."""

from __future__ import annotations

import io
import random
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

from .layout import Grid
from .narrative import Document

FONT = "仿宋_GB2312"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
WIDTH = 9000  # twentieths of a point across the table


@lru_cache(maxsize=1)
def package() -> dict[str, bytes]:
    """The parts of python-docx's default document but word/document.xml."""
    from docx import Document as new_document

    buf = io.BytesIO()
    new_document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist() if n != "word/document.xml"}


def _run(text: str, bold: bool = False, size: int = 24) -> str:
    props = f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}"/>' + ("<w:b/>" if bold else "")
    props += f'<w:sz w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, style: str | None = None, bold: bool = False, center: bool = False) -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ('<w:jc w:val="center"/>' if center else "")
    return f"<w:p><w:pPr>{ppr}</w:pPr>{_run(text, bold) if text else ''}</w:p>"


def _table(grid: Grid) -> str:
    ncols = sum(c.colspan for c in grid[0])
    # who covers each position: (cell, its first row, its first column)
    owner: dict[tuple[int, int], tuple] = {}
    for i, row in enumerate(grid):
        j = 0
        for cell in row:
            while (i, j) in owner:
                j += 1
            for di in range(cell.rowspan):
                for dj in range(cell.colspan):
                    owner[(i + di, j + dj)] = (cell, i, j)
            j += cell.colspan
    col_w = WIDTH // ncols
    rows = []
    for i in range(len(grid)):
        tcs = []
        for j in range(ncols):
            cell, i0, j0 = owner[(i, j)]
            if j != j0:
                continue  # inside a horizontal span: the first column's w:tc covers it
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = ""
            if cell.rowspan > 1:
                merge = '<w:vMerge w:val="restart"/>' if i == i0 else "<w:vMerge/>"
            text = cell.text if i == i0 else ""
            tcpr = f'<w:tcPr><w:tcW w:w="{col_w * cell.colspan}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>'
            tcs.append(f"<w:tc>{tcpr}{_para(text, center=True)}</w:tc>")
        rows.append("<w:tr>" + "".join(tcs) + "</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{col_w}"/>' for _ in range(ncols))
    props = f'<w:tblPr><w:tblW w:w="{WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{BORDERS}</w:tblBorders></w:tblPr>'
    return f"<w:tbl>{props}<w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def document(doc: Document, rng: random.Random) -> bytes:
    """The .docx bytes of the report."""
    body = []
    for b in doc.blocks:
        if b.kind == "title":
            body.append(_para(b.text, style="Title" if rng.random() < 0.5 else None, bold=True, center=True))
        elif b.kind == "heading":
            body.append(_para(b.text, bold=True))
        elif b.kind == "para":
            body.append(_para(b.text))
        else:
            body.append(_table(b.grid))
            body.append(_para(""))
    section = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{"".join(body)}{section}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in package().items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        z.writestr(
            zipfile.ZipInfo("word/document.xml", (2024, 1, 1, 0, 0, 0)),
            xml.encode("utf-8"),
            zipfile.ZIP_DEFLATED,
        )
    return buf.getvalue()
