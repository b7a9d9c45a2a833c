"""The clean tables are never damaged: killed runs, failed schema checks, crashed or hanging readers."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import ingest as ingest_module
from analysis import store
from analysis.ingest import ingest_folder
from analysis.model.codes import TABLES
from analysis.store import StoreError, load_all, load_table

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "2020_luoyang-tongjiju.txt"
ENV = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}


def _snapshot(clean: Path) -> dict[str, bytes]:
    """Every file a reader of data/clean/<table>.parquet sees (a table's partition files)."""
    out = {}
    for p in sorted(clean.iterdir()):
        if p.suffix == ".parquet":
            files = [p] if p.is_file() else sorted(f for f in p.rglob("*.parquet") if f.is_file())
            out.update({str(f.relative_to(clean)): f.read_bytes() for f in files})
    assert out
    return out


def _store_with_seed(tmp_path: Path) -> Path:
    raw = tmp_path / "first"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    clean = tmp_path / "clean"
    ingest_folder(raw, clean, jobs=1, progress=False)
    return clean


def _many_reports(tmp_path: Path) -> Path:
    raw = tmp_path / "more"
    raw.mkdir()
    for name in (
        "2019_pingtan-zongheshiyanqu.html",
        "2021_pingtan-zongheshiyanqu.html",
        "2023_hongze-quzhengfu.pdf",
        "2024_huaian-shizhengfu.pdf",
        "2025_pingtan-zongheshiyanqu.html",
    ):
        shutil.copy(FIXTURES / name, raw / name)
    return raw


# the real CLI, with the store paused after staging three tables: the moment a kill does most harm
PAUSED_INGEST = """
import sys, time
import analysis.store.write as st
from analysis.__main__ import main
stage, n = st._stage_part, []
def paused(df, folder, *args, **kwargs):
    stage(df, folder, *args, **kwargs)
    n.append(folder)
    if len(n) == 3:
        print("STAGED", flush=True)
        time.sleep(600)
st._stage_part = paused
sys.exit(main(sys.argv[1:]))
"""


def test_a_run_killed_while_writing_leaves_the_previous_tables(tmp_path: Path) -> None:
    clean = _store_with_seed(tmp_path)
    before = _snapshot(clean)
    raw = _many_reports(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PAUSED_INGEST,
            "ingest",
            str(raw),
            "--out",
            str(clean),
            "--quiet",
            "--jobs",
            "1",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=ROOT,
    )
    try:
        assert proc.stdout.readline().strip() == "STAGED"
        assert len(list(clean.glob(".*.tmp/*.parquet/year=*"))) == 3  # new partitions were being written…
    finally:
        proc.kill()
        proc.wait()
    assert _snapshot(clean) == before  # …but none replaced the old ones
    tables = load_all(clean)  # loads and validates
    assert tables["reports"]["bureau"].tolist() == ["洛阳市统计局"]
    assert len(tables["requests"]) == 23 * 7
    # the next run clears the half-written files and completes
    summary = ingest_folder(raw, clean, jobs=1, progress=False)
    assert not list(clean.glob(".*.tmp"))
    assert len(load_table("reports", clean)) == 1 + len(summary.statuses)


def test_runs_killed_at_random_moments_never_leave_a_broken_store(tmp_path: Path) -> None:
    clean = _store_with_seed(tmp_path)
    raw = _many_reports(tmp_path)
    for delay in (0.5, 1.5, 2.5, 3.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "analysis", "ingest", str(raw), "--out", str(clean), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=ENV,
            cwd=ROOT,
        )
        time.sleep(delay)
        proc.kill()
        proc.wait()
        tables = load_all(clean)  # every table loads and passes its schema
        ids = set(tables["reports"]["report_id"])
        for name in TABLES[1:]:
            assert set(tables[name]["report_id"]) <= ids, name
        assert "洛阳市统计局" in set(tables["reports"]["bureau"])  # nothing already stored is lost


# the real CLI, with one file that takes its time: Ctrl-C arrives while reports are being read
SLOW_INGEST = """
import signal, sys, time
import analysis.ingest as ing
from analysis.__main__ import main
# as in a terminal: a test runner started in the background (nohup, &) passes SIGINT on as ignored
signal.signal(signal.SIGINT, signal.default_int_handler)
real = ing.extract_report
def slow(path):
    if path.name.startswith("2025"):
        print("READING", flush=True)
        time.sleep(600)
    return real(path)
ing.extract_report = slow
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_writes_nothing_and_says_so(tmp_path: Path) -> None:
    clean = _store_with_seed(tmp_path)
    before = _snapshot(clean)
    raw = _many_reports(tmp_path)
    cmd = [sys.executable, "-c", SLOW_INGEST, "ingest", str(raw), "--out", str(clean), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
    assert proc.stdout.readline().strip() == "READING"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert (
        err.strip().splitlines()[-1] == f"interrupted: nothing written, the tables in {clean}/ are unchanged"
    )
    assert "Traceback" not in err
    assert _snapshot(clean) == before


def test_a_table_failing_its_schema_is_not_written(tmp_path: Path) -> None:
    clean = _store_with_seed(tmp_path)
    before = _snapshot(clean)
    frames = {t: load_table(t, clean) for t in TABLES}
    reviews = frames["reviews_litigation"].copy()
    reviews["report_id"] = "f" * 16  # a new report with an impossible count
    reviews.loc[reviews.index[0], "value"] = -3
    reports = frames["reports"].assign(report_id="f" * 16, source_path="other.txt")
    with pytest.raises(StoreError) as err:
        store.save({"reports": reports, "reviews_litigation": reviews}, clean)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{clean / 'reviews_litigation.parquet'}: schema check failed")
    assert "nothing written" in msg and "value: greater_than_or_equal_to(0)" in msg and "-3" in msg
    assert _snapshot(clean) == before and not list(clean.glob(".*.tmp"))


def test_a_report_failing_the_schema_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest_module.extract_report

    def rank_zero(path: Path):  # noqa: ANN202
        rep = real(path)
        if "pingtan" in Path(path).name:  # a ranking "第0名" would break the schema's rank >= 1
            rep.rankings = [{**r, "rank": 0} for r in rep.rankings] or [
                {**rep.requests[0], "list_name": "x", "platform": "wechat", "rank": 0, "rank_kind": "exact"}
            ]
        return rep

    monkeypatch.setattr(ingest_module, "extract_report", rank_zero)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    shutil.copy(FIXTURES / "2025_pingtan-zongheshiyanqu.html", raw / "2025_pingtan.html")
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    bad = str(raw / "2025_pingtan.html")
    assert summary.statuses == {str(raw / SEED.name): "ok", bad: "failed"}
    assert (
        summary.failures[bad] == f"{bad}: schema check failed: rankings.rank greater_than_or_equal_to(1) (0)"
    )
    tables = load_all(tmp_path / "clean")
    by_path = tables["reports"].set_index("source_path")
    seed_id = by_path.loc[str(raw / SEED.name), "report_id"]
    failed = by_path.loc[bad]
    assert failed["parse_status"] == "failed"  # the same report (its bytes' id), now failed with the reason
    assert failed["report_id"] == hashlib.sha256(Path(bad).read_bytes()).hexdigest()[:16]
    assert len(tables["requests"]) == 23 * 7 and set(tables["rankings"]["report_id"]) == {seed_id}


def test_strict_exits_non_zero_when_anything_failed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    (raw / "empty.pdf").write_bytes(b"")

    def run(*extra: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "analysis", "ingest", str(raw), "--out", str(tmp_path / "c"), "--quiet"]
        return subprocess.run([*cmd, *extra], capture_output=True, text=True, env=ENV, cwd=ROOT)

    lenient = run()
    assert lenient.returncode == 0 and "2 files: 1 read, 0 partial, 1 failed" in lenient.stdout
    assert f"failed  {raw / 'empty.pdf'}: empty file" in lenient.stdout
    strict = run("--strict")
    assert strict.returncode == 1
    assert strict.stderr.strip() == "error: 1 of 2 files failed (--strict)"
    assert "Traceback" not in strict.stderr + lenient.stderr


def _dies_on_crash_txt(path: Path):  # noqa: ANN202 - stands in for a reader that segfaults
    if Path(path).name == "crash.txt":
        os._exit(139)
    return _REAL_EXTRACT(path)


_REAL_EXTRACT = ingest_module.extract_report


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the stand-in reader needs fork")
def test_a_reader_that_kills_its_process_fails_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "extract_report", _dies_on_crash_txt)
    raw = _many_reports(tmp_path)
    shutil.copy(SEED, raw / "crash.txt")
    summary = ingest_folder(raw, tmp_path / "clean", jobs=2, progress=False)
    crash = str(raw / "crash.txt")
    assert summary.failures == {crash: f"{crash}: the reader crashed on this file (its process died)"}
    assert sum(s != "failed" for s in summary.statuses.values()) == 5
    assert len(load_table("reports", tmp_path / "clean")) == 6


def test_a_file_that_takes_too_long_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest_module.extract_report

    def slow(path: Path):  # noqa: ANN202
        if Path(path).name == "slow.txt":
            time.sleep(30)
        return real(path)

    monkeypatch.setattr(ingest_module, "extract_report", slow)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    shutil.copy(SEED, raw / "slow.txt")
    (raw / "slow.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    started = time.monotonic()
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False, timeout=1)
    assert time.monotonic() - started < 20
    slow_path = str(raw / "slow.txt")
    assert summary.failures == {
        slow_path: f"{slow_path}: reading took longer than 1 s: skipped (see --timeout)"
    }
    assert summary.statuses[str(raw / SEED.name)] == "ok"


def test_raw_files_are_never_modified_or_moved(tmp_path: Path) -> None:
    raw = _many_reports(tmp_path)
    shutil.copy(FIXTURES / "bad" / "truncated.pdf", raw)
    shutil.copy(SEED, raw / "copy.txt")
    shutil.copy(SEED, raw / "copy2.txt")

    def state() -> dict[str, tuple[bytes, int]]:
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(raw.iterdir())}

    before = state()
    ingest_folder(raw, tmp_path / "clean", jobs=2, progress=False)
    ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert state() == before
    reports = load_table("reports", tmp_path / "clean")
    assert isinstance(reports, pd.DataFrame) and len(reports) == 7  # copy2.txt is copy.txt's bytes


def test_a_damaged_table_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    clean = _store_with_seed(tmp_path)
    damaged = clean / "reports.parquet" / "year=2020" / "part-0.parquet"
    damaged.write_bytes(damaged.read_bytes()[:200])  # cut short, as by a full disk
    before = _snapshot(clean)
    with pytest.raises(
        StoreError, match=r"reports\.parquet/year=2020/part-0\.parquet: damaged table, not readable"
    ):
        load_table("reports", clean)
    raw = _many_reports(tmp_path)
    for cmd in (
        ["ingest", str(raw), "--out", str(clean), "--quiet"],
        ["briefs", "--year", "2020", "--data", str(clean), "--out", str(tmp_path / "b")],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "analysis", *cmd], capture_output=True, text=True, env=ENV, cwd=ROOT
        )
        assert proc.returncode == 1, cmd
        (line,) = proc.stderr.strip().splitlines()
        assert line.startswith(f"error: {damaged}: damaged table") and "run ingest again" in line
    assert _snapshot(clean) == before  # the rows it still holds are not thrown away by a merge


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes as a name")
def test_file_names_in_gbk_are_stored_readably(tmp_path: Path) -> None:
    """Windows zips unzipped on Linux give GBK file names that are not UTF-8: the batch must not stop at
    writing them, and the names are shown decoded."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, os.fsencode(raw) + "/洛阳年报.txt".encode("gbk"))
    (Path(os.fsdecode(os.fsencode(raw) + "/损坏.pdf".encode("gbk")))).write_bytes(b"junk")
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert summary.statuses == {str(raw / "洛阳年报.txt"): "ok", str(raw / "损坏.pdf"): "failed"}
    assert summary.failures[str(raw / "损坏.pdf")] == f"{raw / '损坏.pdf'}: not a PDF file (no %PDF header)"
    reports = load_table("reports", tmp_path / "clean")
    assert sorted(reports["source_path"]) == [str(raw / "损坏.pdf"), str(raw / "洛阳年报.txt")]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "extract",
            os.fsdecode(os.fsencode(raw) + "/损坏.pdf".encode("gbk")),
        ],
        capture_output=True,
        env={**ENV, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr.decode("utf-8").strip() == f"error: {raw / '损坏.pdf'}: not a PDF file (no %PDF header)"
    )


# the real CLI on a disk that fills up while the third table is being written
FULL_DISK_INGEST = """
import errno, sys
import pandas as pd
from analysis.__main__ import main
write, calls = pd.DataFrame.to_parquet, []
def full(self, path, *args, **kwargs):
    calls.append(path)
    if len(calls) == 3:
        open(path, "wb").write(b"PAR1 half")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    return write(self, path, *args, **kwargs)
pd.DataFrame.to_parquet = full
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_leaves_the_old_tables_and_says_so(tmp_path: Path) -> None:
    clean = _store_with_seed(tmp_path)
    before = _snapshot(clean)
    raw = _many_reports(tmp_path)
    cmd = [sys.executable, "-c", FULL_DISK_INGEST, "ingest", str(raw), "--out", str(clean), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"error: {clean}/.") and line.endswith(
        ": tables not written (No space left on device); the old ones are unchanged"
    )
    assert _snapshot(clean) == before and not list(clean.glob(".*.tmp"))
    assert len(load_all(clean)["requests"]) == 23 * 7


def test_an_output_folder_that_cannot_be_one_fails_before_reading(tmp_path: Path) -> None:
    taken = tmp_path / "clean"
    taken.write_text("not a folder")
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "ingest", str(FIXTURES / "bad"), "--out", str(taken)],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
    )
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == f"error: {taken}: cannot hold the tables (File exists)"
