"""NFKC (``unicodedata.normalize("NFKC", …)``) of the text reports are made of, several times faster.

Most report text is Chinese characters, ASCII and the full-width and CJK punctuation; NFKC's own
algorithm is slow on it (about 0.1 µs a character). For a text all of whose characters are *plain* —
in the blocks below, and each a string of starters under NFKD (canonical combining class 0), every one
unchanged by NFKD and in those blocks — NFKD leaves nothing to reorder, and no character of those
blocks is the second of a canonical composition (tests/model/test_nfkc.py checks that against every
code point), so NFKC is NFKD character by character: such a text is mapped by a table. Any other text
(an accent, a Hangul jamo, a character of another block) goes to ``unicodedata.normalize``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# the blocks looked at: ASCII, Latin-1, general punctuation, letterlike and number forms, enclosed
# alphanumerics, CJK symbols and punctuation, enclosed CJK, CJK ideographs (extension A and the
# unified ones, which NFKD leaves as they are), half- and full-width forms
BLOCKS = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2000, 0x206F),
    (0x2100, 0x218F),
    (0x2460, 0x24FF),
    (0x3000, 0x303F),
    (0x3200, 0x32FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xFF00, 0xFFEF),
)
_IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_LINE_CONTROLS = (0x09, 0x0A, 0x0D)  # tab and line breaks: starters NFKD leaves as they are


def _in_blocks(cp: int) -> bool:
    return cp in _LINE_CONTROLS or any(a <= cp <= b for a, b in BLOCKS)


@cache
def tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """(a pattern finding a character that is not plain, one finding a plain character NFKC changes,
    what NFKC makes of each of those), made on first use."""
    plain: list[int] = []
    mapping: dict[str, str] = {}
    for a, b in ((cp, cp) for cp in _LINE_CONTROLS):
        plain.extend(range(a, b + 1))
    for a, b in BLOCKS:
        if (a, b) in _IDEOGRAPHS:
            plain.extend(range(a, b + 1))
            continue
        for cp in range(a, b + 1):
            c = chr(cp)
            d = unicodedata.normalize("NFKD", c)
            if all(
                _in_blocks(ord(x)) and unicodedata.combining(x) == 0 and unicodedata.normalize("NFKD", x) == x
                for x in d
            ):
                plain.append(cp)
                if d != c:
                    mapping[c] = d
    plain.sort()
    ranges: list[str] = []
    i = 0
    while i < len(plain):
        j = i
        while j + 1 < len(plain) and plain[j + 1] == plain[j] + 1:
            j += 1
        ranges.append(re.escape(chr(plain[i])) + (f"-{re.escape(chr(plain[j]))}" if j > i else ""))
        i = j + 1
    not_plain = re.compile(f"[^{''.join(ranges)}]")
    changed = re.compile(f"[{''.join(re.escape(c) for c in sorted(mapping))}]")
    return not_plain, changed, mapping


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, by a table when every character is plain."""
    not_plain, changed, mapping = tables()
    if not_plain.search(text) is not None:
        return unicodedata.normalize("NFKC", text)
    return changed.sub(lambda m: mapping[m.group()], text)
