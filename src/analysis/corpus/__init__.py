"""Checks across reports: continuity between years, narrative against table, copied text, anomalies.

Every check here reads the whole store (the tables of one generation) and returns rows of ``issues``
(checks named ``corpus.*``, registered in ``model/checks.csv``) and of the derived ``text_reuse``
table. :func:`apply` is what the store runs on every write (``store.save(..., derive=apply)``, passed
by ingest), so the results are the same whatever order the reports arrived in.
"""

from __future__ import annotations

import pandas as pd

from analysis.model.issues import DERIVED_PREFIX
from analysis.store.schema import typed

from .anomalies import anomaly_issues, peer_statistics
from .common import concat
from .continuity import continuity_issues
from .narrative import narrative_coverage, narrative_table_issues
from .resolve import resolve, without_resolved
from .reuse import copied_table_issues, copied_text_issues, text_reuse


def corpus_results(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(issues, text_reuse): every finding across reports on these tables."""
    reuse = typed("text_reuse", text_reuse(tables))
    parts = [
        continuity_issues(tables),
        narrative_table_issues(tables),
        copied_text_issues(reuse, tables["reports"]),
        copied_table_issues(tables),
        anomaly_issues(tables),
    ]
    issues = typed("issues", concat(parts))
    return issues, reuse


def apply(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The store's tables with the checks across reports made afresh (old ``corpus.*`` issues, cells
    taken by an earlier resolution and the derived tables replaced): ambiguous rows are resolved
    across years first (:mod:`.resolve`), then every check runs on the tables with those cells."""
    old = tables["issues"]
    old = old[~old["check"].astype("string").str.startswith(DERIVED_PREFIX)]
    tables = without_resolved({**tables, "issues": old})
    cells, resolved = resolve(tables)
    if len(cells):
        ad = typed("active_disclosure", cells)
        tables["active_disclosure"] = pd.concat([tables["active_disclosure"], ad], ignore_index=True)
    issues, reuse = corpus_results(tables)
    issues = typed("issues", concat([resolved, issues]))
    merged = pd.concat([old, issues], ignore_index=True) if len(issues) else old.reset_index(drop=True)
    return {**tables, "issues": merged, "text_reuse": reuse}


__all__ = [
    "anomaly_issues",
    "apply",
    "copied_table_issues",
    "continuity_issues",
    "corpus_results",
    "narrative_coverage",
    "narrative_table_issues",
    "peer_statistics",
    "text_reuse",
]
