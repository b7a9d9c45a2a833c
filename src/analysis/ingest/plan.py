"""What a run must read, given the files' hashes and the store's reports table: files whose bytes the
store already has under their path, read by this reader, are skipped; a copy of stored bytes under a new
path (moved, renamed) records its path without being read; the rest, one file per distinct content, are
read (also stored ones that an earlier reader read: ``report.reader_version`` differs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.model import codes
from analysis.model.issues import DERIVED_PREFIX
from analysis.parse.metadata import filename_year
from analysis.store.choose import CHECK as DUPLICATE_CHECK
from analysis.store.load import generation_dir, load_tables
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


CARRY_AT = 1000  # stored reports of moved files read back from the store at a time


def carry_stored(
    p: Plan,
    names: list[str],
    data_dir: Path,
    stored: pd.DataFrame,
    add: Callable[[dict[str, pd.DataFrame]], object],
) -> list[list[int]]:
    """Hand ``add`` the stored records of the carried reports under their new paths, ``CARRY_AT``
    reports at a time in year order (read from one generation with a report_id filter, not the whole
    store: a moved folder of a national store does not fit in memory at once). Returns the groups
    that must be read after all (:func:`carried`)."""
    gen = generation_dir(data_dir)
    year = stored.drop_duplicates("report_id").set_index("report_id")["year"].astype("Float64")
    year = year.fillna(float("inf")).to_dict()  # (the unknown year last)
    ids = sorted(p.carry, key=lambda rid: (year.get(rid, float("inf")), rid))
    tables = [t for t in codes.TABLES if t not in codes.DERIVED_TABLES]
    again: list[list[int]] = []
    for start in range(0, len(ids), CARRY_AT):
        chunk = ids[start : start + CARRY_AT]
        frames, more = carried(p, names, load_tables(gen, tables, report_ids=chunk), chunk)
        add(frames)
        again += more
    return again


def carried(
    p: Plan, names: list[str], tables: dict[str, pd.DataFrame], ids: Iterable[str]
) -> tuple[dict[str, pd.DataFrame], list[list[int]]]:
    """The stored records of these carried reports under their new paths, and the groups that must be
    read after all because a stored issue names the old file (a read under the new name would
    differ); those groups leave ``p.carry``."""
    ids = set(ids)
    own = {t: df[df["report_id"].isin(ids)] for t, df in tables.items() if t not in codes.DERIVED_TABLES}
    issues = own["issues"]
    check = issues["check"].astype("string")
    issues = issues[(~check.str.startswith(DERIVED_PREFIX) & (check != DUPLICATE_CHECK)).to_numpy(dtype=bool)]
    reports = own["reports"]
    old_name = {
        str(rid): Path(str(path)).name
        for rid, path in zip(reports["report_id"], reports["source_path"], strict=True)
    }
    text = issues["message"].astype("string").fillna("") + issues["location"].astype("string").fillna("")
    naming = {
        str(rid)
        for rid, t in zip(issues["report_id"], text, strict=True)
        if str(rid) in old_name and old_name[str(rid)] in t
    }
    again = [p.carry.pop(rid) for rid in sorted(naming & ids)]
    ids -= naming
    own = {t: df[df["report_id"].isin(ids)] for t, df in {**own, "issues": issues}.items()}
    rows = own["reports"].copy()
    files = [p.carry[str(rid)] for rid in rows["report_id"]]
    rows["source_path"] = [names[idx[0]] for idx in files]
    rows["duplicate_paths"] = ["\n".join(names[i] for i in idx[1:]) or pd.NA for idx in files]
    own["reports"] = typed("reports", rows)
    return {t: df.reset_index(drop=True) for t, df in own.items()}, again
