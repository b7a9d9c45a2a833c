"""Bad and odd input (tests/fixtures/bad/, built by make_fixtures.BAD_FILES from the real reports):
no traceback, a one-line reason naming the file for what cannot be read, the right values for what
can, a named issue for what can only partly be read; and a batch carries on past all of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gold import gold_cells, load_gold, report_cells

from analysis.ingest import ingest_folder
from analysis.model.document import ReadError
from analysis.read import read_document
from analysis.report import Report, extract_report
from analysis.store import load_table

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD = FIXTURES / "bad"
SEED_TXT = FIXTURES / "2020_luoyang-tongjiju.txt"
PINGTAN_HTML = FIXTURES / "2025_pingtan-zongheshiyanqu.html"

import make_fixtures  # noqa: E402 - tests/fixtures is on sys.path (conftest.py)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    # the test's own PATH, so the command finds the same tools (soffice) as the in-process reading
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def cells(report: Report, table: str | None = None) -> dict[tuple, float]:
    """The report's table cells keyed like gold_cells (optionally one table's only)."""
    got = report_cells(report.to_dict())
    return {k: v for k, v in got.items() if table is None or k[0] == table}


def gold(name: str, table: str | None = None) -> dict[tuple, float]:
    want = gold_cells(load_gold(name))
    return {k: v for k, v in want.items() if table is None or k[0] == table}


def raw_of(report: Report, table: str, **keys: str) -> str:
    return next(r["raw"] for r in getattr(report, table) if all(r[k] == v for k, v in keys.items()))


def checks(report: Report, severity: str | None = None) -> list[str]:
    return [i["check"] for i in report.issues if severity is None or i["severity"] == severity]


# ---------------------------------------------------------------------------------- the set


def _no_writer() -> bool:
    """LibreOffice installed without its Writer: its program folder has LibreOffice's libraries but
    not Writer's (a Linux install of Impress alone)."""
    program = Path(os.path.realpath(shutil.which("soffice") or "")).parent
    return any(program.glob("lib*lo.so")) and not (program / "libswlo.so").exists()


# file → the reason extract gives (the whole message after "<path>: " where it is ours; the start of
# it where a library adds its own words)
UNREADABLE = {
    "empty.txt": "empty file",
    "empty.pdf": "empty file",
    "empty.html": "empty file",
    "empty.docx": "empty file",
    "binary.txt": "binary file, not text (rename it to its real type, e.g. .pdf or .docx)",
    "junk.html": "binary file, not a web page (rename it to its real type, e.g. .pdf or .docx)",
    "junk.pdf": "not a PDF file (no %PDF header)",
    "junk.docx": "not a Word document (neither .docx, .doc, RTF nor HTML)",
    "zip_not_docx.docx": "not a Word document: a zip archive of other files "
    "(洛阳市统计局2020年政府信息公开工作年度报告.txt), not a .docx package",
    "corrupt.docx": "damaged Word file (not a complete .docx package: ",
    "broken_xml.docx": "damaged Word file (broken XML: ",
    "binary.doc": ".doc needs LibreOffice"
    if not shutil.which("soffice")
    else ".doc needs LibreOffice Writer to convert"  # LibreOffice without Writer (Impress alone)
    if _no_writer()
    else "damaged or not a Word document: LibreOffice could not convert it",
    "truncated.pdf": "damaged or truncated PDF (pdfium: ",
    "encrypted.pdf": "PDF is encrypted (password protected); save an unprotected copy",
    "not_a_pdf.pdf": "not a PDF file (no %PDF header; it is a web page (an error page instead of the download?))",
    "not_a_report.html": "not an information-disclosure annual report "
    "(no 年度报告 title and none of the three statistical tables)",
    "news.html": "not an information-disclosure annual report "
    "(it names a 年度报告 but has none of its six sections and none of the three statistical tables)",
}
READ_OK = {  # file → the gold file its values equal
    "owner_password.pdf": "2020_luoyang-tongjiju",
    "gbk.txt": "2020_luoyang-tongjiju",
    "bom.txt": "2020_luoyang-tongjiju",
    "gbk.html": "2025_pingtan-zongheshiyanqu",
    "bom.html": "2025_pingtan-zongheshiyanqu",
    "fullwidth.txt": "2024_huaian-shizhengfu",
    "thousands.txt": "2024_huaian-shizhengfu",
    "fullwidth.html": "2025_pingtan-zongheshiyanqu",
    "table3_extra_column.txt": "2020_luoyang-tongjiju",
    "table3_extra_column.html": "2025_pingtan-zongheshiyanqu",
}
PARTIAL = {
    "cut_in_table3.txt",
    "missing_table4.txt",
    "missing_table3.html",
    "table3_missing_column.txt",
    "table3_missing_column.html",
    "table3_unnamed_column.txt",
    "table3_unnamed_missing_column.txt",
}
SCANNED = {"scanned.pdf"}  # read, but no text: status failed with a no_text_layer issue
# byte-identical when rebuilt (the others carry build timestamps, random salts or JPEG encoder output)
NOT_REPRODUCIBLE = {"corrupt.docx", "broken_xml.docx", "owner_password.pdf", "scanned.pdf"}


def test_every_bad_file_has_a_builder_and_an_expected_outcome() -> None:
    on_disk = sorted(p.name for p in BAD.iterdir())
    assert on_disk == sorted(make_fixtures.BAD_FILES)
    assert on_disk == sorted([*UNREADABLE, *READ_OK, *PARTIAL, *SCANNED])
    assert all(p.stat().st_size <= 160_000 for p in BAD.iterdir())


@pytest.mark.parametrize("name", sorted(set(make_fixtures.BAD_FILES) - NOT_REPRODUCIBLE))
def test_fixture_is_what_its_builder_makes(name: str, tmp_path: Path) -> None:
    built = make_fixtures.BAD_FILES[name](tmp_path / name)
    assert built.read_bytes() == (BAD / name).read_bytes()


# ----------------------------------------------------------------------------------- unreadable


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_file_gives_one_line_reason(name: str) -> None:
    path = BAD / name
    with pytest.raises(ReadError) as err:
        extract_report(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: {UNREADABLE[name]}") and "\n" not in msg
    proc = run_cli("extract", str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == f"error: {msg}\n"


def test_zero_byte_files_are_named_empty_whatever_their_kind() -> None:
    sizes = {p.suffix: p.stat().st_size for p in BAD.glob("empty.*")}
    assert sizes == {".txt": 0, ".pdf": 0, ".html": 0, ".docx": 0}


def test_binary_named_as_text_or_a_page_says_what_it_really_is(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00\x01")
    with pytest.raises(
        ReadError, match=r"report.html: binary file, not a web page \(it is a PDF file: rename it"
    ):
        read_document(page)
    text = tmp_path / "report.txt"
    text.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(ReadError, match=r"report.txt: binary file, not text \(it is a PNG image\)"):
        read_document(text)


def test_a_web_page_with_a_bom_saved_as_txt_is_read_as_a_page(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes((BAD / "bom.html").read_bytes())
    report = extract_report(path)
    assert report.report["source_format"] == "html"
    assert cells(report) == gold("2025_pingtan-zongheshiyanqu")


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    assert "no such file" in run_cli("extract", str(tmp_path / "nope.pdf")).stderr
    odd = tmp_path / "report.xls"
    odd.write_bytes(b"x")
    proc = run_cli("extract", str(odd))
    assert proc.returncode == 1 and "unsupported file type .xls" in proc.stderr


# ------------------------------------------------------------------------- read although odd


@pytest.mark.parametrize(
    ("name", "original"),
    [("gbk.txt", SEED_TXT), ("bom.txt", SEED_TXT), ("gbk.html", PINGTAN_HTML), ("bom.html", PINGTAN_HTML)],
)
def test_other_encodings_read_as_the_utf8_original(name: str, original: Path) -> None:
    data = (BAD / name).read_bytes()
    if name.startswith("gbk"):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert b"charset" not in data.lower()  # nothing declares it: the bytes decide
    else:
        assert data.startswith(b"\xef\xbb\xbf")
    report, plain = extract_report(BAD / name), extract_report(original)
    assert report.report["parse_status"] == "ok"
    assert cells(report) == cells(plain) == gold(READ_OK[name])
    key = {"row": "new_received", "applicant": "total"}
    assert report.value("requests", **key) == plain.value("requests", **key) == (7 if "txt" in name else 154)
    for field in ("bureau", "year", "title", "region"):
        assert report.report[field] == plain.report[field]
    assert [s["text"] for s in report.sections] == [s["text"] for s in plain.sections]


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("fullwidth.txt", {("requests", "new_received", "total"): "３１１９",
                           ("active_disclosure", "administrative_fee", "fee_amount"): "９６１７１．６"}),
        ("thousands.txt", {("requests", "new_received", "total"): "3,119",
                           ("active_disclosure", "administrative_penalty", "decisions"): "3,985,758",
                           ("active_disclosure", "administrative_fee", "fee_amount"): "96,171.6"}),
        ("fullwidth.html", {("requests", "new_received", "total"): "１５４",
                            ("active_disclosure", "administrative_license", "decisions"): "２，４１８",
                            ("active_disclosure", "administrative_fee", "fee_amount"): "４，１６６．２４１６１９"}),
    ],
)  # fmt: skip
def test_fullwidth_digits_and_thousands_separators_are_numbers_raw_kept(name: str, printed: dict) -> None:
    report = extract_report(BAD / name)
    assert report.report["parse_status"] == "ok" and "cell.unparseable" not in checks(report)
    assert cells(report) == gold(READ_OK[name])
    for (table, a, b), raw in printed.items():
        keys = {"row": a, "applicant": b} if table == "requests" else {"item": a, "metric": b}
        assert raw_of(report, table, **keys) == raw
    assert report.value("requests", row="new_received", applicant="total") == (3119 if "txt" in name else 154)


def test_pdf_with_an_owner_password_only_is_read_like_its_source() -> None:
    path = BAD / "owner_password.pdf"
    if not path.exists():
        pytest.skip("owner_password.pdf not built (needs qpdf)")
    assert b"/Encrypt" in path.read_bytes()
    if shutil.which("qpdf"):  # exit 3: encrypted, but no password is needed to open it
        assert subprocess.run(["qpdf", "--requires-password", str(path)], capture_output=True).returncode == 3
    source = make_fixtures.SEED_PDF
    doc, plain = read_document(path), read_document(source)
    assert [(ln.cells, ln.is_row, ln.page) for ln in doc.lines] == [
        (ln.cells, ln.is_row, ln.page) for ln in plain.lines
    ]
    report = extract_report(path)
    assert report.report["parse_status"] == "ok" and report.report["bureau"] == "洛阳市统计局"
    assert cells(report) == gold("2020_luoyang-tongjiju")


# ------------------------------------------------------------------------------ partly read


def _missing_tables(report: Report) -> list[str]:
    return [i["location"] for i in report.issues if i["check"] == "table.missing"]


def test_cut_off_report_keeps_what_it_has() -> None:
    report = extract_report(BAD / "cut_in_table3.txt")
    assert report.report["parse_status"] == "partial"
    assert _missing_tables(report) == ["table 4 (复议诉讼)"]
    assert cells(report, "active_disclosure") == gold("2020_luoyang-tongjiju", "active_disclosure")
    got = cells(report, "requests")
    read_rows = {k[1] for k in got}
    assert read_rows == {
        "new_received", "carried_over", "granted", "partially_granted", "withheld.state_secret",
        "withheld.prohibited_by_law", "withheld.security_stability", "withheld.third_party",
        "withheld.internal_affairs", "withheld.process_info", "withheld.enforcement_file",
        "withheld.administrative_query",
    }  # fmt: skip
    want = gold("2020_luoyang-tongjiju", "requests")
    assert got == {k: v for k, v in want.items() if k[1] in read_rows}
    missing = {i["location"].removeprefix("table 3 / ") for i in report.issues if i["check"] == "row.missing"}
    assert missing == {
        "unavailable.not_held", "unavailable.needs_creation", "unavailable.still_unclear",
        "not_processed.petition", "not_processed.duplicate", "not_processed.publication",
        "not_processed.excessive", "not_processed.confirmation", "other", "total_processed", "carried_forward",
    }  # fmt: skip


def test_cut_off_report_from_the_command_line() -> None:
    proc = run_cli("extract", str(BAD / "cut_in_table3.txt"))
    assert proc.returncode == 0 and proc.stderr == ""
    assert "status partial" in proc.stdout and "table.missing" in proc.stdout and "本年新收 7" in proc.stdout


@pytest.mark.parametrize(
    ("name", "gold_name", "missing"),
    [
        ("missing_table4.txt", "2020_luoyang-tongjiju", "reviews_litigation"),
        ("missing_table3.html", "2025_pingtan-zongheshiyanqu", "requests"),
    ],
)
def test_a_missing_table_is_named_and_the_others_read(name: str, gold_name: str, missing: str) -> None:
    report = extract_report(BAD / name)
    assert report.report["parse_status"] == "partial"
    assert _missing_tables(report) == [
        "table 4 (复议诉讼)" if missing == "reviews_litigation" else "table 3 (依申请公开)"
    ]
    assert getattr(report, missing) == []
    for table in {"requests", "reviews_litigation", "active_disclosure"} - {missing}:
        assert cells(report, table) == gold(gold_name, table)
    assert checks(report, "error") == ["table.missing"]


# a column of table 3 added or dropped: read by the header that names the columns, never shifted


@pytest.mark.parametrize("name", ["table3_extra_column.txt", "table3_extra_column.html"])
def test_extra_applicant_column_named_in_the_header_is_left_out(name: str) -> None:
    report = extract_report(BAD / name)
    assert report.report["parse_status"] == "ok"
    assert cells(report) == gold(READ_OK[name])  # every applicant under its own header, totals too
    extra = [i for i in report.issues if i["check"] == "column.extra"]
    assert len(extra) == 1 and extra[0]["severity"] == "warning" and "'小计'" in extra[0]["message"]
    assert checks(report, "error") == []
    if name.endswith(".html"):  # the subtotal column holds 3 here: read as 法律服务机构 it would show
        assert report.value("requests", row="new_received", applicant="legal_service") == 0
        assert report.value("requests", row="new_received", applicant="total") == 154


@pytest.mark.parametrize("name", ["table3_missing_column.txt", "table3_missing_column.html"])
def test_missing_applicant_column_is_an_error_and_the_others_are_read(name: str) -> None:
    gold_name = "2020_luoyang-tongjiju" if name.endswith(".txt") else "2025_pingtan-zongheshiyanqu"
    report = extract_report(BAD / name)
    assert report.report["parse_status"] == "partial"
    want = {k: v for k, v in gold(gold_name, "requests").items() if k[2] != "legal_service"}
    assert cells(report, "requests") == want
    missing = [i for i in report.issues if i["check"] == "column.missing"]
    assert [(i["severity"], i["location"]) for i in missing] == [("error", "table 3 / legal_service")]
    assert "法律服务机构" in missing[0]["message"]
    assert (missing[0]["expected"], missing[0]["actual"]) == ("7", "6")
    assert cells(report, "reviews_litigation") == gold(gold_name, "reviews_litigation")


@pytest.mark.parametrize(
    ("name", "found"), [("table3_unnamed_column.txt", 8), ("table3_unnamed_missing_column.txt", 6)]
)
def test_a_column_the_header_does_not_name_leaves_table3_unread_with_the_counts(
    name: str, found: int
) -> None:
    """Eight (or six) value cells a row under a header naming seven: which is which cannot be told, so
    no row is read, not even the rows that would fit seven with an empty padding cell (shifted)."""
    report = extract_report(BAD / name)
    assert report.report["parse_status"] == "partial"
    assert report.requests == []
    errors = [i for i in report.issues if i["check"] == "row.cells"]
    assert len(errors) == 1 and errors[0]["location"] == "table 3"
    assert (errors[0]["expected"], errors[0]["actual"]) == ("7", str(found))
    msg = errors[0]["message"]
    assert f"23 of 23 rows have {found} value cells where 7 columns are expected" in msg
    assert "not read: new_received, carried_over, granted," in msg and msg.endswith("carried_forward")
    assert cells(report, "active_disclosure") == gold("2020_luoyang-tongjiju", "active_disclosure")
    assert cells(report, "reviews_litigation") == gold("2020_luoyang-tongjiju", "reviews_litigation")


# ------------------------------------------------------------------------------------ a batch


def test_batch_carries_on_past_every_bad_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(BAD, raw)
    shutil.copy(SEED_TXT, raw)
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    summary = ingest_folder(raw, tmp_path / "clean", jobs=2, progress=False)
    seen = {Path(p).name: s for p, s in summary.statuses.items()}
    same = {Path(p).name: Path(o).name for p, o in summary.duplicates.items()}
    assert set(seen) | set(same) == set(before)  # every file is accounted for
    assert all(before[n] == before[o] for n, o in same.items())  # only identical bytes are merged
    for name in before:
        status = seen.get(name) or seen[same[name]]
        if name in UNREADABLE or name in SCANNED:
            assert status == "failed", name
            assert name in seen  # an unreadable file gets its own answer, even when its bytes repeat
        elif name in PARTIAL:
            assert status == "partial", name
        else:
            assert status == "ok", name
    for name, reason in UNREADABLE.items():
        key = str(raw / name)
        assert summary.failures[key].startswith(f"{key}: {reason}")
    assert summary.failures[str(raw / "scanned.pdf")] == "no text layer: scanned document"

    reports = load_table("reports", tmp_path / "clean")
    row_of = {}  # every path recorded, source_path or duplicate_paths, → its reports row
    for _, row in reports.iterrows():
        extra = row["duplicate_paths"].split("\n") if isinstance(row["duplicate_paths"], str) else []
        for p in [row["source_path"], *extra]:
            assert p not in row_of
            row_of[p] = row
    assert set(row_of) == {str(raw / n) for n in before}
    issues = load_table("issues", tmp_path / "clean")
    by_report = {p: row["report_id"] for p, row in row_of.items()}
    for name in UNREADABLE:
        row = row_of[str(raw / name)]
        assert row["parse_status"] == "failed"
        rows = issues[issues["report_id"] == row["report_id"]]
        assert list(rows["check"]) == ["read.failed"]
        assert rows["message"].iloc[0] == summary.failures[row["source_path"]]
    for name, check in [("missing_table4.txt", "table.missing"), ("table3_missing_column.html", "column.missing"),
                        ("table3_unnamed_column.txt", "row.cells"), ("scanned.pdf", "no_text_layer")]:  # fmt: skip
        rows = issues[issues["report_id"] == by_report[str(raw / name)]]
        assert check in set(rows["check"]), name
    assert {p.name: p.read_bytes() for p in raw.iterdir()} == before  # raw files are never modified


def test_extract_of_a_scanned_document_fails_with_the_reason() -> None:
    path = BAD / "scanned.pdf"
    proc = run_cli("extract", str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == f"error: {path}: no text layer: scanned document"
    as_json = run_cli("extract", str(path), "--json")  # the JSON is still printed for a pipeline
    assert as_json.returncode == 1 and '"parse_status": "failed"' in as_json.stdout
