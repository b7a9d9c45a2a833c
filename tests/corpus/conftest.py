"""Fixtures of the checks-across-reports tests (the store of real reports: ``conftest_corpus``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest_corpus import corpus_dir, corpus_tables, found  # noqa: E402,F401
