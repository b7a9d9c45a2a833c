"""analysis.present.text: numbers as the reports print them and the sentences generated from the views."""

from __future__ import annotations

import pandas as pd
import pytest
from clean_data import gold_tables, requests_totals

from analysis import views
from analysis.present import text


@pytest.fixture(scope="module")
def gold() -> dict[str, pd.DataFrame]:
    return gold_tables()


def test_place_change_label() -> None:
    assert [text.place_change_label(c) for c in (2, -1, 0, pd.NA)] == ["▲2", "▼1", "—", "新"]


def test_template_change_note_names_the_years_of_each_layout() -> None:
    req = requests_totals(
        {("甲局", 2020): {"other": 1}, ("甲局", 2021): {"other.other": 1, "other.fee_unpaid": 0}}
    )
    note = text.template_change_note(req)
    assert "（六）其他处理" in note
    assert "甲局：2020年为一行，2021年为三行" in note


def test_compare_phrase() -> None:
    assert text.compare_phrase(110, 100, 2024, 2023) == "同比增长10.0%（2023年为100件）"
    assert text.compare_phrase(90, 100, 2024, 2021) == "比2021年下降10.0%（2021年为100件）"
    assert text.compare_phrase(5, 2, 2024, 2023) == "同比由2件增至5件"  # a base under SMALL_BASE
    assert text.compare_phrase(2, 3, 2023, 2021) == "与2021年相比，由3件减至2件"
    assert text.compare_phrase(0.5, 0.4, 2024, 2023, unit="%") == "同比提高10.0个百分点（2023年为40.0%）"
    assert text.compare_phrase(7, 7, 2024, 2023).startswith("与上年持平")
    assert text.compare_phrase(7, float("nan"), 2024, None) == ""


def test_headline_and_sentences_single_year(gold: dict[str, pd.DataFrame]) -> None:
    t = views.scope(gold, bureau="淮安市人民政府")
    h = views.headline_figures(t, "淮安市人民政府", 2024).set_index("key")
    assert h.loc["new_received", "value"] == 3119
    assert pd.isna(h.loc["new_received", "prev_year"])
    s = text.brief_sentences(t, "淮安市人民政府", 2024)
    assert "没有可比较的往年数据" in s[0]
    assert "2024年共收到政府信息公开申请3119件。" in s
    assert any("结转下年度继续办理103件（上年结转34件），积压有所增加" in x for x in s)
    assert any("主要原因是“本机关不掌握相关信息”（769件）" in x for x in s)


def test_sentences_with_previous_years(gold: dict[str, pd.DataFrame]) -> None:
    t = views.scope(gold, bureau="平潭综合实验区")
    s2021 = text.brief_sentences(t, "平潭综合实验区", 2021)
    assert s2021[0] == "2021年共收到政府信息公开申请70件，同比增长233.3%（2020年为21件）。"
    s2023 = text.brief_sentences(t, "平潭综合实验区", 2023)
    assert "没有2022年的报告" in s2023[0]
    assert "比2021年增长15.7%（2021年为70件）" in s2023[1]


def test_sentences_flag_a_table4_total_that_does_not_add_up(gold: dict[str, pd.DataFrame]) -> None:
    t = views.scope(gold, bureau="淮安市洪泽区人民政府")
    s = text.brief_sentences(t, "淮安市洪泽区人民政府", 2023)
    assert any("行政复议的“总计”为0件，但各项结果合计11件" in x for x in s)
    assert not any("未发生" in x for x in s)


def test_no_data_for_the_year(gold: dict[str, pd.DataFrame]) -> None:
    t = views.scope(gold, bureau="淮安市人民政府")
    assert views.headline_figures(t, "淮安市人民政府", 2019).empty
    assert text.brief_sentences(t, "淮安市人民政府", 2019) == ["淮安市人民政府2019年没有可用的申请数据。"]


def test_rates_keep_their_counts_and_small_bases_their_two_counts() -> None:
    assert text.fmt_rate(0.5, 1, 2) == "50.0%（1/2）"
    assert text.fmt_rate(0.5) == "50.0%"
    row = {
        "unit": "件",
        "value": 36.0,
        "prev_value": 2.0,
        "change": 34.0,
        "pct_change": 17.0,
        "prev_year": 2023,
        "reason": "",
        "prev_reason": "",
    }
    assert text.change_text(row) == "2件→36件"  # not "+1700.0%"
    assert text.change_text({**row, "prev_value": 20.0, "change": 16.0, "pct_change": 0.8}) == "+80.0%"
    assert text.SMALL_BASE == 10
    rate = {
        **row,
        "unit": "%",
        "value": 3 / 36,
        "prev_value": 0.5,
        "change": 3 / 36 - 0.5,
        "num": 3.0,
        "den": 36.0,
        "prev_num": 1.0,
        "prev_den": 2.0,
    }
    assert text.change_text(rate) == "1/2→3/36"
    assert text.figure_text(rate) == "8.3%（3/36）"


def test_an_unread_figure_says_why_and_is_not_compared() -> None:
    why = "表二（主动公开）·行政规范性文件：数字连在一起，无法唯一拆分（row.ambiguous）"
    row = {
        "unit": "件",
        "value": 58.0,
        "prev_value": float("nan"),
        "change": float("nan"),
        "pct_change": float("nan"),
        "prev_year": 2023,
        "reason": "",
        "prev_reason": why,
    }
    assert text.figure_text(row) == "58件"
    assert text.figure_text(row, prev=True) == f"未能读取（{why}）"
    assert text.change_text(row) == "无法比较（2023年未能读取）"
    assert text.compare_phrase(58, float("nan"), 2025, 2023, prev_reason=why) == (
        f"2023年的数字未能读取（{why}），不作比较"
    )
