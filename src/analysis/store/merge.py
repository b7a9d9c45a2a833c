"""Merging new reports into the stored tables: a report read again replaces its old rows, never doubles them."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.model import codes
from analysis.model.issues import DERIVED_PREFIX

from . import choose as dedupe
from .schema import COLUMNS, changes, typed
from .schema import retyped as _typed


def _paths(row: pd.Series) -> list[str]:
    """All the paths a reports row records: its source_path, then its duplicate_paths."""
    extra = row.get("duplicate_paths")
    return [str(row["source_path"]), *(str(extra).split("\n") if isinstance(extra, str) and extra else [])]


def _merge_reports(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The reports table after adding ``new`` to ``old``, and the report_ids whose old records go.

    A path now read belongs to the report read from it: an old report keeps only its other paths (and
    goes when none is left). A report already stored under other paths that still exist keeps them as
    ``duplicate_paths``: the same bytes under two names are one report with both paths recorded."""
    new_paths = {p for _, row in new.iterrows() for p in _paths(row)}
    new_ids = set(new["report_id"])
    dropped: set[str] = set(new_ids)
    kept_old = []
    carried: dict[str, list[str]] = {}
    touched = (
        old["report_id"].isin(new_ids) | old["source_path"].isin(new_paths) | old["duplicate_paths"].notna()
    )
    untouched, old = old[~touched], old[touched]  # most of a large store: kept as they are
    for _, row in old.iterrows():
        rest = [p for p in _paths(row) if p not in new_paths]
        if row["report_id"] in new_ids:
            carried[row["report_id"]] = [p for p in rest if Path(p).exists()]
            continue
        if not rest:
            dropped.add(row["report_id"])
            continue
        row = row.copy()
        row["source_path"], row["duplicate_paths"] = rest[0], "\n".join(rest[1:]) or None
        kept_old.append(row)
    new = new.copy()
    for i, row in new.iterrows():
        paths = list(dict.fromkeys(_paths(row) + carried.get(row["report_id"], [])))
        new.at[i, "duplicate_paths"] = "\n".join(paths[1:]) or None
    old_part = typed("reports", pd.DataFrame(kept_old, columns=old.columns))
    parts = [df for df in (untouched, old_part) if len(df)]
    merged = pd.concat([*parts, new], ignore_index=True) if parts else new
    return merged, dropped - new_ids


def merge(
    old_frames: dict[str, pd.DataFrame], new_frames: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """Every table after adding the new reports to the stored ones, the document to use for each
    bureau-year chosen (``dedupe``) and the rows sorted by year, bureau and report_id."""
    old_reports = old_frames.get("reports", typed("reports", pd.DataFrame(columns=COLUMNS["reports"])))
    reports, gone = _merge_reports(old_reports, new_frames["reports"])
    replaced = set(new_frames["reports"]["report_id"]) | gone
    merged: dict[str, pd.DataFrame] = {"reports": reports}
    for table in codes.TABLES[1:]:
        new = new_frames[table]
        old = old_frames.get(table)
        if table in codes.DERIVED_TABLES:  # derived afresh from the whole store (``finish``'s derive)
            merged[table] = new.iloc[0:0]
        elif old is not None and len(old):
            old = old[~old["report_id"].isin(replaced)]
            if table == "issues":  # checks across reports are recomputed, never carried over
                old = old[~old["check"].astype("string").str.startswith(DERIVED_PREFIX)]
            merged[table] = pd.concat([old, new], ignore_index=True) if len(old) else new
        else:
            merged[table] = new
    merged = dedupe.apply({t: _typed(t, df) for t, df in merged.items()})
    return finish(merged)


def _runs(df: pd.DataFrame, cols: list[str]) -> np.ndarray | None:
    """Where each run of rows with equal ``cols`` starts (a run: consecutive rows, NA equal to NA);
    None when a column is neither Int64 nor string (then the table is sorted row by row)."""
    change = np.zeros(len(df), dtype=bool)
    for col in cols:
        got = changes(df[col])
        if got is None:
            return None
        change |= got
    return np.flatnonzero(change)


def sort_rows(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``df.sort_values(cols, kind="stable", na_position="last")`` with a fresh index, computed on the
    runs of equal keys (a table's rows come in runs of one report; a stable sort of the runs is the
    stable sort of the rows); a table already in order comes back as it is, not copied."""
    starts = _runs(df, cols) if cols and len(df) else None
    if starts is None or len(starts) * 4 > len(df):  # no runs to speak of: row by row is faster
        if not cols:
            return df.reset_index(drop=True)
        return df.sort_values(cols, kind="stable", na_position="last").reset_index(drop=True)
    order = df.iloc[starts][cols].reset_index(drop=True)
    order = order.sort_values(cols, kind="stable", na_position="last").index.to_numpy()
    if (order == np.arange(len(order))).all():
        fresh = isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
        return df if fresh else df.reset_index(drop=True)
    lengths = np.diff(np.append(starts, len(df)))[order]
    first = starts[order]
    offsets = np.cumsum(lengths) - lengths
    take = np.arange(len(df)) - np.repeat(offsets, lengths) + np.repeat(first, lengths)
    return df.take(take).reset_index(drop=True)


def finish(tables: dict[str, pd.DataFrame], ready: Collection[str] = ()) -> dict[str, pd.DataFrame]:
    """Every table typed and sorted by year, bureau and report_id, ``reports.n_issues`` recounted.
    Tables already typed and in order are passed through as they are (not copied); those ``ready``
    (known to be, e.g. finished before and unchanged since) are not even looked at."""
    out: dict[str, pd.DataFrame] = {}
    for table, df in tables.items():
        if table in ready and table != "reports":
            out[table] = df
            continue
        df = _typed(table, df)
        out[table] = sort_rows(df, [c for c in ("year", "bureau", "report_id") if c in df.columns])
    out["reports"] = out["reports"].copy()
    counts = out["issues"].groupby("report_id", observed=True).size()
    out["reports"]["n_issues"] = out["reports"]["report_id"].map(counts).fillna(0).astype("Int64")
    return out
