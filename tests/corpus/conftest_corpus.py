"""A store of real reports for the checks across reports: the bundled 平潭综合实验区 series (2019,
2020, 2021, 2023, 2025), a department series from the archive and the 2011 平潭 pair."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
FILES = [
    ROOT / "data" / "raw" / "2019_pingtan-zongheshiyanqu.html",
    ROOT / "data" / "raw" / "2020_pingtan-zongheshiyanqu.html",
    ROOT / "data" / "raw" / "2021_pingtan-zongheshiyanqu.html",
    ROOT / "data" / "raw" / "2023_pingtan-zongheshiyanqu.txt",
    ROOT / "data" / "raw" / "2025_pingtan-zongheshiyanqu.html",
    ROOT / "data" / "raw" / "2023_hongze-quzhengfu.pdf",
    FIX / "extra" / "2022_pingtan-jingjifazhanju-flat.txt",
    *sorted((FIX / "corpus").glob("*.txt")),
]


def ingest(files: list[Path], out: Path, raw: Path) -> dict[str, pd.DataFrame]:
    """Copy ``files`` into ``raw`` and ingest them into the store ``out``; the store's tables."""
    from analysis import store
    from analysis.ingest import ingest_folder

    raw.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, raw / f.name)
    ingest_folder(raw, out, jobs=1, progress=False)
    return store.load_all(out)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of these reports, ingested once."""
    base = tmp_path_factory.mktemp("corpus")
    ingest(FILES, base / "clean", base / "raw")
    return base / "clean"


@pytest.fixture(scope="session")
def corpus_tables(corpus_dir: Path) -> dict[str, pd.DataFrame]:
    from analysis import store

    return store.load_all(corpus_dir)


def issues_of(tables: dict[str, pd.DataFrame], check: str, bureau: str, year: int) -> pd.DataFrame:
    """The issues of one check on one bureau-year."""
    i = tables["issues"]
    return i[(i["check"] == check) & (i["bureau"] == bureau) & (i["year"] == year)]


@pytest.fixture(scope="session")
def found():  # noqa: ANN201
    """``found(tables, check, bureau, year)``: the issues of one check on one bureau-year."""
    return issues_of
