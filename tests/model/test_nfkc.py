"""model.nfkc: the table's NFKC is unicodedata's, on every plain character, on text mixing plain and other
characters, and on a real report's paragraphs; and no plain character can be the second of a composition."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from analysis.model.nfkc import nfkc, tables

ROOT = Path(__file__).resolve().parents[2]


def _plain() -> list[str]:
    not_plain = tables()[0]
    return [
        chr(cp) for cp in range(0x110000) if not (0xD800 <= cp <= 0xDFFF) and not not_plain.match(chr(cp))
    ]


def test_no_plain_character_composes_with_the_one_before() -> None:
    """The second character of every canonical pair decomposition (and the Hangul vowels and final
    consonants, composed by rule) is not plain: a plain text has nothing NFC would compose."""
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    plain = {ord(c) for c in _plain()}
    assert len(plain) > 28000  # the CJK ideographs, ASCII and the punctuation reports print
    assert not plain & seconds


def test_every_plain_character() -> None:
    for c in _plain():
        assert nfkc(c) == unicodedata.normalize("NFKC", c), hex(ord(c))


def test_mixed_text() -> None:
    """Runs of plain characters, with and without others (accents, jamo, Greek, combining marks)."""
    plain = _plain()
    others = [
        "e\u0301",
        "\u0301",
        "\u1100\u1161",
        "\u1161",
        "\uffa1",
        "µ",
        "Å",
        "\u0f73",
        "ﬁ",
        "\U0002f800",
        "한",
    ]
    rng = random.Random(7)
    for _ in range(3000):
        parts = [rng.choice(plain) for _ in range(rng.randint(0, 30))]
        if rng.random() < 0.3:
            parts.insert(rng.randint(0, len(parts)), rng.choice(others))
        text = "".join(parts)
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


def test_a_real_report() -> None:
    from analysis.read import read_document

    doc = read_document(ROOT / "data" / "raw" / "2019_pingtan-zongheshiyanqu.html")
    texts = [line.text for line in doc.lines]
    assert any(nfkc(t) != t for t in texts)  # full-width brackets and colons: the table is used
    for t in texts:
        assert nfkc(t) == unicodedata.normalize("NFKC", t)
