"""A folder → Reports → store: what a reader hands on must be storable. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_lone_surrogates_from_a_reader_never_reach_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF whose font map was damaged gave text with a lone surrogate ('\\udfff'): extract passed, but
    Parquet refused the string and the whole ingest stopped. Readers' text is cleaned where it leaves them."""
    from analysis.ingest import ingest_folder
    from analysis.model.document import storable
    from analysis.read import text as read_text
    from analysis.store import load_table

    real = read_text.read

    def damaged(path: Path, data: bytes):  # noqa: ANN202 - what the damaged font map produced
        doc = real(path, data)
        doc.lines[2].cells = [doc.lines[2].cells[0] + "\udfff"]  # the first paragraph of section 1
        return doc

    monkeypatch.setattr(read_text, "read", damaged)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_bytes(
        (Path(__file__).parent / "fixtures" / "2020_luoyang-tongjiju.txt").read_bytes()
    )
    summary = ingest_folder(raw, tmp_path / "clean", jobs=1, progress=False)
    assert summary.statuses == {str(raw / "seed.txt"): "ok"}
    sections = load_table("sections", tmp_path / "clean")
    assert "\ufffd" in sections[sections["section"] == 1]["text"].iloc[0]
    assert storable("x\udfff") == "x\ufffd"  # not a file-name escape either: replaced, never raised
