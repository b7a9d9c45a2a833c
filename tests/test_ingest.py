"""A folder → Reports → store: what a reader hands on must be storable. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_lone_surrogates_from_a_reader_never_reach_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF whose font map was damaged gave text with a lone surrogate ('\\udfff'): extract passed, but
    Parquet refused the string and the whole ingest stopped. Readers' text is cleaned where it leaves them."""
    from analysis.ingest import ingest_folder
    from analysis.model.document import storable
    from analysis.read import text as read_text
    from analysis.store import load_table

    real = read_text.read

    def damaged(path: Path, data: bytes):  # noqa: ANN202 - what the damaged font map produced
        doc = real(path, data)
        doc.lines[2].cells = [doc.lines[2].cells[0] + "\udfff"]  # the first paragraph of section 1
        return doc

    monkeypatch.setattr(read_text, "read", damaged)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_bytes(
        (Path(__file__).parent / "fixtures" / "2020_luoyang-tongjiju.txt").read_bytes()
    )
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert summary.statuses == {str(raw / "seed.txt"): "ok"}
    sections = load_table("sections", tmp_path / "clean")
    assert "\ufffd" in sections[sections["section"] == 1]["text"].iloc[0]
    assert storable("x\udfff") == "x\ufffd"  # not a file-name escape either: replaced, never raised


def test_a_folders_provenance_notes_are_not_reports(tmp_path: Path) -> None:
    """data/raw/ keeps its SOURCES.md beside the reports: ingest reads the reports and skips the notes
    (a .md file is otherwise a report format), so the bundled folder ingests without a failure."""
    from analysis.ingest import find_reports, ingest_folder

    raw = tmp_path / "raw"
    raw.mkdir()
    seed = Path(__file__).parent / "fixtures" / "2020_luoyang-tongjiju.txt"
    (raw / "2020_luoyang-tongjiju.txt").write_bytes(seed.read_bytes())
    (raw / "SOURCES.md").write_text("# provenance\n\n| file | repo |\n|---|---|\n", encoding="utf-8")
    (raw / "README.md").write_text("notes\n", encoding="utf-8")
    assert find_reports(raw) == [raw / "2020_luoyang-tongjiju.txt"]
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert summary.statuses == {str(raw / "2020_luoyang-tongjiju.txt"): "ok"}


def test_the_bundled_folder_reads_without_a_failure() -> None:
    """Every bundled report is found (SOURCES.md is not) and its provenance row names it."""
    from analysis.ingest import find_reports

    raw = Path(__file__).parent.parent / "data" / "raw"
    files = find_reports(raw)
    sources = (raw / "SOURCES.md").read_text(encoding="utf-8")
    assert raw / "SOURCES.md" not in files
    missing = [p.name for p in files if f"| {p.name} |" not in sources]
    assert missing == []


def test_workers_default_to_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """ingest's and briefs' --jobs default: the CPUs of the process's affinity, not every core of the host."""
    import os

    from analysis import ingest

    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert ingest.available_cores() == 3
    monkeypatch.delattr(os, "sched_getaffinity")
    assert ingest.available_cores() == 64
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert ingest.available_cores() == 1


def test_the_junshan_and_suping_area_bureaus_read_as_printed(clean_dir: Path) -> None:
    """君山 and 苏平片区管理局 (data/raw, 2021–2024, added for issue 11's one-year comparison): one bureau name
    over the years, table 3 as printed, and 君山 2022's own mismatch kept as an error, never repaired."""
    from analysis import load

    reports = load("reports", data_dir=clean_dir)
    for short in ("君山", "苏平"):
        ours = reports[reports.source_path.str.contains("junshan" if short == "君山" else "suping")]
        assert set(ours.bureau) == {f"平潭综合实验区{short}片区管理局"}
        assert sorted(ours.year) == [2021, 2022, 2023, 2024]
        assert set(ours.parse_status) == {"ok"}
    req = load("requests", data_dir=clean_dir)
    total = req[req.applicant == "total"].set_index(["bureau", "year", "row"])["value"]
    js, sp = "平潭综合实验区君山片区管理局", "平潭综合实验区苏平片区管理局"
    assert [total[(js, 2024, r)] for r in ("new_received", "granted", "partially_granted")] == [5, 1, 2]
    assert total[(js, 2021, "new_received")] == 8  # cells printed with spaces: 5 0 0 0 0 3 8
    assert total[(sp, 2022, "partially_granted")] == 1 and total[(sp, 2023, "new_received")] == 0
    issues = load("issues", data_dir=clean_dir)
    own = issues[(issues.bureau == js) & (issues.year == 2022) & (issues.check == "table3.outcomes_sum")]
    assert len(own) == 3 and set(own.severity) == {"error"}
    assert total[(js, 2022, "unavailable.not_held")] == 5 and total[(js, 2022, "total_processed")] == 0
