"""Anomalies against own history and same-level peers, on exactly generated stores (the real reports
at hand are too few per level and year to make peers), and silence on the real store."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import anomaly_issues
from analysis.store.schema import COLUMNS, typed


def _store(values: dict[str, dict[int, tuple[int, float, int]]]) -> dict[str, pd.DataFrame]:
    """Department-level 2021-template reports: body → year → (requests received, fees 万元, licences)."""
    reports, req, ad = [], [], []
    for b, years in values.items():
        for y, (received, fee, licences) in years.items():
            rid = f"{len(reports):016x}"
            keys = {"report_id": rid, "bureau": b, "year": y}
            reports.append(
                {
                    **keys,
                    "template": "2021",
                    "admin_level": "department",
                    "parse_status": "ok",
                    "source_path": f"{y}_{b}.txt",
                    "n_issues": 0,
                }
            )
            req.append(
                {**keys, "row": "new_received", "applicant": "total", "value": received, "raw": str(received)}
            )
            ad.append(
                {
                    **keys,
                    "clause": "20.8",
                    "item": "administrative_fee",
                    "metric": "fee_amount",
                    "value": fee,
                    "raw": str(fee),
                }
            )
            ad.append(
                {
                    **keys,
                    "clause": "20.5",
                    "item": "administrative_license",
                    "metric": "decisions",
                    "value": licences,
                    "raw": str(licences),
                }
            )
    frames = {"reports": reports, "requests": req, "active_disclosure": ad}
    return {t: typed(t, pd.DataFrame(frames.get(t, []), columns=COLUMNS[t])) for t in COLUMNS}


def _peers() -> dict[str, dict[int, tuple[int, float, int]]]:
    bodies = {}
    for i in range(10):
        base = 50 + 5 * i
        bodies[f"局{i}"] = {
            2021: (base, 10.0 + i, 100 + i),
            2022: (base + (i % 3), 11.0 + i, 110 + i),
            2023: (base + 2 + (i % 2), 12.0 + i, 105 + i),
            2024: (base + 1 + (i % 4), 12.5 + i, 108 + i),
        }
    return bodies


def test_a_jump_far_outside_peers_is_an_outlier_and_ordinary_changes_are_not():
    bodies = _peers()
    bodies["局9"][2024] = (2000, 21.5, 117)  # 98 (2023) → 2000 requests
    got = anomaly_issues(_store(bodies))
    yoy = got[got["check"] == "corpus.yoy_outlier"]
    assert list(zip(yoy["bureau"], yoy["year"], yoy["expected"], yoy["actual"], strict=True)) == [
        ("局9", 2024, "98", "2000")
    ]
    assert "among 10 department-level changes" in yoy.iloc[0]["message"]


def test_a_fee_in_yuan_read_as_wanyuan_is_orders_of_magnitude_off():
    bodies = _peers()
    bodies["局3"][2023] = (bodies["局3"][2023][0], 150000.0, bodies["局3"][2023][2])  # 15 万元 printed as 元
    got = anomaly_issues(_store(bodies))
    mag = got[got["check"] == "corpus.magnitude"]
    assert list(zip(mag["bureau"], mag["year"], mag["location"], strict=True)) == [
        ("局3", 2023, "table 2 / administrative_fee")
    ]
    assert "orders of magnitude from the median" in mag.iloc[0]["message"]


def test_a_table_of_zeros_where_every_peer_fills_it():
    bodies = _peers()
    bodies["局0"][2022] = (bodies["局0"][2022][0], 0.0, 0)  # table 2: no fees, no licences
    got = anomaly_issues(_store(bodies))
    zero = got[got["check"] == "corpus.all_zero"]
    assert list(zip(zero["bureau"], zero["year"], zero["location"], strict=True)) == [
        ("局0", 2022, "table 2")
    ]
    assert "9 of 9 department-level peers" in zero.iloc[0]["message"]


def test_silent_on_the_real_store(corpus_tables):
    assert anomaly_issues(corpus_tables).empty  # never more than a few bodies of one level and year
