"""Several documents for one bureau and year: all are kept, one is chosen for the views.

A body may publish a corrected report after the first one, or the same report exists as an HTML page
and a PDF. The store keeps every document; this module picks the one the views and notebooks use and
records the choice (``reports.superseded_by``) and a ``duplicate.bureau_year`` warning on each.

The rule, in order: a readable document (status ok/partial) before an unreadable one; the later
publication (``reports.published``: the page's PubDate or 发布时间, else a PDF's /ModDate, else the date
the report is signed with; a document with no date counts as the earliest); fewer errors; status ok before partial; a format
that keeps table cells (HTML, PDF, DOCX before pasted text); fewer issues; then report_id, so the
choice never depends on the order files were read.
"""

from __future__ import annotations

import pandas as pd

CHECK = "duplicate.bureau_year"

STATUS_RANK = {"ok": 0, "partial": 1, "failed": 2}  # the better read first (also views.coverage_grid)
_FORMAT = {"html": 0, "pdf": 1, "docx": 2, "doc": 3, "wps": 4, "txt": 5}
# (sort column, why it decides: said of the chosen document) in the order the rule applies them
_KEYS = (
    ("_unreadable", "it could be read"),
    ("_unpublished", "it was published later"),
    ("_errors", "it has fewer errors"),
    ("_status", "it was read completely"),
    ("_format", "its format keeps the table cells"),
    ("_issues", "it has fewer issues"),
    ("report_id", "of a stable order (report_id)"),
)


def _ranked(reports: pd.DataFrame, issues: pd.DataFrame | None) -> pd.DataFrame:
    """The reports with one sort column per step of the rule (smaller is preferred)."""
    df = reports.copy()
    status = df["parse_status"].astype("string")
    df["_unreadable"] = (status == "failed").astype(int)
    dates = df["published"] if "published" in df.columns else pd.Series(pd.NA, index=df.index)
    published = pd.to_datetime(dates.astype("string"), errors="coerce", format="%Y-%m-%d")
    # later is preferred; no date sorts last
    df["_unpublished"] = -published.map(lambda t: t.toordinal() if pd.notna(t) else 0).astype("int64")
    if issues is not None and len(issues):
        own = issues[issues["check"].astype("string") != CHECK]
        errors = own[own["severity"].astype("string") == "error"].groupby("report_id", observed=True).size()
        counts = own.groupby("report_id", observed=True).size()
        df["_errors"] = df["report_id"].map(errors).fillna(0).astype(int)
        df["_issues"] = df["report_id"].map(counts).fillna(0).astype(int)
    else:
        df["_errors"] = 0
        df["_issues"] = pd.to_numeric(df.get("n_issues"), errors="coerce").fillna(0).astype(int)
    df["_status"] = status.map(STATUS_RANK).fillna(3).astype(int)
    df["_format"] = df["source_format"].astype("string").map(_FORMAT).fillna(9).astype(int)
    return df


def choose(reports: pd.DataFrame, issues: pd.DataFrame | None = None) -> pd.Series:
    """``superseded_by`` for each report (aligned to ``reports``): the report_id of the document chosen
    for its bureau and year, or <NA> for the chosen one and for reports with no bureau or year."""
    out = pd.Series(pd.NA, index=reports.index, dtype="string")
    if reports.empty:
        return out
    df = _ranked(reports, issues)
    known = df[df["bureau"].notna() & df["year"].notna()]
    known = known.sort_values([k for k, _ in _KEYS], kind="stable")
    first = known.groupby(["bureau", "year"], observed=True, sort=False)["report_id"].transform("first")
    superseded = first[first != known["report_id"]]
    out.loc[superseded.index] = superseded.astype("string")
    return out


def used(reports: pd.DataFrame) -> pd.Series:
    """Which reports the views and the checks across reports use: the document chosen for its bureau
    and year (not superseded), with bureau and year known, and read."""
    return (
        reports["superseded_by"].isna()
        & reports["bureau"].notna()
        & reports["year"].notna()
        & (reports["parse_status"].astype("string") != "failed")
    ).fillna(False)


def _why(chosen: dict, other: dict) -> str:
    for key, why in _KEYS:
        if chosen[key] != other[key]:
            return why
    return _KEYS[-1][1]


def duplicate_issues(reports: pd.DataFrame, issues: pd.DataFrame | None = None) -> list[dict]:
    """One ``duplicate.bureau_year`` warning per document of a bureau and year that has several,
    naming the others and saying which one the views use and why (``reports.superseded_by`` set)."""
    if reports.empty:
        return []
    df = _ranked(reports, issues)
    df = df[df["bureau"].notna() & df["year"].notna()]
    df = df[df.duplicated(["bureau", "year"], keep=False)]  # only bureau-years with several documents
    if df.empty:
        return []
    df = df.assign(bureau=df["bureau"].astype("string"))
    df = df.sort_values(["bureau", "year", *(k for k, _ in _KEYS)], kind="stable")
    records = df[["bureau", "year", "source_path", *(k for k, _ in _KEYS)]].to_dict("records")
    rows: list[dict] = []
    start = 0
    while start < len(records):  # one bureau-year at a time, its documents in the rule's order
        end = start + 1
        head_key = (records[start]["bureau"], records[start]["year"])
        while end < len(records) and (records[end]["bureau"], records[end]["year"]) == head_key:
            end += 1
        group, start = records[start:end], end
        chosen = group[0]
        head = f"{len(group)} documents for {head_key[0]} {head_key[1]}"
        for rep in group:
            if rep is chosen:
                others = ", ".join(str(r["source_path"]) for r in group[1:])
                msg = f"{head}: the views use this one ({_why(chosen, group[1])}); also {others}"
            else:
                msg = f"{head}: the views use {chosen['source_path']} instead ({_why(chosen, rep)})"
            rows.append(
                {
                    "report_id": rep["report_id"],
                    "bureau": head_key[0],
                    "year": head_key[1],
                    "severity": "warning",
                    "check": CHECK,
                    "location": "reports",
                    "expected": chosen["report_id"],
                    "actual": rep["report_id"],
                    "message": msg,
                }
            )
    return rows


def apply(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The store's tables with the choice made afresh: ``superseded_by``, the duplicate warnings (old
    ones replaced) and ``n_issues`` recounted from the issues table."""
    reports = tables["reports"].copy()
    issues = tables["issues"]
    issues = issues[issues["check"].astype("string") != CHECK]
    reports["superseded_by"] = choose(reports, issues)
    dup = pd.DataFrame(duplicate_issues(reports, issues), columns=issues.columns)
    issues = pd.concat([issues, dup], ignore_index=True) if len(dup) else issues.reset_index(drop=True)
    counts = issues.groupby("report_id", observed=True).size()
    reports["n_issues"] = reports["report_id"].map(counts).fillna(0).astype(int)
    return {**tables, "reports": reports, "issues": issues}
