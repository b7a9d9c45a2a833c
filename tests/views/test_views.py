"""analysis.views: shaping on small hand-made tables and on the hand-checked gold values."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from clean_data import gold_tables, requests_totals

from analysis import store, views
from analysis.store.schema import typed


@pytest.fixture(scope="module")
def gold() -> dict[str, pd.DataFrame]:
    return gold_tables()


# ------------------------------------------------------------------------------------------- requests


def test_outcome_shares_group_the_other_rows_across_the_template_change() -> None:
    req = requests_totals(
        {
            ("甲局", 2020): {"granted": 6, "unavailable.not_held": 2, "other": 4},
            ("甲局", 2021): {
                "granted": 5,
                "other.no_correction": 1,
                "other.fee_unpaid": 0,
                "other.other": 2,
                "withheld.state_secret": 2,
            },
        }
    )
    shares = views.outcome_shares(req)
    other = shares[shares["group"] == "other"].set_index("year")
    assert other.loc[2020, "value"] == 4
    assert other.loc[2021, "value"] == 3
    assert other.loc[2021, "share"] == pytest.approx(3 / 10)
    assert set(shares["group"].astype(str)) == set(views.OUTCOME_GROUPS)  # every group, zeros included
    assert shares.groupby("year")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert shares[shares["group"] == "withheld"].set_index("year").loc[2020, "value"] == 0


def test_request_overview_grant_rate_and_backlog() -> None:
    req = requests_totals(
        {
            ("甲局", 2024): {
                "new_received": 9,
                "carried_over": 1,
                "granted": 5,
                "partially_granted": 3,
                "unavailable.not_held": 2,
                "total_processed": 10,
                "carried_forward": 0,
            }
        }
    )
    row = views.request_overview(req).iloc[0]
    assert row["received_total"] == 10
    assert row["outcomes"] == 10
    assert row["grant_rate"] == pytest.approx(0.8)
    assert row["full_grant_rate"] == pytest.approx(0.5)
    assert row["backlog_change"] == -1


def test_request_overview_on_gold(gold: dict[str, pd.DataFrame]) -> None:
    ov = views.request_overview(gold["requests"]).set_index(["bureau", "year"])
    huaian = ov.loc[("淮安市人民政府", 2024)]
    assert huaian["new_received"] == 3119
    assert huaian["carried_over"] == 34
    assert huaian["total_processed"] == 3050
    assert huaian["carried_forward"] == 103
    assert huaian["grant_rate"] == pytest.approx((1362 + 454) / 3050)
    # 平潭 2020: itemised rows add up to 27 while (七)总计 says 21 — shares use the rows
    assert ov.loc[("平潭综合实验区", 2020), "outcomes"] == 27
    assert ov.loc[("平潭综合实验区", 2020), "total_processed"] == 21


def test_reasons_largest_first(gold: dict[str, pd.DataFrame]) -> None:
    rs = views.reasons(gold["requests"])
    h = rs[(rs["bureau"] == "淮安市人民政府") & (rs["group"] == "unavailable")]
    assert h.iloc[0]["row"] == "unavailable.not_held"
    assert h.iloc[0]["value"] == 769
    assert h.iloc[0]["label"] == "本机关不掌握相关信息"
    assert h["share_of_group"].sum() == pytest.approx(1.0)


def test_applicant_mix(gold: dict[str, pd.DataFrame]) -> None:
    mix = views.applicant_mix(gold["requests"])
    h = mix[(mix["bureau"] == "淮安市人民政府") & (mix["year"] == 2024)].set_index("applicant")
    assert h.loc["natural_person", "value"] == 3001
    assert h.loc["legal_service", "label"] == "法律服务机构"
    assert "total" not in h.index
    assert h["share"].sum() == pytest.approx(1.0)


# ------------------------------------------------------------------------------------ reviews, release


def test_correction_rates_add_the_two_lawsuits(gold: dict[str, pd.DataFrame]) -> None:
    cr = views.correction_rates(gold["reviews_litigation"])
    h = cr[(cr["bureau"] == "淮安市人民政府") & (cr["year"] == 2024)].set_index("proceeding")
    assert h.loc["review", "total"] == 351
    assert h.loc["review", "correction_rate"] == pytest.approx(64 / 351)
    assert h.loc["litigation", "total"] == 46
    assert h.loc["litigation", "corrected"] == 5
    # 洪泽 2023 prints 总计 0 with 11 results: no rate rather than a division by zero
    hz = cr[(cr["bureau"] == "淮安市洪泽区人民政府") & (cr["proceeding"] == "review")].iloc[0]
    assert hz["upheld"] + hz["corrected"] == 11 and math.isnan(hz["correction_rate"])


def test_release_summary_maps_made_and_issued(gold: dict[str, pd.DataFrame]) -> None:
    rel = views.release_summary(gold["active_disclosure"]).set_index(["bureau", "year"])
    assert rel.loc[("平潭综合实验区", 2019), "documents_issued"] == 89  # template 2019: made
    assert rel.loc[("淮安市人民政府", 2024), "documents_issued"] == 9  # template 2021: issued 1 + 8
    assert rel.loc[("淮安市人民政府", 2024), "regulations_issued"] == 1
    assert math.isnan(rel.loc[("平潭综合实验区", 2019), "fee_amount"])  # 2019 counts fee items, not money


def test_channel_table_takes_the_total_not_the_sum_of_parts() -> None:
    ch = typed(
        "channel_volumes",
        pd.DataFrame(
            [
                {
                    "report_id": "a" * 16,
                    "bureau": "洛阳市统计局",
                    "year": 2020,
                    "channel": "website",
                    "metric": "items",
                    "value": v,
                    "unit": "条",
                    "sentence": "通过洛阳统计信息网主动公开信息302条，其中…",
                }
                for v in (302, 218, 23)
            ]
        ),
    )
    t = views.channel_table(ch)
    assert len(t) == 1 and t.iloc[0]["value"] == 302 and t.iloc[0]["label"] == "政府网站"


# -------------------------------------------------------------------------------------------- rankings


def test_ranking_bands_top_n_is_a_band_from_first_place() -> None:
    r = typed(
        "rankings",
        pd.DataFrame(
            [
                {
                    "report_id": "a" * 16,
                    "bureau": "洛阳市统计局",
                    "year": 2020,
                    "list_name": "周榜",
                    "platform": "wechat",
                    "rank": 20,
                    "rank_kind": "top_n",
                    "sentence": "…前20位",
                },
                {
                    "report_id": "a" * 16,
                    "bureau": "洛阳市统计局",
                    "year": 2020,
                    "list_name": "年榜",
                    "platform": "wechat",
                    "rank": 30,
                    "rank_kind": "exact",
                    "sentence": "…第30位",
                },
            ]
        ),
    )
    b = views.ranking_bands(r).set_index("list_name")
    assert (b.loc["周榜", "best"], b.loc["周榜", "worst"], b.loc["周榜", "label"]) == (1, 20, "前20位")
    assert (b.loc["年榜", "best"], b.loc["年榜", "worst"], b.loc["年榜", "label"]) == (30, 30, "第30位")


def test_league_table_places_ties_and_change_in_place() -> None:
    values = pd.DataFrame(
        {
            "bureau": ["甲", "乙", "甲", "乙", "丙", "丁"],
            "year": [2020, 2020, 2021, 2021, 2021, 2021],
            "value": [10, 5, 3, 7, 7, 1],
        }
    )
    lt = views.league_table(values).set_index(["year", "bureau"])
    assert lt.loc[(2020, "甲"), "place"] == 1 and lt.loc[(2020, "乙"), "place"] == 2
    assert lt.loc[(2021, "乙"), "place"] == 1 and lt.loc[(2021, "丙"), "place"] == 1  # a tie shares the place
    assert lt.loc[(2021, "甲"), "place"] == 3
    assert lt.loc[(2021, "乙"), "change"] == 1  # 2 → 1: up one
    assert lt.loc[(2021, "甲"), "change"] == -2  # 1 → 3: down two
    assert pd.isna(lt.loc[(2021, "丁"), "change"])  # not ranked the year before


def test_league_table_ascending_for_rates_where_lower_is_better() -> None:
    values = pd.DataFrame({"bureau": ["甲", "乙"], "year": [2024, 2024], "value": [0.1, 0.3]})
    lt = views.league_table(values, ascending=True).set_index("bureau")
    assert lt.loc["甲", "place"] == 1


def test_league_tables_need_a_minimum_sample(gold: dict[str, pd.DataFrame]) -> None:
    lt = views.league_tables(gold, min_requests=30, min_reviews=5)
    grant = lt[lt["metric"] == "grant_rate"]
    assert "洛阳市统计局" not in set(grant["bureau"])  # 7 requests
    assert "淮安市人民政府" in set(grant["bureau"])
    received_2023 = lt[(lt["metric"] == "new_received") & (lt["year"] == 2023)].set_index("bureau")
    assert received_2023.loc["平潭综合实验区", "place"] == 1  # 81 against 洪泽's 21


def test_default_league_year_is_the_latest_with_a_comparison(gold: dict[str, pd.DataFrame]) -> None:
    lt = views.league_tables(gold)
    assert int(lt["year"].max()) == 2025  # 平潭 alone
    assert views.default_league_year(lt) == 2023  # 平潭 and 洪泽 both ranked
    assert views.default_league_year(lt[lt["year"] == 2025]) == 2025
    assert views.default_league_year(lt.iloc[0:0]) == 0


def test_latest_per_bureau(gold: dict[str, pd.DataFrame]) -> None:
    ov = views.request_overview(gold["requests"])
    latest = views.latest_per_bureau(ov).set_index("bureau")["year"].to_dict()
    assert latest == {
        "平潭综合实验区": 2025,
        "洛阳市统计局": 2020,
        "淮安市人民政府": 2024,
        "淮安市洪泽区人民政府": 2023,
    }


# ------------------------------------------------------------------------------------ YoY and headline


def test_yoy_uses_the_previous_available_year() -> None:
    df = pd.DataFrame({"bureau": ["甲"] * 3, "year": [2019, 2021, 2022], "n": [10.0, 20.0, 15.0]})
    y = views.yoy(df, ["n"]).set_index("year")
    assert pd.isna(y.loc[2019, "prev_year"])
    assert y.loc[2021, "prev_year"] == 2019 and y.loc[2021, "n_pct"] == pytest.approx(1.0)
    assert y.loc[2022, "n_change"] == -5


# ------------------------------------------------------------------------------------ choosing reports


def test_pick_reports_prefers_the_better_read_file() -> None:
    reports = typed(
        "reports",
        pd.DataFrame(
            [
                {
                    "report_id": "1" * 16,
                    "bureau": "平潭综合实验区",
                    "year": 2020,
                    "source_format": "txt",
                    "parse_status": "ok",
                    "n_issues": 0,
                },
                {
                    "report_id": "2" * 16,
                    "bureau": "平潭综合实验区",
                    "year": 2020,
                    "source_format": "html",
                    "parse_status": "ok",
                    "n_issues": 0,
                },
                {
                    "report_id": "3" * 16,
                    "bureau": "平潭综合实验区",
                    "year": 2021,
                    "source_format": "html",
                    "parse_status": "partial",
                    "n_issues": 1,
                },
                {
                    "report_id": "4" * 16,
                    "bureau": "平潭综合实验区",
                    "year": 2021,
                    "source_format": "txt",
                    "parse_status": "ok",
                    "n_issues": 3,
                },
            ]
        ),
    )
    picked = views.pick_reports(reports)
    assert picked["report_id"].tolist() == ["2" * 16, "4" * 16]


def test_scope_region_sums_its_reports_and_leaves_sub_regions_out(gold: dict[str, pd.DataFrame]) -> None:
    t = views.scope(gold, region="淮安市")
    assert set(t["reports"]["region"]) == {"江苏省淮安市"}  # 洪泽区 reports separately
    assert set(t["requests"]["bureau"]) == {"淮安市"}
    ov = views.request_overview(t["requests"])
    assert ov.iloc[0]["new_received"] == 3119
    sub = views.scope(gold, region="江苏省淮安市洪泽区")
    assert views.request_overview(sub["requests"]).iloc[0]["new_received"] == 21


def test_bureaus_with_report(gold: dict[str, pd.DataFrame]) -> None:
    assert views.bureaus_with_report(gold["reports"], 2023) == ["平潭综合实验区", "淮安市洪泽区人民政府"]


# ---------------------------------------------------------------------------------------- data quality


def test_coverage_grid_and_issue_counts() -> None:
    reports = typed(
        "reports",
        pd.DataFrame(
            [
                {"report_id": "1" * 16, "bureau": "甲", "year": 2019, "parse_status": "ok"},
                {"report_id": "2" * 16, "bureau": "甲", "year": 2021, "parse_status": "partial"},
                {"report_id": "3" * 16, "bureau": "甲", "year": 2021, "parse_status": "ok"},
                {"report_id": "4" * 16, "bureau": "乙", "year": 2021, "parse_status": "failed"},
            ]
        ),
    )
    grid = views.coverage_grid(reports)
    assert list(grid.columns) == [2019, 2020, 2021]
    assert grid.loc["甲", 2019] == "ok" and grid.loc["甲", 2020] == "" and grid.loc["甲", 2021] == "ok×2"
    assert grid.loc["乙", 2021] == "failed"
    counts = views.status_counts(reports).set_index("parse_status")["reports"].to_dict()
    assert counts == {"ok": 2, "partial": 1, "failed": 1}
    issues = typed(
        "issues",
        pd.DataFrame(
            [
                {
                    "report_id": "1" * 16,
                    "bureau": "甲",
                    "year": 2019,
                    "severity": "error",
                    "check": "table4.total",
                    "message": "m",
                },
                {
                    "report_id": "1" * 16,
                    "bureau": "甲",
                    "year": 2019,
                    "severity": "error",
                    "check": "table4.total",
                    "message": "m",
                },
                {
                    "report_id": "2" * 16,
                    "bureau": "甲",
                    "year": 2021,
                    "severity": "warning",
                    "check": "cell.blank",
                    "message": "m",
                },
            ]
        ),
    )
    by = views.issues_by_check(issues)
    assert by.iloc[0].to_dict() == {"check": "table4.total", "severity": "error", "issues": 2, "reports": 1}


def test_load_tables_says_how_to_build_them(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(FileNotFoundError, match="python -m analysis ingest"):
        store.load_tables(tmp_path)


def test_views_on_the_ingested_store(clean_dir) -> None:  # noqa: ANN001
    t = store.load_tables(clean_dir)
    ov = views.request_overview(views.select_reports(t)["requests"]).set_index(["bureau", "year"])
    assert ov.loc[("淮安市人民政府", 2024), "new_received"] == 3119
    assert ov.loc[("洛阳市统计局", 2020), "new_received"] == 7


def test_an_unread_table2_row_is_missing_in_every_sum_and_change(clean_dir) -> None:  # noqa: ANN001
    """平潭综合实验区 2023 (crawled text): the normative-documents row of table 2 cannot be split
    (row.ambiguous). Its cells are NA, so the documents issued that year are missing, not regulations
    0 + nothing = 0, and neither 2023 nor 2025 is compared with it."""
    from analysis import store

    tables = views.scope(store.load_tables(clean_dir), bureau="平潭综合实验区")
    rel = views.release_summary(tables["active_disclosure"]).set_index("year")
    assert pd.isna(rel.loc[2023, "documents_issued"]) and pd.isna(rel.loc[2023, "normative_issued"])
    assert rel.loc[2023, "regulations_issued"] == 0  # the row that was read keeps its 0
    assert rel.loc[2021, "documents_issued"] == 69 and rel.loc[2025, "documents_issued"] == 58
    detail = views.release_table(tables["active_disclosure"])
    unread = detail[(detail["year"] == 2023) & (detail["item"] == "normative_document")]
    assert len(unread) == 3 and unread["value"].isna().all()
    for year in (2023, 2025):
        h = views.headline_figures(tables, "平潭综合实验区", year).set_index("key")
        assert pd.isna(h.loc["documents_issued", "change"]), year
    assert (
        views.headline_figures(tables, "平潭综合实验区", 2023)
        .set_index("key")
        .loc["license_decisions", "value"]
        == 2629
    )
