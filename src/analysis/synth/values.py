"""Figures of one body over consecutive years: each year's tables add up (勾稽关系), and each year
continues the last (上年结转 = last year's 结转下年度; 现行有效 = last year's + 制发 − 废止; 对外公开总数量
and 上一年项目数量 carried forward)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from analysis.model import codes

APPLICANT_COLUMNS = codes.APPLICANTS[:-1]  # the six columns; `total` is their sum
# how often a request comes from each kind of applicant (自然人 far the most)
APPLICANT_WEIGHTS = (0.8, 0.1, 0.01, 0.02, 0.04, 0.03)
# how often a request ends in each outcome row (2021 rows; 2019 folds other.* into `other`)
OUTCOME_WEIGHTS: dict[str, float] = {
    "granted": 0.35,
    "partially_granted": 0.1,
    "withheld.state_secret": 0.005,
    "withheld.prohibited_by_law": 0.005,
    "withheld.security_stability": 0.005,
    "withheld.third_party": 0.01,
    "withheld.internal_affairs": 0.02,
    "withheld.process_info": 0.02,
    "withheld.enforcement_file": 0.01,
    "withheld.administrative_query": 0.02,
    "unavailable.not_held": 0.2,
    "unavailable.needs_creation": 0.03,
    "unavailable.still_unclear": 0.03,
    "not_processed.petition": 0.04,
    "not_processed.duplicate": 0.02,
    "not_processed.publication": 0.005,
    "not_processed.excessive": 0.005,
    "not_processed.confirmation": 0.01,
    "other.no_correction": 0.03,
    "other.fee_unpaid": 0.003,
    "other.other": 0.05,
}
REQUESTS = "requests"
REVIEWS = "reviews_litigation"
ACTIVE = "active_disclosure"


def template_of(year: int) -> str:
    """The template a report of ``year`` prints: legacy before 2019, 2019 for 2019–2020, then 2021."""
    return "legacy" if year < codes.MODERN_FROM else "2019" if year < 2021 else "2021"


@dataclass
class Tables:
    """One report's figures by the data model's keys, and which zero cells are printed blank."""

    template: str
    requests: dict[tuple[str, str], int] = field(default_factory=dict)  # (row, applicant)
    reviews: dict[tuple[str, str], int] = field(default_factory=dict)  # (proceeding, result)
    active: dict[tuple[str, str, str], float] = field(default_factory=dict)  # (clause, item, metric)
    blank: set[tuple] = field(default_factory=set)  # (table, *keys) of cells printed blank (value 0)

    def rows(self) -> tuple[str, ...]:
        """The table-3 rows this template prints, in order."""
        sixth = ("other",) if self.template == "2019" else codes.OTHER_SUB_ROWS
        return tuple(r for r in codes.REQUEST_ROWS if not r.startswith("other")) + sixth

    def sort_rows(self) -> None:
        order = {r: i for i, r in enumerate(codes.REQUEST_ROWS)}
        self.requests = dict(sorted(self.requests.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])))


@dataclass
class State:
    """What a body carries from one year to the next."""

    carried_forward: dict[str, int] = field(default_factory=dict)  # applicant → 结转下年度
    in_force: dict[str, int] = field(default_factory=dict)  # 20.1 item → 现行有效件数
    total_published: dict[str, int] = field(default_factory=dict)  # 20.1 item → 对外公开总数量
    items: dict[str, tuple[int, int]] = field(default_factory=dict)  # item → (上一年项目数量, 本年增/减)


def _small(rng: random.Random, mean: float) -> int:
    """A count around ``mean`` (geometric-like: many small, a few large)."""
    if mean <= 0:
        return 0
    return int(rng.expovariate(1 / mean)) if rng.random() < 0.85 else 0


def requests_table(rng: random.Random, size: float, rows: tuple[str, ...], state: State) -> dict:
    """Table 3 of one year: every column balances and every row's total is the sum of its columns."""
    out: dict[tuple[str, str], int] = {}
    mean = size * rng.uniform(0.3, 3.0)
    outcomes = [r for r in rows if codes.outcome_group(r)]
    weights = []
    for r in outcomes:
        if r == "other":
            weights.append(sum(w for k, w in OUTCOME_WEIGHTS.items() if k.startswith("other.")))
        else:
            weights.append(OUTCOME_WEIGHTS[r])
    for col, share in zip(APPLICANT_COLUMNS, APPLICANT_WEIGHTS, strict=True):
        new = _small(rng, mean * share) if col != "natural_person" else int(rng.expovariate(1 / mean))
        over = state.carried_forward.get(col, 0)
        forward = min(new + over, _small(rng, (new + over) * 0.05))
        done = new + over - forward
        counts = dict.fromkeys(outcomes, 0)
        for r in rng.choices(outcomes, weights=weights, k=done):
            counts[r] += 1
        out[("new_received", col)] = new
        out[("carried_over", col)] = over
        for r in outcomes:
            out[(r, col)] = counts[r]
        out[("total_processed", col)] = done
        out[("carried_forward", col)] = forward
    for r in rows:
        out[(r, "total")] = sum(out[(r, c)] for c in APPLICANT_COLUMNS)
    state.carried_forward = {c: out[("carried_forward", c)] for c in APPLICANT_COLUMNS}
    return out


def reviews_table(rng: random.Random, size: float) -> dict:
    """Table 4: every proceeding's 总计 is the sum of its four results."""
    out: dict[tuple[str, str], int] = {}
    for proc, scale in zip(codes.PROCEEDINGS, (0.08, 0.05, 0.02), strict=True):
        parts = [_small(rng, size * scale * w) for w in (0.6, 0.1, 0.2, 0.1)]
        for result, v in zip(codes.RESULTS[:-1], parts, strict=True):
            out[(proc, result)] = v
        out[(proc, "total")] = sum(parts)
    return out


def _money(rng: random.Random, scale: float) -> float:
    return round(rng.expovariate(1 / scale), 2) if rng.random() < 0.7 else 0.0


def active_table(rng: random.Random, size: float, template: str, state: State) -> dict:
    """Table 2 of the template, continuing the body's running totals from last year."""
    out: dict[tuple[str, str, str], float] = {}
    doc_scale = {"regulation": size * 0.05, "normative_document": size * 0.6}
    if template == "2021":
        for item, scale in doc_scale.items():
            prev = state.in_force.get(item)
            if prev is None:
                prev = _small(rng, scale * 6)
            issued = _small(rng, scale)
            repealed = min(prev, _small(rng, scale * 0.5))
            in_force = prev + issued - repealed
            out[("20.1", item, "issued")] = issued
            out[("20.1", item, "repealed")] = repealed
            out[("20.1", item, "in_force")] = in_force
            state.in_force[item] = in_force
        out[("20.5", "administrative_license", "decisions")] = _small(rng, size * 40)
        out[("20.6", "administrative_penalty", "decisions")] = _small(rng, size * 15)
        out[("20.6", "administrative_coercion", "decisions")] = _small(rng, size * 2)
        out[("20.8", "administrative_fee", "fee_amount")] = _money(rng, size * 5)
        return out
    for item, scale in doc_scale.items():
        made = _small(rng, scale)
        published = made if rng.random() < 0.8 else rng.randint(0, made)
        total = state.total_published.get(item)
        total = (_small(rng, scale * 6) if total is None else total) + published
        out[("20.1", item, "made")] = made
        out[("20.1", item, "published")] = published
        out[("20.1", item, "total_published")] = total
        state.total_published[item] = total
    for clause, item, decisions in (
        ("20.5", "administrative_license", size * 40),
        ("20.5", "other_management_service", size * 5),
        ("20.6", "administrative_penalty", size * 15),
        ("20.6", "administrative_coercion", size * 2),
        ("20.8", "administrative_fee", None),
    ):
        if item in state.items:
            prev, change = state.items[item]
            prev = prev + change
        else:
            prev = _small(rng, size * 4)
        change = rng.randint(-min(prev, 3), 3) if rng.random() < 0.5 else 0
        out[(clause, item, "prev_year_items")] = prev
        out[(clause, item, "change")] = change
        if decisions is not None:
            out[(clause, item, "decisions")] = _small(rng, decisions)
        state.items[item] = (prev, change)
    out[("20.9", "centralized_procurement", "procurement_items")] = items = _small(rng, size)
    out[("20.9", "centralized_procurement", "procurement_amount")] = _money(rng, size * 30) if items else 0.0
    return out


def year_tables(rng: random.Random, size: float, year: int, state: State) -> Tables:
    """The three tables of one year of a body (legacy years: the year's totals only)."""
    template = template_of(year)
    t = Tables(template)
    if template == "legacy":
        return legacy_tables(rng, size, t, state)
    t.requests = requests_table(rng, size, t.rows(), state)
    t.reviews = reviews_table(rng, size)
    t.active = active_table(rng, size, template, state)
    return t


def legacy_tables(rng: random.Random, size: float, t: Tables, state: State) -> Tables:
    """A legacy year: requests received, answers by kind, reviews, lawsuits, releases and fees."""
    new = _small(rng, size * 1.5)
    granted = rng.randint(0, new)
    partial = rng.randint(0, new - granted)
    withheld = rng.randint(0, new - granted - partial)
    t.requests = {
        ("new_received", "total"): new,
        ("total_processed", "total"): new,
        ("granted", "total"): granted,
        ("partially_granted", "total"): partial,
        ("withheld", "total"): withheld,
        ("unavailable.not_held", "total"): new - granted - partial - withheld,
    }
    t.reviews = {
        ("review", "total"): _small(rng, 0.3),
        ("litigation", "total"): _small(rng, 0.2),
        ("complaint", "total"): _small(rng, 0.1),
    }
    t.active = {
        ("legacy", "proactive_releases", "released"): int(rng.expovariate(1 / (size * 60))) + 1,
        ("legacy", "disclosure_fee", "fee_amount"): 0.0,
    }
    state.carried_forward = {}
    return t
