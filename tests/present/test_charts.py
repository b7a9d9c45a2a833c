"""analysis.present.charts: the CJK font, slide sizes, outcome colours, source line and every chart function."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from clean_data import gold_tables  # noqa: E402

from analysis import views  # noqa: E402
from analysis.model.labels import OUTCOME_LABELS
from analysis.present import charts
from analysis.present.text import template_change_note


@pytest.fixture(scope="module")
def gold() -> dict[str, pd.DataFrame]:
    return gold_tables()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _draw_without_warnings(fig) -> list[str]:  # noqa: ANN001
    """Render a figure (PNG and SVG) and return every warning message raised while doing so."""
    import io

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=charts.DPI)
        fig.savefig(io.BytesIO(), format="svg")
    return [str(w.message) for w in caught]


def test_style_uses_the_cjk_font_from_mplfonts() -> None:
    path = charts.font_path()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf" and path.exists()
    family = charts.setup_style()
    assert family == "Noto Sans CJK SC"
    assert plt.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    assert plt.rcParams["axes.unicode_minus"] is False
    assert plt.rcParams["svg.fonttype"] == "none"
    from matplotlib import font_manager

    found = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False
    )
    # the packaged font, or the same family installed system-wide (fonts-noto-cjk's .ttc), never a fallback
    assert Path(found).name == "NotoSansCJKsc-Regular.otf" or Path(found).name.startswith("NotoSansCJK"), found


def test_chinese_text_and_negative_numbers_render_without_glyph_warnings() -> None:
    df = pd.DataFrame({"year": [2023, 2024], "value": [-18, 538]})
    fig = charts.bars(df, "year", "value", "行政处罚决定：本年增减（−18件）", ylabel="件")
    messages = _draw_without_warnings(fig)
    assert not [m for m in messages if "Glyph" in m or "missing from" in m], messages


def test_a_missing_glyph_is_detected_by_the_check() -> None:
    """The check above would see a glyph warning: an emoji is in neither font."""
    fig, ax = charts.new_chart("测试")
    ax.set_xlabel("\U0001f600")
    messages = _draw_without_warnings(fig)
    assert any("missing from" in m for m in messages)


def test_saved_charts_are_1920x1080_png_and_editable_svg(
    tmp_path: Path, gold: dict[str, pd.DataFrame]
) -> None:
    shares = views.outcome_shares(gold["requests"])
    fig = charts.outcome_shares_chart(
        shares[shares["bureau"] == "平潭综合实验区"],
        "平潭：申请办理结果构成",
        note=template_change_note(gold["requests"]),
    )
    entry = charts.save_chart(fig, tmp_path, "outcomes")
    png, svg = tmp_path / "outcomes.png", tmp_path / "outcomes.svg"
    assert mpimg.imread(png).shape[:2] == (1080, 1920)
    text = svg.read_text(encoding="utf-8")
    assert "平潭：申请办理结果构成" in text  # text kept as text (svg.fonttype none)
    assert charts.SOURCE_LINE in text
    assert "Noto Sans CJK SC" in text
    manifest = json.loads((tmp_path / charts.MANIFEST).read_text(encoding="utf-8"))
    assert manifest == [entry]
    assert entry["title"] == "平潭：申请办理结果构成" and entry["source"] == charts.SOURCE_LINE
    assert "（六）" in entry["note"]
    charts.save_chart(charts.empty_chart("空"), tmp_path, "outcomes")  # same name replaces the entry
    assert len(json.loads((tmp_path / charts.MANIFEST).read_text(encoding="utf-8"))) == 1


def test_outcome_groups_have_the_same_colour_in_every_chart(gold: dict[str, pd.DataFrame]) -> None:
    from matplotlib.colors import to_hex

    shares = views.outcome_shares(gold["requests"])
    for by in (("year",), ("bureau", "year")):
        data = shares if by != ("year",) else shares[shares["bureau"] == "平潭综合实验区"]
        fig = charts.outcome_shares_chart(data, "结果", by=by)
        handles, labels = fig.axes[0].get_legend_handles_labels()
        colours = {lab: to_hex(h.patches[0].get_facecolor()) for h, lab in zip(handles, labels, strict=True)}
        assert colours == {OUTCOME_LABELS[g]: c for g, c in charts.OUTCOME_COLORS.items()}
    rs = views.reasons(gold["requests"])
    fig = charts.reasons_chart(rs[(rs["bureau"] == "淮安市人民政府")])
    bar_colours = {to_hex(p.get_facecolor()) for p in fig.axes[0].patches}
    assert bar_colours == {charts.OUTCOME_COLORS["withheld"], charts.OUTCOME_COLORS["unavailable"]}


def test_rank_chart_puts_better_places_higher_and_draws_top_n_as_a_band() -> None:
    bands = views.ranking_bands(
        pd.DataFrame(
            {
                "bureau": ["洛阳市统计局"] * 3,
                "year": [2019, 2020, 2021],
                "list_name": ["年榜"] * 3,
                "platform": ["wechat"] * 3,
                "rank": [20, 30, 12],
                "rank_kind": ["top_n", "exact", "exact"],
                "sentence": [""] * 3,
            }
        )
    )
    fig = charts.rank_chart(bands)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert bottom > top  # inverted axis: place 1 at the top
    band = [p for p in ax.patches if p.get_height() > 0]
    assert (
        len(band) == 1 and band[0].get_y() == pytest.approx(0.5) and band[0].get_height() == pytest.approx(20)
    )
    texts = {t.get_text() for t in ax.texts}
    assert {"前20位", "第30位", "第12位"} <= texts


def test_league_chart_labels_change_in_place() -> None:
    values = pd.DataFrame(
        {"bureau": ["甲", "乙", "甲", "乙"], "year": [2023, 2023, 2024, 2024], "value": [5, 3, 2, 9]}
    )
    lt = views.league_table(values)
    fig = charts.league_chart(lt[lt["year"] == 2024], "2024年排行")
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "9  ▲1" in labels and "2  ▼1" in labels
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["2. 甲", "1. 乙"]  # first place on top


def test_every_chart_function_draws_real_data(gold: dict[str, pd.DataFrame]) -> None:
    ov = views.request_overview(gold["requests"])
    cr = views.correction_rates(gold["reviews_litigation"])
    figs = [
        charts.trend(ov, "grant_rate", "公开率", percent=True),
        charts.trend(ov, "new_received", "收到申请", ylabel="件"),
        charts.bars(ov[ov["year"] == 2023], "bureau", "new_received", "2023年收到申请"),
        charts.stacked_results_chart(cr[(cr["bureau"] == "淮安市人民政府")], "复议诉讼结果"),
        charts.coverage_chart(views.coverage_grid(gold["reports"])),
        charts.league_chart(pd.DataFrame(columns=["bureau", "place", "value", "change"]), "空排行"),
        charts.rank_chart(
            views.ranking_bands(
                pd.DataFrame(columns=["rank", "bureau", "year", "rank_kind", "platform", "list_name"])
            ),
            "空榜单",
        ),
    ]
    for fig in figs:
        assert fig.get_size_inches().tolist() == [16.0, 9.0]
        assert charts.SOURCE_LINE in [t.get_text().splitlines()[-1] for t in fig.texts]
        messages = _draw_without_warnings(fig)
        assert not [m for m in messages if "Glyph" in m], messages
    cr_text = {t.get_text() for t in figs[3].axes[0].texts}
    assert "纠错率 18.2%（64/351）" in cr_text  # 64 / 351 reviews corrected, the counts shown


def test_wrap_cjk_keeps_numbers_whole_and_punctuation_off_line_starts() -> None:
    text = "本数据中平潭综合实验区：2019年、2020年为一行，2021年、2023年、2025年为三行。" * 3
    for width in (9, 12, 20, 31):
        lines = charts.wrap_cjk(text, width)
        assert "".join(lines) == text
        assert all(line[0] not in "，。、；：" for line in lines)
        assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in zip(lines, lines[1:], strict=False))


def test_safe_name() -> None:
    assert charts.safe_name("淮安市 人民/政府") == "淮安市-人民-政府"


# ------------------------------------------------------------- fair comparison, on the real bundled store


@pytest.fixture(scope="module")
def pingtan(clean_dir) -> dict[str, pd.DataFrame]:  # noqa: ANN001
    from analysis import store

    return views.scope(store.load_tables(clean_dir), bureau="平潭综合实验区")


def _bar_lengths(ax, horizontal: bool) -> list[float]:  # noqa: ANN001
    return [p.get_width() if horizontal else p.get_height() for p in ax.patches]


def test_an_unread_value_is_a_named_gap_not_a_zero_bar(pingtan: dict[str, pd.DataFrame]) -> None:
    """平潭 2023's documents issued were not read (row.ambiguous): no bar, 未能读取 written where it would
    stand and in the footnote, the chart data keeps it empty; 2022 and 2024 are labelled empty slots."""
    rel = views.release_summary(pingtan["active_disclosure"])
    fig = charts.bars(rel, "year", "documents_issued", "制发文件", ylabel="件")
    ax = fig.axes[0]
    assert sorted(_bar_lengths(ax, False)) == [58, 69, 77, 89]  # 2019, 2020, 2021, 2025; no 0 for 2023
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [
        "2019年",
        "2020年",
        "2021年",
        "2022年\n（无报告）",
        "2023年",
        "2024年\n（无报告）",
        "2025年",
    ]
    assert "未能读取" in [t.get_text() for t in ax.texts]
    assert fig._govreport_missing == ["2023年"]
    assert "未能读取（空缺，不按0计）：2023年" in fig._govreport_note
    data = fig._govreport_data.set_index("year")
    assert pd.isna(data.loc[2023, "documents_issued"])


def test_a_trend_breaks_at_missing_years_and_unread_values(pingtan: dict[str, pd.DataFrame]) -> None:
    rel = views.release_summary(pingtan["active_disclosure"])
    fig = charts.trend(rel, "documents_issued", "制发文件", ylabel="件")
    line = fig.axes[0].lines[0]
    xs, ys = list(line.get_xdata()), [float(v) for v in line.get_ydata()]
    assert xs == list(range(2019, 2026))
    assert ys[:3] == [89, 77, 69] and ys[-1] == 58
    assert all(math.isnan(v) for v in ys[3:6])  # 2022 none, 2023 unread, 2024 none: never joined
    assert fig._govreport_missing == ["平潭综合实验区·2023年"]


def test_count_axes_have_integer_ticks_from_zero_and_no_offset(pingtan: dict[str, pd.DataFrame]) -> None:
    ov = views.request_overview(pingtan["requests"])
    fig = charts.bars(ov, "year", "carried_forward", "结转", ylabel="件")  # values 0, 1, 6
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ax.get_ylim()[0] == 0 and all(float(t).is_integer() for t in ticks)
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert charts.count_label(3985758) == "398.6万" and charts.count_label(30000) == "3万"
    assert charts.count_label(3119) == "3,119"


def test_one_bureau_orders_of_magnitude_larger_gets_a_log_axis_that_says_so(clean_dir) -> None:  # noqa: ANN001
    """淮安市人民政府 2024: 3,985,758 penalty decisions; the other bureaus' hundreds and thousands stay
    readable on a log axis named in the axis label and the footnote, every bar labelled with its value."""
    from analysis import store

    rel = views.release_summary(views.select_reports(store.load_tables(clean_dir))["active_disclosure"])
    latest = views.latest_per_bureau(rel)
    latest = latest[latest["bureau"].isin(["淮安市人民政府", "淮安市洪泽区人民政府", "平潭综合实验区"])]
    fig = charts.bars(latest, "bureau", "penalty_decisions", "行政处罚决定", ylabel="件")
    ax = fig.axes[0]
    horizontal = ax.get_yaxis().get_scale() != "log"
    assert (ax.get_xscale() if horizontal else ax.get_yscale()) == "log"
    assert "对数刻度" in (ax.get_xlabel() if horizontal else ax.get_ylabel())
    assert "对数刻度" in fig._govreport_note and fig._govreport_log
    labels = {t.get_text() for t in ax.texts}
    assert {"3,985,758", "4,119", "644"} <= labels
    small = views.release_summary(pingtan_tables(clean_dir))
    assert not charts.is_skewed(small["documents_issued"].tolist())  # 58…89: a plain axis


def pingtan_tables(clean_dir) -> pd.DataFrame:  # noqa: ANN001
    from analysis import store

    return views.scope(store.load_tables(clean_dir), bureau="平潭综合实验区")["active_disclosure"]


def test_a_bureau_has_one_colour_in_every_chart_of_a_run() -> None:
    from matplotlib.colors import to_hex

    charts.use_bureaus(["丙局", "甲局", "乙局"])
    try:
        a = pd.DataFrame({"bureau": ["甲局", "乙局", "丙局"], "year": [2024] * 3, "v": [3, 2, 1]})
        colours = []
        for df in (a, a[a["bureau"] != "甲局"]):  # a chart without 甲局 keeps the others' colours
            ax = charts.bars(df, "bureau", "v", "t").axes[0]
            names = [t.get_text() for t in ax.get_xticklabels()]
            colours.append({n: to_hex(p.get_facecolor()) for n, p in zip(names, ax.patches, strict=True)})
        assert colours[0]["乙局"] == colours[1]["乙局"] and colours[0]["丙局"] == colours[1]["丙局"]
        assert len(set(colours[0].values())) == 3
        fig = charts.trend(a.assign(year=[2023, 2024, 2024]), "v", "t")
        assert {ln.get_label(): to_hex(ln.get_color()) for ln in fig.axes[0].lines} == {
            b: charts.bureau_color(b) for b in ("丙局", "乙局", "甲局")
        }
    finally:
        charts.use_bureaus([])
    assert charts.bureau_color("淮安市人民政府") == charts.bureau_color("淮安市人民政府")  # hash: stable


def test_template_footnote_only_when_both_layouts_are_plotted(pingtan: dict[str, pd.DataFrame]) -> None:
    req = pingtan["requests"]
    assert "（六）" in template_change_note(req)  # 2019/2020 one row, 2021– three rows
    assert template_change_note(req[req["year"] >= 2021]) == ""
    assert template_change_note(req[req["year"] <= 2020]) == ""


# --------------------------------------------------------------- many bureaus: a readable number, no collapse


def _many(n: int) -> pd.DataFrame:
    """n bureaus with long names over 2023–2024; bureau k's 2024 value is k (局05 has no 2024 value read)."""
    rows = []
    for k in range(1, n + 1):
        name = f"平潭综合实验区第{k:02d}综合执法与应急管理局"
        rows += [(name, 2023, float(k * 2)), (name, 2024, float("nan") if k == 5 else float(k))]
    return pd.DataFrame(rows, columns=["bureau", "year", "v"])


def test_top_bureaus_keeps_the_largest_latest_values_and_names_the_rest() -> None:
    df = _many(12)
    kept, note = charts.top_bureaus(df, "v", top=8)
    # 2024 values 12…6 are the largest; 局05's latest value read is 10 (2023), so 4, 3, 2, 1 are left out
    assert sorted(int(n[8:10]) for n in set(kept["bureau"])) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert note.startswith("只画出最近一年数值最大的8个单位；其余4个单位未画出")
    assert charts.top_bureaus(df, "v", top=None) == (df, None)


def test_a_trend_of_many_bureaus_stays_readable(tmp_path: Path) -> None:
    fig = charts.trend(_many(19), "v", "十九个单位", ylabel="件")
    assert len(fig.axes[0].lines) == charts.TOP  # one line per drawn bureau
    assert "其余11个单位未画出" in fig._govreport_note
    assert len(fig._govreport_data) == 38  # the chart's data keeps every bureau
    legend_box = fig.axes[1]  # long names: the legend in columns in its own row under the plot
    assert len(legend_box.get_legend().get_texts()) == charts.TOP
    messages = _draw_without_warnings(fig)
    assert not [m for m in messages if "constrained_layout" in m], messages
    fig.canvas.draw()
    assert legend_box.get_position().y1 < fig.axes[0].get_position().y0


def test_bars_by_year_stay_vertical_and_start_at_zero() -> None:
    df = pd.DataFrame({"year": list(range(2011, 2026)), "v": [float("nan")] * 8 + [0, 0, 1, 0, 0, 6, 0]})
    ax = charts.bars(df, "year", "v", "结转", ylabel="件").axes[0]
    assert ax.get_ylim()[0] == 0 and ax.get_xscale() == "linear"
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "2011"  # many years: no 年, so they fit


def test_the_unread_footnote_names_a_few_and_counts_the_rest() -> None:
    note = charts.missing_note([f"单位{k}" for k in range(20)], None)
    assert (
        note
        == "未能读取（空缺，不按0计）：" + "、".join(f"单位{k}" for k in range(8)) + "等20项（见数据表）。"
    )


def test_bureaus_in_one_chart_never_share_a_colour() -> None:
    names = [f"平潭综合实验区第{k:02d}局" for k in range(20)]
    assert len(set(charts.bureau_colors(names).values())) == 20


def test_a_year_only_marked_unread_stays_on_the_plot() -> None:
    """A year whose value was not read (未能读取) is on the axis, not off the plot squeezing it."""
    df = pd.DataFrame({"bureau": ["甲局"] * 3, "year": [2011, 2019, 2020], "v": [float("nan"), 3.0, 5.0]})
    fig = charts.trend(df, "v", "结转", ylabel="件")
    ax = fig.axes[0]
    left, right = ax.get_xlim()
    assert left < 2011 and right > 2020 and fig._govreport_missing == ["甲局·2011年"]
    assert not [m for m in _draw_without_warnings(fig) if "constrained_layout" in m]
