"""Shared fixtures: paths to the real documents, gold files and a built store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(
    0, str(Path(__file__).parent / "fixtures")
)  # make_fixtures: the builders of generated fixtures

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "2020_luoyang-tongjiju.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/raw ingested once into a temporary store, shared by the tests that read tables."""
    from analysis.ingest import ingest_folder

    out = tmp_path_factory.mktemp("clean")
    ingest_folder(ROOT / "data" / "raw", out, jobs=1, progress=False)
    return out
