"""One inconsistency in a report, and the checks the project raises for it: arithmetic within a
table, continuity with the body's report of the year before, the narrative against the table, or
text copied from another body's report of the same year."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .values import ACTIVE, REQUESTS, REVIEWS, State, Tables

KINDS = ("arithmetic", "continuity", "narrative", "copied_text")


@dataclass
class Injection:
    """What was changed, and the checks (``model/checks.csv``) that must report it."""

    kind: str
    checks: list[str]  # each must be raised; `scope` says where
    scope: str  # report: by extract_report; corpus: after ingest (analysis.corpus)
    location: str
    detail: str
    stated: dict[str, float] = field(default_factory=dict)  # narrative figures to print instead

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "checks": self.checks,
            "scope": self.scope,
            "location": self.location,
            "detail": self.detail,
        }


def _bump(t: Tables, key: tuple[str, str], d: int) -> None:
    t.requests[key] += d
    t.blank.discard((REQUESTS, *key))


def arithmetic(rng: random.Random, t: Tables) -> Injection:
    """A cell that breaks its table's sums: a table-3 row total, or a table-4 result."""
    d = rng.randint(1, 5)
    if rng.random() < 0.5:
        row = rng.choice(("granted", "partially_granted", "unavailable.not_held"))
        _bump(t, (row, "total"), d)
        return Injection(
            "arithmetic",
            ["table3.applicant_sum", "table3.outcomes_sum"],
            "report",
            f"requests/{row}/total",
            f"总计 of the row is {d} more than the sum of its columns",
        )
    proc = rng.choice(("review", "litigation_direct", "litigation_after_review"))
    t.reviews[(proc, "upheld")] += d
    t.blank.discard((REVIEWS, proc, "upheld"))
    return Injection(
        "arithmetic",
        ["table4.total"],
        "report",
        f"reviews_litigation/{proc}/upheld",
        f"结果维持 {d} more than 总计 allows",
    )


def continuity(rng: random.Random, t: Tables, state: State, previous: str, table2: bool = True) -> Injection:
    """A figure that does not continue last year's (``previous``: that report's template): 上年结转
    (自然人) off last year's 结转下年度 (the year's own table still balances), or, between two reports of
    one template, 现行有效件数 (2021) or 对外公开总数量 (2019) of normative documents off last year's plus
    this year's; the running total goes on from the changed figure, so only this year breaks. ``table2``
    False: not table 2 (a crawled page may leave its row unread, and then nothing can be compared)."""
    d = rng.randint(1, 4)
    if table2 and previous == t.template and rng.random() < 0.5:
        metric, check = (
            ("in_force", "corpus.in_force")
            if t.template == "2021"
            else ("total_published", "corpus.total_published")
        )
        key = ("20.1", "normative_document", metric)
        t.active[key] += d
        t.blank.discard((ACTIVE, *key))
        running = state.in_force if metric == "in_force" else state.total_published
        running["normative_document"] = int(t.active[key])
        return Injection(
            "continuity",
            [check],
            "corpus",
            f"active_disclosure/20.1/normative_document/{metric}",
            f"{d} more than last year's figure carried on",
        )
    for row in ("carried_over", "granted", "total_processed"):
        for col in ("natural_person", "total"):
            _bump(t, (row, col), d)
    return Injection(
        "continuity",
        ["corpus.carried_over"],
        "corpus",
        "requests/carried_over/natural_person",
        f"上年结转 is {d} more than last year's 结转下年度",
    )


def narrative(rng: random.Random, t: Tables) -> Injection:
    """The narrative states another number of requests received than table 3."""
    carried = t.requests[("carried_over", "total")]
    d = rng.choice([k for k in range(1, 10) if k != carried])  # received + carried over also agrees
    stated = t.requests[("new_received", "total")] + d
    return Injection(
        "narrative",
        ["corpus.narrative_table"],
        "corpus",
        "narrative/new_received",
        f"the narrative states {stated} requests received, table 3 {stated - d}",
        stated={"new_received": stated},
    )


def copied_text(source: str) -> Injection:
    """The narrative repeats another body's report of the same year."""
    return Injection(
        "copied_text", ["corpus.copied_text"], "corpus", "sections", f"narrative copied from {source}"
    )
