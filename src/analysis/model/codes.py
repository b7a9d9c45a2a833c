"""Canonical codes of the data model (docs/data-model.md) in code: the names every step speaks.

Their Chinese labels are in ``model/labels.py``."""

from __future__ import annotations

APPLICANTS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)

# table 3 rows in template order; `other` is the single 2019-style (六) row, other.* the 2021 sub-rows
REQUEST_ROWS: tuple[str, ...] = (
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    "withheld.state_secret",
    "withheld.prohibited_by_law",
    "withheld.security_stability",
    "withheld.third_party",
    "withheld.internal_affairs",
    "withheld.process_info",
    "withheld.enforcement_file",
    "withheld.administrative_query",
    "unavailable.not_held",
    "unavailable.needs_creation",
    "unavailable.still_unclear",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
    "other",
    "other.no_correction",
    "other.fee_unpaid",
    "other.other",
    "total_processed",
    "carried_forward",
)
# rows that are outcomes of the year's processing: they add up to total_processed
OUTCOME_ROWS: tuple[str, ...] = tuple(
    r for r in REQUEST_ROWS if r not in ("new_received", "carried_over", "total_processed", "carried_forward")
)
OUTCOME_GROUPS: tuple[str, ...] = (
    "granted",
    "partially_granted",
    "withheld",
    "unavailable",
    "not_processed",
    "other",
)


# legacy (pre-2019) reports: a count of refusals printed without its reason (不予公开/否决公开) is the
# whole outcome group; these rows are outcomes too but no modern template prints them (data-model.md)
LEGACY_REQUEST_ROWS: tuple[str, ...] = ("withheld",)
# every code requests.row may hold: the template's rows, then the legacy-only ones
ALL_REQUEST_ROWS: tuple[str, ...] = REQUEST_ROWS + LEGACY_REQUEST_ROWS


def outcome_group(row: str) -> str | None:
    """The outcome group of a table-3 row code (the part before the dot), None for non-outcomes."""
    return row.split(".", 1)[0] if row in OUTCOME_ROWS or row in LEGACY_REQUEST_ROWS else None


OTHER_SUB_ROWS: tuple[str, ...] = ("other.no_correction", "other.fee_unpaid", "other.other")


def expected_request_rows(present: set[str]) -> tuple[str, ...]:
    """The table-3 rows a report should print, given those it does: the (六) row as one row
    (``other``) or as three sub-rows, whichever the report uses."""
    sixth = OTHER_SUB_ROWS if present & set(OTHER_SUB_ROWS) else ("other",)
    return tuple(r for r in REQUEST_ROWS if not r.startswith("other")) + sixth


PROCEEDINGS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
RESULTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
# legacy reports count lawsuits without telling direct from after-review ones, and count complaints
# (行政申诉、举报), which no modern table has
LEGACY_PROCEEDINGS: tuple[str, ...] = ("litigation", "complaint")

TEMPLATES: tuple[str, ...] = ("2019", "2021", "legacy")
# the first report year of the national template: reports of earlier years are legacy (free-form)
MODERN_FROM = 2019

# table 2: clause -> items -> metrics, per template (the order the template prints them)
ACTIVE_DISCLOSURE: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "2019": {
        "20.1": {
            "regulation": ("made", "published", "total_published"),
            "normative_document": ("made", "published", "total_published"),
        },
        "20.5": {
            "administrative_license": ("prev_year_items", "change", "decisions"),
            "other_management_service": ("prev_year_items", "change", "decisions"),
        },
        "20.6": {
            "administrative_penalty": ("prev_year_items", "change", "decisions"),
            "administrative_coercion": ("prev_year_items", "change", "decisions"),
        },
        "20.8": {"administrative_fee": ("prev_year_items", "change")},
        "20.9": {"centralized_procurement": ("procurement_items", "procurement_amount")},
    },
    "2021": {
        "20.1": {
            "regulation": ("issued", "repealed", "in_force"),
            "normative_document": ("issued", "repealed", "in_force"),
        },
        "20.5": {"administrative_license": ("decisions",)},
        "20.6": {"administrative_penalty": ("decisions",), "administrative_coercion": ("decisions",)},
        "20.8": {"administrative_fee": ("fee_amount",)},
    },
    # legacy reports: the year's proactive releases (主动公开信息数) and the fees charged for information
    # supplied on request (收费及减免), neither of which the 2019/2021 table 2 has
    "legacy": {
        "legacy": {
            "proactive_releases": ("released",),
            "disclosure_fee": ("fee_amount",),
        },
    },
}
# the table-2 clause of the legacy-only figures above: not the 2019/2021 table 2, so not in its summaries
LEGACY_CLAUSE = "legacy"
MONEY_METRICS: frozenset[str] = frozenset({"procurement_amount", "fee_amount"})

TABLES: tuple[str, ...] = (
    "reports",
    "requests",
    "reviews_litigation",
    "active_disclosure",
    "channel_volumes",
    "rankings",
    "sections",
    "issues",
    "text_reuse",
)
# tables the store derives from the others on every write (checks across reports), not read from a file
DERIVED_TABLES: tuple[str, ...] = ("text_reuse",)
