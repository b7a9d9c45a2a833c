"""Compare an extracted report with a hand-checked gold file (tests/fixtures/gold/*.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from analysis.model import codes

FIXTURES = Path(__file__).parent / "fixtures"
GOLD_DIR = FIXTURES / "gold"


def load_gold(name: str) -> dict:
    """A gold file by stem, e.g. ``load_gold("2020_luoyang-tongjiju")``."""
    return json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8"))


def gold_source(gold: dict) -> Path:
    """The fixture copy of the document a gold file describes."""
    return FIXTURES / Path(gold["file"]).name


def gold_cells(gold: dict) -> dict[tuple, float]:
    """Every table cell of a gold file, keyed like the tidy tables."""
    cells: dict[tuple, float] = {}
    for row, values in gold["requests"].items():
        for applicant, v in zip(codes.APPLICANTS, values, strict=True):
            cells[("requests", row, applicant)] = v
    for proceeding, values in gold["reviews_litigation"].items():
        for result, v in zip(codes.RESULTS, values, strict=True):
            cells[("reviews_litigation", proceeding, result)] = v
    for rec in gold["active_disclosure"]:
        cells[("active_disclosure", rec["clause"], rec["item"], rec["metric"])] = rec["value"]
    return cells


def report_cells(report: dict) -> dict[tuple, float]:
    """The same keys from an extracted report's JSON object."""
    cells: dict[tuple, float] = {}
    for r in report["requests"]:
        cells[("requests", r["row"], r["applicant"])] = r["value"]
    for r in report["reviews_litigation"]:
        cells[("reviews_litigation", r["proceeding"], r["result"])] = r["value"]
    for r in report["active_disclosure"]:
        cells[("active_disclosure", r["clause"], r["item"], r["metric"])] = r["value"]
    return cells


def mismatches(report: dict, gold: dict) -> list[str]:
    """Human-readable differences between a report and its gold file (empty when every cell matches)."""
    want, got = gold_cells(gold), report_cells(report)
    out = []
    for key, v in want.items():
        g = got.get(key)
        if g is None or not math.isclose(float(g), float(v), rel_tol=1e-9, abs_tol=1e-9):
            out.append(f"{key}: gold {v}, extracted {g}")
    out += [f"{key}: extracted {got[key]} but not in gold" for key in got.keys() - want.keys()]
    return out
