"""analysis.briefs: one brief end to end (notebook, HTML without code, PNG/SVG, PPTX), batches with
failures and time limits, parameter checks and the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib.image as mpimg
import nbformat
import pytest

from analysis.briefs import batch, files, run
from analysis.briefs.index import earlier_results, write_index
from analysis.cli import main


@pytest.fixture(scope="module")
def huaian(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> files.BriefResult:
    out = tmp_path_factory.mktemp("reports")
    return run.run_brief(2024, bureau="淮安市人民政府", data_dir=clean_dir, out_dir=out)


def test_brief_writes_notebook_html_charts_and_slides(huaian: files.BriefResult) -> None:
    assert huaian.ok, huaian.error
    folder = Path(huaian.out_dir)
    assert folder.parts[-2:] == ("淮安市人民政府", "2024")
    assert huaian.warnings == []
    names = set(huaian.files)
    assert {"brief.ipynb", "brief.html", "brief.pptx", "key_figures.json", "charts.json"} <= names
    pngs = sorted(folder.glob("*.png"))
    assert 4 <= len(pngs) <= 6
    for png in pngs:
        assert mpimg.imread(png).shape[:2] == (1080, 1920)
        assert png.with_suffix(".svg").exists()
    result = json.loads((folder / files.RESULT).read_text(encoding="utf-8"))
    assert result["status"] == "ok"


def test_brief_html_has_no_code(huaian: files.BriefResult) -> None:
    html = (Path(huaian.out_dir) / "brief.html").read_text(encoding="utf-8")
    assert "2024年共收到政府信息公开申请3119件" in html
    assert "views.scope" not in html and "charts.publish" not in html  # code cells excluded
    assert "output_dir" not in html  # parameters cells dropped
    assert html.count("data:image/png;base64") >= 4


def test_brief_pptx_title_key_figures_sentences_and_one_chart_per_slide(huaian: files.BriefResult) -> None:
    from pptx import Presentation

    folder = Path(huaian.out_dir)
    prs = Presentation(str(folder / "brief.pptx"))
    slides = list(prs.slides)
    n_charts = len(json.loads((folder / "charts.json").read_text(encoding="utf-8")))
    assert len(slides) == 3 + n_charts
    assert "淮安市人民政府" in slides[0].shapes.title.text and "2024年" in slides[0].shapes.title.text
    key = slides[1]
    table = next(s for s in key.shapes if s.has_table).table
    cells = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(len(table.rows))}
    assert cells["本年新收申请"] == "3119件"
    assert cells["行政复议"] == "351件"
    sentences = "\n".join(sh.text_frame.text for sh in slides[2].shapes if sh.has_text_frame)
    assert "2024年共收到政府信息公开申请3119件" in sentences
    for slide in slides[3:]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0].width == prs.slide_width
        assert "数据来源：各单位政府信息公开工作年度报告" in slide.notes_slide.notes_text_frame.text


def test_unknown_bureau_fails_fast_with_a_suggestion(clean_dir: Path, tmp_path: Path) -> None:
    r = run.run_brief(2020, bureau="洛阳统计局", data_dir=clean_dir, out_dir=tmp_path)
    assert r.status == "failed" and "did you mean 洛阳市统计局?" in r.error
    r = run.run_brief(2021, bureau="洛阳市统计局", data_dir=clean_dir, out_dir=tmp_path)
    assert r.error == "ValueError: no report for 洛阳市统计局 in 2021 (years with a report: 2020)"
    assert not (Path(r.out_dir) / "brief.ipynb").exists()  # no kernel was started


def test_failing_brief_reports_the_cell_error(
    clean_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "check_subject", lambda *a, **k: None)  # let the notebook itself fail
    r = run.run_brief(2024, bureau="不存在的单位", data_dir=clean_dir, out_dir=tmp_path)
    assert r.status == "failed"
    assert "ValueError: no report for 不存在的单位 in 2024" in r.error
    assert r.error.startswith("cell ")
    saved = json.loads((Path(r.out_dir) / files.RESULT).read_text(encoding="utf-8"))
    assert saved["status"] == "failed" and saved["error"] == r.error


def test_unknown_parameters_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown parameters for yearly_brief.ipynb: buraeu"):
        run.check_parameters(run.BRIEF_NOTEBOOK, {"buraeu": "x", "year": 2024})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = tmp_path / "no_parameters.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(ValueError, match="no cell tagged 'parameters'"):
        run.check_parameters(path, {"x": 2})


def test_glyph_warnings_are_found_in_outputs(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text="UserWarning: Glyph 128512 (\\N{GRINNING FACE}) missing from font(s) Noto Sans CJK SC.\n",
        )
    ]
    path = tmp_path / "glyphs.ipynb"
    nbformat.write(nb, str(path))
    assert len(run.glyph_warnings(path)) == 1


def test_kernel_imports_this_package_and_os_environ_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import analysis

    monkeypatch.delenv("PYTHONPATH", raising=False)
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("import analysis\nprint(analysis.__file__)"),
        ]
    )
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, str(tmp_path / "where.ipynb"))
    run.execute_notebook(tmp_path / "where.ipynb", tmp_path / "out.ipynb", {"x": 2})
    ran = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    printed = next(c.outputs[0]["text"] for c in ran.cells if "analysis.__file__" in c.source)
    assert printed.strip() == analysis.__file__  # the kernel runs this very package, not another copy
    assert "PYTHONPATH" not in os.environ  # told to the kernel alone, not set for the whole process


def test_an_installed_package_needs_no_pythonpath(monkeypatch: pytest.MonkeyPatch) -> None:
    import sysconfig

    import analysis

    src = str(Path(analysis.__file__).resolve().parents[1])
    monkeypatch.delenv("PYTHONPATH", raising=False)
    assert run.package_env()["PYTHONPATH"].split(os.pathsep)[0] == src  # a source tree: put first
    monkeypatch.setattr(sysconfig, "get_paths", lambda: {"purelib": src, "platlib": src})
    assert "PYTHONPATH" not in run.package_env()  # as if installed in site-packages


def test_slugify() -> None:
    assert files.slugify("淮安市人民政府") == "淮安市人民政府"
    assert files.slugify("a/b c:d") == "a-b-c-d"
    assert files.slugify("///") == "unnamed"


# --------------------------------------------------------------------------------------------- batches


def test_batch_goes_on_after_a_failure_and_writes_an_index(
    clean_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    config = tmp_path / "briefs.yml"
    config.write_text(
        "jobs: 2\nbriefs:\n  - bureau: 洛阳市统计局\n    year: 2020\n  - bureau: 不存在的单位\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    code = main(
        ["briefs", "--year", "2024", "--config", str(config), "--data", str(clean_dir), "--out", str(out)]
    )
    assert code == 1
    printed = capsys.readouterr().out
    assert "1 made, 1 failed" in printed
    assert "no reports for bureau 不存在的单位" in printed
    assert (out / "洛阳市统计局" / "2020" / "brief.pptx").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="洛阳市统计局/2020/brief.html"' in index
    assert "no reports for bureau 不存在的单位" in index
    single = json.loads((out / "洛阳市统计局" / "2020" / "key_figures.json").read_text(encoding="utf-8"))
    assert any("没有可比较的往年数据" in s for s in single["sentences"])


def test_batch_default_is_every_bureau_with_a_report_that_year(clean_dir: Path) -> None:
    entries = batch.batch_entries(2023, {}, clean_dir)
    assert entries == [
        {"bureau": "平潭综合实验区", "year": 2023},
        {"bureau": "淮安市洪泽区人民政府", "year": 2023},
    ]


def test_batch_time_limit_stops_a_brief(clean_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "briefs.yml"
    config.write_text("briefs:\n  - bureau: 淮安市人民政府\n", encoding="utf-8")
    results = batch.run_batch(2024, config=config, data_dir=clean_dir, out_dir=tmp_path / "out", timeout=0.5)
    assert [r.status for r in results] == ["timeout"]
    assert "time limit" in results[0].error
    assert "超时" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_config_rejects_unknown_keys(tmp_path: Path) -> None:
    bad = tmp_path / "briefs.yml"
    bad.write_text("brief:\n  - bureau: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        batch.load_config(bad)
    bad.write_text("briefs:\n  - bureau: x\n    region: y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exactly one of bureau/region"):
        batch.load_config(bad)


def test_index_keeps_briefs_of_earlier_runs(tmp_path: Path) -> None:
    old = files.BriefResult(
        name="甲局",
        year=2023,
        kind="bureau",
        status="ok",
        out_dir=str(tmp_path / "甲局" / "2023"),
        files=["brief.html"],
    )
    Path(old.out_dir).mkdir(parents=True)
    (Path(old.out_dir) / files.RESULT).write_text(
        json.dumps(old.__dict__, ensure_ascii=False), encoding="utf-8"
    )
    new = files.BriefResult(
        name="乙局",
        year=2024,
        kind="bureau",
        status="failed",
        out_dir=str(tmp_path / "乙局" / "2024"),
        error="cell 3 (execution 3): ValueError: boom",
    )
    write_index(tmp_path, [new, *earlier_results(tmp_path, exclude=[new])])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="甲局/2023/brief.html"' in index and "ValueError: boom" in index
    table = batch.summary_table([new])
    assert "乙局" in table and "ValueError: boom" in table and "0 made, 1 failed" in table
