"""analysis.model.labels: every code the store can hold has one Chinese label, and every user reads it there."""

from __future__ import annotations

from pathlib import Path

import pytest

import analysis
from analysis.model import codes, labels
from analysis.store.schema import CATEGORIES

PACKAGE = Path(analysis.__file__).parent


@pytest.mark.parametrize(
    ("table", "column", "mapping"),
    [
        ("requests", "row", labels.ROW_LABELS),
        ("requests", "applicant", labels.APPLICANT_LABELS),
        ("reviews_litigation", "proceeding", labels.PROCEEDING_LABELS),
        ("reviews_litigation", "result", labels.RESULT_LABELS),
        ("active_disclosure", "item", labels.ITEM_LABELS),
        ("active_disclosure", "metric", labels.METRIC_LABELS),
        ("channel_volumes", "channel", labels.CHANNEL_LABELS),
        ("reports", "parse_status", labels.STATUS_LABELS),
    ],
)
def test_every_code_of_the_store_has_a_label(table: str, column: str, mapping: dict[str, str]) -> None:
    assert set(CATEGORIES[table][column]) <= set(mapping)


def test_every_outcome_group_has_a_label_and_its_row_label_agrees() -> None:
    assert list(labels.OUTCOME_LABELS) == list(codes.OUTCOME_GROUPS)
    for group in ("granted", "partially_granted", "other"):  # a group that is also a row reads the same
        assert labels.OUTCOME_LABELS[group] == labels.ROW_LABELS[group]


def test_the_table3_total_row_has_one_label_in_the_package() -> None:
    label = labels.ROW_LABELS["total_processed"]
    variants = {"办理总计", "办结总计", "本年办结"} - {label}
    found = [
        f"{p.relative_to(PACKAGE)}: {v}"
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "labels.py"
        for v in variants | {label}
        if v in p.read_text(encoding="utf-8")
    ]
    assert not found, "read the label from analysis.model.labels:\n" + "\n".join(found)
