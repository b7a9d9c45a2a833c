"""Bad input never shows a traceback: a one-line reason naming the file, and a batch carries on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.document import ReadError
from analysis.ingest import ingest_folder
from analysis.report import extract_report
from analysis.store import load_table

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "fixtures" / "bad"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (BAD / "empty.txt", "empty file"),
        (BAD / "binary.txt", "binary file"),
        (BAD / "not_a_report.html", "not an information-disclosure annual report"),
        (BAD / "truncated.pdf", "damaged or truncated PDF"),
        (BAD / "encrypted.pdf", "PDF is encrypted (password protected)"),
        (BAD / "not_a_pdf.pdf", "not a PDF file"),
        (BAD / "corrupt.docx", "damaged Word file (not a complete .docx package"),
        (BAD / "broken_xml.docx", "damaged Word file (broken XML"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_unreadable_file_gives_one_line_reason(path: Path, reason: str) -> None:
    with pytest.raises(ReadError) as err:
        extract_report(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: ") and reason in msg and "\n" not in msg
    name = path.name
    proc = run_cli("extract", str(path))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert (
        len(proc.stderr.strip().splitlines()) == 1 and name in proc.stderr and "Traceback" not in proc.stderr
    )


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    assert "no such file" in run_cli("extract", str(tmp_path / "nope.pdf")).stderr
    odd = tmp_path / "report.xls"
    odd.write_bytes(b"x")
    proc = run_cli("extract", str(odd))
    assert proc.returncode == 1 and "unsupported file type .xls" in proc.stderr


def test_cut_off_report_is_partial_and_extract_still_succeeds() -> None:
    proc = run_cli("extract", str(BAD / "cut_in_table3.txt"))
    assert proc.returncode == 0
    assert "status partial" in proc.stdout and "table.missing" in proc.stdout


def test_batch_carries_on_past_bad_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in [
        BAD / n
        for n in (
            "empty.txt",
            "binary.txt",
            "not_a_report.html",
            "cut_in_table3.txt",
            "scanned.pdf",
            "truncated.pdf",
        )
    ]:
        shutil.copy(f, raw / f.name)
    shutil.copy(Path(__file__).parent / "fixtures" / "2020_luoyang-tongjiju.txt", raw)
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    summary = ingest_folder(raw, tmp_path / "clean", jobs=2, progress=False)
    assert summary.statuses[str(raw / "2020_luoyang-tongjiju.txt")] == "ok"
    assert summary.statuses[str(raw / "cut_in_table3.txt")] == "partial"
    failed = ("empty.txt", "binary.txt", "not_a_report.html", "scanned.pdf", "truncated.pdf")
    assert set(summary.failures) == {str(raw / n) for n in failed}
    assert summary.failures[str(raw / "scanned.pdf")] == "no text layer: scanned document"
    assert "5 failed" in summary.text() and "1 partial" in summary.text()
    reports = load_table("reports", tmp_path / "clean")
    assert sorted(reports["parse_status"].astype(str)) == ["failed"] * 5 + ["ok", "partial"]
    issues = load_table("issues", tmp_path / "clean")
    assert (issues["check"] == "read.failed").sum() == 4 and (issues["check"] == "no_text_layer").sum() == 1
    assert {p.name: p.read_bytes() for p in raw.iterdir()} == before  # raw files are never modified
