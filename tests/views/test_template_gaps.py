"""A figure a report's template does not print is left out, not shown as unread: 平潭综合实验区's legacy
reports (2011–2018) print new requests but no carry-over and no (一)–(六) outcome rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import store, views

PINGTAN = "平潭综合实验区"


@pytest.fixture(scope="module")
def pingtan(clean_dir: Path) -> dict:
    return views.scope(store.load_tables(clean_dir), bureau=PINGTAN)


def test_request_flows_leave_out_what_legacy_reports_do_not_print(pingtan: dict) -> None:
    f = views.request_flows(pingtan["requests"], ["new_received", "carried_over", "carried_forward"])
    y2014 = f[f["year"] == 2014]
    assert y2014[["variable", "value"]].values.tolist() == [["new_received", 1.0]]  # 受理 1, nothing else
    y2025 = f[f["year"] == 2025].set_index("variable")["value"].to_dict()
    assert y2025 == {"new_received": 154.0, "carried_over": 0.0, "carried_forward": 6.0}


def test_without_legacy_and_outcome_shares_keep_modern_years_only(pingtan: dict) -> None:
    ov = views.request_overview(pingtan["requests"])
    assert {2011, 2014, 2018} <= set(ov["year"])  # the overview keeps every year (new requests) …
    modern = views.without_legacy(ov, pingtan["requests"])
    assert sorted(modern["year"]) == [2019, 2020, 2021, 2023, 2025]  # … the carry-over charts do not
    assert modern.set_index("year").loc[2021, "carried_forward"] == 1
    assert sorted(views.outcome_shares(pingtan["requests"])["year"].unique()) == [
        2019,
        2020,
        2021,
        2023,
        2025,
    ]
