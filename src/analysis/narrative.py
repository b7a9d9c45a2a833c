"""Narrative extraction: who/when (metadata), channel volumes, rankings and the six sections.

Works on the Document's normalized text only, so it behaves the same for every format.
(First cut: title-line metadata; channel volumes, rankings and sections come with issue 4.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document

_TITLE = re.compile(r"^\s*(?P<body>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:政府)?信息公开(?:工作)?年度?报告")


@dataclass
class Narrative:
    """What the narrative says: metadata for the reports row and the narrative tables."""

    metadata: dict = field(default_factory=dict)  # bureau, bureau_as_printed, region, admin_level, year, title
    channel_volumes: list[dict] = field(default_factory=list)
    rankings: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)


def extract(doc: Document) -> Narrative:
    """Read metadata and narrative figures from a Document."""
    meta: dict = {"bureau": None, "bureau_as_printed": None, "region": None, "admin_level": None,
                  "year": None, "title": None}
    candidates = ([doc.title] if doc.title else []) + [ln.text for ln in doc.lines[:15] if not ln.is_row]
    for text in candidates:
        m = _TITLE.search(text)
        if m:
            meta["title"] = m.group(0).strip()
            meta["year"] = int(m.group("year"))
            body = m.group("body").strip(" _-—")
            meta["bureau_as_printed"] = body or None
            meta["bureau"] = body or None
            break
    if meta["year"] is None:
        m = re.search(r"(?:19|20)\d{2}", doc.path.name)
        meta["year"] = int(m.group(0)) if m else None
    return Narrative(metadata=meta)
