"""Resolving an ambiguous flattened row across years: the real 平潭综合实验区 2023 row
行政规范性文件77132470 (7|7|132470, 77|132|470, 77|13|2470 … 44 cuts; its narrative's 393 in force after
the clean-up + 77 issued = 470 supports 77|132|470) is read with the one cut that continues from the
year before, whichever order the two reports are ingested in; when every cut fails, nothing is taken.

(The example was 经济发展局 2022's 505 until the crawled-text parser read that row as 5|0|5 itself.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_corpus import ROOT, ingest

from analysis.corpus.resolve import candidates

REAL_2023 = ROOT / "data" / "raw" / "2023_pingtan-zongheshiyanqu.txt"
BODY = "平潭综合实验区"
ROW = "行政规范性文件77132470"


def _year_before(tmp: Path, row: str) -> Path:
    """The body's 2022 report (data/raw has none), generated from the real 2023 one: years moved back
    one, and the normative-documents row printed spaced as ``row``."""
    text = REAL_2023.read_text(encoding="utf-8")
    assert ROW in text
    text = text.replace("2023", "2022").replace("2024", "2023").replace(ROW, f"行政规范性文件 {row} ")
    path = tmp / "2022_pingtan-zongheshiyanqu-generated.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_candidates_of_the_real_rows():
    got = candidates("77132470")
    assert (77, 132, 470) in got and (7, 7, 132470) in got and (0, 0, 77132470) in got
    assert all(len(c) == 3 for c in got)
    got = candidates("505")  # 经济发展局 2022, now read by the parser as 5|0|5
    assert (5, 0, 5) in got and (50, 5, 0) in got and (0, 0, 505) in got


def _normative(t: dict, year: int):  # noqa: ANN202
    ad = t["active_disclosure"]
    return ad[(ad["bureau"] == BODY) & (ad["year"] == year) & (ad["item"] == "normative_document")]


@pytest.mark.parametrize("first", ["2022", "2023"])
def test_the_one_cut_that_continues_is_taken_in_either_order(tmp_path, first):
    gen = _year_before(tmp_path, "0 0 525")  # 525 in force in 2022: 525 + 77 − 132 = 470, no other cut
    files = {"2022": gen, "2023": REAL_2023}
    second = "2023" if first == "2022" else "2022"
    ingest([files[first]], tmp_path / "clean", tmp_path / "a")
    t = ingest([files[second]], tmp_path / "clean", tmp_path / "b")
    got = _normative(t, 2023)
    assert dict(zip(got["metric"].astype(str), got["value"], strict=True)) == {
        "issued": 77,
        "repealed": 132,
        "in_force": 470,
    }
    assert set(got["raw"]) == {"77132470"}
    i = t["issues"]
    i = i[i["bureau"] == BODY]
    w = i[(i["check"] == "corpus.resolved_cell") & (i["year"] == 2023)]
    assert list(w["expected"]) == ["77 | 132 | 470"]
    assert (
        "525 in force (2022, 2022_pingtan-zongheshiyanqu-generated.txt) + 77 − 132 = 470"
        in w.iloc[0]["message"]
    )
    assert ((i["check"] == "row.ambiguous") & (i["year"] == 2023)).sum() == 1  # the text stays ambiguous


def test_no_cut_is_taken_when_every_cut_fails(tmp_path):
    # 470 in force in 2022 (as in 2023): 470 + a − b = c holds for none of the 44 cuts of 77132470
    t = ingest([_year_before(tmp_path, "0 0 470"), REAL_2023], tmp_path / "clean", tmp_path / "raw")
    assert _normative(t, 2023).empty
    got = _normative(t, 2022)  # the neighbour itself was read
    assert dict(zip(got["metric"].astype(str), got["value"], strict=True)) == {
        "issued": 0,
        "repealed": 0,
        "in_force": 470,
    }
    assert not (t["issues"]["check"] == "corpus.resolved_cell").any()


def test_a_resolution_goes_when_its_neighbour_changes(tmp_path):
    t = ingest([_year_before(tmp_path, "0 0 525"), REAL_2023], tmp_path / "clean", tmp_path / "raw")
    assert not _normative(t, 2023).empty  # resolved first
    (tmp_path / "gen").mkdir()
    changed = _year_before(tmp_path / "gen", "0 0 470")  # the same file, corrected: 470 in force in 2022
    t = ingest([changed], tmp_path / "clean", tmp_path / "raw")
    assert ((t["reports"]["bureau"] == BODY) & (t["reports"]["year"] == 2022)).sum() == 1
    assert _normative(t, 2023).empty
    assert not (t["issues"]["check"] == "corpus.resolved_cell").any()


def test_the_neighbouring_crawled_report_resolves_a_row():
    """交通与建设局 2024 `行政规范性文件3123` (3|1|23 or 3|12|3; the parser reads the issued 3) and 2025
    `1024` (1|0|24): only 3|1|23 continues (23 + 1 − 0 = 24). Its neighbours 市场监督管理局 2023/2024
    (`13013`, `6856`) and 自然资源与生态环境局 2022/2023 (`24432`, `2135`) continue in no pair of
    readings, so nothing is taken there."""
    from analysis.corpus.resolve import resolve
    from analysis.ingest import reports_to_frames
    from analysis.report import extract_report
    from analysis.store.schema import typed

    crawled = sorted((ROOT / "tests" / "fixtures" / "crawled").glob("*.txt"))
    frames = {k: typed(k, v) for k, v in reports_to_frames([extract_report(p) for p in crawled]).items()}
    cells, warnings = resolve(frames)
    got = {(c["bureau"], c["year"], c["metric"]): c["value"] for c in cells.to_dict("records")}
    assert got == {
        ("平潭综合实验区交通与建设局", 2024, "repealed"): 1,
        ("平潭综合实验区交通与建设局", 2024, "in_force"): 23,
    }
    assert "23 + 1 − 0 = 24 in force (2025" in warnings.iloc[0]["message"]
