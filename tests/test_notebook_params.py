"""Misuse fails loudly: every notebook checks its parameters at the top (``views.check_parameters``), so a
misspelled bureau, region or year, or a parameter name the notebook does not declare, ends a plain
``papermill`` run with a non-zero exit and a one-line error naming the closest names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import store, views

sys.path.insert(0, str(Path(__file__).parent))
from test_notebooks import NOTEBOOKS, path_of  # noqa: E402

# the notebooks that take a bureau (or a list of them), and the parameter that names it
BUREAU_PARAMETER = {
    "release_volumes": "bureau",
    "request_outcomes": "bureaus",
    "rankings": "bureaus",
    "review_litigation": "bureaus",
    "yearly_brief": "bureau",
}


def papermill(name: str, tmp_path: Path, *params: str) -> subprocess.CompletedProcess:
    """``papermill NOTEBOOK OUT -p …`` exactly as an analyst types it (python3 kernel: the test venv's)."""
    args = [a for i in range(0, len(params), 2) for a in ("-p", params[i], params[i + 1])]
    cmd = [
        Path(sys.executable).parent / "papermill",
        path_of(name),
        tmp_path / f"{name}.ipynb",
        "-k",
        "python3",
    ]
    return subprocess.run(
        [str(c) for c in cmd] + args, capture_output=True, text=True, encoding="utf-8", cwd=tmp_path
    )


@pytest.fixture(scope="module")
def reports(clean_dir: Path):
    return store.load_tables(clean_dir, tables=["reports"])["reports"]


@pytest.mark.parametrize("name", sorted(BUREAU_PARAMETER))
def test_a_misspelled_bureau_stops_a_papermill_run(name: str, clean_dir: Path, tmp_path: Path) -> None:
    proc = papermill(name, tmp_path, BUREAU_PARAMETER[name], "淮安人民政府", "data_dir", str(clean_dir))
    assert proc.returncode != 0
    assert (
        "ParameterError: unknown bureau 淮安人民政府: did you mean 淮安市人民政府 or 淮安市洪泽区人民政府?"
        in proc.stderr
    ), proc.stderr[-2000:]
    assert "平潭综合实验区" in proc.stderr  # what the store holds


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_an_unknown_parameter_name_stops_a_papermill_run(name: str, clean_dir: Path, tmp_path: Path) -> None:
    proc = papermill(name, tmp_path, "buraeus", "淮安市人民政府", "data_dir", str(clean_dir))
    assert proc.returncode != 0
    hint = {
        "release_volumes": "did you mean bureaus or bureau? ",
        "yearly_brief": "did you mean bureau? ",
        "data_quality": "",
    }.get(name, "did you mean bureaus? ")
    assert f"ParameterError: unknown parameter buraeus: {hint}this notebook declares " in proc.stderr, (
        proc.stderr[-2000:]
    )
    assert "data_dir" in proc.stderr.rsplit("ParameterError", 1)[1]


def test_unknown_bureau_suggests_the_closest_names(reports) -> None:  # noqa: ANN001
    with pytest.raises(
        views.ParameterError, match=r"^unknown bureau 洛阳统计局: did you mean 洛阳市统计局\? "
    ):
        views.check_parameters(reports, bureau="洛阳统计局")
    with pytest.raises(views.ParameterError, match="unknown bureau 平潭实验区: did you mean 平潭综合实验区"):
        views.check_parameters(reports, bureaus=["淮安市人民政府", "平潭实验区"])
    with pytest.raises(views.ParameterError, match=r"^unknown region 淮按市: did you mean 江苏省淮安市\?"):
        views.check_parameters(reports, region="淮按市")
    # the names in sorted order, the first views.params.SHOWN of them, and how many there are in all
    n = reports["bureau"].nunique()
    with pytest.raises(
        views.ParameterError,
        match=rf"^unknown bureau 某某局: the store holds 平潭综合实验区, 平潭综合实验区交通与建设局, .* \({n} in all\)$",
    ):
        views.check_parameters(reports, bureau="某某局")


def test_a_year_without_a_report_names_the_years_there_are(reports) -> None:  # noqa: ANN001
    msg = "no report for 洛阳市统计局 in 2021 (years with a report: 2020)"
    with pytest.raises(views.ParameterError, match=msg.replace("(", r"\(").replace(")", r"\)")):
        views.check_parameters(reports, bureau="洛阳市统计局", year=2021)
    with pytest.raises(views.ParameterError, match="year must be a whole number like 2024, not '2024'"):
        views.check_parameters(reports, bureau="淮安市人民政府", year="2024")
    views.check_parameters(reports, region="淮安市", year=2024)  # 江苏省淮安市: a suffix names the region
    views.check_parameters(reports, bureaus=["平潭综合实验区"], year=2025)


def test_an_empty_selection_is_an_error(reports) -> None:  # noqa: ANN001
    with pytest.raises(views.ParameterError, match="bureau 洛阳市统计局 is not among bureaus 淮安市人民政府"):
        views.check_parameters(reports, bureaus=["淮安市人民政府"], bureau="洛阳市统计局")
    with pytest.raises(views.ParameterError, match="the store holds no report"):
        views.check_parameters(reports.iloc[:0])
    failed = reports.assign(parse_status="failed")
    with pytest.raises(views.ParameterError, match="no readable report"):
        views.check_parameters(failed)
    views.check_parameters(failed, need_readable=False)  # the data-quality notebook lists failed reports
