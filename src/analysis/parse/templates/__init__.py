"""The table templates as data: label patterns → canonical codes, read from the CSVs beside this file.

Editing a CSV (a new wording, a variant label) changes what the parser recognises; no code change.
Patterns are regular expressions applied to a *normalized* label (see :func:`normalize_label`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from analysis.model.cn import CN_ENUM, cn_to_int
from analysis.model.nfkc import nfkc

_HERE = Path(__file__).parent


@lru_cache(maxsize=1 << 16)  # the same labels recur in every report: NFKC is a tenth of parsing
def normalize_label(text: str) -> str:
    """Full-width → half-width (NFKC), no whitespace, one kind of bracket: how labels are compared."""
    text = nfkc(text)  # (unicodedata's NFKC, by a table for most text: paragraphs miss the cache)
    text = re.sub(r"[\s\u200b\ufeff]+", "", text)
    return text.replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")


@dataclass(frozen=True)
class Pattern:
    """One row of a template CSV: a code and the regex that recognises its label."""

    code: str
    regex: re.Pattern[str]
    extra: dict[str, str]

    def matches(self, label: str) -> bool:
        return bool(self.regex.search(label))


def _load(name: str, code_col: str) -> tuple[Pattern, ...]:
    with open(_HERE / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Pattern(
            r[code_col],
            re.compile(r["pattern"]),
            {k: v for k, v in r.items() if k not in (code_col, "pattern")},
        )
        for r in rows
    )


@cache
def table3_rows() -> tuple[Pattern, ...]:
    """Table 3 row patterns in priority order (first match wins); ``extra['after']`` restricts context."""
    return _load("table3_rows.csv", "code")


@cache
def table2_items() -> tuple[Pattern, ...]:
    """Table 2 item patterns; ``extra['clause']`` is the clause the item belongs to."""
    return _load("table2_items.csv", "item")


@cache
def table2_metrics() -> tuple[Pattern, ...]:
    """Table 2 column-header patterns; ``extra['template']`` says which template uses the metric."""
    return _load("table2_metrics.csv", "metric")


@cache
def anchors() -> tuple[Pattern, ...]:
    """Where each table starts (a section heading or a row label) and where table 4 ends."""
    return _load("anchors.csv", "anchor")


@lru_cache(maxsize=1 << 14)  # the same labels recur in every report
def match_table3_row(label: str, previous: str | None) -> str | None:
    """The table-3 row code for a normalized label, given the previously matched code."""
    for p in table3_rows():
        after = p.extra.get("after") or ""
        if after and not (previous and re.search(after, previous)):
            continue
        if p.matches(label):
            return p.code
    return None


def match_first(patterns: tuple[Pattern, ...], label: str) -> Pattern | None:
    """The first pattern whose regex finds the normalized label, or None."""
    for p in patterns:
        if p.regex.search(label):
            return p
    return None


_CLAUSE = re.compile(rf"第二十条第\(([{CN_ENUM}]+)\)项")


def match_clause(label: str) -> str | None:
    """'第二十条第（五）项' → '20.5'."""
    m = _CLAUSE.search(label)
    if not m:
        return None
    return f"20.{cn_to_int(m.group(1))}"


@cache
def table2_narrative() -> tuple[Pattern, ...]:
    """Sentences of the narrative that repeat a table-2 figure (制发规范性文件34件): ``extra['metric']``
    is the column, the pattern's first group that matched the figure."""
    return _load("table2_narrative.csv", "item")


@cache
def table2_implied() -> tuple[tuple[str, str], ...]:
    """(larger, smaller) table-2 columns a template implies an order between (现行有效件数 ≥ 本年制发件数)."""
    with open(_HERE / "table2_implied.csv", encoding="utf-8", newline="") as fh:
        return tuple((r["larger"], r["smaller"]) for r in csv.DictReader(fh))


@cache
def legacy_rows() -> tuple[Pattern, ...]:
    """Legacy (pre-2019) statistics-table labels → codes, first match wins; ``extra``: table, group, role."""
    return _load("legacy_rows.csv", "code")


@cache
def legacy_sentences() -> tuple[Pattern, ...]:
    """Legacy narrative wordings → codes: a figure in group ``n``, or a fixed ``value`` (0 for 未收到 …)."""
    return _load("legacy_sentences.csv", "code")
