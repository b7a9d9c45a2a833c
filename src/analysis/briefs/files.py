"""The brief folder's contract: ``<out>/<slug>/<year>/`` with ``key_figures.json`` (the figures and
sentences the slides show) and ``result.json`` (a ``BriefResult``: what a run made, or why it failed)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.present.text import change_text, figure_text
from analysis.views import UNREAD, unread_figures

KEY_FIGURES = "key_figures.json"
RESULT = "result.json"


@dataclass
class BriefResult:
    """What one brief run made (or why it failed)."""

    name: str
    year: int
    kind: str  # "bureau" or "region"
    status: str = "failed"  # ok / failed / timeout
    out_dir: str = ""
    files: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # key figures not read: "label：未能读取（why）"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def slugify(name: str) -> str:
    """A folder name for a bureau or region: the name itself (Chinese kept) without path-unsafe characters."""
    bad = '/\\:*?"<>|\t\n\r '
    slug = "".join("-" if ch in bad else ch for ch in name).strip("-.")
    return slug or "unnamed"


def brief_dir(out_dir: str | Path, name: str, year: int) -> Path:
    """``<out>/<slug>/<year>`` as an absolute path."""
    return Path(out_dir).expanduser().resolve() / slugify(name) / str(year)


def key_figures_markdown(headline: pd.DataFrame) -> str:
    """The headline figures as a Markdown table: figure, this year, the earlier report, change; a value
    not read is 未能读取 with its reason, and a list of those follows the table."""
    if headline.empty:
        return "没有可用的数字。"
    prev = headline["prev_year"].dropna()
    py = int(prev.iloc[0]) if not prev.empty else None
    lines = [f"| 指标 | 本年 | {f'{py}年' if py else '上年'} | 变化 |", "|---|---:|---:|---:|"]
    for _, r in headline.iterrows():
        now = UNREAD if r.get("reason") else figure_text(r)
        before = (UNREAD if r.get("prev_reason") else figure_text(r, prev=True)) if py else "—"
        lines.append(f"| {r['label']} | {now} | {before} | {change_text(r)} |")
    if py is None:
        lines.append("\n没有往年报告，无法计算同比变化。")
    unread = [
        f"- {r['label']}（{year}年）：{r[col]}"
        for _, r in headline.iterrows()
        for col, year in (("reason", "本"), ("prev_reason", py))
        if r.get(col)
    ]
    if unread:
        lines.append("\n未能读取的数字（不作比较）：\n" + "\n".join(unread))
    return "\n".join(lines)


def unread_in(folder: str | Path) -> list[str]:
    """The unread key figures a brief folder's ``key_figures.json`` lists (none when there is no file)."""
    path = Path(folder) / KEY_FIGURES
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")).get("unread", []))


def write_key_figures(
    output_dir: str | Path,
    name: str,
    year: int,
    headline: pd.DataFrame,
    sentences: Sequence[str],
    unread: Sequence[str] | None = None,
) -> Path:
    """Save the key figures and sentences (``key_figures.json``) for the slides and the tests; each figure
    says whether it (or the earlier value) was not read and why; ``unread`` (default: the unread key
    figures; the brief passes ``views.unread_values``) lists what the index flags."""
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for _, r in headline.iterrows():
        rows.append(
            {
                "key": r["key"],
                "label": r["label"],
                "unit": r["unit"],
                "value": None if pd.isna(r["value"]) else float(r["value"]),
                "prev_year": None if pd.isna(r["prev_year"]) else int(r["prev_year"]),
                "prev_value": None if pd.isna(r["prev_value"]) else float(r["prev_value"]),
                "text": figure_text(r),
                "prev_text": figure_text(r, prev=True) if not pd.isna(r["prev_year"]) else "—",
                "change": change_text(r),
                "unread": bool(r.get("reason")),
                "reason": r.get("reason") or "",
                "prev_unread": bool(r.get("prev_reason")),
                "prev_reason": r.get("prev_reason") or "",
            }
        )
    path = out / KEY_FIGURES
    path.write_text(
        json.dumps(
            {
                "name": name,
                "year": year,
                "figures": rows,
                "sentences": list(sentences),
                "unread": list(unread_figures(headline) if unread is None else unread),
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return path
