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


# ---------------------------------------------------------------- what the store already has is not read again

FIXTURES = Path(__file__).parent / "fixtures"
FIRST = ("2020_luoyang-tongjiju.txt", "2025_pingtan-zongheshiyanqu.html", "2012_pingtan-xianzhengfu.txt")
LATER = ("2019_pingtan-zongheshiyanqu.html", "2013_pingtan-dishuiju.txt")


def _folder(tmp_path: Path, names: tuple[str, ...]) -> Path:
    import shutil

    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, raw / name)
    return raw


def _files(clean: Path) -> dict[str, bytes]:
    """Every file of a store (whatever its layout), by its path inside the store; not the files'
    remembered hashes beside it (``ingest.hashes``: a cache, whose times a run may bring up to date)."""
    from analysis.ingest.hashes import FILE

    return {
        str(p.relative_to(clean)): p.read_bytes()
        for p in sorted(clean.rglob("*"))
        if p.is_file() and p.name != FILE
    }


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files ingest reads (jobs=1: in this process)."""
    from analysis import ingest

    seen: list[str] = []
    real = ingest.extract_report

    def counted(path: Path):  # noqa: ANN202
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(ingest, "extract_report", counted)
    return seen


def _same_tables(a: Path, b: Path) -> None:
    import pandas as pd

    from analysis.store import load_all

    left, right = load_all(a), load_all(b)
    assert set(left) == set(right)
    for table, df in left.items():
        pd.testing.assert_frame_equal(df, right[table], obj=table)


def test_a_second_run_reads_nothing_and_writes_nothing(tmp_path: Path, reads: list[str]) -> None:
    from analysis.ingest import ingest_folder

    raw, clean = _folder(tmp_path, FIRST), tmp_path / "clean"
    first = ingest_folder(raw, clean, jobs=1, progress=False)
    assert sorted(reads) == sorted(FIRST) and first.counts["reports"] == 3
    before = _files(clean)
    reads.clear()
    second = ingest_folder(raw, clean, jobs=1, progress=False)
    assert reads == [] and second.statuses == {} and second.counts == {}
    assert second.unchanged == {str(raw / n): "ok" for n in sorted(FIRST)}
    assert second.text().splitlines()[0] == (
        "3 files: 0 read, 0 partial, 0 failed, 3 skipped as unchanged (already in the store)"
    )
    assert _files(clean) == before  # not one byte of the store rewritten


def _hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files whose bytes ingest reads to hash them (``sources.sha256_source``)."""
    from analysis.ingest import executors

    seen: list[str] = []
    real = executors.sha256_source

    def counted(source: str) -> str | None:
        seen.append(Path(source).name)
        return real(source)

    monkeypatch.setattr(executors, "sha256_source", counted)
    return seen


def test_a_run_over_an_unchanged_folder_hashes_no_file_again(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file's hash is remembered with its size and times: the next run stats the files instead of
    reading them; a file written since (new bytes, new change time) is hashed and read again, and a file
    changed just before it was hashed is hashed again the next time."""
    import os

    from analysis.ingest import hashes, ingest_folder

    raw, clean = _folder(tmp_path, FIRST), tmp_path / "clean"
    hashed = _hashed(monkeypatch)
    monkeypatch.setattr(hashes, "MARGIN_NS", 0)  # (files made a moment ago count as settled)
    ingest_folder(raw, clean, jobs=1, progress=False)
    assert sorted(hashed) == sorted(FIRST) and (clean / hashes.FILE).is_file()
    hashed.clear()
    second = ingest_folder(raw, clean, jobs=1, progress=False)
    assert hashed == [] and len(second.unchanged) == 3
    changed = raw / "2012_pingtan-xianzhengfu.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n附：本报告如有更正，以网站为准。\n", encoding="utf-8"
    )
    reads.clear()
    third = ingest_folder(raw, clean, jobs=1, progress=False)
    assert hashed == [changed.name] and reads == [changed.name] and len(third.unchanged) == 2
    hashed.clear()
    ingest_folder(raw, clean, jobs=1, progress=False, force=True)  # --force hashes every file again
    assert sorted(hashed) == sorted(FIRST)
    monkeypatch.setattr(hashes, "MARGIN_NS", 10**18)  # every file changed "just before" its hashing
    hashed.clear()
    ingest_folder(raw, clean, jobs=1, progress=False)
    assert sorted(hashed) == sorted(FIRST)
    os.truncate(clean / hashes.FILE, 10)  # a damaged cache: every file hashed, nothing else changes
    monkeypatch.setattr(hashes, "MARGIN_NS", 0)
    hashed.clear()
    assert len(ingest_folder(raw, clean, jobs=1, progress=False).unchanged) == 3
    assert sorted(hashed) == sorted(FIRST)


def test_adding_files_reads_only_those_and_gives_the_tables_of_a_full_run(
    tmp_path: Path, reads: list[str]
) -> None:
    from analysis.ingest import ingest_folder

    raw, clean = _folder(tmp_path, FIRST), tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    _folder(tmp_path, LATER)
    reads.clear()
    summary = ingest_folder(raw, clean, jobs=1, progress=False)
    assert sorted(reads) == sorted(LATER)
    assert list(summary.statuses) == [str(raw / n) for n in sorted(LATER)]
    assert len(summary.unchanged) == 3 and summary.counts["reports"] == 5
    ingest_folder(raw, tmp_path / "whole", jobs=1, progress=False)  # all five at once, a fresh store
    _same_tables(clean, tmp_path / "whole")


def test_force_reads_everything_again(tmp_path: Path, reads: list[str]) -> None:
    import shutil

    from analysis.ingest import ingest_folder

    raw, clean = _folder(tmp_path, FIRST), tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    shutil.copytree(clean, tmp_path / "before", symlinks=True)
    reads.clear()
    summary = ingest_folder(raw, clean, jobs=1, progress=False, force=True)
    assert sorted(reads) == sorted(FIRST) and summary.unchanged == {} and summary.counts["reports"] == 3
    _same_tables(clean, tmp_path / "before")


def test_a_moved_file_records_its_new_path_without_being_read(tmp_path: Path, reads: list[str]) -> None:
    """Same bytes under a new name (the year in the name kept): the stored report takes the new path,
    and the tables are those of a fresh run over the renamed folder."""
    from analysis.ingest import ingest_folder

    raw, clean = _folder(tmp_path, FIRST), tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    (raw / "2020_luoyang-tongjiju.txt").rename(raw / "2020_moved.txt")
    reads.clear()
    summary = ingest_folder(raw, clean, jobs=1, progress=False)
    assert reads == []
    moved = str(raw / "2020_moved.txt")
    assert summary.moved == {moved: str(raw / "2020_luoyang-tongjiju.txt")} and len(summary.unchanged) == 2
    assert "not read again, its path recorded" in summary.text()
    ingest_folder(raw, tmp_path / "fresh", jobs=1, progress=False)
    _same_tables(clean, tmp_path / "fresh")


def test_a_moved_folder_is_carried_a_few_reports_at_a_time(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole folder moved: every stored report is read back from the store a bounded number at a
    time (here one: ``plan.CARRY_AT``), not the whole store at once; nothing is read; the tables are
    those of a fresh run over the moved folder; and the summary lists the first moves, then counts."""
    import shutil
    from importlib import import_module

    from analysis import ingest
    from analysis.ingest import ingest_folder

    plan = import_module("analysis.ingest.plan")  # the module (the package exports its function plan)

    raw, clean = _folder(tmp_path, (*FIRST, *LATER)), tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    moved = tmp_path / "moved"
    shutil.move(raw, moved)
    loaded: list[int] = []
    real = plan.load_tables

    def counting(*args, report_ids, **kwargs):  # noqa: ANN002, ANN003, ANN202
        loaded.append(len(report_ids))
        return real(*args, report_ids=report_ids, **kwargs)

    monkeypatch.setattr(plan, "CARRY_AT", 1)
    monkeypatch.setattr(plan, "load_tables", counting)
    monkeypatch.setattr(ingest, "LISTED", 2)
    reads.clear()
    summary = ingest_folder(moved, clean, jobs=1, progress=False)
    assert reads == [] and loaded == [1] * 5
    assert summary.moved == {str(moved / n): str(raw / n) for n in sorted((*FIRST, *LATER))}
    lines = summary.text().splitlines()
    assert lines[0] == "5 files: 0 read, 0 partial, 0 failed, 5 moved (stored under another path)"
    assert [ln.split(":")[0] for ln in lines[1:4]] == [
        f"  moved   {moved / '2012_pingtan-xianzhengfu.txt'}",
        f"  moved   {moved / '2013_pingtan-dishuiju.txt'}",
        "  moved   … and 3 more files stored under another path (not read again, their paths recorded)",
    ]
    ingest_folder(moved, tmp_path / "fresh", jobs=1, progress=False)
    _same_tables(clean, tmp_path / "fresh")


def test_a_copy_whose_report_names_its_file_is_read_under_the_new_name(
    tmp_path: Path, reads: list[str]
) -> None:
    """A report whose year came from its file name says so naming the file: a renamed copy is read."""
    from analysis.ingest import ingest_folder

    raw = tmp_path / "raw"
    raw.mkdir()
    text = (FIXTURES / "2020_luoyang-tongjiju.txt").read_text(encoding="utf-8").replace("2020", "")
    (raw / "2020_a.txt").write_text(text, encoding="utf-8")
    clean = tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    (raw / "2020_a.txt").rename(raw / "2020_b.txt")
    reads.clear()
    summary = ingest_folder(raw, clean, jobs=1, progress=False)
    assert reads == ["2020_b.txt"] and summary.moved == {}
    ingest_folder(raw, tmp_path / "fresh", jobs=1, progress=False)
    _same_tables(clean, tmp_path / "fresh")


def test_the_command_line_says_how_many_were_skipped(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from analysis.cli import main

    raw, clean = _folder(tmp_path, FIRST[:2]), tmp_path / "clean"
    assert main(["ingest", str(raw), "--out", str(clean), "--quiet", "--jobs", "1"]) == 0
    capsys.readouterr()
    assert main(["ingest", str(raw), "--out", str(clean), "--quiet", "--jobs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 files: 0 read, 0 partial, 0 failed, 2 skipped as unchanged (already in the store)"
    assert out[-1] == f"tables in {clean}/ left as they were"
    assert main(["ingest", str(raw), "--out", str(clean), "--quiet", "--jobs", "1", "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2 files: 2 read, 0 partial, 0 failed"


def test_files_stored_by_an_earlier_reader_are_read_again(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each report records the reader that read it; after the reader changes (another fingerprint of
    model/, read/ and parse/), unchanged files are read again instead of skipped, and the run says so."""
    import analysis.ingest as ingest_module
    from analysis import store
    from analysis.cli import main
    from analysis.report import reader_version

    raw, clean = _folder(tmp_path, FIRST[:2]), tmp_path / "clean"
    assert main(["ingest", str(raw), "--out", str(clean), "--quiet", "--jobs", "1"]) == 0
    readers = store.load_table("reports", clean)["reader"]
    assert list(readers) == [reader_version()] * 2 and len(reader_version()) == 16
    capsys.readouterr()
    monkeypatch.setattr(ingest_module, "reader_version", lambda: "0123456789abcdef")
    assert main(["ingest", str(raw), "--out", str(clean), "--quiet", "--jobs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 files: 2 read, 0 partial, 0 failed"
    assert out[1] == "  read again: 2 files already stored, read by an earlier version of the reader"


def test_a_store_in_object_storage_is_refused_in_one_line(capsys: pytest.CaptureFixture) -> None:
    from analysis.cli import main

    assert main(["ingest", "data/raw", "--out", "s3://bucket/clean", "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(
        "error: s3://bucket/clean: the store must be a local or mounted"
    )


def test_reports_in_an_fsspec_file_system_are_read_under_their_urls(tmp_path: Path) -> None:
    """Sources given as URLs (here fsspec's in-memory file system) are fetched and stored under their
    URLs, with the same tables as the same files read from a folder."""
    fsspec = pytest.importorskip("fsspec")
    import pandas as pd

    from analysis.ingest import ingest_folder
    from analysis.store import load_all

    fs = fsspec.filesystem("memory")
    for name in FIRST[:2]:
        fs.pipe(f"/ingest-test/{name}", (FIXTURES / name).read_bytes())
    try:
        summary = ingest_folder("memory://ingest-test", tmp_path / "remote", jobs=1, progress=False)
    finally:
        fs.rm("/ingest-test", recursive=True)
    assert summary.statuses == {f"memory://ingest-test/{n}": "ok" for n in sorted(FIRST[:2])}
    raw = _folder(tmp_path, FIRST[:2])
    ingest_folder(raw, tmp_path / "local", jobs=1, progress=False)
    remote, here = load_all(tmp_path / "remote"), load_all(tmp_path / "local")
    assert list(remote["reports"]["source_path"]) == [
        p.replace(str(raw) + "/", "memory://ingest-test/") for p in here["reports"]["source_path"]
    ]
    for table, df in here.items():
        if table != "reports":
            pd.testing.assert_frame_equal(df, remote[table], obj=table)


def test_two_bodies_differing_only_in_a_number_stay_two_in_the_store(tmp_path: Path) -> None:
    """The 平潭 财政金融局 2020 report copied as two bodies whose names differ only in their number
    (第12分局 / 第13分局, 第一〇二五分局 / 第一〇二六分局): four bureaus of 2020, none taken for another's
    duplicate (the reader once cut such names to 分局 / 二五分局, and the store then kept one of each pair)."""
    from analysis.ingest import ingest_folder
    from analysis.store import load_table

    seed = Path(__file__).parent.parent / "data" / "raw" / "2020_pingtan-caizhengjinrongju.txt"
    text = seed.read_text(encoding="utf-8")
    names = [f"平潭综合实验区公安局第{n}分局" for n in ("12", "13", "一〇二五", "一〇二六")]
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, name in enumerate(names):
        (raw / f"2020_copy{i}.txt").write_text(
            text.replace("平潭综合实验区财政金融局", name), encoding="utf-8"
        )
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert set(summary.statuses.values()) == {"ok"}
    reports = load_table("reports", tmp_path / "clean")
    assert sorted(reports.bureau) == sorted(names)
    assert set(reports.year) == {2020} and reports.superseded_by.isna().all()
    issues = load_table("issues", tmp_path / "clean")
    assert "duplicate.bureau_year" not in set(issues.check)
    requests = load_table("requests", tmp_path / "clean")
    assert set(requests.bureau) == set(names)
