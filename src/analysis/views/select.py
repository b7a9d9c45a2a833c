"""Which reports the views use: one per (bureau, year), then a bureau, a list of bureaus or a region."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.store.choose import choose
from analysis.store.slice import region_matches

__all__ = [
    "bureaus_with_report",
    "latest_per_bureau",
    "pick_reports",
    "region_matches",
    "scope",
    "select_reports",
]


def pick_reports(reports: pd.DataFrame, issues: pd.DataFrame | None = None) -> pd.DataFrame:
    """One report per (bureau, year): when several documents cover it, the one the rule prefers.

    The rule (:func:`analysis.store.choose.choose`): a readable document first, then the later publication, then fewer
    errors (counted from ``issues`` when given), a complete read, a format that keeps table cells,
    fewer issues, report_id. It is the choice the store records in ``reports.superseded_by``.
    """
    if reports.empty:
        return reports.copy()
    chosen = reports[choose(reports, issues).isna()]
    return chosen.sort_values(["bureau", "year"], kind="stable").reset_index(drop=True)


def select_reports(
    tables: dict[str, pd.DataFrame], reports: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Every table restricted to the chosen reports (default: :func:`pick_reports` of ``tables['reports']``)."""
    chosen = pick_reports(tables["reports"], tables.get("issues")) if reports is None else reports
    ids = set(chosen["report_id"].astype("string"))
    out = {}
    for name, df in tables.items():
        if name == "reports":
            out[name] = chosen.reset_index(drop=True)
        elif "report_id" in df.columns:
            out[name] = df[df["report_id"].astype("string").isin(ids)].reset_index(drop=True)
        else:
            out[name] = df
    return out


def scope(
    tables: dict[str, pd.DataFrame],
    bureau: str | Sequence[str] | None = None,
    region: str | None = None,
    dedupe: bool = True,
) -> dict[str, pd.DataFrame]:
    """The tables for one bureau, a list of bureaus, or one region.

    A region keeps the reports whose ``region`` equals it (or ends with it: ``淮安市`` matches
    ``江苏省淮安市``, not ``江苏省淮安市洪泽区`` — sub-regions report separately, and a city report
    already covers the city) and relabels their ``bureau`` with the region's name, so the views sum
    them into one series. Reports are deduplicated per (bureau, year) first.
    """
    t = select_reports(tables) if dedupe else dict(tables)
    reports = t["reports"]
    if region:
        keep = reports[region_matches(reports["region"], region)]
    elif bureau is not None:
        names = [bureau] if isinstance(bureau, str) else list(bureau)
        keep = reports[reports["bureau"].astype("string").isin(names)]
    else:
        keep = reports
    out = select_reports(t, keep)
    if region:
        for name, df in out.items():
            if "bureau" in df.columns:
                df = df.copy()
                df["bureau"] = pd.Series(region, index=df.index, dtype="string")
                out[name] = df
    return out


def latest_per_bureau(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of each bureau's most recent year: what "each bureau's latest report" charts show."""
    if df.empty:
        return df
    return df[df["year"] == df.groupby("bureau")["year"].transform("max")]


def bureaus_with_report(reports: pd.DataFrame, year: int) -> list[str]:
    """Bureaus that have a (readable or partly readable) report for ``year``, sorted."""
    r = reports[(reports["year"] == year) & (reports["parse_status"].astype("string") != "failed")]
    return sorted(r["bureau"].dropna().astype(str).unique())
