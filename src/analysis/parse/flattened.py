"""Tables whose cells run together ("本年新收…640020470" = 64|0|0|2|0|4|70), as crawlers save pages.

A run of digits is cut into cells only where exactly one reading is possible: in table 3 every
row's six applicant columns add up to its total (and, across rows, the columns add up to (七)总计);
in table 4 every proceeding's four results add up to its total. Table 2 has no such sums, so a row
is read only when its digits allow one cut and no reading with a blank cell (fewer numbers) exists:
"005" is 0|0|5, "611" might be 6|1|1 or 6|(blank)|11 and is left unread. A space in the text is
always a cut. Whatever cannot be read is reported, never guessed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from analysis.model import codes
from analysis.model.issues import issue
from analysis.model.values import MAX_VALUE, header_money_unit
from analysis.parse.templates import normalize_label

from . import templates
from .result import TableResult
from .table2 import table2_records
from .table3 import missing_rows

# one printed number, possibly several cells glued together, with the unit a cell may carry
_TOKEN = re.compile(r"(?P<num>-?\d+(?:\.\d+)?(?:万元|亿元|元|笔)?)|(?P<space>\s+)|(?P<text>[^\d\s-]+|-)")
_GROUP = re.compile(r"(?P<sign>-?)(?P<digits>\d+)(?P<suffix>(?:\.\d+)?(?:万元|亿元|元|笔)?)$")
_LABEL_NUMBER = re.compile(r"^[.、．]")  # "…00000002.其他法律…": the 2 numbers the next label
_IN_A_SENTENCE = re.compile(r"^[年月日号时]")  # "2022年，…": a date in the narrative, not cells
_T2_START = re.compile(r"二、主动公开政府信息情况|第二十条第[（(]一[)）]项")
_T3_START = re.compile(r"三、收到和处理政府信息公开申请情况")
_T4_START = re.compile(r"四、政府信息公开行政.{0,2}复议|行政复议\s*行政诉讼\s*结果维持")
_T4_END = re.compile(r"五、")


@dataclass
class Segment:
    """A label and the run of numbers printed after it (each group: digits with no space inside)."""

    label: str
    groups: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.groups)


def segments(text: str) -> list[Segment]:
    """Cut flattened text into (label, number run) segments."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]
    out: list[Segment] = []
    label, groups = "", []
    for kind, tok in tokens:
        if kind == "space":
            continue
        if kind == "num":
            groups.append(tok)
            continue
        if groups:
            if _IN_A_SENTENCE.match(tok):  # a year or date in prose: part of the label, not cells
                label += "".join(groups)
                groups = []
            elif _LABEL_NUMBER.match(tok):  # the next label's own number is glued to the run
                last = groups.pop()
                if len(last) > 1 and last[-1].isdigit() and last[:-1][-1:].isdigit():
                    groups.append(last[:-1])
                    last = last[-1]
                if groups:
                    out.append(Segment(label, groups))
                    label = ""
                label, groups = label + last, []
            else:
                out.append(Segment(label, groups))
                label, groups = "", []
        label += tok
    if groups:
        out.append(Segment(label, groups))
    return out


class TooManyWays(Exception):
    """A run of digits with more ways to cut it than are worth trying: it is left unread."""


# cuts tried for one run of digits, and for one document: the real reports need at most some 30 000
# for a run (table 4's fifteen cells); a long run (a mistyped or damaged row) would otherwise take
# longer than the universe to enumerate. A million cuts take about a second.
MAX_STEPS = 200_000
MAX_STEPS_DOCUMENT = 1_000_000


class Budget:
    """The cuts one document may still try (shared by all its runs)."""

    def __init__(self, steps: int = MAX_STEPS_DOCUMENT) -> None:
        self.left = steps


def splits(groups: list[str], n: int, budget: Budget | None = None) -> Iterator[list[str]]:
    """Every way to cut the groups into n printed numbers (no leading zeros; a group's sign goes to its
    first number, its decimals and unit to its last). Raises TooManyWays after MAX_STEPS cuts, or
    when the document's ``budget`` is spent."""
    parsed = [m.groupdict() for g in groups if (m := _GROUP.match(g))]
    if len(parsed) != len(groups):
        return
    budget = budget or Budget()
    steps = 0

    def cut(digits: str, k: int) -> Iterator[list[str]]:
        nonlocal steps
        steps += 1
        budget.left -= 1
        if steps > MAX_STEPS or budget.left < 0:
            raise TooManyWays(f"too many ways to cut {' '.join(groups)} into {n}")
        if k == 1:
            if digits and (digits == "0" or digits[0] != "0"):
                yield [digits]
            return
        ends = [1] if digits[:1] == "0" else range(1, len(digits) - k + 2)
        for end in ends:
            for rest in cut(digits[end:], k - 1):
                yield [digits[:end], *rest]

    def rec(i: int, left: int) -> Iterator[list[str]]:
        if i == len(parsed):
            if left == 0:
                yield []
            return
        g = parsed[i]
        most = min(len(g["digits"]), left - (len(parsed) - i - 1))
        for k in range(1, most + 1):
            for parts in cut(g["digits"], k):
                parts = (
                    [g["sign"] + parts[0], *parts[1:-1], parts[-1] + g["suffix"]]
                    if k > 1
                    else [g["sign"] + parts[0] + g["suffix"]]
                )
                for rest in rec(i + 1, left - k):
                    yield [*parts, *rest]

    yield from rec(0, n)


def consistent_splits(
    groups: list[str], sizes: list[int], limit: int = 50, budget: Budget | None = None
) -> list[list[int]]:
    """Cuts into whole counts, in consecutive blocks whose parts add up to the block's last number."""
    found: list[list[int]] = []
    for cand in splits(groups, sum(sizes), budget):
        if not all(c.isdigit() for c in cand):
            continue
        nums = [int(c) for c in cand]
        if max(nums, default=0) >= MAX_VALUE:
            continue  # no count is that large (a cut keeping a long run of digits whole)
        i = 0
        for size in sizes:
            block = nums[i : i + size]
            if sum(block[:-1]) != block[-1]:
                break
            i += size
        else:
            found.append(nums)
            if len(found) >= limit:
                break
    return found


def _columns_add_up(rows: dict[str, list[int]]) -> bool:
    """Table 3's column arithmetic: outcomes add up to (七)总计, and 一+二 = (七)+四, in every column."""
    outcome = [r for r in codes.OUTCOME_ROWS if r in rows]
    balance = ("new_received", "carried_over", "total_processed", "carried_forward")
    for j in range(len(codes.APPLICANTS)):
        if "total_processed" in rows and sum(rows[r][j] for r in outcome) != rows["total_processed"][j]:
            return False
        if all(k in rows for k in balance):
            a, b, c, d = (rows[k][j] for k in balance)
            if a + b != c + d:
                return False
    return True


def _resolve(candidates: dict[str, list[list[int]]], max_combinations: int = 20000) -> dict[str, list[int]]:
    """Pick each ambiguous row's cut so that the columns add up; empty unless exactly one choice does."""
    fixed = {code: c[0] for code, c in candidates.items() if len(c) == 1}
    open_rows = [code for code, c in candidates.items() if len(c) > 1]
    total = 1
    for code in open_rows:
        total *= len(candidates[code])
    if not open_rows or total > max_combinations:
        return {}
    hits = [
        combo
        for combo in itertools.product(*(candidates[c] for c in open_rows))
        if _columns_add_up({**fixed, **dict(zip(open_rows, combo, strict=True))})
    ]
    return dict(zip(open_rows, hits[0], strict=True)) if len(hits) == 1 else {}


def _ambiguous(location: str, what: str, run: str, n_cells: int, n_ways: int | None) -> dict:
    """The issue for a run not read: no cut fits, several do, or (n_ways None) too many to try."""
    ways = "too many ways to try" if n_ways is None else "no way" if n_ways == 0 else "more than one way"
    return issue(
        "error",
        "row.ambiguous",
        location,
        f"{what}: digits '{run}' cut into {n_cells} cells {ways}; not read",
        1,
        n_ways,
    )


def _table3(segs: list[Segment], budget: Budget) -> TableResult:
    issues: list[dict] = []
    previous: str | None = None
    runs: dict[str, str] = {}
    candidates: dict[str, list[list[int]]] = {}
    too_many: set[str] = set()
    for seg in segs:
        code = templates.match_table3_row(normalize_label(seg.label), previous)
        if code is None or code in candidates:
            continue
        previous = code
        runs[code] = seg.text
        try:
            candidates[code] = consistent_splits(seg.groups, [len(codes.APPLICANTS)], budget=budget)
        except TooManyWays:
            candidates[code] = []
            too_many.add(code)
    chosen = {code: c[0] for code, c in candidates.items() if len(c) == 1}
    resolved = _resolve(candidates)
    for code, values in resolved.items():
        issues.append(
            issue(
                "warning",
                "layout.flattened",
                f"table 3 / {code}",
                f"row {code}: digits '{runs[code]}' cut as {'|'.join(map(str, values))}, the only reading "
                "whose columns add up",
            )
        )
    chosen.update(resolved)
    issues += missing_rows(set(candidates))
    records: list[dict] = []
    for code, cands in candidates.items():
        if code not in chosen:
            n_ways = None if code in too_many else len(cands)
            issues.append(_ambiguous(f"table 3 / {code}", f"row {code}", runs[code], 7, n_ways))
            continue
        records += [
            {"row": code, "applicant": a, "value": v, "raw": str(v)}
            for a, v in zip(codes.APPLICANTS, chosen[code], strict=True)
        ]
    return TableResult(records, issues)


def _table4(segs: list[Segment], budget: Budget) -> TableResult:
    groups = [g for seg in segs for g in seg.groups]
    if not groups:
        return TableResult()
    try:
        found = consistent_splits(
            groups, [len(codes.RESULTS)] * len(codes.PROCEEDINGS), limit=2, budget=budget
        )
    except TooManyWays:
        return TableResult(issues=[_ambiguous("table 4", "table 4", " ".join(groups), 15, None)])
    if len(found) != 1:
        return TableResult(issues=[_ambiguous("table 4", "table 4", " ".join(groups), 15, len(found))])
    it = iter(found[0])
    return TableResult(
        [
            {"proceeding": p, "result": r, "value": v, "raw": str(v)}
            for p in codes.PROCEEDINGS
            for r in codes.RESULTS
            for v in [next(it)]
        ]
    )


def _table2(segs: list[Segment], budget: Budget) -> TableResult:
    out = TableResult()  # (its cells are cut from digits: none is blank)
    template_votes = {"2019": 0, "2021": 0}
    metrics: list[str] = []
    unit: str | None = None
    for seg in segs:
        label = normalize_label(seg.label)
        found = sorted(
            (m.start(), m.end(), p.code, p.extra.get("template"))
            for p in templates.table2_metrics()
            for m in p.regex.finditer(label)
        )
        tail = label
        if found:
            metrics = [code for _, _, code, _ in found]
            unit = header_money_unit(seg.label)
            tail = label[found[-1][1] :]
            for *_, template in found:
                if template:
                    template_votes[template] += 1
        item = templates.match_first(templates.table2_items(), tail)
        if item is None or not seg.groups or not metrics:
            continue
        clause = item.extra["clause"]
        n = len(metrics)
        try:
            cands = list(itertools.islice(splits(seg.groups, n, budget), 2))
            # a blank cell would read so
            fewer = any(next(splits(seg.groups, k, budget), None) for k in range(1, n))
        except TooManyWays:
            cands, fewer = [], None
        if len(cands) != 1 or fewer is not False:
            out.issues.append(
                _ambiguous(
                    f"table 2 / {clause} / {item.code}",
                    f"row {item.code}",
                    seg.text,
                    n,
                    None if fewer is None else 2 if fewer else len(cands),
                )
            )
            continue
        out.records += table2_records(out, clause, item.code, metrics, [unit] * n, list(enumerate(cands[0])))
    if template_votes["2019"] != template_votes["2021"]:
        out.template = "2019" if template_votes["2019"] > template_votes["2021"] else "2021"
    return out


@dataclass
class Flattened:
    """What could be read from flattened text: records per table and the issues."""

    requests: list[dict]
    reviews_litigation: list[dict]
    active_disclosure: list[dict]
    issues: list[dict]
    template: str | None


def parse_flattened(text: str) -> Flattened:
    """Tables 2, 3 and 4 from flattened text, as far as one reading is possible."""
    t2 = [m.start() for m in _T2_START.finditer(text)]
    t3 = [m.start() for m in _T3_START.finditer(text)]
    t4 = [m.start() for m in _T4_START.finditer(text)]
    start3 = t3[-1] if t3 else None
    start4 = next((s for s in t4 if start3 is None or s > start3), None)

    def region(start: int | None, stops: list[int | None]) -> str:
        if start is None:
            return ""
        end = min([s for s in stops if s is not None and s > start] or [len(text)])
        return text[start:end]

    start2 = next((s for s in reversed(t2) if start3 is None or s < start3), None)
    budget = Budget()  # table 3 first: its sums make it the one most worth the time
    t3 = _table3(segments(region(start3, [start4])), budget)
    t2 = _table2(segments(region(start2, [start3, start4])), budget)
    end4 = _T4_END.search(text, start4) if start4 is not None else None
    t4 = _table4(segments(region(start4, [end4.start() if end4 else None])), budget)
    return Flattened(t3.records, t4.records, t2.records, t2.issues + t3.issues + t4.issues, t2.template)
