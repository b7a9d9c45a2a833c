"""Every document with a gold file: every table cell matches; every listed inconsistency is an error."""

from __future__ import annotations

import json

import pytest
from gold import GOLD_DIR, gold_source, load_gold, mismatches

from analysis.report import extract_report

GOLDS = sorted(p.stem for p in GOLD_DIR.glob("*.json"))
CELLS = [g for g in GOLDS if load_gold(g).get("layout") == "cells"]
FLATTENED = [
    g for g in GOLDS if load_gold(g).get("layout") == "flattened" and gold_source(load_gold(g)).exists()
]

# the inconsistencies each gold file lists (source_inconsistencies), as the issues they must raise
EXPECTED_ERRORS = {
    "2020_pingtan-zongheshiyanqu-html": {
        ("table3.outcomes_sum", "table 3 / total_processed / natural_person"),
        ("table3.outcomes_sum", "table 3 / total_processed / total"),
    },
    "2023_hongze-quzhengfu": {
        ("table4.total", "table 4 / review / total"),
        ("table4.total", "table 4 / litigation_after_review / total"),
    },
}


def test_every_cells_gold_has_a_fixture() -> None:
    assert len(CELLS) >= 7
    missing = [g for g in CELLS if not gold_source(load_gold(g)).exists()]
    assert not missing, f"copy these documents into tests/fixtures: {missing}"


@pytest.mark.parametrize("name", CELLS)
def test_every_cell_matches_gold(name: str) -> None:
    gold = load_gold(name)
    report = json.loads(extract_report(gold_source(gold)).to_json())
    assert report["report"]["template"] == gold["template"]
    assert report["report"]["year"] == gold["year"]
    assert mismatches(report, gold) == []


@pytest.mark.parametrize("name", CELLS)
def test_source_inconsistencies_are_errors(name: str) -> None:
    gold = load_gold(name)
    report = extract_report(gold_source(gold))
    errors = {(i["check"], i["location"]) for i in report.issues if i["severity"] == "error"}
    expected = EXPECTED_ERRORS.get(name, set())
    assert len(expected) >= (1 if gold["source_inconsistencies"] else 0)
    assert errors == expected
    for i in report.issues:
        if (i["check"], i["location"]) in expected:
            assert i["expected"] != i["actual"]


def test_pingtan_2020_inconsistency_values() -> None:
    report = extract_report(gold_source(load_gold("2020_pingtan-zongheshiyanqu-html")))
    by_loc = {i["location"]: i for i in report.issues if i["check"] == "table3.outcomes_sum"}
    assert (
        by_loc["table 3 / total_processed / natural_person"]["expected"],
        by_loc["table 3 / total_processed / natural_person"]["actual"],
    ) == ("26", "20")
    assert (
        by_loc["table 3 / total_processed / total"]["expected"],
        by_loc["table 3 / total_processed / total"]["actual"],
    ) == ("27", "21")
    # values stay as printed
    assert report.value("requests", row="total_processed", applicant="total") == 21


EXPECTED_ERRORS["2020_pingtan-zongheshiyanqu"] = EXPECTED_ERRORS["2020_pingtan-zongheshiyanqu-html"]


@pytest.mark.parametrize("name", FLATTENED)
def test_flattened_text_tables_3_and_4_by_arithmetic_never_guessed(name: str) -> None:
    """Cells run together: tables 3/4 are split where the sums allow one reading; table 2 is not read."""
    gold = load_gold(name)
    report = extract_report(gold_source(gold))
    assert report.report["parse_status"] == "partial"
    assert report.report["template"] == gold["template"]
    assert report.active_disclosure == []
    obj = json.loads(report.to_json())
    assert [m for m in mismatches(obj, gold) if "active_disclosure" not in m] == []
    errors = {(i["check"], i["location"]) for i in report.issues if i["severity"] == "error"}
    assert errors == {("layout.flattened", "table 2 (主动公开)")} | EXPECTED_ERRORS.get(name, set())


def test_flattened_ambiguous_row_is_not_guessed(tmp_path) -> None:  # noqa: ANN001
    """'270020130' reads 27|0|0|2|0|1|30 or 2|7|0|0|20|1|30: without the other rows it stays unread."""
    from analysis.flattened import consistent_splits, parse_flattened

    assert consistent_splits("270020130", [7]) == [[2, 7, 0, 0, 20, 1, 30], [27, 0, 0, 2, 0, 1, 30]]
    text = (
        "三、收到和处理政府信息公开申请情况申请人情况自然人商业企业总计一、本年新收政府信息公开申请数量270020130"
        "四、政府信息公开行政复议、行政诉讼情况行政复议总计000000000000000五、存在的主要问题"
    )
    requests, reviews, issues = parse_flattened(text)
    assert requests == [] and [i["check"] for i in issues] == ["row.ambiguous"]
    assert [r["value"] for r in reviews] == [0] * 15
