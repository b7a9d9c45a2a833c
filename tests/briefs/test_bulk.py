"""Bulk briefs (``briefs``: data loaded once, each brief rendered without a kernel) give the same figures
and files as a single ``brief`` (the executed notebook); a re-run skips briefs whose inputs did not change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, store
from analysis.briefs import batch, content, files
from analysis.present import charts


def _config(tmp: Path, *entries: str) -> Path:
    path = tmp / "briefs.yml"
    path.write_text("briefs:\n" + "".join(f"  - bureau: {e}\n" for e in entries), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bulk_huaian(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> files.BriefResult:
    tmp = tmp_path_factory.mktemp("bulk")
    (result,) = batch.run_batch(
        2024, config=_config(tmp, "淮安市人民政府"), data_dir=clean_dir, out_dir=tmp / "out"
    )
    return result


def test_bulk_brief_gives_the_same_figures_and_files_as_the_notebook(
    huaian: files.BriefResult, bulk_huaian: files.BriefResult
) -> None:
    assert huaian.ok, huaian.error
    assert bulk_huaian.ok, bulk_huaian.error
    single, bulk = Path(huaian.out_dir), Path(bulk_huaian.out_dir)
    # the same files, but for the executed notebook (only `brief` and `briefs --notebook` keep one)
    assert set(bulk_huaian.files) == set(huaian.files) - {"brief.ipynb"}
    assert (bulk / content.FINGERPRINT).exists() and not (single / content.FINGERPRINT).exists()
    assert json.loads((bulk / files.KEY_FIGURES).read_text(encoding="utf-8")) == json.loads(
        (single / files.KEY_FIGURES).read_text(encoding="utf-8")
    )
    # the same charts, in the same order, with the same titles, footnotes and data drawn
    manifest = [json.loads((d / charts.MANIFEST).read_text(encoding="utf-8")) for d in (single, bulk)]
    assert [e["name"] for e in manifest[1]] == [
        "01_requests",
        "02_outcomes",
        "03_reasons",
        "04_applicants",
        "05_review_litigation",
        "06_release",
    ]
    assert manifest[0] == manifest[1]
    csvs = sorted(p.name for p in single.glob("*.csv"))
    assert csvs == sorted(p.name for p in bulk.glob("*.csv")) and len(csvs) >= 14  # 6 charts + 8 tables
    for name in csvs:
        assert (single / name).read_bytes() == (bulk / name).read_bytes(), name
    for sheet, frame in pd.read_excel(single / files.WORKBOOK, sheet_name=None).items():
        pd.testing.assert_frame_equal(frame, pd.read_excel(bulk / files.WORKBOOK, sheet_name=sheet))
    # the page: the same sections, sentences and charts (as the saved PNGs), from a template, no code
    page = (bulk / "brief.html").read_text(encoding="utf-8")
    figures = json.loads((bulk / files.KEY_FIGURES).read_text(encoding="utf-8"))
    for heading in ("主要数字", "图表", "数据核对", "数据问题"):
        assert f"<h2>{heading}</h2>" in page
    assert all(s in page for s in figures["sentences"])
    assert page.count("data:image/png;base64,") == len(manifest[1])
    assert "<script" not in page and 'lang="zh-CN"' in page


def test_rerun_skips_unchanged_briefs_and_redoes_a_changed_one(clean_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "clean"
    shutil.copytree(clean_dir, data, symlinks=True)
    cfg = _config(tmp_path, "淮安市洪泽区人民政府", "平潭综合实验区金井片区管理局")
    out = tmp_path / "out"
    first = batch.run_batch(2023, config=cfg, data_dir=data, out_dir=out)
    assert [(r.ok, r.skipped) for r in first] == [(True, False), (True, False)]
    folder = Path(first[0].out_dir)
    assert content.stored_fingerprint(folder) is not None
    made = (folder / "brief.pptx").stat().st_mtime_ns
    before = _figure(folder, "new_received")

    again = batch.run_batch(2023, config=cfg, data_dir=data, out_dir=out)
    assert [(r.ok, r.skipped) for r in again] == [(True, True), (True, True)]
    assert (folder / "brief.pptx").stat().st_mtime_ns == made  # not rewritten
    assert "0 made, 2 unchanged" in batch.summary_table(again)

    # one figure of 洪泽区's 2023 report changes: its brief is made again, the other one is not
    reports = store.load_tables(data, tables=["reports"])["reports"]
    rid = reports[(reports["bureau"] == "淮安市洪泽区人民政府") & (reports["year"] == 2023)]["report_id"]
    frames = store.load_tables(data, report_ids=list(rid))
    req = frames["requests"]
    hit = (req["row"].astype("string") == "new_received") & (req["applicant"].astype("string") == "total")
    assert hit.any()
    req.loc[hit, "value"] = req.loc[hit, "value"] + 1000
    store.save(frames, data, derive=corpus.apply)  # as ingest saves a re-read report
    third = batch.run_batch(2023, config=cfg, data_dir=data, out_dir=out)
    assert [(r.ok, r.skipped) for r in third] == [(True, False), (True, True)]
    assert _figure(folder, "new_received") == before + 1000

    forced = batch.run_batch(2023, config=cfg, data_dir=data, out_dir=out, force=True)
    assert [r.skipped for r in forced] == [False, False]


def _figure(folder: Path, key: str) -> float:
    figures = json.loads((folder / files.KEY_FIGURES).read_text(encoding="utf-8"))["figures"]
    return next(f["value"] for f in figures if f["key"] == key)


def test_store_slices_keep_only_the_asked_reports(clean_dir: Path) -> None:
    whole = store.load_tables(clean_dir)
    one = store.load_tables(clean_dir, bureaus=["淮安市人民政府"], years=[2024])
    ids = set(whole["reports"].query("bureau == '淮安市人民政府' and year == 2024")["report_id"])
    assert ids and set(one["reports"]["report_id"]) == ids
    for name, df in one.items():
        assert set(df["report_id"]) <= ids
        assert len(df) == whole[name]["report_id"].isin(ids).sum(), name
    region = store.load_tables(clean_dir, tables=["reports"], regions=["淮安市"])["reports"]
    assert set(region["region"].astype(str)) == {"江苏省淮安市"}  # not 江苏省淮安市洪泽区
