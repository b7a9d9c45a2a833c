"""How much of each crawled report (tests/fixtures/crawled, page.txt as the archive stores it) is read:
cells per table against the cells its template prints, the issues that explain the rest, and the time
per report; then the table-2 cells the neighbouring year's report resolves (corpus/resolve, over the
folder's reports). Prints numbers, asserts nothing: ``python benchmarks/crawled.py [folder]``."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from pathlib import Path

from analysis.corpus.resolve import resolve
from analysis.ingest import reports_to_frames
from analysis.model import codes
from analysis.parse.flattened import parse_flattened
from analysis.read import read_document
from analysis.report import extract_report
from analysis.store.schema import typed

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "crawled"


def expected_cells(report) -> tuple[int, int, int]:  # noqa: ANN001
    """Cells the template prints in tables 2, 3 and 4 (table 2: in the rows the report prints, read or
    not; table 3: in its rows, the (六) row as one row or three)."""
    template = report.report["template"] or "2021"
    rows = {(r["clause"], r["item"]) for r in report.active_disclosure}
    rows |= {
        tuple(i["location"].split(" / ")[1:3])
        for i in report.issues
        if i["check"] == "row.ambiguous" and i["location"].startswith("table 2 /")
    }
    t2 = codes.ACTIVE_DISCLOSURE.get(template, {})
    n2 = sum(len(t2.get(clause, {}).get(item, ())) for clause, item in rows)
    n3 = len(codes.expected_request_rows({r["row"] for r in report.requests})) * len(codes.APPLICANTS)
    return n2, n3, len(codes.PROCEEDINGS) * len(codes.RESULTS)


def main(folder: Path) -> None:
    totals: Counter = Counter()
    resolved: Counter = Counter()
    reports, times = [], []
    for path in sorted(folder.glob("*.txt")):
        start = time.perf_counter()
        rep = extract_report(path)
        ms = (time.perf_counter() - start) * 1000
        reports.append(rep)
        times.append(ms)
        n2, n3, n4 = expected_cells(rep)
        got = (len(rep.active_disclosure), len(rep.requests), len(rep.reviews_litigation))
        errors = Counter(i["check"] for i in rep.issues if i["severity"] == "error")
        # table-3 rows whose cells the page prints once with the row above's (cell.merged): not read
        merged = sum(1 for i in rep.issues if i["check"] == "cell.merged") * len(codes.APPLICANTS)
        if merged:
            errors["cell.merged (warning)"] = merged // len(codes.APPLICANTS)
        flat = parse_flattened(read_document(path).text)
        resolved.update(getattr(flat, "resolved", {}))
        totals.update(t2=got[0], t2_of=n2, t3=got[1], t3_of=n3, t3_merged=merged, t4=got[2], t4_of=n4)
        print(
            f"{path.name:45} t2 {got[0]:2}/{n2:2}  t3 {got[1]:3}/{n3:3}  t4 {got[2]:2}/{n4}  "
            f"{ms:5.1f} ms  {dict(errors)}"
        )
    frames = {k: typed(k, v) for k, v in reports_to_frames(reports).items()}
    cells, _ = resolve(frames)
    resolved["neighbour"] = len(cells)
    t2 = totals["t2"] + len(cells)
    bodies = {r.report["bureau"] for r in reports}
    print(
        f"total ({len(reports)} reports, {len(bodies)} bodies): t2 {totals['t2']}/{totals['t2_of']}, "
        f"{t2}/{totals['t2_of']} ({100 * t2 / totals['t2_of']:.1f} %) with the neighbouring years  "
        f"t3 {totals['t3']}/{totals['t3_of']}  t4 {totals['t4']}/{totals['t4_of']}"
    )
    print(
        f"table 3: {totals['t3_merged']} cells in rows merged with the row above (cell.merged, NA); "
        f"{totals['t3']}/{totals['t3_of'] - totals['t3_merged']} of the cells printed apart"
    )
    print(f"table-2 cells by what resolved them: {dict(resolved)}")
    print(f"ms per report: median {statistics.median(times):.1f}, max {max(times):.1f}")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=FOLDER, help=f"page.txt files (default {FOLDER})")
    main(ap.parse_args().folder)
