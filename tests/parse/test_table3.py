"""Table 3's two passes fed lines directly: layout (lines → label and figures of each line) and
classification (those → template rows), on the rows of real reports and on labels wrapped the ways
pasted text and PDF text wrap them (the cases the property tests in test_properties.py found)."""

from __future__ import annotations

import pytest

from analysis.model import codes
from analysis.model.document import Line
from analysis.parse.table3 import classify, layout, parse_table3

# the table-3 lines of tests/fixtures/2020_luoyang-tongjiju.txt, as printed (tab-separated cells), with
# its real wrapped label: "5. 要求行政机关确认或重新出具已获取信" / "息"
LUOYANG = [
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\t",
    "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t",
    "一、本年新收政府信息公开申请数量\t\t7\t0\t0\t0\t0\t0\t7\t",
    "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t",
    "三、本年度办理结果\t(一) 予以公开\t0\t0\t0\t0\t0\t0\t0\t",
    "\t(二) 部分公开(区分处理的,只计这一情形,不计其他情形)\t5\t0\t0\t0\t0\t0\t5\t",
    "\t(三) 不予公开\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
    "\t\t2. 其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0",
    "\t\t3. 危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0",
    "\t\t4. 保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0",
    "\t\t5. 属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0",
    "\t\t6. 属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0",
    "\t\t7. 属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0",
    "\t\t8. 属于行政查询事项\t0\t0\t0\t0\t0\t0\t0",
    "\t(四) 无法提供\t1. 本机关不掌握相关政府信息\t2\t0\t0\t0\t0\t0\t2",
    "\t\t2. 没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0",
    "\t\t3. 补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0",
    "\t(五) 不予处理\t1. 信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0",
    "\t\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0",
    "\t\t3. 要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0",
    "\t\t4. 无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0",
    "\t\t5. 要求行政机关确认或重新出具已获取信\t0\t0\t0\t0\t0\t0\t0",
    "",
    "\t息\t\t\t\t\t\t\t",
    "\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0",
    "\t(七) 总计\t7\t0\t0\t0\t0\t0\t7",
    "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0",
]

# the 2019 template: one (六) row, no sub-rows
LUOYANG_ROWS = [r for r in codes.REQUEST_ROWS if r not in codes.OTHER_SUB_ROWS]


def lines(texts: list[str]) -> list[Line]:
    """Rows as the text reader gives them: one cell per tab."""
    return [Line(t.split("\t"), is_row=True) for t in texts]


def figures(n: int) -> list[str]:
    """Row n of the wrapped table below prints n1 … n7."""
    return [f"{n}{k}" for k in range(1, 8)]


def read(texts: list[str]) -> list[tuple[str, list[str]]]:
    """The template rows the two passes read, each with the text of its value cells."""
    return [(code, [t for _, t in vals]) for code, vals in classify(layout(lines(texts))).rows]


def test_layout_gives_each_line_its_label_and_figures() -> None:
    pieces = layout(lines(LUOYANG))
    assert len(pieces) == len(LUOYANG)
    header, granted, state_secret, blank_line, tail = pieces[1], pieces[5], pieces[7], pieces[23], pieces[24]
    assert header.label == "自然人法人或其他组织" and not header.filled and header.text_only
    # a group label in the cell before the row's own: both in the label, the row's own cell apart
    assert granted.label == "三、本年度办理结果(一)予以公开"
    assert (granted.own, granted.at) == ("(一)予以公开", 1)
    assert [t for _, t in granted.figures] == ["0"] * 7 + [""]  # (the trailing tab: an empty cell)
    assert (state_secret.label, state_secret.own, state_secret.at) == (
        "(三)不予公开1.属于国家秘密",
        "1.属于国家秘密",
        2,
    )
    assert (blank_line.label, blank_line.at, blank_line.filled) == ("", -1, False)
    # the wrapped tail keeps the row's empty cells: not label text alone, a row with no figures
    assert (tail.label, tail.at, tail.filled, tail.text_only) == ("息", 1, False, False)


def test_classify_reads_the_real_rows_in_order_with_the_header_above() -> None:
    read_ = classify(layout(lines(LUOYANG)))
    assert [code for code, _ in read_.rows] == LUOYANG_ROWS
    assert [ln.cells for ln in read_.header] == [ln.cells for ln in lines(LUOYANG[:4])]
    assert read_.issues == []
    rows = dict(read(LUOYANG))
    assert rows["new_received"] == ["", "7", "0", "0", "0", "0", "0", "7", ""]
    assert rows["unavailable.not_held"] == ["2", "0", "0", "0", "0", "0", "2"]
    # "…已获取信" and "息" below it: one row, the figures of the first line
    assert rows["not_processed.confirmation"] == ["0"] * 7


def test_parse_table3_reads_the_real_values() -> None:
    result = parse_table3(lines(LUOYANG))
    assert result.issues == [] and result.blanks == [] and result.template is None
    value = {(r["row"], r["applicant"]): r["value"] for r in result.records}
    assert len(value) == len(result.records) == 7 * len(LUOYANG_ROWS)
    assert value["new_received", "natural_person"] == 7
    assert value["partially_granted", "total"] == 5
    assert value["unavailable.not_held", "natural_person"] == 2
    assert value["total_processed", "total"] == 7
    assert value["carried_forward", "total"] == 0


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(  # the head on a line above that keeps the row's empty cells
            ["一、本年新收政府信息公开\t\t\t\t\t\t\t\t", f"申请数量\t{chr(9).join(figures(1))}"],
            [("new_received", figures(1))],
            id="head above, with empty cells",
        ),
        pytest.param(  # the head as a line of text alone
            ["一、本年新收政府信息公开", f"申请数量\t{chr(9).join(figures(1))}"],
            [("new_received", figures(1))],
            id="head above, text alone",
        ),
        pytest.param(  # head and tail above, the figures on a line of their own, right of the label
            [
                "\t（二）部分公开（区分处理的，只计这一情",
                "\t形，不计其他情形）",
                "\t\t" + "\t".join(figures(4)),
            ],
            [("partially_granted", figures(4))],
            id="both above, figures alone",
        ),
        pytest.param(  # the head alone names no row ("仍不明" is not "仍不明确"): the tail below ends it
            ["\t\t3.补正后申请内容仍不明\t" + "\t".join(figures(15)), "\t\t确"],
            [("unavailable.still_unclear", figures(15))],
            id="tail below, head names no row",
        ),
        pytest.param(  # a group label split over two rows of its span
            [
                "\t（三）不予\t1.属于国家秘密\t" + "\t".join(figures(5)),
                "\t公开\t2.其他法律行政法规禁止公开\t" + "\t".join(figures(6)),
            ],
            [("withheld.state_secret", figures(5)), ("withheld.prohibited_by_law", figures(6))],
            id="group label split over its rows",
        ),
        pytest.param(  # head and tail above; the group label on the line of its first row's figures
            [
                "\t\t1.申请人无正当理由逾期不补正、行\t\t\t\t\t\t\t",
                "\t\t政机关不再处理其政府信息公开申请\t\t\t\t\t\t\t",
                "\t（六）其他处理\t\t" + "\t".join(figures(21)),
            ],
            [("other.no_correction", figures(21))],
            id="group label beside the figures of its first row",
        ),
        pytest.param(  # the head above with empty cells; the tail, with the figures, names the row again
            [
                "\t\t2.申请人逾期未按收费通知\t\t\t\t\t\t\t",
                "\t\t要求缴纳费用、行政机关不再处理其政府信息公开申请\t" + "\t".join(figures(22)),
                "\t\t3.其他\t" + "\t".join(figures(23)),
            ],
            [("other.fee_unpaid", figures(22)), ("other.other", figures(23))],
            id="tail with the figures names the row again",
        ),
    ],
)
def test_wrapped_labels_are_put_back_together(texts: list[str], expected: list) -> None:
    assert read(texts) == expected


def test_a_row_is_told_by_the_row_before_it() -> None:
    # "3.其他" is the third (六) sub-row only after another: alone it names no row
    assert read(["\t\t3.其他\t" + "\t".join(figures(23))]) == []
    assert read(
        [
            "\t\t2.申请人逾期未按收费通知要求缴纳费用\t" + "\t".join(figures(22)),
            "\t\t3.其他\t" + "\t".join(figures(23)),
        ]
    ) == [
        ("other.fee_unpaid", figures(22)),
        ("other.other", figures(23)),
    ]


def test_a_row_printed_twice_keeps_the_first_and_says_so() -> None:
    read_ = classify(
        layout(
            lines(
                ["\t\t2. 重复申请\t" + "\t".join(figures(17)), "\t\t2. 重复申请\t" + "\t".join(figures(18))]
            )
        )
    )
    assert [(code, [t for _, t in vals]) for code, vals in read_.rows] == [
        ("not_processed.duplicate", figures(17))
    ]
    (warning,) = read_.issues
    assert (warning["check"], warning["location"]) == ("row.duplicate", "table 3 / not_processed.duplicate")


def test_figures_beside_a_numbered_label_of_no_row_go_to_the_blank_row_above_with_a_warning() -> None:
    read_ = classify(
        layout(
            lines(
                [
                    "\t(三) 不予公开\t1. 属于国家秘密" + "\t" * 7,
                    "\t\t9. 属于本机关新增的事项\t3\t0\t0\t0\t0\t0\t3",
                ]
            )
        )
    )
    assert [(code, [t for _, t in vals]) for code, vals in read_.rows] == [
        ("withheld.state_secret", ["3", "0", "0", "0", "0", "0", "3"])
    ]
    (warning,) = read_.issues
    assert (warning["check"], warning["location"]) == ("row.unmatched", "table 3 / withheld.state_secret")
