"""Chinese numerals and the text patterns every parser shares: Han characters, numeral sets,
heading enumerators (一、 （二） 3.) and page numbers left in a paginated document's text."""

from __future__ import annotations

import re

HAN = "\u4e00-\u9fff"
CN_DIGITS = "〇○零一二三四五六七八九十百两"  # Chinese numerals (ranks: 前十, 第二十)
CN_YEAR_DIGITS = "〇○零一二三四五六七八九"  # 二〇二〇
CN_ENUM = "一二三四五六七八九十"  # heading enumerators: 一、 （二）

PAGE_NUMBER = re.compile(r"^[\s\-—–_·]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*共\s*\d+\s*页)?[\s\-—–_·]*$")
ENUMERATED = re.compile(
    rf"^\s*(?:[{CN_ENUM}]{{1,3}}\s*[、．.]|[（(][{CN_ENUM}]{{1,3}}[）)]|\d{{1,2}}[、．.](?!\d))"
)


def cn_to_int(text: str) -> int | None:
    """A Chinese numeral (十, 二十, 一百零五, 两) or digits as an int; None when it is neither."""
    if text.isdigit():
        return int(text)
    digits = {
        "〇": 0,
        "○": 0,
        "零": 0,
        "一": 1,
        "二": 2,
        "两": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
    }
    units = {"十": 10, "百": 100, "千": 1000}
    if not text or any(c not in digits and c not in units for c in text):
        return None
    if all(c in digits for c in text):  # 二〇二〇
        return int("".join(str(digits[c]) for c in text))
    total, num = 0, 0
    for c in text:
        if c in digits:
            num = digits[c]
        else:
            total += (num or 1) * units[c]
            num = 0
    return total + num
