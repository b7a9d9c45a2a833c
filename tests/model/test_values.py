"""Cell text → value on inputs that once broke it. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations


def test_cell_of_hundreds_of_digits_is_not_a_number() -> None:
    """float() of 400 digits is inf, of 30 digits an inexact float no Int64 column holds."""
    from analysis.model.values import parse_value

    assert parse_value("1" * 400).value is None and parse_value("9" * 30, money=True).value is None
    assert parse_value("3万").value == 30000 and parse_value("12.5万元", money=True).value == 12.5
