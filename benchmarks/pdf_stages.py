"""Where a PDF report's time goes: CPU ms per report of each reader stage on the bundled PDF seeds.

Prints numbers, asserts nothing. Each stage is timed where it is called (a stage inside another is
also counted in the outer one), pdfium's own calls (page load, text page, close) included, then the
page objects and characters a report has: the page-object walk of ``_page_rules`` makes two pdfium
calls per object (its address and its kind), a text object as much as a path, so it costs in
proportion to all objects, not to the rules found. Usage: ``python benchmarks/pdf_stages.py [--n 6]``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import ingest_scale  # noqa: E402  (puts src/ on the path)
import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

STAGES = [
    ("analysis.read.pdf", "_read_page"),
    ("analysis.read.pdf.page", "_page_chars"),
    ("analysis.read.pdf.page", "_page_rules"),
    ("analysis.read.pdf.page", "_fill_grid"),
    ("analysis.read.pdf.page", "_find_tables"),
    ("analysis.read.pdf.page", "_drop_underlines"),
    ("analysis.read.pdf.page", "_page_lines"),
    ("analysis.read.pdf", "_assemble"),
    ("analysis.report", "build_report"),
]
PDFIUM = [
    (pdfium.PdfDocument, "get_page"),
    (pdfium.PdfPage, "get_textpage"),
    (pdfium.PdfDocument, "close"),
    (pdfium.PdfPage, "close"),
    (pdfium.PdfTextPage, "close"),
]


def _timed(fn, label: str, spent: dict[str, float]):  # noqa: ANN001, ANN202
    """``fn`` adding its CPU time to ``spent[label]``."""

    @functools.wraps(fn)
    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - t0

    return timed


def _objects(paths: list[Path]) -> tuple[float, float, float]:
    """Per report: page objects, path objects among them, characters."""
    objs = paths_n = chars = 0
    for p in paths:
        pdf = pdfium.PdfDocument(p.read_bytes())
        for page in pdf:
            n = pdfium_c.FPDFPage_CountObjects(page.raw)
            kinds = [pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i)) for i in range(n)]
            objs += n
            paths_n += kinds.count(pdfium_c.FPDF_PAGEOBJ_PATH)
            textpage = page.get_textpage()
            chars += textpage.count_chars()
            textpage.close()
            page.close()
        pdf.close()
    return objs / len(paths), paths_n / len(paths), chars / len(paths)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=6, help="passes over the seeds (default 6)")
    args = ap.parse_args(argv)
    paths = [p for p, _, _ in ingest_scale._seeds(["pdf"])["pdf"]]
    spent: dict[str, float] = {}
    for mod_name, name in STAGES:
        mod = importlib.import_module(mod_name)
        setattr(mod, name, _timed(getattr(mod, name), f"{mod_name.rsplit('.', 1)[-1]}.{name}", spent))
    for cls, name in PDFIUM:
        setattr(cls, name, _timed(getattr(cls, name), f"{cls.__name__}.{name}", spent))
    from analysis.report import extract_report

    for p in paths:
        extract_report(p)  # imports, caches
    spent.clear()
    t0 = time.process_time()
    for _ in range(args.n):
        for p in paths:
            extract_report(p)
    n = args.n * len(paths)
    print(f"{len(paths)} PDF seeds x {args.n}: {(time.process_time() - t0) / n * 1000:.2f} ms CPU per report")
    for label, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<28}{s / n * 1000:8.2f}")
    objs, paths_n, chars = _objects(paths)
    print(f"per report: {objs:.0f} page objects ({paths_n:.0f} paths), {chars:.0f} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
