"""Where each statistical table is in a Document: the line ranges of tables 2, 3 and 4."""

from __future__ import annotations

from analysis.model.document import Line
from analysis.parse.templates import normalize_label

from . import templates


def find_regions(lines: list[Line]) -> dict[str, tuple[int, int]]:
    """Line ranges of table 2, 3 and 4: from their section heading (or first row) to the next."""
    starts: dict[str, int] = {}
    heading_at: dict[str, int] = {}
    anchors = templates.anchors()
    headings = [(p.code, p.regex.search) for p in anchors if p.extra["kind"] == "heading"]
    row_starts = [(p.code, p.regex.search) for p in anchors if p.extra["kind"] == "row"]
    end = anchors[-1].regex.search
    end_heading: list[int] = []
    for i, line in enumerate(lines):
        text = normalize_label(line.text if not line.is_row else "".join(line.cells))
        one_cell = _one_cell(line)
        if one_cell and len(text) <= 40:
            for name, search in headings:
                if search(text):
                    heading_at[name] = i  # the last one: a table of contents repeats the headings earlier
        if line.is_row:
            for name, search in row_starts:
                if search(text):
                    starts.setdefault(name, i)
        # (a row's text is its cells tab-joined here: NFKC may read them otherwise than run together)
        if one_cell and end(text if not line.is_row else normalize_label(line.text)):
            end_heading.append(i)
    out: dict[str, tuple[int, int]] = {}
    begin = {k: heading_at.get(k, starts.get(k)) for k in ("table2", "table3", "table4")}
    order = sorted((v, k) for k, v in begin.items() if v is not None)
    for j, (start, name) in enumerate(order):
        stop = order[j + 1][0] if j + 1 < len(order) else len(lines)
        after = [i for i in end_heading if i > start]
        if after:
            stop = min(stop, after[0])
        out[name] = (start, stop)
    return out


def _one_cell(line: Line) -> bool:
    """A paragraph, or a row with one filled cell (a heading pasted with a trailing tab)."""
    if not line.is_row:
        return True
    filled = 0
    for c in line.cells:
        if c.strip():
            filled += 1
            if filled > 1:
                return False
    return filled == 1
