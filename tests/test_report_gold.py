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
def test_flattened_text_read_where_one_reading_is_possible_never_guessed(name: str) -> None:
    """Cells run together: tables 3/4 are cut where their sums allow one reading; a table-2 row only
    where its digits allow one cut and no reading with a blank cell; every other row is an error."""
    gold = load_gold(name)
    report = extract_report(gold_source(gold))
    assert report.report["template"] == gold["template"]
    obj = json.loads(report.to_json())
    problems = mismatches(obj, gold)
    assert [m for m in problems if "extracted None" not in m] == []  # nothing read is wrong
    unread_rows = {m.split("'")[5] for m in problems}  # ('active_disclosure', clause, item, metric)
    assert all("active_disclosure" in m for m in problems)  # tables 3 and 4 are complete
    errors = {(i["check"], i["location"]) for i in report.issues if i["severity"] == "error"}
    ambiguous = {loc.split(" / ")[2] for check, loc in errors if check == "row.ambiguous"}
    assert ambiguous == unread_rows
    assert {e for e in errors if e[0] != "row.ambiguous"} == EXPECTED_ERRORS.get(name, set())
    assert report.report["parse_status"] == ("partial" if ambiguous else "ok")
    assert len(report.active_disclosure) >= 3


def test_flattened_ambiguous_row_is_not_guessed() -> None:
    """'270020130' reads 27|0|0|2|0|1|30 or 2|7|0|0|20|1|30: without the other rows it stays unread."""
    from analysis.parse.flattened import consistent_splits, parse_flattened, splits

    assert consistent_splits(["270020130"], [7]) == [[2, 7, 0, 0, 20, 1, 30], [27, 0, 0, 2, 0, 1, 30]]
    assert list(splits(["005"], 3)) == [["0", "0", "5"]] and not list(splits(["005"], 2))
    negative = list(splits(["2648", "-18538"], 3))  # a minus sign is always a cut
    assert ["2648", "-18", "538"] in negative and all(any(x.startswith("-") for x in c) for c in negative)
    text = (
        "三、收到和处理政府信息公开申请情况申请人情况自然人商业企业总计一、本年新收政府信息公开申请数量270020130"
        "四、政府信息公开行政复议、行政诉讼情况2022年，未发生行政复议。行政复议总计000000000000000五、存在的主要问题"
    )
    flat = parse_flattened(text)
    assert flat.requests == [] and [i["check"] for i in flat.issues if i["check"] != "row.missing"] == [
        "row.ambiguous"
    ]
    assert len([i for i in flat.issues if i["check"] == "row.missing"]) == 22  # this snippet prints one row
    assert [r["value"] for r in flat.reviews_litigation] == [0] * 15  # "2022年" is prose, not cells
