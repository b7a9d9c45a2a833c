"""Printed cell text → number: counts as integers, money as 万元, blanks and dashes as 0 (flagged)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_BLANK = re.compile(r"^(?:|[/／\\—–\-－_]+|无|空)$")
BLANK = _BLANK  # a cell printed blank, "/" or "—" (read as 0): checks that must not take it for a 0 use it
# what a cell may print after its number: money (converted to 万元), 万 (ten thousand), counters
MONEY_UNITS: tuple[str, ...] = ("万元", "亿元", "元")
COUNTERS: tuple[str, ...] = ("件", "条", "个", "项", "次", "笔", "起", "宗")
CELL_UNITS: tuple[str, ...] = (*MONEY_UNITS, "万", *COUNTERS)
_NUMBER = re.compile(rf"^(?P<num>[+\-]?\d+(?:\.\d+)?)(?P<unit>{'|'.join(CELL_UNITS)})?$")


# a token that is a table value: a number (optionally signed, with separators, a unit) or a
# placeholder for "nothing" ("/", "—", "-", "无")
_VALUE_TOKEN = re.compile(
    rf"^(?:[+\-－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*(?:{'|'.join((*CELL_UNITS, '%', '％'))})?"
    r"|[/／—–\-－]+|无)$"
)


@lru_cache(maxsize=1 << 16)  # the same cells and labels recur in every report
def is_value_token(text: str) -> bool:
    """True when a cell's text is a number or a placeholder, i.e. a value not a label."""
    return bool(_VALUE_TOKEN.match(text.strip()))


# no count or amount in a report comes near this: a longer run of digits (a damaged or mistyped
# cell, "1111…" hundreds of digits long) is not read as a number; it would be inf as a float,
# and no float above it is exact (the tables store counts as Int64, amounts as Float64)
MAX_VALUE = 2**53


@dataclass(frozen=True)
class Value:
    """A parsed cell: ``value`` is None only when the text is not a number at all, or one of
    MAX_VALUE or more."""

    raw: str
    value: float | int | None
    blank: bool = False  # printed blank, "/" or "—": read as 0 and reported as a warning

    @property
    def ok(self) -> bool:
        return self.value is not None


@lru_cache(maxsize=1 << 16)  # cells repeat ("0", "/", small counts); a Value is immutable
def parse_value(raw: str, money: bool = False, header_unit: str | None = None) -> Value:
    """Parse one cell as printed; money is converted to 万元 from 元/亿元 by the cell's or header's unit."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = re.sub(r"[\s,，]", "", text)
    if _BLANK.match(text):
        return Value(raw, 0, blank=True)
    m = _NUMBER.match(text)
    if not m:
        return Value(raw, None)
    num = m.group("num")
    unit = m.group("unit") or ""
    if not money:
        number = float(num) * (10000 if unit == "万" else 1)
        if not abs(number) < MAX_VALUE:
            return Value(raw, None)
        return Value(raw, int(number) if number.is_integer() else number)
    amount = float(num)
    unit = unit or (header_unit or "万元")  # a bare number in a money column is 万元, as the template says
    if unit == "元":
        amount = amount / 10000
    elif unit == "亿元":
        amount = amount * 10000
    if not abs(amount) < MAX_VALUE:
        return Value(raw, None)
    return Value(raw, round(amount, 10))


def header_money_unit(text: str) -> str | None:
    """The money unit a column header declares ('采购总金额（单位:万元）' → '万元'), also when the
    header is wrapped inside the unit ('（单位：万' / '元）')."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for unit in ("万元", "亿元", "元"):
        if unit in text:
            return unit
    return None
