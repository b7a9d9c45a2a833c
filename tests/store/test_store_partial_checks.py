"""A save validates only the rows it adds to the tables it keeps, sorts by runs of equal keys and reads
strings once per distinct value: each must give what the whole-table way gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import store
from analysis.ingest import ingest_folder
from analysis.model.codes import TABLES
from analysis.store import StoreError, load_table
from analysis.store.merge import sort_rows
from analysis.store.schema import duplicated_keys

SEED = Path(__file__).parents[1] / "fixtures" / "2020_luoyang-tongjiju.txt"


def _blocks(seed: int, permuted: bool) -> pd.DataFrame:
    """Rows in runs of equal (year, bureau, report_id), with NAs and empty strings among the keys."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 12))
    reps = rng.integers(1, 9, k)
    n = int(reps.sum())
    return pd.DataFrame(
        {
            "year": pd.array(np.repeat(rng.choice([2020, 2021, None], k), reps), dtype="Int64"),
            "bureau": pd.array(np.repeat(rng.choice(["a", "b", "", None], k), reps), dtype="string"),
            "report_id": pd.array(np.repeat(rng.choice(["x", "y", None], k), reps), dtype="string"),
            "row": pd.Categorical(rng.choice(["p", "q", None], n), categories=["p", "q"]),
            "order": np.arange(n),
        },
        index=rng.permutation(n) if permuted else None,
    )


@pytest.mark.parametrize("seed", range(60))
def test_sorting_by_runs_is_pandas_stable_sort(seed: int) -> None:
    df = _blocks(seed, permuted=seed % 2 == 1)
    cols = ["year", "bureau", "report_id"][: 1 + seed % 3]
    want = df.sort_values(cols, kind="stable", na_position="last").reset_index(drop=True)
    pd.testing.assert_frame_equal(sort_rows(df, cols), want)


def test_a_table_in_order_is_not_copied() -> None:
    df = pd.DataFrame(
        {
            "year": pd.array([2020] * 10 + [2021] * 20, dtype="Int64"),
            "bureau": pd.array(["b"] * 10 + ["a"] * 10 + ["b"] * 10, dtype="string"),
            "report_id": pd.array(["x"] * 30, dtype="string"),
        }
    )
    assert sort_rows(df, ["year", "bureau", "report_id"]) is df
    pd.testing.assert_frame_equal(
        sort_rows(df[::-1], ["year", "bureau"]),
        df.iloc[::-1].sort_values(["year", "bureau"], kind="stable").reset_index(drop=True),
    )


@pytest.mark.parametrize("seed", range(40))
def test_duplicated_keys_is_pandas_duplicated(seed: int) -> None:
    df = _blocks(seed, permuted=False)
    if seed % 4 == 0:  # a report_id coming back after another one: numbered by pandas instead
        df = pd.concat([df, df.iloc[:2]], ignore_index=True)
    cols = ["report_id", "row"]
    got = duplicated_keys(df, cols)
    assert got.equals(df.duplicated(cols, keep=False))


def _seeded(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    clean = tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    return clean


def _snapshot(clean: Path) -> dict[str, pd.DataFrame]:
    return {t: load_table(t, clean) for t in TABLES}


def test_rows_added_under_a_stored_report_id_fail_the_key_check(tmp_path: Path) -> None:
    """The rows kept from the store are not validated again, but a new row with the key of a kept
    one is still found: keys are checked on the whole table."""
    clean = _seeded(tmp_path)
    before = _snapshot(clean)
    old = before["reports"]["report_id"].iloc[0]
    reports = before["reports"].assign(report_id="f" * 16, source_path="other.txt")
    requests = before["requests"][before["requests"]["report_id"] == old].head(3)
    assert len(requests) == 3
    with pytest.raises(StoreError) as err:
        store.save({"reports": reports, "requests": requests}, clean)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{clean / 'requests.parquet'}: schema check failed")
    assert "nothing written" in msg and "(6 rows" in msg
    after = _snapshot(clean)
    for t in TABLES:
        pd.testing.assert_frame_equal(after[t], before[t])


def test_a_new_reports_rows_are_validated_in_a_kept_table(tmp_path: Path) -> None:
    clean = _seeded(tmp_path)
    before = _snapshot(clean)
    reports = before["reports"].assign(report_id="e" * 16, source_path="other.txt")
    sections = before["sections"].assign(report_id="e" * 16)
    sections.loc[sections.index[0], "section"] = 9  # sections are numbered 1–6
    with pytest.raises(StoreError) as err:
        store.save({"reports": reports, "sections": sections}, clean)
    msg = str(err.value)
    assert msg.startswith(f"{clean / 'sections.parquet'}: schema check failed")
    assert "section: in_range(1, 6) (1 rows, e.g. " in msg and "9)" in msg and "nothing written" in msg
