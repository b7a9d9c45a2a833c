"""analysis.present.tables: the tables people read, on the real figures of the bundled reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import store, views
from analysis.briefs.files import change_text
from analysis.model import labels
from analysis.model.issues import CHECKS
from analysis.present import tables as T

PINGTAN = "平潭综合实验区"


@pytest.fixture(scope="module")
def pingtan(clean_dir: Path) -> dict[str, pd.DataFrame]:
    return views.scope(store.load_tables(clean_dir), bureau=PINGTAN)


def _row(frame: pd.DataFrame, year: int) -> dict[str, str]:
    return frame[frame["年度"] == str(year)].iloc[0].to_dict()


def test_request_overview_has_chinese_headers_integers_rates_and_no_index(pingtan: dict) -> None:
    shown = T.format_frame(views.request_overview(pingtan["requests"]))
    assert list(shown.columns[:6]) == [
        "单位",
        "年度",
        "本年新收申请",
        "上年结转",
        "收到申请总数（含上年结转）",
        "办结总计",
    ]
    r = _row(shown, 2025)
    assert (r["单位"], r["本年新收申请"], r["办结总计"], r["予以公开"], r["部分公开"]) == (
        PINGTAN,
        "154",
        "148",
        "33",
        "38",
    )
    assert r["公开率（含部分公开）"] == "48.0%"
    assert r["积压变化（结转下年度−上年结转）"] == "6"
    assert not any(c.isascii() and c.isidentifier() for c in shown.columns)  # no code left as a header
    html = T.show(views.request_overview(pingtan["requests"])).to_html()
    assert ">154<" in html.replace(" ", "") and "154.0" not in html
    assert "row_heading" not in html  # no index column


def test_thousands_separators_money_and_an_unread_row(pingtan: dict) -> None:
    shown = T.format_frame(views.release_summary(pingtan["active_disclosure"]))
    r2021, r2023 = _row(shown, 2021), _row(shown, 2023)
    assert r2021["行政许可决定"] == "2,293" and r2021["行政处罚决定"] == "1,282"
    assert r2021["行政事业性收费（万元）"] == "24,252.31万元"
    assert r2023["行政事业性收费（万元）"] == "5,949.09万元"
    # 2023's normative-documents row could not be cut (row.ambiguous): unread, never 0
    assert r2023["本年制发行政规范性文件"] == "未能读取" and r2023["本年制发规章和规范性文件"] == "未能读取"
    assert r2023["本年制发规章"] == "0"  # printed 0 stays 0


def test_codes_in_cells_become_labels_and_a_rate_without_a_base_is_a_dash(pingtan: dict) -> None:
    cr = views.correction_rates(pingtan["reviews_litigation"])
    shown = T.format_frame(cr, labels=labels.RESULT_LABELS)
    assert list(shown.columns) == [
        "单位",
        "年度",
        "项目",
        "维持",
        "纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "纠错率",
    ]
    review = shown[shown["项目"] == "行政复议"].set_index("年度")
    assert review.loc["2025", ["维持", "纠正", "其他结果", "总计", "纠错率"]].tolist() == [
        "25",
        "3",
        "8",
        "36",
        "8.3%",
    ]
    assert review.loc["2019", "纠错率"] == "—"  # no review at all: nothing to divide by
    reasons = T.format_frame(views.reasons(pingtan["requests"]))
    assert (
        "行" not in reasons.columns and "结果大类" in reasons.columns
    )  # code column beside its label: dropped
    assert set(reasons["结果大类"]) == {"不予公开", "无法提供"}


def test_a_pivot_of_shares_reads_as_percentages_without_an_index(pingtan: dict) -> None:
    shares = views.outcome_shares(pingtan["requests"])
    pivot = shares.pivot_table(index=["bureau", "year"], columns="label", values="share", observed=True)
    shown = T.format_frame(pivot, numbers="rate")
    r = _row(shown, 2025)
    assert (r["单位"], r["予以公开"], r["部分公开"], r["无法提供"]) == (PINGTAN, "22.3%", "25.7%", "35.8%")


def test_key_figures_show_unread_and_no_comparison_with_it(pingtan: dict) -> None:
    h = views.headline_figures(pingtan, PINGTAN, 2025)
    key = T.key_figures_frame([dict(r, change=change_text(r)) for _, r in h.iterrows()], 2025)
    assert list(key.columns) == ["指标", "2025年", "2023年", "变化", "说明"]
    rows = key.set_index("指标")
    assert rows.loc["行政许可决定"].tolist() == ["2,418件", "2,629件", "-8.0%", "—"]
    unread = rows.loc["本年制发规章和规范性文件"].tolist()
    assert unread[:3] == ["58件", "未能读取", "—"]
    assert unread[3].startswith("2023年：") and "row.ambiguous" in unread[3]  # why 2023 was not read
    first = T.key_figures_frame([dict(r, change=change_text(r)) for _, r in h.iterrows()][:1], 2019)
    assert first.columns.tolist() == ["指标", "2019年", "2023年", "变化"]
    alone = T.key_figures_frame(
        [{"label": "本年新收申请", "unit": "件", "value": 23.0, "prev_year": None}], 2019
    )
    assert alone.values.tolist() == [["本年新收申请", "23件"]]  # no earlier report: no empty columns


def test_issues_are_listed_in_chinese_with_what_to_check(pingtan: dict) -> None:
    shown = T.issues_frame(views.report_issues(pingtan, PINGTAN, 2023))
    assert list(shown.columns) == ["单位", "年度", "严重程度", "问题", "位置", "应为", "实际", "需核对"]
    first = shown.iloc[0].to_dict()
    assert first["严重程度"] == "错误" and first["问题"] == "数字连写无法拆分"
    assert first["位置"] == "表二 / 20.1 / 行政规范性文件"
    assert "未能读取" in first["需核对"]
    assert set(shown["严重程度"]) == {"错误", "警告"}
    assert (shown["应为"] == "—").sum() == 3  # a warning with no expected value: a dash, not <NA>


def test_every_registered_check_has_a_chinese_name_and_what_to_check() -> None:
    missing = [c.name for c in CHECKS.values() if not (c.label_zh and c.what_to_check_zh)]
    assert missing == [], "add them to src/analysis/model/checks_zh.csv"


def test_an_empty_table_says_none_instead(pingtan: dict) -> None:
    issues = views.report_issues(pingtan, PINGTAN, 2025)
    assert len(issues)  # 2025 has corpus findings (a gap to 2023) …
    note = T.show(issues[issues["check"] == "table4.total"])  # … but no table-4 totals that do not add up
    assert str(note) == "无" and note._repr_html_() == "<p>无</p>"


def test_number_formats() -> None:
    assert [T.fmt_count(v) for v in (3985758.0, 23, pd.NA, float("nan"))] == [
        "3,985,758",
        "23",
        "未能读取",
        "未能读取",
    ]
    assert T.fmt_money(12.5) == "12.50万元" and T.fmt_money(None) == "未能读取"
    assert T.fmt_figure(0.4797297, "%") == "48.0%" and T.fmt_figure(2418.0, "件") == "2,418件"
    assert T.location_zh("table 3 / granted") == "表三 / 予以公开" and T.location_zh(None) == "—"
    both = "table 4 / review / upheld; table 4 / review / corrected"
    assert T.location_zh(both) == "表四 / 行政复议 / 维持；表四 / 行政复议 / 纠正"


def test_a_rate_of_nothing_handled_is_a_dash_not_unread(clean_dir) -> None:
    """国有资产管理局 2023 handled 0 requests (read, not missing): its 公开率 is undefined (—), not 未能读取."""
    tables = store.load_tables(clean_dir)
    h = views.headline_figures(tables, "平潭综合实验区国有资产管理局", 2023)
    rows = T.key_figures_frame([dict(r, change=change_text(r)) for _, r in h.iterrows()], 2023).set_index(
        "指标"
    )
    assert rows.loc["办结总计"].tolist()[:2] == ["0件", "0件"]
    assert rows.loc["公开率（含部分公开）"].tolist()[:3] == ["—", "—", "—"]
