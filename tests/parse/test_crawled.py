"""Crawled department reports of 平潭 (tests/fixtures/crawled/SOURCES.md): cells run together, read as far
as the text, its sums and its narrative allow; every cell not read is named by an issue; and on the
reports whose page.txt and page.html are both stored, every cell read from the text equals the HTML's."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from analysis.model import codes
from analysis.parse.flattened import parse_flattened, read_table2_row
from analysis.report import Report, extract_report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CRAWLED = sorted((FIXTURES / "crawled").glob("*.txt"))
# the page.html twins copied (verbatim, SOURCES.md), plain or gzip-compressed
# reports for a later year that still print the 2019 template (本年新制作数量 …, 第二十条第（九）项)
TEMPLATE_2019 = {"2020_pingtan-ziranziyuanju.txt"}
TWINS = sorted(p for p in (FIXTURES / "crawled").glob("*.html*") if p.name.endswith((".html", ".html.gz")))
KEYS = {
    "requests": ("row", "applicant"),
    "reviews_litigation": ("proceeding", "result"),
    "active_disclosure": ("clause", "item", "metric"),
}


def read(name: str) -> Report:
    return extract_report(FIXTURES / "crawled" / name)


def row(rep: Report, code: str) -> list:
    return [r["value"] for r in rep.requests if r["row"] == code]


def table4(rep: Report, proceeding: str) -> list:
    return [r["value"] for r in rep.reviews_litigation if r["proceeding"] == proceeding]


def normative(rep: Report) -> dict:
    return {r["metric"]: r["value"] for r in rep.active_disclosure if r["item"] == "normative_document"}


def errors(rep: Report, check: str | None = None) -> set[tuple[str, str]]:
    return {
        (i["check"], i["location"])
        for i in rep.issues
        if i["severity"] == "error" and (check is None or i["check"] == check)
    }


def test_a_total_the_source_got_wrong_is_read_and_reported() -> None:
    """农业农村局 2024: 本年新收 `3000000` has as many digits as cells: 3|0|0|0|0|0|0, whatever the
    sums say; the total of 0 is the report's own error, not an ambiguity."""
    rep = read("2024_pingtan-nongyenongcunju.txt")
    assert row(rep, "new_received") == [3, 0, 0, 0, 0, 0, 0]
    assert row(rep, "total_processed") == [3, 0, 0, 0, 0, 0, 0]
    assert errors(rep) == {
        ("table3.applicant_sum", f"table 3 / {r} / total")
        for r in ("new_received", "granted", "withheld.third_party", "total_processed")
    }
    assert normative(rep) == {"issued": 1, "repealed": 0, "in_force": 0}  # '100', the only 规范性文件 row
    assert rep.value("active_disclosure", item="administrative_license", metric="decisions") == 1323


def test_fifteen_digits_are_table_4_whatever_its_totals() -> None:
    """行政审批局 2024: `100000000000000`, a review upheld and a total of 0 (the narrative: 行政复议1起)."""
    rep = read("2024_pingtan-xingzhengshenpiju.txt")
    assert table4(rep, "review") == [1, 0, 0, 0, 0]
    assert errors(rep) == {("table4.total", "table 4 / review / total")}
    # the narrative's 废止规范性文件6件，制定规范性文件15件 leaves one reading of '15621'
    assert normative(rep) == {"issued": 15, "repealed": 6, "in_force": 21}
    assert rep.report["parse_status"] == "ok"


def test_when_nothing_adds_up_the_reading_breaking_fewest_relations() -> None:
    """自然资源与生态环境局 2023: 部分公开 `8100008` is forced (8+1 ≠ 8 in the source); (七)总计
    `191000019` adds up in no reading, and 19|1|0|0|0|0|19 breaks the fewest relations (its own sum and
    the commercial column's balance), each reported as an error. The page's HTML twin (page.html, read
    at offset 40,000) prints (七)总计 as 19 | 1 | 0 | 0 | 0 | 0 | 19."""
    rep = read("2023_pingtan-ziranziyuanju.txt")
    assert row(rep, "partially_granted") == [8, 1, 0, 0, 0, 0, 8]
    assert row(rep, "total_processed") == [19, 1, 0, 0, 0, 0, 19]
    assert errors(rep) == {
        ("table3.applicant_sum", "table 3 / partially_granted / total"),
        ("table3.applicant_sum", "table 3 / total_processed / total"),
        ("table3.balance", "table 3 / commercial"),
        ("row.ambiguous", "table 2 / 20.1 / normative_document"),
    }
    least = [i for i in rep.issues if i["check"] == "layout.least_broken"]
    assert [i["location"] for i in least] == ["table 3 / total_processed"]
    assert table4(rep, "litigation_direct") == [1, 0, 0, 0, 1]  # '00 0 0 01 0 0 0 1 0 0 0 00'


MERGED = {"table 3 / other.fee_unpaid", "table 3 / other.other"}  # (六)2 and 3 under (六)1's rowspan=3


def merged(rep: Report) -> dict[str, str]:
    """The rows named by ``cell.merged`` (location → message)."""
    return {i["location"]: i["message"] for i in rep.issues if i["check"] == "cell.merged"}


@pytest.mark.parametrize("year", [2021, 2023, 2024])
def test_rows_printed_with_no_cells_below_a_row_with_cells_are_not_read(year: int) -> None:
    """市场监督管理局 (`…政府信息公开申请3.其他（七）总计1000001` in 2023): (六)2 and (六)3 print no cells
    below (六)1, which prints seven; the page.html shows why: (六)1's value cells span the three rows
    (rowspan=3). The text cannot tell that from cells left blank: neither row is read (NA, not 0), each
    named by cell.merged; (六)1 is read as printed, and no row is missing."""
    rep = read(f"{year}_pingtan-shichangjianguanju.txt")
    assert row(rep, "other.fee_unpaid") == [] and row(rep, "other.other") == []
    assert row(rep, "other.no_correction") == [0] * 7
    total = {2021: 5, 2023: 1, 2024: 4}[year]
    assert row(rep, "total_processed") == [total, 0, 0, 0, 0, 0, total]
    assert set(merged(rep)) == MERGED
    assert all("below '(六)其他处理1.申请人无正当理由逾期不补正" in m for m in merged(rep).values())
    assert not errors(rep, "row.missing") and not [i for i in rep.issues if i["check"] == "cell.blank"]
    assert rep.report["parse_status"] == "partial"


@pytest.mark.parametrize("year", [2021, 2023, 2024])
def test_value_cells_merged_from_the_row_above_are_named_not_missing(year: int) -> None:
    """The page.html of the same three reports: (六)1's seven value cells carry rowspan="3"; (六)2 and
    (六)3 are there (their labels printed), their value cells covered from above. They are named by
    cell.merged (the row they are merged with, the span), not row.missing, and not read: no record,
    no 0, no copy of (六)1's figures."""
    rep = extract_report(FIXTURES / "crawled" / f"{year}_pingtan-shichangjianguanju.excerpt.html")
    assert row(rep, "other.fee_unpaid") == [] and row(rep, "other.other") == []
    assert row(rep, "other.no_correction") == [0] * 7
    assert set(merged(rep)) == MERGED
    for message in merged(rep).values():
        assert "rowspan=3" in message and "(other.no_correction)" in message
    assert not errors(rep, "row.missing")
    assert [i["severity"] for i in rep.issues if i["check"] == "cell.merged"] == ["warning"] * 2


def test_a_total_set_apart_and_a_label_number_glued_to_a_row() -> None:
    """交通与建设局 2024: `5800000 58 `, `3200000326.属于…`, `1000000102.没有…`."""
    rep = read("2024_pingtan-jiaotongjiansheju.txt")
    assert row(rep, "new_received") == [58, 0, 0, 0, 0, 0, 58]
    assert row(rep, "withheld.internal_affairs") == [32, 0, 0, 0, 0, 0, 32]
    assert row(rep, "unavailable.not_held") == [10, 0, 0, 0, 0, 0, 10]
    assert row(rep, "other.fee_unpaid") == [0] * 7  # '000000 0'
    # '3123': 3|1|23 or 3|12|3 (31|2|3 has fewer in force than issued): the issued 3 is read, no more
    assert normative(rep) == {"issued": 3}
    unread = next(i for i in rep.issues if i["location"] == "table 2 / 20.1 / normative_document")
    assert "3|1|23; 3|12|3" in unread["message"]


def test_the_narrative_repeats_a_figure_of_table_2() -> None:
    """管委会办公室 2022: '34089' is 34|0|89 by 本年度制发规范性文件34件 (its 现行有效件数424件 is in no
    reading, so it says nothing)."""
    rep = read("2022_pingtan-guanweihui-bangongshi.txt")
    assert normative(rep) == {"issued": 34, "repealed": 0, "in_force": 89}
    assert row(rep, "new_received") == [14, 2, 0, 0, 0, 0, 16]
    assert row(rep, "other.other") == [0, 2, 0, 0, 0, 0, 2]
    assert errors(rep) == set()


def test_outcomes_the_total_leaves_out_are_the_sources_errors() -> None:
    """经济发展局 2025: (七)总计 `0000000` under outcomes of 4; table 4 `010000000000000`."""
    rep = read("2025_pingtan-jingjifazhanju.txt")
    assert row(rep, "total_processed") == [0] * 7 and row(rep, "granted") == [3, 0, 0, 0, 0, 0, 3]
    assert table4(rep, "review") == [0, 1, 0, 0, 0]
    assert {c for c, _ in errors(rep)} == {
        "table3.balance",
        "table3.outcomes_sum",
        "table4.total",
        "row.ambiguous",  # '164640' into issued, repealed, in force: five readings
    }


def test_a_row_with_a_cell_printed_blank_is_not_guessed() -> None:
    """公安局 2019: 本年新收 `0 00000`, six digits for seven cells: which one is blank cannot be told."""
    rep = read("2019_pingtan-gonganju.txt")
    assert row(rep, "new_received") == []
    assert ("row.ambiguous", "table 3 / new_received") in errors(rep)
    assert rep.report["template"] == "2019"
    # '4500' is 4|50|0 or 45|0|0: only the decisions cell is the same in both
    assert rep.value("active_disclosure", item="administrative_license", metric="decisions") == 0
    assert rep.value("active_disclosure", item="administrative_license", metric="change") is None


@pytest.mark.parametrize("path", CRAWLED, ids=lambda p: p.stem)
def test_every_cell_not_read_is_named_by_an_issue(path: Path) -> None:
    """Tables 3 and 4 complete unless an error names the row; a table-2 row the report prints is read
    whole or named by row.ambiguous."""
    rep = extract_report(path)
    named = {i["location"] for i in rep.issues if i["severity"] == "error" or i["check"] == "cell.merged"}
    old = path.name.startswith("2019") or path.name in TEMPLATE_2019
    assert rep.report["template"] == ("2019" if old else "2021")
    present = {r["row"] for r in rep.requests}
    for code in codes.expected_request_rows(present):
        assert len(row(rep, code)) == 7 or f"table 3 / {code}" in named, code
    for proceeding in codes.PROCEEDINGS:
        assert len(table4(rep, proceeding)) == 5 or any(
            n.startswith("table 4") and proceeding in n for n in named
        )
    template = codes.ACTIVE_DISCLOSURE[rep.report["template"]]
    read_rows = {(r["clause"], r["item"]) for r in rep.active_disclosure}
    for clause, item in read_rows:
        n = sum(1 for r in rep.active_disclosure if (r["clause"], r["item"]) == (clause, item))
        assert n == len(template[clause][item]) or f"table 2 / {clause} / {item}" in named


def test_ideographic_spaces_and_signs_in_a_row() -> None:
    """A space of any width is a cut; a sign only in the signed column (本年增/减): '88-720' leaves
    88|-7|20 and 88|-72|0 (8|8|-720 puts a sign under 处理决定数量), so 88 is read and no more."""
    row_ = read_table2_row(
        ["88", "-720"], "administrative_penalty", ["prev_year_items", "change", "decisions"], {}
    )
    assert row_.cells == ["88", None, None] and row_.how == ["template", None, None]
    signed = read_table2_row(
        ["0", "+11"], "administrative_penalty", ["prev_year_items", "change", "decisions"], {}
    )
    assert signed.cells == ["0", "+1", "1"] and signed.how == ["forced"] * 3  # '0+11': three digits
    text = "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量1\u30000\u30000 0 0 0 1"
    assert [r["value"] for r in parse_flattened(text).requests] == [1, 0, 0, 0, 0, 0, 1]


def test_a_seven_part_report_still_has_table_3() -> None:
    """The parts renumbered one later (an added 二、政务公开工作主要任务): 四、收到和处理… is table 3 and
    五、…复议 table 4. Made from 财政金融局 2023 by renumbering its parts."""
    text = (FIXTURES / "crawled" / "2023_pingtan-caizhengjinrongju.txt").read_text(encoding="utf-8")
    for old, new in (
        ("六、其他", "七、其他"),
        ("五、存在", "六、存在"),
        ("四、政府信息公开行政", "五、政府信息公开行政"),
    ):
        text = text.replace(old, new)
    text = text.replace("三、收到和处理", "四、收到和处理").replace("二、主动公开", "三、主动公开")
    text = text.replace("一、总体情况", "一、总体情况 二、政务公开工作主要任务 全面完成。", 1)
    flat = parse_flattened(text)
    assert len(flat.requests) == 25 * 7 and len(flat.reviews_litigation) == 15
    assert len(flat.active_disclosure) == 10


def _cells(rep: Report, table: str) -> dict:
    return {tuple(r[k] for k in KEYS[table]): r["value"] for r in getattr(rep, table)}


@pytest.mark.parametrize("year", [2019, 2020, 2021])
def test_page_txt_and_page_html_agree(year: int) -> None:
    """平潭综合实验区 (page.txt and page.html of one page, both verbatim): every cell read from the text
    equals the HTML's; every cell of the HTML not read from the text is named by a row.ambiguous error."""
    text = extract_report(FIXTURES / f"{year}_pingtan-zongheshiyanqu.txt")
    html = extract_report(FIXTURES / f"{year}_pingtan-zongheshiyanqu.html")
    unread_rows = {i["location"] for i in text.issues if i["check"] == "row.ambiguous"}
    for table in KEYS:
        from_text, from_html = _cells(text, table), _cells(html, table)
        assert {k: v for k, v in from_text.items() if from_html.get(k) != v} == {}, table
        for key in set(from_html) - set(from_text):
            assert f"table 2 / {key[0]} / {key[1]}" in unread_rows, key
    assert len(text.requests) == len(html.requests) and len(text.reviews_litigation) == 15


def test_tables_without_some_headings_and_a_table_2_row_with_no_cells() -> None:
    """财政金融局 2023 with table 3's heading taken out (its first row, 申请人情况…本年新收, starts it) and
    its 规章 row printed with no cells ('现行有效件数规章行政规范性文件008'): 规章 is blank, and the
    digits are 行政规范性文件's, not 规章's."""
    text = (FIXTURES / "crawled" / "2023_pingtan-caizhengjinrongju.txt").read_text(encoding="utf-8")
    text = text.replace("三、收到和处理政府信息公开申请情况", "").replace("规章000行政", "规章行政")
    flat = parse_flattened(text)
    assert len(flat.requests) == 25 * 7 and len(flat.reviews_litigation) == 15
    got = {(r["item"], r["metric"]): (r["value"], r["raw"]) for r in flat.active_disclosure}
    assert got[("regulation", "in_force")] == (0, "") and got[("normative_document", "in_force")] == (8, "8")
    assert ("table 2 / 20.1 / regulation / issued", "") in flat.blanks


def test_table_4_proceedings_the_readings_agree_on_are_read() -> None:
    """社会事业局 2024: `00202000001324015` (17 digits) adds up in no reading; every reading breaking
    the fewest totals gives review 0|0|2|0|2 and direct suits 0|0|0|0|0, but not the same suits after
    review: those stay unread, named."""
    rep = read("2024_pingtan-shehuishiyeju.txt")
    assert table4(rep, "review") == [0, 0, 2, 0, 2] and table4(rep, "litigation_direct") == [0] * 5
    assert table4(rep, "litigation_after_review") == []
    assert errors(rep) == {("row.ambiguous", "table 4 / litigation_after_review")}


def test_a_counter_after_a_figure_and_a_missing_clause_heading() -> None:
    """旅游与文化体育局 2019 (2019 template, no 第二十条第（六）项 heading before 行政处罚):
    `政府集中采购1个246900元` is 1 item and 24.69 万元; '行政处罚3000' is 30|0|0 or, with a cell printed
    blank, 300|0: not read. '行政许可215' is not read either: the page.html prints 2 | (blank) | 15, so
    three digits for three cells are not one digit a cell where 本年增/减 may be left blank."""
    rep = read("2019_pingtan-lvyouwentiju.txt")
    assert rep.value("active_disclosure", item="centralized_procurement", metric="procurement_items") == 1
    amount = rep.value("active_disclosure", item="centralized_procurement", metric="procurement_amount")
    assert amount == pytest.approx(24.69)
    assert [r["value"] for r in rep.active_disclosure if r["item"] == "administrative_license"] == []
    assert errors(rep) == {
        ("row.ambiguous", "table 2 / 20.6 / administrative_penalty"),
        ("row.ambiguous", "table 2 / 20.5 / administrative_license"),
    }
    assert row(rep, "other") == [0] * 7 and len(rep.requests) == 23 * 7


def _unread_is_named(table: str, key: tuple, named: set[str]) -> bool:
    """Whether an error names the row (table 2 or 3) or the proceeding (table 4) of a cell not read."""
    if table == "active_disclosure":
        return f"table 2 / {key[0]} / {key[1]}" in named
    if table == "requests":
        return f"table 3 / {key[0]}" in named
    return "table 4" in named or any(n.startswith("table 4") and key[0] in n for n in named)


def _html(twin: Path, tmp: Path) -> Path:
    """The twin as a plain .html file (decompressed into ``tmp`` when stored gzip-compressed)."""
    if twin.suffix != ".gz":
        return twin
    out = tmp / twin.stem
    with gzip.open(twin, "rb") as src, out.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


@pytest.fixture(scope="module")
def neighbour_cells() -> dict[str, dict]:
    """The table-2 cells the neighbouring year's report resolves (corpus/resolve over the crawled
    reports), by file stem."""
    from analysis.corpus.resolve import resolve
    from analysis.ingest import reports_to_frames
    from analysis.store.schema import typed

    reports = [extract_report(p) for p in CRAWLED]
    stems = {r.report["report_id"]: Path(r.report["source_path"]).stem for r in reports}
    cells, _ = resolve({k: typed(k, v) for k, v in reports_to_frames(reports).items()})
    out: dict[str, dict] = {}
    for c in cells.to_dict("records"):
        out.setdefault(stems[c["report_id"]], {})[(c["clause"], c["item"], c["metric"])] = c["value"]
    return out


@pytest.mark.parametrize("twin", TWINS, ids=lambda p: p.name.split(".")[0])
def test_department_page_txt_and_page_html_agree(twin: Path, tmp_path: Path, neighbour_cells: dict) -> None:
    """A crawled department report and its page.html (both verbatim from the archive): every cell read
    from the text, or resolved by the neighbouring year's report, equals the HTML's (zero wrong values),
    and every cell the HTML gives that the text did not is named by an error of the text's reading.
    Table-3 rows whose value cells the page merges with the row above (rowspan) are the same rows on
    both sides, named by cell.merged on both, and read on neither (NA: no record, so no 0)."""
    stem = twin.name.split(".")[0]
    text = extract_report(FIXTURES / "crawled" / f"{stem}.txt")
    html = extract_report(_html(twin, tmp_path))
    named = {i["location"] for i in text.issues if i["severity"] == "error"}
    assert set(merged(text)) == set(merged(html))
    assert set(merged(html)) == (MERGED if "shichangjianguanju" in stem else set())
    for rep in (text, html):  # merged rows: no cell, not even a blank one read as 0
        assert not [r for r in rep.requests if f"table 3 / {r['row']}" in merged(rep)]
    for table in KEYS:
        from_text, from_html = _cells(text, table), _cells(html, table)
        if table == "active_disclosure":
            from_text |= neighbour_cells.get(stem, {})
        assert from_html, table  # the HTML reader read the table
        wrong = {k: (v, from_html.get(k)) for k, v in from_text.items() if from_html.get(k) != v}
        assert wrong == {}, table
        unnamed = [k for k in set(from_html) - set(from_text) if not _unread_is_named(table, k, named)]
        assert unnamed == [], table


def test_a_2019_template_header_printed_本年公开数量() -> None:
    """自然资源与生态环境局 2020 (2019 template) heads table 2's first columns 本年新制作数量 本年公开数量
    对外公开总数量 (not 本年新公开数量): three columns, so '规章000' is 0|0|0 (its page.html agrees)."""
    rep = read("2020_pingtan-ziranziyuanju.txt")
    got = {r["metric"]: r["value"] for r in rep.active_disclosure if r["item"] == "regulation"}
    assert got == {"made": 0, "published": 0, "total_published": 0}
