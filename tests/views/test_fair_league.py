"""Fair league tables: counts and a 95 % Wilson interval with every rate, a rank that does not reward
tiny samples, and the bodies left out said with their reason."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import store
from analysis.store.schema import COLUMNS, typed
from analysis.views import select_reports
from analysis.views.league import fair_league, left_out_counts, wilson_interval


def test_wilson_interval_matches_the_textbook_values():
    lo, hi = wilson_interval(pd.Series([95, 0, 5]), pd.Series([100, 10, 0]))
    assert (round(lo[0], 4), round(hi[0], 4)) == (0.8882, 0.9785)
    assert (lo[1], round(hi[1], 4)) == (0.0, 0.2775)
    assert pd.isna(lo[2]) and pd.isna(hi[2])  # no cases: no interval, never 0


def _requests(counts: dict[str, tuple[int, int]]) -> dict[str, pd.DataFrame]:
    rows = []
    for i, (body, (granted, withheld)) in enumerate(counts.items()):
        keys = {"report_id": f"{i:016x}", "bureau": body, "year": 2024, "applicant": "total"}
        rows += [
            {**keys, "row": "granted", "value": granted, "raw": str(granted)},
            {**keys, "row": "withheld.third_party", "value": withheld, "raw": str(withheld)},
        ]
    return {"requests": typed("requests", pd.DataFrame(rows, columns=COLUMNS["requests"]))}


@pytest.mark.parametrize("rule", ["wilson", "eb"])
def test_two_of_two_does_not_beat_ninety_five_of_a_hundred(rule):
    t = _requests({"小局": (2, 0), "大局": (95, 5), "中局": (40, 20), "甲局": (50, 50), "乙局": (30, 70)})
    lt = fair_league(t, min_n=1, rule=rule).set_index("bureau")
    assert lt.loc["大局", "place"] == 1 and lt.loc["小局", "rate"] == 1.0
    assert lt.loc["小局", "place"] > 1
    assert lt.loc["大局", "n"] == 100 and lt.loc["大局", "successes"] == 95


def test_the_real_store_ranks_what_has_enough_cases_and_says_who_is_left_out(clean_dir):
    lt = fair_league(select_reports(store.load_all(clean_dir)), min_n=30)
    row = lt[(lt["bureau"] == "平潭综合实验区") & (lt["year"] == 2021)].iloc[0]
    assert (row["successes"], row["n"], row["place"]) == (35, 69, 1)
    assert (round(row["lo"], 4), round(row["hi"], 4)) == (0.3921, 0.6217)
    small = lt[(lt["bureau"] == "淮安市洪泽区人民政府") & (lt["year"] == 2023)].iloc[0]
    assert (small["successes"], small["n"]) == (4, 21)
    assert small["left_out"] == "样本不足30件（仅21件）" and pd.isna(small["place"])
    counts = left_out_counts(lt)
    assert counts[(counts["year"] == 2021) & (counts["why"] == "ranked")]["n"].tolist() == [1]
