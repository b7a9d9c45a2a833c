"""JupyterLab without traps: one entry per notebook (the paired .py hidden), the project's kernel, `make lab`
as root with extra flags, and a notebook saved after a run committed without its outputs (the nbstripout
git filter `make setup` installs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "mk" / "lab"


def test_the_file_browser_shows_one_notebook_per_pair() -> None:
    hidden = json.loads((LAB / "jupyter_server_config.json").read_text())["ContentsManager"]["hide_globs"]
    shown = sorted(
        p.name for p in (ROOT / "notebooks").iterdir() if not any(fnmatch(p.name, g) for g in hidden)
    )
    pairs = sorted(p.with_suffix(".ipynb").name for p in (ROOT / "notebooks").glob("*.py"))
    assert shown == pairs and len(pairs) >= 5
    settings = json.loads((LAB / "overrides.json").read_text())
    assert (
        settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]["python"] == "Jupytext Notebook"
    )
    assert settings["@jupyterlab/filebrowser-extension:browser"]["showLastModifiedColumn"] is False


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_lab_passes_flags_and_allows_root() -> None:
    proc = subprocess.run(
        ["make", "-n", "-B", "lab", "LAB_ARGS=--no-browser --port 8899"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    line = next(ln for ln in proc.stdout.splitlines() if "jupyter lab" in ln)
    assert "--notebook-dir=notebooks" in line and line.endswith("--no-browser --port 8899")
    assert ("--allow-root" in line) == (os.getuid() == 0)
    assert "ipykernel install --sys-prefix --name govreport" in proc.stdout


@pytest.mark.skipif(not (shutil.which("make") and shutil.which("git")), reason="needs make and git")
def test_a_notebook_saved_after_a_run_is_committed_without_outputs(tmp_path: Path) -> None:
    pytest.importorskip("nbstripout")
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    shutil.copy(ROOT / ".gitattributes", repo)
    shutil.copy(ROOT / "notebooks" / "rankings.ipynb", repo)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "stripped"], check=True)
    make = ["make", "-s", "-f", str(ROOT / "mk" / "lab.mk"), "-C", str(repo), "git-filter"]
    subprocess.run([*make, f"PY={sys.executable}"], check=True, capture_output=True)
    nb = nbformat.read(str(repo / "rankings.ipynb"), as_version=4)  # as JupyterLab saves it after a run
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3119\n")]
    code.execution_count = 1
    nb.metadata["language_info"] = {"name": "python", "version": "3.11"}
    nbformat.write(nb, str(repo / "rankings.ipynb"))
    subprocess.run([*git, "add", "rankings.ipynb"], check=True)
    staged = subprocess.run([*git, "diff", "--cached", "--stat"], capture_output=True, text=True).stdout
    assert staged == ""  # nothing to commit: the outputs never reach git
    assert "3119" in (repo / "rankings.ipynb").read_text(encoding="utf-8")  # the analyst keeps them
