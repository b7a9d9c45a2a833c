"""Table 3 with (六)其他处理's value cells printed once over its three sub-rows (HTML rowspan, Word
vMerge, a PDF box over three rows; crawled text, where the two rows below print no cells), as three
real 平潭 市场监督管理局 pages print them (tests/parse/test_crawled.py): in every format the two rows
below are there but not read (no record, never 0), each named by ``cell.merged``; the figures are read
as the row they are printed in.

The reports are generated (analysis.synth) and their table 3 merged here; every expected value comes
from the generator's tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from analysis.model import codes
from analysis.report import extract_report
from analysis.synth import narrative
from analysis.synth.bureaus import pick_body
from analysis.synth.layout import Cell, Grid
from analysis.synth.values import REQUESTS, State, year_tables

FIRST, BELOW = "other.no_correction", ("other.fee_unpaid", "other.other")


def _merge_other(grid: Grid) -> Grid:
    """Table 3's grid with (六)1's seven value cells spanning (六)1–3, and (六)2, 3 printing none."""
    out = []
    for row in grid:
        keys = {c.key[1] for c in row if c.key and c.key[0] == REQUESTS}
        if keys == {FIRST}:
            row = [Cell(c.text, rowspan=3, colspan=c.colspan, key=c.key) if c.key else c for c in row]
        elif keys and keys <= set(BELOW):
            row = [c for c in row if not c.key]
        out.append(row)
    return out


def _report(fmt: str, seed: int, folder: Path) -> tuple[Path, dict]:
    """A 2021-template report whose table 3 merges (六)'s value cells, written as ``fmt``; and its
    table 3 as generated ((row, applicant) → value)."""
    rng = random.Random(seed)
    t = year_tables(rng, 5.0, 2023, State())
    doc = narrative.document(rng, pick_body(rng, set()), 2023, t)
    for block in doc.blocks:
        if block.grid and block.text == "table3":
            block.grid = _merge_other(block.grid)
    if fmt == "crawled":
        from analysis.synth import render_text

        data = render_text.crawled(doc, rng, "http://example.org/r.html", "2024-01-20").encode("utf-8")
    elif fmt == "html":
        from analysis.synth import render_html

        data = render_html.page(doc, rng, "http://example.org/r.html", "2024-01-20").encode("utf-8")
    elif fmt == "docx":
        from analysis.synth import render_docx

        data = render_docx.document(doc, rng)
    else:
        from analysis.synth import render_pdf

        data = render_pdf.document(doc, rng)
    path = folder / f"merged.{'txt' if fmt == 'crawled' else fmt}"
    path.write_bytes(data)
    return path, t.requests


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "crawled"])
def test_value_cells_merged_over_rows_are_named_and_not_read(fmt: str, tmp_path: Path) -> None:
    path, generated = _report(fmt, 7, tmp_path)
    rep = extract_report(path)
    read = {(r["row"], r["applicant"]): r["value"] for r in rep.requests}
    merged = {i["location"]: i for i in rep.issues if i["check"] == "cell.merged"}
    assert set(merged) == {f"table 3 / {code}" for code in BELOW}
    for issue in merged.values():  # (crawled text prints no cells there: merged or blank, it cannot tell)
        said = "printed with no cells below" if fmt == "crawled" else "rowspan=3) under '(六)其他处理1"
        assert issue["severity"] == "warning" and said in issue["message"]
        assert f"({FIRST})" in issue["message"]
    assert not [r for r in rep.requests if r["row"] in BELOW]  # not 0, not (六)1's figures: no cell
    assert [read[(FIRST, a)] for a in codes.APPLICANTS] == [generated[(FIRST, a)] for a in codes.APPLICANTS]
    others = {k: v for k, v in generated.items() if k[0] not in BELOW}
    assert read == others
    assert not [i for i in rep.issues if i["check"] in ("row.missing", "row.cells", "cell.blank")]
    assert rep.report["parse_status"] == "partial"
