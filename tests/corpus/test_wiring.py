"""The checks across reports are recomputed on the whole store at every write: ingesting the same
reports in one run, or in two runs in the other order, gives the same findings."""

from __future__ import annotations

import pandas as pd
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
