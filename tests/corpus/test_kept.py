"""Each report's sentence hashes and narrative figures are kept between saves (``corpus.kept``): a save
makes them only for reports it has not seen, and what it finds is what a save without them finds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest_corpus import FILES, ingest

EXTRA = Path(__file__).resolve().parents[1] / "fixtures" / "crawled" / "2024_pingtan-gonganju.txt"


def _made(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Spy on the two steps kept: the report_ids each is made for."""
    from analysis.corpus import narrative, reuse

    made: dict[str, set[str]] = {"split": set(), "figures": set()}
    split, figures = reuse._split, narrative._narrative_figures

    def splitting(sections):  # noqa: ANN001, ANN202
        made["split"].update(sections["report_id"].astype(str))
        return split(sections)

    def narrative_figures(tables, s=None):  # noqa: ANN001, ANN202
        made["figures"].update(tables["sections"]["report_id"].astype(str))
        return figures(tables, s)

    monkeypatch.setattr(reuse, "_split", splitting)
    monkeypatch.setattr(narrative, "_narrative_figures", narrative_figures)
    return made


def test_a_save_makes_the_kept_steps_of_its_new_reports_only(corpus_tables, tmp_path, monkeypatch):
    from analysis import corpus
    from analysis.corpus import narrative, reuse
    from analysis.corpus.kept import FOLDER
    from analysis.store.merge import finish

    clean, raw = tmp_path / "clean", tmp_path / "raw"
    made = _made(monkeypatch)
    for module in (narrative, reuse):  # a year's reports in several groups, as a large year's are
        monkeypatch.setattr(module, "REPORTS_AT_ONCE", 3)
    ingest(FILES, clean, raw)
    first_save = {k: set(v) for k, v in made.items()}
    used = set(corpus_tables["sections"]["report_id"].astype(str))
    assert first_save["split"] and first_save["split"] <= used
    assert first_save["figures"] and first_save["figures"] <= used
    assert (clean / FOLDER / corpus.checks_version()).is_dir()
    for v in made.values():
        v.clear()
    added = ingest([EXTRA], clean, raw)
    new = set(added["reports"]["report_id"].astype(str)) - set(
        corpus_tables["reports"]["report_id"].astype(str)
    )
    assert len(new) == 1
    # the years around 2024 were checked again, but only the new report was split into sentences
    # (and the reports copied text flags, for the sentences it quotes)
    reuse = added["text_reuse"]
    flagged = set(reuse.loc[reuse["share"] >= 0.5, "report_id"].astype(str))
    assert new <= made["split"] <= new | flagged, made["split"] - new
    assert made["figures"] == new
    assert len(made["split"]) < len(first_save["split"]) / 3
    monkeypatch.undo()
    whole = finish(corpus.apply(dict(added)))  # every check made afresh, nothing kept
    for t in ("issues", "text_reuse", "active_disclosure"):
        pd.testing.assert_frame_equal(whole[t], added[t])
    assert (added["issues"]["check"] == "corpus.narrative_table").sum() > 0


def test_a_damaged_or_deleted_kept_file_changes_nothing_but_time(tmp_path):
    from analysis.corpus.kept import FOLDER
    from analysis.ingest import ingest_folder
    from analysis.store import load_all

    clean, raw = tmp_path / "clean", tmp_path / "raw"
    before = ingest(FILES, clean, raw)
    files = sorted((clean / FOLDER).rglob("*.parquet"))
    assert len(files) >= 2
    files[0].write_bytes(b"not parquet")
    files[1].unlink()
    (clean / FOLDER / "0123456789abcdef").mkdir()  # another version of the checks: removed
    ingest_folder(raw, clean, jobs=1, progress=False, force=True)
    after = load_all(clean)
    assert not (clean / FOLDER / "0123456789abcdef").exists()
    for t in ("issues", "text_reuse", "active_disclosure"):
        pd.testing.assert_frame_equal(before[t], after[t])


def test_kept_rows_come_back_as_made(tmp_path):
    import pyarrow as pa

    from analysis.corpus import kept

    reports = pd.DataFrame(
        {
            "report_id": ["b", "a", "c"],
            "reader": "r1",
            "bureau": ["乙局", "甲局", "丙局"],
            "bureau_as_printed": None,
            "region": "福建省",
            "template": "2021",
            "year": [2021, 2021, 2022],
        }
    )
    calls: list[list[str]] = []

    def make(ids: list[str]) -> pd.DataFrame:
        calls.append(sorted(ids))
        rows = [(i, f"{i}{n}", None if n else 7) for i in ids if i != "c" for n in range(2)]
        return pd.DataFrame(rows, columns=["report_id", "text", "n"]).astype({"n": "Int64"})

    schema = {"text": pa.string(), "n": pa.int64()}
    store = kept.Kept(tmp_path, "v1")
    first = store.rows("step", reports, make, schema)
    # asked again in the same save (another group of a year's reports, another check): found, not
    # made and kept a second time (which would give the next save each row twice)
    pd.testing.assert_frame_equal(store.rows("step", reports, make, schema), first)
    again = kept.Kept(tmp_path, "v1").rows("step", reports, make, schema)
    assert calls == [["a", "b", "c"]]  # "c" has no rows: kept as made (none), not made again
    year_2021 = tmp_path / kept.FOLDER / "v1" / "step" / "2021"
    assert len(list(year_2021.parent.rglob("*.parquet"))) == 2  # one file per year
    (only,) = year_2021.glob("*.parquet")
    (year_2021 / "copy.parquet").write_bytes(only.read_bytes())  # a report kept in two files
    twice = kept.Kept(tmp_path, "v1").rows("step", reports, make, schema)
    pd.testing.assert_frame_equal(twice, again)  # each row once
    assert len(list(year_2021.glob("*.parquet"))) == 1 and len(calls) == 1  # merged, nothing made
    assert first["report_id"].tolist() == ["a", "a", "b", "b"]
    assert first["text"].tolist() == ["a0", "a1", "b0", "b1"]
    pd.testing.assert_frame_equal(first.astype({"n": "Int64"}), again)
    assert again["n"].isna().tolist() == [False, True, False, True] and again["n"].iloc[0] == 7
    moved = reports.assign(region="江苏省")  # a field of the key changed: made again
    kept.Kept(tmp_path, "v1").rows("step", moved, make, schema)
    assert calls[-1] == ["a", "b", "c"]
    kept.Kept(tmp_path, "v2")
    assert not (tmp_path / kept.FOLDER / "v1").exists()


def test_rows_of_reports_no_longer_asked_for_are_pruned_from_the_years_checked(tmp_path):
    """A save that checked a year whole asked for each of its reports: the rows of the others (a report
    replaced, or kept under a key that changed) go, once they are a quarter of the year's rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.corpus import kept

    reports = pd.DataFrame(
        {
            "report_id": ["a", "b", "c", "d", "e"],
            "reader": "r1",
            "bureau": ["甲局", "乙局", "丙局", "丁局", "戊局"],
            "bureau_as_printed": None,
            "region": "福建省",
            "template": "2021",
            "year": [2021, 2021, 2021, 2021, 2022],
        }
    )
    calls: list[list[str]] = []

    def make(ids: list[str]) -> pd.DataFrame:
        calls.append(sorted(ids))
        return pd.DataFrame({"report_id": ids, "text": [f"{i}!" for i in ids]})

    schema = {"text": pa.string()}
    root = tmp_path / kept.FOLDER / "v1" / "step"

    def keys(year: int) -> list[str]:
        return sorted(
            k for f in (root / str(year)).glob("*.parquet") for k in pq.read_table(f)["kept_key"].to_pylist()
        )

    store = kept.Kept(tmp_path, "v1")
    store.rows("step", reports, make, schema)
    store.release(prune=[2021, 2022])  # every report asked: nothing goes
    assert len(keys(2021)) == 4 and len(keys(2022)) == 1
    store.rows("step", reports[reports["report_id"] != "d"], make, schema)
    store.release(prune=[2021])  # one of four not asked: a quarter, it goes
    assert len(keys(2021)) == 3 and len(list((root / "2021").glob("*.parquet"))) == 1
    store.rows("step", reports[reports["report_id"].isin(["a", "e"])], make, schema)
    store.release(prune=[])  # no year checked whole: nothing goes
    assert len(keys(2021)) == 3 and len(keys(2022)) == 1
    store.rows("step", reports[reports["report_id"].isin(["a", "b"])], make, schema)
    store.release(prune=None)  # every year asked of (a call over the whole store): 2021, not 2022
    assert len(keys(2021)) == 2 and len(keys(2022)) == 1
    again = store.rows("step", reports, make, schema)  # the pruned ones are made again, when asked
    assert calls == [["a", "b", "c", "d", "e"], ["c", "d"]]
    assert again["text"].tolist() == ["a!", "b!", "c!", "d!", "e!"]


def test_a_kept_file_that_cannot_be_written_is_not_kept(tmp_path, monkeypatch):
    import pyarrow as pa

    from analysis.corpus import kept

    def full(table, where, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        open(where, "wb").write(b"half")  # noqa: SIM115
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kept.pq, "write_table", full)
    reports = pd.DataFrame(
        {"report_id": ["a"], "reader": "r", "bureau": "甲局", "bureau_as_printed": None, "region": None}
    ).assign(template="2021", year=2021)
    made = kept.Kept(tmp_path, "v").rows(
        "step", reports, lambda ids: pd.DataFrame({"report_id": ids, "n": 1}), {"n": pa.int64()}
    )
    assert made["n"].tolist() == [1]
    assert not [p for p in (tmp_path / kept.FOLDER).rglob("*") if p.is_file()]
