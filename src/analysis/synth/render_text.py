"""Plain text as people save reports: pasted from a page or Word (a row's cells separated by tabs), or
crawled (the page's text with a crawler's header, every block and cell run together on one line)."""

from __future__ import annotations

import random

from .layout import expand
from .narrative import Document


def pasted(doc: Document, rng: random.Random) -> str:
    """Text pasted from Word or a browser: paragraphs on their own lines, a table row per line with
    tab-separated cells; merged cells appear once, or (as Word pastes them) leave empty cells behind."""
    keep_spans = rng.random() < 0.5
    lines: list[str] = []
    for b in doc.blocks:
        if b.kind != "table":
            lines += [b.text, ""]
            continue
        for row in expand(b.grid) if keep_spans else b.grid:
            if keep_spans:
                lines.append("\t".join("" if c is None else c.text for c in row))
            else:
                lines.append("\t".join(c.text for c in row))
        lines.append("")
    return "\n".join(lines) + "\n"


def crawled(doc: Document, rng: random.Random, url: str, published: str) -> str:
    """Text as the archive's crawler saved pages: a header of fields, then the page's text on one line
    with the cells of every table run together (no separator)."""
    head = [
        f"标题: {doc.title}",
        f"发布时间: {published} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        "文号: ",
        "发布机构: ",
        "栏目: 政府信息公开年报",
        f"原文链接: {url}",
        "==================== 正文 ====================",
    ]
    parts = [f"当前位置： 首页 政务公开 政府信息公开年报 {doc.title} 时间：{published}"]
    for b in doc.blocks:
        if b.kind == "title":
            continue
        if b.kind == "table":
            parts.append("".join(c.text for row in b.grid for c in row))
        else:
            parts.append(b.text)
    parts.append("附件下载")
    return "\n".join(head) + "\n" + "".join(parts) + "\n"
