"""The registry of checks: every check the code emits is in it, with its severity; the README's table
is the registry's; ``issue()`` refuses a check the registry does not hold; no report gets one twice."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import analysis
from analysis.model.document import ReadError
from analysis.model.issues import CHECKS, PARTIAL_CHECKS, SEVERITIES, issue, markdown_table, registered
from analysis.read import read_document
from analysis.report import Report, build_report, extract_report, failed_report
from analysis.store import load_table

PACKAGE = Path(analysis.__file__).parent
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTS = sorted(
    p
    for folder in (ROOT / "data" / "raw", FIXTURES, FIXTURES / "bad", FIXTURES / "extra")
    for p in folder.iterdir()
    if p.is_file() and p.suffix not in {".py", ".csv", ".json"}
)


# ------------------------------------------------------------------ the check names in the source


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    return {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _parents(tree: ast.Module) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _resolve(expr: ast.expr, tree: ast.Module, parents: dict, where: str) -> set[str]:
    """The strings an expression can be: a literal, a module constant, or a parameter of the enclosing
    function given as a literal by that function's callers in the module. Anything else fails."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.Name):
        consts = _module_constants(tree)
        func = parents.get(expr)
        while func is not None and not isinstance(func, ast.FunctionDef):
            func = parents.get(func)
        params = [a.arg for a in func.args.args] if func is not None else []
        if expr.id in params:
            i = params.index(expr.id)
            found: set[str] = set()
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _call_name(n) == func.name]
            for call in calls:
                arg = next((k.value for k in call.keywords if k.arg == expr.id), None)
                arg = arg if arg is not None else call.args[i] if i < len(call.args) else None
                assert arg is not None, f"{where}: a call of {func.name} without {expr.id}"
                found |= _resolve(arg, tree, parents, where)
            assert found, f"{where}: {func.name} is never called, so its check name is unknown"
            return found
        if expr.id in consts:
            return _resolve(consts[expr.id], tree, parents, where)
    raise AssertionError(f"{where}: cannot tell which check {ast.unparse(expr)} names")


def emitted_in_source() -> dict[str, set[str]]:
    """check name → the modules that emit it: the check of every ``issue(...)`` call and of every
    problem dict (a dict literal with a "check" key; a column declaration's ``pa.Column`` is not one)."""
    out: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE))
        if rel == "model/issues.py":  # issue() itself: its callers name the checks
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = _parents(tree)
        for node in ast.walk(tree):
            expr = None
            if isinstance(node, ast.Call) and _call_name(node) == "issue":
                expr = next((k.value for k in node.keywords if k.arg == "check"), None) or node.args[1]
            elif isinstance(node, ast.Call) and _call_name(node) == "issue_frame":  # corpus: issues in bulk
                expr = next((k.value for k in node.keywords if k.arg == "check"), None) or node.args[0]
            elif isinstance(node, ast.Dict):
                keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
                if "check" in keys and not isinstance(node.values[keys.index("check")], ast.Call):
                    expr = node.values[keys.index("check")]
            if expr is not None:
                for name in _resolve(expr, tree, parents, f"{rel}:{node.lineno}"):
                    out.setdefault(name, set()).add(rel)
    return out


def test_the_source_scan_finds_checks_of_every_kind() -> None:
    """The scan sees literals, module constants and parameters (or the next test could pass empty)."""
    found = emitted_in_source()
    assert found["table3.balance"] == {"parse/checks.py"}  # _compare(grid, "table3.balance", …)
    assert found["duplicate.bureau_year"] == {"store/choose.py"}  # CHECK = "duplicate.bureau_year"
    assert found["encoding.damaged"] == {"read/_common.py"}  # a reader's problem dict
    assert found["read.failed"] == {"report.py"}  # issue("error", "read.failed", …)


def test_every_check_in_the_source_is_registered_and_every_registered_one_is_emitted() -> None:
    found = emitted_in_source()
    assert sorted(set(found) - set(CHECKS)) == []
    assert sorted(set(CHECKS) - set(found)) == []


# ------------------------------------------------------------------------------- the registry


def test_each_check_has_one_severity_a_partial_flag_and_a_sentence() -> None:
    for c in CHECKS.values():
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)?", c.name), c.name
        assert c.severity in SEVERITIES, c
        assert c.meaning.endswith(".") and "|" not in c.meaning and len(c.meaning) < 200, c


def test_partial_checks_are_those_that_leave_part_of_a_report_unread() -> None:
    assert PARTIAL_CHECKS == {
        "table.missing",
        "row.cells",
        "row.missing",
        "cell.merged",
        "row.ambiguous",
        "template.legacy",
        "no_text_layer",
        "page.no_text_layer",
        "narrative.failed",
        "column.missing",
    }


def test_issue_refuses_an_unregistered_check_or_another_severity() -> None:
    assert issue("error", "row.missing", "table 3 / granted", "table 3 row granted not found") == {
        "severity": "error",
        "check": "row.missing",
        "location": "table 3 / granted",
        "expected": None,
        "actual": None,
        "message": "table 3 row granted not found",
    }
    assert issue("warning", "cell.blank", "table 3", "1 blank", 0, 1)["expected"] == "0"
    with pytest.raises(ValueError, match="unregistered check 'row.missed'"):
        issue("error", "row.missed", "table 3", "typo")
    with pytest.raises(ValueError, match="'no_text_layer' is registered as 'error', not 'warning'"):
        issue("warning", "no_text_layer", "page 2", "a page without text")
    with pytest.raises(ValueError, match="unregistered check"):
        registered({"severity": "warning", "check": "ocr ", "location": "document", "message": "x"})


# ----------------------------------------------------------------- the README's table of checks

BEGIN = (
    "<!-- checks: generated from src/analysis/model/checks.csv by analysis.model.issues.markdown_table() -->"
)
END = "<!-- /checks -->"


def test_the_readme_table_of_checks_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(BEGIN) == 1 and readme.count(END) == 1
    section = readme.split(BEGIN)[1].split(END)[0]
    assert section.strip("\n") == markdown_table().strip("\n")
    rows = [ln for ln in section.splitlines() if ln.startswith("| `")]
    assert [re.match(r"\| `([^`]+)`", r)[1] for r in rows] == list(CHECKS)
    assert "| `no_text_layer` | error | yes |" in section
    assert "| `page.no_text_layer` | warning | yes |" in section


# ------------------------------------------------------------ what the real documents raise


def _report(path: Path) -> Report:
    try:
        return extract_report(path)
    except ReadError as exc:
        return failed_report(path, path.read_bytes(), str(exc))


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {str(p.relative_to(ROOT)): _report(p) for p in DOCUMENTS}


def test_every_check_the_real_documents_raise_is_registered_with_its_severity(
    reports: dict[str, Report],
) -> None:
    raised = Counter()
    for where, rep in reports.items():
        for i in rep.issues:
            assert i["check"] in CHECKS, f"{where}: {i}"
            assert i["severity"] == CHECKS[i["check"]].severity, f"{where}: {i}"
            raised[i["check"]] += 1
    # the documents exercise most of the registry (so this test cannot pass on nothing)
    assert {"cell.blank", "table3.outcomes_sum", "read.failed", "no_text_layer", "layout.flattened"} <= set(
        raised
    )
    assert len(raised) >= 12


def test_no_report_gets_a_document_check_twice(reports: dict[str, Report]) -> None:
    for where, rep in reports.items():
        per_place = Counter((i["check"], i["location"]) for i in rep.issues)
        assert [k for k, n in per_place.items() if n > 1 and k[1] == "document"] == [], where


def test_the_store_raises_only_registered_checks(clean_dir: Path) -> None:
    issues = load_table("issues", clean_dir)
    assert len(issues)
    for check, severity in set(zip(issues["check"].astype(str), issues["severity"].astype(str), strict=True)):
        assert CHECKS[check].severity == severity, check


def test_an_ocrd_document_gets_the_readers_ocr_warning_once() -> None:
    """The reader says the text came from OCR (and why); the report does not say it again."""
    text = read_document(FIXTURES / "2024_huaian-shizhengfu.pdf")
    said = {
        "severity": "warning",
        "check": "ocr",
        "location": "document",
        "message": "no text layer: scanned document; text read by OCR (tesseract chi_sim): check every value",
    }
    report = build_report(replace(text, problems=[said], ocr=True))  # as read/pdf returns an OCR'd scan
    assert [i for i in report.issues if i["check"] == "ocr"] == [{**report.issues[0], **said}]
    assert report.issues[0]["check"] == "ocr"
    assert report.value("requests", row="new_received", applicant="total") is not None


def test_a_scanned_page_in_a_text_pdf_is_a_page_check_and_the_report_partial(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument(FIXTURES / "2024_huaian-shizhengfu.pdf")
    pdf.import_pages(pdfium.PdfDocument(FIXTURES / "bad" / "scanned.pdf"), [0])
    pdf.save(tmp_path / "mixed.pdf")
    report = extract_report(tmp_path / "mixed.pdf")
    pages = [
        (i["severity"], i["check"], i["location"]) for i in report.issues if "no_text_layer" in i["check"]
    ]
    assert pages == [("warning", "page.no_text_layer", "page 7")]
    assert report.report["parse_status"] == "partial"
    assert report.value("requests", row="new_received", applicant="total") is not None
