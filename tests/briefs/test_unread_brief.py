"""The real case of issue 11: 平潭综合实验区 2023 (crawled text) cannot split table 2's normative-documents
row (row.ambiguous). Its briefs, and 2025's that compares with it, show no number for that row: the key
figures, the sentences, the charts' data and the index say 未能读取 and why."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from analysis.briefs import files, run
from analysis.briefs.index import write_index

REASON = "表二（主动公开）·行政规范性文件：数字连在一起，无法唯一拆分（row.ambiguous）"


@pytest.fixture(scope="module")
def briefs(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, files.BriefResult]:
    out = tmp_path_factory.mktemp("reports")
    return {
        y: run.run_brief(y, bureau="平潭综合实验区", data_dir=clean_dir, out_dir=out) for y in (2023, 2025)
    }


def _key_figures(result: files.BriefResult) -> dict:
    return json.loads((Path(result.out_dir) / files.KEY_FIGURES).read_text(encoding="utf-8"))


def test_the_2023_brief_says_why_documents_issued_is_missing(briefs: dict[int, files.BriefResult]) -> None:
    r = briefs[2023]
    assert r.ok, r.error
    kf = _key_figures(r)
    doc = next(f for f in kf["figures"] if f["key"] == "documents_issued")
    assert doc["value"] is None and doc["unread"] and doc["reason"] == REASON
    assert doc["text"] == f"未能读取（{REASON}）" and doc["change"] == "无法比较（本年未能读取）"
    assert kf["unread"] == [f"本年制发规章和规范性文件：未能读取（{REASON}）"] == r.unread
    said = [s for s in kf["sentences"] if "制发规章" in s]
    assert said == [
        f"本年制发规章和行政规范性文件未能读取（{REASON}），作出行政许可决定2629件、行政处罚决定1330件。"
    ]
    review = next(f for f in kf["figures"] if f["key"] == "review_correction_rate")
    assert review["text"] == "50.0%（1/2）"  # a rate on two reviews keeps its counts


def test_the_2023_charts_leave_a_gap_and_name_it(briefs: dict[int, files.BriefResult]) -> None:
    folder = Path(briefs[2023].out_dir)
    manifest = {e["name"]: e for e in json.loads((folder / "charts.json").read_text(encoding="utf-8"))}
    release = manifest["06_release"]
    assert release["missing"] == ["2023年·本年制发规章和规范性文件"]
    assert "未能读取" in release["note"]
    with (folder / release["csv"]).open(encoding="utf-8-sig") as fh:
        rows = {(r["year"], r["variable"]): r["value"] for r in csv.DictReader(fh)}
    assert rows[("2023", "documents_issued")] == ""  # not read: empty, never 0
    assert rows[("2021", "documents_issued")] == "69.0" and rows[("2023", "penalty_decisions")] == "1330.0"
    html = (folder / "brief.html").read_text(encoding="utf-8")
    assert f">{REASON}</td>" in html  # the key-figure table's 说明 column says why
    assert f"本年制发规章和行政规范性文件未能读取（{REASON}）" in html  # the sentence


def test_the_2025_brief_does_not_compare_with_the_unread_year(briefs: dict[int, files.BriefResult]) -> None:
    r = briefs[2025]
    assert r.ok, r.error
    assert r.unread == []
    kf = _key_figures(r)
    doc = next(f for f in kf["figures"] if f["key"] == "documents_issued")
    assert doc["value"] == 58 and doc["prev_value"] is None and doc["prev_unread"]
    assert doc["change"] == "无法比较（2023年未能读取）" and doc["prev_text"] == f"未能读取（{REASON}）"
    said = [s for s in kf["sentences"] if "制发规章" in s]
    assert said[0].startswith(f"本年制发规章和行政规范性文件58件，2023年的数字未能读取（{REASON}），不作比较")
    review = next(f for f in kf["figures"] if f["key"] == "review_total")
    assert review["change"] == "2件→36件"  # not +1700.0%
    assert kf["unread"] == []


def test_the_index_flags_the_brief_with_unread_values(briefs: dict[int, files.BriefResult]) -> None:
    out = Path(briefs[2023].out_dir).parents[1]
    write_index(out, list(briefs.values()))
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "1 份含未能读取的数字" in page
    assert f"未能读取的数字1项：本年制发规章和规范性文件：未能读取（{REASON}）" in page
    rows = [line for line in page.splitlines() if line.startswith("<tr class='ok")]
    flagged = [line for line in rows if "未能读取的数字1项：" in line]
    assert len(flagged) == 1 and "<td>2023</td>" in flagged[0]


def test_the_brief_counts_its_findings_by_kind(briefs: dict[int, files.BriefResult]) -> None:
    """数据核对: the corpus checks' findings of the brief's report, by kind (the unread row is one)."""
    html = (Path(briefs[2023].out_dir) / "brief.html").read_text(encoding="utf-8")
    assert "数据核对（2023年报告）：关系不符0项、叙述与表格不符0项、雷同0项、异常值0项、未读取1项" in html
