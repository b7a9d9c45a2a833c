"""Table 3 (依申请公开) rows → requests records (row × applicant), in three steps: ``layout`` (each line's
label and figures), ``classify`` (those → template rows, labels wrapped over lines put back together),
then each row's value cells read under the applicant columns the header names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from analysis.model import codes, labels
from analysis.model.document import Line
from analysis.model.issues import issue
from analysis.model.values import is_value_token
from analysis.parse.templates import normalize_label

from . import templates
from .result import TableResult
from .rows import fit_values, label_end, split_label, structural_columns

N_APPLICANTS = len(codes.APPLICANTS)


# a numbered sub-row's label ("9.属于…"): beside figures, it is a row of its own, not a wrapped group label
_SUB_ROW = re.compile(r"^\d+[.、]")
# a table-3 label that starts a row by its number: 一、 (一) 1.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


@dataclass(frozen=True)
class Piece:
    """One line of table 3 as laid out: its label and its figures, before any template is consulted.

    ``label`` joins every label cell of the line (a group's label, "（六）其他处理", may sit in a cell
    before the row's own); ``own`` is the last label cell alone, ``at`` its column (-1 when the line
    has none); ``figures`` are the value cells after the label, without the positions a spanning cell
    covers; ``filled``: some figure is printed (the value cells are not all empty).
    """

    line: Line
    label: str
    own: str
    at: int
    figures: list[tuple[int, str]]
    filled: bool

    @property
    def text_only(self) -> bool:
        """No figures, and fewer value cells than columns: label text, which says nothing of the columns."""
        return not self.filled and len(self.figures) < N_APPLICANTS

    @property
    def merged_above(self) -> frozenset[int]:
        """A numbered row with no value cell of its own: the positions right of its label that a cell
        merged from a row above covers (rowspan), else none."""
        if self.figures or not _NUMBERED.match(self.own):
            return frozenset()
        return frozenset(i for i in self.line.covered_above if i > self.at)


def layout(rows: list[Line]) -> list[Piece]:
    """Pass 1: each line of table 3 → its label, its own label cell and its figures."""
    pieces = []
    for line in rows:
        at = label_end(line.cells)
        label, figures = split_label(line.cells, line.covered, at)
        own = normalize_label(line.cells[at]) if at >= 0 else ""
        pieces.append(Piece(line, label, own, at, figures, any(v.strip() for _, v in figures)))
    return pieces


@dataclass
class Classified:
    """Pass 2's result: the template rows read, in order, each with its value cells; the lines above
    the first (the column headers); the issues met."""

    rows: list[tuple[str, list[tuple[int, str]]]]
    header: list[Line]
    issues: list[dict]
    # rows printed with their value cells merged from a row above: code -> (that row's code, its label)
    merged: dict[str, tuple[str, str]]
    # rows whose label is printed with no cells before the next row's: code -> the label as printed
    bare: dict[str, str]


def classify(pieces: list[Piece]) -> Classified:
    """Pass 2: pieces → template rows (parse/templates), putting back together a label wrapped over
    lines and figures printed on a line of their own."""
    reader = _Classifier()
    header: list[Line] = []
    for piece in pieces:
        if not reader.rows:
            header.append(piece.line)
        reader.read(piece)
    return Classified(reader.rows, header, reader.issues, reader.merged, reader.bare)


def _right_of(line: Line, vals: list[tuple[int, str]], end: int) -> list[tuple[int, str]]:
    """The value cells of a line right of a label printed above it (its own label cell is empty)."""
    return [(i, line.cells[i]) for i in range(end, len(line.cells)) if i not in line.covered] or vals


def _match(label: str, previous: str | None) -> str | None:
    return templates.match_table3_row(label, previous)


class _Classifier:
    """Reads the pieces one by one; its attributes are what the pieces read so far leave open for
    the next: a label begun, figures whose label is not ended, a row whose figures are still to come."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, list[tuple[int, str]]]] = []
        self.read_codes: set[str] = set()  # the codes in ``rows`` (each once: a row is read once)
        self.issues: list[dict] = []
        self.previous: str | None = None  # the code last read: some rows are told by the row before
        self.pending = ""  # label text with no figures: the start of a label wrapped onto the row below
        self.pending_end = 0  # the column after that text: the figures of its row are right of it
        self.held: tuple[str, list] | None = None  # figures whose label names no row: it may end below
        self.blank: tuple[int, int] | None = None  # (row, column after its label) read with no figures
        self.last: tuple[str, str | None] | None = None  # the label of the row just read, the code before
        self.merged: dict[str, tuple[str, str]] = {}  # rows whose value cells a row above's span
        self.labels: dict[str, str] = {}  # each row read: its label as printed (normalized)
        self.bare: dict[str, str] = {}  # rows named by label text alone, the next row's label below it

    def read(self, p: Piece) -> None:
        """Read one piece: the end of a label above, label text, figures alone, or a row."""
        if not p.filled and p.label and not self.pending and not _NUMBERED.match(p.label):
            if self._ends_label_above(p):
                return
        self.held = None
        if p.merged_above and self._merged(p):
            return
        if p.text_only:  # label text only: may start the next row's label
            if p.label:  # (a line of text alone says nothing of the columns)
                end = p.at + 1 if len(p.line.cells) > 1 else 0
                self.pending, self.pending_end = (self.pending + p.label)[-80:], end
            return
        if not p.label and not self.pending:
            if p.filled and self.blank is not None:  # figures on a line of their own below a wrapped label
                self._give_blank(p.line, p.figures, self.blank[1])
            return
        self._row(p)

    def _merged(self, p: Piece) -> bool:
        """A row of the template whose value cells are merged from the row above (rowspan): it is
        read with no cells and noted in ``merged``; False when the piece names no row not yet read
        or the row above does not print figures under the merged positions."""
        origin = next(((c, v) for c, v in reversed(self.rows) if c not in self.merged), None)
        code = self._unread(self._name(p)[0])
        if code is None or origin is None:
            return False
        printed = {i for i, v in origin[1] if v.strip()}
        if not printed or not printed <= p.merged_above:
            return False
        if not self._add(code, [], p.label):
            return False
        self.merged[code] = (origin[0], self.labels.get(origin[0], ""))
        self.pending, self.blank = "", None
        return True

    def _ends_label_above(self, p: Piece) -> bool:
        """Label text with no number of its own: the end of a label wrapped below the figures above.
        True when it ends one (of the held figures, or of the row just read)."""
        if self.held:
            code = _match(self.held[0] + p.label, self.previous)
            if code and self._add(code, self.held[1], self.held[0] + p.label):
                self.held = self.blank = None
                return True
        elif self.last:
            code = _match(self.last[0] + p.label, self.last[1])
            if code and (code == self.previous or self._unread(code)):
                self.read_codes.discard(self.rows[-1][0])
                self.read_codes.add(code)
                self.rows[-1] = (code, self.rows[-1][1])  # the whole label may name another row
                self.last, self.previous = (self.last[0] + p.label, self.last[1]), code
                return True
        return False

    def _name(self, p: Piece) -> tuple[str | None, bool]:
        """The row a line with figures (or a row of empty cells) names, with the label text above it;
        and whether that text is part of its label (so its figures are right of that text)."""
        pending, label, own = self.pending, p.label, p.own
        code = None
        if _NUMBERED.match(pending) and not _NUMBERED.match(own):
            # a row's label begun on the lines above and ended here: "（二）部分公开（…只计这一情" / "形…）"
            # (its own cell first: a group's label cell may sit between, "三、本年度 | 开", "（六）其他处理 | 补正、…")
            code = self._unread(_match(pending + own, self.previous))
            if code is None and own != label:
                code = self._unread(_match(pending + label, self.previous))
        if code is None and label:
            code = _match(label, self.previous)
            above = code is None
            sub = self._unread(_match(pending + label, self.previous)) if pending else None
            if code and sub and sub != code and codes.outcome_group(sub) == code:
                code, above = sub, True  # "（六）其他处理" on the line of the figures of its first row
        else:
            above = True
        if code is None and pending:  # (text above naming a row already read does not name this one)
            code = self._unread(_match(pending + label, self.previous))
        return code, above

    def _row(self, p: Piece) -> None:
        """A line with figures, or with a label and a row of empty cells."""
        code, above = self._name(p)
        vals, label, at = p.figures, p.label, p.at
        if code and self.pending and above and at + 1 < self.pending_end:
            vals = _right_of(p.line, vals, self.pending_end)
        before, self.pending = self.pending, ""
        if before and code is not None and not above:  # the text above is left: did it name a row?
            named = self._unread(_match(before, self.previous))
            if named is not None and named != code:
                self.bare.setdefault(named, before)
        if code is None:
            if p.filled and self.blank is not None:
                # the figures of the row above, whose label was wrapped onto the lines above them
                # (the label here is its end, after the label of the rows it heads: "（四）无法提供 信息")
                if _SUB_ROW.match(label):
                    # …but a numbered label of its own may be a row the template does not have: say so
                    waiting = self.rows[self.blank[0]][0]
                    self.issues.append(
                        issue(
                            "warning",
                            "row.unmatched",
                            f"table 3 / {waiting}",
                            f"figures printed beside '{label[:30]}' (no row of the template) read as row "
                            f"{waiting}, whose own cells are empty: check the table",
                        )
                    )
                self._give_blank(p.line, vals, max(self.blank[1], at + 1))
            elif p.filled:
                self.held = (label, vals)
            else:  # label text and empty cells: may start the next row's label
                self.pending, self.pending_end = (before + label)[-80:], at + 1
            return
        waiting = self.rows[self.blank[0]][0] if self.blank is not None else ""
        if p.filled and self.blank is not None and code in (waiting, codes.outcome_group(waiting)):
            # the end of the label above, with its figures ("…收费通知" / "要求缴纳费用… 0 0 0"), or
            # "（六）其他处理" heading its rows, printed on the line of the figures of the first one
            self._give_blank(p.line, vals, max(self.blank[1], at + 1))
            return
        if self._add(code, vals, label):
            self.blank = None if p.filled else (len(self.rows) - 1, at + 1)

    def _give_blank(self, line: Line, vals: list[tuple[int, str]], end: int) -> None:
        """The figures of the row read with none (``blank``): the value cells of this line right of end."""
        assert self.blank is not None
        at = self.blank[0]
        self.rows[at] = (self.rows[at][0], _right_of(line, vals, end))
        self.blank = None

    def _add(self, code: str, vals: list[tuple[int, str]], label: str) -> bool:
        """Read a row; False (and a warning) when the row was read already: the first is kept."""
        if code in self.read_codes:
            self.issues.append(
                issue(
                    "warning",
                    "row.duplicate",
                    f"table 3 / {code}",
                    f"row {code} printed twice ('{label[:30]}'); the first is kept",
                )
            )
            return False
        self.last = (label, self.previous)
        self.labels[code] = label
        self.rows.append((code, vals))
        self.read_codes.add(code)
        self.previous = code
        return True

    def _unread(self, code: str | None) -> str | None:
        """The code, unless its row was read already."""
        return None if code in self.read_codes else code


def parse_table3(rows: list[Line]) -> TableResult:
    """Table 3 rows → requests records (row × applicant) and issues: lines laid out (pass 1), matched
    to template rows (pass 2), and each row's value cells read under the applicant columns."""
    out = TableResult()
    read = classify(layout(rows))
    out.issues += read.issues
    header = read.header
    matched = _drop_other_header(read.rows, out.issues)
    out.issues += missing_rows({c for c, _ in matched}, read.bare)
    out.issues += merged_issues(read.merged, grid=True)
    matched = [(c, v) for c, v in matched if c not in read.merged]
    structural = structural_columns([v for _, v in matched]) - _applicant_header_columns(rows)
    columns = table3_columns(header, [v for _, v in matched], structural)
    if columns is None:
        columns = list(codes.APPLICANTS)
    else:
        out.issues += _column_issues(columns)
    unfit: list[tuple[str, list[tuple[int, str]]]] = []
    fits = [(code, vals, fit_values(vals, len(columns), structural)) for code, vals in matched]
    shared = Counter(len(_strip_empty(vals)) for _, vals, fitted in fits if fitted is None)
    for code, vals, fitted in fits:
        if fitted is not None and shared[len(_strip_empty(vals))] > 1:
            # it fits only with an empty cell at an end, and rows that do not fit have as many cells
            # without it: a column added or dropped, so the empty cell is padding and the row shifted
            fitted = None
        if fitted is None:
            unfit.append((code, vals))
            continue
        for applicant, (_, raw) in zip(columns, fitted, strict=True):
            if applicant not in codes.APPLICANTS:
                continue  # a column the template does not have (reported once above)
            out.records.append(
                out.cell(f"table 3 / {code} / {applicant}", {"row": code, "applicant": applicant}, raw)
            )
    out.issues += _unfit_rows(unfit, columns, len(matched))
    return out


def _applicant_header_columns(rows: list[Line]) -> set[int]:
    """In pasted text, the columns a header above the first row of figures names by an applicant
    (自然人 … 总计): value columns, not layout, even when every cell under them is blank. (Text rows
    are not aligned to one grid, so a position empty in every row may be a blank column.)"""
    names = set(labels.APPLICANT_LABELS.values())
    out: set[int] = set()
    for line in rows:
        if line.table is not None:
            return set()  # a grid: its columns are aligned, layout columns are told by their emptiness
        if any(v.strip() for _, v in split_label(line.cells, line.covered)[1]):
            break
        out |= {i for i, c in enumerate(line.cells) if normalize_label(c) in names}
    return out


# the header cells of table 3 that group columns rather than name one
_GROUP_HEADERS = ("申请人情况", "法人或其他组织", "勾稽", "数据项目")


def applicant_of(name: str) -> str | None:
    """The applicant code a table-3 column header names ('社会公益组织', '社会公益' → social_welfare)."""
    for code, label in labels.APPLICANT_LABELS.items():
        if name.startswith(label) or (len(name) >= 2 and label.startswith(name)):
            return code
    return "total" if name == "合计" else None


def table3_columns(
    header: list[Line], rows: list[list[tuple[int, str]]], structural: set[int] = frozenset()
) -> list[str] | None:
    """The value columns of table 3 in printed order, from its header, when the header names a set
    other than the template's seven (a column missing, or one the template does not have); an
    applicant code for each known column, the printed name for another. None when the header names
    the seven, cannot be trusted (no 自然人 or 总计, fewer than five known names, a name twice), or
    most rows do not have as many value cells as it names: the rows are then read by the template.

    In a grid (HTML, Word, PDF) the columns are ordered by their position; in text, where columns are
    not positioned, 自然人 comes first, 总计 last and the others in reading order.
    """
    leaves: list[tuple[int | None, str]] = []  # (grid column or None, normalized header text)
    for line in header:
        cells = [(i, normalize_label(c)) for i, c in enumerate(line.cells) if c.strip()]
        first = next((k for k, (_, n) in enumerate(cells) if applicant_of(n)), None)
        if not line.is_row or first is None:
            continue  # not a row of column headers
        for i, name in cells[first:]:
            if any(g in name for g in _GROUP_HEADERS) or is_value_token(name):
                continue
            leaves.append((i if line.table is not None else None, name))
    found = [applicant_of(n) for _, n in leaves]
    known = [c for c in found if c]
    if (
        len(known) != len(set(known))
        or len(known) < 5
        or not {"natural_person", "total"} <= set(known)
        or (sorted(known) == sorted(codes.APPLICANTS) and len(leaves) == len(known))
    ):
        return None
    if all(col is not None for col, _ in leaves) and len({col for col, _ in leaves}) == len(leaves):
        ordered = sorted(leaves, key=lambda leaf: leaf[0])  # type: ignore[arg-type,return-value]
    else:
        rank = {"natural_person": -1, "total": 1}
        ordered = sorted(leaves, key=lambda leaf: rank.get(applicant_of(leaf[1]) or "", 0))
    columns = [applicant_of(n) or n for _, n in ordered]
    fits = sum(fit_values(v, len(columns), structural) is not None for v in rows)
    return columns if rows and fits * 2 >= len(rows) else None


def _strip_empty(vals: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The value cells without the empty ones at either end (layout padding, as fit_values drops)."""
    vals = list(vals)
    while vals and not vals[-1][1].strip():
        vals.pop()
    while vals and not vals[0][1].strip():
        vals.pop(0)
    return vals


def _column_issues(columns: list[str]) -> list[dict]:
    """Name the columns a table 3 header adds to or leaves out of the template."""
    out = []
    for name in columns:
        if name not in codes.APPLICANTS:
            out.append(
                issue(
                    "warning",
                    "column.extra",
                    "table 3",
                    f"table 3 has a column '{name}' the template does not have: its cells are not read "
                    "(the other columns are read by their headers)",
                )
            )
    for code in codes.APPLICANTS:
        if code not in columns:
            label = labels.APPLICANT_LABELS[code]
            out.append(
                issue(
                    "error",
                    "column.missing",
                    f"table 3 / {code}",
                    f"table 3 prints no {label} column ({code}): its cells are not read; the other "
                    f"{len(columns)} columns are read by their headers",
                    N_APPLICANTS,
                    len(columns),
                )
            )
    return out


def _unfit_rows(
    unfit: list[tuple[str, list[tuple[int, str]]]], columns: list[str], n_rows: int
) -> list[dict]:
    """row.cells errors for the table-3 rows whose value cells do not fit the columns: one issue for the
    rows that share one wrong count (a column added or dropped without a header saying which), one
    per row otherwise. These rows are not read: a value is never put under another column."""
    names = ", ".join(labels.APPLICANT_LABELS.get(c, c) for c in columns)
    core = {code: _strip_empty(vals) for code, vals in unfit}
    by_count: dict[int, list[str]] = {}
    for code, _ in unfit:
        by_count.setdefault(len(core[code]), []).append(code)
    out = []
    for code, vals in unfit:
        shared = by_count[len(core[code])]
        if len(shared) > 1:
            if code == shared[0]:
                out.append(
                    issue(
                        "error",
                        "row.cells",
                        "table 3",
                        f"table 3: {len(shared)} of {n_rows} rows have {len(core[code])} value cells where "
                        f"{len(columns)} columns are expected ({names}); which cell belongs to which "
                        f"column cannot be told, so these rows are not read: {', '.join(shared)}",
                        len(columns),
                        len(core[code]),
                    )
                )
            continue
        out.append(
            issue(
                "error",
                "row.cells",
                f"table 3 / {code}",
                f"row {code}: expected {len(columns)} cells ({names}), found {len(vals)}: "
                f"{'|'.join(v for _, v in vals)}; row not read",
                len(columns),
                len(vals),
            )
        )
    return out


def merged_issues(merged: dict[str, tuple[str, str]], grid: bool) -> list[dict]:
    """A ``cell.merged`` warning for each row whose value cells are merged with a row above (``merged``:
    code -> (that row's code, its label)); ``grid``: the source shows the merge (HTML, Word, PDF),
    else the text prints the row with no cells, which may also be cells left blank."""
    span = Counter(origin for origin, _ in merged.values())
    out = []
    for code, (origin, label) in merged.items():
        above = f"'{_shown(label)}' ({origin})"
        if grid:
            n = span[origin] + 1
            message = (
                f"row {code}: its value cells are merged with the row above (one cell over {n} rows, "
                f"rowspan={n}) under {above}: the figures are printed once for the rows together, "
                "so none is read for this row"
            )
        else:
            message = (
                f"row {code} printed with no cells below {above}, which prints them: the page prints "
                "such figures once over several rows (merged, rowspan) or leaves the cells blank, which "
                "the text cannot tell apart, so none is read for this row"
            )
        out.append(issue("warning", "cell.merged", f"table 3 / {code}", message))
    return out


def missing_rows(present: set[str], bare: dict[str, str] | None = None) -> list[dict]:
    """An error for each row a table 3 with some rows read should print but does not (``bare``: rows
    whose label is printed with no cells, code -> label: said so, as they are not read either)."""
    if not present:
        return []
    bare = bare or {}
    return [
        issue("error", "row.missing", f"table 3 / {row}", _missing_message(row, bare.get(row)))
        for row in codes.expected_request_rows(present)
        if row not in present
    ]


def _missing_message(row: str, label: str | None) -> str:
    if label is None:
        return f"table 3 row {row} not found"
    return (
        f"table 3 row {row}: its label '{_shown(label)}' is printed, but no cells for it before the next "
        "row's label (a line of blank cells cannot be told from no line in text), so none is read for it"
    )


def _shown(label: str) -> str:
    """A label as a message quotes it: its first 30 characters."""
    return f"{label[:30]}{'…' if len(label) > 30 else ''}"


def _drop_other_header(matched: list[tuple[str, list]], issues: list[dict]) -> list[tuple[str, list]]:
    """A (六)其他处理 line printed above its three sub-rows is their heading, not a fourth row."""
    codes_seen = {c for c, _ in matched}
    if "other" not in codes_seen or not codes_seen & set(codes.OTHER_SUB_ROWS):
        return matched
    header = next(v for c, v in matched if c == "other")
    if any(t.strip() for _, t in header):
        issues.append(
            issue(
                "warning",
                "row.subtotal",
                "table 3 / other",
                "(六)其他处理 printed with its own figures above its three sub-rows: the sub-rows are kept",
            )
        )
    return [(c, v) for c, v in matched if c != "other"]
