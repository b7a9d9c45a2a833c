"""The brief folder's contract: ``<out>/<slug>/<year>/`` with ``key_figures.json`` (the figures and
sentences the slides show) and ``result.json`` (a ``BriefResult``: what a run made, or why it failed)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.present.text import fmt_value

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
    """The headline figures as a Markdown table: figure, this year, the earlier report, change."""
    if headline.empty:
        return "没有可用的数字。"
    prev = headline["prev_year"].dropna()
    py = int(prev.iloc[0]) if not prev.empty else None
    lines = [f"| 指标 | 本年 | {f'{py}年' if py else '上年'} | 变化 |", "|---|---:|---:|---:|"]
    for _, r in headline.iterrows():
        lines.append(
            f"| {r['label']} | {fmt_value(r['value'], r['unit'])} | "
            f"{fmt_value(r['prev_value'], r['unit']) if py else '—'} | {change_text(r)} |"
        )
    if py is None:
        lines.append("\n没有往年报告，无法计算同比变化。")
    return "\n".join(lines)


def change_text(row: pd.Series) -> str:
    """ "+12.3%", "−3件", "+1.1个百分点" or "—" for a headline row."""
    change, unit = row["change"], row["unit"]
    if change is None or pd.isna(change):
        return "—"
    sign = "+" if change > 0 else ("-" if change < 0 else "±")
    if unit == "%":
        return f"{sign}{abs(change) * 100:.1f}个百分点"
    pct = row.get("pct_change")
    if pct is not None and not pd.isna(pct):
        return f"{sign}{abs(pct) * 100:.1f}%"
    return f"{sign}{fmt_value(abs(change), unit)}"


def write_key_figures(
    output_dir: str | Path, name: str, year: int, headline: pd.DataFrame, sentences: Sequence[str]
) -> Path:
    """Save the key figures and sentences (``key_figures.json``) for the slides and the tests."""
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
                "text": fmt_value(r["value"], r["unit"]),
                "change": change_text(r),
            }
        )
    path = out / KEY_FIGURES
    path.write_text(
        json.dumps(
            {"name": name, "year": year, "figures": rows, "sentences": list(sentences)},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return path
