"""A report as its web page: a portal's navigation, the article's paragraphs, and the tables as Word
exports them to HTML (``<td rowspan colspan>`` with ``<p><span>`` inside)."""

from __future__ import annotations

import html
import random

from .narrative import Document

CELL_STYLE = "border:1.0pt solid windowtext;padding:0pt 5.4pt"
SPAN_STYLE = "font-family:仿宋_GB2312;font-size:12.0pt"
NESTED_SHARE = 0.3  # pages whose article sits inside a layout table


def _cell(text: str, rowspan: int, colspan: int) -> str:
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    inner = f'<p class="MsoNormal" align="center"><span style="{SPAN_STYLE}">{html.escape(text)}</span></p>'
    if not text:
        inner = '<p class="MsoNormal" align="center"><span style="font-size:12.0pt">&nbsp;</span></p>'
    return f'<td valign="center" style="{CELL_STYLE}"{spans}>{inner}</td>'


def page(doc: Document, rng: random.Random, url: str, published: str, charset: str = "utf-8") -> str:
    """The whole page, declaring ``charset``, with the publication date in ``<meta name="PubDate">``."""
    out = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{html.escape(doc.title)}</title>",
        f'<meta name="PubDate" content="{published} 09:00">',
        f'<meta name="Url" content="{html.escape(url)}">',
        '<link rel="stylesheet" href="/images/common.css"><script src="/js/jquery.min.js"></script>',
        "</head><body>",
        '<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li></ul></div>',
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>',
    ]
    # older portals lay the page out with tables: the article sits in a cell of a layout table
    nested = rng.random() < NESTED_SHARE
    out.append(
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>'
        '<td width="200" valign="top"><a href="/zwgk/">信息公开目录</a></td><td valign="top"><div class="article">'
        if nested
        else '<div class="article">'
    )
    for b in doc.blocks:
        if b.kind == "title":
            out.append(f'<h1 class="title">{html.escape(b.text)}</h1>')
            out.append(f'<div class="info">发布时间：{published}　来源：本网</div><div class="TRS_Editor">')
        elif b.kind == "heading":
            out.append(f'<p style="text-indent:2em"><strong>{html.escape(b.text)}</strong></p>')
        elif b.kind == "para":
            out.append(f'<p style="text-indent:2em">{html.escape(b.text)}</p>')
        else:
            border = rng.choice(
                (
                    'border="1" cellspacing="0"',
                    'class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0"',
                )
            )
            rows = "".join(
                "<tr>" + "".join(_cell(c.text, c.rowspan, c.colspan) for c in row) + "</tr>" for row in b.grid
            )
            out.append(
                f'<div align="center"><table {border} style="border-collapse:collapse"><tbody>{rows}</tbody></table></div>'
            )
    out += [
        "</div></div>",
        '<div class="footer">主办单位：政府办公室　网站标识码：0000000000</div>',
        "</body></html>",
    ]
    return "\n".join(out)
