"""Page items into document lines: tables stitched, borderless rows found, prose joined into paragraphs."""

from __future__ import annotations

import re

from analysis.model.document import Line

from .borderless import _borderless_rows
from .chars import _join_wrapped, _TextLine
from .grid import _Grid
from .page import _PageItems
from .stitch import _Table

# a line that starts a paragraph whatever the previous line looked like
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|[0-9]{1,2}[、．.](?![0-9])|第[一二三四五六七八九十]+[章节条部分])"
)


def _margins(lines: list[_TextLine]) -> tuple[float, float]:
    """The text block's left and right margin: where most full lines start and end."""
    full = [ln for ln in lines if ln.n_chars >= 8]
    if not full:
        full = lines
    lefts = sorted(round(ln.x0) for ln in full)
    rights = sorted(round(ln.x1) for ln in full)
    left = lefts[len(lefts) // 10] if lefts else 0.0
    right = rights[-1 - len(rights) // 10] if rights else 0.0
    return float(left), float(right)


def _assemble(pages: list[_PageItems]) -> list[Line]:
    """Page items → Document lines: grid rows, borderless rows and joined paragraphs."""
    out: list[Line] = []
    table_no = -1
    table: _Table | None = None
    last_kind = None  # kind of the last item emitted ("grid", "row", "line")
    para: list[_TextLine] = []

    def flush() -> None:
        if para:
            out.append(Line([_join_wrapped([p.text for p in para])], page=para[0].page + 1))
            para.clear()

    all_lines = [it[2] for p in pages for it in p.items if it[1] == "line"]
    left, right = _margins(all_lines)  # type: ignore[arg-type]
    for pno, p in enumerate(pages):
        first_on_page = True
        # borderless rows among each stretch of text lines between ruled tables
        rows: dict[int, list[str] | None] = {}
        stretch: list[int] = []
        for idx, (_top, kind, _obj) in enumerate([*p.items, (0.0, "grid", None)]):
            if kind == "line":
                stretch.append(idx)
            elif stretch:
                found = _borderless_rows([p.items[k][2] for k in stretch])  # type: ignore[misc]
                rows.update({stretch[k]: v for k, v in found.items()})
                stretch = []
        for idx, (_top, kind, obj) in enumerate(p.items):
            if kind == "grid":
                flush()
                grid: _Grid = obj  # type: ignore[assignment]
                if table is not None and first_on_page and last_kind == "grid":
                    # a grid at the top of a page continues the last page's table
                    out.extend(table.add(grid, pno + 1))
                else:
                    table_no += 1
                    table = _Table(table_no)
                    out.extend(table.add(grid, pno + 1))
                last_kind = "grid"
            elif idx in rows:
                flush()
                cells = rows[idx]
                if cells:
                    out.append(Line(cells, is_row=True, page=pno + 1))
                last_kind = "row"
            else:
                ln: _TextLine = obj  # type: ignore[assignment]
                if para and (last_kind != "line" or not _continues(para[-1], ln, left, right)):
                    flush()
                para.append(ln)
                last_kind = "line"
            first_on_page = False
    flush()
    return out


def _continues(prev: _TextLine, ln: _TextLine, left: float, right: float) -> bool:
    """True when ``ln`` carries on the paragraph that ``prev`` ends."""
    h = prev.size
    if prev.x1 < right - 1.5 * h:
        return False  # the previous line stopped short: it ended its paragraph
    if ln.x0 > left + 0.9 * h:
        return False  # indented first line
    if abs(ln.size - h) > 0.15 * h:
        return False  # another font size: a heading or a note
    if _HEADING.match(ln.text):
        return False
    if ln.page == prev.page and prev.y0 - ln.y1 > 1.6 * h:
        return False  # a blank line between
    return True
