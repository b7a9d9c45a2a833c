"""The headline figures of a bureau-year, with the previous report's value and the change."""

from __future__ import annotations

import math

import pandas as pd

from analysis.model.labels import OUTCOME_LABELS, PROCEEDING_LABELS, ROW_LABELS
from analysis.views.releases import RELEASE_SUMMARY_LABELS, release_summary
from analysis.views.requests import request_overview
from analysis.views.reviews import correction_rates
from analysis.views.shape import num

HEADLINES: dict[str, tuple[str, str]] = {
    # key: (label, unit); "%" values are fractions. A figure that is a code's count has the code's label.
    "new_received": ("本年新收申请", "件"),
    "received_total": ("收到申请总数（含上年结转）", "件"),
    "total_processed": (ROW_LABELS["total_processed"], "件"),
    "grant_rate": ("公开率（含部分公开）", "%"),
    "withheld": (OUTCOME_LABELS["withheld"], "件"),
    "unavailable": (OUTCOME_LABELS["unavailable"], "件"),
    "carried_forward": (ROW_LABELS["carried_forward"], "件"),
    "review_total": (PROCEEDING_LABELS["review"], "件"),
    "review_correction_rate": ("复议纠错率", "%"),
    "litigation_total": ("行政诉讼", "件"),
    "documents_issued": (RELEASE_SUMMARY_LABELS["documents_issued"], "件"),
    "penalty_decisions": (RELEASE_SUMMARY_LABELS["penalty_decisions"], "件"),
    "license_decisions": (RELEASE_SUMMARY_LABELS["license_decisions"], "件"),
}


def yearly_figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per (bureau, year) with every headline figure (columns = HEADLINES keys)."""
    ov = request_overview(tables["requests"])
    cr = correction_rates(tables["reviews_litigation"])
    rel = release_summary(tables["active_disclosure"])
    rev = cr[cr["proceeding"] == "review"][["bureau", "year", "total", "correction_rate"]].rename(
        columns={"total": "review_total", "correction_rate": "review_correction_rate"}
    )
    lit = cr[cr["proceeding"] == "litigation"][["bureau", "year", "total"]].rename(
        columns={"total": "litigation_total"}
    )
    pairs = {
        (str(b), int(y)) for f in (ov, rev, lit, rel) for b, y in zip(f["bureau"], f["year"], strict=True)
    }
    keys = pd.DataFrame(sorted(pairs), columns=["bureau", "year"]).astype(
        {"bureau": "string", "year": "int64"}
    )
    df = keys
    for f in (ov, rev, lit, rel):
        if not f.empty:
            df = df.merge(f.astype({"bureau": "string", "year": "int64"}), on=["bureau", "year"], how="left")
    for key in HEADLINES:
        if key not in df.columns:
            df[key] = float("nan")
    return df[["bureau", "year", *HEADLINES]].sort_values(["bureau", "year"]).reset_index(drop=True)


def headline_figures(tables: dict[str, pd.DataFrame], name: str, year: int) -> pd.DataFrame:
    """The brief's key figures for one scoped bureau/region and year: key, label, value, unit, prev_year,
    prev_value, change, pct_change (relative; for rates the change is in percentage points)."""
    cols = ["key", "label", "value", "unit", "prev_year", "prev_value", "change", "pct_change"]
    yf = yearly_figures(tables)
    yf = yf[yf["bureau"] == name]
    cur = yf[yf["year"] == year]
    if cur.empty:
        return pd.DataFrame(columns=cols)
    earlier = yf[yf["year"] < year]
    prev = earlier.iloc[-1] if not earlier.empty else None
    rows = []
    for key, (label, unit) in HEADLINES.items():
        value = num(cur.iloc[0][key])
        pv = num(prev[key]) if prev is not None else float("nan")
        change = value - pv if not (math.isnan(value) or math.isnan(pv)) else float("nan")
        pct = change / pv if unit != "%" and not math.isnan(change) and pv != 0 else float("nan")
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "unit": unit,
                "prev_year": int(prev["year"]) if prev is not None else None,
                "prev_value": pv,
                "change": change,
                "pct_change": pct,
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    df["prev_year"] = df["prev_year"].astype("Int64")
    return df
