"""Narrative against table on real reports: a figure the narrative states for a table quantity is
compared with the table, and a disagreement is a warning quoting the sentence."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import narrative_coverage
from analysis.corpus.narrative import compared, wordings

JJF = "平潭综合实验区经济发展局"
ZHZ = "平潭综合实验区综合执法与应急管理局"


def test_narrative_says_0_requests_while_the_table_says_3(corpus_tables, found):
    w = found(corpus_tables, "corpus.narrative_table", JJF, 2023)
    assert list(zip(w["location"], w["expected"], w["actual"], strict=True)) == [
        ("narrative / new_received", "3", "0")
    ]
    assert w.iloc[0]["severity"] == "warning"
    assert "2023年，共收到政府信息公开申请0条" in w.iloc[0]["message"]
    # the year before, the same wording states 3 and the table prints 3: silent
    assert found(corpus_tables, "corpus.narrative_table", JJF, 2022).empty


def test_narrative_says_4_requests_received_and_3_processed_while_the_table_says_0(corpus_tables, found):
    w = found(corpus_tables, "corpus.narrative_table", ZHZ, 2024)
    got = set(zip(w["location"], w["expected"], w["actual"], strict=True))
    assert got == {("narrative / new_received", "0", "4"), ("narrative / total_processed", "0", "3")}
    assert all("我局共收到政府信息公开申请4件" in m for m in w["message"])


def test_agreeing_narratives_are_silent(corpus_tables, found):
    # 2023: "未收到政府信息公开申请" and table 0; 洪泽 2023: 受理政府信息公开申请 21 件 = 21
    assert found(corpus_tables, "corpus.narrative_table", ZHZ, 2023).empty
    assert found(corpus_tables, "corpus.narrative_table", "淮安市洪泽区人民政府", 2023).empty
    c = compared(corpus_tables)
    hz = c[(c["bureau"] == "淮安市洪泽区人民政府") & (c["quantity"] == "new_received")]
    assert list(zip(hz["figure"], hz["table_value"], hz["agrees"], strict=True)) == [(21.0, 21.0, True)]
    # 平潭 2021: 本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理
    pt = c[(c["bureau"] == "平潭综合实验区") & (c["year"] == 2021)].set_index("quantity")
    assert pt.loc[["new_received", "total_processed", "carried_forward"], "figure"].tolist() == [70, 69, 1]
    assert pt["agrees"].all()


def test_wordings_are_data_and_the_coverage_is_counted(corpus_tables):
    assert {"new_received", "carried_forward", "review"} <= set(wordings()["quantity"])
    cov = narrative_coverage(corpus_tables)
    assert cov["tied"] + cov["skipped"] == cov["candidates"] and cov["tied"] >= 5


def test_a_few_reports_at_a_time_give_the_same_warnings(corpus_tables, monkeypatch):
    """Narrative against table holds REPORTS_AT_ONCE reports' sentences at a time: one report at a
    time finds the warnings all at once finds."""
    from analysis.corpus import narrative

    def rows(size: int) -> pd.DataFrame:
        monkeypatch.setattr(narrative, "REPORTS_AT_ONCE", size)
        i = narrative.narrative_table_issues(corpus_tables).astype("string")
        return i.sort_values(list(i.columns)).reset_index(drop=True)

    whole = rows(10**6)
    assert len(whole) >= 3
    pd.testing.assert_frame_equal(whole, rows(1))
