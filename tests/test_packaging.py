"""Every data file the package reads at run time ships in the wheel (pyproject's package-data)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analysis"
NOT_SHIPPED = {"briefs/jupytext.toml"}  # pairs the brief notebook in a checkout; not read by the package


def test_every_data_file_of_the_package_is_package_data() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["analysis"]
    data = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert "corpus/narrative_figures.csv" in data  # the walk sees the corpus checks' wordings
    missing = [f for f in data if f not in NOT_SHIPPED and not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert missing == []
