"""Who each real report says it is: a snapshot to compare before and after a change to the reader.

Runs ``analysis.report.extract_report`` on every report file under data/raw, tests/fixtures
(recursively) and /work/shared/corpus/raw (when present), and records each report's bureau,
bureau_as_printed, region, year and admin_level, with its title and published date (or the
one-line error). Prints numbers, asserts nothing:

    python benchmarks/bureau_snapshot.py save before.json
    python benchmarks/bureau_snapshot.py compare before.json   # lists every document whose values changed
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.read import READERS  # noqa: E402
from analysis.report import extract_report  # noqa: E402

FOLDERS = (ROOT / "data" / "raw", ROOT / "tests" / "fixtures", Path("/work/shared/corpus/raw"))
FIELDS = ("bureau", "bureau_as_printed", "region", "year", "admin_level", "title", "published")


def documents() -> list[Path]:
    """Every file a reader takes (by suffix) under the folders, in a stable order."""
    out = []
    for folder in FOLDERS:
        if folder.is_dir():
            out += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
    return out


def key(path: Path) -> str:
    """The document's path as recorded: relative to the project, or absolute outside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def snapshot() -> dict[str, dict]:
    """Each document's bureau fields, or its error."""
    out = {}
    for path in documents():
        try:
            r = extract_report(path).report
            out[key(path)] = {f: r.get(f) for f in FIELDS}
        except Exception as exc:  # one bad file never stops the snapshot
            out[key(path)] = {"error": f"{type(exc).__name__}: {str(exc).replace(str(ROOT), '')}"}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    now = snapshot()
    if args.action == "save":
        args.file.write_text(json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(now)} documents saved to {args.file}")
        return
    before = json.loads(args.file.read_text(encoding="utf-8"))
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for k in changed:
        print(f"{k}\n  before {before.get(k)}\n  after  {now.get(k)}")
    print(f"{len(now)} documents now ({len(before)} before), {len(changed)} changed")


if __name__ == "__main__":
    main()
