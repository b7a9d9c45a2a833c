"""analysis.briefs.batch: many briefs in parallel, a failure or a time limit stops only its brief; the config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.briefs import batch
from analysis.cli import main


def test_batch_goes_on_after_a_failure_and_writes_an_index(
    clean_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    config = tmp_path / "briefs.yml"
    config.write_text(
        "jobs: 2\nbriefs:\n  - bureau: 洛阳市统计局\n    year: 2020\n  - bureau: 不存在的单位\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    code = main(
        ["briefs", "--year", "2024", "--config", str(config), "--data", str(clean_dir), "--out", str(out)]
    )
    assert code == 1
    printed = capsys.readouterr().out
    assert "1 made, 1 failed" in printed
    assert "unknown bureau 不存在的单位" in printed
    assert (out / "洛阳市统计局" / "2020" / "brief.pptx").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="洛阳市统计局/2020/brief.html"' in index
    assert "unknown bureau 不存在的单位" in index
    single = json.loads((out / "洛阳市统计局" / "2020" / "key_figures.json").read_text(encoding="utf-8"))
    assert any("没有可比较的往年数据" in s for s in single["sentences"])


def test_batch_default_is_every_bureau_with_a_report_that_year(clean_dir: Path) -> None:
    entries = batch.batch_entries(2023, {}, clean_dir)
    names = [e["bureau"] for e in entries]
    assert {e["year"] for e in entries} == {2023} and len(names) == len(set(names))
    # bureaus with a 2023 report, whichever format: the zone's crawled text, a department, a district PDF
    for has_2023 in (
        "平潭综合实验区",
        "平潭综合实验区财政金融局",
        "平潭综合实验区金井片区管理局",
        "淮安市洪泽区人民政府",
    ):
        assert has_2023 in names
    # bureaus whose reports are of other years only
    for other_years in (
        "洛阳市统计局",
        "淮安市人民政府",
        "平潭综合实验区交通与建设局",
        "平潭综合实验区管委会办公室",
    ):
        assert other_years not in names


def test_batch_time_limit_stops_a_brief(clean_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "briefs.yml"
    config.write_text("briefs:\n  - bureau: 淮安市人民政府\n", encoding="utf-8")
    results = batch.run_batch(2024, config=config, data_dir=clean_dir, out_dir=tmp_path / "out", timeout=0.5)
    assert [r.status for r in results] == ["timeout"]
    assert "time limit" in results[0].error
    assert "超时" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_config_rejects_unknown_keys(tmp_path: Path) -> None:
    bad = tmp_path / "briefs.yml"
    bad.write_text("brief:\n  - bureau: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        batch.load_config(bad)
    bad.write_text("briefs:\n  - bureau: x\n    region: y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exactly one of bureau/region"):
        batch.load_config(bad)
