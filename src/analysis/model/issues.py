"""The issues table's record: one problem found in a report."""

from __future__ import annotations


def issue(severity: str, check: str, location: str, message: str, expected=None, actual=None) -> dict:  # noqa: ANN001
    """One row of the issues table (without the report keys, added by the caller)."""
    return {
        "severity": severity,
        "check": check,
        "location": location,
        "expected": None if expected is None else str(expected),
        "actual": None if actual is None else str(actual),
        "message": message,
    }
