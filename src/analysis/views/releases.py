"""Table 2 shaped: the long table with labels, and the figures that compare across templates."""

from __future__ import annotations

import pandas as pd

from analysis.model.labels import ITEM_LABELS, METRIC_LABELS
from analysis.views.shape import plain


def release_table(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """Table 2 in long form with Chinese labels: bureau, year, clause, item, metric, label, value, unit."""
    cols = ["bureau", "year", "clause", "item", "metric", "label", "value", "unit"]
    df = active_disclosure
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = plain(df, "clause", "item", "metric", "unit")
    g = (
        df.groupby(["bureau", "year", "clause", "item", "metric"], dropna=False)
        .agg(value=("value", "sum"), unit=("unit", "first"))
        .reset_index()
    )
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
        return t[mask].groupby(["bureau", "year"])["value"].sum(min_count=1)

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
    df = pd.DataFrame({k: v.reindex(index) for k, v in parts.items()}, index=index).reset_index()
    return df[cols].sort_values(["bureau", "year"]).reset_index(drop=True)
