"""The command line: every command's ``--help`` answers without importing the heavy libraries, ``extract``
imports only what reading needs, and the brief commands take the options they document.

Which modules a command imports is read from ``python -X importtime`` in a fresh process (asserting on
modules, not seconds: a timed test would fail on a busy machine and pass on a slow import)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.cli import build_parser

FIXTURES = Path(__file__).parent / "fixtures"
# libraries no --help needs: data frames, validation, charts, notebooks, slides, YAML
HEAVY = {"pandas", "pandera", "numpy", "pyarrow", "matplotlib", "papermill", "nbformat", "pptx", "yaml"}
# what reading one report never needs: validation, charts, notebooks, slides
NOT_FOR_READING = {"pandera", "matplotlib", "papermill", "nbformat", "nbconvert", "pptx", "yaml", "tqdm"}


def imported(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run ``python -X importtime -m analysis ARGS``; return the process and the top-level packages imported."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "analysis", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    print(f"python -m analysis {' '.join(args)}: {time.perf_counter() - start:.2f} s")  # for the reader only
    modules = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return proc, modules


def test_importtime_output_is_read() -> None:
    """The check below would pass on an empty list: it must see the package itself and argparse."""
    proc, modules = imported("--help")
    assert proc.returncode == 0
    assert {"analysis", "argparse"} <= modules


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ((), ["extract", "ingest", "brief", "briefs", "list"]),
        (("extract",), ["--json", "file"]),
        (("ingest",), ["--out", "--jobs", "--strict", "--timeout"]),
        (("brief",), ["--bureau", "--region", "--year", "--data", "--out", "--kernel", "brief.pptx"]),
        (("briefs",), ["--year", "--config", "--jobs", "--timeout", "index.html"]),
        (("list",), ["--year", "--bureau", "--data"]),
    ],
)
def test_help_answers_without_heavy_imports(command: tuple[str, ...], words: list[str]) -> None:
    proc, modules = imported(*command, "--help")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for word in words:
        assert word in proc.stdout
    assert not modules & HEAVY, f"--help imported {sorted(modules & HEAVY)}"


def test_extract_imports_only_what_reading_needs() -> None:
    proc, modules = imported("extract", str(FIXTURES / "2020_luoyang-tongjiju.txt"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "bureau   洛阳市统计局" in proc.stdout
    assert "本年新收 7" in proc.stdout and "办结总计 7" in proc.stdout
    assert not modules & NOT_FOR_READING, f"extract imported {sorted(modules & NOT_FOR_READING)}"
    assert not modules & {"pypdfium2", "docx"}, "a text file needs no PDF or Word reader"


def test_no_command_prints_the_overview(capsys: pytest.CaptureFixture) -> None:
    from analysis.cli import main

    assert main([]) == 2
    assert "python -m analysis COMMAND --help" in capsys.readouterr().out


def test_brief_needs_a_bureau_or_a_region() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["brief", "--year", "2024"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["brief", "--year", "2024", "--bureau", "a", "--region", "b"])
    args = build_parser().parse_args(["brief", "--year", "2024", "--region", "江苏省淮安市"])
    assert (args.region, args.bureau, args.year, args.kernel) == ("江苏省淮安市", None, 2024, "python3")


def test_list_prints_bureaus_by_year_with_status_and_unread_parts(clean_dir: Path) -> None:
    proc, _ = imported("list", "--data", str(clean_dir), "--bureau", "平潭综合实验区")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["单位", "年度", "状态", "未能读取", "错误", "警告", "文件数", "来源"]
    by_year = {ln.split()[1]: ln.split() for ln in lines[1:] if ln.startswith("平潭综合实验区")}
    # the crawled text: a table-2 row unread (1 error); warnings: two flattened rows, the flattened layout and
    # corpus.year_gap (data/raw holds no 2022 report of 平潭综合实验区, so continuity from 2021 is not checked)
    assert by_year["2023"][2:7] == ["部分读取", "1", "1", "4", "1"]
    assert by_year["2025"][2:4] == ["已读取", "0"]
    assert "2023_pingtan-zongheshiyanqu.txt" in by_year["2023"][7]


def test_list_names_the_closest_bureau_for_a_misspelled_one(clean_dir: Path) -> None:
    proc, _ = imported("list", "--data", str(clean_dir), "--bureau", "平潭实验区")
    assert proc.returncode == 1
    # the store holds several 平潭综合实验区… bureaus now: the closest name comes first, at most three
    last = proc.stderr.strip().splitlines()[-1]
    head, held = last.split("? the store holds ")
    prefix = "error: unknown bureau 平潭实验区: did you mean "
    assert head.startswith(prefix)
    close = head.removeprefix(prefix).split(" or ")
    assert close[0] == "平潭综合实验区" and len(close) <= 3
    assert all(name.startswith("平潭综合实验区") for name in close)
    assert held.startswith("平潭综合实验区, 平潭综合实验区交通与建设局, ")
    proc, _ = imported("list", "--data", str(clean_dir), "--year", "2023")
    years = {ln.split()[1] for ln in proc.stdout.splitlines()[1:-1]}
    assert proc.returncode == 0 and years == {"2023"}
