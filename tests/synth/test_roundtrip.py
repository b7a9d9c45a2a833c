"""Synthetic reports come back exactly as generated, in every format, and every inconsistency
injected into them is reported: within a report by ``extract_report``, across reports by ``ingest``.

One corpus of 200 reports per format (2019 and 2021 templates, a share with one injected
inconsistency) is generated once for the module; every expectation comes from the generator's
``.expected.json`` files."""

from __future__ import annotations

import json
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from analysis.report import extract_report
from analysis.synth import generate

from .compare import differences, expected_of

PER_FORMAT = 200
FORMATS = ("txt", "html", "docx", "pdf")
# a crawled page runs the cells together: a row whose digits can be cut several ways is left unread
# and named by one of these errors (never guessed) — the only difference allowed, and only there
UNCUTTABLE = {"row.ambiguous", "layout.least_broken"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(PER_FORMAT * len(FORMATS), out, FORMATS, ("2019", "2021"), seed=15, inject_share=0.15)
    return out


def read_all(folder: Path) -> dict[str, tuple]:
    """file name → (the report read, its expected file), read on two processes."""
    paths = sorted(p for p in folder.iterdir() if not p.name.endswith(".expected.json"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(extract_report, paths, chunksize=16))
    return {p.name: (rep, expected_of(p)) for p, rep in zip(paths, reports, strict=True)}


@pytest.fixture(scope="module")
def extracted(corpus: Path) -> dict[str, tuple]:
    return read_all(corpus)


def test_the_corpus_has_what_was_asked(extracted: dict) -> None:
    exps = [e for _r, e in extracted.values()]
    assert Counter(e["format"] for e in exps) == dict.fromkeys(FORMATS, PER_FORMAT)
    assert {e["template"] for e in exps} == {"2019", "2021"}
    assert {e["layout"] for e in exps if e["format"] == "txt"} == {"pasted", "crawled"}
    kinds = Counter(i["kind"] for e in exps for i in e["injected"])
    assert set(kinds) == {"arithmetic", "continuity", "narrative", "copied_text"}, kinds
    # copies whose copier put its own full name into every sentence (corpus/reuse leaves names out)
    assert sum("own name in every sentence" in i["detail"] for e in exps for i in e["injected"]) >= 3
    assert sum(1 for e in exps if any(r["raw"] == "" for r in e["requests"])) > 10  # blank cells printed


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_cell_comes_back_as_generated(extracted: dict, fmt: str) -> None:
    wrong = {}
    for name, (rep, exp) in extracted.items():
        if exp["format"] != fmt:
            continue
        diff = differences(rep, exp)
        if exp["layout"] == "crawled" and {i["check"] for i in rep.issues} & UNCUTTABLE:
            diff = [d for d in diff if ": not read, expected" not in d]  # unread, and said so
        if diff:
            wrong[name] = diff[:5]
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_injected_reports_have_errors(extracted: dict, fmt: str) -> None:
    """A report generated consistent reads with no error (a crawled page may have an uncuttable row)."""
    wrong = {}
    for name, (rep, exp) in extracted.items():
        if exp["format"] != fmt or any(i["scope"] == "report" for i in exp["injected"]):
            continue
        errors = Counter(i["check"] for i in rep.issues if i["severity"] == "error")
        if exp["layout"] == "crawled":
            errors = Counter({k: v for k, v in errors.items() if k not in UNCUTTABLE})
        if errors:
            wrong[name] = dict(errors)
    assert not wrong, wrong


def test_inconsistencies_within_a_report_are_reported(extracted: dict) -> None:
    missed, n = {}, 0
    for name, (rep, exp) in extracted.items():
        for inj in exp["injected"]:
            if inj["scope"] != "report":
                continue
            n += 1
            lacking = set(inj["checks"]) - {i["check"] for i in rep.issues}
            if lacking:
                missed[name] = (inj["location"], sorted(lacking))
    assert n >= 10
    assert not missed, missed


def test_inconsistencies_across_reports_are_reported_by_ingest(corpus: Path, tmp_path: Path) -> None:
    from analysis import store
    from analysis.ingest import ingest_folder

    ingest_folder(corpus, tmp_path / "clean", jobs=2, progress=False)
    tables = store.load_all(tmp_path / "clean")
    reports = tables["reports"].assign(file=lambda r: r["source_path"].map(lambda p: Path(p).name))
    file_of = dict(zip(reports["report_id"], reports["file"], strict=True))
    issues = tables["issues"].assign(file=lambda i: i["report_id"].map(file_of))
    raised: dict[str, set[str]] = issues.groupby("file")["check"].agg(set).to_dict()
    exps = {p.name: expected_of(p) for p in corpus.iterdir() if not p.name.endswith(".expected.json")}
    missed, n = {}, 0
    for name, exp in exps.items():
        for inj in exp["injected"]:
            if inj["scope"] != "corpus":
                continue
            n += 1
            lacking = set(inj["checks"]) - raised.get(name, set())
            if lacking:
                missed[name] = (inj["kind"], inj["detail"], sorted(lacking))
    assert n >= 20
    assert not missed, missed
    # and no report generated consistent gets an error from the checks across reports
    corpus_errors = issues[(issues["severity"] == "error") & issues["check"].str.startswith("corpus.")]
    clean = {n for n, e in exps.items() if not e["injected"]}
    assert not set(corpus_errors["file"]) & clean, corpus_errors[corpus_errors["file"].isin(clean)][
        ["file", "check", "message"]
    ].to_string()


LEGACY_PER_FORMAT = 40


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Legacy reports (narrative and 统计表) in every format, read."""
    out = tmp_path_factory.mktemp("synth-legacy")
    generate(LEGACY_PER_FORMAT * len(FORMATS), out, FORMATS, ("legacy",), seed=16, inject_share=0)
    return read_all(out)


def test_legacy_figures_come_back_as_generated(legacy: dict) -> None:
    exps = [e for _r, e in legacy.values()]
    assert {e["template"] for e in exps} == {"legacy"} and len(exps) == LEGACY_PER_FORMAT * len(FORMATS)
    # crawled pages dated after their 统计表: the date runs into the last row (行政申诉数件0 + 2018年1月20日)
    dated = [
        n
        for n, (rep, e) in legacy.items()
        if e["layout"] == "crawled"
        and re.search(
            r"件\d+(?:19|20)\d\d年\d+月\d+日附件下载", Path(rep.report["source_path"]).read_text("utf-8")
        )
    ]
    assert len(dated) >= 5, dated
    wrong = {n: d[:5] for n, (rep, exp) in legacy.items() if (d := differences(rep, exp))}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_legacy_crawled_reports_have_no_errors(legacy: dict) -> None:
    errors = {
        n: [i["check"] for i in rep.issues if i["severity"] == "error"]
        for n, (rep, exp) in legacy.items()
        if exp["layout"] == "crawled"
    }
    assert not {n: e for n, e in errors.items() if e}


def test_legacy_table_layouts_have_no_errors(legacy: dict) -> None:
    errors = {
        n: [i["check"] for i in rep.issues if i["severity"] == "error"]
        for n, (rep, exp) in legacy.items()
        if exp["layout"] != "crawled"
    }
    assert not {n: e for n, e in errors.items() if e}
