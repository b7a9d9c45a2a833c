"""Synthetic 政府信息公开工作年度报告 at scale, with the tables each one should read as (``synth`` command).

bureaus (who reports) → values (consistent figures over consecutive years) → narrative (the six
sections, figures matching the tables) → inject (one inconsistency in a chosen fraction) → render_*
(txt pasted or crawled, HTML, DOCX, PDF) → write (files and their ``.expected.json``)."""

from __future__ import annotations

from .write import FORMATS, TEMPLATES, generate

__all__ = ["FORMATS", "TEMPLATES", "generate"]
