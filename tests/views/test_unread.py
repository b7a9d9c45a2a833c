"""analysis.views.unread: a cell the template prints but that was not read is NA in every view (tables 2,
3 and 4, one mechanism), and a missing figure names the issue that explains it."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from clean_data import gold_tables, requests_totals

from analysis import store, views
from analysis.model import codes
from analysis.model.issues import PARTIAL_CHECKS
from analysis.model.labels import UNREAD_CHECK_LABELS
from analysis.store.schema import typed


def _issue(rid: str, bureau: str, year: int, check: str, location: str) -> dict:
    return {
        "report_id": rid,
        "bureau": bureau,
        "year": year,
        "severity": "error",
        "check": check,
        "location": location,
        "expected": None,
        "actual": None,
        "message": f"{location} not read",
    }


def test_every_partial_check_has_a_reason_in_chinese() -> None:
    assert set(UNREAD_CHECK_LABELS) == set(PARTIAL_CHECKS)


def test_an_unread_table3_row_is_missing_in_every_sum_rate_and_share() -> None:
    """甲局 2024 prints every row but (二)部分公开 was not read (row.ambiguous): received stays 10, but
    outcomes, the grant rate and every outcome share are missing, not computed as if it were 0."""
    req = requests_totals(
        {
            ("甲局", 2024): {
                "new_received": 9,
                "carried_over": 1,
                "granted": 5,
                "partially_granted": 3,
                "unavailable.not_held": 2,
                "total_processed": 10,
            }
        }
    )
    rid = str(req["report_id"].iloc[0])
    req = req[req["row"].astype(str) != "partially_granted"].reset_index(drop=True)
    ov = views.request_overview(req).iloc[0]
    assert ov["received_total"] == 10 and ov["total_processed"] == 10
    assert math.isnan(ov["partially_granted"]) and math.isnan(ov["outcomes"])
    assert math.isnan(ov["grant_rate"]) and math.isnan(ov["full_grant_rate"])
    shares = views.outcome_shares(req)
    assert shares["share"].isna().all()
    assert shares.set_index("group").loc["granted", "value"] == 5
    assert pd.isna(shares.set_index("group").loc["partially_granted", "value"])

    issues = typed(
        "issues",
        pd.DataFrame(
            [
                _issue(rid, "甲局", 2024, "row.ambiguous", "table 3 / partially_granted"),
                _issue(rid, "甲局", 2024, "column.missing", "table 3 / commercial"),
            ]
        ),
    )
    tables = {
        "requests": req,
        "reviews_litigation": typed("reviews_litigation", pd.DataFrame()),
        "active_disclosure": typed("active_disclosure", pd.DataFrame()),
        "issues": issues,
    }
    h = views.headline_figures(tables, "甲局", 2024).set_index("key")
    assert h.loc["grant_rate", "reason"] == (
        "表三（依申请公开）·部分公开：数字连在一起，无法唯一拆分（row.ambiguous）"
    )
    assert h.loc["new_received", "reason"] == "" and h.loc["new_received", "value"] == 9
    assert h.loc["withheld", "reason"] == ""  # the unread row is not one of its inputs
    grant = "公开率（含部分公开）：未能读取（表三（依申请公开）·部分公开：数字连在一起，无法唯一拆分（row.ambiguous））"
    assert views.unread_figures(h.reset_index()) == [grant]
    # the missing 商业企业 column touches no key figure (totals were read) but the brief still has a gap
    assert views.unread_values(tables, "甲局", 2024, h.reset_index()) == [
        grant,
        "其他数值：未能读取（表三（依申请公开）·商业企业：报告未列出该列（column.missing））",
    ]


def test_an_unread_table3_column_leaves_the_totals_but_not_the_applicant_mix() -> None:
    gold = gold_tables()
    req = gold["requests"]
    huaian = req[(req["bureau"] == "淮安市人民政府") & (req["year"] == 2024)]
    cut = huaian[huaian["applicant"].astype(str) != "commercial"].reset_index(drop=True)
    ov = views.request_overview(cut).iloc[0]
    assert ov["new_received"] == 3119  # the 总计 column was read
    mix = views.applicant_mix(cut).set_index("applicant")
    assert pd.isna(mix.loc["commercial", "value"]) and mix["share"].isna().all()
    assert (
        mix.loc["natural_person", "value"]
        == views.applicant_mix(huaian).set_index("applicant").loc["natural_person", "value"]
    )


def test_an_unread_table4_cell_is_missing_in_totals_and_rates() -> None:
    rows = [
        {"report_id": "r1", "bureau": "甲局", "year": 2024, "proceeding": p, "result": r, "value": v}
        for p in codes.PROCEEDINGS
        for r, v in zip(codes.RESULTS, (1, 1, 0, 0, 2), strict=True)
        if not (p == "litigation_direct" and r == "corrected")
    ]
    cr = views.correction_rates(typed("reviews_litigation", pd.DataFrame(rows)))
    cr = cr[cr["bureau"] == "甲局"].set_index("proceeding")
    assert cr.loc["review", "correction_rate"] == pytest.approx(0.5)
    assert pd.isna(cr.loc["litigation_direct", "corrected"])
    assert pd.isna(cr.loc["litigation_direct", "correction_rate"])
    assert pd.isna(cr.loc["litigation", "corrected"]) and cr.loc["litigation", "total"] == 4


def test_pingtan_2023_documents_issued_is_unread_with_its_reason(clean_dir) -> None:  # noqa: ANN001
    """The real case: 平潭综合实验区 2023 (crawled text), table 2's normative row is row.ambiguous."""
    tables = views.scope(store.load_tables(clean_dir), bureau="平潭综合实验区")
    reason = "表二（主动公开）·行政规范性文件：数字连在一起，无法唯一拆分（row.ambiguous）"
    h23 = views.headline_figures(tables, "平潭综合实验区", 2023).set_index("key")
    assert pd.isna(h23.loc["documents_issued", "value"]) and h23.loc["documents_issued", "reason"] == reason
    assert h23.loc["penalty_decisions", "reason"] == "" and h23.loc["penalty_decisions", "value"] == 1330
    assert (h23["reason"] != "").sum() == 1
    h25 = views.headline_figures(tables, "平潭综合实验区", 2025).set_index("key")
    assert h25.loc["documents_issued", "value"] == 58 and h25.loc["documents_issued", "reason"] == ""
    assert h25.loc["documents_issued", "prev_reason"] == reason
    assert pd.isna(h25.loc["documents_issued", "change"])
    assert h23.loc["review_correction_rate", ["num", "den"]].tolist() == [1, 2]  # 1 of 2 reviews corrected
    assert h25.loc["review_correction_rate", ["num", "den", "prev_num", "prev_den"]].tolist() == [3, 36, 1, 2]
