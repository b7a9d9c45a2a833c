"""Every document with a gold file: every table cell matches; every listed inconsistency is an error."""

from __future__ import annotations

import json

import pytest
from gold import GOLD_DIR, gold_source, load_gold, mismatches

from analysis.report import extract_report

GOLDS = sorted(p.stem for p in GOLD_DIR.glob("*.json"))
CELLS = [g for g in GOLDS if load_gold(g).get("layout") == "cells"]
FLATTENED = [g for g in GOLDS if load_gold(g).get("layout") == "flattened" and gold_source(load_gold(g)).exists()]

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
    assert (by_loc["table 3 / total_processed / natural_person"]["expected"],
            by_loc["table 3 / total_processed / natural_person"]["actual"]) == ("26", "20")
    assert (by_loc["table 3 / total_processed / total"]["expected"],
            by_loc["table 3 / total_processed / total"]["actual"]) == ("27", "21")
    # values stay as printed
    assert report.value("requests", row="total_processed", applicant="total") == 21


@pytest.mark.parametrize("name", FLATTENED)
def test_flattened_text_gets_a_clear_answer_not_numbers(name: str) -> None:
    report = extract_report(gold_source(load_gold(name)))
    assert report.report["parse_status"] == "partial"
    assert [i["check"] for i in report.issues if i["severity"] == "error"] == ["layout.flattened"]
    assert report.requests == [] and report.reviews_litigation == [] and report.active_disclosure == []
