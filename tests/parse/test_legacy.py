"""parse/legacy: the year's figures of pre-2019 reports, read by hand from each real report and asserted here.

Every legacy report of the shared corpus with a statistics table or stated figures (平潭 2011–2018, the
county's 2011–2013, the 地税局's 2013) and six 公安局 reports from the public 平潭 archive (2009–2018:
one-column, two-column spaced and glued tables) and two of the 交通与建设局 (a one-column table; a table only
in an .xls attachment) and one of the 财政金融局 (a table cut short) — tests/fixtures/legacy/SOURCES.md. NA means the report does not state the figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.parse.legacy import _cuts, parse_legacy
from analysis.report import Report, extract_report
from analysis.store.schema import typed, validate

FIXTURES = Path(__file__).parents[1] / "fixtures"
LEGACY = FIXTURES / "legacy"
NA = None
KEYS = ("new_received", "total_processed", "granted", "partially_granted", "withheld", "review", "litigation")

# file: received, answered, granted, partly granted, withheld, reviews, lawsuits, proactive releases (the
# year's, with the cumulative figure the table prints beside it, which must never be read)
EXPECTED = {
    LEGACY / "2011_pingtan-xianzhengfu.txt": (0, 0, 0, 0, 0, 0, 0, 425, 1516),
    LEGACY / "2011_pingtan-zongheshiyanqu.txt": (0, 0, 0, 0, 0, 0, 0, 425, 1516),
    FIXTURES / "2012_pingtan-xianzhengfu.txt": (21, 21, 17, 2, 2, 0, 0, 2026, 3542),
    FIXTURES / "2012_pingtan-zongheshiyanqu.txt": (0, 0, 0, 0, 0, 0, 0, 739, 4359),
    FIXTURES / "2013_pingtan-dishuiju.txt": (0, NA, NA, NA, NA, 0, NA, 45, None),
    LEGACY / "2013_pingtan-xianzhengfu.txt": (7, 3, 2, 1, 0, 0, 0, 1853, 5395),
    FIXTURES / "2014_pingtan-zongheshiyanqu.txt": (1, 1, 1, 0, 0, 0, 0, 2543, 78967),
    LEGACY / "2015_pingtan-zongheshiyanqu.txt": (0, 0, 0, 0, 0, 0, 0, 2949, 81916),
    LEGACY / "2017_pingtan-zongheshiyanqu.txt": (0, 0, 0, 0, 0, 0, 0, 2122, 10037),
    FIXTURES / "2018_pingtan-zongheshiyanqu.txt": (0, 0, 0, 0, 0, 0, 0, 2069, 12106),
    LEGACY / "2009_pingtan-gonganju.txt": (0, 0, 0, 0, 0, 0, 0, 15, None),
    LEGACY / "2010_pingtan-gonganju.txt": (0, 0, 0, 0, 0, 0, 0, 8, None),
    LEGACY / "2014_pingtan-gonganju.txt": (0, 0, 0, 0, 0, 0, 0, 360, 805),
    LEGACY / "2015_pingtan-gonganju.txt": (0, 0, 0, 0, 0, 0, 0, 211, 1016),
    LEGACY / "2016_pingtan-gonganju.txt": (0, 0, 0, 0, 0, 0, 0, 207, 1223),
    LEGACY / "2018_pingtan-gonganju.txt": (1, 0, 1, 0, 0, 0, 0, 181, 1568),
    LEGACY / "2013_pingtan-jiaotongjianshe.txt": (0, 0, 0, 0, 0, 0, 0, 291, None),
    # the table only in an .xls attachment: the sentences' figures (无依申请公开, 未发生…行政复议案、行政诉讼案)
    LEGACY / "2016_pingtan-jiaotongjianshe.txt": (0, NA, NA, NA, NA, 0, 0, 261, None),
    # 财政金融局: the table stops after the request channels (no answers, no lawsuits printed or said)
    LEGACY / "2017_pingtan-caizhengjinrongju.txt": (1, NA, NA, NA, NA, 0, NA, 69, None),
    # 人防办: the older Fujian 附表 (正式受理…申请数, 在办/办结, 同意提供/拒绝提供 with its reasons under it)
    LEGACY / "2011_pingtan-renfangban.txt": (0, 0, 0, NA, 0, 0, 0, 15, None),
}


@pytest.fixture(scope="module")
def reports() -> dict[Path, Report]:
    return {path: extract_report(path) for path in EXPECTED}


def _figures(r: Report) -> tuple:
    req = {x["row"]: x["value"] for x in r.requests if x["applicant"] == "total"}
    rev = {x["proceeding"]: x["value"] for x in r.reviews_litigation if x["result"] == "total"}
    released = r.value("active_disclosure", clause="legacy", item="proactive_releases", metric="released")
    return (*(req.get(k) for k in KEYS[:5]), rev.get("review"), rev.get("litigation"), released)


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.stem)
def test_each_legacy_report_gives_the_figures_read_by_hand(reports: dict[Path, Report], path: Path) -> None:
    r = reports[path]
    assert r.report["template"] == "legacy"
    assert _figures(r) == EXPECTED[path][:8]
    assert all(x["applicant"] == "total" for x in r.requests)
    assert "template.legacy" not in {i["check"] for i in r.issues}


@pytest.mark.parametrize("path", [p for p, e in EXPECTED.items() if e[8] is not None], ids=lambda p: p.stem)
def test_the_cumulative_column_is_never_read(reports: dict[Path, Report], path: Path) -> None:
    released = _figures(reports[path])[7]
    assert released != EXPECTED[path][8]


def test_a_year_column_of_requests_beside_a_nonzero_cumulative_one_reads_the_year() -> None:
    # 公安局 2014: 受理政府信息公开申请总数 条 0 3; 不予公开答复数 条 0 1 (spaced); 2015: 条03 (glued 0 | 3)
    for name in ("2014_pingtan-gonganju.txt", "2015_pingtan-gonganju.txt"):
        r = extract_report(LEGACY / name)
        assert r.value("requests", row="new_received", applicant="total") == 0
        assert r.value("requests", row="withheld", applicant="total") == 0


def test_each_value_keeps_its_source() -> None:
    r = extract_report(FIXTURES / "2012_pingtan-xianzhengfu.txt")
    raw = {x["row"]: x["raw"] for x in r.requests}
    assert raw["new_received"] == "受理依申请公开信息总数条2121"
    dishui = extract_report(FIXTURES / "2013_pingtan-dishuiju.txt")
    rev = dishui.reviews_litigation[0]
    assert (rev["proceeding"], rev["value"]) == ("review", 0)
    assert rev["raw"].endswith("我局收到以有关政府信息公开行政复议0件。")


def test_complaints_and_fees_and_the_misprinted_complaints_row() -> None:
    r = extract_report(FIXTURES / "2014_pingtan-zongheshiyanqu.txt")
    complaint = next(x for x in r.reviews_litigation if x["proceeding"] == "complaint")
    assert (complaint["value"], complaint["raw"]) == (0, "接受行政诉讼、举报数 件 0 0")
    assert r.value("active_disclosure", item="disclosure_fee", metric="fee_amount") == 0
    assert r.value("requests", row="other", applicant="total") == 0  # 其他类型答复数
    gaj = extract_report(LEGACY / "2009_pingtan-gonganju.txt")  # 无收费及减免情况 → 0
    assert gaj.value("active_disclosure", item="disclosure_fee", metric="fee_amount") == 0


def test_a_column_headed_with_another_year_and_a_table_against_its_narrative() -> None:
    r = extract_report(LEGACY / "2018_pingtan-gonganju.txt")  # a 2018 report whose column says 2017年度
    by_check = {i["check"]: i for i in r.issues}
    assert (by_check["legacy.column_year"]["expected"], by_check["legacy.column_year"]["actual"]) == (
        "2018",
        "2017",
    )
    # the table has 1 request (受理…总数条13), the text 未收到…申请; answers 0 but 同意公开 1
    assert (
        by_check["legacy.narrative_mismatch"]["expected"],
        by_check["legacy.narrative_mismatch"]["actual"],
    ) == (
        "1",
        "0",
    )
    assert by_check["legacy.answers_sum"]["severity"] == "error"
    assert (
        by_check["legacy.answers_received"]["expected"],
        by_check["legacy.answers_received"]["actual"],
    ) == (
        "1",
        "0",
    )
    zone = extract_report(FIXTURES / "2012_pingtan-zongheshiyanqu.txt")  # table 739, text 1913
    mismatch = [i for i in zone.issues if i["check"] == "legacy.narrative_mismatch"]
    assert [(i["expected"], i["actual"]) for i in mismatch] == [("739", "1913")]
    county = extract_report(LEGACY / "2013_pingtan-xianzhengfu.txt")  # 7 received, 3 answered
    assert [
        (i["expected"], i["actual"]) for i in county.issues if i["check"] == "legacy.answers_received"
    ] == [("7", "3")]


def test_glued_digits_are_cut_only_where_one_cut_fits() -> None:
    assert _cuts(["01"], 2) == [(0, 1)]
    assert _cuts(["00"], 2) == [(0, 0)]
    assert _cuts(["728"], 2) == [(7, 28)]  # 72 | 8 would put the year above the cumulative
    assert (3460, 85376) in _cuts(["346085376"], 2) and len(_cuts(["346085376"], 2)) > 1
    head = "指标名称 计量单位 2016年度 历年累计 主动公开文件数条346085376"
    alone = parse_legacy(head, 2016)  # nothing else tells which cut: not read, and said so
    assert alone.active_disclosure[0]["value"] is None
    assert [i["check"] for i in alone.issues] == ["row.ambiguous"]
    told = parse_legacy("2016年全区主动公开政府信息3460条。" + head, 2016)  # the narrative decides
    assert told.active_disclosure[0]["value"] == 3460 and not told.issues
    # the channels decide: 4251516 = 425 | 1516 because 418 + 7 = 425 and 1509 + 7 = 1516
    sums = parse_legacy(
        "指标名称计量单位2011年度历年累计主动公开信息数条4251516其中：1.网站公开条41815092.政府公报公开条77",
        2011,
    )
    assert sums.active_disclosure[0]["value"] == 425


def test_sentences_only_and_what_is_not_said_stays_missing() -> None:
    got = parse_legacy("2015年，全年共受理申请9件，均予以公开。未收到有关政府信息公开行政复议申请。", 2015)
    rows = {r["row"]: r["value"] for r in got.requests}
    assert rows == {"new_received": 9, "granted": 9}
    assert [(r["proceeding"], r["value"]) for r in got.reviews_litigation] == [("review", 0)]
    assert not got.active_disclosure  # no releases stated: no record, so NA in every view
    first = parse_legacy(
        "2017年我局收到1项有关政府信息公开的申请，未收到有关政府信息公开行政复议申请。", 2017
    )
    assert [(r["row"], r["value"]) for r in first.requests] == [("new_received", 1)]
    service = parse_legacy("区县已入驻审批服务部门和单位13个，开设窗口26个，共受理申请121510件。", 2014)
    assert service.empty  # a service centre's applications are not information-disclosure requests


def test_legacy_records_pass_the_store_schemas() -> None:
    r = extract_report(LEGACY / "2015_pingtan-gonganju.txt")
    for table, df in r.frames().items():
        validate(table, typed(table, df))


def test_a_table_only_in_an_attachment_is_said_and_the_sentences_read() -> None:
    r = extract_report(LEGACY / "2016_pingtan-jiaotongjianshe.txt")
    assert [i["check"] for i in r.issues if i["check"].startswith("legacy.")] == ["legacy.table_elsewhere"]
    assert r.report["parse_status"] == "ok"


def test_the_older_fujian_table_keeps_refusal_reasons_inside_the_refusals() -> None:
    r = extract_report(LEGACY / "2011_pingtan-renfangban.txt")
    rows = {x["row"]: x["raw"] for x in r.requests}
    assert rows["withheld"] == "2．拒绝提供 件 0".replace("．", ".")
    assert rows["carried_forward"] == "其中:1.在办 件 0"
    assert "unavailable.not_held" not in rows  # 信息不存在 is a reason under 拒绝提供: not counted twice
    assert r.value("reviews_litigation", proceeding="review", result="total") == 0  # 受理…行政复议数


def test_a_real_statistics_table_pasted_as_a_table_is_not_read_as_table_4(tmp_path: Path) -> None:
    """平潭综合实验区 2014's 统计表 with its rows on lines and cells split by tabs (as pasted from the page):
    its row 行政复议数 | 件 | 0 | 0 is a legacy row, not the start of the national template's table 4."""
    path = FIXTURES / "2014_pingtan-zongheshiyanqu.txt"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("指标名称"), text.index("附件下载")
    rows = re.findall(r"(\S+?) (条|件|元) (\d+) (\d+)", text[start:end])
    assert len(rows) == 16 and rows[-2] == ("行政复议数", "件", "0", "0")
    table = "\n".join(["指标名称\t计量单位\t2014年度\t历年累计", *("\t".join(r) for r in rows)])
    pasted = tmp_path / path.name
    pasted.write_text(text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8")
    r = extract_report(pasted)
    assert _figures(r) == EXPECTED[path][:8]
    assert [i["check"] for i in r.issues if i["severity"] == "error"] == []


@pytest.mark.parametrize(
    ("path", "row", "date"),
    [
        (LEGACY / "2011_pingtan-xianzhengfu.txt", "行政申诉数条00", "2012年2月20日"),  # glued, two columns
        (LEGACY / "2009_pingtan-gonganju.txt", "行政申诉数 件 0", "2010年1月15日"),  # spaced, one column
        (LEGACY / "2009_pingtan-gonganju.txt", "行政申诉数 件 0", "1月15日"),  # a date without its year
    ],
    ids=["glued", "spaced", "no-year"],
)
def test_a_date_run_into_the_last_row_is_not_read_as_its_value(path: Path, row: str, date: str) -> None:
    """A real crawled table with the report's date right after its last row (as a page dated below its
    统计表 is crawled): the digits before 年/月/日 are the date's, the complaints stay 0."""
    text = path.read_text(encoding="utf-8")
    assert text.count(row) == 1
    year = int(path.name[:4])
    before = parse_legacy(text, year)
    after = parse_legacy(text.replace(row, row + date), year)
    complaint = next(x for x in after.reviews_litigation if x["proceeding"] == "complaint")
    assert (complaint["value"], complaint["raw"]) == (0, row)
    assert after.reviews_litigation == before.reviews_litigation and after.issues == before.issues
