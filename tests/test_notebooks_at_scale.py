"""Every notebook, run with its default parameters on a generated store of a few thousand bureau-years
(copies of the bundled reports' frames, as benchmarks/briefs.py makes them), keeps its charts readable:
a chart names at most ``top`` bureaus and its footnote says what it left out; the coverage chart counts
reports per region and year instead of a label per bureau; the audit lists the top bureau-years only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_notebooks import output_text, run

from analysis import store
from analysis.present import charts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bigstore  # noqa: E402

TOP = 8  # the notebooks' default ``top``
N, LATEST = 2000, 200
NOTEBOOKS = ["release_volumes", "request_outcomes", "rankings", "review_litigation", "data_quality", "audit"]


@pytest.fixture(scope="module")
def big(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    cells = bigstore.bureau_years(N, LATEST)
    folder = tmp_path_factory.mktemp("big")
    store.save(bigstore.build(store.load_tables(clean_dir), cells), folder)
    return folder, cells


@pytest.fixture(scope="module")
def executed(big: tuple[Path, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    data, cells = big
    one = str(cells[cells["year"] == cells["year"].max()]["bureau"].iloc[0])
    out = {}
    for name in NOTEBOOKS:
        params = {"data_dir": str(data), **({"bureau": one} if name == "release_volumes" else {})}
        out[name] = run(name, tmp_path_factory.mktemp(name), **params)
    return out


def test_the_generated_store_is_as_made(big: tuple[Path, pd.DataFrame]) -> None:
    data, cells = big
    reports = store.load_tables(data, tables=["reports"])["reports"]
    assert len(reports) == N == len(cells)
    assert (reports["year"] == 2024).sum() == LATEST
    assert reports[["bureau", "year"]].drop_duplicates().shape[0] == N


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if n not in ("data_quality", "audit")])
def test_every_chart_names_at_most_top_bureaus_and_says_what_it_left_out(executed: dict, name: str) -> None:
    _, chart_dir = executed[name]
    manifest = json.loads((chart_dir / charts.MANIFEST).read_text(encoding="utf-8"))
    cut = 0
    per_bureau = [e for e in manifest if e["name"].startswith("reasons_")]  # one chart per bureau
    assert len(per_bureau) <= TOP
    for entry in manifest:
        named = entry.get("bureaus")
        if named is None:
            continue
        assert len(named) <= TOP, (entry["name"], len(named))
        data = (
            pd.read_csv(chart_dir / entry["csv"], encoding="utf-8-sig")
            if entry.get("csv")
            else pd.DataFrame()
        )
        held = set(data["bureau"].dropna().astype(str)) if "bureau" in data.columns else set(named)
        assert set(named) <= held, entry["name"]
        if len(held) > len(named):  # some left out: the footnote says how many and that the table has them
            cut += 1
            note = entry["note"] or ""
            assert f"其余{len(held - set(named))}个单位未画出" in note or "未画出" in note, (
                entry["name"],
                note,
            )
    assert cut, f"{name}: no chart had more than {TOP} bureaus to choose from"


def test_coverage_is_counted_per_region_and_year(executed: dict, big: tuple[Path, pd.DataFrame]) -> None:
    _, cells = big
    _, chart_dir = executed["data_quality"]
    (coverage,) = [
        e
        for e in json.loads((chart_dir / charts.MANIFEST).read_text(encoding="utf-8"))
        if e["name"] == "coverage"
    ]
    assert coverage["bureaus"] is None  # no label per bureau
    assert f"共{N}份报告" in coverage["note"]
    counts = pd.read_csv(chart_dir / coverage["csv"], encoding="utf-8-sig")
    expected = cells.groupby(["region", "year"]).size()
    got = counts.set_index(["group", "year"])["reports"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()


def test_audit_lists_the_top_bureau_years_and_says_how_many_more(executed: dict) -> None:
    nb, _ = executed["audit"]
    text = output_text(nb)
    headings = [ln for ln in text.splitlines() if ln.startswith("### ")]
    assert 0 < len(headings) <= TOP
    assert f"只列出发现最多的{TOP}个单位年度" in text
