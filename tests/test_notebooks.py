"""Every notebook runs top to bottom with papermill on the bundled data, makes its charts, prints the
numbers the tables hold, and never warns about a glyph missing from the font."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image as mpimg
import nbformat
import pytest

from analysis import store
from analysis.briefs.files import KEY_FIGURES
from analysis.briefs.run import BRIEF_NOTEBOOK, execute_notebook, glyph_warnings
from analysis.present import charts

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = [
    "release_volumes",
    "request_outcomes",
    "rankings",
    "review_litigation",
    "yearly_brief",
    "data_quality",
]


def path_of(name: str, suffix: str = ".ipynb") -> Path:
    """Where a notebook lives: ``yearly_brief`` ships inside the package (analysis/briefs/), the rest in notebooks/."""
    return (Path(BRIEF_NOTEBOOK).parent if name == "yearly_brief" else NOTEBOOK_DIR) / f"{name}{suffix}"


def run(name: str, out: Path, **params: object) -> tuple[nbformat.NotebookNode, Path]:
    """Execute a notebook into ``out`` (charts in ``out/charts``) and return it with its chart folder."""
    chart_dir = out / "charts"
    nb_out = out / f"{name}.ipynb"
    execute_notebook(path_of(name), nb_out, {**params, "output_dir": str(chart_dir)})
    return nbformat.read(str(nb_out), as_version=4), chart_dir


def output_text(nb: nbformat.NotebookNode) -> str:
    """All text a notebook printed or displayed (streams, Markdown, HTML and plain text of tables)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")))
            for mime in ("text/markdown", "text/html", "text/plain"):
                parts.append(str(out.get("data", {}).get(mime, "")))
    return "\n".join(parts)


def stderr_text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(
        str(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"
    )


@pytest.fixture(scope="module")
def executed(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Each notebook run once with its defaults, only pointed at the test store."""
    out = {}
    for name in NOTEBOOKS:
        folder = tmp_path_factory.mktemp(name)
        out[name] = run(name, folder, data_dir=str(clean_dir))
    return out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_saves_its_charts(executed: dict, name: str) -> None:
    nb, chart_dir = executed[name]
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not [ln for ln in output_text(nb).splitlines() if "Glyph" in ln or "missing from" in ln]
    assert glyph_warnings(chart_dir.parent / f"{name}.ipynb") == []
    assert "Warning" not in stderr_text(nb), stderr_text(nb)
    manifest = json.loads((chart_dir / charts.MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest) >= 3
    for entry in manifest:
        assert mpimg.imread(chart_dir / entry["png"]).shape[:2] == (1080, 1920)
        assert charts.SOURCE_LINE in (chart_dir / entry["svg"]).read_text(encoding="utf-8")
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == len(manifest)  # every chart shown once in the notebook


def test_yearly_brief_states_the_numbers_of_the_tables(executed: dict, clean_dir: Path) -> None:
    nb, chart_dir = executed["yearly_brief"]
    text = output_text(nb)
    req = store.load_tables(clean_dir, tables=("requests",))["requests"]
    total = req[
        (req["bureau"] == "淮安市人民政府")
        & (req["year"] == 2024)
        & (req["row"] == "new_received")
        & (req["applicant"] == "total")
    ]["value"].iloc[0]
    assert total == 3119
    assert f"2024年共收到政府信息公开申请{total}件" in text
    assert "没有可比较的往年数据" in text  # 淮安 has one year: says so instead of failing
    figures = json.loads((chart_dir / KEY_FIGURES).read_text(encoding="utf-8"))
    by_key = {f["key"]: f for f in figures["figures"]}
    assert by_key["new_received"]["value"] == 3119
    assert by_key["total_processed"]["value"] == 3050
    assert by_key["review_total"]["value"] == 351
    assert 4 <= len(json.loads((chart_dir / charts.MANIFEST).read_text(encoding="utf-8"))) <= 6


def test_yearly_brief_with_earlier_years_shows_changes(clean_dir: Path, tmp_path: Path) -> None:
    nb, chart_dir = run("yearly_brief", tmp_path, bureau="平潭综合实验区", year=2021, data_dir=str(clean_dir))
    text = output_text(nb)
    assert "2021年共收到政府信息公开申请70件，同比增长233.3%（2020年为21件）" in text
    figures = json.loads((chart_dir / KEY_FIGURES).read_text(encoding="utf-8"))
    assert {f["key"]: f for f in figures["figures"]}["new_received"]["prev_value"] == 21


def test_yearly_brief_for_a_region(clean_dir: Path, tmp_path: Path) -> None:
    nb, _ = run(
        "yearly_brief", tmp_path, bureau="", region="江苏省淮安市", year=2024, data_dir=str(clean_dir)
    )
    assert "2024年共收到政府信息公开申请3119件" in output_text(nb)


def test_request_outcomes_numbers_and_template_footnote(executed: dict) -> None:
    nb, chart_dir = executed["request_outcomes"]
    text = output_text(nb)
    assert (
        "3,119" in text and "3,050" in text
    )  # 淮安 2024 received and processed, as present.tables prints them
    assert "（六）其他处理" in text and "平潭综合实验区：2019年、2020年为一行" in text
    manifest = {e["name"]: e for e in json.loads((chart_dir / charts.MANIFEST).read_text(encoding="utf-8"))}
    assert "（六）" in manifest["outcome_shares"]["note"]


def test_review_litigation_numbers(clean_dir: Path, tmp_path: Path) -> None:
    # scoped to one bureau: with every bundled bureau the table is longer than pandas shows in full
    nb, _ = run("review_litigation", tmp_path, bureaus=["淮安市人民政府"], data_dir=str(clean_dir))
    text = output_text(nb)
    assert "351" in text and "18.2%" in text  # 淮安 2024: 351 reviews, 64 corrected


def test_release_volumes_numbers(executed: dict) -> None:
    text = output_text(executed["release_volumes"][0])
    assert "5,500" in text  # 淮安 2024: 市政府网站主动公开各类政府信息5500余条
    assert "2,418" in text  # 平潭 2025 行政许可 decisions


def test_rankings_show_stated_places_and_league_tables(executed: dict) -> None:
    nb, chart_dir = executed["rankings"]
    text = output_text(nb)
    assert "第30位" in text and "前20位" in text  # 洛阳统计 WeChat account, 2020
    names = {e["name"] for e in json.loads((chart_dir / charts.MANIFEST).read_text(encoding="utf-8"))}
    assert {"stated_rankings", "league_new_received", "league_grant_rate"} <= names


def test_data_quality_lists_partial_reports_and_checks(executed: dict, clean_dir: Path) -> None:
    text = output_text(executed["data_quality"][0])
    assert "部分读取" in text  # 平潭 2023 crawled text
    assert "表四复议诉讼合计不符" in text  # 洪泽 2023 totals that do not add up (table4.total)
    reports = store.load_tables(clean_dir, tables=("reports",))["reports"]
    assert f"共 {len(reports)} 份报告" in text  # every report of the store counted, whatever data/raw holds


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_writes_the_tables_it_compares(executed: dict, name: str) -> None:
    import openpyxl
    import pandas as pd

    _, out = executed[name]
    manifest = out / charts.MANIFEST
    chart_data = (
        {e["csv"] for e in json.loads(manifest.read_text(encoding="utf-8"))} if manifest.exists() else set()
    )
    csvs = sorted(
        p for p in out.glob("*.csv") if p.name not in chart_data
    )  # the compared tables, not chart data
    assert csvs and all(p.read_bytes()[:3] == b"\xef\xbb\xbf" for p in csvs)  # UTF-8 with BOM
    assert set(openpyxl.load_workbook(out / "tables.xlsx", read_only=True).sheetnames) == {
        p.stem for p in csvs
    }
    for csv in csvs:
        columns = pd.read_csv(csv, encoding="utf-8-sig").columns
        assert not [c for c in columns if c.isascii() and not c.isdigit()], (
            csv.name,
            list(columns),
        )  # Chinese
    if name in ("request_outcomes", "yearly_brief"):
        ov = pd.read_csv(out / "申请和办理.csv", encoding="utf-8-sig")
        huaian = ov[(ov["单位"] == "淮安市人民政府") & (ov["年度"] == 2024)].iloc[0]
        assert (huaian["本年新收申请"], huaian["办结总计"]) == (3119, 3050)


# ----------------------------------------------------------------------------------- notebooks in git


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebooks_are_stripped_parameterised_and_paired(name: str) -> None:
    import jupytext
    import papermill

    nb = nbformat.read(str(path_of(name)), as_version=4)
    assert (
        nb.metadata["kernelspec"]["name"] == "govreport"
    )  # the project's kernel (`make setup` registers it)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    params = papermill.inspect_notebook(str(path_of(name)))
    assert {"data_dir", "output_dir"} <= set(params)
    paired = jupytext.read(path_of(name, ".py"))
    assert [c.source for c in paired.cells] == [c.source for c in nb.cells], (
        "run `jupytext --sync` on the pair"
    )
