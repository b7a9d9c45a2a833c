"""analysis.briefs.run: one brief end to end (notebook, HTML without code, PNG/SVG), failures reported,
parameter checks, glyph warnings, and the kernel importing this package without os.environ changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib.image as mpimg
import nbformat
import pytest

from analysis.briefs import files, run


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


def test_unknown_bureau_fails_fast_with_a_suggestion(clean_dir: Path, tmp_path: Path) -> None:
    r = run.run_brief(2020, bureau="洛阳统计局", data_dir=clean_dir, out_dir=tmp_path)
    assert r.status == "failed" and "did you mean 洛阳市统计局?" in r.error
    r = run.run_brief(2021, bureau="洛阳市统计局", data_dir=clean_dir, out_dir=tmp_path)
    assert r.error == "ParameterError: no report for 洛阳市统计局 in 2021 (years with a report: 2020)"
    assert not (Path(r.out_dir) / "brief.ipynb").exists()  # no kernel was started


def test_failing_brief_reports_the_cell_error(
    clean_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "check_subject", lambda *a, **k: None)  # let the notebook itself fail
    r = run.run_brief(2024, bureau="不存在的单位", data_dir=clean_dir, out_dir=tmp_path)
    assert r.status == "failed"
    assert "ParameterError: unknown bureau 不存在的单位" in r.error
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
