"""A brief's tables as CSV (UTF-8 with BOM, Chinese headers) and one workbook, a sheet per table; a value
not read is an empty cell, never 0."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.briefs import files
from analysis.present import charts


def test_brief_folder_has_its_tables_as_csv_and_one_workbook(huaian: files.BriefResult) -> None:
    assert huaian.ok, huaian.error
    folder = Path(huaian.out_dir)
    chart_data = {e["csv"] for e in json.loads((folder / charts.MANIFEST).read_text(encoding="utf-8"))}
    assert chart_data  # each chart's data is a CSV beside it (not a sheet of the workbook) …
    csvs = sorted(p for p in folder.glob("*.csv") if p.name not in chart_data)  # … the compared tables are
    assert {p.stem for p in csvs} >= {
        "主要数字",
        "申请和办理",
        "办理结果构成",
        "行政复议和行政诉讼",
        "主动公开",
    }
    for csv in csvs:
        assert csv.read_bytes()[:3] == b"\xef\xbb\xbf"  # the BOM Excel needs to read UTF-8
    overview = pd.read_csv(folder / "申请和办理.csv", encoding="utf-8-sig")
    row = overview[overview["单位"] == "淮安市人民政府"].iloc[0]
    assert (row["年度"], row["本年新收申请"], row["办结总计"]) == (2024, 3119, 3050)
    reviews = pd.read_csv(folder / "行政复议和行政诉讼.csv", encoding="utf-8-sig")
    review = reviews[reviews["程序"] == "行政复议"].iloc[0]
    assert (review["总计"], review["纠正"]) == (351, 64)
    book = openpyxl.load_workbook(folder / files.WORKBOOK, read_only=True)
    assert set(book.sheetnames) == {p.stem for p in csvs}
    header = next(book["申请和办理"].iter_rows(values_only=True))
    assert header[:3] == ("单位", "年度", "本年新收申请")


def test_an_unread_value_is_exported_empty(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "bureau": ["平潭综合实验区", "平潭综合实验区"],
            "year": [2021, 2023],
            "documents_issued": pd.array([69, None], dtype="Float64"),
            "row": ["new_received", "granted"],
        }
    )
    written = files.export_tables(tmp_path, {"主动公开": df})
    text = (tmp_path / "主动公开.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text == [
        "单位,年度,本年制发规章和规范性文件,行",
        "平潭综合实验区,2021,69,本年新收",
        "平潭综合实验区,2023,,予以公开",
    ]
    assert [p.name for p in written] == ["主动公开.csv", "tables.xlsx"]
    sheet = openpyxl.load_workbook(tmp_path / "tables.xlsx")["主动公开"]
    assert sheet["C2"].value == 69 and sheet["C3"].value is None


def test_a_table_longer_than_a_sheet_is_in_its_csv_and_named_in_the_workbook(
    tmp_path: Path, clean_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request cell of the bundled store (thousands of rows) with the cap lowered to 1,000 rows' cells: the CSV
    holds them all, the workbook's 说明 sheet names the table instead of holding it."""
    from analysis import store

    requests = store.load_table("requests", clean_dir, validate=False)
    assert len(requests) > 1000
    monkeypatch.setattr(files, "WORKBOOK_MAX_CELLS", 1000 * requests.shape[1])
    files.export_tables(tmp_path, {"申请和办理": requests, "小表": requests.head(3)})
    csv = pd.read_csv(tmp_path / "申请和办理.csv", encoding="utf-8-sig")
    assert len(csv) == len(requests)
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    assert book.sheetnames == ["说明", "小表"]
    note = [c.value for c in book["说明"][2]]
    assert note[:2] == ["申请和办理", len(requests)] and "申请和办理.csv" in note[2]
