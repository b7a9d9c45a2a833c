"""Shared by the brief tests: one yearly brief (淮安市人民政府 2024) made once from the bundled reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.briefs import files, run


@pytest.fixture(scope="session")
def huaian(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> files.BriefResult:
    out = tmp_path_factory.mktemp("reports")
    return run.run_brief(2024, bureau="淮安市人民政府", data_dir=clean_dir, out_dir=out)
