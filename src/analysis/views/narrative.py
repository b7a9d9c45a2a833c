"""What the narrative states, shaped: channel volumes and the rankings a report cites."""

from __future__ import annotations

import pandas as pd

from analysis.model.labels import CHANNEL_LABELS
from analysis.views.shape import plain


def channel_table(channel_volumes: pd.DataFrame) -> pd.DataFrame:
    """Narrative channel volumes per (bureau, year, channel, metric, unit) with Chinese labels.

    A sentence often gives a total and then its parts ("公开信息302条，其中工作动态218条…"), so the
    largest figure stated for a channel and metric is taken as its volume, not the sum."""
    cols = ["bureau", "year", "channel", "label", "metric", "unit", "value"]
    df = channel_volumes
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = plain(df, "channel", "metric", "unit")
    df[["metric", "unit"]] = df[["metric", "unit"]].fillna("")
    g = df.groupby(["bureau", "year", "channel", "metric", "unit"])["value"].max().reset_index()
    g["label"] = g["channel"].map(CHANNEL_LABELS).fillna(g["channel"])
    return g[cols].sort_values(["bureau", "year", "channel", "metric"]).reset_index(drop=True)


def ranking_bands(rankings: pd.DataFrame) -> pd.DataFrame:
    """Stated rankings ready to draw: ``best``..``worst`` is the place (equal for an exact rank; 1..n for
    a "前n位" statement) and ``label`` reads like the report ("第30位", "前20位")."""
    cols = [
        "bureau",
        "year",
        "list_name",
        "platform",
        "rank_kind",
        "rank",
        "best",
        "worst",
        "label",
        "sentence",
    ]
    df = rankings
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = plain(df, "rank_kind", "platform", "list_name").assign(
        rank=pd.to_numeric(df["rank"], errors="coerce")
    )
    df = df[df["rank"].notna()].copy()
    top = df["rank_kind"] == "top_n"
    df["best"] = df["rank"].where(~top, 1).astype("int64")
    df["worst"] = df["rank"].astype("int64")
    df["label"] = ("第" + df["rank"].astype("int64").astype(str) + "位").where(
        ~top, "前" + df["rank"].astype("int64").astype(str) + "位"
    )
    if "sentence" not in df.columns:
        df["sentence"] = ""
    return df[cols].sort_values(["list_name", "bureau", "year"]).reset_index(drop=True)
