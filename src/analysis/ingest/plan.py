"""What a run must read, given the files' hashes and the store's reports table: files whose bytes the
store already has under their path, read by this reader, are skipped; a copy of stored bytes under a new
path (moved, renamed) records its path without being read; the rest, one file per distinct content, are
read (also stored ones that an earlier reader read: ``report.reader_version`` differs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.model import codes
from analysis.model.issues import DERIVED_PREFIX
from analysis.parse.metadata import filename_year
from analysis.store.choose import CHECK as DUPLICATE_CHECK
from analysis.store.schema import typed


@dataclass
class Plan:
    """Indices into the run's files: groups of the same bytes, the first of each the one read or named."""

    read: list[list[int]] = field(default_factory=list)
    carry: dict[str, list[int]] = field(default_factory=dict)  # stored report_id → files (new paths)
    unchanged: dict[int, str] = field(default_factory=dict)  # file → its stored parse_status
    reread: int = 0  # files stored already but read again: the reader changed since


def _paths(row: tuple) -> list[str]:
    extra = row.duplicate_paths
    return [str(row.source_path), *(str(extra).split("\n") if isinstance(extra, str) and extra else [])]


def _same(stored: object, reader: str) -> bool:
    return isinstance(stored, str) and stored == reader  # (NA: a store from before readers were recorded)


def plan(
    names: list[str],
    shas: list[str | None],
    stored: pd.DataFrame | None,
    force: bool,
    reader: str | None = None,
) -> Plan:
    """Group the files by their bytes and decide, per group, to skip, carry or read it (``force``:
    read every group; ``reader``: stored reports another reader read are read again)."""
    groups: dict[str, list[int]] = {}
    for i, sha in enumerate(shas):
        groups.setdefault(sha if sha is not None else f"path:{names[i]}", []).append(i)
    by_sha: dict[str, tuple] = {}
    if stored is not None and not force:
        for row in stored[stored["sha256"].notna()].itertuples(index=False):
            by_sha.setdefault(str(row.sha256), row)
    out = Plan()
    for key, idx in groups.items():
        row = by_sha.get(key)
        if row is not None and reader is not None and not _same(getattr(row, "reader", None), reader):
            out.reread += len(idx)
            row = None
        if row is None:
            out.read.append(idx)
            continue
        known = set(_paths(row))
        if all(names[i] in known for i in idx):
            out.unchanged.update({i: str(row.parse_status) for i in idx})
        elif row.parse_status != "failed" and all(
            filename_year(Path(names[i])) == filename_year(Path(str(row.source_path))) for i in idx
        ):
            out.carry[str(row.report_id)] = idx
        else:  # what a read says depends on the file's name: read it under the new one
            out.read.append(idx)
    return out


def carried(
    p: Plan, names: list[str], tables: dict[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], list[list[int]]]:
    """The stored records of the carried reports under their new paths, and the groups that must be read
    after all because a stored issue names the old file (a read under the new name would differ)."""
    ids = set(p.carry)
    own = {t: df[df["report_id"].isin(ids)] for t, df in tables.items() if t not in codes.DERIVED_TABLES}
    issues = own["issues"]
    check = issues["check"].astype("string")
    own["issues"] = issues[~check.str.startswith(DERIVED_PREFIX) & (check != DUPLICATE_CHECK)]
    reports = own["reports"].set_index("report_id", drop=False)
    again = []
    for rid in list(ids):
        old_name = Path(str(reports.loc[rid, "source_path"])).name
        mine = own["issues"][own["issues"]["report_id"] == rid]
        text = mine["message"].astype("string").fillna("") + mine["location"].astype("string").fillna("")
        if text.str.contains(old_name, regex=False).any():
            again.append(p.carry.pop(rid))
            ids.discard(rid)
    own = {t: df[df["report_id"].isin(ids)] for t, df in own.items()}
    rows = own["reports"].copy()
    for j, rid in zip(rows.index, rows["report_id"], strict=True):
        idx = p.carry[rid]
        rows.at[j, "source_path"] = names[idx[0]]
        rows.at[j, "duplicate_paths"] = "\n".join(names[i] for i in idx[1:]) or pd.NA
    own["reports"] = typed("reports", rows)
    return {t: df.reset_index(drop=True) for t, df in own.items()}, again
