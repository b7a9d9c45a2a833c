"""What the store holds, one row per bureau and year: the report the views use, its read status and how
much of it could not be read (``python -m analysis list``)."""

from __future__ import annotations

import pandas as pd

from analysis.model.issues import PARTIAL_CHECKS
from analysis.views.select import pick_reports

LIST_COLUMNS = ["bureau", "year", "parse_status", "unread", "errors", "warnings", "documents", "source_path"]


def report_list(
    reports: pd.DataFrame, issues: pd.DataFrame, year: int | None = None, bureau: str | None = None
) -> pd.DataFrame:
    """Bureaus × years: the chosen report's status, its ``unread`` issues (parts not read: the checks that
    make a report partial), ``errors`` and ``warnings``, and how many documents cover that bureau-year."""
    r = reports[reports["year"].notna()]
    if year:
        r = r[r["year"] == year]
    if bureau:
        r = r[r["bureau"].astype("string") == bureau]
    if r.empty:
        return pd.DataFrame(columns=LIST_COLUMNS)
    chosen = pick_reports(r, issues).copy()
    documents = r.assign(bureau=r["bureau"].astype("string")).groupby(["bureau", "year"], dropna=False).size()
    iss = issues.assign(
        report_id=issues["report_id"].astype("string"),
        check=issues["check"].astype("string"),
        severity=issues["severity"].astype("string"),
    )
    ids = chosen["report_id"].astype("string")

    def count(mask: pd.Series) -> pd.Series:
        return ids.map(iss[mask].groupby("report_id").size()).fillna(0).astype("int64").to_numpy()

    chosen["unread"] = count(iss["check"].isin(PARTIAL_CHECKS))
    chosen["errors"] = count(iss["severity"] == "error")
    chosen["warnings"] = count(iss["severity"] == "warning")
    keys = list(zip(chosen["bureau"].astype("string"), chosen["year"], strict=True))
    chosen["documents"] = [int(documents.get(k, 1)) for k in keys]
    return chosen[LIST_COLUMNS].sort_values(["bureau", "year"]).reset_index(drop=True)
