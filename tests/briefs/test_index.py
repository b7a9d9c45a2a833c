"""analysis.briefs.index: index.html keeps the briefs of earlier runs; the batch's plain-text summary."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.briefs import batch, files
from analysis.briefs.index import earlier_results, write_index


def test_index_keeps_briefs_of_earlier_runs(tmp_path: Path) -> None:
    old = files.BriefResult(
        name="甲局",
        year=2023,
        kind="bureau",
        status="ok",
        out_dir=str(tmp_path / "甲局" / "2023"),
        files=["brief.html"],
    )
    Path(old.out_dir).mkdir(parents=True)
    (Path(old.out_dir) / files.RESULT).write_text(
        json.dumps(old.__dict__, ensure_ascii=False), encoding="utf-8"
    )
    new = files.BriefResult(
        name="乙局",
        year=2024,
        kind="bureau",
        status="failed",
        out_dir=str(tmp_path / "乙局" / "2024"),
        error="cell 3 (execution 3): ValueError: boom",
    )
    write_index(tmp_path, [new, *earlier_results(tmp_path, exclude=[new])])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="甲局/2023/brief.html"' in index and "ValueError: boom" in index
    table = batch.summary_table([new])
    assert "乙局" in table and "ValueError: boom" in table and "0 made, 1 failed" in table
