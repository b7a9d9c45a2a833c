"""analysis.present.charts: the CJK font, slide sizes, outcome colours, source line and every chart function."""

from __future__ import annotations

import json
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
    assert Path(found).name == "NotoSansCJKsc-Regular.otf"


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
