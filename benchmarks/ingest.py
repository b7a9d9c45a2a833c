"""Throughput and memory of reading reports, per format: prints numbers, asserts nothing.

For every bundled document (data/raw/ and tests/fixtures/, duplicates by content counted once)
it times read + parse + check (``analysis.report.extract_report``) in this one process, repeats
the pass several times and reports the median, per format (txt, html, pdf, docx):

    documents per second, milliseconds per document, peak Python memory of one pass
    (tracemalloc; C libraries such as pdfium are not traced) and the process's peak RSS so far.

Usage: ``python benchmarks/ingest.py [--runs 7] [--read-only] [PATH ...]``

With ``--n N`` it measures ``ingest`` itself (``benchmarks/ingest_scale.py``): a folder of N distinct
reports made from the bundled ones, per format and mixed, with peak memory, the floor of each format's
library and the re-run and add-50 times. ``python benchmarks/ingest.py --n 10000``
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".doc": "docx"}
DEFAULT_DIRS = (ROOT / "data" / "raw", ROOT / "tests" / "fixtures")


def bundled_documents(dirs: tuple[Path, ...] = DEFAULT_DIRS) -> dict[str, list[Path]]:
    """Readable report files by format (top level of each folder only: bad/ files are not reports)."""
    seen: set[str] = set()
    out: dict[str, list[Path]] = {}
    for folder in dirs:
        if folder.is_file():
            candidates = [folder]
        else:
            candidates = sorted(p for p in folder.iterdir() if p.is_file())
        for path in candidates:
            fmt = FORMATS.get(path.suffix.lower())
            if fmt is None:
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            out.setdefault(fmt, []).append(path)
    return out


def pick_work(read_only: bool) -> tuple[str, Callable[[Path], object]]:
    """The function to time: the whole report when it exists, else the reader alone."""
    if not read_only:
        try:
            from analysis.report import extract_report

            return "read+parse+check", extract_report
        except ImportError:
            pass
    from analysis.read import read_document

    return "read", read_document


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def bench(paths: list[Path], work: Callable[[Path], object], runs: int) -> dict[str, float]:
    """Median wall time of a pass over paths, and the Python peak memory of one pass."""
    for p in paths:  # warm-up: imports, caches
        work(p)
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        for p in paths:
            work(p)
        times.append(time.perf_counter() - t0)
    gc.collect()
    tracemalloc.start()
    for p in paths:
        work(p)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    return {
        "docs": len(paths),
        "docs_per_s": len(paths) / median if median else float("inf"),
        "ms_per_doc": 1000 * median / len(paths),
        "min_ms_per_doc": 1000 * min(times) / len(paths),
        "py_peak_mb": peak / 2**20,
        "rss_mb": _peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(a == "--n" or a.startswith("--n=") for a in argv):
        sys.path.insert(0, str(Path(__file__).parent))
        from ingest_scale import main as scale

        return scale(argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: data/raw and tests/fixtures)"
    )
    ap.add_argument("--runs", type=int, default=7, help="timed passes per format (median reported)")
    ap.add_argument("--read-only", action="store_true", help="time the reader alone (no parse, no checks)")
    args = ap.parse_args(argv)
    docs = bundled_documents(tuple(args.paths) if args.paths else DEFAULT_DIRS)
    what, work = pick_work(args.read_only)
    print(f"{what}, single process, median of {args.runs} passes (python {sys.version.split()[0]})")
    print(f"{'format':<7}{'docs':>5}{'docs/s':>10}{'ms/doc':>9}{'best ms':>9}{'py peak MB':>12}{'RSS MB':>9}")
    for fmt in ("txt", "html", "pdf", "docx"):
        paths = docs.get(fmt, [])
        if not paths:
            print(f"{fmt:<7}{0:>5}  (no documents)")
            continue
        r = bench(paths, work, args.runs)
        print(
            f"{fmt:<7}{r['docs']:>5}{r['docs_per_s']:>10.1f}{r['ms_per_doc']:>9.1f}{r['min_ms_per_doc']:>9.1f}"
            f"{r['py_peak_mb']:>12.1f}{r['rss_mb']:>9.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
