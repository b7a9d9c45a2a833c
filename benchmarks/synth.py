"""How fast ``synth`` writes reports, per format, and how fast the project reads them back (with the
share read exactly as generated: every cell, value and printed text; a crawled page may leave a row
whose digits can be cut several ways unread, with an error saying so). Prints numbers; asserts nothing.

    python benchmarks/synth.py [--n 100] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "synth"))

from compare import differences, expected_of  # noqa: E402

from analysis.report import extract_report  # noqa: E402
from analysis.synth import FORMATS, generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="reports per format (default 100)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    generate(1, tempfile.mkdtemp(), ("pdf",), seed=0)  # warm up: the PDF font subset is made once
    print(f"{'format':6} {'write/s':>8} {'read/s':>8} {'exact':>7}")
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            paths = generate(args.n, tmp, (fmt,), ("2019", "2021"), seed=args.seed, inject_share=0)
            wrote = time.perf_counter() - start
            start = time.perf_counter()
            reports = [(extract_report(p), expected_of(p)) for p in paths]
            read = time.perf_counter() - start
            exact = sum(1 for rep, exp in reports if not differences(rep, exp))
            print(f"{fmt:6} {args.n / wrote:8.1f} {args.n / read:8.1f} {exact / args.n:7.1%}")


if __name__ == "__main__":
    main()
