"""Flattened text (cells run together) that once ran for minutes or read huge numbers. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

from analysis.parse.flattened import parse_flattened
from analysis.report import extract_report


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging when the code under test runs too long."""

    def expired(_sig, _frame):  # noqa: ANN001, ANN202
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_flattened_long_run_of_digits_is_left_unread_quickly() -> None:
    """A 60-digit run cut into 7 cells: 45 million ways, tried one by one (minutes)."""
    text = (
        "三、收到和处理政府信息公开申请情况 本年新收政府信息公开申请数量 "
        + "1" * 60
        + " 上年结转政府信息公开申请数量 "
        "1000001 四、政府信息公开行政复议、行政诉讼情况 " + "2" * 90
    )
    with deadline(10):
        flat = parse_flattened(text)
    unread = {i["location"]: i["message"] for i in flat.issues if i["check"] == "row.ambiguous"}
    assert "too many ways to try" in unread["table 3 / new_received"]
    assert "too many ways to try" in unread["table 4"]
    # the run after it is still read
    assert [r["value"] for r in flat.requests if r["row"] == "carried_over"] == [1, 0, 0, 0, 0, 0, 1]


def test_flattened_report_with_a_long_run_finishes(tmp_path: Path) -> None:
    path = tmp_path / "2020_report.txt"
    path.write_text(
        "某某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况本年新收政府信息公开申请数量"
        + "3" * 80
        + "\n",
        encoding="utf-8",
    )
    with deadline(10):
        report = extract_report(path)
    assert any("too many ways to try" in i["message"] for i in report.issues)


def test_flattened_cut_into_huge_numbers_is_not_taken() -> None:
    """0|0|0|0|0|A|A adds up for a 20-digit A: a value no Int64 column holds."""
    from analysis.parse.flattened import consistent_splits

    assert consistent_splits(["00000" + "9" * 20 + "9" * 20], [7]) == []
    text = (
        "二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 "
        + "9" * 30
        + " 三、收到和处理政府信息公开申请情况"
    )
    flat = parse_flattened(text)
    assert [i["location"] for i in flat.issues if i["check"] == "cell.unparseable"] == [
        "table 2 / 20.1 / regulation / in_force"
    ]
