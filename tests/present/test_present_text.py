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
    assert text.compare_phrase(5, 2, 2024, 2023) == "同比增加3件（2023年为2件）"
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
