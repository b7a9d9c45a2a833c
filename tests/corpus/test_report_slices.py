"""A save stages a large year's tables that the checks do not change a slice of reports at a time
(of about ``store.write.SLICE_BYTES``): the store must be the one staging each year whole gives, whatever
the slices, on a first save, on a save into a stored store and when the slices cannot be used."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest_corpus import FILES, ingest

from analysis.model import codes

EXTRA = Path(__file__).resolve().parents[1] / "fixtures" / "crawled" / "2024_pingtan-gonganju.txt"


def _stores(tmp_path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], Path]:
    """The store after two runs (the reports of 2021 on, then the earlier ones) and after a third that
    adds one report of 2024, and the generation folder of the second; made afresh in one place (the
    tables name the files' paths)."""
    from analysis.store.load import generation_dir

    shutil.rmtree(tmp_path / "s", ignore_errors=True)
    clean, raw = tmp_path / "s" / "clean", tmp_path / "s" / "raw"
    ingest([f for f in FILES if f.name[:4] >= "2021"], clean, raw)
    two = ingest([f for f in FILES if f.name[:4] < "2021"], clean, raw)
    gen = generation_dir(clean)
    (tmp_path / "kept").mkdir(exist_ok=True)
    kept = tmp_path / "kept" / gen.name
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(gen, kept, copy_function=os.link)  # its files, to compare with the next generation's
    three = ingest([EXTRA], clean, raw)
    return two, three, kept


def _equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for t in codes.TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)


@pytest.mark.parametrize("size", [1, 20_000])
def test_a_year_staged_in_slices_of_reports_is_the_year_staged_whole(size, tmp_path, monkeypatch):
    from analysis.ingest import ingest_folder
    from analysis.store import load_all, write
    from analysis.store.load import generation_dir

    whole_two, whole_three, _ = _stores(tmp_path)
    sliced, real = [], write._Writer._stage_slices

    def spy(self, staging, table, year, slices):  # noqa: ANN001, ANN202
        got = real(self, staging, table, year, slices)
        sliced.append((table, year, len(slices), got is not None and got[0]))
        return got

    monkeypatch.setattr(write, "SLICE_BYTES", size)
    monkeypatch.setattr(write._Writer, "_stage_slices", spy)
    two, three, before = _stores(tmp_path)
    _equal(whole_two, two)
    _equal(whole_three, three)
    # a year of more than ``size`` bytes went by slices: table 3 of 2023 (four reports) among them
    assert any(t == "requests" and y == 2023 and n > 1 for t, y, n, _ in sliced), sliced
    # only the first save staged 2023's table 3: the third checks 2023 again (the year before the new
    # report's), but no report of 2023 is new, so its table 3 is linked as stored, not staged again
    assert [(t, y) for t, y, _, _ in sliced].count(("requests", 2023)) == 1, sliced
    clean = tmp_path / "s" / "clean"
    after = generation_dir(clean)

    def inode(gen: Path) -> int:
        return (gen / "requests.parquet" / "year=2023" / "part-0.parquet").stat().st_ino

    assert inode(after) == inode(before)
    # every file read again (each report replaced by itself): 2023 staged by slices, comes out as
    # stored and is linked
    sliced.clear()
    ingest_folder(tmp_path / "s" / "raw", clean, jobs=1, progress=False, force=True)
    assert ("requests", 2023) in {(t, y) for t, y, _, same in sliced if same}, sliced
    assert inode(generation_dir(clean)) == inode(before)
    _equal(three, load_all(clean))


def test_slices_out_of_the_stores_order_are_not_used(tmp_path, monkeypatch):
    """Slices that would not come out in the store's order (here: reversed) leave nothing staged, and
    the year is staged whole: the same store."""
    from analysis.store import write

    whole_two, _, _ = _stores(tmp_path)
    real = write._Writer._slices
    used = []

    def reversed_slices(self, table, year):  # noqa: ANN001, ANN202
        got = real(self, table, year)
        return None if got is None else got[::-1]

    def spy(self, staging, table, year, slices):  # noqa: ANN001, ANN202
        got = real_stage(self, staging, table, year, slices)
        used.append(got is None)
        return got

    real_stage = write._Writer._stage_slices
    monkeypatch.setattr(write, "SLICE_BYTES", 1)
    monkeypatch.setattr(write._Writer, "_slices", reversed_slices)
    monkeypatch.setattr(write._Writer, "_stage_slices", spy)
    two, _, _ = _stores(tmp_path)
    assert used and any(used)
    _equal(whole_two, two)


def test_slices_that_leave_out_a_report_are_not_used(tmp_path, monkeypatch):
    """Slices that leave out a report the stored year holds (a row the reports table does not place
    there) are not used: the year is staged whole, and a year linked as stored gives the checks every
    row it holds, read whole. The same store."""
    from analysis.store import write

    _, whole_three, _ = _stores(tmp_path)
    real = write._Writer._slices

    def short(self, table, year):  # noqa: ANN001, ANN202
        got = real(self, table, year)
        if got is None or sum(map(len, got)) < 2:
            return got
        return [*got[:-1], got[-1][:-1]] if len(got[-1]) > 1 else got[:-1]

    linked = {}
    real_linked = write._Writer._as_stored

    def spy(self, staging, table, year):  # noqa: ANN001, ANN202
        got = real_linked(self, staging, table, year)
        linked[(table, year)] = {rid for piece in got for df in piece.values() for rid in df["report_id"]}
        return got

    monkeypatch.setattr(write, "SLICE_BYTES", 1)
    monkeypatch.setattr(write._Writer, "_slices", short)
    monkeypatch.setattr(write._Writer, "_as_stored", spy)
    _, three, _ = _stores(tmp_path)
    # the year before the new report's, checked again and linked: the checks are given every report's
    # table 3 (its totals and keys), the one the slices left out too
    q = whole_three["requests"]
    assert linked[("requests", 2023)] == set(q.loc[q["year"] == 2023, "report_id"])
    _equal(whole_three, three)


def test_a_slice_the_save_does_not_change_is_written_as_stored(tmp_path, monkeypatch):
    """A slice of a staged year with no new or replaced report is written from the rows as read (not
    merged, validated and converted again): the third save adds a 2024 report beside the stored one,
    in slices of one report each, and writes the stored report's slice as it is. The same store."""
    from analysis.store import parts, write

    _, whole_three, _ = _stores(tmp_path)
    as_is, merged = [], []
    real_add, real_merge = parts.Appender.add_stored, write.merged_year

    def add_stored(self, data):  # noqa: ANN001, ANN202
        got = real_add(self, data)
        as_is.append((self.path.parent.parent.name, self.path.parent.name, got, data.num_rows))
        return got

    def merged_year(old, new, replaced, duplicates):  # noqa: ANN001, ANN202
        if set(new) == {"requests"}:
            merged.append(set(new["requests"]["year"]))
        return real_merge(old, new, replaced, duplicates)

    monkeypatch.setattr(write, "SLICE_BYTES", 1)
    monkeypatch.setattr(parts.Appender, "add_stored", add_stored)
    monkeypatch.setattr(write, "merged_year", merged_year)
    _, three, _ = _stores(tmp_path)
    q = three["requests"]
    n_2024 = int(((q["year"] == 2024) & (q["bureau"] != "平潭综合实验区公安局")).sum())  # not the new one's
    assert n_2024 == 175
    # the stored 2024 report's table 3, as read: every one of its rows, written once as it was
    assert [a for a in as_is if a[:2] == ("requests.parquet", "year=2024")] == [
        ("requests.parquet", "year=2024", True, n_2024)
    ]
    # table 3 of 2024 merged twice: its one report on the first save, the new report's slice on the third
    assert sum(1 for years in merged if 2024 in years) == 2, merged
    _equal(whole_three, three)
