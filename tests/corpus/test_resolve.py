"""Resolving an ambiguous flattened row across years: the real 经济发展局 2022 row 行政规范性文件505
(5|0|5, or two numbers with a blank cell) is read with the one cut that continues from the year
before, whichever order the two reports are ingested in; when every cut fails, nothing is taken."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_corpus import FIX, ingest

from analysis.corpus.resolve import candidates

REAL_2022 = FIX / "extra" / "2022_pingtan-jingjifazhanju-flat.txt"
BODY = "平潭综合实验区经济发展局"


def _year_before(tmp: Path, row: str) -> Path:
    """The body's 2021 report, generated from the real 2022 one: years moved back one, and the
    normative-documents row printed spaced as ``row`` (the real 2021 report prints 5 0 5)."""
    text = REAL_2022.read_text(encoding="utf-8")
    text = (
        text.replace("2022", "2021")
        .replace("2023", "2022")
        .replace("行政规范性文件505", f"行政规范性文件 {row} ")
    )
    path = tmp / "2021_pingtan-jingjifazhanju-generated.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_candidates_of_the_real_row():
    got = candidates("505")
    assert (5, 0, 5) in got and (50, 5, 0) in got and (0, 0, 505) in got
    assert all(len(c) == 3 for c in got)


@pytest.mark.parametrize("first", ["2021", "2022"])
def test_the_one_cut_that_continues_is_taken_in_either_order(tmp_path, first):
    gen = _year_before(tmp_path, "5 0 0")  # 0 in force in 2021: 0 + 5 − 0 = 5 only for 5|0|5
    files = {"2021": gen, "2022": REAL_2022}
    second = "2022" if first == "2021" else "2021"
    ingest([files[first]], tmp_path / "clean", tmp_path / "a")
    t = ingest([files[second]], tmp_path / "clean", tmp_path / "b")
    ad = t["active_disclosure"]
    got = ad[(ad["bureau"] == BODY) & (ad["year"] == 2022) & (ad["item"] == "normative_document")]
    assert dict(zip(got["metric"].astype(str), got["value"], strict=True)) == {
        "issued": 5,
        "repealed": 0,
        "in_force": 5,
    }
    assert set(got["raw"]) == {"505"}
    i = t["issues"]
    w = i[(i["check"] == "corpus.resolved_cell") & (i["year"] == 2022)]
    assert list(w["expected"]) == ["5 | 0 | 5"]
    assert "0 in force (2021, 2021_pingtan-jingjifazhanju-generated.txt) + 5 − 0 = 5" in w.iloc[0]["message"]
    assert ((i["check"] == "row.ambiguous") & (i["year"] == 2022)).sum() == 1  # the text stays ambiguous


def test_no_cut_is_taken_when_every_cut_fails(tmp_path):
    # the real 2021 figures (5 0 5): 5 + 5 − 0 = 10 ≠ 5, and no other cut continues either
    t = ingest([_year_before(tmp_path, "5 0 5"), REAL_2022], tmp_path / "clean", tmp_path / "raw")
    ad = t["active_disclosure"]
    assert ad[(ad["bureau"] == BODY) & (ad["year"] == 2022) & (ad["item"] == "normative_document")].empty
    assert not (t["issues"]["check"] == "corpus.resolved_cell").any()


def test_a_resolution_goes_when_its_neighbour_changes(tmp_path):
    ingest([_year_before(tmp_path, "5 0 0"), REAL_2022], tmp_path / "clean", tmp_path / "raw")
    (tmp_path / "gen").mkdir()
    changed = _year_before(tmp_path / "gen", "5 0 5")  # the same file, corrected: 5 in force in 2021
    t = ingest([changed], tmp_path / "clean", tmp_path / "raw")
    assert (t["reports"]["year"] == 2021).sum() == 1
    ad = t["active_disclosure"]
    assert ad[(ad["bureau"] == BODY) & (ad["year"] == 2022) & (ad["item"] == "normative_document")].empty
