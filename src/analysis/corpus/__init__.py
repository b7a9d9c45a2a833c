"""Checks across reports: continuity between years, narrative against table, copied text, anomalies.

Every check here reads the store (the tables of one generation, or a year with the years around it, as
a save passes them: see :func:`apply`) and returns rows of ``issues``
(checks named ``corpus.*``, registered in ``model/checks.csv``) and of the derived ``text_reuse``
table. :func:`apply` is what the store runs on every write (``store.save(..., derive=apply)``, passed
by ingest), so the results are the same whatever order the reports arrived in.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache, partial
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.model.fingerprint import fingerprint
from analysis.model.issues import DERIVED_PREFIX
from analysis.store.schema import typed

from .anomalies import anomaly_issues, peer_statistics
from .common import concat, of_reports
from .continuity import continuity_issues
from .kept import Kept
from .narrative import narrative_coverage, narrative_table_issues
from .resolve import resolve, resolved_cells
from .reuse import TABLE_KEYS, copied_table_issues, copied_text_issues, table_keys, text_reuse


def corpus_results(
    tables: dict[str, pd.DataFrame],
    memo: dict | None = None,
    complete: Collection[int] = (),
    own: dict[str, pd.DataFrame] | None = None,
    kept: Kept | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(issues, text_reuse): every finding across reports on these tables (``memo``, ``complete``:
    what a year at a time remembers, see :func:`.reuse.narrative_sentences`; ``own``: the tables of
    just the reports checked, for the checks that look at one report or one year only; ``kept``: the
    steps of each report kept between saves, :mod:`.kept`)."""
    own = tables if own is None else own
    reuse = typed("text_reuse", text_reuse(tables, memo, complete, kept))
    parts = [
        continuity_issues(tables),
        narrative_table_issues(own, kept),
        copied_text_issues(reuse, tables["reports"]),
        copied_table_issues(own),
        anomaly_issues(tables),
    ]
    issues = typed("issues", concat(parts))
    return issues, reuse


@cache
def checks_version() -> str:
    """A fingerprint of these checks' code and data and of what they use (the vocabulary, the parser's
    readings of digit runs): stored with each generation of the store, so that a save keeps the
    findings of the years it does not touch only when they were made by the same checks."""
    return fingerprint("corpus", "model", "parse")


def save_options(store_dir: str | Path) -> dict[str, Any]:
    """What ``store.save`` is given to run these checks on the store at ``store_dir`` as ``ingest``
    runs them: :func:`apply` with the store's kept steps (:class:`.kept.Kept`), the checks' version,
    :func:`year_before` and :func:`check_inputs`."""
    version = checks_version()
    return {
        "derive": partial(apply, kept=Kept(store_dir, version)),
        "version": version,
        "before": year_before,
        "inputs": check_inputs,
    }


# the rows of table 3 the checks read of the year before: 上年结转 against 结转下年度 (continuity), and
# the figures whose change from the year before the anomaly checks judge
_BEFORE_ROWS = ("carried_over", "carried_forward", "new_received", "total_processed")


def year_before(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """What the checks of a year read of the year before (its tables as finished, as ``apply`` is
    given them): table 3's carried and total rows, table 4's totals, table 2 and the issues whole. A
    save holds this of the year it has just checked, not the year's tables."""
    q, rl = tables["requests"], tables["reviews_litigation"]
    return {
        "requests": q[q["row"].isin(_BEFORE_ROWS).to_numpy(dtype=bool)].reset_index(drop=True),
        "reviews_litigation": rl[(rl["result"] == "total").to_numpy(dtype=bool)].reset_index(drop=True),
        "active_disclosure": tables["active_disclosure"],
        "issues": tables["issues"],
    }


def check_inputs(table: str, df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What the checks of a year read of one of its tables, as a save stages the year: table 3 as its
    total and carried rows and each report's :func:`.reuse.table_keys` (a year's table 3 is the
    largest thing a save holds otherwise), table 4 whole and its keys, any other table as it is."""
    if table == "requests":
        # the totals (narrative against table, anomalies) and the rows continuity reads of a year
        # before; the other cells only through table_keys
        rows = (df["applicant"] == "total") | df["row"].isin(_BEFORE_ROWS)
        slim = df[rows.fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
        return {table: slim, TABLE_KEYS: table_keys(table, df)}
    if table == "reviews_litigation":
        return {table: df, TABLE_KEYS: table_keys(table, df)}
    return {table: df}


def apply(
    tables: dict[str, pd.DataFrame],
    years: Collection[int] | None = None,
    memo: dict | None = None,
    kept: Kept | None = None,
) -> dict[str, pd.DataFrame]:
    """The store's tables with the checks across reports made afresh (old ``corpus.*`` issues, cells
    taken by an earlier resolution and the derived tables replaced): ambiguous rows are resolved
    across years first (:mod:`.resolve`), then every check runs on the tables with those cells.

    With ``years``, only the reports of those years are resolved and checked, and only the tables the
    checks change come back (issues, active_disclosure, text_reuse), with those reports' rows: what a
    save computes a year at a time. ``tables`` must then hold those years, the year before each as
    finished (its cells resolved; its sections only when the call before was not given that year),
    the year after's issues and active_disclosure and the sections of each report's earlier previous
    report: all that the checks of a year look at; and ``memo``, the same dict at every call of one
    save, keeps what a year's checks learnt of that whole year for the years after (its template
    wording; the last year's shingle sets). ``kept``: each report's sentences and narrative figures
    kept between saves (:class:`.kept.Kept`), made only for the reports it does not hold."""
    try:
        return _apply(tables, years, memo, kept)
    finally:
        if kept is not None:  # what it read of these years: not held into the next call; of the
            # years checked (every report asked for), the rows of reports no longer there pruned
            kept.release(prune=None if years is None else [int(y) for y in years if y is not None])


def _apply(
    tables: dict[str, pd.DataFrame], years: Collection[int] | None, memo: dict | None, kept: Kept | None
) -> dict[str, pd.DataFrame]:
    old = tables["issues"]
    old = old[~old["check"].astype("string").str.startswith(DERIVED_PREFIX)]
    tables = {**tables, "issues": old}
    ad = tables["active_disclosure"]
    taken = resolved_cells(tables)
    stripped = {**tables, "active_disclosure": ad[~taken].reset_index(drop=True)}
    if years is None:
        cells, resolved = resolve(stripped)
        checked = stripped
    else:
        reports = tables["reports"]
        focus = set(reports.loc[reports["year"].isin(list(years)), "report_id"].astype("string"))
        cells, resolved = resolve({**stripped, "issues": old[old["report_id"].isin(focus)]})
        keep = ~taken | ~ad["report_id"].isin(focus).to_numpy(dtype=bool)  # the year before as finished
        checked = {**tables, "active_disclosure": ad[keep].reset_index(drop=True)}
    if len(cells):
        cells = typed("active_disclosure", cells)
        checked["active_disclosure"] = pd.concat([checked["active_disclosure"], cells], ignore_index=True)
    own = None
    if years is not None:  # narrative against table and copied tables: the year's reports alone
        own = {t: of_reports(df, focus) for t, df in checked.items()}
    issues, reuse = corpus_results(checked, memo, () if years is None else years, own, kept)
    issues = typed("issues", concat([resolved, issues]))
    merged = pd.concat([old, issues], ignore_index=True) if len(issues) else old.reset_index(drop=True)
    out = {**checked, "issues": merged, "text_reuse": reuse}
    if years is None:
        return out
    return {
        t: of_reports(out[t], focus).reset_index(drop=True)
        for t in ("issues", "active_disclosure", "text_reuse")
    }


__all__ = [
    "Kept",
    "anomaly_issues",
    "apply",
    "check_inputs",
    "checks_version",
    "copied_table_issues",
    "continuity_issues",
    "corpus_results",
    "narrative_coverage",
    "narrative_table_issues",
    "peer_statistics",
    "save_options",
    "text_reuse",
    "year_before",
]
