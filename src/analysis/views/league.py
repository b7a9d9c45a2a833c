"""Comparing bureaus and years: league tables (places and their change) and year-on-year change."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.views.releases import release_summary
from analysis.views.requests import request_overview
from analysis.views.reviews import correction_rates

LEAGUE_METRICS: dict[str, dict] = {
    "new_received": {"label": "收到申请数", "ascending": False, "unit": "件"},
    "grant_rate": {"label": "公开率（含部分公开）", "ascending": False, "unit": "%"},
    "review_correction_rate": {"label": "行政复议纠错率（越低越好）", "ascending": True, "unit": "%"},
    "documents_issued": {"label": "本年制发规章和规范性文件", "ascending": False, "unit": "件"},
}


def league_table(values: pd.DataFrame, ascending: bool = False) -> pd.DataFrame:
    """Places per year from a (bureau, year, value) frame: ``place`` 1 is the highest value (lowest when
    ``ascending``); ties share the best place. ``change`` is the gain in places since the bureau's place
    in the previous year (positive = moved up; NA = not ranked last year)."""
    cols = ["bureau", "year", "value", "place", "n", "prev_place", "change"]
    df = values.dropna(subset=["value"]).copy()
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["year"] = df["year"].astype("int64")
    df["place"] = df.groupby("year")["value"].rank(method="min", ascending=ascending).astype("int64")
    df["n"] = df.groupby("year")["value"].transform("size").astype("int64")
    prev = df[["bureau", "year", "place"]].assign(year=df["year"] + 1).rename(columns={"place": "prev_place"})
    df = df.merge(prev, on=["bureau", "year"], how="left")
    df["prev_place"] = df["prev_place"].astype("Int64")
    df["change"] = (df["prev_place"] - df["place"]).astype("Int64")
    return df[cols].sort_values(["year", "place", "bureau"]).reset_index(drop=True)


def league_tables(
    tables: dict[str, pd.DataFrame], min_requests: int = 30, min_reviews: int = 5
) -> pd.DataFrame:
    """League tables of the measures the data supports (see LEAGUE_METRICS), in one long frame with the
    columns of :func:`league_table` plus ``metric`` and ``label``. Rates need a minimum sample (requests
    processed, reviews) before a bureau is ranked on them."""
    ov = request_overview(tables["requests"])
    cr = correction_rates(tables["reviews_litigation"])
    rel = release_summary(tables["active_disclosure"])
    frames = {
        "new_received": ov[["bureau", "year", "new_received"]].rename(columns={"new_received": "value"}),
        "grant_rate": ov.loc[ov["outcomes"] >= min_requests, ["bureau", "year", "grant_rate"]].rename(
            columns={"grant_rate": "value"}
        ),
        "review_correction_rate": cr.loc[
            (cr["proceeding"] == "review") & (cr["total"] >= max(min_reviews, 1)),
            ["bureau", "year", "correction_rate"],
        ].rename(columns={"correction_rate": "value"}),
        "documents_issued": rel[["bureau", "year", "documents_issued"]].rename(
            columns={"documents_issued": "value"}
        ),
    }
    out = []
    for metric, frame in frames.items():
        meta = LEAGUE_METRICS[metric]
        lt = league_table(frame, ascending=meta["ascending"])
        if lt.empty:
            continue
        lt.insert(0, "label", meta["label"])
        lt.insert(0, "metric", metric)
        out.append(lt)
    if not out:
        return pd.DataFrame(
            columns=["metric", "label", "bureau", "year", "value", "place", "n", "prev_place", "change"]
        )
    return pd.concat(out, ignore_index=True)


def default_league_year(league: pd.DataFrame) -> int:
    """The year a league table means by default: the latest in which two or more bureaus are ranked
    (a table of one is no comparison), else the latest year; 0 when there is nothing to rank."""
    if league.empty:
        return 0
    counts = league.groupby("year")["bureau"].nunique()
    shared = counts[counts >= 2]
    return int((shared if len(shared) else counts).index.max())


def yoy(
    df: pd.DataFrame, columns: Sequence[str], by: Sequence[str] = ("bureau",), time: str = "year"
) -> pd.DataFrame:
    """Add, for each column, the value of the previous available year of the same group (``prev_year``,
    ``<col>_prev``), the change and the relative change (``<col>_pct``, NaN when the previous value is 0)."""
    out = df.sort_values([*by, time]).copy()
    grouped = out.groupby(list(by), sort=False)
    out["prev_year"] = grouped[time].shift(1).astype("Int64")
    for col in columns:
        prev = grouped[col].shift(1)
        out[f"{col}_prev"] = prev
        out[f"{col}_change"] = out[col] - prev
        out[f"{col}_pct"] = (out[col] - prev) / prev.where(prev != 0)
    return out.reset_index(drop=True)
