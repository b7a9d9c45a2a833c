"""What every check across reports shares: the reports the views use, and issue rows built in bulk."""

from __future__ import annotations

from collections.abc import Collection, Iterator

import numpy as np
import pandas as pd

from analysis.model.issues import CHECKS
from analysis.model.values import BLANK
from analysis.store.choose import used
from analysis.store.schema import COLUMNS


def used_reports(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The reports checks across reports look at: one readable document per bureau and year (the one
    the views use), with bureau and year known; columns report_id, bureau, year, template, admin_level,
    source_path, as plain strings and ints."""
    r = tables["reports"]
    keep = used(r)
    out = r.loc[keep, ["report_id", "bureau", "year", "template", "admin_level", "source_path"]].copy()
    for col in ("report_id", "bureau", "template", "admin_level", "source_path"):
        out[col] = out[col].astype("string")
    out["year"] = out["year"].astype("int64")
    return out.reset_index(drop=True)


def of_reports(df: pd.DataFrame, ids: Collection[str]) -> pd.DataFrame:
    """A table's rows of these reports (a plain boolean mask: a report_id column with NA selects nothing
    there)."""
    return df[df["report_id"].isin(ids).to_numpy(dtype=bool)]


REPORTS_AT_ONCE = 500  # reports whose sentences a check holds at once (memory bounded on a large year)


def report_groups(tables: dict[str, pd.DataFrame], size: int) -> Iterator[dict[str, pd.DataFrame]]:
    """The tables cut into groups of ``size`` used reports, one group after the other (made as it is
    asked for): each group every table's rows of its reports, the reports table whole (which document
    of a bureau-year is used is decided on it), for a check that looks at one report at a time and need
    not hold a year's sentences, nor a second copy of its tables, at once."""
    ids = used_reports(tables)["report_id"].tolist()
    if not ids:
        yield tables
    for start in range(0, len(ids), size):
        chunk = set(ids[start : start + size])
        yield {
            t: df if t == "reports" or "report_id" not in df else of_reports(df, chunk)
            for t, df in tables.items()
        }


def sections_in_order(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The sections table by report and section number (a report's text in the order it is printed),
    whatever order its rows came in."""
    return tables["sections"].sort_values(["report_id", "section"], kind="stable")


def name(path: object) -> str:
    """A report as messages name it: its file name (the path's last part)."""
    text = str(path)
    return text.replace("\\", "/").rsplit("/", 1)[-1]


def issue_frame(check: str, df: pd.DataFrame) -> pd.DataFrame:
    """Issue rows of one registered check from a frame with report_id, bureau, year, location,
    expected, actual and message columns (vectorized: no per-row registry look-up)."""
    severity = CHECKS[check].severity  # KeyError: the check is not registered in checks.csv
    out = df.reindex(columns=COLUMNS["issues"]).copy()
    out["severity"] = severity
    out["check"] = check
    for col in ("expected", "actual"):
        out[col] = df[col].map(lambda v: None if v is None or v is pd.NA else _text(v)) if col in df else None
    return out


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def fmt(v: object) -> str:
    """A figure as messages print it: integers without a decimal point, NA as 未读."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return "NA"
    if isinstance(v, float):
        return _text(round(v, 4))
    return str(v)


def concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Issue frames stacked (empty ones left out, so no dtype warnings), or an empty issues frame."""
    full = [p for p in parts if len(p)]
    return pd.concat(full, ignore_index=True) if full else pd.DataFrame(columns=COLUMNS["issues"])


def printed(df: pd.DataFrame) -> pd.Series:
    """A statistical table's ``value`` with the cells printed blank, "/" or "—" as NA: read as 0 for
    sums inside a report, but no evidence of a 0 when compared with other figures."""
    codes, raw = pd.factorize(df["raw"].astype("string").fillna(""))  # few distinct texts: each matched once
    blank = np.array([bool(BLANK.fullmatch(str(t).strip())) for t in raw] + [False], dtype=bool)[codes]
    return df["value"].mask(blank)


def sum_read(df: pd.DataFrame, keys: list[str] | str, col: str = "value") -> pd.Series:
    """``col`` summed per group, NA where any of the group's cells is NA (missing is never 0);
    vectorized (a sum and two counts), where a per-group lambda would take seconds on a large store."""
    g = df.groupby(keys, observed=True)[col]
    total = g.sum()
    return total.where(g.count() == g.size()).astype("Float64")
