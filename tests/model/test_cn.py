"""Chinese numerals as the reports print them: years, ranks, clause numbers, heading enumerators."""

from __future__ import annotations

import pytest

from analysis.model.cn import ENUMERATED, PAGE_NUMBER, cn_to_int
from analysis.parse.templates import match_clause


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二〇二〇", 2020),  # a year digit by digit
        ("二○二一", 2021),  # with the circle for zero
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十一", 21),
        ("一百零五", 105),
        ("两", 2),
        ("2019", 2019),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "第十", "十a", "abc"])
def test_cn_to_int_is_none_for_what_is_not_a_numeral(text: str) -> None:
    assert cn_to_int(text) is None


def test_clause_numbers_of_article_twenty() -> None:
    """Table 2's clause labels: 第二十条第（一）项 … 第二十条第（十五）项, after normalize_label."""
    assert match_clause("第二十条第(一)项") == "20.1"
    assert match_clause("第二十条第(九)项") == "20.9"
    assert match_clause("第二十条第(十)项") == "20.10"
    assert match_clause("第二十条第(十三)项") == "20.13"
    assert match_clause("规章") is None


def test_enumerated_headings_and_page_numbers() -> None:
    assert (
        ENUMERATED.match("一、总体情况")
        and ENUMERATED.match("（二）主动公开")
        and ENUMERATED.match("3.依申请")
    )
    assert not ENUMERATED.match("2020年") and not ENUMERATED.match("3.5万条")
    assert PAGE_NUMBER.match("- 4 -") and PAGE_NUMBER.match("第 4 页 共 12 页") and PAGE_NUMBER.match("12")
    assert not PAGE_NUMBER.match("2020年")
