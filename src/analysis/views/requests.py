"""Table 3 shaped: received and processed, outcome shares, the reasons for withholding, who asked."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.model import codes
from analysis.model.labels import APPLICANT_LABELS, OUTCOME_LABELS, ROW_LABELS
from analysis.views.shape import ratio
from analysis.views.unread import complete_requests, legacy_reports, read_sum

OUTCOME_GROUPS: tuple[str, ...] = codes.OUTCOME_GROUPS


def _totals(requests: pd.DataFrame) -> pd.DataFrame:
    """The 总计 column of table 3 with the row's outcome group; values as float, a cell the template
    prints but that was not read is NA (see :func:`analysis.views.unread.complete_requests`)."""
    df = complete_requests(requests)
    df = df[df["applicant"] == "total"].copy()
    df["group"] = df["row"].map(lambda r: codes.outcome_group(r) if isinstance(r, str) else None)
    return df


def _legacy_outcomes(t: pd.DataFrame, answered: pd.Series) -> pd.Series:
    """Per (bureau, year) of a legacy report, the answers by kind it prints, all read, when they add up to
    its 答复总数 (``answered``): then they are all its answers; NA otherwise (a sentence may name some)."""
    legacy = t[t["report_id"].astype(str).isin(legacy_reports(t)) & t["group"].notna()]
    kinds = read_sum(legacy.groupby(["bureau", "year"])["value"]).reindex(answered.index)
    return kinds.where(kinds == answered)


def request_overview(requests: pd.DataFrame) -> pd.DataFrame:
    """One row per (bureau, year): received, carried over, processed, carried forward, each outcome group,
    grant rates and the change in backlog (carried forward minus carried over)."""
    cols = [
        "bureau",
        "year",
        "new_received",
        "carried_over",
        "received_total",
        "total_processed",
        "carried_forward",
        "outcomes",
        *OUTCOME_GROUPS,
        "grant_rate",
        "full_grant_rate",
        "backlog_change",
    ]
    t = _totals(requests)
    if t.empty:
        return pd.DataFrame(columns=cols)
    flows = read_sum(t[t["group"].isna()].groupby(["bureau", "year", "row"])["value"]).unstack("row")
    groups = read_sum(t[t["group"].notna()].groupby(["bureau", "year", "group"])["value"]).unstack("group")
    df = flows.join(groups, how="outer")
    for col in ("new_received", "carried_over", "total_processed", "carried_forward", *OUTCOME_GROUPS):
        if col not in df.columns:
            df[col] = float("nan")
    # a part not read leaves the sum and every rate built on it missing (never read as 0)
    df["received_total"] = df["new_received"] + df["carried_over"]
    df["outcomes"] = df[list(OUTCOME_GROUPS)].sum(axis=1, min_count=len(OUTCOME_GROUPS))
    df["outcomes"] = df["outcomes"].fillna(_legacy_outcomes(t, df["total_processed"]))
    df["grant_rate"] = ratio(df["granted"] + df["partially_granted"], df["outcomes"])
    df["full_grant_rate"] = ratio(df["granted"], df["outcomes"])
    df["backlog_change"] = df["carried_forward"] - df["carried_over"]
    return df.reset_index()[cols].sort_values(["bureau", "year"]).reset_index(drop=True)


def request_flows(requests: pd.DataFrame, rows: Sequence[str]) -> pd.DataFrame:
    """Long table (bureau, year, variable, value) of table-3 flow rows (new_received, carried_over …), in
    the order of ``rows``: a row the report's template does not print (a legacy report's carry-over) is
    left out rather than shown as unread; a row it prints but that was not read is NA."""
    t = _totals(requests)
    t = t[t["group"].isna() & t["row"].isin(list(rows))]
    g = read_sum(t.groupby(["bureau", "year", "row"])["value"]).reset_index()
    g["row"] = pd.Categorical(g["row"], categories=list(rows), ordered=True)
    g = g.sort_values(["bureau", "year", "row"]).rename(columns={"row": "variable"})
    g["variable"] = g["variable"].astype(str)
    return g.reset_index(drop=True)


def without_legacy(df: pd.DataFrame, requests: pd.DataFrame) -> pd.DataFrame:
    """``df`` (keyed by bureau and year) without the bureau-years of legacy reports, for a figure their
    template does not print (上年结转, 结转下年度 and what is built on them): left out, not shown as unread."""
    t = requests[requests["report_id"].astype(str).isin(legacy_reports(requests))]
    legacy = set(zip(t["bureau"].astype(str), t["year"].astype(int), strict=True))
    keep = [(str(b), int(y)) not in legacy for b, y in zip(df["bureau"], df["year"], strict=True)]
    return df[keep]


def outcome_shares(requests: pd.DataFrame) -> pd.DataFrame:
    """Long table (bureau, year, group, label, value, share): each outcome group's count and share of all
    outcomes. Works across the 2019→2021 template change because the (六) rows all fall in ``other``.
    A group not read has value NA, and then no share of that bureau-year is known (all NA). Legacy reports
    (before 2019) print no (一)–(六) outcome rows and are left out, not shown as unread."""
    t = _totals(requests)
    t = t[t["group"].notna() & ~t["report_id"].astype(str).isin(legacy_reports(t))]
    cols = ["bureau", "year", "group", "label", "value", "share"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    g = read_sum(t.groupby(["bureau", "year", "group"], observed=True)["value"]).reset_index()
    full = pd.MultiIndex.from_product(
        [g[["bureau", "year"]].drop_duplicates().itertuples(index=False), OUTCOME_GROUPS]
    )
    g = g.set_index(["bureau", "year", "group"])
    rows = [(b, y, grp) for (b, y), grp in full]
    g = g.reindex(pd.MultiIndex.from_tuples(rows, names=["bureau", "year", "group"])).reset_index()
    den = read_sum(g.groupby(["bureau", "year"])["value"], transform=True)  # NA when a group was not read
    g["share"] = ratio(g["value"], den)
    g["label"] = g["group"].map(OUTCOME_LABELS)
    g["group"] = pd.Categorical(g["group"], categories=list(OUTCOME_GROUPS))
    return g[cols].sort_values(["bureau", "year", "group"]).reset_index(drop=True)


def reasons(requests: pd.DataFrame, groups: Sequence[str] = ("withheld", "unavailable")) -> pd.DataFrame:
    """Long table (bureau, year, group, row, label, value, share_of_group): the reasons behind the chosen
    outcome groups, largest first within each (bureau, year, group)."""
    t = _totals(requests)
    t = t[t["group"].isin(list(groups))]
    cols = ["bureau", "year", "group", "row", "label", "value", "share_of_group"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    g = read_sum(t.groupby(["bureau", "year", "group", "row"], observed=True)["value"]).reset_index()
    g["share_of_group"] = ratio(
        g["value"], read_sum(g.groupby(["bureau", "year", "group"])["value"], transform=True)
    )
    g["label"] = g["row"].map(ROW_LABELS).fillna(g["row"])
    g = g.sort_values(
        ["bureau", "year", "group", "value"], ascending=[True, True, True, False], kind="stable"
    )
    return g[cols].reset_index(drop=True)


def applicant_mix(requests: pd.DataFrame, row: str = "new_received") -> pd.DataFrame:
    """Long table (bureau, year, applicant, label, value, share): who asked (one table-3 row by applicant)."""
    df = complete_requests(requests)
    df = df[(df["row"] == row) & (df["applicant"] != "total")] if not df.empty else df
    cols = ["bureau", "year", "applicant", "label", "value", "share"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    g = read_sum(df.groupby(["bureau", "year", "applicant"])["value"]).reset_index()
    g["share"] = ratio(g["value"], read_sum(g.groupby(["bureau", "year"])["value"], transform=True))
    g["label"] = g["applicant"].map(APPLICANT_LABELS)
    order = {a: i for i, a in enumerate(codes.APPLICANTS)}
    g = g.sort_values(
        ["bureau", "year", "applicant"], key=lambda s: s.map(order) if s.name == "applicant" else s
    )
    return g[cols].reset_index(drop=True)


def other_rows_by_report(requests: pd.DataFrame) -> pd.DataFrame:
    """Which (六)其他处理 layout each (bureau, year) printed: ``one row`` (``other``) or ``three rows``.
    Legacy reports (before 2019, only a 总计 column and no 上年结转) print no (六) row: their ``other`` is left out."""
    requests = requests[~requests["report_id"].astype(str).isin(legacy_reports(requests))]
    rows = requests[requests["row"].astype("string").str.startswith("other")]
    cols = ["bureau", "year", "layout"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    g = rows.groupby([rows["bureau"].astype("string"), rows["year"].astype("int64")])["row"].agg(
        lambda s: "三行" if any(str(r).startswith("other.") for r in s) else "一行"
    )
    return g.rename("layout").reset_index().sort_values(["bureau", "year"]).reset_index(drop=True)
