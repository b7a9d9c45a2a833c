"""The headline figures of a bureau-year, with the previous report's value and the change."""

from __future__ import annotations

import math

import pandas as pd

from analysis.model.codes import OUTCOME_GROUPS
from analysis.model.labels import OUTCOME_LABELS, PROCEEDING_LABELS, ROW_LABELS
from analysis.views.releases import RELEASE_SUMMARY_LABELS, release_summary
from analysis.views.requests import request_overview
from analysis.views.reviews import correction_rates
from analysis.views.shape import num
from analysis.views.unread import UNREAD, reason_text, unread_issues, unread_reasons

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

# what each headline figure is computed from: (table as issues name it, dimension → codes or prefixes),
# so a figure that is missing can name the issue that left its inputs unread
HEADLINE_INPUTS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "new_received": ("3", {"row": ("new_received",), "applicant": ("total",)}),
    "received_total": ("3", {"row": ("new_received", "carried_over"), "applicant": ("total",)}),
    "total_processed": ("3", {"row": ("total_processed",), "applicant": ("total",)}),
    "grant_rate": ("3", {"row": OUTCOME_GROUPS, "applicant": ("total",)}),
    "withheld": ("3", {"row": ("withheld",), "applicant": ("total",)}),
    "unavailable": ("3", {"row": ("unavailable",), "applicant": ("total",)}),
    "carried_forward": ("3", {"row": ("carried_forward",), "applicant": ("total",)}),
    "review_total": ("4", {"proceeding": ("review",)}),
    "review_correction_rate": ("4", {"proceeding": ("review",)}),
    "litigation_total": ("4", {"proceeding": ("litigation_direct", "litigation_after_review")}),
    "documents_issued": ("2", {"clause": ("20.1",), "item": ("regulation", "normative_document")}),
    "penalty_decisions": ("2", {"item": ("administrative_penalty",)}),
    "license_decisions": ("2", {"item": ("administrative_license",)}),
}
# a rate's numerator and denominator (columns of yearly_figures), shown beside it: "50.0%（1/2）"
RATE_PARTS: dict[str, tuple[str, str]] = {
    "grant_rate": ("granted_or_partly", "outcomes"),
    "review_correction_rate": ("review_corrected", "review_total"),
}


def yearly_figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per (bureau, year) with every headline figure (columns = HEADLINES keys) and the parts
    of each rate (RATE_PARTS)."""
    ov = request_overview(tables["requests"])
    cr = correction_rates(tables["reviews_litigation"])
    rel = release_summary(tables["active_disclosure"])
    ov = ov.assign(granted_or_partly=ov["granted"] + ov["partially_granted"])
    rev = cr[cr["proceeding"] == "review"][["bureau", "year", "total", "corrected", "correction_rate"]]
    rev = rev.rename(
        columns={
            "total": "review_total",
            "corrected": "review_corrected",
            "correction_rate": "review_correction_rate",
        }
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
    parts = [c for pair in RATE_PARTS.values() for c in pair if c not in HEADLINES]
    for key in [*HEADLINES, *parts]:
        if key not in df.columns:
            df[key] = float("nan")
    return df[["bureau", "year", *HEADLINES, *parts]].sort_values(["bureau", "year"]).reset_index(drop=True)


def headline_figures(tables: dict[str, pd.DataFrame], name: str, year: int) -> pd.DataFrame:
    """The brief's key figures for one scoped bureau/region and year: key, label, value, unit, prev_year,
    prev_value, change, pct_change (relative; for rates the change is in percentage points); ``num``/``den``
    (and ``prev_num``/``prev_den``) of a rate; ``reason`` / ``prev_reason``: why a missing value was not
    read (the issues, in Chinese; "" when the value is there or nothing was there to read)."""
    cols = [
        "key",
        "label",
        "value",
        "unit",
        "prev_year",
        "prev_value",
        "change",
        "pct_change",
        "num",
        "den",
        "prev_num",
        "prev_den",
        "reason",
        "prev_reason",
    ]
    yf = yearly_figures(tables)
    yf = yf[yf["bureau"] == name]
    cur = yf[yf["year"] == year]
    if cur.empty:
        return pd.DataFrame(columns=cols)
    earlier = yf[yf["year"] < year]
    prev = earlier.iloc[-1] if not earlier.empty else None
    unread = unread_issues(tables.get("issues"))

    def why(key: str, at_year: int, value: float) -> str:
        if not math.isnan(value):
            return ""
        table, spec = HEADLINE_INPUTS[key]
        return "；".join(unread_reasons(unread, name, at_year, table, spec))

    def part(row: pd.Series | None, key: str, i: int) -> float:
        return num(row[RATE_PARTS[key][i]]) if row is not None and key in RATE_PARTS else float("nan")

    rows = []
    for key, (label, unit) in HEADLINES.items():
        value = num(cur.iloc[0][key])
        pv = num(prev[key]) if prev is not None else float("nan")
        change = value - pv if not (math.isnan(value) or math.isnan(pv)) else float("nan")
        pct = change / pv if unit != "%" and not math.isnan(change) and pv != 0 else float("nan")
        rows.append(
            {
                "num": part(cur.iloc[0], key, 0),
                "den": part(cur.iloc[0], key, 1),
                "prev_num": part(prev, key, 0),
                "prev_den": part(prev, key, 1),
                "reason": why(key, year, value),
                "prev_reason": why(key, int(prev["year"]), pv) if prev is not None else "",
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


def unread_figures(headline: pd.DataFrame) -> list[str]:
    """The key figures of a brief that were not read, each as "label：未能读取（reason）" — what a brief,
    ``briefs`` and ``index.html`` flag."""
    if headline.empty or "reason" not in headline.columns:
        return []
    return [f"{r.label}：{UNREAD}（{r.reason}）" for r in headline.itertuples() if r.reason]


def unread_values(tables: dict[str, pd.DataFrame], name: str, year: int, headline: pd.DataFrame) -> list[str]:
    """Everything a brief on ``name``/``year`` shows that was not read: the key figures
    (:func:`unread_figures`), then any other cells of that year's tables not read ("其他数值：reason"),
    so a brief whose charts have a gap is flagged even when its key figures are whole."""
    out = unread_figures(headline)
    cited = set(headline["reason"].str.split("；").explode()) if "reason" in headline.columns else set()
    u = unread_issues(tables.get("issues"))
    u = u[(u["bureau"] == name) & (u["year"] == year)]
    others = dict.fromkeys(reason_text(r.check, r.table, r.parts) for r in u.itertuples())
    return out + [f"其他数值：{UNREAD}（{r}）" for r in others if r not in cited]
