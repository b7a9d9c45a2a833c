"""The one formatting layer for every table a person reads (notebooks, brief HTML, deck).

``format_frame`` turns a views frame into strings: Chinese headers from the one label per code
(:mod:`analysis.model.labels`), counts as integers with thousands separators (``2,418``), money with two
decimals and its unit (``1,234.50万元``), rates as percentages (``48.0%``), years as printed (``2025``),
no index column, codes in cells as their labels. Missing values: a count or an amount that is NA was not
read from the report (missing is never zero) and reads ``未能读取``; text that is NA, a rate that cannot be
computed (nothing to divide by, or an input not read: the counts beside it say which) and a comparison
without an earlier report read ``—``. ``show`` wraps it for notebooks (a Styler with numbers right-aligned) and says ``无``
instead of an empty table; ``issues_frame`` lists issues in Chinese with what to check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.model import labels as L
from analysis.model.cn import CN_ENUM
from analysis.model.issues import CHECKS
from analysis.views.headline import HEADLINES
from analysis.views.releases import RELEASE_SUMMARY_LABELS

UNREAD = "未能读取"  # a figure the report should give but that was not read (NA in a number column)
NONE = "—"  # nothing to show: empty text, or a comparison without an earlier report
EMPTY = "无"  # shown instead of a table without rows
MONEY_UNIT = "万元"

# the store's codes (table 3 rows and columns, table 4, table 2, channels): headers and issue locations
_CODE_TABLES: tuple[Mapping[str, str], ...] = (
    L.ROW_LABELS,
    L.APPLICANT_LABELS,
    L.PROCEEDING_LABELS,
    L.RESULT_LABELS,
    L.ITEM_LABELS,
    L.METRIC_LABELS,
    L.CHANNEL_LABELS,
)
# header lookup, first match wins: generic columns, the views' figures, outcome groups, then the codes
_LABEL_TABLES: tuple[Mapping[str, str], ...] = (
    L.COLUMN_LABELS,
    {k: label for k, (label, _unit) in HEADLINES.items()},
    RELEASE_SUMMARY_LABELS,
    L.OUTCOME_LABELS,
    *_CODE_TABLES,
)
_YEAR_COLUMNS = {"year", "prev_year"}
# columns holding codes: their cells are shown with the code's label
VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "row": L.ROW_LABELS,
    "group": L.OUTCOME_LABELS,
    "applicant": L.APPLICANT_LABELS,
    "proceeding": L.PROCEEDING_LABELS,
    "result": L.RESULT_LABELS,
    "item": L.ITEM_LABELS,
    "metric": L.METRIC_LABELS,
    "channel": L.CHANNEL_LABELS,
    "parse_status": L.STATUS_LABELS,
    "severity": L.SEVERITY_LABELS,
    "platform": L.CHANNEL_LABELS,
    "rank_kind": L.RANK_KIND_LABELS,
    "kind": L.FINDING_KIND_LABELS,
    "relation": L.REUSE_RELATION_LABELS,
}
VALUE_LABELS["check"] = {  # (not a problem dict)
    **{c.name: c.label_zh for c in CHECKS.values() if c.label_zh},
    **{f"text_reuse.{k}": v for k, v in L.REUSE_RELATION_LABELS.items()},
}
_RATE_COLUMNS = {"share", "share_of_group", "pct_change"}
_MONEY_COLUMNS = {"fee_amount", "procurement_amount"}


MAX_ROWS = 200  # a table shown in a notebook or brief: at most this many rows, the caption says so


def column_label(column: object, labels: Mapping[str, str] | None = None) -> str:
    """The Chinese header of a column: ``labels`` first (e.g. RESULT_LABELS where ``other`` is a result),
    then the package's one label per code; a header that is not a code is kept as it is."""
    key = str(column)
    for table in ((labels,) if labels else ()) + _LABEL_TABLES:
        if key in table:
            return table[key]
    return key


def column_kind(column: object, values: pd.Series) -> str:
    """How a column is printed: ``year``, ``rate``, ``money``, ``count`` (any other number) or ``text``."""
    key = str(column)
    if key in _YEAR_COLUMNS:
        return "year"
    if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        return "text"
    unit = HEADLINES.get(key, ("", ""))[1]
    if key.endswith("_rate") or key in _RATE_COLUMNS or unit == "%":
        return "rate"
    if key in _MONEY_COLUMNS or key.endswith("_amount") or MONEY_UNIT in column_label(key):
        return "money"
    return "count"


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def fmt_count(v: object, unit: str = "") -> str:
    """A count with thousands separators and no ".0" (``2,418``, ``2,418件``); 未能读取 when NA."""
    if _missing(v):
        return UNREAD
    f = float(v)
    text = f"{f:,.0f}" if f == round(f) else f"{f:,.2f}".rstrip("0").rstrip(".")
    return text + unit


def fmt_money(v: object, unit: str = MONEY_UNIT) -> str:
    """Money with two decimals, separators and its unit: ``1,234.50万元``; 未能读取 when NA."""
    return UNREAD if _missing(v) else f"{float(v):,.2f}{unit}"


def fmt_rate(v: object) -> str:
    """A fraction as a percentage with one decimal: ``0.4797`` → ``48.0%``; 未能读取 when NA."""
    return UNREAD if _missing(v) else f"{float(v) * 100:.1f}%"


def fmt_figure(v: object, unit: str) -> str:
    """A figure with its unit as a table cell shows it: ``2,418件``, ``48.0%``, ``12.50万元``."""
    if unit == "%":
        return fmt_rate(v)
    if unit == MONEY_UNIT:
        return fmt_money(v)
    return fmt_count(v, unit)


def _fmt_cell(v: object, kind: str, na: str) -> str:
    if _missing(v):
        return NONE if kind == "rate" else na
    if kind == "year":
        return str(int(v))
    if kind == "rate":
        return fmt_rate(v)
    if kind == "money":
        return fmt_money(v)
    if kind == "count":
        return fmt_count(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    return str(v)


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """The frame without an index column: named index levels (a pivot's rows) become columns."""
    if isinstance(df.columns, pd.MultiIndex):
        df = df.set_axis([" ".join(str(x) for x in c if str(x)) for c in df.columns], axis=1)
    named = [n for n in df.index.names if n is not None]
    return df.reset_index() if named else df.reset_index(drop=True)


def format_frame(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    numbers: str | None = None,
    not_applicable: Sequence[str] | bool = (),
) -> pd.DataFrame:
    """Every cell as text people read, Chinese headers, no index (see the module docstring).

    ``kinds`` overrides how a column prints (year/rate/money/count/text); ``numbers`` does so for every
    number column it does not name (``"rate"`` for a pivot of shares whose headers are labels). A frame
    with a ``unit`` column prints ``value`` row by row in that unit. A code column beside a ``label``
    column that says the same is dropped. NA is 未能读取 in count and money columns, — in text and rate
    columns and in the ``not_applicable`` ones (where NA means there is nothing to compare, e.g. a year a
    bureau was not ranked; ``True`` for every column)."""
    df = _flat(df)
    out = {}
    for col in df.columns:
        s = df[col]
        codes = VALUE_LABELS.get(str(col))
        if codes is not None and not pd.api.types.is_numeric_dtype(s):
            s = s.astype("string").map(lambda v, c=codes: v if _missing(v) else c.get(v, v))
            if "label" in df.columns and list(s.fillna("")) == list(df["label"].astype("string").fillna("")):
                continue
        kind = _kind(col, s, kinds, numbers)
        dash = not_applicable is True or (not_applicable is not False and str(col) in not_applicable)
        na = NONE if kind == "text" or dash else UNREAD
        if str(col) == "value" and "unit" in df.columns and not (kinds or {}).get("value"):
            cells = [
                na if _missing(v) else fmt_figure(v, "" if _missing(u) or u == "件" else str(u))
                for v, u in zip(s, df["unit"], strict=True)
            ]
        else:
            cells = [_fmt_cell(v, kind, na) for v in s]
        out[column_label(col, labels)] = pd.Series(cells, dtype="string")
    return pd.DataFrame(out)


def numeric_columns(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    numbers: str | None = None,
) -> list[str]:
    """The Chinese headers of the columns ``format_frame`` prints as numbers (to right-align them)."""
    flat = _flat(df)
    return [
        column_label(c, labels)
        for c in flat.columns
        if _kind(c, flat[c], kinds, numbers) in {"rate", "money", "count"}
    ]


def _kind(col: object, s: pd.Series, kinds: Mapping[str, str] | None, numbers: str | None) -> str:
    kind = (kinds or {}).get(str(col)) or column_kind(col, s)
    return (
        numbers if numbers and kind in {"rate", "money", "count"} and str(col) not in (kinds or {}) else kind
    )


class Note(str):
    """A sentence shown where a table would be (``无``): plain text in HTML and Markdown outputs."""

    def _repr_html_(self) -> str:
        return f"<p>{self}</p>"

    def _repr_markdown_(self) -> str:
        return str(self)


def show(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    numbers: str | None = None,
    not_applicable: Sequence[str] | bool = (),
    right: Sequence[str] = (),
    empty: str = EMPTY,
    max_rows: int | None = MAX_ROWS,
) -> object:
    """What a notebook displays for a table: a Styler of ``format_frame`` (numbers, and the ``right``
    columns of a frame already formatted, right-aligned; no index), or ``empty`` (无) without rows. At
    most ``max_rows`` rows (None: all), the caption saying how many there are (the exports hold all)."""
    if df is None or len(df) == 0:
        return Note(empty)
    caption = None
    if max_rows is not None and len(df) > max_rows:
        caption = f"只显示前{max_rows}行，共{len(df)}行；全部行见导出的 CSV 和 tables.xlsx。"
        df = df.head(max_rows)
    shown = format_frame(df, labels=labels, kinds=kinds, numbers=numbers, not_applicable=not_applicable)
    numeric = numeric_columns(df, labels=labels, kinds=kinds, numbers=numbers)
    right = [c for c in shown.columns if c in numeric or c in right]
    left = [c for c in shown.columns if c not in right]
    styler = shown.style.hide(axis="index")  # notebook CSS right-aligns every cell: set both sides
    for subset, side in ((right, "right"), (left, "left")):
        if subset:
            styler = styler.set_properties(subset=subset, **{"text-align": side})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "center")]}])
    return styler.set_caption(caption) if caption else styler


# ------------------------------------------------------------------------------------------ key figures


KEY_TEXT_COLUMNS = ("指标", "说明")  # the key-figures columns that are text; the others are right-aligned


def _key_cell(row: Mapping, value: str, unread: str) -> str:
    """One key figure's cell: the figure, 未能读取 when it was not read, and — for a rate whose inputs
    were read but leave it undefined (no case handled: 0 of 0)."""
    den = row.get("prev_den" if value.startswith("prev_") else "den")
    flag = row.get(unread)
    read = (flag is not None and not _missing(flag) and not flag) or (not _missing(den) and float(den) == 0)
    if row["unit"] == "%" and _missing(row.get(value)) and read:
        return NONE
    return fmt_figure(row.get(value), row["unit"])


def key_figures_frame(rows: Sequence[Mapping], year: int) -> pd.DataFrame:
    """The key figures as the brief and the deck show them: 指标, the year, the earlier report, 变化.

    ``rows`` are ``key_figures.json`` records (label, unit, value, prev_year, prev_value, change text,
    optional reason and prev_reason). An unread value is 未能读取, never a number, and its change is —; without an earlier
    report there are only 指标 and the year. A 说明 column appears when a row gives why a value was not read."""
    prev_years = [int(r["prev_year"]) for r in rows if not _missing(r.get("prev_year"))]
    table = pd.DataFrame(
        {
            "指标": [str(r["label"]) for r in rows],
            f"{year}年": [_key_cell(r, "value", "unread") for r in rows],
        },
        dtype="string",
    )
    if prev_years:
        table[f"{prev_years[0]}年"] = pd.Series(
            [_key_cell(r, "prev_value", "prev_unread") for r in rows], dtype="string"
        )
        table["变化"] = pd.Series(
            [
                NONE
                if _missing(r.get("value")) or _missing(r.get("prev_value")) or not r.get("change")
                else str(r["change"])
                for r in rows
            ],
            dtype="string",
        )
    reasons = [
        "；".join(
            f"{y}年：{r[k]}" if y else str(r[k])
            for k, y in (("reason", None), ("prev_reason", r.get("prev_year")))
            if r.get(k)
        )
        for r in rows
    ]
    if any(reasons):
        table["说明"] = pd.Series([x or NONE for x in reasons], dtype="string")
    return table


# ------------------------------------------------------------------------------------------------ issues


def _part_zh(part: str) -> str:
    m = re.fullmatch(r"table (\d)", part)
    if m:
        return f"表{CN_ENUM[int(m[1]) - 1]}"
    if part == "tables":
        return "统计表"
    return next((t[part] for t in _CODE_TABLES if part in t), part)


def location_zh(location: object) -> str:
    """An issue's location in Chinese: ``table 2 / 20.1 / normative_document`` → ``表二 / 20.1 / 行政规范性文件``
    (several locations, separated by ``; ``, each translated)."""
    if _missing(location) or not str(location).strip():
        return NONE
    return "；".join(
        " / ".join(_part_zh(p.strip()) for p in loc.split(" / ")) for loc in str(location).split("; ")
    )


def issues_frame(issues: pd.DataFrame, *, keys: Sequence[str] = ("bureau", "year")) -> pd.DataFrame:
    """Issues as people read them: the ``keys`` columns it has (单位, 年度), 严重程度 (错误/警告), 问题 (the
    check in Chinese), 位置, 应为, 实际, 需核对 (what to check in the report). The English message stays in
    the data and the exports."""
    registered = [CHECKS.get(str(c)) for c in issues["check"]]
    frame = pd.DataFrame(
        {
            "severity": issues["severity"].astype("string").to_numpy(),
            "location": [location_zh(x) for x in issues["location"]],
            "expected": issues["expected"].to_numpy(),
            "actual": issues["actual"].to_numpy(),
            "what_to_check": [c.what_to_check_zh if c else None for c in registered],
        }
    )
    frame.insert(
        1,
        "check",
        [
            c.label_zh if c and c.label_zh else str(n)
            for c, n in zip(registered, issues["check"], strict=True)
        ],
    )
    for k, key in enumerate(c for c in keys if c in issues.columns):
        values = issues[key].astype("Int64" if key == "year" else "string").to_numpy()
        frame.insert(k, key, values)
    return format_frame(frame, kinds={c: "text" for c in frame.columns if c != "year"})  # cells as printed
