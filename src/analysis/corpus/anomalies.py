"""Anomalies judged against the body's own history and its same-level peers, not a fixed ratio.

Figures per report (the reports the views use; cells printed blank are not read as 0): requests
received and processed, reviews, lawsuits, licence / penalty / coercion decisions, fees (万元).

- ``corpus.yoy_outlier``: the log change from the body's report of the year before,
  log((now + 1) / (before + 1)), where the larger of the two is at least :data:`MIN_BASE`, has a robust
  z-score (median and 1.4826 × MAD) of at least :data:`Z` among the changes of the same figure, year
  and administrative level (at least :data:`MIN_PEERS` of them) — and, when the body has
  :data:`MIN_HISTORY` other changes of that figure, among its changes too.
- ``corpus.all_zero``: a table (2: decisions; 3: requests; 4: reviews and lawsuits) read and all zero
  while at least :data:`FILLED_SHARE` of :data:`MIN_PEERS` or more same-level peers fill it that year.
- ``corpus.magnitude``: a positive figure :data:`ORDERS` or more orders of magnitude from the median
  of its same-level peers' positive figures that year (a unit slip such as 元 read as 万元 is 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.model import labels

from .common import concat, fmt, issue_frame, printed, sum_read, used_reports

MIN_BASE = 20
Z = 3.5
MIN_PEERS = 8
MIN_HISTORY = 3
FILLED_SHARE = 0.9
ORDERS = 3.0

# the tables the anomaly checks and their peer statistics read (``figures``)
FIGURE_TABLES = ("reports", "requests", "reviews_litigation", "active_disclosure")

FIGURE_LABELS: dict[str, str] = {
    "new_received": labels.ROW_LABELS["new_received"],
    "total_processed": "办理结果总计",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "administrative_license": "行政许可决定",
    "administrative_penalty": "行政处罚决定",
    "administrative_coercion": "行政强制决定",
    "administrative_fee": "行政事业性收费（万元）",
}
TABLE_OF = {
    "new_received": "table 3",
    "total_processed": "table 3",
    "review": "table 4",
    "litigation": "table 4",
    "administrative_license": "table 2",
    "administrative_penalty": "table 2",
    "administrative_coercion": "table 2",
    "administrative_fee": "table 2",
}


def figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per used report (2019 and 2021 templates) and figure: report_id, bureau, year, level,
    source_path, figure, value (NA: not read)."""
    r = used_reports(tables)
    r = r[r["template"].isin(["2019", "2021"])].assign(level=lambda d: d["admin_level"].fillna("unknown"))
    parts = []
    q = tables["requests"]
    q = q[(q["applicant"] == "total") & q["row"].isin(["new_received", "total_processed"])]
    parts.append(
        q.assign(value=printed(q), figure=q["row"].astype("string"))[["report_id", "figure", "value"]]
    )
    rl = tables["reviews_litigation"]
    rl = rl[rl["result"] == "total"].assign(value=printed)
    rl = rl.assign(figure=np.where(rl["proceeding"].astype("string") == "review", "review", "litigation"))
    rl = sum_read(rl, ["report_id", "figure"])
    parts.append(rl.reset_index())
    ad = tables["active_disclosure"]
    ad = ad[ad["metric"].isin(["decisions", "fee_amount"])]
    ad = ad.assign(value=printed(ad), figure=ad["item"].astype("string"))
    parts.append(ad[["report_id", "figure", "value"]])
    f = pd.concat([p.astype({"figure": "string"}) for p in parts], ignore_index=True)
    f["value"] = pd.to_numeric(f["value"], errors="coerce").astype("Float64")
    f = f[f["figure"].isin(list(FIGURE_LABELS))]
    return f.merge(r[["report_id", "bureau", "year", "level", "source_path"]], on="report_id")


def stored_thresholds(z: float = Z, min_peers: int = MIN_PEERS, orders: float = ORDERS) -> bool:
    """Whether these are the thresholds ingest runs the checks with, so the store already holds the
    anomaly warnings they give (``apply`` on every save): reading them replaces recomputing them."""
    return (float(z), int(min_peers), float(orders)) == (Z, MIN_PEERS, ORDERS)


def _robust_z(x: pd.Series, by: list[pd.Series]) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(z, median, MAD-sigma, n) of each value among its group (NA where the spread is 0)."""
    g = x.groupby(by)
    med = g.transform("median")
    mad = (x - med).abs().groupby(by).transform("median") * 1.4826
    n = g.transform("count")
    z = (x - med) / mad.where(mad > 0)
    return z, med, mad, n


def _changes(f: pd.DataFrame, min_base: float = MIN_BASE) -> pd.DataFrame:
    """Each figure's change from the body's report of the year before (both read, the larger at least
    ``min_base``): f's columns plus prev_year, before and change (the log change)."""
    f = f.sort_values(["bureau", "figure", "year"])
    prev = f.groupby(["bureau", "figure"])[["year", "value"]].shift(1)
    d = f.assign(prev_year=prev["year"], before=prev["value"])
    d = d[(d["year"] - d["prev_year"] == 1) & d["value"].notna() & d["before"].notna()]
    d = d[np.maximum(d["value"], d["before"]) >= min_base].copy()
    d["change"] = np.log((d["value"].astype(float) + 1) / (d["before"].astype(float) + 1))
    return d


def peer_statistics(
    tables: dict[str, pd.DataFrame], min_peers: int = MIN_PEERS, min_base: float = MIN_BASE
) -> pd.DataFrame:
    """Per figure, year and administrative level, what the anomaly checks compare: ``values`` (reports
    with the figure read: the peers of corpus.magnitude and corpus.all_zero, one fewer than this), ``changes``
    (year-over-year changes from a base of ``min_base``: corpus.yoy_outlier's peers), ``median`` of the
    positive values, and ``compared`` (some check has ``min_peers`` peers there); most compared first."""
    f = figures(tables)
    cols = ["figure", "year", "level", "values", "changes", "median", "compared"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    read = f[f["value"].notna()]
    g = read.groupby(["figure", "year", "level"])
    out = pd.DataFrame(
        {
            "values": g.size(),
            "median": read[read["value"] > 0].groupby(["figure", "year", "level"])["value"].median(),
        }
    )
    changes = _changes(f, min_base).groupby(["figure", "year", "level"]).size()
    out["changes"] = changes.reindex(out.index).fillna(0).astype("int64")
    out["compared"] = (out["values"] - 1 >= min_peers) | (out["changes"] >= min_peers)
    out = out.reset_index().sort_values(
        ["compared", "values", "changes", "figure", "year"], ascending=[False, False, False, True, True]
    )
    return out[cols].reset_index(drop=True)


def yoy_issues(
    f: pd.DataFrame, z: float = Z, min_peers: int = MIN_PEERS, min_base: float = MIN_BASE
) -> pd.DataFrame:
    """``corpus.yoy_outlier`` warnings (see the module's description)."""
    d = _changes(f, min_base)
    zs, med, sig, n = _robust_z(d["change"], [d["figure"], d["year"], d["level"]])
    d = d.assign(z=zs, peer_median=med, peer_sigma=sig, peers=n)
    # own history: the body's changes of the figure (median and MAD: one outlier barely moves them)
    own_z, _, _, own_n = _robust_z(d["change"], [d["bureau"], d["figure"]])
    d["history"] = own_n - 1
    d["own_z"] = own_z.where(d["history"] >= MIN_HISTORY)
    hit = d[(d["peers"] >= min_peers) & (d["z"].abs() >= z)]
    hit = hit[hit["own_z"].isna() | (hit["own_z"].abs() >= z)]
    hit = hit.assign(
        location=hit["figure"].map(TABLE_OF) + " / " + hit["figure"],
        expected=hit["before"],
        actual=hit["value"],
        message=[
            f"{FIGURE_LABELS[fg]} {fmt(b)} ({py:.0f}) → {fmt(v)} ({y}): log change {c:+.2f}, robust z {zz:+.1f} "
            f"among {n} {lvl}-level changes that year (median {m:+.2f}, σ {s:.2f})"
            + (f", z {oz:+.1f} against its own {h} other changes" if pd.notna(oz) else "")
            for fg, b, py, v, y, c, zz, n, lvl, m, s, oz, h in zip(
                hit["figure"],
                hit["before"],
                hit["prev_year"],
                hit["value"],
                hit["year"],
                hit["change"],
                hit["z"],
                hit["peers"],
                hit["level"],
                hit["peer_median"],
                hit["peer_sigma"],
                hit["own_z"],
                hit["history"],
                strict=True,
            )
        ],
    )
    return issue_frame("corpus.yoy_outlier", hit)


def all_zero_issues(
    f: pd.DataFrame, min_peers: int = MIN_PEERS, filled_share: float = FILLED_SHARE
) -> pd.DataFrame:
    """``corpus.all_zero`` warnings (see the module's description)."""
    f = f.assign(table=f["figure"].map(TABLE_OF))
    t = sum_read(f, ["report_id", "bureau", "year", "level", "table"])
    t = t.dropna().astype(float).rename("total").reset_index()
    t["filled"] = t["total"] > 0
    g = t.groupby(["year", "level", "table"])["filled"]
    t["peers"] = g.transform("count") - 1
    t["filled_peers"] = g.transform("sum") - t["filled"]
    share = t["filled_peers"] / t["peers"].where(t["peers"] > 0)
    hit = t[~t["filled"] & (t["peers"] >= min_peers) & (share >= filled_share)]
    hit = hit.assign(
        location=hit["table"],
        expected=None,
        actual=0,
        message=[
            f"{tb} is all zeros, while {fp} of {p} {lvl}-level peers fill it in {y}"
            for tb, fp, p, lvl, y in zip(
                hit["table"], hit["filled_peers"], hit["peers"], hit["level"], hit["year"], strict=True
            )
        ],
    )
    return issue_frame("corpus.all_zero", hit)


def magnitude_issues(f: pd.DataFrame, min_peers: int = MIN_PEERS, orders: float = ORDERS) -> pd.DataFrame:
    """``corpus.magnitude`` warnings (see the module's description)."""
    d = f[f["value"].notna() & (f["value"] > 0)].copy()
    d["lg"] = np.log10(d["value"].astype(float))
    g = d.groupby(["figure", "year", "level"])["lg"]
    d["peers"] = g.transform("count") - 1
    d["median"] = g.transform("median")
    hit = d[(d["peers"] >= min_peers) & ((d["lg"] - d["median"]).abs() >= orders)]
    hit = hit.assign(
        location=hit["figure"].map(TABLE_OF) + " / " + hit["figure"],
        expected=(10 ** hit["median"]).round(2),
        actual=hit["value"],
        message=[
            f"{FIGURE_LABELS[fg]} {fmt(v)} is {abs(lg - m):.1f} orders of magnitude from the median "
            f"{fmt(round(10**m, 2))} of {n} {lvl}-level peers in {y}"
            for fg, v, lg, m, n, lvl, y in zip(
                hit["figure"],
                hit["value"],
                hit["lg"],
                hit["median"],
                hit["peers"],
                hit["level"],
                hit["year"],
                strict=True,
            )
        ],
    )
    return issue_frame("corpus.magnitude", hit)


def anomaly_issues(
    tables: dict[str, pd.DataFrame],
    z: float = Z,
    min_peers: int = MIN_PEERS,
    orders: float = ORDERS,
    min_base: float = MIN_BASE,
) -> pd.DataFrame:
    """Every anomaly warning across the store (the thresholds: the module's constants by default)."""
    f = figures(tables)
    return concat(
        [
            yoy_issues(f, z, min_peers, min_base),
            all_zero_issues(f, min_peers),
            magnitude_issues(f, min_peers, orders),
        ]
    )
