"""``python -m analysis synth`` writes N reports, each with its expected file, the same for a seed."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.cli import main


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_synth_writes_n_reports_with_expected_files(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    args = ["synth", "--n", "9", "--seed", "3", "--formats", "txt,html,docx", "--quiet", "--inject", "0.5"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert "9 reports" in capsys.readouterr().out
    a = files(tmp_path / "a")
    reports = [n for n in a if not n.endswith(".expected.json")]
    assert len(reports) == 9 and len(a) == 18
    assert {Path(n).suffix for n in reports} == {".txt", ".html", ".docx"}
    for n in reports:
        exp = json.loads(a[n + ".expected.json"])
        assert exp["file"] == n and str(exp["year"]) == n[:4]
        # 2019: one (六) row; 2021: its three sub-rows; seven applicant columns each; legacy: six totals
        assert len(exp["requests"]) == {"2019": 7 * 23, "2021": 7 * 25, "legacy": 6}[exp["template"]]
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    assert files(tmp_path / "b") == a  # the same seed, the same bytes
    other_seed = [a if a != "3" else "4" for a in args]
    assert main([*other_seed, "--out", str(tmp_path / "c")]) == 0
    assert files(tmp_path / "c") != a


def test_synth_rejects_an_unknown_format(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert main(["synth", "--n", "2", "--out", str(tmp_path), "--formats", "xls", "--quiet"]) == 1
    assert "unknown format or template: xls" in capsys.readouterr().err
