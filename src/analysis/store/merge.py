"""Merging new reports into the stored tables: a report read again replaces its old rows, never doubles
them. The reports table is merged whole (``merged_reports``), every other table a year at a time
(``merged_year``)."""

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

ORDER = ["year", "bureau", "report_id"]  # every table's rows are sorted by these


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
    extra = old["duplicate_paths"]
    extra = extra[extra.notna().to_numpy(dtype=bool)].astype(str).str.split("\n").explode()
    touched = (
        old["report_id"].isin(new_ids)
        | old["source_path"].isin(new_paths)
        | old.index.isin(extra.index[extra.isin(new_paths).to_numpy(dtype=bool)])
    )  # (an old report none of whose paths is read again keeps them as they are)
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


def merged_reports(old: pd.DataFrame | None, new: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """(reports, replaced): the reports table after adding the new reports, and the report_ids whose
    stored rows go (the new reports' and those of old reports left without a path)."""
    old = old if old is not None else typed("reports", pd.DataFrame(columns=COLUMNS["reports"]))
    reports, gone = _merge_reports(old, new)
    return _typed("reports", reports), set(new["report_id"]) | gone


def chosen(reports: pd.DataFrame, issues: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reports, duplicates): the document each bureau-year's views use chosen (``dedupe``:
    ``superseded_by``) and the ``duplicate.bureau_year`` warnings. ``issues`` holds the report_id,
    severity and check of every issue kept (what the choice counts), without such warnings."""
    reports = reports.copy()
    reports["superseded_by"] = dedupe.choose(reports, issues)
    duplicates = pd.DataFrame(dedupe.duplicate_issues(reports, issues), columns=COLUMNS["issues"])
    return reports, typed("issues", duplicates)


def kept_rows(table: str, old: pd.DataFrame, replaced: Collection[str]) -> pd.DataFrame:
    """A stored table's rows that a save keeps: not of a replaced report, and in ``issues`` not a check
    recomputed on every save (checks across reports, the choice among a bureau-year's documents)."""
    old = old[~old["report_id"].isin(replaced)]
    if table == "issues":
        check = old["check"].astype("string")
        old = old[~(check.str.startswith(DERIVED_PREFIX) | (check == dedupe.CHECK)).to_numpy(dtype=bool)]
    return old


def merged_year(
    old: dict[str, pd.DataFrame | None],
    new: dict[str, pd.DataFrame],
    replaced: Collection[str],
    duplicates: pd.DataFrame,
) -> dict[str, pd.DataFrame]:
    """One year's rows of the tables in ``new`` after adding the new reports' (``new``) to the stored
    ones (``old``, None where not stored), with the year's ``duplicates`` warnings, typed and sorted by
    bureau and report_id; the derived tables come back empty (made afresh from the whole store)."""
    merged: dict[str, pd.DataFrame] = {}
    for table in (t for t in codes.TABLES[1:] if t in new):
        if table in codes.DERIVED_TABLES:
            merged[table] = typed(table, pd.DataFrame(columns=COLUMNS[table]))
            continue
        pieces = [] if old.get(table) is None else [kept_rows(table, old[table], replaced)]
        if table == "issues":  # the choice among a bureau-year's documents is made afresh
            fresh = new[table]
            pieces += [
                fresh[(fresh["check"].astype("string") != dedupe.CHECK).to_numpy(dtype=bool)],
                duplicates,
            ]
        else:
            pieces.append(new[table])
        pieces = [df for df in pieces if len(df)] or pieces[-1:]
        df = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
        merged[table] = sort_rows(_typed(table, df), ORDER)
    return merged


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
        out[table] = sort_rows(df, [c for c in ORDER if c in df.columns])
    out["reports"] = out["reports"].copy()
    counts = out["issues"].groupby("report_id", observed=True).size()
    out["reports"]["n_issues"] = out["reports"]["report_id"].map(counts).fillna(0).astype("Int64")
    return out
