"""``index.html``: every brief in an output folder (this run's and earlier ones), with links or errors."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .files import RESULT, BriefResult


def earlier_results(out_dir: Path, exclude: Sequence[BriefResult] = ()) -> list[BriefResult]:
    """Briefs already in ``out_dir`` from earlier runs (their ``result.json``), for the index page."""
    seen = {Path(r.out_dir).resolve() for r in exclude}
    found = []
    for path in sorted(out_dir.glob(f"*/*/{RESULT}")):
        if path.parent.resolve() in seen:
            continue
        try:
            found.append(BriefResult(**json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, TypeError):
            continue
    return found


def unread_cell(unread: Sequence[str]) -> str:
    """The index's flag for a brief with unread values: "1项：label：未能读取（why）" (escaped); "" if none."""
    if not unread:
        return ""
    return f"{len(unread)}项：" + "<br>".join(html.escape(u) for u in unread)


def write_index(out_dir: Path, results: Sequence[BriefResult]) -> Path:
    """``index.html`` linking every brief (this run's and earlier ones in the folder; HTML, PPTX, notebook),
    with failures and their errors."""
    rows = []
    for r in sorted(results, key=lambda r: (r.year, r.name)):
        rel = Path(r.out_dir).relative_to(out_dir) if r.out_dir else Path(".")
        links = (
            " · ".join(
                f'<a href="{html.escape(str(rel / f))}">{label}</a>'
                for f, label in (("brief.html", "简报"), ("brief.pptx", "幻灯片"), ("brief.ipynb", "笔记本"))
                if f in r.files
            )
            if r.ok
            else html.escape(r.error)
        )
        rows.append(
            f"<tr class='{r.status}'><td>{html.escape(r.name)}</td><td>{r.year}</td>"
            f"<td>{'成功' if r.ok else ('超时' if r.status == 'timeout' else '失败')}</td><td>{links}</td>"
            f"<td class='unread'>{unread_cell(r.unread)}</td></tr>"
        )
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告简报</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left}}
tr.failed td,tr.timeout td{{color:#c2185b}}td.unread{{color:#b35900}}</style></head><body>
<h1>政府信息公开工作年度报告简报</h1>
<p>{sum(r.ok for r in results)} 份成功，{sum(not r.ok for r in results)} 份失败，{sum(bool(r.unread) for r in results)} 份含未能读取的数字；生成日期 {date.today():%Y-%m-%d}。</p>
<table><tr><th>单位/地区</th><th>年度</th><th>状态</th><th>文件或错误</th><th>未能读取的数字</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
