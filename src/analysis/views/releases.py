"""Table 2 shaped: the long table with labels, and the figures that compare across templates."""

from __future__ import annotations

import pandas as pd

from analysis.model import codes
from analysis.model.labels import ITEM_LABELS, METRIC_LABELS
from analysis.views.shape import plain
from analysis.views.unread import complete, read_sum, reuse_last

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


def _template_cells(report: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (clause, item, metric) cells a report's table 2 template prints, the template told by a
    metric only it has; none when the records tell no template."""
    present = set(report["metric"].astype(str))
    template = next((t for t, only in _ONLY_IN.items() if present & only), None)
    if template is None:
        return []
    return [
        (clause, item, metric)
        for clause, items in codes.ACTIVE_DISCLOSURE[template].items()
        for item, ms in items.items()
        for metric in ms
    ]


def with_unread_cells(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """The table-2 records (plain dtypes) plus a record with value NA for every cell the report's
    template prints but that was not read (a row left ambiguous, a table cut off): missing, never 0."""
    return reuse_last("active_disclosure", active_disclosure, _with_unread_cells)


def _with_unread_cells(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    df = plain(active_disclosure, "clause", "item", "metric", "unit")
    out = complete(df, ["clause", "item", "metric"], _template_cells, by=["metric"])
    unit = out["metric"].map(lambda m: "万元" if m in codes.MONEY_METRICS else "件")
    out["unit"] = out["unit"].where(out["unit"].notna() & (out["unit"] != ""), unit)
    return out


def release_table(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """Table 2 in long form with Chinese labels: bureau, year, clause, item, metric, label, value, unit.
    A cell the template prints but the report's text did not give up is NA (see :func:`with_unread_cells`)."""
    cols = ["bureau", "year", "clause", "item", "metric", "label", "value", "unit"]
    df = active_disclosure
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = with_unread_cells(df)
    keys = ["bureau", "year", "clause", "item", "metric"]
    by = df.groupby(keys, dropna=False)
    g = pd.DataFrame({"value": read_sum(by["value"]), "unit": by["unit"].first()}).reset_index()
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
    t = t[t["clause"] != codes.LEGACY_CLAUSE]  # a legacy report has no table 2: nothing to compare, not NA
    if t.empty:
        return pd.DataFrame(columns=cols)

    def pick(mask: pd.Series) -> pd.Series:
        """The sum of the cells the mask picks; NA when any of them was not read (a part missing)."""
        return read_sum(t[mask].groupby(["bureau", "year"])["value"])

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
