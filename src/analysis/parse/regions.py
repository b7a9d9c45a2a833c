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
    by_heading = [(p.code, p.regex.search) for p in anchors if p.extra["kind"] == "heading"]
    by_row = [(p.code, p.regex.search) for p in anchors if p.extra["kind"] == "row"]
    ends = anchors[-1].regex.search
    end_heading = []
    for i, line in enumerate(lines):
        text = normalize_label(line.text if not line.is_row else "".join(line.cells))
        one = _one_cell(line)
        if one and len(text) <= 40:
            for name, search in by_heading:
                if search(text):
                    heading_at[name] = i  # the last one: a table of contents repeats the headings earlier
        if line.is_row:
            for name, search in by_row:
                if search(text):
                    starts.setdefault(name, i)
        # (a row's text is tab-joined, normalized on its own)
        if one and ends(text if not line.is_row else normalize_label(line.text)):
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
    return not line.is_row or sum(1 for c in line.cells if c.strip()) == 1
