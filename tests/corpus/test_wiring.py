"""The checks across reports are recomputed on the whole store at every write: ingesting the same
reports in one run, or in two runs in the other order, gives the same findings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest_corpus import FILES, ingest

KEY = ["report_id", "check", "location", "expected", "actual", "message"]


def _corpus_rows(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    i = tables["issues"]
    i = i[i["check"].str.startswith("corpus.")][KEY].astype("string")
    reuse = tables["text_reuse"].drop(columns=["examples"]).astype("string")
    return (
        i.sort_values(KEY).reset_index(drop=True),
        reuse.sort_values(["report_id", "other_report_id"]).reset_index(drop=True),
    )


def test_ingest_order_does_not_change_the_findings(corpus_tables, tmp_path):
    late = [f for f in FILES if f.name[:4] >= "2021"]
    early = [f for f in FILES if f.name[:4] < "2021"]
    ingest(late, tmp_path / "clean", tmp_path / "late")
    two_runs = ingest(early, tmp_path / "clean", tmp_path / "early")
    one, other = _corpus_rows(corpus_tables), _corpus_rows(two_runs)
    assert len(one[0]) > 0
    pd.testing.assert_frame_equal(one[0], other[0])
    pd.testing.assert_frame_equal(one[1], other[1])
    # a finding that needs both runs' reports (2019 → 2020) is there only once
    i = two_runs["issues"]
    assert (i["check"] == "corpus.total_published").sum() == 1
    # reports keep n_issues in step with the issues table
    counts = i.groupby("report_id").size()
    r = two_runs["reports"].set_index("report_id")
    assert (r["n_issues"] == counts.reindex(r.index).fillna(0)).all()


def test_the_order_of_the_rows_does_not_change_the_findings(corpus_tables):
    """The checks read the tables in whatever order they come (as a store merged from many runs does)."""
    from analysis import corpus

    shuffled = {
        t: df.sample(frac=1, random_state=7).reset_index(drop=True) for t, df in corpus_tables.items()
    }
    for a, b in zip(
        _corpus_rows(corpus.apply(dict(corpus_tables))), _corpus_rows(corpus.apply(shuffled)), strict=True
    ):
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)


CRAWLED = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "crawled").glob("*.txt"))


@pytest.mark.parametrize("group", [1, 2, 2000])
@pytest.mark.parametrize("which", ["corpus", "crawled"])
def test_a_save_a_year_at_a_time_finds_what_the_whole_store_gives(which, group, tmp_path, monkeypatch):
    """The store checks a group of years at a time (of at most ``store.write.GROUP`` reports: here one
    year, two or all) with the years around it; the same checks on every table at once give the same
    rows, in the same order, with the same dtypes. The crawled reports are series with gaps and cells
    resolved across years; the corpus store has gaps and copied text."""
    from analysis import corpus
    from analysis.store import write
    from analysis.store.merge import finish

    monkeypatch.setattr(write, "GROUP", group)
    stored = ingest(FILES if which == "corpus" else CRAWLED, tmp_path / "clean", tmp_path / "raw")
    whole = finish(corpus.apply(dict(stored)))
    derived = stored["issues"]["check"].str.startswith("corpus.")
    assert derived.sum() > 0 and len(stored["text_reuse"]) > 0
    if which == "crawled":  # cells only the neighbouring years resolve, across the year loop
        assert (stored["issues"]["check"] == "corpus.resolved_cell").sum() >= 1
    for t in ("issues", "active_disclosure", "text_reuse", "reports"):
        pd.testing.assert_frame_equal(whole[t], stored[t], check_like=False)


@pytest.mark.parametrize("group", [1, 2000])
def test_adding_a_report_keeps_the_years_it_does_not_touch(corpus_tables, group, tmp_path, monkeypatch):
    """A save checks again only the years its new reports touch and the years around them; the others
    are linked from the previous generation as they are, not read, and the store equals one made in
    one run."""
    import os

    from analysis.store import write
    from analysis.store.load import generation_dir

    monkeypatch.setattr(write, "GROUP", group)
    extra = Path(__file__).resolve().parents[1] / "fixtures" / "crawled" / "2024_pingtan-gonganju.txt"
    clean, raw = tmp_path / "clean", tmp_path / "raw"
    ingest(FILES, clean, raw)
    before = generation_dir(clean)
    read, real = [], write.read_years

    def reading(folder, table, shown, years, *args, **kwargs):  # noqa: ANN001, ANN202
        read.append((table, None if years is None else set(years)))
        return real(folder, table, shown, years, *args, **kwargs)

    merged, real_merge = set(), write.merged_year

    def merging(old, new, *args):  # noqa: ANN001, ANN202
        out = real_merge(old, new, *args)
        merged.update((t, y) for t, df in out.items() for y in df["year"].dropna().unique().tolist())
        return out

    monkeypatch.setattr(write, "read_years", reading)
    monkeypatch.setattr(write, "merged_year", merging)
    added = ingest([extra], clean, raw)
    monkeypatch.setattr(write, "read_years", real)
    monkeypatch.setattr(write, "merged_year", real_merge)
    after = generation_dir(clean)
    years_read = set().union(*(y for t, y in read if y is not None))
    assert {2023, 2024, 2025} <= years_read and not years_read & {2011, 2019, 2020}, years_read
    one_run = ingest([*FILES, extra], tmp_path / "one" / "clean", tmp_path / "one" / "raw")

    def inode(gen: Path, table: str, year: int) -> int:
        return (gen / f"{table}.parquet" / f"year={year}" / "part-0.parquet").stat().st_ino

    far = [y for y in (2011, 2019, 2020, 2021) if (before / "issues.parquet" / f"year={y}").is_dir()]
    assert far, "the store has years far from 2024"
    for year in far:  # not read, not written again: the same files
        assert inode(after, "issues", year) == inode(before, "issues", year)
    assert inode(after, "issues", 2024) != inode(before, "issues", 2024)
    # the years around 2024, checked again, hold no new report: their tables the checks do not change
    # are linked as stored, not merged with nothing and validated again
    fixed = ("requests", "reviews_litigation", "channel_volumes", "sections")
    assert {("requests", 2024), ("sections", 2024)} <= merged
    assert not {(t, y) for t in fixed for y in (2023, 2025)} & merged, sorted(merged)
    for year in (2023, 2025):
        assert inode(after, "requests", year) == inode(before, "requests", year)
    for a, b in zip(_corpus_rows(added), _corpus_rows(one_run), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert len(added["reports"]) == len(corpus_tables["reports"]) + 1
    assert os.fspath(after) != os.fspath(before)
