"""The store is replaced whole: a save killed at any step of the write leaves all old tables or all new ones."""

from __future__ import annotations

import ast
import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis import store
from analysis.ingest import process_file, reports_to_frames
from analysis.model.codes import TABLES
from analysis.store import load as load_module
from analysis.store import load_all
from analysis.store import write as write_module

FIXTURES = Path(__file__).parents[1] / "fixtures"
OLD = FIXTURES / "2020_luoyang-tongjiju.txt"
NEW = FIXTURES / "2025_pingtan-zongheshiyanqu.html"

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the killed writer is a forked child"
)


def _steps_in_code() -> set[str]:
    """Every step the writer names (``_reached("…")`` in store/write.py): a step added there is killed too."""
    tree = ast.parse(Path(write_module.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_reached"
        and isinstance(node.args[0], ast.Constant)
    }


def _direct(clean: Path) -> dict[str, pd.DataFrame]:
    """The tables as someone reading data/clean/<table>.parquet with pandas (or DuckDB) sees them."""
    return {t: pd.read_parquet(clean / f"{t}.parquet") for t in TABLES}


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    return all(a[t].equals(b[t]) for t in TABLES)


def _generation_store(root: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """A store written by two saves of the old reports: its next save removes a generation too."""
    clean = root / "generations"
    store.save(frames, clean)
    store.save(frames, clean)
    return clean


def _flat_store(root: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """A store in the layout written before generations: data/clean/<table>.parquet files, plus the
    temporary file an old writer left when it was killed."""
    made = load_all(_generation_store(root / "made", frames))
    clean = root / "flat"
    clean.mkdir()
    for t in TABLES:  # as the writer of that layout made them: one whole file per table
        made[t].to_parquet(clean / f"{t}.parquet", index=False)
    (clean / ".requests.parquet.k3j2h1.tmp").write_bytes(b"PAR1 half")
    return clean


@pytest.fixture(scope="module")
def batches() -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """The old store's reports and the batch a run adds, read from real documents."""
    return reports_to_frames([process_file(OLD)]), reports_to_frames([process_file(NEW)])


def _save_killed_at(clean: Path, frames: dict[str, pd.DataFrame], k: int) -> int:
    """Save ``frames`` in a child process that dies (os._exit(9)) at the k-th step it reaches; its exit code."""

    def run() -> None:
        reached = iter(range(k + 1))

        def die_at_k(step: str, detail: str = "") -> None:
            if next(reached) == k:
                os._exit(9)

        write_module._reached = die_at_k
        store.save(frames, clean)

    proc = multiprocessing.get_context("fork").Process(target=run)
    proc.start()
    proc.join(120)
    return proc.exitcode


def _recorded(clean: Path, frames: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    steps: list[str] = []
    monkeypatch.setattr(write_module, "_reached", lambda step, detail="": steps.append(f"{step} {detail}"))
    store.save(frames, clean)
    monkeypatch.undo()
    return steps


def _is_tidy(clean: Path) -> None:
    """After a whole save: nothing unfinished, the current generation and at most the one before it."""
    names = sorted(p.name for p in clean.iterdir())
    assert not [n for n in names if n.endswith(".tmp")], names
    gens = [n for n in names if n.startswith("gen-")]
    assert 1 <= len(gens) <= 2 and (clean / "CURRENT").read_text().strip() == gens[-1], names
    assert os.readlink(clean / "current") == gens[-1]
    assert all(os.readlink(clean / f"{t}.parquet") == f"current/{t}.parquet" for t in TABLES)


@pytest.mark.parametrize("layout", [_generation_store, _flat_store], ids=["generations", "old-flat-layout"])
def test_a_save_killed_at_every_step_leaves_old_or_new_tables_whole(
    layout: Callable[[Path, dict[str, pd.DataFrame]], Path],
    batches: tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_frames, new_frames = batches
    template = layout(tmp_path / "template", old_frames)
    old, old_direct = load_all(template), _direct(template)
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    steps = _recorded(reference, new_frames, monkeypatch)
    new, new_direct = load_all(reference), _direct(reference)
    assert len(new["reports"]) == 2 and not _same(old, new)
    missed = _steps_in_code() - {s.split(" ")[0] for s in steps}
    if layout is _flat_store:  # the two layouts together reach every step the writer names
        missed -= {
            s.split(" ")[0]
            for s in _recorded(_generation_store(tmp_path / "g", old_frames), new_frames, monkeypatch)
        }
        assert not missed, f"steps of the write no kill reaches: {missed}"
    for k, step in enumerate(steps):
        clean = tmp_path / f"killed-{k}"
        shutil.copytree(template, clean, symlinks=True)
        assert _save_killed_at(clean, new_frames, k) == 9, f"the writer did not reach step {k} ({step})"
        tables = load_all(clean)  # every table loads and passes its schema
        assert _same(tables, old) or _same(tables, new), f"killed at {step!r}: a mix of two runs"
        direct = _direct(clean)
        assert _same(direct, old_direct) or _same(direct, new_direct), f"killed at {step!r}: files mixed"
        store.save(new_frames, clean)  # the next run completes and clears what the killed one left
        assert _same(load_all(clean), new), step
        _is_tidy(clean)
        shutil.rmtree(clean)


def test_a_store_in_the_old_flat_layout_loads_and_its_first_save_migrates_it(
    batches: tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]], tmp_path: Path
) -> None:
    old_frames, new_frames = batches
    clean = _flat_store(tmp_path, old_frames)
    before = load_all(clean)
    assert before["reports"]["bureau"].tolist() == ["洛阳市统计局"] and len(before["requests"]) == 23 * 7
    counts = store.save(new_frames, clean)
    assert counts["reports"] == 2 and counts["requests"] == 23 * 7 + 25 * 7
    _is_tidy(clean)
    # the old tables are the previous generation, kept for a reader still reading them
    assert sorted(p.name for p in clean.glob("gen-*")) == ["gen-000001", "gen-000002"]
    assert _same(load_all(clean / "gen-000001"), before)
    assert sorted(load_all(clean)["reports"]["bureau"]) == sorted(
        ["洛阳市统计局", *new_frames["reports"]["bureau"]]
    )


def test_a_load_reads_one_generation_while_saves_replace_and_remove_it(
    batches: tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_frames, new_frames = batches
    clean = tmp_path / "clean"
    store.save(old_frames, clean)
    old = load_all(clean)
    real, saved = load_module._read_table, []

    def read_then_two_saves(table: str, *args: object, **kwargs: object) -> pd.DataFrame:
        if not saved:  # after the first table: two runs finish, the second removes this generation
            saved.append("saving")  # the saves read the old tables through this function too
            saved.append(store.save(new_frames, clean))
            saved.append(store.save(new_frames, clean))
            assert not (clean / "gen-000001").exists()
        return real(table, *args, **kwargs)

    monkeypatch.setattr(load_module, "_read_table", read_then_two_saves)
    assert _same(load_all(clean), old)
    monkeypatch.undo()
    assert len(load_all(clean)["reports"]) == 2
