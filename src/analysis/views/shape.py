"""Helpers every view shares: plain dtypes for pivots, a ratio that is NaN on an empty base, a number or NaN."""

from __future__ import annotations

import pandas as pd


def plain(df: pd.DataFrame, *text_cols: str) -> pd.DataFrame:
    """Plain dtypes for shaping: bureau and the given code columns as strings (a missing one as ""),
    year as int, value as float (NA kept) — categories and Int64 would get in the way of pivots."""
    out = df.assign(bureau=df["bureau"].astype("string"), year=df["year"].astype("int64"))
    if "value" in out.columns:
        out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    for col in text_cols:
        out[col] = (
            out[col].astype("string")
            if col in out.columns
            else pd.Series("", index=out.index, dtype="string")
        )
    return out


def ratio(num: pd.Series | float, den: pd.Series | float) -> pd.Series | float:
    """``num / den``, NaN where the base is 0 or missing (a rate of nothing is not a number)."""
    if isinstance(den, pd.Series):
        return num / den.where(den > 0)
    return num / den if den and den > 0 else float("nan")


def num(v: object) -> float:
    """A value as a float; NaN when it is missing or not a number (never 0)."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return f
