"""Document → canonical records of tables 2, 3 and 4, using the label templates in ``templates/``.

The reader gives rows of cells; here each row's label cells are joined and matched against the
template patterns, and its trailing value cells are parsed. Values are kept exactly as printed
(``raw``); anything odd becomes an issue rather than a silent fix.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from analysis.model import codes
from analysis.model.document import Document, Line
from analysis.model.issues import issue
from analysis.model.values import header_money_unit, is_value_token, parse_value
from analysis.parse.templates import normalize_label

from . import templates

N_APPLICANTS = len(codes.APPLICANTS)
N_TABLE4 = len(codes.PROCEEDINGS) * len(codes.RESULTS)
TABLE_NAMES = {
    "table2": "table 2 (主动公开)",
    "table3": "table 3 (依申请公开)",
    "table4": "table 4 (复议诉讼)",
}


@dataclass
class Tables:
    """What the statistical tables hold, plus the problems met while reading them."""

    template: str | None = None
    requests: list[dict] = field(default_factory=list)
    reviews_litigation: list[dict] = field(default_factory=list)
    active_disclosure: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    found: dict[str, bool] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------- rows


def split_label(cells: list[str], covered: frozenset[int] = frozenset()) -> tuple[str, list[tuple[int, str]]]:
    """(normalized label, [(column, raw value cell)…]): value cells are those after the last label cell,
    leaving out positions a spanning cell covers (they are layout, not blank values)."""
    last_label = -1
    for i, c in enumerate(cells):
        if c.strip() and not is_value_token(c):
            last_label = i
    label = normalize_label("".join(c for c in cells[: last_label + 1] if c.strip()))
    return label, [(i, cells[i]) for i in range(last_label + 1, len(cells)) if i not in covered]


def fit_values(
    values: list[tuple[int, str]], n: int, structural: set[int] = frozenset()
) -> list[tuple[int, str]] | None:
    """Trim the value cells of a row to the n the template expects, or None when they do not fit.

    Surplus empty cells come from layout (an empty structural column in a grid, a trailing tab, a
    spanned label column); structural columns go first (a blank total at the end is a value), then
    empties at the ends.
    """
    vals = list(values)
    if len(vals) > n and structural:
        kept = [v for v in vals if v[1].strip() or v[0] not in structural]
        if len(kept) >= n:
            vals = kept
    while len(vals) > n and not vals[-1][1].strip():
        vals.pop()
    while len(vals) > n and not vals[0][1].strip():
        vals.pop(0)
    return vals if len(vals) == n else None


def values_under_headers(
    line: Line, vals: list[tuple[int, str]], spans: list[range]
) -> list[tuple[int, str]] | None:
    """In a grid, the cell under each header's columns (the one that is filled, if any); None when a
    filled cell sits under no header or two under one, so the caller falls back to counting cells."""
    filled = {col for col, text in vals if text.strip()}
    if not filled <= {c for span in spans for c in span}:
        return None
    out = []
    for span in spans:
        picks = [c for c in span if c in filled]
        if len(picks) > 1:
            return None
        col = picks[0] if picks else span.start
        out.append((col, line.cells[col] if col < len(line.cells) else ""))
    return out


def _applicant_header_columns(rows: list[Line]) -> set[int]:
    """In pasted text, the columns a header above the first row of figures names by an applicant
    (自然人 … 总计): value columns, not layout, even when every cell under them is blank. (Text rows
    are not aligned to one grid, so a position empty in every row may be a blank column.)"""
    names = set(codes.APPLICANT_LABELS.values())
    out: set[int] = set()
    for line in rows:
        if line.table is not None:
            return set()  # a grid: its columns are aligned, layout columns are told by their emptiness
        if any(v.strip() for _, v in split_label(line.cells, line.covered)[1]):
            break
        out |= {i for i, c in enumerate(line.cells) if normalize_label(c) in names}
    return out


def _structural_columns(rows: list[list[tuple[int, str]]]) -> set[int]:
    """Grid columns that are empty in every data row: layout, not a blank value."""
    seen: set[int] = set()
    filled: set[int] = set()
    for vals in rows:
        for col, text in vals:
            seen.add(col)
            if text.strip():
                filled.add(col)
    return seen - filled


def rows_from_cell_lines(lines: list[Line]) -> list[Line]:
    """Rebuild rows from text copied one cell per line (a common web-page paste): a run of label
    lines followed by a run of value lines is one row. Blank cells are lost in such text, so a row
    that comes out short is reported, not guessed."""
    rows: list[Line] = []
    labels: list[str] = []
    values: list[str] = []
    for line in lines:
        cells = [c for c in line.cells if c.strip()]
        for cell in cells:
            if is_value_token(cell):
                values.append(cell)
            else:
                if values:
                    rows.append(Line(labels + values, is_row=True, page=line.page))
                    labels, values = [], []
                labels.append(cell)
    if labels or values:
        rows.append(Line(labels + values, is_row=True))
    return [r for r in rows if any(is_value_token(c) for c in r.cells)]


# ------------------------------------------------------------------------------------- regions


def find_regions(lines: list[Line]) -> dict[str, tuple[int, int]]:
    """Line ranges of table 2, 3 and 4: from their section heading (or first row) to the next."""
    starts: dict[str, int] = {}
    heading_at: dict[str, int] = {}
    for i, line in enumerate(lines):
        text = normalize_label(line.text if not line.is_row else "".join(line.cells))
        heading = _one_cell(line) and len(text) <= 40
        for p in templates.anchors():
            name, kind = p.code, p.extra["kind"]
            if kind == "heading" and heading and p.matches(text):
                heading_at[name] = i  # the last one: a table of contents repeats the headings earlier
            elif kind == "row" and line.is_row and p.matches(text):
                starts.setdefault(name, i)
    out: dict[str, tuple[int, int]] = {}
    begin = {k: heading_at.get(k, starts.get(k)) for k in ("table2", "table3", "table4")}
    order = sorted((v, k) for k, v in begin.items() if v is not None)
    end_heading = [
        i
        for i, ln in enumerate(lines)
        if _one_cell(ln) and templates.anchors()[-1].matches(normalize_label(ln.text))
    ]
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


# -------------------------------------------------------------------------------------- table 3


# a numbered sub-row's label ("9.属于…"): beside figures, it is a row of its own, not a wrapped group label
_SUB_ROW = re.compile(r"^\d+[.、]")
# a table-3 label that starts a row by its number: 一、 (一) 1.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


def parse_table3(rows: list[Line], ctx: dict) -> tuple[list[dict], list[dict]]:
    """Table 3 rows → requests records (row × applicant) and issues."""
    issues: list[dict] = []
    matched: list[tuple[str, list[tuple[int, str]]]] = []
    previous: str | None = None
    # a label wrapped over lines (pasted text, PDF): its parts and its figures are put back together
    pending = ""  # label text with no figures: the start of a label wrapped onto the row below
    pending_end = 0  # the column after that text: the figures of its row are right of it
    held: tuple[str, list] | None = None  # figures whose label names no row: it may end on the next line
    blank: tuple[int, int] | None = None  # (row, column after its label) just read with no figures
    last: tuple[str, str | None] | None = None  # the label of the row just read, and the code before it
    header: list[Line] = []  # the lines above the first row: the applicant column headers

    def add(code: str, vals: list[tuple[int, str]], label: str) -> bool:
        nonlocal previous, last
        if any(c == code for c, _ in matched):
            issues.append(
                issue(
                    "warning",
                    "row.duplicate",
                    f"table 3 / {code}",
                    f"row {code} printed twice ('{label[:30]}'); the first is kept",
                )
            )
            return False
        last = (label, previous)
        matched.append((code, vals))
        previous = code
        return True

    def unread(code: str | None) -> str | None:
        return None if any(c == code for c, _ in matched) else code

    def right_of(line: Line, vals: list[tuple[int, str]], end: int) -> list[tuple[int, str]]:
        """The value cells of a line right of a label printed above it (its own label cell is empty)."""
        return [(i, line.cells[i]) for i in range(end, len(line.cells)) if i not in line.covered] or vals

    for line in rows:
        if not matched:
            header.append(line)
        label, vals = split_label(line.cells, line.covered)
        filled = any(v.strip() for _, v in vals)
        # the label cell of this line (after any cell of a group label such as "（六）其他处理")
        at = next((i for i in range(len(line.cells) - 1, -1, -1) if line.cells[i].strip()
                   and not is_value_token(line.cells[i])), -1)  # fmt: skip
        own = normalize_label(line.cells[at]) if at >= 0 else ""
        if not filled and label and not pending and not _NUMBERED.match(label):
            # label text with no number of its own: the end of a label wrapped below the figures above
            if held:
                code = templates.match_table3_row(held[0] + label, previous)
                if code and add(code, held[1], held[0] + label):
                    held = blank = None
                    continue
            elif last:
                code = templates.match_table3_row(last[0] + label, last[1])
                if code and (code == previous or unread(code)):
                    matched[-1] = (code, matched[-1][1])  # the whole label may name another row
                    last, previous = (last[0] + label, last[1]), code
                    continue
        held = None
        if not filled and len(vals) < N_APPLICANTS:  # label text only: may start the next row's label
            if label:  # (a line of text alone says nothing of the columns)
                pending, pending_end = (pending + label)[-80:], at + 1 if len(line.cells) > 1 else 0
            continue
        if not label and not pending:
            if filled and blank is not None:  # figures on a line of their own below a wrapped label
                matched[blank[0]] = (matched[blank[0]][0], right_of(line, vals, blank[1]))
                blank = None
            continue
        code = None
        if _NUMBERED.match(pending) and not _NUMBERED.match(own):
            # a row's label begun on the lines above and ended here: "（二）部分公开（…只计这一情" / "形…）"
            # (its own cell first: a group's label cell may sit between, "三、本年度 | 开", "（六）其他处理 | 补正、…")
            code = unread(templates.match_table3_row(pending + own, previous))
            if code is None and own != label:
                code = unread(templates.match_table3_row(pending + label, previous))
        if code is None and label:
            code = templates.match_table3_row(label, previous)
            above = code is None
            sub = unread(templates.match_table3_row(pending + label, previous)) if pending else None
            if code and sub and sub != code and codes.outcome_group(sub) == code:
                code, above = sub, True  # "（六）其他处理" on the line of the figures of its first row
        else:
            above = True
        if code is None and pending:  # (text above naming a row already read does not name this one)
            code = unread(templates.match_table3_row(pending + label, previous))
        if code and pending and above and at + 1 < pending_end:
            vals = right_of(line, vals, pending_end)
        before, pending = pending, ""
        if code is None:
            if filled and blank is not None:
                # the figures of the row above, whose label was wrapped onto the lines above them
                # (the label here is its end, after the label of the rows it heads: "（四）无法提供 信息")
                if _SUB_ROW.match(label):
                    # …but a numbered label of its own may be a row the template does not have: say so
                    issues.append(
                        issue(
                            "warning",
                            "row.unmatched",
                            f"table 3 / {matched[blank[0]][0]}",
                            f"figures printed beside '{label[:30]}' (no row of the template) read as row "
                            f"{matched[blank[0]][0]}, whose own cells are empty: check the table",
                        )
                    )
                matched[blank[0]] = (matched[blank[0]][0], right_of(line, vals, max(blank[1], at + 1)))
                blank = None
            elif filled:
                held = (label, vals)
            else:  # label text and empty cells: may start the next row's label
                pending, pending_end = (before + label)[-80:], at + 1
            continue
        waiting = matched[blank[0]][0] if blank is not None else ""
        if filled and blank is not None and code in (waiting, codes.outcome_group(waiting)):
            # the end of the label above, with its figures ("…收费通知" / "要求缴纳费用… 0 0 0"), or
            # "（六）其他处理" heading its rows, printed on the line of the figures of the first one
            matched[blank[0]] = (waiting, right_of(line, vals, max(blank[1], at + 1)))
            blank = None
            continue
        if add(code, vals, label):
            blank = None if filled else (len(matched) - 1, at + 1)
    matched = _drop_other_header(matched, issues)
    issues += missing_rows({c for c, _ in matched})
    structural = _structural_columns([v for _, v in matched]) - _applicant_header_columns(rows)
    columns = table3_columns(header, [v for _, v in matched], structural)
    if columns is None:
        columns = list(codes.APPLICANTS)
    else:
        issues += _column_issues(columns)
    records: list[dict] = []
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
            records.append(
                _record(
                    ctx, issues, f"table 3 / {code} / {applicant}", {"row": code, "applicant": applicant}, raw
                )
            )
    issues += _unfit_rows(unfit, columns, len(matched))
    return records, issues


# the header cells of table 3 that group columns rather than name one
_GROUP_HEADERS = ("申请人情况", "法人或其他组织", "勾稽", "数据项目")


def applicant_of(name: str) -> str | None:
    """The applicant code a table-3 column header names ('社会公益组织', '社会公益' → social_welfare)."""
    for code, label in codes.APPLICANT_LABELS.items():
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
            label = codes.APPLICANT_LABELS[code]
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
    names = ", ".join(codes.APPLICANT_LABELS.get(c, c) for c in columns)
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


def missing_rows(present: set[str]) -> list[dict]:
    """An error for each row a table 3 with some rows read should print but does not."""
    if not present:
        return []
    return [
        issue("error", "row.missing", f"table 3 / {row}", f"table 3 row {row} not found")
        for row in codes.expected_request_rows(present)
        if row not in present
    ]


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


def _record(
    ctx: dict,
    issues: list[dict],
    location: str,
    keys: dict,
    raw: str,
    money: bool = False,
    header_unit: str | None = None,
) -> dict:
    v = parse_value(raw, money=money, header_unit=header_unit)
    if v.blank:
        ctx.setdefault("blank", []).append((location, raw))
    elif not v.ok:
        issues.append(
            issue("error", "cell.unparseable", location, f"cell '{raw}' is not a number", None, raw)
        )
    return {**keys, "value": v.value, "raw": raw}


# -------------------------------------------------------------------------------------- table 4


def parse_table4(rows: list[Line], ctx: dict) -> tuple[list[dict], list[dict]]:
    """Table 4 → reviews_litigation records (proceeding × result): the 15 values in template order."""
    issues: list[dict] = []
    cells: list[tuple[int, str]] = []
    for line in rows:  # the value rows: one of 15 cells, or several (5 + 5 + 5, …) until 15 are found
        label, vals = split_label(line.cells, line.covered)
        if any(re.search(r"\d", v) for _, v in vals):
            if len(vals) > N_TABLE4:
                vals = fit_values(vals, N_TABLE4) or vals
            cells.extend(vals)
            if len(cells) >= N_TABLE4:
                break
    if len(cells) > N_TABLE4:
        cells = fit_values(cells, N_TABLE4) or cells
    if len(cells) != N_TABLE4:
        issues.append(
            issue(
                "error",
                "row.cells",
                "table 4",
                f"table 4: expected {N_TABLE4} value cells, found {len(cells)}",
                N_TABLE4,
                len(cells),
            )
        )
        return [], issues
    records = []
    it = iter(cells)
    for proceeding in codes.PROCEEDINGS:
        for result in codes.RESULTS:
            _, raw = next(it)
            records.append(
                _record(
                    ctx,
                    issues,
                    f"table 4 / {proceeding} / {result}",
                    {"proceeding": proceeding, "result": result},
                    raw,
                )
            )
    return records, issues


# -------------------------------------------------------------------------------------- table 2


def parse_table2(rows: list[Line], ctx: dict) -> tuple[list[dict], list[dict], str | None]:
    """Table 2 → active_disclosure records (clause × item × metric) and the template its headers use."""
    issues: list[dict] = []
    records: list[dict] = []
    clause: str | None = None
    metrics: list[str] = []
    units: list[str | None] = []
    votes = {"2019": 0, "2021": 0}
    seen: set[tuple[str, str]] = set()
    blank_rows: dict[tuple[str, str], tuple[int, tuple]] = {}  # item -> (where in records, its row)
    spans: tuple[int | None, list[range]] = (None, [])  # (grid, the columns under each metric header)
    for line in rows:
        _, vals = split_label(line.cells, line.covered)
        item_labels: list[str] = []
        row_metrics_found: list[tuple[str, str | None]] = []
        header_spans: list[range] = []
        for col, cell in enumerate(line.cells[: len(line.cells) - len(vals)]):
            norm = normalize_label(cell)
            if not norm:
                continue
            found_clause = templates.match_clause(norm)
            metric = templates.match_first(templates.table2_metrics(), norm)
            if found_clause:
                clause, metrics, units = found_clause, [], []
            elif metric:
                row_metrics_found.append((metric.code, header_money_unit(cell)))
                end = col + 1
                while end in line.covered:
                    end += 1
                header_spans.append(range(col, end))
                if metric.extra.get("template"):
                    votes[metric.extra["template"]] += 1
            elif norm not in ("信息内容", "项目"):
                item_labels.append(norm)
        if row_metrics_found:  # a header row (or the header part of a row in one-cell-per-line text)
            metrics = [m for m, _ in row_metrics_found]
            units = [u for _, u in row_metrics_found]
            spans = (line.table, header_spans)
        label = "".join(item_labels)
        item = templates.match_first(templates.table2_items(), label) if label else None
        filled = any(v.strip() for _, v in vals)
        if item is None or not vals:
            continue
        item_clause = item.extra["clause"]
        if clause and clause != item_clause:
            clause = item_clause
        row_metrics = metrics or _default_metrics(votes, item_clause, item.code)
        fitted = None
        if line.table is not None and spans[0] == line.table and len(spans[1]) == len(row_metrics):
            fitted = values_under_headers(line, vals, spans[1])
        if fitted is None and row_metrics:
            fitted = fit_values(vals, len(row_metrics))
        if fitted is None:
            if filled:  # (a row of empty cells that does not fit is a label line, not a row of blanks)
                issues.append(
                    issue(
                        "error",
                        "row.cells",
                        f"table 2 / {item_clause} / {item.code}",
                        f"table 2 row {item.code}: expected {len(row_metrics)} cells, found {len(vals)}",
                        len(row_metrics),
                        len(vals),
                    )
                )
            continue
        if (item_clause, item.code) in seen:
            continue
        row_units = units if len(units) == len(row_metrics) else [None] * len(row_metrics)
        row = (item_clause, item.code, row_metrics, row_units, fitted)
        if not filled:  # every cell blank: read as blanks unless a row with figures for the item follows
            blank_rows.setdefault((item_clause, item.code), (len(records), row))
            continue
        seen.add((item_clause, item.code))
        records += _table2_records(ctx, issues, *row)
    for key, (at, row) in sorted(blank_rows.items(), key=lambda kv: -kv[1][0]):
        if key not in seen:
            records[at:at] = _table2_records(ctx, issues, *row)
    template = None
    if votes["2019"] != votes["2021"]:
        template = "2019" if votes["2019"] > votes["2021"] else "2021"
    return records, issues, template


def _table2_records(
    ctx: dict,
    issues: list[dict],
    clause: str,
    item: str,
    metrics: list[str],
    units: list[str | None],
    fitted: list[tuple[int, str]],
) -> list[dict]:
    """The records of one table-2 row: a value per metric, money in 万元."""
    records = []
    for metric, unit, (_, raw) in zip(metrics, units, fitted, strict=True):
        money = metric in codes.MONEY_METRICS
        rec = _record(
            ctx,
            issues,
            f"table 2 / {clause} / {item} / {metric}",
            {"clause": clause, "item": item, "metric": metric},
            raw,
            money=money,
            header_unit=unit,
        )
        rec["unit"] = "万元" if money else "件"
        records.append(rec)
    return records


def _default_metrics(votes: dict[str, int], clause: str, item: str) -> list[str]:
    """Metrics for a row printed without its header: the template's, when the template is known."""
    template = "2021" if votes["2021"] > votes["2019"] else "2019"
    return list(codes.ACTIVE_DISCLOSURE.get(template, {}).get(clause, {}).get(item, ()))


# ----------------------------------------------------------------------------------------- all

_WIDE_SPACE = re.compile(r"[ \u3000\xa0]{2,}")
_FLATTENED = re.compile(r"(本年新收|规章|行政许可|行政处罚|予以公开|总计)[^\d]{0,40}\d{5,}")
_GLUED_EXAMPLE = re.compile(r"(?:规范性文件|行政许可|行政处罚|申请数量|予以公开)\d{4,}")


def parse_tables(doc: Document, year: int | None = None) -> Tables:
    """Read all three statistical tables of a Document; missing tables become issues."""
    out = Tables()
    regions = find_regions(doc.lines)
    ctx: dict = {}
    for name, parser in (("table2", parse_table2), ("table3", parse_table3), ("table4", parse_table4)):
        start, stop = regions.get(name, (0, 0))
        region = doc.lines[start:stop]
        rows = [ln for ln in region if ln.is_row]
        if len(rows) < 3:
            rows = rows_from_cell_lines(region) or rows
        else:  # short text lines inside a table are labels (a clause header, a wrapped row label,
            # a row of column headers set apart by runs of spaces)
            rows = [
                ln if ln.is_row else Line(_WIDE_SPACE.split(ln.text.strip()), is_row=True)
                for ln in region
                if ln.is_row or len(ln.text) <= 40
            ]
        if not rows:
            out.found[name] = False
            continue
        result = parser(rows, ctx)
        if name == "table2":
            out.active_disclosure, issues, out.template = result
        elif name == "table3":
            out.requests, issues = result
        else:
            out.reviews_litigation, issues = result
        out.issues.extend(issues)
        out.found[name] = bool(result[0])
    blanks = ctx.get("blank", [])
    if blanks:
        shown = ", ".join(f"{loc} ('{raw}')" for loc, raw in blanks[:8])
        more = f" and {len(blanks) - 8} more" if len(blanks) > 8 else ""
        out.issues.append(
            issue(
                "warning",
                "cell.blank",
                "; ".join(loc for loc, _ in blanks),
                f"{len(blanks)} blank or dash cells read as 0: {shown}{more}",
                0,
                len(blanks),
            )
        )
    _missing(doc, out, year)
    if out.template is None and any(out.found.values()):
        # no table-2 header told: three (六) sub-rows are the 2021 template, else go by the year
        other_rows = any(r["row"].startswith("other.") for r in out.requests)
        out.template = "2021" if other_rows or (year or 0) >= 2021 else "2019"
    return out


def _missing(doc: Document, out: Tables, year: int | None) -> None:
    """Name each table that could not be read, and say why when the reason is recognisable."""
    if not any(out.found.values()):
        flat_lines = [normalize_label(ln.text) for ln in doc.lines if not ln.is_row]
        if any(_FLATTENED.search(t) for t in flat_lines):
            example = next((m.group(0) for t in flat_lines if (m := _GLUED_EXAMPLE.search(t))), "")
            _read_flattened(doc, out, example)
            return
        if year is not None and year <= 2018:
            out.template = "legacy"
            out.issues.append(
                issue(
                    "warning",
                    "template.legacy",
                    "tables",
                    "pre-2019 (legacy) report: its free-form statistics table is not read yet",
                )
            )
            return
    _flag_missing(out, ("table2", "table3", "table4"))


def _flag_missing(out: Tables, names: tuple[str, ...]) -> None:
    """An error issue for each named table that gave no values."""
    for name in names:
        if not out.found.get(name):
            out.found[name] = False
            out.issues.append(
                issue(
                    "error",
                    "table.missing",
                    TABLE_NAMES[name],
                    f"{TABLE_NAMES[name]} not found or no values read",
                )
            )


def _read_flattened(doc: Document, out: Tables, example: str) -> None:
    """Tables from text whose cells run together, as far as exactly one reading is possible."""
    from .flattened import parse_flattened

    flat = parse_flattened(doc.text)
    out.requests, out.reviews_litigation, out.active_disclosure = (
        flat.requests, flat.reviews_litigation, flat.active_disclosure
    )  # fmt: skip
    out.template = flat.template
    out.issues.append(
        issue(
            "warning",
            "layout.flattened",
            "tables",
            f"table cells run together without separators (e.g. '{example}'): cells are cut only where "
            "exactly one reading is possible (sums in tables 3 and 4)",
        )
    )
    out.issues.extend(flat.issues)
    out.found.update(
        table2=bool(out.active_disclosure), table3=bool(out.requests), table4=bool(out.reviews_litigation)
    )
    _flag_missing(out, ("table2", "table3", "table4"))
