"""present/charts: a series across the legacy → 2019 → 2021 templates is marked where it crosses them."""

from __future__ import annotations

import pandas as pd

from analysis.model.labels import TEMPLATE_CHANGES
from analysis.present import charts


def test_only_the_changes_a_series_crosses_are_marked() -> None:
    assert [b for b, _ in charts.template_boundaries([2011, 2014, 2018, 2019, 2025])] == [2019, 2021]
    assert [b for b, _ in charts.template_boundaries([2019, 2020, 2021])] == [2021]
    assert charts.template_boundaries([2021, 2023, 2025]) == []


def test_trend_and_bars_say_what_changed() -> None:
    df = pd.DataFrame(
        {"bureau": ["平潭综合实验区"] * 4, "year": [2015, 2018, 2020, 2023], "value": [0, 0, 21, 81]}
    )
    fig = charts.trend(df, "value", "本年新收", templates=True)
    assert TEMPLATE_CHANGES[2019] in fig._govreport_note and TEMPLATE_CHANGES[2021] in fig._govreport_note
    assert len(fig.axes[0].lines) == 3  # the series and two dashed lines
    fig = charts.bars(df, "year", "value", "本年新收", templates=True)
    assert TEMPLATE_CHANGES[2019] in fig._govreport_note
    assert charts.trend(df, "value", "本年新收")._govreport_note is None  # only when asked
