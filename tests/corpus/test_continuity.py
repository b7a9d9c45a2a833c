"""Continuity between years on real series: it holds where the figures carry over and fails where
they do not, as an error on the later report naming both reports and figures."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import continuity_issues
from analysis.store.schema import COLUMNS, typed

PT = "平潭综合实验区"


def test_2019_template_stock_fails_for_regulations_and_holds_for_normative_documents(corpus_tables, found):
    # 2019: 规章 对外公开总数量 0; 2020: 本年新公开 0 but 对外公开总数量 7 → 0 + 0 ≠ 7 (an error on 2020)
    bad = found(corpus_tables, "corpus.total_published", PT, 2020)
    assert list(bad["location"]) == ["table 2 / total_published / regulation"]
    row = bad.iloc[0]
    assert (row["severity"], row["expected"], row["actual"]) == ("error", "0", "7")
    assert "2020_pingtan-zongheshiyanqu.html" in row["message"]
    assert "2019_pingtan-zongheshiyanqu.html" in row["message"]
    # normative documents: 89 (2019) + 77 = 166 (2020) holds; 上一年项目数量 396 + 0 = 396 holds
    assert found(corpus_tables, "corpus.prev_year_items", PT, 2020).empty


def test_carried_forward_becomes_carried_over(corpus_tables, found):
    # 结转下年度 2020 = 0 = 上年结转 2021 (across the change of template); 2021 → 2023 is a gap
    assert found(corpus_tables, "corpus.carried_over", PT, 2021).empty
    assert found(corpus_tables, "corpus.year_gap", PT, 2021).empty
    gap = found(corpus_tables, "corpus.year_gap", PT, 2023)
    assert list(zip(gap["expected"], gap["actual"], strict=True)) == [("2022", "2021")]
    assert found(corpus_tables, "corpus.carried_over", PT, 2023).empty  # not checked across the gap


def test_department_series_holds(corpus_tables, found):
    body = "平潭综合实验区综合执法与应急管理局"
    reports = corpus_tables["reports"]
    assert set(reports.loc[reports["bureau"] == body, "year"]) == {2023, 2024}
    for check in ("corpus.carried_over", "corpus.in_force", "corpus.year_gap"):
        assert found(corpus_tables, check, body, 2024).empty


def _tables(rows: list[tuple]) -> dict[str, pd.DataFrame]:
    """A store of three 2021-template reports with only the table-2 normative-document cells and the
    table-3 carried cells given (the figures of issue 12's real 平潭综合实验区 case)."""
    reports, ad, req = [], [], []
    for rid, year, issued, repealed, in_force, over, fwd in rows:
        reports.append(
            {
                "report_id": rid,
                "bureau": PT,
                "year": year,
                "template": "2021",
                "parse_status": "ok",
                "source_path": f"{year}.html",
                "superseded_by": None,
                "n_issues": 0,
            }
        )
        for metric, v in (("issued", issued), ("repealed", repealed), ("in_force", in_force)):
            ad.append(
                {
                    "report_id": rid,
                    "bureau": PT,
                    "year": year,
                    "clause": "20.1",
                    "item": "normative_document",
                    "metric": metric,
                    "value": v,
                }
            )
        req += [
            {
                "report_id": rid,
                "bureau": PT,
                "year": year,
                "row": "carried_over",
                "applicant": "total",
                "value": over,
            },
            {
                "report_id": rid,
                "bureau": PT,
                "year": year,
                "row": "carried_forward",
                "applicant": "total",
                "value": fwd,
            },
        ]
    frames = {"reports": reports, "active_disclosure": ad, "requests": req}
    return {t: typed(t, pd.DataFrame(frames.get(t, []), columns=COLUMNS[t])) for t in COLUMNS}


def test_in_force_holds_then_fails_as_in_the_issue():
    # 2021 in force 665; 2022: 665 + 88 − 55 = 698 holds; 2023: 698 + 77 − 132 = 643 ≠ 470
    # carried forward 2021 = 1 = carried over 2022 holds; 2022's 0 ≠ 2023's 2 fails
    t = _tables(
        [
            ("a" * 16, 2021, 69, 3, 665, 0, 1),
            ("b" * 16, 2022, 88, 55, 698, 1, 0),
            ("c" * 16, 2023, 77, 132, 470, 2, 0),
        ]
    )
    got = continuity_issues(t)
    in_force = got[got["check"] == "corpus.in_force"]
    assert list(zip(in_force["year"], in_force["expected"], in_force["actual"], strict=True)) == [
        (2023, "643", "470")
    ]
    assert "698 (2022) + 77 − 132 = 643" in in_force.iloc[0]["message"]
    carried = got[got["check"] == "corpus.carried_over"]
    assert list(zip(carried["year"], carried["expected"], carried["actual"], strict=True)) == [
        (2023, "0", "2")
    ]


def test_unread_values_leave_the_relation_unchecked():
    t = _tables([("a" * 16, 2021, 69, 3, 665, 0, 1), ("b" * 16, 2022, 88, 55, None, None, 0)])
    assert continuity_issues(t).empty
