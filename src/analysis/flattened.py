"""Tables whose cells run together ("本年新收…640020470" = 64|0|0|2|0|4|70), as crawlers save pages.

A digit run is split into cells only where the template's arithmetic leaves exactly one way to do
it: in table 3 every row's six applicant columns add up to its total; in table 4 every
proceeding's four results add up to its total. A run that splits more than one way (or none) is
reported and left unread, never guessed. Table 2 has no such arithmetic and is not read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from . import codes, templates
from .tables import issue
from .templates import normalize_label

# a label's own numbering ("2.其他法律…") glued to the previous row's digits: "00000002.其他"
_TOKENS = re.compile(r"(?P<digits>[0-9][0-9 ]*)|(?P<text>[^0-9]+)")
_LABEL_NUMBER = re.compile(r"^[.、．]")
_T3_START = re.compile(r"三、收到和处理政府信息公开申请情况")
_T4_START = re.compile(r"四、政府信息公开行政复议")
_T4_END = re.compile(r"五、")


def splits(run: str, n: int) -> Iterator[list[int]]:
    """Every way to cut a digit run into n numbers (no leading zeros); a space is always a cut."""
    groups = [g for g in run.split(" ") if g]

    def rec(gi: int, pos: int, left: int) -> Iterator[list[int]]:
        if gi == len(groups):
            if left == 0:
                yield []
            return
        g = groups[gi]
        if pos == len(g):
            yield from rec(gi + 1, 0, left)
            return
        if left == 0:
            return
        ends = [pos + 1] if g[pos] == "0" else range(pos + 1, len(g) + 1)
        for end in ends:
            for rest in rec(gi, end, left - 1):
                yield [int(g[pos:end]), *rest]

    yield from rec(0, 0, n)


def consistent_splits(run: str, sizes: list[int], limit: int = 50) -> list[list[int]]:
    """Splits of run into consecutive groups whose parts add up to the group's last number (its total)."""
    n = sum(sizes)
    found: list[list[int]] = []
    for cand in splits(run, n):
        i, ok = 0, True
        for size in sizes:
            group = cand[i : i + size]
            if sum(group[:-1]) != group[-1]:
                ok = False
                break
            i += size
        if ok:
            found.append(cand)
            if len(found) >= limit:
                break
    return found


def _columns_add_up(rows: dict[str, list[int]]) -> bool:
    """Table 3's column arithmetic: outcomes add up to (七)总计, and 一+二 = (七)+四, in every column."""
    outcome = [r for r in codes.OUTCOME_ROWS if r in rows]
    for j in range(len(codes.APPLICANTS)):
        if "total_processed" in rows and sum(rows[r][j] for r in outcome) != rows["total_processed"][j]:
            return False
        if all(
            k in rows for k in ("new_received", "carried_over", "total_processed", "carried_forward")
        ) and (
            rows["new_received"][j] + rows["carried_over"][j]
            != rows["total_processed"][j] + rows["carried_forward"][j]
        ):
            return False
    return True


def _resolve(
    candidates: dict[str, list[list[int]]], max_combinations: int = 20000
) -> dict[str, list[int]] | None:
    """Pick each ambiguous row's split so that the columns add up; None unless exactly one choice does."""
    fixed = {code: c[0] for code, c in candidates.items() if len(c) == 1}
    open_rows = [code for code, c in candidates.items() if len(c) > 1]
    total = 1
    for code in open_rows:
        total *= len(candidates[code])
    if not open_rows or total > max_combinations:
        return None
    hits = [
        combo
        for combo in itertools.product(*(candidates[c] for c in open_rows))
        if _columns_add_up({**fixed, **dict(zip(open_rows, combo, strict=True))})
    ]
    return dict(zip(open_rows, hits[0], strict=True)) if len(hits) == 1 else None


def _segments(text: str) -> list[tuple[str, str]]:
    """(label, digit run) pairs, with a label's glued numbering moved back from the run."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKENS.finditer(text)]
    pairs: list[tuple[str, str]] = []
    label = ""
    for k, (kind, tok) in enumerate(tokens):
        if kind == "text":
            label += tok
            continue
        nxt = tokens[k + 1][1] if k + 1 < len(tokens) else ""
        carry = ""
        if _LABEL_NUMBER.match(nxt):
            if len(tok.strip()) == 1:  # only the next label's number: no values in between
                label += tok.strip()
                continue
            tok, carry = tok.rstrip()[:-1], tok.rstrip()[-1]
        pairs.append((label, tok.strip()))
        label = carry
    return pairs


def parse_flattened(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Table 3 and 4 records from flattened text, and the issues (rows not read, table 2 not read)."""
    issues: list[dict] = []
    requests: list[dict] = []
    reviews: list[dict] = []
    starts = [m.start() for m in _T3_START.finditer(text)]
    t4 = [m.start() for m in _T4_START.finditer(text)]
    if starts:
        start = starts[-1]
        stop = next((s for s in t4 if s > start), len(text))
        previous: str | None = None
        runs: dict[str, str] = {}
        candidates: dict[str, list[list[int]]] = {}
        for label, run in _segments(text[start:stop]):
            code = templates.match_table3_row(normalize_label(label), previous)
            if code is None or code in candidates:
                continue
            previous = code
            runs[code] = run
            candidates[code] = consistent_splits(run, [len(codes.APPLICANTS)])
        chosen = {code: c[0] for code, c in candidates.items() if len(c) == 1}
        resolved = _resolve(candidates) or {}
        for code, values in resolved.items():
            issues.append(
                issue(
                    "warning",
                    "layout.flattened",
                    f"table 3 / {code}",
                    f"row {code}: digits '{runs[code]}' split as {'|'.join(map(str, values))}, the only "
                    "reading whose columns add up",
                )
            )
        chosen.update(resolved)
        for code, cands in candidates.items():
            if code not in chosen:
                issues.append(
                    issue(
                        "error",
                        "row.ambiguous",
                        f"table 3 / {code}",
                        f"row {code}: digits '{runs[code]}' split into 7 cells that add up "
                        f"{len(cands)} ways; not read",
                        1,
                        len(cands),
                    )
                )
                continue
            requests += [
                {"row": code, "applicant": a, "value": v, "raw": str(v)}
                for a, v in zip(codes.APPLICANTS, chosen[code], strict=True)
            ]
    if t4:
        start = t4[-1]
        end = _T4_END.search(text, start)
        runs = [run for _, run in _segments(text[start : end.start() if end else len(text)]) if run]
        if runs:
            run = " ".join(runs)
            found = consistent_splits(run, [len(codes.RESULTS)] * len(codes.PROCEEDINGS), limit=2)
            values = found[0] if len(found) == 1 else None
            if values is None:
                issues.append(
                    issue(
                        "error",
                        "row.ambiguous",
                        "table 4",
                        f"table 4: digits '{run}' split into 15 cells that add up {len(found)}"
                        f"{'+' if len(found) == 2 else ''} ways; not read",
                        1,
                        len(found),
                    )
                )
            else:
                it = iter(values)
                reviews = [
                    {"proceeding": p, "result": r, "value": v, "raw": str(v)}
                    for p in codes.PROCEEDINGS
                    for r in codes.RESULTS
                    for v in [next(it)]
                ]
    return requests, reviews, issues
