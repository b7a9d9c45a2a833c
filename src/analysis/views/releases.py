"""Table 2 shaped: the long table with labels, and the figures that compare across templates."""

from __future__ import annotations

import pandas as pd

from analysis.model import codes
from analysis.model.labels import ITEM_LABELS, METRIC_LABELS
from analysis.views.shape import plain

# metrics only one template prints: they tell which template a report's table 2 follows
_ONLY_IN = {
    t: {m for c in codes.ACTIVE_DISCLOSURE[t].values() for ms in c.values() for m in ms}
    - {
        m
        for o in codes.ACTIVE_DISCLOSURE
        if o != t
        for c in codes.ACTIVE_DISCLOSURE[o].values()
        for ms in c.values()
        for m in ms
    }
    for t in codes.ACTIVE_DISCLOSURE
}
KEYS = ["report_id", "bureau", "year", "clause", "item", "metric"]


def with_unread_cells(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """The table-2 records plus a row with value NA for every cell the report's template prints but
    that was not read (a row left ambiguous, a table cut off): an unread cell is missing, never 0."""
    df = active_disclosure
    if df.empty:
        return df
    metrics = df.groupby("report_id", observed=True)["metric"].agg(lambda m: set(m.astype(str)))
    expected = [
        (rid, clause, item, metric)
        for rid, present in metrics.items()
        for template in [next((t for t, only in _ONLY_IN.items() if present & only), None)]
        if template is not None
        for clause, items in codes.ACTIVE_DISCLOSURE[template].items()
        for item, ms in items.items()
        for metric in ms
    ]
    if not expected:
        return df
    grid = pd.DataFrame(expected, columns=["report_id", "clause", "item", "metric"])
    ids = plain(df, "clause", "item", "metric")[["report_id", "bureau", "year", "clause", "item", "metric"]]
    grid = grid.merge(ids[["report_id", "bureau", "year"]].drop_duplicates("report_id"), on="report_id")
    have = pd.MultiIndex.from_frame(ids[KEYS].astype(str))
    unread = grid[~pd.MultiIndex.from_frame(grid[KEYS].astype(str)).isin(have)]
    if unread.empty:
        return df
    read = plain(df, "clause", "item", "metric", "unit").astype({"value": "Float64"})
    unread = unread.assign(
        value=pd.array([pd.NA] * len(unread), dtype="Float64"),
        raw="",  # nothing printed that could be read
        unit=unread["metric"].map(lambda m: "万元" if m in codes.MONEY_METRICS else "件"),
    )[df.columns].astype(read.dtypes.to_dict())
    return pd.concat([read, unread], ignore_index=True)


def release_table(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """Table 2 in long form with Chinese labels: bureau, year, clause, item, metric, label, value, unit.
    A cell the template prints but the report's text did not give up is NA (see :func:`with_unread_cells`)."""
    cols = ["bureau", "year", "clause", "item", "metric", "label", "value", "unit"]
    df = active_disclosure
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = plain(with_unread_cells(df), "clause", "item", "metric", "unit")
    df["value"] = df["value"].astype("Float64")
    keys = ["bureau", "year", "clause", "item", "metric"]
    g = (
        df.groupby(keys, dropna=False)
        .agg(value=("value", lambda v: v.sum() if v.notna().all() else pd.NA), unit=("unit", "first"))
        .reset_index()
    )
    g["value"] = g["value"].astype("Float64")
    g["label"] = (
        g["item"].map(ITEM_LABELS).fillna(g["item"])
        + "·"
        + g["metric"].map(METRIC_LABELS).fillna(g["metric"])
    )
    return g[cols].sort_values(["bureau", "year", "clause", "item", "metric"]).reset_index(drop=True)


RELEASE_SUMMARY_LABELS: dict[str, str] = {
    "documents_issued": "本年制发规章和规范性文件",
    "regulations_issued": "本年制发规章",
    "normative_issued": "本年制发行政规范性文件",
    "documents_in_force": "现行有效规章和规范性文件",
    "license_decisions": "行政许可决定",
    "penalty_decisions": "行政处罚决定",
    "coercion_decisions": "行政强制决定",
    "fee_amount": "行政事业性收费（万元）",
}


def release_summary(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """One row per (bureau, year) with the table-2 figures that compare across templates: documents made
    or issued (2019 ``made`` = 2021 ``issued``), in force (2021 only), licensing / penalty / coercion
    decisions, and fees (2021 only: the 2019 template counts fee items, not money)."""
    cols = ["bureau", "year", *RELEASE_SUMMARY_LABELS]
    t = release_table(active_disclosure)
    if t.empty:
        return pd.DataFrame(columns=cols)

    def pick(mask: pd.Series) -> pd.Series:
        """The sum of the cells the mask picks; NA when any of them was not read (a part missing)."""
        g = t[mask].groupby(["bureau", "year"])["value"]
        return g.sum(min_count=1).mask(g.apply(lambda v: v.isna().any()))

    new = t["metric"].isin(["issued", "made"])
    parts = {
        "regulations_issued": pick(new & (t["item"] == "regulation")),
        "normative_issued": pick(new & (t["item"] == "normative_document")),
        "documents_issued": pick(new & t["item"].isin(["regulation", "normative_document"])),
        "documents_in_force": pick(t["metric"] == "in_force"),
        "license_decisions": pick((t["item"] == "administrative_license") & (t["metric"] == "decisions")),
        "penalty_decisions": pick((t["item"] == "administrative_penalty") & (t["metric"] == "decisions")),
        "coercion_decisions": pick((t["item"] == "administrative_coercion") & (t["metric"] == "decisions")),
        "fee_amount": pick(t["metric"] == "fee_amount"),
    }
    index = t[["bureau", "year"]].drop_duplicates().set_index(["bureau", "year"]).index
    df = pd.DataFrame(
        {k: v.reindex(index).astype("float64") for k, v in parts.items()}, index=index
    ).reset_index()  # float64: NaN for a missing figure, as every other view gives it
    return df[cols].sort_values(["bureau", "year"]).reset_index(drop=True)
