"""``index.html``: every brief in an output folder (this run's and earlier ones) in a sortable table with its
key figures, data-quality flags and links, or its error."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.model.issues import CHECKS, DERIVED_PREFIX, FINDING_KINDS
from analysis.model.labels import FINDING_KIND_LABELS
from analysis.present.webfont import with_font

from .files import KEY_FIGURES, RESULT, WORKBOOK, BriefResult


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


# the key figures the index shows for each brief (keys of key_figures.json, in this order)
INDEX_FIGURES = ("new_received", "total_processed", "grant_rate", "review_total", "review_correction_rate")
# sorts the table by the clicked column: numbers by their data-sort value, text in Chinese collation
SORT_JS = """document.querySelectorAll('th').forEach((th, i) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0], up = th.dataset.dir !== 'asc';
  const key = r => { const c = r.cells[i], v = c.dataset.sort ?? c.textContent.trim();
    return v === '' ? null : (isNaN(v) ? v : Number(v)); };
  const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
    if (x === null || y === null) return (x === null) - (y === null);
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh');
    return up ? d : -d; });
  th.parentNode.querySelectorAll('th').forEach(h => delete h.dataset.dir);
  th.dataset.dir = up ? 'asc' : 'desc'; body.append(...rows);
}));"""


def key_figures_of(folder: Path) -> dict:
    """A brief folder's ``key_figures.json`` (empty when the brief made none)."""
    path = folder / KEY_FIGURES
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# the brief's exported issues of its reports (the 数据问题 sheet of briefs.files.brief_tables, as CSV)
ISSUES_CSV = "数据问题.csv"
_CHECK_OF_LABEL = {c.label_zh: c.name for c in CHECKS.values() if c.label_zh}


def corpus_findings(folder: Path) -> dict[str, int]:
    """The checks across reports (``corpus.*``) that found something in a brief's reports, counted by
    kind (relation, narrative, copied, anomaly): read from the brief's exported issues, whose 问题 column
    holds each check's Chinese label; empty when the brief exported none."""
    try:
        issues = pd.read_csv(folder / ISSUES_CSV, encoding="utf-8-sig", usecols=["问题"])
    except (OSError, ValueError):
        return {}
    checks = issues["问题"].map(lambda v: _CHECK_OF_LABEL.get(v, v))
    kinds = checks[checks.str.startswith(DERIVED_PREFIX, na=False)].map(FINDING_KINDS).value_counts()
    return {k: int(kinds[k]) for k in FINDING_KIND_LABELS if k in kinds}


def brief_flags(r: BriefResult, figures: dict, folder: Path | None = None) -> list[str]:
    """The data-quality flags of a brief, whatever the run and its key figures recorded (unread values,
    glyphs missing from the font, any other ``flags``) and what the checks across reports found in its
    reports (``folder``: the brief's folder), each as one line of text."""
    flags = [str(f) for f in figures.get("flags", [])]
    found = corpus_findings(folder) if folder is not None else {}
    if found:
        flags.append("跨报告核对：" + "、".join(f"{FINDING_KIND_LABELS[k]}{n}项" for k, n in found.items()))
    unread = list(getattr(r, "unread", []) or figures.get("unread", []))
    if unread:
        flags.append(f"未能读取的数字{len(unread)}项：" + "；".join(map(str, unread)))
    if r.warnings:
        flags.append(f"图表字形缺失{len(r.warnings)}处")
    return flags


def write_index(out_dir: Path, results: Sequence[BriefResult]) -> Path:
    """``index.html``: a sortable table of every brief (this run's and earlier ones in the folder) with its
    key figures, data-quality flags and links (HTML, PPTX, workbook, notebook), failures with their errors.
    Self-contained: one inline script, nothing loaded from the network."""
    heads: dict[str, str] = {}
    rows = []
    for r in sorted(results, key=lambda r: (r.year, r.name)):
        folder = Path(r.out_dir) if r.out_dir else out_dir
        rel = folder.relative_to(out_dir) if folder.is_relative_to(out_dir) else Path(".")
        figures = key_figures_of(folder) if r.ok else {}
        by_key = {f.get("key"): f for f in figures.get("figures", [])}
        for key in INDEX_FIGURES:
            if key in by_key:
                heads.setdefault(key, str(by_key[key].get("label", key)))
        rows.append((r, rel, by_key, brief_flags(r, figures, folder if r.ok else None)))
    keys = [k for k in INDEX_FIGURES if k in heads]
    lines = []
    for r, rel, by_key, flags in rows:
        links = (
            " · ".join(
                f'<a href="{html.escape(str(rel / f))}">{label}</a>' for f, label in LINKS if f in r.files
            )
            if r.ok
            else html.escape(r.error)
        )
        cells = [
            f"<td>{html.escape(r.name)}</td>",
            f"<td>{r.year}</td>",
            f"<td>{'成功' if r.ok else ('超时' if r.status == 'timeout' else '失败')}</td>",
        ]
        for key in keys:
            f = by_key.get(key, {})
            value = f.get("value")
            sort = "" if value is None else f"{value:g}"
            cells.append(f"<td class='num' data-sort='{sort}'>{html.escape(str(f.get('text', '—')))}</td>")
        cells.append(
            f"<td class='flags' data-sort='{len(flags)}'>{'<br>'.join(html.escape(f) for f in flags)}</td>"
        )
        cells.append(f"<td>{links}</td>")
        lines.append(f"<tr class='{r.status}{' flagged' if flags else ''}'>{''.join(cells)}</tr>")
    header = "".join(
        f"<th>{html.escape(h)}</th>"
        for h in ["单位/地区", "年度", "状态", *(heads[k] for k in keys), "数据质量提示", "文件或错误"]
    )
    flagged = sum(1 for *_, flags in rows if flags)
    across = sum(1 for *_, flags in rows if any(f.startswith("跨报告核对") for f in flags))
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告简报</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left}}
th{{cursor:pointer;user-select:none;background:#f4f6f8}}th[data-dir=asc]::after{{content:" ▲"}}
th[data-dir=desc]::after{{content:" ▼"}}td.num{{text-align:right;font-variant-numeric:tabular-nums}}
td.flags{{color:#b35900}}tr.failed td,tr.timeout td{{color:#c2185b}}</style></head><body>
<h1>政府信息公开工作年度报告简报</h1>
<p>{sum(r.ok for r in results)} 份成功，{sum(not r.ok for r in results)} 份失败，{flagged} 份有数据质量提示（其中 {sum(bool(getattr(r, "unread", None)) for r in results)} 份含未能读取的数字，{across} 份有跨报告核对发现）；生成日期 {date.today():%Y-%m-%d}。点击表头排序。</p>
<table><thead><tr>{header}</tr></thead><tbody>
{chr(10).join(lines)}
</tbody></table>
<script>{SORT_JS}</script>
</body></html>
"""
    path = out_dir / "index.html"
    path.write_text(with_font(page), encoding="utf-8")
    return path


LINKS = (
    ("brief.html", "简报"),
    ("brief.pptx", "幻灯片"),
    (WORKBOOK, "表格"),
    ("brief.ipynb", "笔记本"),
)
