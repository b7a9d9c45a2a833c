"""Reader for text pasted from a web page or Word: tab- or space-separated table rows."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.model.document import Document, ReadError, sha256_of

from ._common import binary_hint, decode, iso_date, text_lines, undecodable

# a crawler's header above the page's text: "标题: …", "发布时间: 2024-01-31 08:28", "原文链接: https://…",
# then a line "==== 正文 ====" (the 平潭 archive's page.txt)
_HEADER_FIELD = re.compile(r"^(标题|发布时间|文号|发布机构|栏目|原文链接|本地目录)\s*[:：]\s*(.*?)\s*$")
_BODY_MARK = re.compile(r"^\s*=+\s*正文\s*=+\s*$")
_HEADER_NOTE = re.compile(r"^页面链接与图片详见")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
# the site's navigation the crawler kept before the article: "当前位置： 首页政务公开… 来源：… 时间：…
# 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： -->"
_SITE_NAV = re.compile(
    r"^\s*(?:当前位置|您的位置|您现在的位置)\s*[:：]"
    r"(?:.{0,400}?相关链接\s*[:：]\s*(?:-->)?|.{0,400}?文字版\s*文件下载)\s*"
)


def crawler_header(text: str) -> tuple[dict[str, str], str]:
    """The fields of a crawler's header (标题, 发布时间, 原文链接 …) and the text after it, the site's
    navigation before the article taken off; ({}, text) when the text has no such header."""
    lines = text.splitlines()
    mark = next((i for i, ln in enumerate(lines[:30]) if _BODY_MARK.match(ln)), None)
    if mark is None or not lines or not _HEADER_FIELD.match(lines[0].lstrip("\ufeff")):
        return {}, text
    fields = {}
    for ln in lines[:mark]:
        if m := _HEADER_FIELD.match(ln.lstrip("\ufeff")):
            fields[m.group(1)] = m.group(2)
        elif ln.strip() and not _HEADER_NOTE.match(ln):
            return {}, text  # not a header this reader knows: keep the text whole
    body = "\n".join(lines[mark + 1 :])
    return fields, _SITE_NAV.sub("", body, count=1)


def read(path: Path, data: bytes) -> Document:
    """Decode the text (UTF-8 or GB family) and split it into paragraphs and table rows."""
    if hint := binary_hint(data):  # (read_document says so first; this is for a direct call)
        raise ReadError(f"{path}: binary file, not text ({hint})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")  # an odd byte at the end, a lone surrogate: �
    else:
        text = decode(data)
    if text.count("\ufffd") > max(10, len(text) // 50):
        raise ReadError(f"{path}: not readable text in any Chinese encoding (UTF-8, GB18030)")
    fields, body = crawler_header(text)
    title = fields.get("标题") or None
    lines = text_lines(f"{title}\n{body}" if title else body)
    if not lines:
        raise ReadError(f"{path}: no text in file")
    date = _DATE.match(fields.get("发布时间", ""))
    url = fields.get("原文链接", "")
    return Document(
        path=path,
        source_format="txt",
        sha256=sha256_of(data),
        lines=lines,
        title=title,
        published=iso_date(*date.groups()) if date else None,
        source_url=url if re.match(r"https?://\S+$", url) else None,
        problems=undecodable(text),
    )
