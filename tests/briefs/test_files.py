"""analysis.briefs.files: the brief folder's names."""

from __future__ import annotations

from analysis.briefs import files


def test_slugify() -> None:
    assert files.slugify("淮安市人民政府") == "淮安市人民政府"
    assert files.slugify("a/b c:d") == "a-b-c-d"
    assert files.slugify("///") == "unnamed"
