"""Comparing bureaus and years: league tables (places and their change) and year-on-year change."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.model import codes
from analysis.model.values import BLANK
from analysis.views.releases import release_summary
from analysis.views.requests import request_overview
from analysis.views.reviews import correction_rates
from analysis.views.shape import plain, ratio

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


# ------------------------------------------------------------------------------- fair rankings
# A rate on a handful of requests says little: 2 of 2 granted is not a better record than 95 of 100.
# Fair league tables give every rate its counts and a 95 % Wilson score interval, and rank by a rule
# that does not reward tiny samples: the interval's pessimistic bound (``rule="wilson"``: the lower
# bound where higher is better, the upper bound where lower is better) or the empirical-Bayes rate
# (``rule="eb"``: the rate shrunk towards the year's mean by a beta-binomial prior fitted by moments).
# Bodies with fewer than ``min_n`` cases, or whose counts have an unread cell, are left out and said so.

FAIR_RATES: dict[str, dict] = {
    "grant_rate": {
        "label": "公开率（予以公开 + 部分公开）",
        "higher_is_better": True,
        "successes": ("requests", ("granted", "partially_granted")),
        "cases": ("requests", "outcomes"),
    },
    "review_correction_rate": {
        "label": "行政复议纠错率（越低越好）",
        "higher_is_better": False,
        "successes": ("reviews_litigation", ("corrected",)),
        "cases": ("reviews_litigation", ("total",)),
    },
}
Z95 = 1.959963984540054


def wilson_interval(successes: pd.Series, n: pd.Series, z: float = Z95) -> tuple[pd.Series, pd.Series]:
    """The Wilson score interval of successes / n (95 % by default); NA where n is 0 or missing."""
    x = pd.to_numeric(successes, errors="coerce").astype("float64")
    m = pd.to_numeric(n, errors="coerce").astype("float64").where(lambda v: v > 0)
    p = x / m
    centre = (p + z * z / (2 * m)) / (1 + z * z / m)
    half = z / (1 + z * z / m) * ((p * (1 - p) / m + z * z / (4 * m * m)) ** 0.5)
    lo, hi = (centre - half).clip(lower=0), (centre + half).clip(upper=1)
    return lo.mask(lo < 1e-12, 0.0), hi.mask(hi > 1 - 1e-12, 1.0)


def eb_shrunk(successes: pd.Series, n: pd.Series) -> pd.Series:
    """Rates shrunk towards the pooled rate by a beta-binomial prior fitted by the method of moments:
    (x + α) / (n + α + β). With no spread between bodies beyond chance, every rate is the pooled one."""
    x = successes.astype("float64")
    m = n.astype("float64")
    rate = x / m
    mean = x.sum() / m.sum()
    between = rate.var(ddof=0) - (mean * (1 - mean) / m).mean()
    if not (between > 0) or len(rate) < 2:
        return pd.Series(mean, index=rate.index)
    strength = max(mean * (1 - mean) / between - 1, 0.0)  # α + β
    return (x + mean * strength) / (m + strength)


def _fair_counts(tables: dict[str, pd.DataFrame], metric: str) -> pd.DataFrame:
    """(bureau, year, successes, n): NA where a cell counted in either is not read (never 0)."""
    spec = FAIR_RATES[metric]
    if spec["successes"][0] == "requests":
        t = plain(tables["requests"], "row", "applicant")
        t = t[t["applicant"] == "total"]
        t["group"] = t["row"].map(lambda r: codes.outcome_group(r))
        succ = t[t["group"].isin(spec["successes"][1])]
        cases = t[t["group"].notna()]
    else:
        t = plain(tables["reviews_litigation"], "proceeding", "result")
        t = t[t["proceeding"] == "review"]
        succ = t[t["result"].isin(spec["successes"][1])]
        cases = t[t["result"].isin(spec["cases"][1])]

    def total(df: pd.DataFrame) -> pd.Series:
        blank = df["raw"].astype("string").fillna("").str.strip().str.fullmatch(BLANK.pattern).astype(bool)
        df = df.assign(value=df["value"].mask(blank))  # printed blank: not read, not a 0
        return df.groupby(["bureau", "year"])["value"].agg(
            lambda v: v.sum() if v.notna().all() else float("nan")
        )

    out = pd.DataFrame({"successes": total(succ), "n": total(cases)}).reset_index()
    return out


def fair_league(
    tables: dict[str, pd.DataFrame], metric: str = "grant_rate", min_n: int = 30, rule: str = "wilson"
) -> pd.DataFrame:
    """A league table of a rate that does not reward tiny samples, one row per (bureau, year):
    successes, n, rate, the 95 % Wilson interval (lo, hi), the empirical-Bayes rate (eb_rate), the
    ``score`` ranked on, ``place`` per year (ties share the best) and, for bodies not ranked, ``left_out``
    saying why (too few cases, or counts not read). ``rule``: "wilson" or "eb" (see above)."""
    if rule not in ("wilson", "eb"):
        raise ValueError(f"rule must be 'wilson' or 'eb', not {rule!r}")
    spec = FAIR_RATES[metric]
    df = _fair_counts(tables, metric)
    cols = [
        "metric",
        "label",
        "bureau",
        "year",
        "successes",
        "n",
        "rate",
        "lo",
        "hi",
        "eb_rate",
        "score",
        "place",
        "ranked",
        "left_out",
    ]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["rate"] = ratio(df["successes"], df["n"])
    df["lo"], df["hi"] = wilson_interval(df["successes"], df["n"])
    unread = df["successes"].isna() | df["n"].isna()
    small = ~unread & (df["n"] < max(min_n, 1))
    df["left_out"] = pd.Series(pd.NA, index=df.index, dtype="string")
    df.loc[small, "left_out"] = df.loc[small, "n"].map(lambda v: f"样本不足{min_n}件（仅{v:.0f}件）")
    df.loc[unread, "left_out"] = "数字未能读取（表中有单元格未读出）"
    df["ranked"] = df["left_out"].isna()
    df["eb_rate"] = float("nan")
    for _year, idx in df[df["ranked"]].groupby("year").groups.items():
        df.loc[idx, "eb_rate"] = eb_shrunk(df.loc[idx, "successes"], df.loc[idx, "n"])
    if rule == "wilson":
        df["score"] = df["lo"] if spec["higher_is_better"] else df["hi"]
    else:
        df["score"] = df["eb_rate"]
    df.loc[~df["ranked"], "score"] = float("nan")
    df["place"] = (
        df[df["ranked"]].groupby("year")["score"].rank(method="min", ascending=not spec["higher_is_better"])
    ).astype("Int64")
    df.insert(0, "label", spec["label"])
    df.insert(0, "metric", metric)
    return df[cols].sort_values(["year", "place", "bureau"], na_position="last").reset_index(drop=True)


def left_out_counts(league: pd.DataFrame) -> pd.DataFrame:
    """Per year: how many bodies were ranked and how many were left out, by reason."""
    if league.empty:
        return pd.DataFrame(columns=["year", "ranked", "left_out", "why", "n"])
    why = league["left_out"].fillna("ranked").str.replace(r"（仅\d+件）$", "", regex=True)
    out = league.assign(why=why).groupby(["year", "why"]).size().rename("n").reset_index()
    return out
