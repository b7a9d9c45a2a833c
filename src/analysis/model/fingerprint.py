"""A fingerprint of some of the package's own code and data files: what a stored result was made by, so
that a later run can tell whether it would make the same (the reader of a report, the checks across
reports of a store)."""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # src/analysis


def fingerprint(*parts: str) -> str:
    """16 hex characters hashing the .py and .csv files of these parts of the package (folders, searched
    recursively, or files; relative to the package), with their paths."""
    files: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        files += [path] if path.is_file() else [f for f in path.rglob("*") if f.suffix in (".py", ".csv")]
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.relative_to(PACKAGE).as_posix()):
        digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
