"""The store: typed, validated tables; re-running ingest replaces, never duplicates."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from analysis import load
from analysis.ingest import ingest_folder
from analysis.store import load_all

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_load_gives_typed_validated_frames(clean_dir: Path) -> None:
    req = load("requests", data_dir=clean_dir)
    assert isinstance(req["row"].dtype, pd.CategoricalDtype) and req["value"].dtype == "Int64"
    seed = req[(req.bureau == "洛阳市统计局") & (req.year == 2020)]
    assert seed.set_index(["row", "applicant"]).loc[("new_received", "natural_person"), "value"] == 7
    ad = load("active_disclosure", data_dir=clean_dir)
    assert ad["value"].dtype == "Float64"
    fee = ad[(ad.bureau == "平潭综合实验区") & (ad.year == 2025) & (ad.metric == "fee_amount")]["value"]
    assert fee.tolist() == [4166.241619]
    reports = load("reports", data_dir=clean_dir)
    from analysis.ingest import find_reports

    assert reports["report_id"].is_unique and len(reports) == len(find_reports(ROOT / "data" / "raw"))


def test_ingest_twice_gives_the_same_tables(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("2020_luoyang-tongjiju.txt", "2025_pingtan-zongheshiyanqu.html"):
        shutil.copy(FIXTURES / name, raw / name)
    out = tmp_path / "clean"
    first = ingest_folder(raw, out, progress=False)
    tables1 = load_all(out)
    second = ingest_folder(raw, out, progress=False)
    tables2 = load_all(out)
    assert first.counts["requests"] == 23 * 7 + 25 * 7
    assert second.counts == {} and len(second.unchanged) == 2  # nothing new: skipped, nothing written
    third = ingest_folder(raw, out, progress=False, force=True)  # read again all the same
    assert third.counts == first.counts and load_all(out)["requests"].equals(tables1["requests"])
    for name, df in tables1.items():
        pd.testing.assert_frame_equal(df, tables2[name])
    # a changed file replaces its old version (same path, new bytes), nothing is left behind
    text = (raw / "2020_luoyang-tongjiju.txt").read_text(encoding="utf-8") + "\n"
    (raw / "2020_luoyang-tongjiju.txt").write_text(text, encoding="utf-8")
    ingest_folder(raw, out, progress=False)
    assert len(load("reports", data_dir=out)) == 2
    assert not list(out.glob(".*.tmp"))


def test_extract_json_follows_the_data_model() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(FIXTURES / "2020_luoyang-tongjiju.txt"), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    assert set(obj) == {
        "report",
        "requests",
        "reviews_litigation",
        "active_disclosure",
        "channel_volumes",
        "rankings",
        "sections",
        "issues",
    }
    assert obj["report"]["template"] == "2019" and obj["report"]["source_format"] == "txt"
    rec = next(r for r in obj["requests"] if r["row"] == "unavailable.not_held" and r["applicant"] == "total")
    assert rec == {
        "report_id": obj["report"]["report_id"],
        "bureau": obj["report"]["bureau"],
        "year": 2020,
        "row": "unavailable.not_held",
        "applicant": "total",
        "value": 2,
        "raw": "2",
    }


def test_ingest_cli_summary(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "ingest",
            str(FIXTURES / "bad"),
            "--out",
            str(tmp_path / "c"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert "35 files: 10 read, 7 partial, 18 failed" in proc.stdout
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
