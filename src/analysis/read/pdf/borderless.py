"""Rows of tables drawn without ruling lines: text lines split at wide gaps, wrapped labels folded in."""

from __future__ import annotations

import numpy as np

from analysis.model.values import is_value_token

from .chars import Char, _gaps, _join_wrapped, _line_text, _TextLine

_NUMERIC = frozenset("0123456789０１２３４５６７８９.,，%％/／—–-－")
_NUMERIC_CODE = np.zeros(0x10000, dtype=bool)  # by code point (U+0000..U+FFFF): in _NUMERIC
_NUMERIC_CODE[[ord(c) for c in _NUMERIC]] = True


def _fragments(line: _TextLine) -> list[tuple[str, float, float]]:
    """Split a text line into (text, x0, x1) cells at wide gaps (tables without ruling lines).

    Between two numeric characters a gap of half a character separates two values; elsewhere
    it takes more than a character's width, so spaced-out prose stays whole.
    """
    chars = line.chars
    if not chars:
        return []
    h = line.size  # _size(chars), kept by the line
    if len(chars) == 1 or max(_gaps(chars)) <= min(1.2 * h, 0.5 * h):  # no gap that could part it
        return [(line.text, chars[0].x0, chars[-1].x1)]
    groups: list[list[Char]] = [[chars[0]]]
    for prev, c in zip(chars, chars[1:], strict=False):
        gap = c.x0 - prev.x1
        numeric = prev.text in _NUMERIC and c.text in _NUMERIC
        if gap > 1.2 * h or (numeric and gap > 0.5 * h):
            groups.append([])
        groups[-1].append(c)
    if len(groups) == 1:  # the whole line: its text is the line's (made the same way, _line_text)
        return [(line.text, chars[0].x0, chars[-1].x1)]
    return [(_line_text(g), g[0].x0, g[-1].x1) for g in groups]


def _value_start(frags: list[tuple[str, float, float]]) -> float | None:
    """x where a line's trailing value cells begin, if it ends in values (a table row)."""
    k = len(frags)
    while k > 0 and is_value_token(frags[k - 1][0]):
        k -= 1
    n_values = len(frags) - k
    if n_values == 0:
        return None
    if k == 0 and n_values < 3:
        return None  # one or two bare numbers: a stray figure, not a row
    return frags[k][1]


def _borderless_rows(lines: list[_TextLine]) -> dict[int, list[str] | None]:
    """Rows of tables drawn without ruling lines, among one page's consecutive text lines.

    Returns {line index: cells} for the line that carries a row's values, and {index: None}
    for label lines that were folded into a row (or dropped). A row's values sit on one line;
    its label may wrap above and below that line, and a merged label spanning several rows
    may stand anywhere beside them. Each label piece goes to the value line nearest to it in
    height; one- or two-character pieces stacked in one column (a vertical merged label such as
    "三、/本/年/度/…") are dropped.
    """
    frags = [ln.frags for ln in lines]  # (_fragments, made as each line's characters were let go)
    starts = [_value_start(f) for f in frags]
    out: dict[int, list[str] | None] = {}
    n = len(lines)
    i = 0
    while i < n:
        if starts[i] is None:
            i += 1
            continue
        xv = starts[i]
        run = [i]
        j = i + 1
        while j < n:
            if starts[j] is not None:
                xv = min(xv, starts[j])
                run.append(j)
                j += 1
                continue
            size = lines[j].size
            label_only = lines[j].x1 < xv - 0.3 * size
            nxt = j + 1 < n and (starts[j + 1] is not None or lines[j + 1].x1 < xv - 0.3 * size)
            if label_only and nxt and any(starts[k] is not None for k in range(j + 1, min(n, j + 7))):
                run.append(j)
                j += 1
                continue
            break
        # a label piece just below the last values line (a merged label cut by the page end)
        while j < n and starts[j] is None and lines[j].x1 < xv - 0.3 * lines[j].size:
            if lines[run[-1]].y0 - lines[j].y1 < 1.0 * lines[j].size:
                run.append(j)
                j += 1
            else:
                break
        # a wrapped label just above the first values line belongs to it
        while run[0] > 0 and starts[run[0] - 1] is None:
            above, first = lines[run[0] - 1], lines[run[0]]
            if above.x1 < xv - 0.3 * above.size and above.y0 - first.y1 < 0.8 * above.size:
                run.insert(0, run[0] - 1)
            else:
                break
        _fold_run(lines, frags, starts, run, xv, out)
        i = j
    # header lines next to a run (cells far apart, no values) are rows too: they name the columns
    in_run = sorted(out)
    for k in range(n):
        if k in out or len(frags[k]) < 2:
            continue
        if any(abs(k - r) <= 3 for r in in_run):
            out[k] = [f[0] for f in frags[k]]
    return out


def _fold_run(lines, frags, starts, run: list[int], xv: float, out: dict) -> None:  # noqa: ANN001
    """Give each label piece of a borderless run to its nearest values line; build the rows."""
    anchors = [k for k in run if starts[k] is not None]
    pieces: list[tuple[int, int, str, float]] = []  # (anchor, line, text, x0)
    for k in run:
        ln = lines[k]
        cy = (ln.y0 + ln.y1) / 2
        for text, x0, _x1 in frags[k]:
            if x0 >= xv - 0.3 * ln.size and is_value_token(text):
                continue
            if starts[k] is not None:
                anchor = k
            else:
                anchor = min(anchors, key=lambda a: abs((lines[a].y0 + lines[a].y1) / 2 - cy))
            pieces.append((anchor, k, text, x0))
    short = [p for p in pieces if len(p[2]) <= 2 and not p[2][:1].isdigit()]
    drop = {
        id(p)
        for p in short
        if any(q is not p and q[1] != p[1] and abs(q[3] - p[3]) < 0.6 * lines[p[1]].size for q in short)
    }
    for k in run:
        out[k] = None
    for a in anchors:
        mine = sorted((p for p in pieces if p[0] == a and id(p) not in drop), key=lambda p: p[3])
        cols: list[list[tuple]] = []
        for p in mine:  # label columns by x; within a column, top to bottom
            if cols and abs(p[3] - cols[-1][0][3]) < 0.8 * lines[p[1]].size:
                cols[-1].append(p)
            else:
                cols.append([p])
        labels = [_join_wrapped([q[2] for q in sorted(col, key=lambda q: q[1])]) for col in cols]
        size = lines[a].size
        values = [t for t, x0, _ in frags[a] if x0 >= xv - 0.3 * size and is_value_token(t)]
        out[a] = labels + values
