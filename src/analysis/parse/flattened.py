"""Tables whose cells run together ("本年新收…640020470" = 64|0|0|2|0|4|70), as crawlers save pages.

A run of digits is cut into cells by what the table itself says, in this order:

- **forced**: the digits allow one cut only (as many digits as cells, "6100000" = 6|1|0|0|0|0|0; or
  the spaces and zeros leave one). It is taken whatever the sums say; the sums are then checked as
  for any table, so a total the source got wrong is the report's own error.
- **sums**: in table 3 every row's six applicant columns add up to its total, and across rows the
  outcome rows add up to (七)总计 and 本年新收 + 上年结转 = (七)总计 + 结转下年度 in every column; in
  table 4 every proceeding's four results add up to its total. The reading (of all open rows at once)
  that breaks the fewest of these relations is taken when it is the only one; a row on which the
  best readings differ is left unread (``row.ambiguous``, its candidates listed).
- **table 2** has no sums: a row is cut by its number of cells, the template's sign and order
  (only 本年增/减 is signed; 现行有效件数 ≥ 本年制发件数), money's decimals and unit, and the figures
  the narrative repeats (制发规范性文件34件). A cell is read when every reading left agrees on it.
  As many digits as cells is not forced where a column reports leave blank (``blank`` in
  table2_metrics.csv: the 2019 template's 本年增/减) could be the empty one ("行政许可215" is
  2 | (blank) | 15 in its page.html, not 2|1|5).

A space in the text is always a cut. Whatever cannot be read is reported, never guessed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.model import codes
from analysis.model.issues import issue
from analysis.model.labels import ROW_LABELS
from analysis.model.values import MAX_VALUE, header_money_unit
from analysis.parse.templates import normalize_label

from . import templates
from .result import TableResult
from .table2 import table2_records
from .table3 import merged_issues, missing_rows

# one printed number, possibly several cells glued together, with the unit a cell may carry
_TOKEN = re.compile(
    r"(?P<num>[-+]?\d+(?:\.\d+)?(?:万元|亿元|元|笔|个)?)|(?P<space>\s+)|(?P<text>[^\d\s+-]+|[-+])"
)
_GROUP = re.compile(r"(?P<sign>[-+]?)(?P<digits>\d+)(?P<suffix>(?:\.\d+)?(?:万元|亿元|元|笔|个)?)$")
_LABEL_NUMBER = re.compile(r"^[.、．]")  # "…00000002.其他法律…": the 2 numbers the next label
_IN_A_SENTENCE = re.compile(r"^[年月日号时]")  # "2022年，…": a date in the narrative, not cells
_PART = "[一二三四五六七八九十]"  # a part's number: reports of seven parts number the tables one later
_T2_START = re.compile(rf"{_PART}、主动公开政府信息(?:的)?情况|第二十条第[（(]一[)）]项")
_T3_START = re.compile(rf"{_PART}、收到和处理政府信息公开申请(?:的)?情况")
_T4_START = re.compile(
    rf"{_PART}、(?:因)?政府信息公开(?:申请)?(?:行政)?.{{0,2}}复议|行政复议\s*行政诉讼\s*结果维持"
)
_T4_END = re.compile(rf"{_PART}、")
_T3_ROW = re.compile(r"申请人情况|本年新收政府信息公开申请")  # table 3 printed without its heading
# where a table-3 label starts a row by its number: 一、 (一) 1.
_ROW_NUMBER = re.compile(r"(?=[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")


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
# readings of one run kept to weigh against the table's relations when none adds up, and the
# combinations of open table-3 rows tried together
MAX_READINGS = 200
MAX_COMBINATIONS = 5_000


class Budget:
    """The cuts one document may still try (shared by all its runs)."""

    def __init__(self, steps: int = MAX_STEPS_DOCUMENT) -> None:
        self.left = steps


class _Cuts:
    """Cutting one group's digits[p:] into k numbers (no leading zeros), as :func:`splits` walks it:
    whether any cut is found, and how many steps the walk takes and cuts it finds. A suffix with too
    few digits, or more leading zeros than numbers, finds none: its walk is one chain of zeros."""

    def __init__(self, digits: str) -> None:
        self.digits = digits
        size = len(digits)
        self.zeros = [0] * (size + 1)  # the zeros digits[p:] starts with
        self.fewest = [0] * (size + 1)  # the fewest numbers digits[p:] is cut into (a 0 is one alone)
        for p in range(size - 1, -1, -1):
            if digits[p] == "0":
                self.zeros[p] = self.zeros[p + 1] + 1
                self.fewest[p] = self.fewest[p + 1] + 1
            else:
                self.fewest[p] = 1
        self._memo: dict[tuple[int, int], tuple[int, int]] = {}

    def found_any(self, p: int, k: int) -> bool:
        return self.fewest[p] <= k <= len(self.digits) - p

    def counts(self, p: int, k: int) -> tuple[int, int]:
        """(steps, cuts found) of the walk cutting digits[p:] into k numbers."""
        if not self.found_any(p, k):
            return 1 + min(self.zeros[p], k - 1), 0
        if k == 1:
            return 1, 1
        if (p, k) not in self._memo:
            steps, found = 1, 0
            for end in self.ends(p, k):
                s, f = self.counts(p + end, k - 1)
                steps += s
                found += f
            self._memo[p, k] = (steps, found)
        return self._memo[p, k]

    def ends(self, p: int, k: int) -> range:
        """Where the first of k numbers cut from digits[p:] may end (a 0 is a number alone)."""
        return range(1, 2) if self.digits[p : p + 1] == "0" else range(1, len(self.digits) - p - k + 2)


# runs of at most this many digits have their branches counted (table 4's fifteen cells take some 20)
COUNTED_DIGITS = 32


# the same groups ("0", "0000000", "1") recur in every report's tables: what is known of one is kept
@lru_cache(maxsize=1 << 10)
def _cuts(digits: str) -> _Cuts:
    return _Cuts(digits)


@lru_cache(maxsize=1 << 14)
def _group(text: str) -> tuple[str, str, str] | None:
    """A printed group as (sign, digits, decimals and unit), or None when it is not one number run."""
    m = _GROUP.match(text)
    return (m["sign"], m["digits"], m["suffix"]) if m else None


@lru_cache(maxsize=1 << 12)
def _rest_counts(groups: tuple[str, ...], left: int) -> tuple[int, int]:
    """(steps, cuts found) of the walk cutting the digit groups into ``left`` numbers."""
    if not groups:
        return 0, int(left == 0)
    steps = found = 0
    first = _cuts(groups[0])
    for k in range(1, min(len(groups[0]), left - (len(groups) - 1)) + 1):
        s_cut, f_cut = first.counts(0, k)
        s_rest, f_rest = _rest_counts(groups[1:], left - k)
        steps += s_cut + f_cut * s_rest
        found += f_cut * f_rest
    return steps, found


def splits(groups: list[str], n: int, budget: Budget | None = None) -> Iterator[list[str]]:
    """Every way to cut the groups into n printed numbers (no leading zeros; a group's sign goes to its
    first number, its decimals and unit to its last). Raises TooManyWays after MAX_STEPS cuts, or
    when the document's ``budget`` is spent.

    A cut tried is one step of a walk that takes a prefix of a group as a number and cuts the rest;
    the branches that find nothing are counted (:class:`_Cuts`) rather than walked, so the steps, and
    where a limit stops the walk, are those of trying them one by one."""
    parsed = [_group(g) for g in groups]
    if None in parsed:
        return
    budget = budget or Budget()
    steps = 0
    digits = tuple(d for _, d, _ in parsed)

    def charge(k: int) -> None:
        """Count k more steps; past a limit, raise where taking them one by one would have."""
        nonlocal steps
        over = max(1, min(MAX_STEPS - steps, budget.left) + 1)  # the first step past a limit
        if k >= over:
            steps += over
            budget.left -= over
            raise TooManyWays(f"too many ways to cut {' '.join(groups)} into {n}")
        steps += k
        budget.left -= k

    def cut(group: _Cuts, p: int, k: int) -> Iterator[list[str]]:
        charge(1)
        if k == 1:
            yield [group.digits[p:]]  # (walked only where a cut is found)
            return
        for end in group.ends(p, k):
            if not group.found_any(p + end, k - 1):
                charge(group.counts(p + end, k - 1)[0])
            elif k == 2:
                charge(1)
                yield [group.digits[p : p + end], group.digits[p + end :]]
            else:
                for rest in cut(group, p + end, k - 1):
                    yield [group.digits[p : p + end], *rest]

    def every_cut(digits: str, k: int) -> Iterator[list[str]]:
        """The same walk, one step at a time (a run too long to count its branches first)."""
        nonlocal steps
        steps += 1  # (as charge(1), inline: this is the walk's every step)
        budget.left -= 1
        if steps > MAX_STEPS or budget.left < 0:
            raise TooManyWays(f"too many ways to cut {' '.join(groups)} into {n}")
        if k == 1:
            if digits and (digits == "0" or digits[0] != "0"):
                yield [digits]
            return
        for end in [1] if digits[:1] == "0" else range(1, len(digits) - k + 2):
            for rest in every_cut(digits[end:], k - 1):
                yield [digits[:end], *rest]

    def rec(i: int, left: int) -> Iterator[list[str]]:
        if i == len(parsed):
            if left == 0:
                yield []
            return
        sign, group, suffix = parsed[i]
        most = min(len(group), left - (len(parsed) - i - 1))
        last = i == len(parsed) - 1
        for k in range(1, most + 1):
            if not counted:
                walk = every_cut(group, k)
            elif last and k != left:  # the last group cut into fewer numbers than are left: none found
                charge(_cuts(group).counts(0, k)[0])
                continue
            else:
                s_rest, f_rest = _rest_counts(digits[i + 1 :], left - k)
                if not (f_rest and _cuts(group).found_any(0, k)):
                    s_cut, f_cut = _cuts(group).counts(0, k)  # nothing found: the steps all the same
                    charge(s_cut + f_cut * s_rest)
                    continue
                walk = cut(_cuts(group), 0, k)
            for parts in walk:
                parts = (
                    [sign + parts[0], *parts[1:-1], parts[-1] + suffix]
                    if k > 1
                    else [sign + parts[0] + suffix]
                )
                for rest in rec(i + 1, left - k):
                    yield [*parts, *rest]

    # counting a long run's branches would take longer than the limits let the walk go (its many
    # short cuts are counted one by one): walked step by step instead
    counted = sum(map(len, digits)) <= COUNTED_DIGITS
    if counted and sum(map(len, digits)) == n:
        # as many digits as numbers: one cut, each digit alone, found by the walk's last step
        charge(_rest_counts(digits, n)[0])
        cells = []
        for sign, group, suffix in parsed:
            parts = list(group)
            parts[0] = sign + parts[0]
            parts[-1] += suffix
            cells += parts
        yield cells
        return
    yield from rec(0, n)


def _adds_up(nums: list[int], sizes: list[int]) -> bool:
    """Each consecutive block's parts add up to the block's last number."""
    i = 0
    for size in sizes:
        block = nums[i : i + size]
        if sum(block[:-1]) != block[-1]:
            return False
        i += size
    return True


def _counts(cand: list[str]) -> list[int] | None:
    """A cut as whole counts, or None (a sign, a decimal, a unit, a number no count comes near)."""
    if not all(c.isdigit() for c in cand):
        return None
    nums = [int(c) for c in cand]
    return nums if max(nums, default=0) < MAX_VALUE else None


def consistent_splits(
    groups: list[str], sizes: list[int], limit: int = 50, budget: Budget | None = None
) -> list[list[int]]:
    """Cuts into whole counts, in consecutive blocks whose parts add up to the block's last number."""
    found: list[list[int]] = []
    for cand in splits(groups, sum(sizes), budget):
        nums = _counts(cand)
        if nums is not None and _adds_up(nums, sizes):
            found.append(nums)
            if len(found) >= limit:
                break
    return found


@dataclass
class Readings:
    """The ways one run of digits may be read as counts: ``kind`` is forced (one cut), sums (these
    cuts add up), none (no cut adds up: these are every cut) or many (too many cuts to weigh)."""

    run: str
    kind: str
    cuts: list[list[int]]


def readings(groups: list[str], sizes: list[int], budget: Budget) -> Readings:
    """The readings of a run cut into blocks of ``sizes`` cells (each block's last cell its total)."""
    run = " ".join(groups)
    every: list[list[int]] = []
    adding: list[list[int]] = []
    n = 0
    try:
        for cand in splits(groups, sum(sizes), budget):
            nums = _counts(cand)
            if nums is None:
                continue
            n += 1
            if len(every) < MAX_READINGS:
                every.append(nums)
            if _adds_up(nums, sizes) and len(adding) < 50:
                adding.append(nums)
    except TooManyWays:
        return Readings(run, "many", adding if len(adding) == 1 else [])
    if n == 1:
        return Readings(run, "forced", every)
    if adding:
        return Readings(run, "sums", adding)
    return Readings(run, "none" if n <= MAX_READINGS else "many", every if n <= MAX_READINGS else [])


def _cells(values: list[int] | list[str]) -> str:
    return "|".join(map(str, values))


def _ambiguous(
    location: str, what: str, run: str, n_cells: int, n_ways: int | None, candidates: list | None = None
) -> dict:
    """The issue for a run not read: no cut fits, several do (listed), or (n_ways None) too many to try."""
    ways = "too many ways to try" if n_ways is None else "no way" if n_ways == 0 else "more than one way"
    shown = ""
    if candidates:
        more = f" and {len(candidates) - 4} more" if len(candidates) > 4 else ""
        shown = f" ({'; '.join(_cells(c) for c in candidates[:4])}{more})"
    return issue(
        "error",
        "row.ambiguous",
        location,
        f"{what}: digits '{run}' cut into {n_cells} cells {ways}{shown}; not read",
        1,
        n_ways,
    )


def _row_labels(label: str, previous: str | None) -> list[str]:
    """The table-3 rows a label names, in order: several when rows printed with no cells run into the
    next one ("…政府信息公开申请3.其他(七)总计"); a group's heading before its first row is not a row."""
    found: list[str] = []
    for piece in (p for p in _ROW_NUMBER.split(label) if p):
        code = templates.match_table3_row(piece, found[-1] if found else previous)
        if code and code not in found:
            found.append(code)
    if not found:
        whole = templates.match_table3_row(label, previous)
        return [whole] if whole else []
    return [c for i, c in enumerate(found) if i + 1 == len(found) or codes.outcome_group(found[i + 1]) != c]


def _broken(rows: dict[str, list[int]], expected_outcomes: set[str]) -> int:
    """How many of table 3's column relations the rows break: outcomes add up to (七)总计 (when every
    outcome row is there), and 本年新收 + 上年结转 = (七)总计 + 结转下年度, in each of the seven columns."""
    n = 0
    outcome = [r for r in codes.OUTCOME_ROWS if r in rows]
    total = rows.get("total_processed")
    check_outcomes = total is not None and expected_outcomes <= set(outcome)
    balance = [rows.get(k) for k in ("new_received", "carried_over", "total_processed", "carried_forward")]
    for j in range(len(codes.APPLICANTS)):
        if check_outcomes and sum(rows[r][j] for r in outcome) != total[j]:
            n += 1
        if (
            all(b is not None for b in balance)
            and balance[0][j] + balance[1][j] != balance[2][j] + balance[3][j]
        ):
            n += 1
    return n


def _choose(
    found: dict[str, Readings], blank: dict[str, list[int]]
) -> tuple[dict[str, list[int]], dict, int]:
    """Each table-3 row's reading: forced and single ones as they are; the open ones together, by the
    fewest relations broken (row sums and column relations). Returns the rows read, for each row left
    open the readings still tied, and the number of relations the chosen readings break."""
    fixed = {code: r.cuts[0] for code, r in found.items() if len(r.cuts) == 1}
    fixed.update(blank)
    open_rows = [code for code, r in found.items() if len(r.cuts) > 1]
    present = set(found) | set(blank)
    expected = set(codes.expected_request_rows(present)) & set(codes.OUTCOME_ROWS)
    size = math.prod(len(found[c].cuts) for c in open_rows)
    if not open_rows or size > MAX_COMBINATIONS:
        return fixed, {c: found[c].cuts for c in open_rows}, 0
    own = {c: [0 if sum(v[:-1]) == v[-1] else 1 for v in found[c].cuts] for c in open_rows}
    scored = []
    for combo in itertools.product(*(range(len(found[c].cuts)) for c in open_rows)):
        rows = {**fixed, **{c: found[c].cuts[k] for c, k in zip(open_rows, combo, strict=True)}}
        score = sum(own[c][k] for c, k in zip(open_rows, combo, strict=True)) + _broken(rows, expected)
        scored.append((score, combo))
    best = min(s for s, _ in scored)
    winners = [combo for s, combo in scored if s == best]
    chosen, tied = dict(fixed), {}
    for i, code in enumerate(open_rows):
        picks = sorted({w[i] for w in winners})
        if len(picks) == 1:
            chosen[code] = found[code].cuts[picks[0]]
        else:
            tied[code] = [found[code].cuts[k] for k in picks]
    return chosen, tied, best


def _table3(segs: list[Segment], budget: Budget) -> TableResult:
    out = TableResult()
    previous: str | None = None
    found: dict[str, Readings] = {}
    blank: dict[str, list[int]] = {}
    merged: dict[str, tuple[str, str]] = {}  # rows printed with no cells below a row that prints them
    labels: dict[str, str] = {}
    for seg in segs:
        named = _row_labels(normalize_label(seg.label), previous)
        if not named or named[-1] in found:
            continue
        for code in named[:-1]:  # rows printed with no cells: blank, or merged with the row above
            if code in found or code in blank or code in merged:
                continue
            if previous in found:  # (the page may print its figures once over these rows: not read)
                merged[code] = (previous, labels[previous])
            else:  # the first row: nothing above it to be merged with, its cells are blank
                blank[code] = [0] * len(codes.APPLICANTS)
        code = previous = named[-1]
        # (the label printed before the figures; the template's when it runs on from rows above)
        labels[code] = normalize_label(seg.label) if len(named) == 1 else ROW_LABELS.get(code, code)
        found[code] = readings(seg.groups, [len(codes.APPLICANTS)], budget)
    chosen, tied, broken = _choose(found, blank)
    for code, r in found.items():
        if code not in chosen or r.kind == "forced" or (r.kind == "sums" and len(r.cuts) == 1):
            continue
        values = _cells(chosen[code])
        if broken == 0:
            out.issues.append(
                issue(
                    "warning",
                    "layout.flattened",
                    f"table 3 / {code}",
                    f"row {code}: digits '{r.run}' cut as {values}, the only reading whose columns add up",
                )
            )
        else:
            out.issues.append(
                issue(
                    "warning",
                    "layout.least_broken",
                    f"table 3 / {code}",
                    f"row {code}: digits '{r.run}' cut as {values}: no reading of the table adds up; this "
                    f"one breaks the fewest of its relations ({broken}), each reported as an error",
                )
            )
    out.issues += missing_rows(set(found) | set(blank) | set(merged))
    out.issues += merged_issues(merged, grid=False)
    for code in [c for c in codes.REQUEST_ROWS if c in found or c in blank]:
        if code in blank:
            out.records += [
                out.cell(f"table 3 / {code} / {a}", {"row": code, "applicant": a}, "")
                for a in codes.APPLICANTS
            ]
            continue
        if code not in chosen:
            r = found[code]
            n_ways = None if r.kind == "many" else 0 if not r.cuts else len(tied.get(code, r.cuts))
            out.issues.append(
                _ambiguous(f"table 3 / {code}", f"row {code}", r.run, 7, n_ways, tied.get(code, r.cuts))
            )
            continue
        out.records += [
            {"row": code, "applicant": a, "value": v, "raw": str(v)}
            for a, v in zip(codes.APPLICANTS, chosen[code], strict=True)
        ]
    return out


def _table4(segs: list[Segment], budget: Budget) -> TableResult:
    """Table 4's fifteen cells: forced, the one reading whose totals add up, or the one breaking the
    fewest; when several tie, the proceedings they agree on are read and the others named."""
    groups = [g for seg in segs for g in seg.groups]
    if not groups:
        return TableResult()
    sizes = [len(codes.RESULTS)] * len(codes.PROCEEDINGS)
    r = readings(groups, sizes, budget)
    out = TableResult()
    best = r.cuts
    if r.kind == "none":
        score = [sum(not _adds_up(c[i : i + 5], [5]) for i in range(0, 15, 5)) for c in r.cuts]
        best = [c for c, s in zip(r.cuts, score, strict=True) if s == min(score)]
        if len(best) == 1:
            out.issues.append(
                issue(
                    "warning",
                    "layout.least_broken",
                    "table 4",
                    f"table 4: digits '{r.run}' cut as {_cells(best[0])}: no reading adds up; this one breaks "
                    f"the fewest of its totals ({min(score)}), each reported as an error",
                )
            )
    width = len(codes.RESULTS)
    for k, proceeding in enumerate(codes.PROCEEDINGS):
        blocks = sorted({tuple(c[k * width : (k + 1) * width]) for c in best})
        if len(blocks) == 1 and r.kind != "many":
            out.records += [
                {"proceeding": proceeding, "result": res, "value": v, "raw": str(v)}
                for res, v in zip(codes.RESULTS, blocks[0], strict=True)
            ]
    if len(out.records) < len(codes.PROCEEDINGS) * width:
        n_ways = None if r.kind == "many" else len(best)
        unread = [p for p in codes.PROCEEDINGS if not any(x["proceeding"] == p for x in out.records)]
        where = "table 4" if not out.records else "table 4 / " + ", ".join(unread)
        out.issues.append(_ambiguous(where, "table 4", r.run, 15, n_ways, best))
    return out


def narrative_figures(text: str) -> dict[tuple[str, str], set[int]]:
    """The table-2 figures the narrative repeats: (item, metric) → the numbers it states for them."""
    norm = normalize_label(text)
    out: dict[tuple[str, str], set[int]] = {}
    for p in templates.table2_narrative():
        for m in p.regex.finditer(norm):
            number = next((g for g in m.groups() if g), None)
            if number is not None:
                out.setdefault((p.code, p.extra["metric"]), set()).add(int(number))
    return out


@dataclass
class RowReading:
    """What one table-2 row gave: each cell's text or None (not read), how each cell was resolved,
    the readings still open and how many there were."""

    cells: list[str | None]
    how: list[str | None]
    left: list[list[str]] = field(default_factory=list)
    n_ways: int | None = 0
    blank_possible: bool = False  # a reading with a cell printed blank (fewer numbers) fits too


def _signed(metric: str) -> bool:
    return any(p.code == metric and p.extra.get("signed") == "yes" for p in templates.table2_metrics())


def _signs_and_money_fit(cells: list[str] | tuple[str, ...], metrics: list[str]) -> bool:
    """The template's reading of a cut: a sign only where the column is signed, money's decimals and
    unit only in money."""
    return all(
        (not v.startswith(("-", "+")) or _signed(m))
        and (m in codes.MONEY_METRICS or not re.search(r"[.元]", v))
        for v, m in zip(cells, metrics, strict=True)
    )


def _blank_cell_fits(groups: list[str], metrics: list[str], budget: Budget) -> bool:
    """Whether a reading with a column reports leave blank (the 2019 template's 本年增/减) printed as
    nothing fits the row too: then as many digits as cells is not one digit a cell."""
    blankable = {p.code for p in templates.table2_metrics() if p.extra.get("blank") == "yes"}
    for j, metric in enumerate(metrics):
        if metric not in blankable:
            continue
        rest = metrics[:j] + metrics[j + 1 :]
        cuts = itertools.islice(splits(groups, len(rest), budget), MAX_READINGS + 1)
        if any(_signs_and_money_fit(c, rest) for c in cuts):
            return True
    return False


def _number(cell: str) -> float:
    return float(re.sub(r"[^\d.+-]", "", cell) or 0)


def _agreed(cands: list[list[str]], n: int) -> list[str | None]:
    return [cands[0][j] if cands and all(c[j] == cands[0][j] for c in cands) else None for j in range(n)]


def read_table2_row(
    groups: list[str], item: str, metrics: list[str], figures: dict, budget: Budget | None = None
) -> RowReading:
    """One table-2 row's cells from its run of digits, by every constraint there is (module doc)."""
    n = len(metrics)
    none = [None] * n
    budget = budget or Budget()
    try:
        cands = list(itertools.islice(splits(groups, n, budget), MAX_READINGS + 1))
        digits = sum(len(_GROUP.match(g)["digits"]) for g in groups if _GROUP.match(g))
        if len(cands) == 1 and digits == n and not _blank_cell_fits(groups, metrics, budget):
            return RowReading(list(cands[0]), ["forced"] * n)
        fewer = len(cands) == 1 and any(next(splits(groups, k, budget), None) for k in range(1, n))
    except TooManyWays:
        return RowReading(list(none), list(none), n_ways=None)
    if len(cands) > MAX_READINGS:
        return RowReading(list(none), list(none), n_ways=None)
    if len(cands) == 1 and not fewer:
        return RowReading(list(cands[0]), ["unique"] * n)
    if len(cands) <= 1:  # no cut; or one, but a reading with a blank cell has fewer numbers
        return RowReading(list(none), list(none), [list(c) for c in cands], 2 if fewer else 0, fewer)
    how: list[str | None] = list(none)
    stages = [
        # the template: a sign only where the column is signed, money's decimals and unit only in money
        ("template", lambda c: _signs_and_money_fit(c, metrics)),
        (
            "template",
            lambda c: all(
                _number(c[metrics.index(big)]) >= _number(c[metrics.index(small)])
                for big, small in templates.table2_implied()
                if big in metrics and small in metrics
            ),
        ),
    ]
    for j, metric in enumerate(metrics):
        stated = figures.get((item, metric), set())
        if stated and any(_counts([c[j]]) and int(c[j]) in stated for c in cands):
            stages.append(("narrative", lambda c, j=j, s=stated: c[j].isdigit() and int(c[j]) in s))
    for name, keep in stages:
        kept = [c for c in cands if keep(c)]
        if not kept:
            continue  # a constraint no reading meets says nothing about this row
        cands = kept
        for j, v in enumerate(_agreed(cands, n)):
            if v is not None and how[j] is None:
                how[j] = name
    return RowReading(_agreed(cands, n), how, [list(c) for c in cands], len(cands))


def _items(label: str) -> list:
    """The table-2 items a label names, in the order printed (the last one is the row whose digits
    follow; any before it were printed with no cells)."""
    found = sorted(
        ((m.start(), -len(m.group()), p) for p in templates.table2_items() for m in p.regex.finditer(label)),
        key=lambda t: (t[0], t[1]),
    )
    out, end = [], -1
    for start, neg_len, p in found:
        if start >= end and all(q.code != p.code for q in out):  # (规范性文件 inside 行政规范性文件: one)
            out.append(p)
            end = start - neg_len
    return out


def _table2(segs: list[Segment], budget: Budget, figures: dict) -> tuple[TableResult, Counter]:
    """Table 2's records and issues, and how many of its cells each constraint resolved."""
    out = TableResult()  # (its cells are cut from digits: none is blank)
    template_votes = {"2019": 0, "2021": 0}
    metrics: list[str] = []
    unit: str | None = None
    resolved: Counter = Counter()
    seen: set[str] = set()
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
        named = _items(tail)
        if not named or not seg.groups or not metrics:
            continue
        for blank_item in named[:-1]:  # rows printed with no cells, run into the next row's label
            n_metrics = len(metrics)
            out.records += table2_records(
                out,
                blank_item.extra["clause"],
                blank_item.code,
                metrics,
                [unit] * n_metrics,
                [(0, "")] * n_metrics,
            )
        item = named[-1]
        clause = item.extra["clause"]
        if item.code in seen:
            continue  # (prose after the table naming an item again, "行政许可类信息3条")
        seen.add(item.code)
        row = read_table2_row(seg.groups, item.code, metrics, figures, budget)
        resolved.update(h for h in row.how if h)
        read = [(m, v) for m, v in zip(metrics, row.cells, strict=True) if v is not None]
        if len(read) < len(metrics):
            what = f"row {item.code}" + (f" (read: {', '.join(m for m, _ in read)})" if read else "")
            what += " (or fewer, a cell printed blank)" if row.blank_possible else ""
            out.issues.append(
                _ambiguous(
                    f"table 2 / {clause} / {item.code}", what, seg.text, len(metrics), row.n_ways, row.left
                )
            )
        told = sorted({h for h in row.how if h in ("template", "narrative")})
        if read and told:
            out.issues.append(
                issue(
                    "warning",
                    "layout.flattened",
                    f"table 2 / {clause} / {item.code}",
                    f"row {item.code}: digits '{seg.text}' read as "
                    f"{', '.join(f'{m} {v}' for m, v in read)} by the {' and the '.join(told)}",
                )
            )
        if read:
            out.records += table2_records(
                out,
                clause,
                item.code,
                [m for m, _ in read],
                [unit] * len(read),
                list(enumerate(v for _, v in read)),
            )
    if template_votes["2019"] != template_votes["2021"]:
        out.template = "2019" if template_votes["2019"] > template_votes["2021"] else "2021"
    return out, resolved


@dataclass
class Flattened:
    """What could be read from flattened text: records per table, the issues, the cells printed blank
    ((location, text) as ``TableResult.blanks``), and how many table-2 cells each constraint resolved."""

    requests: list[dict]
    reviews_litigation: list[dict]
    active_disclosure: list[dict]
    issues: list[dict]
    template: str | None
    blanks: list[tuple[str, str]] = field(default_factory=list)
    resolved: Counter = field(default_factory=Counter)


def parse_flattened(text: str) -> Flattened:
    """Tables 2, 3 and 4 from flattened text, as far as the table and its narrative allow."""
    t2 = [m.start() for m in _T2_START.finditer(text)]
    t3 = [m.start() for m in _T3_START.finditer(text)]
    t4 = [m.start() for m in _T4_START.finditer(text)]
    start3 = t3[-1] if t3 else next((m.start() for m in _T3_ROW.finditer(text)), None)
    start4 = next((s for s in t4 if start3 is None or s > start3), None)

    def region(start: int | None, stops: list[int | None]) -> str:
        if start is None:
            return ""
        end = min([s for s in stops if s is not None and s > start] or [len(text)])
        return text[start:end]

    start2 = next((s for s in reversed(t2) if start3 is None or s < start3), None)
    end4 = _T4_END.search(text, start4 + 2) if start4 is not None else None
    narrative = text[: start2 or 0] + "\n" + (text[end4.start() :] if end4 else "")
    budget = Budget()  # table 3 first: its sums make it the one most worth the time
    t3 = _table3(segments(region(start3, [start4])), budget)
    t2, resolved = _table2(segments(region(start2, [start3, start4])), budget, narrative_figures(narrative))
    t4 = _table4(segments(region(start4, [end4.start() if end4 else None])), budget)
    return Flattened(
        t3.records,
        t4.records,
        t2.records,
        t2.issues + t3.issues + t4.issues,
        t2.template,
        t2.blanks + t3.blanks + t4.blanks,
        resolved,
    )
