"""docs/data-model.md: the columns the tables hold are the contract's core columns plus the ones the section
"This project's extensions" documents, no more and no fewer."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.model import codes
from analysis.store.schema import COLUMNS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "data-model.md").read_text(encoding="utf-8")
CONTRACT, EXTENSIONS = DOC.split("## This project's extensions")
KEYS = {"report_id", "bureau", "year"}


def contract_columns() -> dict[str, set[str]]:
    """table → the columns beyond the keys in the contract's table of tidy tables."""
    out = {}
    for table, columns in re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|$", CONTRACT, re.M):
        out[table] = {c.strip() for c in re.sub(r"\s*\([^)]*\)", "", columns).split(",")}
    return out


def extension_columns() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for table, column in re.findall(r"^\| `(\w+)\.(\w+)` \|", EXTENSIONS, re.M):
        out.setdefault(table, set()).add(column)
    return out


def test_the_contract_section_names_every_table() -> None:
    assert set(contract_columns()) == set(codes.TABLES) - set(codes.DERIVED_TABLES)
    assert contract_columns()["rankings"] == {"list_name", "platform", "rank", "rank_kind", "sentence"}


def test_every_column_beyond_the_contract_is_documented_as_an_extension() -> None:
    contract, extensions = contract_columns(), extension_columns()
    beyond = {t: set(cols) - KEYS - contract.get(t, set()) for t, cols in COLUMNS.items()}
    assert {t: c for t, c in beyond.items() if c} == extensions
    assert extensions["reports"] == {
        "alias_matched",
        "published",
        "duplicate_paths",
        "superseded_by",
        "source_url",
        "reader",
    }
    for t, cols in extensions.items():  # an extension is a column the store really holds
        assert cols <= set(COLUMNS[t]) and not cols & contract.get(t, set()), t
