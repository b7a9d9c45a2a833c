"""Duplicates: the same bytes under two names, several documents for one bureau and year, and a
year in the file name that disagrees with the text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import views
from analysis.ingest import ingest_folder
from analysis.parse.metadata import filename_year
from analysis.report import extract_report
from analysis.store import load_all, load_table

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "2020_luoyang-tongjiju.txt"
PINGTAN_2020 = FIXTURES / "2020_pingtan-zongheshiyanqu.html"  # published 2021-03-05 (meta PubDate)


def test_same_bytes_under_two_names_is_one_report_with_both_paths(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "a.txt")
    shutil.copy(SEED, raw / "b.txt")
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert list(summary.statuses) == [str(raw / "a.txt")]
    assert summary.duplicates == {str(raw / "b.txt"): str(raw / "a.txt")}
    assert "same bytes as" in summary.text() and "both paths recorded" in summary.text()
    reports = load_table("reports", tmp_path / "clean")
    assert len(reports) == 1
    row = reports.iloc[0]
    assert row["source_path"] == str(raw / "a.txt") and row["duplicate_paths"] == str(raw / "b.txt")
    req = load_table("requests", tmp_path / "clean")
    assert len(req) == 23 * 7  # read once: no doubled rows

    # a third copy arriving in a later run joins the same report; a renamed-away copy is forgotten
    shutil.copy(SEED, raw / "c.txt")
    (raw / "b.txt").unlink()
    ingest_folder(raw / "c.txt", tmp_path / "clean", jobs=1, progress=False)
    reports = load_table("reports", tmp_path / "clean")
    assert len(reports) == 1
    paths = [reports.iloc[0]["source_path"], *reports.iloc[0]["duplicate_paths"].split("\n")]
    assert paths == [str(raw / "c.txt"), str(raw / "a.txt")]
    assert len(load_table("requests", tmp_path / "clean")) == 23 * 7

    # one of the paths now holds other bytes: it leaves the old report, which keeps its other path
    shutil.copy(FIXTURES / "2021_pingtan-zongheshiyanqu.html", raw / "a.txt")
    ingest_folder(raw / "a.txt", tmp_path / "clean", jobs=1, progress=False)
    reports = load_table("reports", tmp_path / "clean").set_index("source_path")
    assert reports.loc[str(raw / "c.txt"), "bureau"] == "洛阳市统计局"
    assert pd.isna(reports.loc[str(raw / "c.txt"), "duplicate_paths"])
    assert reports.loc[str(raw / "a.txt"), "year"] == 2021


def test_reports_whose_paths_are_not_read_again_keep_them(tmp_path: Path) -> None:
    """A save looks only at the stored reports one of whose paths it reads again: another report with
    copies keeps its paths as they were, the one whose copy now holds other bytes loses that path."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, src in (
        ("a1.txt", SEED),
        ("a2.txt", SEED),
        ("b1.html", PINGTAN_2020),
        ("b2.html", PINGTAN_2020),
    ):
        shutil.copy(src, raw / name)
    ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    before = load_table("reports", tmp_path / "clean").set_index("source_path")["duplicate_paths"]
    assert before.to_dict() == {
        str(raw / "a1.txt"): str(raw / "a2.txt"),
        str(raw / "b1.html"): str(raw / "b2.html"),
    }
    shutil.copy(FIXTURES / "2021_pingtan-zongheshiyanqu.html", raw / "b2.html")  # other bytes
    ingest_folder(raw / "b2.html", tmp_path / "clean", jobs=1, progress=False)
    after = load_table("reports", tmp_path / "clean").set_index("source_path")["duplicate_paths"]
    assert after[str(raw / "a1.txt")] == str(raw / "a2.txt")
    assert pd.isna(after[str(raw / "b1.html")]) and pd.isna(after[str(raw / "b2.html")])
    assert len(after) == 3


def _republished(tmp: Path) -> Path:
    """The 2020 Pingtan page as if re-published a month later (another date, so other bytes)."""
    html = PINGTAN_2020.read_bytes().replace(b"2021-03-05", b"2021-04-10")
    assert html != PINGTAN_2020.read_bytes()
    out = tmp / "2020_pingtan-corrected.html"
    out.write_bytes(html)
    return out


def test_a_republication_is_kept_flagged_and_the_later_one_is_used(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PINGTAN_2020, raw / "2020_pingtan.html")
    later = _republished(raw)
    shutil.copy(SEED, raw / SEED.name)
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert summary.several == [("平潭综合实验区", 2020, 2, str(later))]
    assert (
        f"  several 平潭综合实验区 2020: 2 documents, the views use {later} (see issues duplicate.bureau_year)"
        in summary.text().splitlines()
    )
    tables = load_all(tmp_path / "clean")
    reports = tables["reports"].set_index("source_path")
    first, second = reports.loc[str(raw / "2020_pingtan.html")], reports.loc[str(later)]
    assert first["published"] == "2021-03-05" and second["published"] == "2021-04-10"
    assert first["bureau"] == second["bureau"] == "平潭综合实验区" and first["year"] == second["year"] == 2020
    # both kept, with all their values
    req = tables["requests"]
    assert set(req[req.year == 2020]["report_id"]) >= {first["report_id"], second["report_id"]}
    # both flagged, each message naming the other file and the choice
    dup = tables["issues"][tables["issues"]["check"] == "duplicate.bureau_year"].set_index("report_id")
    assert set(dup.index) == {first["report_id"], second["report_id"]}
    assert dup.loc[first["report_id"], "message"] == (
        f"2 documents for 平潭综合实验区 2020: the views use {later} instead (it was published later)"
    )
    assert "the views use this one (it was published later)" in dup.loc[second["report_id"], "message"]
    assert (dup["severity"] == "warning").all()
    # the choice is recorded, and n_issues counts the new warning
    assert first["superseded_by"] == second["report_id"] and pd.isna(second["superseded_by"])
    assert first["n_issues"] == (tables["issues"]["report_id"] == first["report_id"]).sum()
    # the views the notebooks use see one report for the bureau and year: the later one
    chosen = views.select_reports(tables)
    pingtan = chosen["reports"][chosen["reports"]["bureau"] == "平潭综合实验区"]
    assert pingtan["report_id"].tolist() == [second["report_id"]]
    assert set(chosen["requests"]["report_id"]) == {
        second["report_id"],
        reports.loc[str(raw / SEED.name)]["report_id"],
    }
    listing = views.duplicate_documents(tables["reports"], tables["issues"])
    assert listing[["source_path", "published", "used"]].values.tolist() == [
        [str(later), "2021-04-10", True],
        [str(raw / "2020_pingtan.html"), "2021-03-05", False],
    ]
    overview = views.request_overview(views.scope(tables, bureau="平潭综合实验区")["requests"])
    assert len(overview) == 1  # one row for 2020, not two


def test_without_dates_the_document_with_fewer_errors_is_used(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "2020_luoyang.txt")
    # the same report with one figure mistyped: 本年新收 自然人 7 → 9 breaks the balance
    text = SEED.read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(n for n, ln in enumerate(lines) if "本年新收" in ln)
    assert "\t\t7\t0\t" in lines[i]
    lines[i] = lines[i].replace("\t\t7\t0\t", "\t\t9\t0\t", 1)
    (raw / "2020_luoyang-retyped.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    tables = load_all(tmp_path / "clean")
    reports = tables["reports"].set_index("source_path")
    good, bad = reports.loc[str(raw / "2020_luoyang.txt")], reports.loc[str(raw / "2020_luoyang-retyped.txt")]
    assert bad["superseded_by"] == good["report_id"] and pd.isna(good["superseded_by"])
    msg = tables["issues"].set_index("report_id").loc[bad["report_id"]]
    msg = msg[msg["check"] == "duplicate.bureau_year"]["message"].iloc[0]
    assert msg.endswith("instead (it has fewer errors)")
    assert views.pick_reports(tables["reports"], tables["issues"])["report_id"].tolist() == [
        good["report_id"]
    ]


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("2020_luoyang-tongjiju.txt", 2020),
        ("洛阳市统计局2020年度报告.pdf", 2020),
        ("P020210129555123.pdf", None),  # a CMS file number, not a year
        ("2021-01-29.html", None),  # a publication date
        ("report_20210129.pdf", None),
        ("2019-2020年报.pdf", None),  # two years: no answer
        ("年报.docx", None),
    ],
)
def test_year_in_a_file_name(name: str, year: int | None) -> None:
    assert filename_year(Path(name)) == year


def test_the_text_year_wins_over_the_file_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "2021_luoyang-tongjiju.txt"
    shutil.copy(SEED, misnamed)
    rep = extract_report(misnamed)
    assert rep.report["year"] == 2020
    (warn,) = [i for i in rep.issues if i["check"] == "year.filename_mismatch"]
    assert warn["severity"] == "warning" and (warn["expected"], warn["actual"]) == ("2020", "2021")
    assert warn["message"] == "the file name says 2021 but the report's text says 2020: using 2020"
    assert not [i for i in extract_report(SEED).issues if i["check"].startswith("year.")]


def test_a_year_only_the_file_name_gives_is_used_with_a_warning(tmp_path: Path) -> None:
    # the seed with every 2020 in its text replaced: only the file name still names the year
    text = SEED.read_text(encoding="utf-8").replace("2020", "本")
    path = tmp_path / "2020_luoyang.txt"
    path.write_text(text, encoding="utf-8")
    rep = extract_report(path)
    assert rep.report["year"] == 2020
    (warn,) = [i for i in rep.issues if i["check"] == "year.from_filename"]
    assert "2020 taken from the file name 2020_luoyang.txt" in warn["message"]


def test_publication_date_from_the_page_or_the_signature(tmp_path: Path) -> None:
    assert extract_report(FIXTURES / "2021_pingtan-zongheshiyanqu.html").report["published"] == "2022-02-08"
    assert extract_report(FIXTURES / "2023_pingtan-zongheshiyanqu.txt").report["published"] == "2024-03-08"
    assert extract_report(SEED).report["published"] is None  # printed neither
    signed = tmp_path / "signed.txt"
    signed.write_text(SEED.read_text(encoding="utf-8") + "\n洛阳市统计局\n2021年1月29日\n", encoding="utf-8")
    assert extract_report(signed).report["published"] == "2021-01-29"


def test_a_pdf_made_later_counts_as_the_later_publication(tmp_path: Path) -> None:
    """Two PDFs of one report signed alike: the one whose metadata says it was made later is used."""
    first = FIXTURES / "2024_huaian-shizhengfu.pdf"
    assert extract_report(first).report["published"] == "2025-02-25"  # its /ModDate
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(first, raw / "2024_huaian.pdf")
    data = first.read_bytes()
    assert data.count(b"D:20250225100324") == 3
    (raw / "2024_huaian-v2.pdf").write_bytes(data.replace(b"D:20250225100324", b"D:20250312090000"))
    ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    tables = load_all(tmp_path / "clean")
    chosen = views.pick_reports(tables["reports"], tables["issues"])
    assert chosen["source_path"].tolist() == [str(raw / "2024_huaian-v2.pdf")]
    assert chosen["published"].tolist() == ["2025-03-12"]
