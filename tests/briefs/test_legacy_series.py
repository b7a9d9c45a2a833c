"""The 平潭综合实验区 request series runs from its first (legacy) report to the latest, across both
template changes, in the views and in its yearly brief (data/raw bundles its 2011–2018 reports)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis import store, views
from analysis.briefs.run import BRIEF_NOTEBOOK, execute_notebook
from analysis.model.labels import TEMPLATE_CHANGES
from analysis.present import charts

ZONE = "平潭综合实验区"


def test_the_request_series_runs_from_2011_with_legacy_figures_and_no_invented_carry_over(
    clean_dir: Path,
) -> None:
    ov = views.request_overview(store.load_tables(clean_dir, tables=("requests",))["requests"])
    zone = ov[ov["bureau"] == ZONE].set_index("year")
    # read by hand: 2011, 2012 none; 2014 one (信函申请1条); 2015, 2017, 2018 none; 2019 23 (gold)
    assert zone.loc[[2011, 2012, 2014, 2015, 2017, 2018, 2019], "new_received"].tolist() == [
        0,
        0,
        1,
        0,
        0,
        0,
        23,
    ]
    assert zone.loc[2014, "granted"] == 1 and zone.loc[2014, "grant_rate"] == 1.0
    # 不予公开答复数 0 is printed; no row of 信息不存在 or 不予处理: not printed, so NA, not 0
    assert zone.loc[2014, "withheld"] == 0 and zone.loc[[2014], ["unavailable", "not_processed"]].isna().all(
        axis=None
    )
    assert pd.isna(zone.loc[2014, "carried_over"])  # legacy reports print no carry-over: NA, not 0
    assert zone.loc[2019, "carried_over"] == 0


def test_legacy_lawsuits_are_one_read_row_not_an_unread_modern_pair(clean_dir: Path) -> None:
    rates = views.correction_rates(
        store.load_tables(clean_dir, tables=("reviews_litigation",))["reviews_litigation"]
    )
    z = rates[(rates["bureau"] == ZONE) & (rates["year"] == 2014)].set_index("proceeding")
    # 行政复议数 0, 行政诉讼数 0, 接受行政诉讼、举报数 0 as printed; no 未经复议直接起诉 / 复议后起诉 columns
    assert sorted(z.index) == ["complaint", "litigation", "review"]
    assert z["total"].tolist() == [0, 0, 0] and z["upheld"].isna().all()


def test_the_yearly_brief_marks_the_template_changes_on_its_request_chart(
    clean_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "charts"
    execute_notebook(
        BRIEF_NOTEBOOK,
        tmp_path / "brief.ipynb",
        {"bureau": ZONE, "year": 2025, "data_dir": str(clean_dir), "output_dir": str(out)},
    )
    manifest = {e["name"]: e for e in json.loads((out / charts.MANIFEST).read_text(encoding="utf-8"))}
    note = manifest["01_requests"]["note"]
    assert TEMPLATE_CHANGES[2019] in note and TEMPLATE_CHANGES[2021] in note
