"""How well the reports were read: parse statuses, issues per check, coverage, duplicate documents."""

from __future__ import annotations

import pandas as pd

from analysis.model.labels import STATUS_LABELS
from analysis.store.choose import STATUS_RANK, choose


def status_counts(reports: pd.DataFrame) -> pd.DataFrame:
    """Reports per parse status (ok / partial / failed) with Chinese labels."""
    s = reports["parse_status"].astype("string").value_counts()
    df = pd.DataFrame({"parse_status": list(STATUS_LABELS)})
    df["label"] = df["parse_status"].map(STATUS_LABELS)
    df["reports"] = df["parse_status"].map(s).fillna(0).astype("int64")
    return df


def issues_by_check(issues: pd.DataFrame) -> pd.DataFrame:
    """Issue counts per (check, severity), with the number of reports affected, most frequent first."""
    cols = ["check", "severity", "issues", "reports"]
    if issues.empty:
        return pd.DataFrame(columns=cols)
    df = issues.assign(check=issues["check"].astype("string"), severity=issues["severity"].astype("string"))
    g = df.groupby(["check", "severity"]).agg(issues=("report_id", "size"), reports=("report_id", "nunique"))
    return (
        g.reset_index().sort_values(["issues", "check"], ascending=[False, True]).reset_index(drop=True)[cols]
    )


def coverage_grid(reports: pd.DataFrame) -> pd.DataFrame:
    """Bureau × year grid of the best parse status per cell (``ok`` / ``partial`` / ``failed``; empty when
    there is no report), with ``×n`` when several files hold the same report."""
    if reports.empty:
        return pd.DataFrame()
    df = reports.assign(
        bureau=reports["bureau"].astype("string").fillna("（未识别）"),
        status=reports["parse_status"].astype("string"),
    )
    df = df[df["year"].notna()]

    def cell(s: pd.Series) -> str:
        best = min(s, key=lambda x: STATUS_RANK.get(x, 9))
        return best if len(s) == 1 else f"{best}×{len(s)}"

    grid = df.pivot_table(index="bureau", columns="year", values="status", aggfunc=cell)
    years = range(int(df["year"].min()), int(df["year"].max()) + 1)
    return grid.reindex(columns=list(years)).fillna("")


def coverage_counts(reports: pd.DataFrame, by: str | None = None, max_rows: int = 30) -> pd.DataFrame:
    """Reports per ``by`` (``region``, else ``admin_level`` when there are more than ``max_rows`` regions)
    × year, all files counted, with how many were read only partly or not at all: the coverage of a
    store too large for one row per bureau. Columns: the ``by`` value as ``group``, year, reports,
    bureaus, partial, failed; ``by`` is kept in ``attrs["by"]``."""
    cols = ["group", "year", "reports", "bureaus", "partial", "failed"]
    if reports.empty:
        return pd.DataFrame(columns=cols)
    if by is None:
        by = "region" if reports["region"].nunique(dropna=False) <= max_rows else "admin_level"
    status = reports["parse_status"].astype("string")
    df = reports.assign(
        group=reports[by].astype("string").fillna("（未识别）"),
        partial=(status == "partial").astype(int),
        failed=(status == "failed").astype(int),
    )
    df = df[df["year"].notna()]
    out = (
        df.groupby(["group", "year"], observed=True)
        .agg(
            reports=("report_id", "size"),
            bureaus=("bureau", "nunique"),
            partial=("partial", "sum"),
            failed=("failed", "sum"),
        )
        .reset_index()[cols]
    )
    out.attrs["by"] = by
    return out


def duplicate_documents(reports: pd.DataFrame, issues: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bureau-years that several documents cover: each document with its publication date, status and
    whether the views use it (the rule of :func:`pick_reports`), the used one first."""
    cols = [
        "bureau",
        "year",
        "used",
        "source_path",
        "published",
        "parse_status",
        "n_issues",
        "duplicate_paths",
    ]
    known = reports[reports["bureau"].notna() & reports["year"].notna()]
    several = known[known.duplicated(["bureau", "year"], keep=False)]
    if several.empty:
        return pd.DataFrame(columns=cols)
    df = several.assign(used=choose(several, issues).isna())
    df = df.sort_values(["bureau", "year", "used"], ascending=[True, True, False], kind="stable")
    return df[[c for c in cols if c in df.columns]].reset_index(drop=True)


def report_issues(
    tables: dict[str, pd.DataFrame], name: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """The issues of the (scoped) reports, optionally of one bureau/region and year, errors first."""
    df = tables["issues"]
    if name is not None:
        df = df[df["bureau"].astype("string") == name]
    if year is not None:
        df = df[df["year"] == year]
    cols = [
        c
        for c in ["bureau", "year", "severity", "check", "location", "expected", "actual", "message"]
        if c in df.columns
    ]
    df = df.assign(_sev=df["severity"].astype("string").map({"error": 0, "warning": 1}).fillna(2))
    return df.sort_values(["_sev", "year", "check"]).drop(columns="_sev")[cols].reset_index(drop=True)
