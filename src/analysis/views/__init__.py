"""Shaping the tidy tables for analysis: outcome shares, year-on-year change, league tables, headline figures.

Pure pandas on the tables of the data model (docs/data-model.md), so every notebook, brief and test
computes a figure the same way; no file I/O (loading is :mod:`analysis.store`'s), no text for people
(numbers and sentences are :mod:`analysis.present.text`'s), labels from :mod:`analysis.model.labels`. Counts are summed per ``(bureau, year)`` before any rate is taken, so a
region (several bureaus relabelled with the region's name by :func:`scope`) is shaped like one bureau.

Definitions used throughout (and stated in the notebooks):

- *received* = 本年新收 (``new_received``); *received incl. carried over* adds 上年结转.
- outcome shares divide each outcome group by the sum of all outcome rows (so they add up to 100 %),
  not by the printed (七)总计, which does not always agree with its rows.
- *grant rate* = (予以公开 + 部分公开) / outcomes; *full grant rate* = 予以公开 / outcomes.
- *correction rate* (纠错率) = 纠正 / 总计 of a proceeding.
- *release volume* = regulations and normative documents made/issued in the year (table 2, 20.1).

One module per subject: ``select`` (which reports), ``requests`` (table 3), ``reviews`` (table 4),
``releases`` (table 2), ``narrative`` (channels, rankings), ``league`` (league tables, year on year),
``headline`` (a bureau-year's key figures), ``quality`` (how well the reports were read), ``unread``
(cells not read: NA, never 0, and the issue that says why), ``shape`` (helpers). Every public name is here too: ``from analysis import views; views.scope(...)``.
"""

from __future__ import annotations

from analysis.views.headline import (
    HEADLINES,
    headline_figures,
    unread_figures,
    unread_values,
    yearly_figures,
)
from analysis.views.league import LEAGUE_METRICS, default_league_year, league_table, league_tables, yoy
from analysis.views.narrative import channel_table, ranking_bands
from analysis.views.params import ParameterError, check_parameters
from analysis.views.quality import (
    coverage_counts,
    coverage_grid,
    duplicate_documents,
    issues_by_check,
    report_issues,
    status_counts,
)
from analysis.views.releases import RELEASE_SUMMARY_LABELS, release_summary, release_table
from analysis.views.requests import (
    OUTCOME_GROUPS,
    applicant_mix,
    other_rows_by_report,
    outcome_shares,
    reasons,
    request_flows,
    request_overview,
    without_legacy,
)
from analysis.views.reviews import correction_rates
from analysis.views.select import (
    bureaus_with_report,
    latest_per_bureau,
    pick_reports,
    region_matches,
    scope,
    select_reports,
)
from analysis.views.unread import UNREAD, sum_read, unread_issues, unread_reasons

__all__ = [
    "HEADLINES",
    "UNREAD",
    "LEAGUE_METRICS",
    "OUTCOME_GROUPS",
    "RELEASE_SUMMARY_LABELS",
    "applicant_mix",
    "ParameterError",
    "bureaus_with_report",
    "check_parameters",
    "channel_table",
    "correction_rates",
    "coverage_counts",
    "coverage_grid",
    "default_league_year",
    "duplicate_documents",
    "headline_figures",
    "issues_by_check",
    "latest_per_bureau",
    "league_table",
    "league_tables",
    "other_rows_by_report",
    "outcome_shares",
    "pick_reports",
    "ranking_bands",
    "reasons",
    "region_matches",
    "release_summary",
    "release_table",
    "report_issues",
    "request_flows",
    "request_overview",
    "without_legacy",
    "scope",
    "select_reports",
    "status_counts",
    "sum_read",
    "unread_figures",
    "unread_issues",
    "unread_reasons",
    "unread_values",
    "yearly_figures",
    "yoy",
]
