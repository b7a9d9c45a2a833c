"""The brief folder's contract: ``<out>/<slug>/<year>/`` with ``key_figures.json`` (the figures and
sentences the slides show), ``result.json`` (a ``BriefResult``: what a run made, or why it failed) and
the tables it compares as CSV files and one workbook (``tables.xlsx``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import views
from analysis.model import labels
from analysis.present.tables import VALUE_LABELS, column_label
from analysis.present.text import change_text, figure_text
from analysis.views import unread_figures

KEY_FIGURES = "key_figures.json"
RESULT = "result.json"
WORKBOOK = "tables.xlsx"


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
    skipped: bool = False  # a batch re-run found its inputs unchanged and kept the brief as it was

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def write_result(folder: str | Path, result: BriefResult) -> Path:
    """Save ``result.json`` in a brief folder (what the batch and the index read)."""
    from dataclasses import asdict

    path = Path(folder) / RESULT
    path.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def slugify(name: str) -> str:
    """A folder name for a bureau or region: the name itself (Chinese kept) without path-unsafe characters."""
    bad = '/\\:*?"<>|\t\n\r '
    slug = "".join("-" if ch in bad else ch for ch in name).strip("-.")
    return slug or "unnamed"


def brief_dir(out_dir: str | Path, name: str, year: int) -> Path:
    """``<out>/<slug>/<year>`` as an absolute path."""
    return Path(out_dir).expanduser().resolve() / slugify(name) / str(year)


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


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A table as people read it in Excel: Chinese headers, codes in cells as their labels, no index; a value
    not read stays empty (NA), never 0."""
    named = any(n is not None for n in df.index.names)  # a grid keyed by bureau keeps it as a column
    out = (df.reset_index() if named else df.reset_index(drop=True)).copy()
    out.columns = [str(c) for c in out.columns]
    for col, names in VALUE_LABELS.items():
        if col in out.columns:
            out[col] = (
                out[col].astype("string").map(lambda v, names=names: names.get(v, v), na_action="ignore")
            )
    for col in out.columns:  # counts stored as floats (NA-able) are written as whole numbers
        values = out[col]
        if pd.api.types.is_float_dtype(values) and bool((values.dropna() % 1 == 0).all()):
            out[col] = values.astype("Int64")
    if "proceeding" in out.columns:  # table 4: `other` is a result (其他结果), not the outcome group 其他处理
        out = out.rename(columns=labels.RESULT_LABELS)
    return out.rename(columns=column_label)


# a sheet holds at most this many cells (rows × columns): a larger table (every cell of a large store) is in
# its CSV only, and the workbook's first sheet says so (Excel's own limit is 1,048,576 rows; a sheet of
# that many cells takes ~2 s with xlsxwriter, ~3 s with openpyxl)
WORKBOOK_MAX_CELLS = 200_000
NOTE_SHEET = "说明"


def export_tables(output_dir: str | Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8 with BOM, so Excel opens the Chinese intact) and all of them
    in one workbook, ``tables.xlsx``, a sheet per table up to WORKBOOK_MAX_CELLS cells (a longer one is named
    on a first sheet, 说明, with its CSV); returns the files written."""
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    frames = {sheet_name(name, i): export_frame(df) for i, (name, df) in enumerate(tables.items())}
    written = []
    for name, df in frames.items():
        path = out / f"{slugify(name)}.csv"
        df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    long = {name: len(df) for name, df in frames.items() if df.size > WORKBOOK_MAX_CELLS}
    with pd.ExcelWriter(out / WORKBOOK, engine="xlsxwriter") as xlsx:  # lighter and faster than openpyxl
        if long:
            note = pd.DataFrame(
                {
                    "表": list(long),
                    "行数": list(long.values()),
                    "说明": [
                        f"超过{WORKBOOK_MAX_CELLS:,}个单元格，未放入本工作簿，见 {slugify(n)}.csv"
                        for n in long
                    ],
                }
            )
            note.to_excel(xlsx, sheet_name=NOTE_SHEET, index=False)
        for name, df in frames.items():
            if name in long:
                continue
            df.to_excel(xlsx, sheet_name=name, index=False, freeze_panes=(1, 0))
    return [*written, out / WORKBOOK]


def sheet_name(name: str, i: int) -> str:
    """A worksheet name Excel accepts: without []:*?/\\ and at most 31 characters (else ``表<i>``)."""
    clean = "".join(ch for ch in str(name) if ch not in "[]:*?/\\").strip("'") or f"表{i + 1}"
    return clean[:31]


def brief_tables(
    tables: dict[str, pd.DataFrame], name: str, year: int, headline: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The tables a yearly brief compares (its figures over the years up to ``year``), by sheet name;
    ``headline`` (``views.headline_figures`` of the same tables) when already computed."""
    upto = {k: df[df["year"] <= year] if "year" in df.columns else df for k, df in tables.items()}
    return {
        "主要数字": views.headline_figures(tables, name, year) if headline is None else headline,
        "申请和办理": views.request_overview(upto["requests"]),
        "办理结果构成": views.outcome_shares(upto["requests"]),
        "不予公开和无法提供的原因": views.reasons(upto["requests"]),
        "申请人构成": views.applicant_mix(upto["requests"]),
        "行政复议和行政诉讼": views.correction_rates(upto["reviews_litigation"]),
        "主动公开": views.release_summary(upto["active_disclosure"]),
        "数据问题": views.report_issues(tables, name, year),
    }
