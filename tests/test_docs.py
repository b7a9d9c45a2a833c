"""The README and docs/notebooks.md say what the code does: the README's Python example runs and computes the
grant rate as docs/notebooks.md defines it, and both give the same one cron line, which logs both steps."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS_DOC = (ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_readme_example_computes_the_documented_grant_rate(clean_dir: Path) -> None:
    assert "grant rate = (予以公开 + 部分公开) / outcomes" in NOTEBOOKS_DOC
    example = next(b for b in blocks(README, "python") if "grant_rate" in b)
    proc = subprocess.run(
        [sys.executable, "-c", example],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"ANALYSIS_DATA": str(clean_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = next(ln for ln in proc.stdout.splitlines() if "平潭综合实验区" in ln and " 2025 " in ln)
    assert [float(x) for x in row.split()[-4:]] == [
        33,
        38,
        148,
        0.48,
    ]  # (33 + 38) / 148, not 33 / 148 processed


def test_one_cron_line_that_logs_both_steps() -> None:
    lines = [b.strip() for text in (README, NOTEBOOKS_DOC) for b in blocks(text, "cron")]
    assert len(lines) == 2 and lines[0] == lines[1]
    line = lines[0]
    assert re.search(r"\{ .*ingest .*&& .*briefs .*; \} >> logs/briefs\.log 2>&1$", line)


def test_no_claim_of_parallel_briefs() -> None:
    for text in (README, NOTEBOOKS_DOC):
        assert not re.search(r"briefs?[^.\n]*in parallel", text)
