"""analysis.briefs.index: index.html keeps the briefs of earlier runs; the batch's plain-text summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

from analysis.briefs import batch, files
from analysis.briefs.index import corpus_findings, earlier_results, write_index
from analysis.present.charts import font_path


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
    if font_path() is not None:  # its Chinese renders without a CJK font installed (present.webfont)
        assert "@font-face" in index and "base64," in index
    table = batch.summary_table([new])
    assert "乙局" in table and "ValueError: boom" in table and "0 made, 1 failed" in table


def test_index_flags_briefs_whose_reports_have_findings_across_reports(
    clean_dir: Path, tmp_path: Path
) -> None:
    """On the bundled reports: 农业农村局 2025 (现行有效件数 does not continue from 2024, and its narrative
    contradicts its table) and 市场监督管理局 2024 (narrative copied) are flagged; 社会事业局 2024, whose
    only finding across reports is a missing year (not a finding of the audit), is not."""
    from analysis import store

    tables = store.load_tables(clean_dir)
    results = []
    for name, year in (
        ("平潭综合实验区农业农村局", 2025),
        ("平潭综合实验区市场监督管理局", 2024),
        ("平潭综合实验区社会事业局", 2024),
    ):
        folder = files.brief_dir(tmp_path, name, year)
        files.export_tables(folder, files.brief_tables(tables, name, year))
        results.append(
            files.BriefResult(name=name, year=year, kind="bureau", status="ok", out_dir=str(folder))
        )
    assert corpus_findings(Path(results[0].out_dir)) == {"relation": 1, "narrative": 1}
    write_index(tmp_path, results)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    rows = {name: row for name, row in re.findall(r"<tr class='[^']*'><td>([^<]*)</td>(.*?)</tr>", page)}
    assert "跨报告核对：关系不符1项、叙述与表格不符1项" in rows["平潭综合实验区农业农村局"]
    assert "跨报告核对：雷同1项" in rows["平潭综合实验区市场监督管理局"]
    assert "跨报告核对" not in rows["平潭综合实验区社会事业局"]
    assert "2 份有跨报告核对发现" in page
