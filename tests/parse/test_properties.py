"""Property-based tests of the text and HTML table readers: nothing lost, nothing invented.

A generated report — template 2019 or 2021 — is built on the skeleton of a real one: the three
statistical tables of a real page (its labels, its rowspan/colspan headers) or of a real pasted
text, with every number replaced by a random value (counts 0..10^6, signed changes, money with
decimals, some cells blank, "/" or "—"). It is rendered as pasted text (tabs, runs of spaces,
U+3000, NBSP, markdown pipes, one cell per line, trailing spaces, CRLF, full-width digits, labels
wrapped over two lines) or as an HTML page (the real page with its tables replaced), read back
through the reader and ``parse_tables``, and must give every cell exactly: the same ``value``, the
same ``raw``, a blank cell as 0 with raw "" and the cell named in the one ``cell.blank`` warning,
and no issue other than the sums a random table does not keep.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.model import codes
from analysis.model.values import is_value_token
from analysis.parse import templates
from analysis.parse.tables import parse_tables
from analysis.parse.templates import normalize_label
from analysis.read import html as html_reader
from analysis.read import text as text_reader

FIXTURES = Path(__file__).parents[1] / "fixtures"
# examples per test (about 5 s each on one core); PROPERTY_EXAMPLES=2000 for a longer hunt
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Key = tuple[str, ...]  # ("requests", row, applicant) | ("reviews_litigation", …) | ("active_disclosure", …)

# ------------------------------------------------------------------------------ the real skeletons


@dataclass
class Cell:
    """One position of a table: a label (text), a value slot (key) or an empty/covered position."""

    text: str = ""
    key: Key | None = None
    colspan: int = 1
    rowspan: int = 1
    origin: int | None = None  # the group label (rowspan) this covered position belongs to
    group: int | None = None  # id of this group label, when it spans rows below


@dataclass
class Skeleton:
    """The three tables of a real report, numbers taken out."""

    name: str
    template: str
    grid: bool  # True: HTML rows (cells with spans); False: rows of pasted text as printed
    tables: list[list[list[Cell]]]  # table 2, 3, 4: rows of cells


def table_keys(template: str) -> list[list[Key]]:
    """The value slots of tables 2, 3 and 4 in the order the template prints them."""
    t2 = [
        ("active_disclosure", clause, item, metric)
        for clause, items in codes.ACTIVE_DISCLOSURE[template].items()
        for item, metrics in items.items()
        for metric in metrics
    ]
    sixth = {"other"} if template == "2019" else set(codes.OTHER_SUB_ROWS)
    rows = set(codes.expected_request_rows(sixth))
    t3 = [("requests", row, a) for row in codes.REQUEST_ROWS if row in rows for a in codes.APPLICANTS]
    t4 = [("reviews_litigation", p, r) for p in codes.PROCEEDINGS for r in codes.RESULTS]
    return [t2, t3, t4]


_NUMBER = re.compile(r"^-?[0-9][0-9.]*(?:元|万元)?$")
_WS = re.compile(r"[ \t\r\n\xa0\u3000]+")
# whitespace between two CJK characters inside a real label is a wrap artefact ("三、本年度办  理结果")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


@cache
def html_skeleton(name: str, template: str) -> Skeleton:
    """The tables of a real HTML page: its cells and spans, the numbers as slots in template order."""
    root = lxml.html.document_fromstring((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))
    tables = []
    for table, keys in zip(root.xpath("//table"), table_keys(template), strict=True):
        slots = iter(keys)
        rows = []
        for tr in table.iter("tr"):
            row = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                    continue
                text = _CJK_GAP.sub("", _WS.sub(" ", td.text_content()).strip())
                spans = {"colspan": int(td.get("colspan", 1)), "rowspan": int(td.get("rowspan", 1))}
                row.append(Cell(key=next(slots), **spans) if _NUMBER.match(text) else Cell(text, **spans))
            rows.append(row)
        assert next(slots, None) is None, f"{name}: more slots in the template than numbers on the page"
        tables.append(rows)
    return Skeleton(name, template, True, tables)


@cache
def text_skeleton() -> Skeleton:
    """The tables of the real tab-separated text (2019 template), exactly as its lines print them."""
    text = (FIXTURES / "2020_luoyang-tongjiju.txt").read_text(encoding="utf-8")
    body = text[text.index("第二十条第（一）项") : text.index("五、存在的主要问题")]
    parts = re.split(r"\n(?=三、收到和处理|四、政府信息公开行政复议)", body)
    tables = []
    for part, keys in zip(parts, table_keys("2019"), strict=True):
        slots = iter(keys)
        rows = []
        for line in part.split("\n"):
            cells = line.split("\t")
            if "行政复议" not in part or not re.search(r"\d", line) or len(cells) != 15:
                row = [Cell(key=next(slots)) if _NUMBER.match(c) else Cell(c) for c in cells]
            else:  # table 4's value line: all 15 cells are values, the five blank ones too
                row = [Cell(key=next(slots)) for _ in cells]
            rows.append(row)
        assert next(slots, None) is None
        tables.append(rows)
    # a group label ("(三) 不予公开") covers the positions left empty below it, as in the grid
    group = 0
    for rows in tables:
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell.text and _has_label_after(row, c) and _has_slots(row):
                    below = rows[r + 1 :]
                    n = 0
                    while n < len(below) and _covered_by(below[n], c):
                        n += 1
                    if n:
                        cell.group = group
                        for other in below[:n]:
                            other[c].origin = group
                        group += 1
    return Skeleton("2020_luoyang-tongjiju", "2019", False, tables)


def _has_label_after(row: list[Cell], c: int) -> bool:
    return any(x.text for x in row[c + 1 :])


def _has_slots(row: list[Cell]) -> bool:
    return any(x.key for x in row)


def _covered_by(row: list[Cell], c: int) -> bool:
    return (
        len(row) > c and not row[c].text and not row[c].key and _has_label_after(row, c) and _has_slots(row)
    )


SKELETONS = {
    "2019": [
        ("html", "2019_pingtan-zongheshiyanqu"),
        ("html", "2020_pingtan-zongheshiyanqu"),
        ("text", "2020_luoyang-tongjiju"),
    ],
    "2021": [("html", "2021_pingtan-zongheshiyanqu"), ("html", "2025_pingtan-zongheshiyanqu")],
}


def skeleton(kind: str, name: str, template: str) -> Skeleton:
    return text_skeleton() if kind == "text" else html_skeleton(name, template)


@cache
def text_shell() -> tuple[str, str]:
    """The real text around the tables: title and section 一 before, sections 五 and 六 after."""
    text = (FIXTURES / "2020_luoyang-tongjiju.txt").read_text(encoding="utf-8")
    return text[: text.index("二、主动公开政府信息情况")], text[text.index("五、存在的主要问题") :]


@cache
def html_shell() -> list[str]:
    """The real page around its three tables (navigation, narrative, headings between them)."""
    page = (FIXTURES / "2025_pingtan-zongheshiyanqu.html").read_text(encoding="utf-8")
    return re.split(r"<table.*?</table>", page, flags=re.S)


HEADINGS = (
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
)

# --------------------------------------------------------------------------------------- values


@dataclass
class Expected:
    """What the reader must give back for one generated report."""

    template: str
    cells: dict[Key, tuple[float | int, str]] = field(default_factory=dict)  # key -> (value, raw)
    blank: set[str] = field(default_factory=set)  # locations of blank cells


def location(key: Key) -> str:
    table, *rest = key
    number = {"requests": 3, "reviews_litigation": 4, "active_disclosure": 2}[table]
    return " / ".join([f"table {number}", *rest])


FULLWIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@st.composite
def cell_values(draw, keys: list[Key], blanks: tuple[str, ...], fullwidth: bool) -> dict[Key, tuple]:
    """key -> (value, raw, blank) for every slot; blank cells (from ``blanks``) read as 0.

    Blank cells come singly and as whole columns or rows: real reports leave every zero of a
    column blank as often as they leave one cell.
    """
    n = len(keys)
    blank_idx = draw(st.sets(st.integers(0, n - 1), max_size=max(1, n // 5))) if blanks else set()
    if keys[0][0] == "requests" and blanks:
        for a in draw(st.sets(st.sampled_from(codes.APPLICANTS), max_size=3)):
            blank_idx |= {i for i, k in enumerate(keys) if k[2] == a}
    out = {}
    for i, key in enumerate(keys):
        metric = key[3] if key[0] == "active_disclosure" else None
        if i in blank_idx:
            out[key] = (0, draw(st.sampled_from(blanks)), True)
            continue
        if metric in codes.MONEY_METRICS:
            places = draw(st.integers(0, 6))
            amount = draw(st.decimals(0, 10**6, places=places, allow_nan=False, allow_infinity=False))
            raw = f"{amount:f}"
            unit = draw(st.sampled_from(["", "", "", "万元", "元"]))
            if unit == "元":
                amount = amount.quantize(Decimal("0.01"))
                raw = f"{amount:f}"
                value = float(amount / 10000)
            else:
                value = float(amount)
            raw += unit
        elif metric == "change":  # 本年增/减 is signed
            value = draw(st.integers(-(10**6), 10**6))
            raw = draw(st.sampled_from(["+", ""])) + str(value) if value > 0 else str(value)
        else:
            value = draw(st.integers(0, 10**6))
            raw = str(value)
        out[key] = (value, raw.translate(FULLWIDTH) if fullwidth else raw, False)
    return out


# ---------------------------------------------------------------------------- rendering as text


@dataclass
class Out:
    """An emitted text cell: a label, a value's raw text, or empty; ``value`` marks a value cell."""

    text: str
    value: bool = False
    group: int | None = None
    origin: int | None = None
    wrap: bool = False  # a table-3 row label long enough to wrap


def emit(sk: Skeleton, t: int, values: dict[Key, tuple], merged: str) -> list[list[Out]]:
    """A table's rows as the cells a paste gives: a grid row with a rowspan's covered position
    empty; a colspan as one cell ("word") or as the cell and empty ones ("grid")."""
    rows = sk.tables[t]
    if not sk.grid:
        return [[_out(c, values) for c in row] for row in rows]
    out: list[list[Out]] = []
    for line in expand(rows):
        emitted: list[Out] = []
        for kind, cell in line:
            if kind == "origin":
                emitted.append(_out(cell, values))
            elif kind == "below":  # under a rowspan: one empty cell, the group it belongs to
                emitted.append(Out("", origin=cell.group))
            elif merged == "grid":  # the rest of a colspan
                emitted.append(Out(""))
        out.append(emitted)
    return out


def expand(rows: list[list[Cell]]) -> list[list[tuple[str, Cell]]]:
    """The grid positions of each row: ("origin", cell), ("below", cell) for the first column a
    rowspan covers, ("right", cell) for the other columns a span covers."""
    grid: dict[tuple[int, int], tuple[str, Cell]] = {}
    group = 0
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in grid:
                col += 1
            if cell.rowspan > 1 and cell.text and cell.colspan == 1:
                cell.group = group
                group += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    kind = "origin" if (dr, dc) == (0, 0) else "below" if dc == 0 else "right"
                    grid[(r + dr, col + dc)] = (kind, cell)
            col += cell.colspan
    return [[grid[(r, c)] for c in sorted(c for rr, c in grid if rr == r)] for r in range(len(rows))]


def _out(cell: Cell, values: dict[Key, tuple]) -> Out:
    if cell.key:
        return Out(values[cell.key][1], value=True)
    return Out(cell.text, group=cell.group, origin=cell.origin)


WIDTH = 12  # the narrowest label column real tables print: a label that fits is never wrapped


def mark_row_labels(rows: list[list[Out]]) -> None:
    """Table 3's row labels (the last label of a row with values) that are long enough to wrap."""
    for row in rows:
        if any(c.value for c in row):
            labels = [c for c in row if c.text and not c.value]
            if labels and len(labels[-1].text) > WIDTH:
                labels[-1].wrap = True


@st.composite
def wrapped(draw, rows: list[list[Out]], lines_of_rows: bool = True) -> list[list[Out]]:
    """Labels wrapped over two lines the way pasted text wraps them.

    A group label covering rows ("（三）不予公开") comes out split over two of the rows it covers
    ("（三）不予" / "公开"), anywhere in its span, as text from a PDF or a narrow column gives it.
    A long row label is cut mid-phrase (never inside its first 12 characters: real label columns
    are no narrower): its tail on a line of its own below the values (as the real 2020 Luoyang
    text prints "…已获取信" / "息"), or its head on a line of its own above them, or both parts
    above a line of values alone.

    Text with one cell per line (``lines_of_rows`` False) has no line that a row's values share
    with its label: there a label can only come as two lines before its values, and a group
    label, printed once, is never split over rows.
    """
    rows = [list(r) for r in rows]
    # group labels split over two rows of their span
    groups = {c.group for r in rows for c in r if c.group is not None} if lines_of_rows else set()
    for g in sorted(groups):
        if not draw(st.booleans()):
            continue
        places = [
            (i, j) for i, r in enumerate(rows) for j, c in enumerate(r) if c.group == g or c.origin == g
        ]
        first = next(p for p in places if rows[p[0]][p[1]].group == g)
        text = rows[first[0]][first[1]].text
        if len(places) < 2 or len(text) < 4:
            continue
        at = draw(st.integers(0, len(places) - 2))
        cut = draw(st.integers(3, len(text) - 1))
        if looks_like_value(text[:cut]) or names_a_row(text[:cut]) or names_a_row(text[cut:]):
            # "(四) 无" / "法提供": a cell ending in a spaced "无" (none) reads as a label and a value,
            # as "(一) 予以公开 0" does; real group labels wrap without the space ("（四）无" / "法提供").
            # "（六）其他" / "处理": a piece that is itself a row's label ("3.其他") cannot be told from it
            continue
        rows[first[0]][first[1]] = Out("")
        (i1, j1), (i2, j2) = places[at], places[at + 1]
        rows[i1][j1] = Out(text[:cut])
        rows[i2][j2] = Out(text[cut:])
    # long row labels cut over two lines
    out: list[list[Out]] = []
    for row in rows:
        idx = next((j for j, c in enumerate(row) if c.wrap), None)
        if idx is None or not draw(st.integers(0, 3)) == 0:
            out.append(row)
            continue
        text = row[idx].text
        how = draw(
            st.sampled_from(["tail below", "head above", "both above"] if lines_of_rows else ["both above"])
        )
        cut = draw(st.integers(WIDTH, len(text) - 1))
        if looks_like_value(text[:cut]) or looks_like_value(text[cut:]):
            out.append(row)
            continue
        if how == "both above" and not any(c.text.strip() for c in row[idx + 1 :]):
            # every cell blank: the line of values would hold nothing, which text cannot tell from a
            # spacer line, so the row is not read (NA, a row.missing error quoting its label) rather
            # than read as blanks of 0; its label wraps with a piece on the values' line instead (one
            # cell per line prints blanks as placeholders, never as nothing)
            if not lines_of_rows:
                out.append(row)
                continue
            how = "tail below"
        # the label-only line keeps the row's empty cells after the label, or not
        width = len(row) if draw(st.booleans()) else idx + 1
        head, tail = _alone(text[:cut], idx, width), _alone(text[cut:], idx, width)
        if how == "tail below":
            out += [row[:idx] + [Out(text[:cut])] + row[idx + 1 :], tail]
        elif how == "head above":
            out += [head, row[:idx] + [Out(text[cut:])] + row[idx + 1 :]]
        else:
            out += [head, tail, row[:idx] + [Out("")] + row[idx + 1 :]]
    return out


def looks_like_value(part: str) -> bool:
    """A piece of a label ending in a space and a value token ("(四) 无"), which text splits off."""
    words = part.split()
    return len(words) > 1 and is_value_token(words[-1])


def names_a_row(part: str) -> bool:
    """A piece of a group label that is a table-3 row label by itself ("（六）其他" reads as "3.其他")."""
    label = normalize_label(part)
    return any(templates.match_table3_row(label, prev) for prev in (None, "other.fee_unpaid"))


def _alone(part: str, idx: int, width: int) -> list[Out]:
    """A line holding only a piece of a wrapped label, in the label's column."""
    return [Out("") for _ in range(idx)] + [Out(part)] + [Out("") for _ in range(width - idx - 1)]


PAD = ["", "", "", " ", "  ", "\u3000", "\xa0", "\xa0\xa0", " \u3000"]
SPACE_RUNS = ["  ", "   ", "    ", "\u3000\u3000", "\xa0\xa0", " \u3000", "\u3000 ", "\xa0 \xa0"]
SINGLE = [" ", "\u3000", "\xa0"]


def render_line(cells: list[Out], layout: str, rnd) -> list[str]:  # noqa: ANN001
    """One row as pasted text lines in ``layout`` (a row is one line, or one line per cell)."""
    texts = [c.text for c in cells]
    if layout == "tab":
        line = "\t".join(rnd.choice(PAD) + t + rnd.choice(PAD) if t else rnd.choice(PAD) for t in texts)
        return [line]
    if layout == "markdown":
        return ["| " + " | ".join(rnd.choice(PAD) + t + rnd.choice(PAD) for t in texts) + " |"]
    kept = [c for c in cells if c.text]
    if layout == "cells":
        return [rnd.choice(PAD) + c.text + rnd.choice(PAD) for c in kept]
    # space: a run of spaces between cells; one space may do between numbers
    parts = []
    for i, c in enumerate(kept):
        if i:
            sep = (
                rnd.choice(SPACE_RUNS + SINGLE * 2)
                if c.value and kept[i - 1].value
                else rnd.choice(SPACE_RUNS)
            )
            parts.append(sep)
        parts.append(c.text)
    return [(rnd.choice(PAD) if rnd.random() < 0.3 else "") + "".join(parts)]


class TextCase:
    """A generated text report; a falsifying example prints as its tables' lines."""

    def __init__(self, data: bytes, expected: Expected, lines: list[str]) -> None:
        self.data, self.expected, self.lines = data, expected, lines

    def __repr__(self) -> str:
        return "TextCase(lines=[\n" + "".join(f"    {ln!r},\n" for ln in self.lines) + "])"


# a blank cell keeps its place only where cells keep their positions (tabs, pipes); in text
# separated by spaces or one cell per line a blank cell vanishes, so there blanks are printed
# as placeholders ("/", "—"), as such reports print them
POSITIONAL_BLANKS = ("", "", "", "/", "—")
PLACEHOLDERS = ("/", "—", "——", "／", "-", "无")


@st.composite
def text_reports(
    draw,
    template: str | None = None,
    source: str | None = None,
    layout: str | None = None,
    merged: str | None = None,
    wraps: bool = True,
    blank: bool = True,
    fullwidth: bool | None = None,
) -> TextCase:
    """A report as pasted text; every choice is drawn unless given (to pin one variant)."""
    template = template or draw(st.sampled_from(["2019", "2021"]))
    kind, name = (
        next(s for s in SKELETONS[template] if s[1] == source)
        if source
        else draw(st.sampled_from(SKELETONS[template]))
    )
    sk = skeleton(kind, name, template)
    layout = layout or draw(st.sampled_from(["tab", "tab", "space", "markdown", "cells"]))
    merged = merged or draw(st.sampled_from(["word", "grid"]))
    fullwidth = draw(st.integers(0, 4)) == 0 if fullwidth is None else fullwidth
    blanks = POSITIONAL_BLANKS if layout in ("tab", "markdown") else PLACEHOLDERS
    expected = Expected(template)
    values: dict[Key, tuple] = {}
    for keys in table_keys(template):
        values.update(draw(cell_values(keys, blanks if blank else (), fullwidth)))
    rnd = draw(st.randoms(use_true_random=False))
    lines: list[str] = []
    for t, heading in enumerate(HEADINGS):
        rows = emit(sk, t, values, merged)
        if t == 1 and wraps:
            mark_row_labels(rows)
            rows = draw(wrapped(rows, lines_of_rows=layout != "cells"))
        lines += ["", heading, ""] if t else [heading, ""]
        for row in rows:
            lines += render_line(row, layout, rnd)
            if layout == "markdown" and row is rows[0]:
                lines.append("|" + "---|" * len(row))
    head, tail = text_shell()
    ends = ["", "", " ", "  ", "\u3000", "\xa0"] + (["\t"] if layout == "tab" else [])
    lines = [ln + rnd.choice(ends) for ln in lines]  # trailing spaces
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = (head + "\n".join(lines) + "\n\n" + tail).replace("\n", eol)
    for key, (value, raw, blank) in values.items():
        expected.cells[key] = (value, raw)
        if blank:
            expected.blank.add(location(key))
    return TextCase(text.encode("utf-8"), expected, lines)


# ----------------------------------------------------------------------------- rendering as HTML


def html_table(rows: list[list[Cell]], values: dict[Key, tuple], rnd, wrap: bool) -> str:  # noqa: ANN001
    """A <table> with the real page's spans; cells padded, wrapped and marked up like real pages."""
    out = ["<table border=1 cellspacing=0><tbody>"]
    for row in rows:
        out.append("<tr>")
        for cell in row:
            attrs = "".join(
                f' {a}="{n}"' for a, n in (("colspan", cell.colspan), ("rowspan", cell.rowspan)) if n > 1
            )
            if cell.key:
                raw = values[cell.key][1]
                text = rnd.choice(HTML_PAD) + raw + rnd.choice(HTML_PAD)
            else:
                text = cell.text
                if wrap and len(text) >= 9 and rnd.random() < 0.4:  # a narrow column wraps it
                    cut = rnd.randrange(4, len(text) - 1)
                    text = (
                        text[:cut]
                        + rnd.choice(["<br>", "<br/>", "\n", " &nbsp; &nbsp;", "</span><span>"])
                        + text[cut:]
                    )
            wrapper = rnd.choice(
                [
                    "{}",
                    "<p>{}</p>",
                    "<p><span>{}</span></p>",
                    '<p style="text-align:center"><span style="font-size:14px">{}</span></p>',
                ]
            )
            out.append(f"<td{attrs} valign=middle>{wrapper.format(text)}</td>")
        out.append("</tr>\n")
    out.append("</tbody></table>")
    return "".join(out)


HTML_PAD = ["", "", "", "&nbsp;", "&nbsp;&nbsp;&nbsp;", " ", "\n", "\u3000", "&#12288;"]


class HtmlCase:
    """A generated HTML page; a falsifying example prints as its three tables."""

    def __init__(self, data: bytes, expected: Expected, tables: str) -> None:
        self.data, self.expected, self.tables = data, expected, tables

    def __repr__(self) -> str:
        return f"HtmlCase(tables=\n{self.tables}\n)"


@st.composite
def html_reports(draw, template: str | None = None) -> HtmlCase:
    template = template or draw(st.sampled_from(["2019", "2021"]))
    names = [name for kind, name in SKELETONS[template] if kind == "html"]
    sk = html_skeleton(draw(st.sampled_from(names)), template)
    fullwidth = draw(st.integers(0, 4)) == 0
    blanks = ("", "", "", "/", "—")  # an empty cell is often a no-break space: see HTML_PAD
    expected = Expected(template)
    values: dict[Key, tuple] = {}
    for keys in table_keys(template):
        values.update(draw(cell_values(keys, blanks, fullwidth)))
    rnd = draw(st.randoms(use_true_random=False))
    wrap = draw(st.booleans())
    tables = [html_table(rows, values, rnd, wrap) for rows in sk.tables]
    shell = html_shell()
    page = shell[0] + tables[0] + shell[1] + tables[1] + shell[2] + tables[2] + shell[3]
    for key, (value, raw, blank) in values.items():
        expected.cells[key] = (value, raw)
        if blank:
            expected.blank.add(location(key))
    return HtmlCase(page.encode("utf-8"), expected, "\n".join(tables))


# ---------------------------------------------------------------------------------------- checks

ARITHMETIC = ("table3.", "table4.")  # random tables do not add up: those errors are expected


def read_cells(tables) -> dict[Key, tuple]:  # noqa: ANN001
    got: dict[Key, tuple] = {}
    for name, cols in (
        ("requests", ("row", "applicant")),
        ("reviews_litigation", ("proceeding", "result")),
        ("active_disclosure", ("clause", "item", "metric")),
    ):
        for rec in getattr(tables, name):
            key = (name, *(rec[c] for c in cols))
            assert key not in got, f"{key} read twice"
            got[key] = (rec["value"], rec["raw"])
    return got


def assert_read_exactly(tables, expected: Expected) -> None:  # noqa: ANN001
    got = read_cells(tables)
    want = expected.cells
    wrong = [
        f"{k}: generated {want.get(k)}, read {got.get(k)}"
        for k in sorted(want.keys() | got.keys())
        if got.get(k) != want.get(k)
    ]
    assert not wrong, f"{len(wrong)} cells differ:\n" + "\n".join(wrong[:20])
    others = [
        i for i in tables.issues if i["check"] != "cell.blank" and not i["check"].startswith(ARITHMETIC)
    ]
    assert others == []
    blank = [i for i in tables.issues if i["check"] == "cell.blank"]
    if expected.blank:
        [issue] = blank
        assert issue["severity"] == "warning"
        assert set(issue["location"].split("; ")) == expected.blank
        assert issue["actual"] == str(len(expected.blank))
    else:
        assert blank == []
    assert tables.template == expected.template


# ----------------------------------------------------------------------------------------- tests


@SETTINGS
@given(case=text_reports())
def test_pasted_text_tables_come_back_exactly(case: TextCase) -> None:
    doc = text_reader.read(Path("generated.txt"), case.data)
    assert_read_exactly(parse_tables(doc), case.expected)


@SETTINGS
@given(case=html_reports())
def test_html_tables_come_back_exactly(case: HtmlCase) -> None:
    doc = html_reader.read(Path("generated.html"), case.data)
    assert_read_exactly(parse_tables(doc), case.expected)


def test_skeletons_hold_every_slot_of_their_template() -> None:
    """The generator's base: each real report's tables give one slot per cell of its template."""
    for template, entries in SKELETONS.items():
        for kind, name in entries:
            sk = skeleton(kind, name, template)
            keys = [c.key for rows in sk.tables for row in rows for c in row if c.key]
            assert sorted(keys) == sorted(k for ks in table_keys(template) for k in ks), name


# ------------------------------------------------------------- regressions found by the properties


def read_text(lines: list[str]):  # noqa: ANN201
    """parse_tables over pasted text given as lines."""
    return parse_tables(text_reader.read(Path("regression.txt"), "\n".join(lines).encode("utf-8")))


def table3_raws(tables) -> dict[str, list[str]]:  # noqa: ANN001
    out: dict[str, list[str]] = {}
    for r in tables.requests:
        out.setdefault(r["row"], []).append(r["raw"])
    return out


TABLE2_2021 = [
    "二、主动公开政府信息情况\t",  # a heading pasted with a trailing tab is still the heading
    "第二十条第（一）项",
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
    "规章\t1\t2\t3",
    "行政规范性文件\t4\t5\t6",
    "第二十条第（五）项",
    "信息内容\t本年处理决定数量",
    "行政许可\t",  # every cell blank: read as blank, not dropped
    "第二十条第（六）项",
    "信息内容\t本年处理决定数量",
    "行政处罚\t8",
    "行政强制\t9",
    "第二十条第（八）项",
    "信息内容\t本年收费金额（单位：万",  # the header wrapped inside its unit: still 万元
    "\t元）",
    "行政事业性收费\t24252.311082",
]


def test_table2_with_a_heading_tab_a_blank_row_and_a_wrapped_unit() -> None:
    tables = read_text(TABLE2_2021 + ["三、收到和处理政府信息公开申请情况"])
    got = {(r["item"], r["metric"]): (r["value"], r["raw"]) for r in tables.active_disclosure}
    assert got[("regulation", "in_force")] == (3, "3")
    assert got[("administrative_license", "decisions")] == (0, "")
    assert got[("administrative_fee", "fee_amount")] == (24252.311082, "24252.311082")
    assert len(got) == 10 and tables.template == "2021"
    [blank] = [i for i in tables.issues if i["check"] == "cell.blank"]
    assert blank["location"] == "table 2 / 20.5 / administrative_license / decisions"


def test_header_money_unit_wrapped_inside_the_unit() -> None:
    from analysis.model.values import header_money_unit

    assert header_money_unit("本年收费金额（单位：万 元）") == "万元"
    assert header_money_unit("采购总金额（单位:万\n元）") == "万元"
    assert header_money_unit("采购总金额（元）") == "元"


def test_table2_header_cells_set_apart_by_runs_of_spaces() -> None:
    """The real table 2 with its tabs turned into runs of spaces: a header line has no number in it,
    so it is read as text, and its cells must still be told apart."""
    start, end = SEED_TEXT.index("第二十条第（一）项"), SEED_TEXT.index("三、收到和处理")
    spaced = SEED_TEXT[start:end].replace("\t", "\u3000\u3000")
    tables = read_text([SEED_TEXT[:start] + spaced + "三、收到和处理政府信息公开申请情况"])
    got = {(r["item"], r["metric"]): r["value"] for r in tables.active_disclosure}
    assert got[("regulation", "total_published")] == 0
    assert got[("other_management_service", "change")] == 4
    assert got[("administrative_penalty", "prev_year_items")] == 0
    assert got[("administrative_penalty", "change")] == 8
    assert got[("centralized_procurement", "procurement_amount")] == 61.8
    assert len(got) == 22


SEED_TEXT = (FIXTURES / "2020_luoyang-tongjiju.txt").read_text(encoding="utf-8")


def test_one_cell_per_line_padded_with_no_break_spaces() -> None:
    """Cells copied from a web page keep their &nbsp; padding: a padded number is still one cell."""
    start, end = SEED_TEXT.index("(本列数据"), SEED_TEXT.index("四、政府信息公开行政复议")
    cells = [c for c in SEED_TEXT[start:end].replace("\t", "\n").splitlines() if c.strip()]
    padded = "\n".join(f"\xa0\xa0{c}\xa0\xa0\xa0" for c in cells)
    text = SEED_TEXT[:start] + padded + "\n" + SEED_TEXT[end:]
    tables = parse_tables(text_reader.read(Path("x.txt"), text.encode("utf-8")))
    raws = table3_raws(tables)
    assert raws["new_received"] == ["7", "0", "0", "0", "0", "0", "7"]
    assert raws["unavailable.not_held"] == ["2", "0", "0", "0", "0", "0", "2"]
    assert len(tables.requests) == 23 * 7


def test_blank_applicant_columns_in_the_real_tab_text() -> None:
    """Reports leave whole columns blank (no requests from research bodies): in tab text whose rows
    are not aligned to one grid, a position empty in every row is not taken for layout when the
    header names an applicant there; before, 科研机构 and 社会公益组织 left blank shifted every
    top row by one."""
    start, end = SEED_TEXT.index("一、本年新收"), SEED_TEXT.index("四、政府信息公开行政复议")
    lines = []
    for line in SEED_TEXT[start:end].split("\n"):
        cells = line.split("\t")
        numbers = [i for i, c in enumerate(cells) if c.strip().isdigit()]
        if len(numbers) == 7:
            for k in (2, 3):  # research, social_welfare
                cells[numbers[k]] = ""
        lines.append("\t".join(cells))
    text = SEED_TEXT[:start] + "\n".join(lines) + SEED_TEXT[end:]
    tables = parse_tables(text_reader.read(Path("x.txt"), text.encode("utf-8")))
    raws = table3_raws(tables)
    assert raws["new_received"] == ["7", "0", "", "", "0", "0", "7"]
    assert raws["partially_granted"] == ["5", "0", "", "", "0", "0", "5"]
    assert raws["unavailable.not_held"] == ["2", "0", "", "", "0", "0", "2"]
    assert [i for i in tables.issues if i["severity"] == "error"] == []


def _figures(n: int) -> str:
    return "\t".join(f"{n}{k}" for k in range(1, 8))


# table 3 (2021 template, as Word pastes it: a colspan is one cell, a rowspan leaves empty cells
# below) with labels wrapped the ways pasted text and PDF text wrap them; row n prints n1 … n7
WRAPPED_TABLE3 = [
    "三、收到和处理政府信息公开申请情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
    "\t自然人\t法人或其他组织\t总计",
    "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    # head above the figures, on a line that keeps the row's empty cells
    "一、本年新收政府信息公开\t\t\t\t\t\t\t\t",
    f"申请数量\t{_figures(1)}",
    f"二、上年结转政府信息公开申请数量\t{_figures(2)}",
    f"三、本年度办理结果\t（一）予以公开\t{_figures(3)}",
    # head and tail above, figures on a line of their own
    "\t（二）部分公开（区分处理的，只计这一情",
    "\t形，不计其他情形）",
    f"\t\t{_figures(4)}",
    # a group label split over two rows of its span
    f"\t（三）不予\t1.属于国家秘密\t{_figures(5)}",
    f"\t公开\t2.其他法律行政法规禁止公开\t{_figures(6)}",
    f"\t\t3.危及“三安全一稳定”\t{_figures(7)}",
    f"\t\t4.保护第三方合法权益\t{_figures(8)}",
    f"\t\t5.属于三类内部事务信息\t{_figures(9)}",
    f"\t\t6.属于四类过程性信息\t{_figures(10)}",
    f"\t\t7.属于行政执法案卷\t{_figures(11)}",
    f"\t\t8.属于行政查询事项\t{_figures(12)}",
    f"\t（四）无法提供\t1.本机关不掌握相关政府信息\t{_figures(13)}",
    f"\t\t2.没有现成信息需要另行制作\t{_figures(14)}",
    # tail below the figures: the head alone names no row ("仍不明" is not "仍不明确")
    f"\t\t3.补正后申请内容仍不明\t{_figures(15)}",
    "\t\t确",
    f"\t（五）不予处理\t1.信访举报投诉类申请\t{_figures(16)}",
    f"\t\t2.重复申请\t{_figures(17)}",
    f"\t\t3.要求提供公开出版物\t{_figures(18)}",
    f"\t\t4.无正当理由大量反复申请\t{_figures(19)}",
    f"\t\t5.要求行政机关确认或重新出具已获取信\t{_figures(20)}",
    "\t\t息\t\t\t\t\t\t\t",  # (as the real Luoyang text prints it)
    # head and tail above; the group label on the line of the figures of its first row
    "\t\t1.申请人无正当理由逾期不补正、行\t\t\t\t\t\t\t",
    "\t\t政机关不再处理其政府信息公开申请\t\t\t\t\t\t\t",
    f"\t（六）其他处理\t\t{_figures(21)}",
    # head above with the row's empty cells; the tail with the figures names the same row again
    "\t\t2.申请人逾期未按收费通知\t\t\t\t\t\t\t",
    f"\t\t要求缴纳费用、行政机关不再处理其政府信息公开申请\t{_figures(22)}",
    f"\t\t3.其他\t{_figures(23)}",
    f"\t（七）总计\t{_figures(24)}",
    f"四、结转下年度继续办理\t{_figures(25)}",
    "四、政府信息公开行政复议、行政诉讼情况",
]


def test_table3_labels_wrapped_every_way_pasted_text_wraps_them() -> None:
    tables = read_text(WRAPPED_TABLE3)
    raws = table3_raws(tables)
    rows = [r for r in codes.REQUEST_ROWS if r != "other"]
    assert list(raws) == rows
    for n, row in enumerate(rows, start=1):
        assert raws[row] == [f"{n}{k}" for k in range(1, 8)], row
    assert [
        i for i in tables.issues if i["check"] != "table.missing" and not i["check"].startswith(ARITHMETIC)
    ] == []
