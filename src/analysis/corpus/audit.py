"""The audit: per bureau and year, every failed relation, copied share, anomaly and unread value found
in the store, and a summary of who fails what (the ``audit`` notebook, exported as CSV and xlsx)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.model.issues import FINDING_KINDS
from analysis.model.labels import FINDING_KIND_LABELS

from .common import used_reports
from .reuse import COPIED_OTHER

# what a finding is, by check (checks.csv ``kind``), and the kinds in the order the audit lists them:
# relation (关系不符: a relation fails, in one report or across years), narrative (叙述与表格不符),
# copied (雷同), anomaly (异常值), unread (未读取: a value or table not read)
KINDS: dict[str, str] = FINDING_KINDS
KIND_ORDER: tuple[str, ...] = tuple(FINDING_KIND_LABELS)
# what the audit reads for its scope (a region, a year): the stored findings (issues, text_reuse) and what
# the narrative coverage compares (sections and the statistical tables)
SCOPE_TABLES = (
    "reports",
    "issues",
    "text_reuse",
    "sections",
    "requests",
    "reviews_litigation",
    "active_disclosure",
)
COLUMNS = [
    "bureau",
    "year",
    "kind",
    "check",
    "severity",
    "location",
    "expected",
    "actual",
    "message",
    "source_path",
]


def audit_findings(
    tables: dict[str, pd.DataFrame], copied_share: float = COPIED_OTHER, anomalies: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per finding on the reports the views use: the issues of the checks in :data:`KINDS`,
    plus every ``text_reuse`` share of at least ``copied_share`` (a 雷同 row naming the other report).
    ``anomalies`` (issue rows) replaces the stored anomaly warnings, e.g. recomputed with other
    thresholds."""
    r = used_reports(tables)
    i = tables["issues"]
    i = i[i["report_id"].isin(r["report_id"])].astype(dict.fromkeys(["check", "severity"], "string"))
    if anomalies is not None:
        kinds = i["check"].map(KINDS)
        new = anomalies.astype(dict.fromkeys(["check", "severity"], "string"))
        i = pd.concat([d for d in (i[kinds != "anomaly"], new) if len(d)] or [i.iloc[0:0]])
    i = i[i["check"].isin(list(KINDS))].assign(kind=lambda d: d["check"].map(KINDS))
    tr = tables["text_reuse"]
    tr = tr[tr["report_id"].isin(r["report_id"]) & (tr["share"].astype(float) >= copied_share)]
    shares = tr.assign(
        kind="copied",
        check="text_reuse." + tr["relation"].astype("string"),
        severity="warning",
        location="narrative",
        expected=tr["other_report_id"],
        actual=tr["share"].map(lambda s: f"{float(s):.0%}"),
        message=[
            f"{float(s):.0%} of the narrative repeats {ob} {oy}"
            for s, ob, oy in zip(tr["share"], tr["other_bureau"], tr["other_year"], strict=True)
        ],
    )
    shares = shares[~shares["report_id"].isin(i.loc[i["check"] == "corpus.copied_text", "report_id"])]
    out = pd.concat([d for d in (i, shares) if len(d)] or [i], ignore_index=True)
    out = out.drop(columns=["bureau", "year"], errors="ignore").merge(
        r[["report_id", "bureau", "year", "source_path"]], on="report_id"
    )
    out["kind"] = pd.Categorical(out["kind"], categories=KIND_ORDER, ordered=True)
    out = out.sort_values(["bureau", "year", "kind", "check", "location"], kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def audit_summary(findings: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Who fails what: per kind and check, the bureaus and reports with a finding, out of all."""
    total = used_reports({"reports": reports})
    g = findings.groupby(["kind", "check"], observed=True)
    out = pd.DataFrame(
        {
            "bureaus": g["bureau"].nunique(),
            "reports": g.apply(lambda d: len(d[["bureau", "year"]].drop_duplicates()), include_groups=False),
            "findings": g.size(),
        }
    ).reset_index()
    out["of_bureaus"] = total["bureau"].nunique()
    out["of_reports"] = len(total)
    return out


def kind_counts(findings: pd.DataFrame, bureaus: Iterable[str], year: int) -> pd.Series:
    """How many findings of each kind (:data:`KIND_ORDER`) the ``year`` reports of ``bureaus`` have, for a
    brief's 数据核对 line; a kind without findings counts 0 (the checks ran on the whole store)."""
    mine = findings[findings["bureau"].isin(list(bureaus)) & (findings["year"] == year)]
    counts = mine["kind"].astype("string").value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in KIND_ORDER}, name="findings")
