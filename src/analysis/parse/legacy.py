"""Legacy (pre-2019) reports → records of the same tables the 2019/2021 reports fill.

Two sources: the statistics table (统计表 / 附表: ``label 单位 value`` rows, often a 本年度 and a 历年累计
column, of which only the first is the year's) and the figures stated in sentences (全年共受理申请9件，
均予以公开; 未收到…申请 is 0). Wordings → codes are data: ``templates/legacy_rows.csv`` and
``templates/legacy_sentences.csv``. Digits glued across the two columns (主动公开信息数条4251516) are cut
only where exactly one cut fits the evidence — no leading zeros, the cumulative not below the year's, the
channels adding up to their total in both columns, the figure the narrative states — else the row is a
``row.ambiguous`` issue and its value NA. A figure the report does not state is NA, never 0.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field

from analysis.model import codes
from analysis.model.issues import issue
from analysis.parse.templates import Pattern, legacy_rows, legacy_sentences, match_first, normalize_label

_HEADER = re.compile(r"指\s*标\s*名\s*称")
_COLUMN = re.compile(
    r"(?P<year>\d{4})\s*年\s*度?|本\s*年\s*度?|年\s*末\s*统\s*计|历\s*年\s*累\s*计|累\s*计|本\s*期|数\s*量"
)
_CUMULATIVE = re.compile(r"累\s*计")
# a statistics table the text names but does not hold (an attachment: .xls, .doc, an image)
_ELSEWHERE = re.compile(r"(?:统计表|统计数据|附表)\s*\.?\s*(?:xls|xlsx|doc|docx|pdf|jpg|png)", re.IGNORECASE)
# a row: its label (non-digits, or an enumerator such as "1." / "2、"), its unit, its value cells — which
# stop where a date begins (a crawled page runs the date after the table into its last row: 行政申诉数件0 +
# 2018年1月20日): digits followed by 年, 月 or 日 are a date's, not a cell's
_ROW = re.compile(
    r"(?P<label>(?:\D|\d{1,2}\s*[.、](?=\s*\D)){1,80}?)\s*"
    r"(?P<unit>万元|人次|条|件|元|个|项|次|份)\s*(?P<vals>\d+?(?:[ \t]+\d+?)*?)"
    r"(?:[ \t]*(?P<date>(?:19|20)\d\d\s*年|(?:1[0-2]|0?[1-9])\s*月|(?:3[01]|[12]\d|0?[1-9])\s*日)|(?![ \t]*\d|\s*[年月日]))"
)
_LABEL_PREFIX = re.compile(r"^[.、:;,，；：]*(?:其中[:：]?)?(?:\d{1,2}[.、])?")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
_CLAUSE_SEP = "，,；;：:。"
_TABLE_CHARS = 6000  # a legacy statistics table is short: rows are looked for this far after its header
_MAX_COMBOS = 200_000  # cuts tried jointly within one group of rows (a few candidates per row at most)

Cut = tuple[int, "int | None"]  # (the year's value, the cumulative value or None for a one-column table)


@dataclass
class LegacyRow:
    """One statistics-table row as printed, with the cuts of its digits still possible."""

    text: str
    label: str
    unit: str
    pattern: Pattern | None
    cells: list[str]  # the value cells as printed ("425", "1516"), or one run of glued digits
    cuts: list[Cut] = field(default_factory=list)


@dataclass
class LegacyTables:
    """What a legacy report's statistics table and sentences give, in the modern tables' records."""

    requests: list[dict] = field(default_factory=list)
    reviews_litigation: list[dict] = field(default_factory=list)
    active_disclosure: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.requests or self.reviews_litigation or self.active_disclosure)


def parse_legacy(text: str, year: int | None) -> LegacyTables:
    """The year's figures of a legacy report's text: its statistics table, then its sentences."""
    text = unicodedata.normalize("NFKC", text)
    header = _HEADER.search(text)
    narrative = text[: header.start()] if header else text
    stated = stated_figures(narrative)
    out = LegacyTables()
    table: dict[str, tuple[int | float | None, str]] = {}
    if header:
        table = _read_table(text, header.end(), year, {k: v for k, (v, _) in stated.items()}, out)
    elif m := _ELSEWHERE.search(text):
        out.issues.append(
            issue(
                "warning",
                "legacy.table_elsewhere",
                "legacy statistics table",
                f"the report names its statistics table ('{m.group(0)}') but the text does not hold it: "
                "only the figures its sentences state are read",
            )
        )
    for code in dict.fromkeys([*table, *stated]):
        if code in table:
            value, raw = table[code]
            said = stated.get(code)
            if said is not None and value is not None and said[0] != value:
                out.issues.append(
                    issue(
                        "warning",
                        "legacy.narrative_mismatch",
                        f"legacy / {code}",
                        f"the statistics table says {value} ({raw}) but the text says {said[0]} ({said[1]}): "
                        "the table's figure is kept",
                        value,
                        said[0],
                    )
                )
        else:
            value, raw = stated[code]
        _add(out, code, value, raw)
    out.issues += _answer_checks(out.requests, set(table))
    return out


def stated_figures(text: str) -> dict[str, tuple[int, str]]:
    """Code → (figure, sentence) for the figures the narrative states, the first in the text for each code."""
    found: dict[str, tuple[int, int, str]] = {}  # code → (position, value, sentence)
    offset = 0
    for sentence in _SENTENCE_END.split(text):
        for p in legacy_sentences():
            for m in p.regex.finditer(sentence):
                scope = sentence if p.extra["scope"] == "sentence" else _clause(sentence, m.start(), m.end())
                if p.extra["exclude"] and re.search(p.extra["exclude"], scope):
                    continue
                fixed = p.extra["value"]
                if fixed.startswith("="):  # the figure of another code stated in the same sentence
                    other = found.get(fixed[1:])
                    if other is None or other[2] != sentence.strip():
                        continue
                    value = other[1]
                else:
                    value = int(fixed) if fixed else int(m.group("n"))
                pos = offset + m.start()
                if p.code not in found or pos < found[p.code][0]:
                    found[p.code] = (pos, value, sentence.strip())
        offset += len(sentence)
    return {code: (v, s) for code, (_, v, s) in found.items()}


def _clause(sentence: str, start: int, end: int) -> str:
    """The part of a sentence between the separators around [start, end)."""
    left = max(sentence.rfind(c, 0, start) for c in _CLAUSE_SEP) + 1
    rights = [i for c in _CLAUSE_SEP if (i := sentence.find(c, end)) >= 0]
    return sentence[left : min(rights) if rights else len(sentence)]


def _columns(text: str, start: int) -> tuple[list[re.Match[str]], int]:
    """The value columns a table header names (本年度/2016年度, 历年累计, 年末统计) and where the header ends."""
    cols: list[re.Match[str]] = []
    pos = start
    for m in _COLUMN.finditer(text, start, start + 80):
        gap = re.sub(r"\s+", "", text[pos : m.start()])
        if len(gap) > (8 if not cols else 2):  # 计量单位 before the first column, nothing between them
            break
        cols.append(m)
        pos = m.end()
    return cols, pos


def _rows(text: str, start: int) -> list[LegacyRow]:
    """The table's rows from ``start``: label, unit and the value cells as printed."""
    rows: list[LegacyRow] = []
    pos, stop = start, start + _TABLE_CHARS
    while (m := _ROW.search(text, pos, stop)) is not None:
        label = normalize_label(m.group("label"))
        if len(label) > 40 or "附件" in label:  # ran past the table into other text
            break
        vals, end = m.group("vals"), m.end("vals")
        after = text[end : end + 3].lstrip()
        if after[:1] in (".", "、") and vals[-1].isdigit():  # the next row's enumerator (…15092.政府公报)
            vals, end = vals[:-1].rstrip(), end - 1
        pos = end if m.group("date") is None else stop  # a date after a row: the table has ended
        label = _LABEL_PREFIX.sub("", label)
        if not vals or not label:
            continue
        pattern = match_first(legacy_rows(), label)
        rows.append(
            LegacyRow(text[m.start("label") : end].strip(), label, m.group("unit"), pattern, vals.split())
        )
    return rows


def _cuts(cells: list[str], n_cols: int) -> list[Cut]:
    """The readings of a row's cells as (year, cumulative): one per cut of glued digits that has no
    leading zero and no cumulative below the year's."""
    if n_cols <= 1:
        return [(int(cells[0]), None)] if len(cells) == 1 else []
    if len(cells) == n_cols:
        return [(int(cells[0]), int(cells[1]))]
    if len(cells) != 1 or n_cols != 2:
        return []
    digits = cells[0]
    out: list[Cut] = []
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if (a == "0" or a[0] != "0") and (b == "0" or b[0] != "0") and int(a) <= int(b):
            out.append((int(a), int(b)))
    return out


def _read_table(text: str, start: int, year: int | None, stated: dict[str, int], out: LegacyTables) -> dict:
    """Code → (the year's value or None when it cannot be told, the row as printed) from the table."""
    cols, body = _columns(text, start)
    n_cols = max(len(cols), 1)
    for m in cols:
        if m.group("year") and year is not None and int(m.group("year")) != year:
            out.issues.append(
                issue(
                    "warning",
                    "legacy.column_year",
                    "legacy statistics table",
                    f"the statistics table's column is headed {m.group(0).replace(' ', '')} in a report on {year}: "
                    "its figures are read as the year's",
                    year,
                    m.group("year"),
                )
            )
    if n_cols > 1 and not any(_CUMULATIVE.search(m.group(0)) for m in cols[1:]):
        n_cols = len(cols)  # several columns and none cumulative: still the first is the year's
    rows = _rows(text, body)
    for row in rows:
        row.cuts = _cuts(row.cells, n_cols)
    _by_sums(rows)
    for row in rows:  # a cut the narrative's figure decides
        code = row.pattern.code if row.pattern else ""
        if len(row.cuts) > 1 and code in stated:
            fits = [c for c in row.cuts if c[0] == stated[code]]
            row.cuts = fits or row.cuts
    table: dict[str, tuple[int | float | None, str]] = {}
    for row in rows:
        if row.pattern is None or not row.pattern.code:
            continue
        code = row.pattern.code
        value: int | float | None = row.cuts[0][0] if len(row.cuts) == 1 else None
        if value is None:
            shown = ", ".join(f"{a} | {b}" for a, b in row.cuts) or "none"
            out.issues.append(
                issue(
                    "error",
                    "row.ambiguous",
                    f"legacy statistics table / {row.label}",
                    f"'{row.text}': the year's figure cannot be told from the cumulative one "
                    f"(possible cuts: {shown}); not read",
                )
            )
        elif row.unit == "元":
            value = value / 10000
        if code in table:  # two rows of one code (行政申诉数 and 举报数): their sum
            old, raw = table[code]
            value = None if old is None or value is None else old + value
            table[code] = (value, f"{raw}; {row.text}")
        else:
            table[code] = (value, row.text)
    return table


def _by_sums(rows: list[LegacyRow]) -> None:
    """Keep the cuts with which a total equals the sum of its parts in every column (主动公开 = 网站 +
    公报; 受理 = the channels; 答复 = the answers); a group whose figures add up in no way tells nothing."""
    groups: dict[str, list[LegacyRow]] = {}
    for row in rows:
        if row.pattern and row.pattern.extra.get("group"):
            groups.setdefault(row.pattern.extra["group"], []).append(row)
    for members in groups.values():
        parents = [r for r in members if r.pattern and r.pattern.extra["role"] == "parent"]
        children = [r for r in members if r.pattern and r.pattern.extra["role"] == "child"]
        if len(parents) != 1 or not children:
            continue
        group = parents + children
        sizes = [len(r.cuts) for r in group]
        if 0 in sizes or all(s == 1 for s in sizes) or math.prod(sizes) > _MAX_COMBOS:
            continue
        fits = [
            combo
            for combo in itertools.product(*(r.cuts for r in group))
            if all(
                combo[0][k] is None or combo[0][k] == sum(c[k] or 0 for c in combo[1:])  # type: ignore[misc]
                for k in (0, 1)
            )
        ]
        if fits:
            for k, r in enumerate(group):
                r.cuts = sorted({combo[k] for combo in fits}, key=lambda c: (c[0], c[1] or 0))


def _add(out: LegacyTables, code: str, value: int | float | None, raw: str) -> None:
    """One record in the table the code belongs to (``applicant = total``: no applicant breakdown)."""
    parts = code.split("/")
    if len(parts) == 1:
        out.requests.append({"row": code, "applicant": "total", "value": value, "raw": raw})
    elif len(parts) == 2:
        out.reviews_litigation.append(
            {"proceeding": parts[0], "result": parts[1], "value": value, "raw": raw}
        )
    else:
        clause, item, metric = parts
        unit = "万元" if metric == "fee_amount" else "条"
        out.active_disclosure.append(
            {"clause": clause, "item": item, "metric": metric, "value": value, "unit": unit, "raw": raw}
        )


def _answer_checks(requests: list[dict], in_table: set[str]) -> list[dict]:
    """The answers against their total and against the requests received, as issues; the answers by kind
    are added up only when the table prints them all with their total (a sentence may name only some)."""
    got = {r["row"]: r["value"] for r in requests}
    total, received = got.get("total_processed"), got.get("new_received")
    kinds = [v for row, v in got.items() if codes.outcome_group(row) and row in in_table]
    if "total_processed" not in in_table:
        kinds = []
    out: list[dict] = []
    if total is not None and kinds and None not in kinds and sum(kinds) != total:
        out.append(
            issue(
                "error",
                "legacy.answers_sum",
                "legacy / total_processed",
                f"the answers by kind add up to {sum(kinds)} but the answers' total says {total}",
                sum(kinds),
                total,
            )
        )
    if total is not None and received is not None and total != received:
        out.append(
            issue(
                "warning",
                "legacy.answers_received",
                "legacy / new_received",
                f"{received} requests received but {total} answered",
                received,
                total,
            )
        )
    return out
