"""The partitioned store: a slice (years, report_ids, bureaus, regions) read with push-down is exactly the
whole store filtered, for every table, through pandas and DuckDB; unchanged partitions are not rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from analysis import store
from analysis.ingest import process_file, reports_to_frames
from analysis.model.codes import TABLES
from analysis.store import load_all, load_table, load_tables, parts
from analysis.store.schema import typed

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def clean(clean_dir: Path) -> Path:
    """The bundled reports (data/raw) ingested into a temporary store (tests/conftest.py)."""
    return clean_dir


@pytest.fixture(scope="module")
def full(clean: Path) -> dict[str, pd.DataFrame]:
    return load_all(clean)


def _expected(full: dict[str, pd.DataFrame], reports: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every table of the whole store, restricted to these reports' rows (in the store's order)."""
    ids = set(reports["report_id"])
    return {t: df[df["report_id"].isin(ids)].reset_index(drop=True) for t, df in full.items()}


def _same(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    assert set(got) == set(want)
    for t in want:
        assert_frame_equal(got[t], want[t], obj=t)


def test_tables_are_stored_as_year_partitions_without_the_year_column(clean: Path) -> None:
    gen = clean / (clean / "CURRENT").read_text().strip()
    folders = sorted(p.name for p in (gen / "reports.parquet").iterdir())
    assert folders == [f"year={y}" for y in (2011, 2012, 2014, 2015, 2017, 2018, *range(2019, 2026))]
    part = gen / "requests.parquet" / "year=2020" / "part-0.parquet"
    names = pq.read_schema(part).names
    assert "year" not in names and names[:2] == ["report_id", "bureau"]
    # readers that find hive partitions by themselves see the rows too (through the store's link)
    direct = pd.read_parquet(clean / "requests.parquet")
    # (9463 before the three 市场监督管理局 reports left (六)2, 3 unread: cell.merged, 42 cells)
    assert len(direct) == 9421 and sorted(direct["year"].astype(int).unique())[:2] == [2011, 2012]


def test_a_year_is_the_whole_store_filtered_by_year(clean: Path, full: dict[str, pd.DataFrame]) -> None:
    for years in ([2020], [2021, 2023], [1999]):
        got = load_tables(clean, years=years)
        want = {t: df[df["year"].isin(years)].reset_index(drop=True) for t, df in full.items()}
        _same(got, want)
    y2020 = load_tables(clean, years=[2020])
    assert len(y2020["reports"]) == 5 and len(y2020["requests"]) == 805
    assert y2020["reports"]["year"].dtype == "Int64" and list(y2020["requests"].columns) == list(
        full["requests"].columns
    )


def test_a_bureau_is_its_reports_rows_in_every_table(clean: Path, full: dict[str, pd.DataFrame]) -> None:
    bureaus = ["洛阳市统计局", "平潭综合实验区"]
    got = load_tables(clean, bureaus=bureaus)
    reports = full["reports"][full["reports"]["bureau"].isin(bureaus)]
    _same(got, _expected(full, reports))
    assert len(got["reports"]) == 12 and (got["reports"]["bureau"] == "平潭综合实验区").sum() == 11
    luoyang = load_tables(clean, bureaus=["洛阳市统计局"], validate=True)
    assert luoyang["reports"]["year"].tolist() == [2020] and len(luoyang["requests"]) == 23 * 7


def test_a_region_is_the_reports_in_it_not_its_districts(clean: Path, full: dict[str, pd.DataFrame]) -> None:
    got = load_tables(clean, regions=["淮安市"])
    assert got["reports"]["region"].tolist() == ["江苏省淮安市"]  # not 江苏省淮安市洪泽区
    _same(got, _expected(full, full["reports"][full["reports"]["region"] == "江苏省淮安市"]))
    both = load_tables(clean, regions=["平潭综合实验区", "洛阳市"], years=[2021, 2022])
    r = full["reports"]
    keep = r[r["region"].isin(["福建省平潭综合实验区", "河南省洛阳市"]) & r["year"].isin([2021, 2022])]
    assert len(keep) == 23
    _same(both, _expected(full, keep))


def test_report_ids_and_filters_together(clean: Path, full: dict[str, pd.DataFrame]) -> None:
    r = full["reports"]
    ids = r["report_id"].iloc[[0, 20, 40]].tolist()
    _same(load_tables(clean, report_ids=ids), _expected(full, r[r["report_id"].isin(ids)]))
    one = load_tables(clean, report_ids=ids, bureaus=[r["bureau"].iloc[20]], tables=["requests", "issues"])
    assert set(one) == {"requests", "issues"}
    _same(one, {t: _expected(full, r.iloc[[20]])[t] for t in ("requests", "issues")})
    nobody = load_tables(clean, bureaus=["没有这个局"])
    assert all(len(df) == 0 and list(df.columns) == list(full[t].columns) for t, df in nobody.items())
    reqs = load_table("requests", clean, bureaus=["洛阳市统计局"])
    assert_frame_equal(reqs, load_tables(clean, bureaus=["洛阳市统计局"])["requests"])


def test_duckdb_reads_the_same_slices_as_pandas(clean: Path, full: dict[str, pd.DataFrame]) -> None:
    con = store.duckdb_connection(clean)
    for t in TABLES:
        sql = f"SELECT * FROM {t} WHERE report_id IN (SELECT report_id FROM reports WHERE bureau = ?)"
        duck = typed(t, con.execute(sql, ["平潭综合实验区"]).df())
        pandas = load_tables(clean, bureaus=["平潭综合实验区"])[t]
        order = [c for c in ("year", "bureau", "report_id") if c in duck.columns]
        duck = duck.sort_values(order, kind="stable").reset_index(drop=True)
        assert_frame_equal(duck, pandas.sort_values(order, kind="stable").reset_index(drop=True), obj=t)
        by_year = typed(t, con.execute(f"SELECT * FROM {t} WHERE year = 2020").df())
        assert len(by_year) == len(load_tables(clean, years=[2020], tables=[t])[t]), t
    n = con.execute("SELECT count(*) FROM requests WHERE year = 2020 AND bureau = '洛阳市统计局'").fetchone()
    assert n == (23 * 7,)


def _copy(frames: dict[str, pd.DataFrame], new_id: str, year: object) -> dict[str, pd.DataFrame]:
    out = {}
    for t, df in frames.items():
        df = df.copy()
        df["report_id"] = new_id
        df["year"] = year
        if t == "reports":
            df["source_path"] = f"copy-of-{year}.txt"
        out[t] = df
    return out


def test_a_save_rewrites_only_the_years_it_changes(tmp_path: Path) -> None:
    frames = reports_to_frames([process_file(FIXTURES / "2020_luoyang-tongjiju.txt")])
    clean = tmp_path / "clean"
    store.save(frames, clean)
    store.save(_copy(frames, "a" * 16, 2019), clean)
    before = clean / (clean / "CURRENT").read_text().strip()
    store.save(_copy(frames, "b" * 16, 2020), clean)  # a second document for 2020 only
    after = clean / (clean / "CURRENT").read_text().strip()
    assert before != after

    def inode(gen: Path, table: str, year: int) -> int:
        return os.stat(gen / f"{table}.parquet" / f"year={year}" / "part-0.parquet").st_ino

    for t in ("reports", "requests", "reviews_litigation"):
        assert inode(before, t, 2019) == inode(after, t, 2019), t  # hard-linked, not written again
        assert inode(before, t, 2020) != inode(after, t, 2020), t
    tables = load_all(clean)
    assert sorted(tables["reports"]["year"].tolist()) == [2019, 2020, 2020]
    assert len(tables["requests"]) == 3 * 23 * 7
    assert len(load_tables(clean, years=[2019])["requests"]) == 23 * 7


def test_reports_without_a_year_go_to_the_unknown_partition(tmp_path: Path) -> None:
    frames = reports_to_frames([process_file(FIXTURES / "2020_luoyang-tongjiju.txt")])
    clean = tmp_path / "clean"
    store.save(_copy(frames, "c" * 16, pd.NA), clean)
    gen = clean / (clean / "CURRENT").read_text().strip()
    assert [p.name for p in (gen / "requests.parquet").iterdir()] == ["year=unknown"]
    tables = load_all(clean)
    assert tables["requests"]["year"].isna().all() and tables["requests"]["year"].dtype == "Int64"
    assert len(tables["requests"]) == 23 * 7
    assert len(load_tables(clean, years=[2020])["requests"]) == 0
    assert len(load_tables(clean, bureaus=["洛阳市统计局"])["requests"]) == 23 * 7
    con = store.duckdb_connection(clean)
    assert con.execute("SELECT count(*), count(year) FROM requests").fetchone() == (23 * 7, 0)


def test_a_table_without_a_year_column_is_partitioned_by_its_reports_year() -> None:
    df = pd.DataFrame({"report_id": ["a", "b", "c", "a"], "x": [1, 2, 3, 4]})
    got = parts.split(df, {"a": 2020, "b": pd.NA})  # c: a report the reports table does not hold
    assert {k: v["x"].tolist() for k, v in got.items()} == {"year=2020": [1, 4], "year=unknown": [2, 3]}
    assert list(parts.stored(got["year=2020"]).columns) == ["report_id", "x"]
    with_year = pd.DataFrame({"report_id": ["a"], "year": pd.array([2021], dtype="Int64")})
    assert list(parts.split(with_year, {"a": 2020})) == ["year=2021"]  # its own year first
    assert list(parts.stored(with_year).columns) == ["report_id"]


def test_a_partition_written_in_pieces_reads_as_written_whole(full, tmp_path) -> None:  # noqa: ANN001
    """``parts.Appender`` (a large year staged a slice of reports at a time): the file read back is
    the one ``parts.write`` makes of all the rows at once, pieces without rows and all included."""
    df = typed("requests", full["requests"])
    whole, pieces, empty = tmp_path / "whole.parquet", tmp_path / "pieces.parquet", tmp_path / "none.parquet"
    parts.write(df, whole)
    with parts.Appender(pieces) as out:
        for a, b in ((0, 50), (50, 50), (50, 1000), (1000, len(df))):  # the second piece has no rows
            out.add(df.iloc[a:b])
    assert_frame_equal(pq.read_table(pieces).to_pandas(), pq.read_table(whole).to_pandas())
    assert pq.read_table(pieces).num_rows == len(df) > 1000
    with parts.Appender(empty) as out:
        out.add(df.iloc[0:0])
    assert pq.read_table(empty).schema.equals(pq.read_table(whole).schema)
    assert pq.read_table(empty).num_rows == 0
    # rows as a partition file holds them go in as they are, between frames; other columns do not
    stored = pq.read_table(whole)
    mixed = tmp_path / "mixed.parquet"
    with parts.Appender(mixed) as out:
        out.add(df.iloc[0:50])
        assert out.add_stored(stored.slice(50, 950))
        assert not out.add_stored(stored.drop_columns(["raw"]).slice(1000, 10))
        out.add(df.iloc[1000:])
    assert_frame_equal(pq.read_table(mixed).to_pandas(), stored.to_pandas())


def test_a_year_read_a_slice_of_reports_at_a_time(clean, monkeypatch) -> None:  # noqa: ANN001
    """``ByReport.slices`` (what a save reads of a large stored year, a slice of reports at a time,
    reading forward): each slice's rows as the year read whole holds them; a report of an earlier slice
    stored after a later slice's comes with the slice being read where it turns up; a report of no
    slice is not given."""
    from analysis.store.load import generation_dir, read_year_by_report

    monkeypatch.setattr(parts, "ROW_GROUP", 40)  # read 40 rows at a time: a slice spans several reads
    want = load_tables(clean, years=[2021])["requests"]
    ids = list(dict.fromkeys(want["report_id"]))
    assert len(ids) >= 6 and len(want) > 10 * 40

    def rows(some: list[str]) -> pd.DataFrame:
        return want[want["report_id"].isin(some)].reset_index(drop=True)

    def read(slices: list[list[str]]) -> list[pd.DataFrame]:
        return list(read_year_by_report(generation_dir(clean), "requests", clean, 2021).slices(slices))

    pairs = [ids[i : i + 2] for i in range(0, len(ids), 2)]
    for got, some in zip(read(pairs), pairs, strict=True):
        assert_frame_equal(got, rows(some))
    # the last report asked for with the first slice: stored last, so it comes with the second
    first, second = read([[ids[0], ids[-1]], ids[1:-1]])
    assert_frame_equal(first, rows(ids[:1]))
    assert_frame_equal(second, rows(ids[1:]))
    # ids[2] in no slice: its rows are not given (the save counts them and stages the year whole)
    got = read([ids[:2], ids[3:]])
    assert_frame_equal(pd.concat(got, ignore_index=True), rows(ids[:2] + ids[3:]))
    # no report asked for (a year the reports table holds none of): nothing given
    (nothing,) = read([[]])
    assert len(nothing) == 0 and list(nothing.columns) == list(want.columns)
