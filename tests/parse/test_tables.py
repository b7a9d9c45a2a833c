"""Table parsing on the seed report and on variants of it that real reports use."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import extract_report

SEED_TEXT = (Path(__file__).parents[1] / "fixtures" / "2020_luoyang-tongjiju.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return extract_report(Path(__file__).parents[1] / "fixtures" / "2020_luoyang-tongjiju.txt")


def write(tmp_path: Path, text: str, name: str = "variant.txt", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_seed_figures(seed) -> None:
    assert seed.report["template"] == "2019"
    assert seed.report["parse_status"] == "ok"
    assert seed.value("requests", row="new_received", applicant="natural_person") == 7
    assert seed.value("requests", row="partially_granted", applicant="total") == 5
    assert seed.value("requests", row="unavailable.not_held", applicant="total") == 2
    assert seed.value("requests", row="not_processed.confirmation", applicant="total") == 0  # wrapped label
    assert (
        seed.value(
            "active_disclosure", clause="20.9", item="centralized_procurement", metric="procurement_amount"
        )
        == 61.8
    )
    assert seed.value("active_disclosure", clause="20.6", item="administrative_penalty", metric="change") == 8
    assert (
        seed.value("active_disclosure", clause="20.5", item="other_management_service", metric="change") == 4
    )


def test_seed_blank_review_cells_are_zero_with_a_warning(seed) -> None:
    review = [r for r in seed.reviews_litigation if r["proceeding"] == "review"]
    assert [(r["value"], r["raw"]) for r in review] == [(0, "")] * 5
    [blank] = [i for i in seed.issues if i["check"] == "cell.blank"]
    assert blank["severity"] == "warning"
    assert (
        "table 4 / review / upheld" in blank["location"] and "table 4 / review / total" in blank["location"]
    )
    assert [i for i in seed.issues if i["severity"] == "error"] == []


def test_seed_records_carry_keys_and_raw(seed) -> None:
    rec = next(r for r in seed.requests if r["row"] == "new_received" and r["applicant"] == "total")
    assert rec["report_id"] == seed.report["report_id"] and len(rec["report_id"]) == 16
    assert rec["bureau"] == "洛阳市统计局" and rec["year"] == 2020 and rec["raw"] == "7"
    assert (
        len(seed.requests) == 23 * 7
        and len(seed.reviews_litigation) == 15
        and len(seed.active_disclosure) == 22
    )


FULLWIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")


def test_fullwidth_digits_brackets_and_label_variants(tmp_path: Path) -> None:
    head, tables = SEED_TEXT.split("二、主动公开政府信息情况", 1)
    tables = (
        tables.translate(FULLWIDTH).replace("规范性文件", "行政规范性文件").replace("本年新收", "本年 新收")
    )
    rep = extract_report(write(tmp_path, head + "二、主动公开政府信息情况" + tables))
    assert rep.value("requests", row="new_received", applicant="total") == 7
    assert rep.value("requests", row="unavailable.not_held", applicant="natural_person") == 2
    assert (
        rep.value(
            "active_disclosure", clause="20.9", item="centralized_procurement", metric="procurement_amount"
        )
        == 61.8
    )
    assert rep.value("active_disclosure", clause="20.1", item="normative_document", metric="made") == 0
    assert [i for i in rep.issues if i["severity"] == "error"] == []


def test_space_separated_rows(tmp_path: Path) -> None:
    start = SEED_TEXT.index("一、本年新收")
    end = SEED_TEXT.index("四、政府信息公开行政复议")
    spaced = SEED_TEXT[:start] + SEED_TEXT[start:end].replace("\t", " ") + SEED_TEXT[end:]
    rep = extract_report(write(tmp_path, spaced))
    assert rep.value("requests", row="partially_granted", applicant="natural_person") == 5
    assert rep.value("requests", row="total_processed", applicant="total") == 7
    assert len(rep.requests) == 23 * 7


def test_money_in_yuan_and_dash_cells(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("政府集中采购\t1\t61.8", "政府集中采购\t1\t618000元")
    text = text.replace("行政强制\t0\t1\t0", "行政强制\t/\t1\t—")
    rep = extract_report(write(tmp_path, text))
    amount = next(r for r in rep.active_disclosure if r["metric"] == "procurement_amount")
    assert (amount["value"], amount["raw"], amount["unit"]) == (61.8, "618000元", "万元")
    [blank] = [i for i in rep.issues if i["check"] == "cell.blank"]
    assert "table 2 / 20.6 / administrative_coercion / prev_year_items ('/')" in blank["message"]
    assert "administrative_coercion / decisions ('—')" in blank["message"]


def test_inconsistent_row_is_reported_not_fixed(tmp_path: Path) -> None:
    text = SEED_TEXT.replace(
        "一、本年新收政府信息公开申请数量\t\t7\t0\t0\t0\t0\t0\t7",
        "一、本年新收政府信息公开申请数量\t\t7\t0\t0\t0\t0\t0\t9",
    )
    rep = extract_report(write(tmp_path, text))
    assert rep.value("requests", row="new_received", applicant="total") == 9
    errors = {
        (i["check"], i["location"], i["expected"], i["actual"])
        for i in rep.issues
        if i["severity"] == "error"
    }
    assert ("table3.applicant_sum", "table 3 / new_received / total", "7", "9") in errors
    assert ("table3.balance", "table 3 / total", "9", "7") in errors


def test_report_cut_off_in_table_3_is_partial(tmp_path: Path) -> None:
    cut = SEED_TEXT[: SEED_TEXT.index("(四) 无法提供")]
    rep = extract_report(write(tmp_path, cut))
    assert rep.report["parse_status"] == "partial"
    checks = {(i["check"], i["location"]) for i in rep.issues}
    assert ("table.missing", "table 4 (复议诉讼)") in checks
    assert ("row.missing", "table 3 / unavailable.not_held") in checks
    assert ("row.missing", "table 3 / total_processed") in checks
    assert rep.value("requests", row="partially_granted", applicant="total") == 5


def test_label_printed_with_no_cells_is_said_so(tmp_path: Path, seed) -> None:
    """A row's label wrapped whole over two lines above a line of nothing but tabs (what the property
    tests drew): the line of blank cells cannot be told from a spacer, so the row is not read (NA, an
    error, never 0) and the error says its label was printed rather than "not found"."""
    row = "\t\t2. 没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0"
    assert row in SEED_TEXT
    text = SEED_TEXT.replace(row, "\t\t2. 没有现成信息需要\n\t\t另行制作\n\t\t\t\t\t\t\t\t")
    rep = extract_report(write(tmp_path, text))
    assert rep.value("requests", row="unavailable.needs_creation", applicant="total") is None
    (missing,) = [i for i in rep.issues if i["check"] == "row.missing"]
    assert missing["severity"] == "error"
    assert missing["location"] == "table 3 / unavailable.needs_creation"
    assert "its label '2.没有现成信息需要另行制作' is printed, but no cells for it" in missing["message"]
    # the rows around it are read as the seed reads them
    for other in ("unavailable.not_held", "unavailable.still_unclear"):
        assert rep.value("requests", row=other, applicant="total") == seed.value(
            "requests", row=other, applicant="total"
        )
    # a row whose label is not printed at all is still "not found"
    cut = SEED_TEXT.replace(row + "\n", "")
    (gone,) = [
        i for i in extract_report(write(tmp_path, cut, "cut.txt")).issues if i["check"] == "row.missing"
    ]
    assert gone["message"] == "table 3 row unavailable.needs_creation not found"


def test_gbk_html_without_charset_and_rowspans(tmp_path: Path) -> None:
    rows = [
        "<tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
        "<td colspan=7>申请人情况</td></tr>",
        "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>",
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
        "<tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>12</td><td>3</td><td>&nbsp;</td>"
        "<td>0</td><td>0</td><td>1</td><td>16</td></tr>",
        "<tr><td colspan=3>二、上年结转政府信息公开申请数量</td>" + "<td>0</td>" * 7 + "</tr>",
        "<tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>10</td><td>3</td><td>0</td>"
        "<td>0</td><td>0</td><td>1</td><td>14</td></tr>",
        "<tr><td colspan=2>（七）总计</td><td>10</td><td>3</td><td>0</td><td>0</td><td>0</td><td>1</td><td>14</td></tr>",
    ]
    page = (
        "<html><head><title>某某县财政局2022年政府信息公开工作年度报告</title></head><body>"
        "<div class=nav>首页 | 政务公开 | 联系我们</div>"
        "<p>某某县财政局2022年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
        "<table>" + "".join(rows) + "</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>"
    )
    path = write(tmp_path, page, "gbk.html", encoding="gbk")
    rep = extract_report(path)
    assert rep.report["year"] == 2022
    assert rep.value("requests", row="new_received", applicant="natural_person") == 12
    assert rep.value("requests", row="new_received", applicant="research") == 0
    assert rep.value("requests", row="granted", applicant="total") == 14
    assert rep.value("requests", row="total_processed", applicant="commercial") == 3
    assert rep.report["parse_status"] == "partial"  # tables 2 and 4 and most of table 3 are absent


def test_one_cell_per_line_paste(tmp_path: Path) -> None:
    """Text copied from a web table often puts every cell on its own line."""
    start = SEED_TEXT.index("第二十条第（一）项")
    end = SEED_TEXT.index("五、存在的主要问题")
    body = SEED_TEXT[start:end]
    table4 = body.index("行政复议\t")
    # table 4's five blank review cells cannot survive this layout: give them as printed zeros
    body = body[:table4] + body[table4:].replace("\t\t\t\t\t0\t0", "0\t0\t0\t0\t0\t0\t0")
    lines = "\n".join(c for c in body.replace("\t", "\n").splitlines() if c.strip())
    rep = extract_report(write(tmp_path, SEED_TEXT[:start] + lines + "\n" + SEED_TEXT[end:]))
    assert rep.value("requests", row="new_received", applicant="natural_person") == 7
    assert rep.value("requests", row="unavailable.not_held", applicant="total") == 2
    assert rep.value("requests", row="not_processed.confirmation", applicant="total") == 0
    assert rep.value("active_disclosure", clause="20.6", item="administrative_penalty", metric="change") == 8
    assert (
        rep.value(
            "active_disclosure", clause="20.9", item="centralized_procurement", metric="procurement_amount"
        )
        == 61.8
    )
    assert (
        len(rep.requests) == 23 * 7 and len(rep.reviews_litigation) == 15 and len(rep.active_disclosure) == 22
    )
    assert rep.report["parse_status"] == "ok"


def test_table_of_contents_does_not_hide_the_tables(tmp_path: Path) -> None:
    toc = (
        "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
    )
    title, rest = SEED_TEXT.split("一、总体情况", 1)
    rep = extract_report(write(tmp_path, title + toc + "一、总体情况" + rest))
    assert rep.report["parse_status"] == "ok"
    assert rep.value("requests", row="new_received", applicant="total") == 7
    assert len(rep.active_disclosure) == 22 and len(rep.reviews_litigation) == 15


def test_html_report_inside_layout_tables(tmp_path: Path) -> None:
    """Older sites wrap the whole article in layout tables (nav row, content cell, nested data tables)."""
    fixtures = Path(__file__).parents[1] / "fixtures"
    page = (fixtures / "2025_pingtan-zongheshiyanqu.html").read_text(encoding="utf-8")
    body = page.index(">", page.index("<body")) + 1
    end = page.rindex("</body>")
    nested = (
        page[:body]
        + '<table width="100%"><tr><td class="nav">首页 | 政务公开</td></tr><tr><td><table><tr><td>'
        + page[body:end]
        + "</td></tr></table></td></tr></table>"
        + page[end:]
    )
    rep = extract_report(write(tmp_path, nested, "nested.html"))
    plain = extract_report(fixtures / "2025_pingtan-zongheshiyanqu.html")
    assert rep.requests == [{**r, "report_id": rep.report["report_id"]} for r in plain.requests]
    assert len(rep.reviews_litigation) == 15 and len(rep.active_disclosure) == 10
    assert rep.report["bureau"] == "平潭综合实验区" and len(rep.sections) == 6


def test_structural_column_goes_before_a_blank_total() -> None:
    """An empty grid column under a header quirk is layout; a blank 总计 at the row's end is a value."""
    from analysis.parse.rows import fit_values

    row = list(enumerate(["3", "0", "", "0", "1", "0", "0", ""]))  # column 2 is empty in every row
    assert [t for _, t in fit_values(row, 7, structural={2})] == ["3", "0", "0", "1", "0", "0", ""]
    assert [t for _, t in fit_values(row, 7)] == ["3", "0", "", "0", "1", "0", "0"]  # without the grid's word


def test_cell_units_are_one_list_for_spotting_and_parsing_values() -> None:
    from analysis.model.values import CELL_UNITS, is_value_token, parse_value

    for unit in CELL_UNITS:
        assert is_value_token(f"12{unit}") and parse_value(f"12{unit}").ok
    assert parse_value("18万").value == 180000  # a count of ten thousands
    assert parse_value("61.8万", money=True).value == 61.8  # money: 万 is 万元
    assert parse_value("251000元", money=True).value == 25.1
    assert not is_value_token("行政许可") and not parse_value("行政许可").ok


def test_figures_of_a_row_the_template_lacks_taken_for_a_blank_row_are_flagged(tmp_path: Path) -> None:
    """A blank row followed by a numbered row of no template wording: the figures go to the blank row
    (the layout of a wrapped label), and a warning says so, so the guess is never silent."""
    lines = SEED_TEXT.splitlines()
    i = next(n for n, ln in enumerate(lines) if "1. 属于国家秘密" in ln)
    lines[i] = "\t(三) 不予公开\t1. 属于国家秘密" + "\t" * 7
    lines.insert(i + 1, "\t\t9. 属于本机关新增的事项\t3\t0\t0\t0\t0\t0\t3")
    rep = extract_report(write(tmp_path, "\n".join(lines)))
    assert rep.value("requests", row="withheld.state_secret", applicant="total") == 3
    (warn,) = [i for i in rep.issues if i["check"] == "row.unmatched"]
    assert warn["location"] == "table 3 / withheld.state_secret"
    assert "'9.属于本机关新增的事项' (no row of the template)" in warn["message"]
    checks = {i["check"] for i in rep.issues if i["severity"] == "error"}
    assert checks == {"table3.outcomes_sum"}  # and the sums show the extra figures
