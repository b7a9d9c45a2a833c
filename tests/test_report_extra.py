"""Real reports of other bodies in other layouts (tests/fixtures/extra/SOURCES.md): values as printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import Report, extract_report

EXTRA = Path(__file__).parent / "fixtures" / "extra"


def read(name: str) -> Report:
    return extract_report(EXTRA / name)


def errors(report: Report) -> list[tuple[str, str]]:
    return [(i["check"], i["location"]) for i in report.issues if i["severity"] == "error"]


def row(report: Report, code: str) -> list:
    return [r["value"] for r in report.requests if r["row"] == code]


def test_markdown_tables_shuyang_2025() -> None:
    """Pipe tables with '#' headings; table 3 split into one table per group, table 4 into three."""
    rep = read("2025_shuyang-xianzhengfu-md.txt")
    assert rep.report["parse_status"] == "ok" and errors(rep) == []
    assert row(rep, "new_received") == [705, 3, 0, 0, 5, 0, 713]
    review = {r["result"]: r["value"] for r in rep.reviews_litigation if r["proceeding"] == "review"}
    assert review == {"upheld": 27, "corrected": 10, "other": 9, "pending": 15, "total": 61}
    assert rep.value("reviews_litigation", proceeding="litigation_after_review", result="total") == 10


def test_html_colspans_and_blank_totals_shanghai_2019() -> None:
    """A label cell spanning two columns is not a blank value; sums over totals printed blank fail,
    and say that the total was blank."""
    rep = read("2019_shanghai-shizhengfu-bangongting.html")
    assert (rep.report["bureau"], rep.report["year"], rep.report["template"]) == (
        "上海市人民政府办公厅",
        2019,
        "2019",
    )
    assert row(rep, "new_received") == [821, 35, 0, 0, 2, 1, 859]
    assert row(rep, "granted") == [258, 12, 0, 0, 1, 1, 0]
    assert [r["raw"] for r in rep.requests if r["row"] == "granted"][-1] == ""
    assert row(rep, "total_processed") == [767, 35, 0, 0, 2, 1, 805]
    assert row(rep, "withheld.prohibited_by_law") == [0] * 7  # a row of blanks is still a row
    assert (
        rep.value(
            "active_disclosure", clause="20.9", item="centralized_procurement", metric="procurement_amount"
        )
        == 25.1
    )
    assert rep.value("active_disclosure", clause="20.1", item="regulation", metric="total_published") == 524
    # the totals of the outcome rows are printed blank: read as 0, so those rows do not add up —
    # errors, each naming the blank cell, and nothing else is wrong
    assert {check for check, _ in errors(rep)} == {"table3.applicant_sum", "table3.outcomes_sum"}
    sums = [i for i in rep.issues if i["check"].startswith("table3.")]
    assert all("printed blank and read as 0" in i["message"] for i in sums)
    assert next(i for i in sums if i["location"] == "table 3 / granted / total")["expected"] == "272"
    assert rep.report["parse_status"] == "ok"


@pytest.mark.parametrize(
    ("name", "new_received", "partially_granted"),
    [
        ("2020_pingtan-caizhengjinrongju-oneline.txt", [0] * 7, [0] * 7),
        ("2024_pingtan-gonganju-mixedspacing.txt", [8, 0, 0, 0, 0, 0, 8], [1, 0, 0, 0, 0, 0, 1]),
    ],
)
def test_crawled_text_with_spaces(name: str, new_received: list[int], partially_granted: list[int]) -> None:
    """Whole report on one line, cells space-separated or glued with odd spaces ('10 0 0 0 01')."""
    rep = read(name)
    assert rep.report["parse_status"] == "ok" and errors(rep) == []
    assert row(rep, "new_received") == new_received and row(rep, "partially_granted") == partially_granted
    assert len(rep.requests) == (25 * 7 if rep.report["template"] == "2021" else 23 * 7)


def test_table_2_from_space_separated_crawled_text() -> None:
    rep = read("2020_pingtan-caizhengjinrongju-oneline.txt")
    assert rep.value("active_disclosure", clause="20.1", item="normative_document", metric="made") == 6
    assert (
        rep.value("active_disclosure", clause="20.1", item="normative_document", metric="total_published")
        == 11
    )
    assert (
        rep.value(
            "active_disclosure", clause="20.9", item="centralized_procurement", metric="procurement_items"
        )
        == 2
    )
    amount = rep.value(
        "active_disclosure", clause="20.9", item="centralized_procurement", metric="procurement_amount"
    )
    assert amount == pytest.approx(98.4361)  # 984361元
    rep = read("2024_pingtan-gonganju-mixedspacing.txt")  # glued: '行政规范性文件005' can only be 0|0|5
    assert rep.value("active_disclosure", clause="20.1", item="normative_document", metric="in_force") == 5
    assert (
        rep.value("active_disclosure", clause="20.5", item="administrative_license", metric="decisions") == 52
    )


def test_a_date_in_the_table_4_heading_is_not_a_cell() -> None:
    """'四、…行政复议与行政诉讼情况2022年，未有…' then the table's fifteen 0s."""
    rep = read("2022_pingtan-jingjifazhanju-flat.txt")
    assert [r["value"] for r in rep.reviews_litigation] == [0] * 15
    assert row(rep, "new_received") == [3, 0, 0, 0, 0, 0, 3]
    # '505': as many digits as cells, so 5|0|5 whatever a blank cell might have made of it; the page's
    # HTML twin (page.html, read at offset 24000) prints 5 | 0 | 5
    assert errors(rep) == []
    normative = [r["value"] for r in rep.active_disclosure if r["item"] == "normative_document"]
    assert normative == [5, 0, 5]


@pytest.mark.parametrize(
    ("docx", "gold"),
    [
        ("2021_pingtan-zongheshiyanqu.libreoffice.docx", "2021_pingtan-zongheshiyanqu-html"),
        ("2025_pingtan-zongheshiyanqu.libreoffice.docx", "2025_pingtan-zongheshiyanqu"),
    ],
)
def test_word_files_made_from_real_reports_match_gold(docx: str, gold: str) -> None:
    """The real HTML reports saved as Word by LibreOffice give every gold cell."""
    import json

    from gold import load_gold, mismatches

    rep = extract_report(EXTRA.parent / docx)
    assert mismatches(json.loads(rep.to_json()), load_gold(gold)) == []
    assert rep.report["parse_status"] == "ok"


@pytest.mark.parametrize(
    "copy",
    ["2019_shanghai-shizhengfu-bangongting.docx", "2019_shanghai-shizhengfu-bangongting.libreoffice.pdf"],
)
def test_table_2_with_merged_header_cells_matches_the_html(copy: str) -> None:
    """Header cells merged across two grid columns (Word, and Word printed to PDF): values are taken
    under each header's columns."""
    html, other = read("2019_shanghai-shizhengfu-bangongting.html"), read(copy)
    key = ("clause", "item", "metric", "value")  # raw differs as printed: "251000元" vs "251000 元"
    assert [tuple(r[k] for k in key) for r in other.active_disclosure] == [
        tuple(r[k] for k in key) for r in html.active_disclosure
    ]
    assert [r["value"] for r in other.requests] == [r["value"] for r in html.requests]
    assert [r["value"] for r in other.reviews_litigation] == [r["value"] for r in html.reviews_litigation]
    assert other.report["parse_status"] == "ok"


def test_damaged_pdf_to_markdown_shanghai_2025() -> None:
    """A PDF turned into markdown badly: what can be read is right, what cannot is reported as such."""
    rep = read("2025_shanghai-shizhengfu-bangongting-pdf2md.md")
    assert (rep.report["bureau"], rep.report["year"]) == ("上海市人民政府办公厅", 2025)
    results = [r["value"] for r in rep.reviews_litigation]
    assert results == [40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22]  # under a 6-cell header row
    assert row(rep, "partially_granted") == [2, 0, 0, 0, 0, 0, 2]  # label wrapped over two lines above
    assert rep.value("requests", row="new_received", applicant="total") == 1295
    assert rep.value("requests", row="total_processed", applicant="total") == 1191
    # two rows whose labels lost their values: reported missing, and no false arithmetic error
    assert sorted(loc for check, loc in errors(rep) if check == "row.missing") == [
        "table 3 / not_processed.confirmation",
        "table 3 / other.no_correction",
    ]
    assert not [c for c, _ in errors(rep) if c.startswith("table3.")]
