"""One chart style for every chart: a CJK font, slide sizes, one colour per outcome group, a source line.

``setup_style()`` registers Noto Sans CJK SC from the installed ``mplfonts`` package by path (so a fresh
machine needs no system fonts and no font-cache rebuild), falling back to a system "Noto Sans CJK SC"
(Debian's fonts-noto-cjk); sets ``axes.unicode_minus = False`` (CJK fonts and U+2212 warnings) and
``svg.fonttype = 'none'`` (editable SVG text). Charts are 16:9 and save as 1920×1080 PNG plus SVG.
Every chart function takes a shaped frame from ``analysis.views`` and returns a Figure.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.model import codes
from analysis.model.labels import OUTCOME_LABELS, RESULT_LABELS, STATUS_LABELS, TEMPLATE_CHANGES
from analysis.present.text import place_change_label

SOURCE_LINE = "数据来源：各单位政府信息公开工作年度报告"
FONT_FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
FIGSIZE: tuple[float, float] = (16.0, 9.0)
DPI = 120  # 16 × 9 in at 120 dpi = 1920 × 1080 px
PNG_SIZE: tuple[int, int] = (1920, 1080)
MANIFEST = "charts.json"

# slide-readable sizes (points on a 16 × 9 in canvas, which a slide shows at ~0.83×)
SIZES = {"title": 30, "label": 22, "tick": 20, "legend": 19, "annot": 18, "source": 16}

OUTCOME_COLORS: dict[str, str] = {
    "granted": "#1b7837",  # 予以公开
    "partially_granted": "#7fbf7b",  # 部分公开
    "withheld": "#c2185b",  # 不予公开
    "unavailable": "#f4a261",  # 无法提供
    "not_processed": "#7b5ea7",  # 不予处理
    "other": "#9e9e9e",  # 其他处理
}
RESULT_COLORS: dict[str, str] = {
    "upheld": "#4c72b0",
    "corrected": "#c2185b",
    "other": "#9e9e9e",
    "pending": "#f4a261",
}
STATUS_COLORS: dict[str, str] = {"ok": "#7fbf7b", "partial": "#f4a261", "failed": "#c2185b", "": "#f2f2f2"}
PALETTE: tuple[str, ...] = (
    "#1f5f8b",
    "#e07b39",
    "#3a9d5d",
    "#b0413e",
    "#7b5ea7",
    "#8c6d31",
    "#d45087",
    "#5f6b7a",
    "#2a9d8f",
    "#bcbd22",
)
ACCENT = PALETTE[0]

_STYLE_DONE: str | None = None


# ------------------------------------------------------------------------------------------------ style


def font_path() -> Path | None:
    """The Noto Sans CJK SC file shipped inside the ``mplfonts`` package (SIL OFL), if installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    return path if path.exists() else None


def register_font() -> str:
    """Make a CJK font known to matplotlib and return its family name.

    Raises RuntimeError when neither the mplfonts file nor a system "Noto Sans CJK SC" is there, rather
    than drawing boxes.
    """
    path = font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    try:
        font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    except ValueError as exc:
        raise RuntimeError(
            "no CJK font: install the `mplfonts` package (a project dependency) or fonts-noto-cjk"
        ) from exc
    return FONT_FAMILY


def setup_style() -> str:
    """Apply the project chart style (idempotent; safe after seaborn or other styles) and return the font."""
    global _STYLE_DONE
    family = _STYLE_DONE or register_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "none",
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "axes.titlesize": SIZES["title"],
            "axes.labelsize": SIZES["label"],
            "xtick.labelsize": SIZES["tick"],
            "ytick.labelsize": SIZES["tick"],
            "legend.fontsize": SIZES["legend"],
            "legend.title_fontsize": SIZES["legend"],
            "figure.titlesize": SIZES["title"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#dddddd",
            "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
            "legend.frameon": False,
        }
    )
    _STYLE_DONE = family
    return family


def safe_name(text: str) -> str:
    """A file-name-safe form of a bureau or region name for chart files (Chinese kept)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "-", str(text)).strip("-.") or "chart"


def bureau_colors(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per bureau (sorted names → palette order), so a bureau looks the same in every chart."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(sorted(set(map(str, names))))}


def outcome_color(group: str) -> str:
    """The colour of an outcome group (予以公开 green … 不予公开 red), the same in every chart."""
    return OUTCOME_COLORS.get(group, "#9e9e9e")


# ------------------------------------------------------------------------------------- figure plumbing


def new_chart(title: str, subtitle: str | None = None, figsize: tuple[float, float] = FIGSIZE):  # noqa: ANN201
    """A styled 16:9 figure with one axes and a left-aligned title; returns ``(fig, ax)``."""
    setup_style()
    fig = plt.figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    fig.suptitle(title + (f"\n{subtitle}" if subtitle else ""), x=0.01, ha="left", fontsize=SIZES["title"])
    fig._govreport_title = title  # type: ignore[attr-defined]
    return fig, ax


_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")


def wrap_cjk(text: str, width: float) -> list[str]:
    """Wrap mixed Chinese/Latin text to ``width`` ems (a CJK character is 1 em, Latin ~0.55), never
    breaking inside a run of Latin letters or digits ("2025年" stays whole)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0.0
        for token in re.findall(r"[A-Za-z0-9.,%+\-]+|\s+|.", para):
            w = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in token)
            if used + w > width and line.strip() and token not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, used = token.lstrip(), w
            else:
                line, used = line + token, used + w
        lines.append(line.rstrip())
    return lines


def finish(fig: Figure, source: str = SOURCE_LINE, note: str | None = None) -> Figure:
    """Add the source line (and a footnote) under the chart, reserving room so nothing overlaps."""
    width = int(fig.get_figwidth() * 72 / SIZES["source"] * 0.93)  # CJK characters are about 1 em wide
    lines = (wrap_cjk(note, width) if note else []) + [source]
    line_h = SIZES["source"] * 1.45 / (fig.get_figheight() * 72)
    bottom = line_h * len(lines) + 0.015
    fig.text(
        0.01,
        0.012,
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=SIZES["source"],
        color="#555555",
        linespacing=1.35,
    )
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, bottom, 1, 1 - bottom))
    fig._govreport_source = source  # type: ignore[attr-defined]
    fig._govreport_note = note  # type: ignore[attr-defined]
    return fig


def empty_chart(title: str, message: str = "没有可绘制的数据", note: str | None = None) -> Figure:
    """A chart that says there is nothing to draw (instead of failing a brief on a missing table)."""
    fig, ax = new_chart(title)
    ax.axis("off")
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        fontsize=SIZES["title"],
        color="#777777",
        transform=ax.transAxes,
    )
    return finish(fig, note=note)


def save_chart(
    fig: Figure, out_dir: str | Path, name: str, title: str | None = None, close: bool = False
) -> dict:
    """Write ``<name>.png`` (1920×1080) and ``<name>.svg`` into ``out_dir`` and record them in
    ``charts.json`` (title, source, note, files) so the brief can put each chart on a slide."""
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    fig.savefig(png, dpi=DPI, facecolor="white")
    fig.savefig(svg, facecolor="white")
    entry = {
        "name": name,
        "title": title or getattr(fig, "_govreport_title", name),
        "source": getattr(fig, "_govreport_source", SOURCE_LINE),
        "note": getattr(fig, "_govreport_note", None),
        "png": png.name,
        "svg": svg.name,
    }
    manifest = out / MANIFEST
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    entries = [e for e in entries if e.get("name") != name] + [entry]
    manifest.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    if close:
        plt.close(fig)
    return entry


def publish(fig: Figure, output_dir: str | Path | None = None, name: str | None = None) -> None:
    """Show a chart in the notebook once and, when ``output_dir`` is set, save it (PNG + SVG + manifest)."""
    if output_dir:
        save_chart(fig, output_dir, name or "chart")
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(fig)
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        pass
    plt.close(fig)


def _pct(ax, axis: str = "y") -> None:  # noqa: ANN001
    fmt = FuncFormatter(lambda v, _: f"{v * 100:.0f}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _num_label(v: float, percent: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if percent:
        return f"{v * 100:.1f}%"
    return f"{v:,.0f}" if abs(v) >= 1 or v == 0 else f"{v:.2f}"


def _years_axis(ax, years: Sequence[int]) -> None:  # noqa: ANN001
    ax.set_xticks(list(years))
    ax.set_xticklabels([f"{y}年" for y in years])


# ---------------------------------------------------------------------------------------------- charts


def bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    hue: str | None = None,
    ylabel: str = "",
    colors: dict[str, str] | None = None,
    percent: bool = False,
    note: str | None = None,
    x_labels: dict | None = None,
    hue_labels: dict | None = None,
    annotate: bool = True,
    horizontal: bool | None = None,
    templates: bool = False,
) -> Figure:
    """Grouped bars of ``y`` by ``x`` (one bar per ``hue`` value), values written on the bars. Many or
    long category labels (``horizontal=None`` decides) turn the bars horizontal, first category on top.
    ``templates`` (bars by year) marks the template changes the years cross and says what changed."""
    if df.empty or df[y].dropna().empty:
        return empty_chart(title, note=note)
    fig, ax = new_chart(title)
    xs = list(dict.fromkeys(df[x]))
    names = [(x_labels or {}).get(v, f"{v}年" if x == "year" else str(v)) for v in xs]
    if horizontal is None:
        horizontal = len(xs) * max(1, len(set(df[hue])) if hue else 1) > 12 or (
            len(xs) > 3 and max(len(n) for n in names) > 6
        )
    if horizontal:
        xs, names = xs[::-1], names[::-1]
    hues = list(dict.fromkeys(df[hue])) if hue else [None]
    width = 0.8 / len(hues)
    colors = colors or (bureau_colors(hues) if hue else {None: ACCENT})
    for i, h in enumerate(hues):
        sub = df if h is None else df[df[hue] == h]
        vals = [_first(sub[sub[x] == xv][y]) for xv in xs]
        k = (len(hues) - 1 - i) if horizontal else i  # legend order top to bottom
        pos = [j - 0.4 + width * (k + 0.5) for j in range(len(xs))]
        label = None if h is None else (hue_labels or {}).get(h, str(h))
        heights = [0 if math.isnan(v) else v for v in vals]
        draw = ax.barh if horizontal else ax.bar
        rects = draw(pos, heights, width * 0.92, label=label, color=colors.get(h, ACCENT))
        if annotate:
            ax.bar_label(
                rects, labels=[_num_label(v, percent) for v in vals], fontsize=SIZES["annot"], padding=3
            )
    if templates and x == "year":
        marked = mark_template_boundaries(ax, xs, {int(v): j for j, v in enumerate(xs)}, horizontal)
        note = "；".join(n for n in (note, marked) if n) or None
    if horizontal:
        ax.set_yticks(range(len(xs)))
        ax.set_yticklabels(names)
        ax.set_xlabel(ylabel)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        if percent:
            _pct(ax, "x")
        ax.margins(x=0.12)
    else:
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(names)
        ax.set_ylabel(ylabel)
        if percent:
            _pct(ax)
        else:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.12)
    if hue:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return finish(fig, note=note)


def _first(s: pd.Series) -> float:
    s = pd.to_numeric(s, errors="coerce").dropna()
    return float(s.iloc[0]) if len(s) else float("nan")


def template_boundaries(years: Sequence[int]) -> list[tuple[int, str]]:
    """The template changes (2019, 2021) that a series over ``years`` crosses: (first year of the new
    template, what changed), from ``labels.TEMPLATE_CHANGES``."""
    ys = sorted({int(y) for y in years})
    return [(b, what) for b, what in TEMPLATE_CHANGES.items() if ys and ys[0] < b <= ys[-1]]


def mark_template_boundaries(
    ax,  # noqa: ANN001
    years: Sequence[int],
    positions: dict[int, float] | None = None,
    horizontal: bool = False,
) -> str | None:
    """A dashed line before each template change the series crosses, and the note saying what changed
    (for ``finish``); ``positions`` maps a year to its place when years are not the axis (bars: 0, 1, 2 …),
    ``horizontal`` when the years run down the y axis."""
    ys = sorted({int(y) for y in years})
    pos = positions or {y: float(y) for y in ys}
    found = template_boundaries(ys)
    for b, _ in found:
        before = max(y for y in ys if y < b)
        after = min(y for y in ys if y >= b)
        line = ax.axhline if horizontal else ax.axvline
        line((pos[before] + pos[after]) / 2, color="#888888", linestyle="--", linewidth=1.2, zorder=0)
    return "；".join(f"虚线：{what}" for _, what in found) or None


def trend(
    df: pd.DataFrame,
    y: str,
    title: str,
    hue: str = "bureau",
    ylabel: str = "",
    percent: bool = False,
    note: str | None = None,
    templates: bool = False,
) -> Figure:
    """Lines over years (one per ``hue``), each point labelled; a single year still draws as points.
    ``templates`` marks the template changes (2019, 2021) the series crosses and says what changed."""
    data = df.dropna(subset=[y])
    if data.empty:
        return empty_chart(title, note=note)
    fig, ax = new_chart(title)
    colors = bureau_colors(data[hue])
    for name, g in data.groupby(hue, sort=True):
        g = g.sort_values("year")
        ax.plot(
            g["year"], g[y], marker="o", markersize=10, linewidth=3, color=colors[str(name)], label=str(name)
        )
        for xv, yv in zip(g["year"], g[y], strict=True):
            ax.annotate(
                _num_label(float(yv), percent),
                (xv, yv),
                textcoords="offset points",
                xytext=(0, 12),
                ha="center",
                fontsize=SIZES["annot"],
            )
    _years_axis(ax, sorted(data["year"].unique()))
    if templates:
        note = "；".join(n for n in (note, mark_template_boundaries(ax, data["year"])) if n) or None
    ax.set_ylabel(ylabel)
    if percent:
        _pct(ax)
    ax.margins(x=0.08, y=0.18)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return finish(fig, note=note)


def outcome_shares_chart(
    shares: pd.DataFrame,
    title: str = "申请办理结果构成",
    by: Sequence[str] = ("year",),
    note: str | None = None,
) -> Figure:
    """Stacked 100 % bars of the outcome groups (``views.outcome_shares``) in the fixed outcome colours,
    shares ≥ 4 % written in. One column per year for one bureau (``by=("year",)``); one horizontal bar
    per bureau × year when comparing bureaus (``by=("bureau", "year")``), so long names stay readable."""
    if shares.empty:
        return empty_chart(title, note=note)
    fig, ax = new_chart(title)
    df = shares.copy()
    horizontal = list(by) != ["year"]
    if horizontal:
        df["_x"] = df[list(by)].astype(str).agg(" ".join, axis=1) + ("年" if by[-1] == "year" else "")
    else:
        df["_x"] = df["year"].astype(str) + "年"
    xs = list(dict.fromkeys(df.sort_values(list(by))["_x"]))
    if horizontal:
        xs = xs[::-1]  # first bureau-year at the top
    bottom = [0.0] * len(xs)
    draw = ax.barh if horizontal else ax.bar
    for group in codes.OUTCOME_GROUPS:
        g = df[df["group"].astype(str) == group].set_index("_x")["share"]
        vals = [0.0 if pd.isna(g.get(x, 0.0)) else float(g.get(x, 0.0)) for x in xs]
        kw = {"left": bottom} if horizontal else {"bottom": bottom}
        rects = draw(
            range(len(xs)), vals, 0.65, color=OUTCOME_COLORS[group], label=OUTCOME_LABELS[group], **kw
        )
        ax.bar_label(
            rects,
            labels=[f"{v * 100:.0f}%" if v >= 0.04 else "" for v in vals],
            label_type="center",
            fontsize=SIZES["annot"],
            color="white" if group in ("granted", "withheld", "not_processed") else "black",
        )
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    if horizontal:
        ax.set_yticks(range(len(xs)))
        ax.set_yticklabels(xs)
        ax.set_xlim(0, 1)
        _pct(ax, "x")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("占办理结果的比例")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(xs)
        ax.set_ylim(0, 1)
        _pct(ax)
        ax.set_ylabel("占办理结果的比例")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), reverse=True)
    return finish(fig, note=note)


def reasons_chart(
    reasons: pd.DataFrame, title: str = "不予公开和无法提供的原因", note: str | None = None, top: int = 12
) -> Figure:
    """Horizontal bars of the reasons (``views.reasons`` for one bureau-year), coloured by outcome group,
    largest at the top; reasons with zero requests are left out."""
    df = reasons[pd.to_numeric(reasons["value"], errors="coerce") > 0]
    if df.empty:
        return empty_chart(title, "没有不予公开或无法提供的申请", note=note)
    df = df.groupby(["group", "row", "label"], observed=True)["value"].sum().reset_index()
    df = df.sort_values("value", ascending=True).tail(top)
    fig, ax = new_chart(title)
    labels = [f"{OUTCOME_LABELS.get(g, g)}｜{lab}" for g, lab in zip(df["group"], df["label"], strict=True)]
    rects = ax.barh(labels, df["value"], color=[outcome_color(g) for g in df["group"]])
    ax.bar_label(rects, labels=[_num_label(v) for v in df["value"]], padding=4, fontsize=SIZES["annot"])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel("件")
    ax.margins(x=0.1)
    return finish(fig, note=note)


def stacked_results_chart(
    rates: pd.DataFrame, title: str = "行政复议和行政诉讼结果", x: str = "label", note: str | None = None
) -> Figure:
    """Stacked bars of upheld / corrected / other / pending per ``x`` (``views.correction_rates`` rows),
    with the correction rate written beside each bar; rows without cases are left out. Many or long
    labels turn the bars horizontal so the labels stay readable."""
    parts = ["upheld", "corrected", "other", "pending"]
    df = rates[rates["proceeding"] != "litigation"] if x == "label" else rates
    df = df[df[parts].fillna(0).sum(axis=1) > 0]
    if df.empty:
        return empty_chart(title, "没有行政复议或行政诉讼案件", note=note)
    fig, ax = new_chart(title)
    xs = list(dict.fromkeys(df[x].astype(str)))
    horizontal = len(xs) > 5 or max(len(v) for v in xs) > 10
    if horizontal:
        xs = xs[::-1]  # first row at the top
    draw = ax.barh if horizontal else ax.bar
    bottom = [0.0] * len(xs)
    for result in parts:
        vals = [float(df[df[x].astype(str) == xv][result].fillna(0).sum()) for xv in xs]
        kw = {"left": bottom} if horizontal else {"bottom": bottom}
        rects = draw(
            range(len(xs)), vals, 0.6, color=RESULT_COLORS[result], label=RESULT_LABELS[result], **kw
        )
        share = [v / max(sum(bottom) + sum(vals), 1) for v in vals]
        ax.bar_label(
            rects,
            labels=[_num_label(v) if s >= 0.03 else "" for v, s in zip(vals, share, strict=True)],
            label_type="center",
            fontsize=SIZES["annot"],
            color="white",
        )
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    for i, xv in enumerate(xs):
        sub = df[df[x].astype(str) == xv]
        total, corrected = sub["total"].sum(), sub["corrected"].sum()
        if total > 0:
            text = f"纠错率 {corrected / total * 100:.1f}%"
            if horizontal:
                ax.annotate(
                    text,
                    (bottom[i], i),
                    textcoords="offset points",
                    xytext=(8, 0),
                    va="center",
                    fontsize=SIZES["annot"],
                )
            else:
                ax.annotate(
                    text,
                    (i, bottom[i]),
                    textcoords="offset points",
                    xytext=(0, 8),
                    ha="center",
                    fontsize=SIZES["annot"],
                )
    if horizontal:
        ax.set_yticks(range(len(xs)))
        ax.set_yticklabels(xs)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("件")
        ax.margins(x=0.18)
    else:
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(xs)
        ax.set_ylabel("件")
        ax.margins(y=0.15)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), reverse=not horizontal)
    return finish(fig, note=note)


def rank_chart(bands: pd.DataFrame, title: str = "榜单排名", note: str | None = None) -> Figure:
    """Stated rankings over years (``views.ranking_bands``): place 1 at the top, an exact place as a point,
    a "前n位" statement as a band from 1 to n; one colour per list."""
    if bands.empty:
        return empty_chart(title, "报告中没有提到排名", note=note)
    fig, ax = new_chart(title)
    bands = bands.assign(series=bands["bureau"].astype(str) + "｜" + bands["list_name"].astype(str))
    colors = bureau_colors(bands["series"])
    years = sorted(int(y) for y in bands["year"].unique())
    n_series = bands["series"].nunique()
    step = min(0.5 / max(n_series, 1), 0.15)  # side-by-side within a year
    for k, (series, g) in enumerate(bands.groupby("series", sort=True)):
        off = (k - (n_series - 1) / 2) * step
        c = colors[series]
        exact = g[g["rank_kind"] == "exact"].sort_values("year")
        if not exact.empty:
            ax.plot(
                exact["year"] + off,
                exact["best"],
                marker="o",
                markersize=12,
                linewidth=3,
                color=c,
                label=series,
            )
        for _, r in g.iterrows():
            if r["rank_kind"] == "top_n":
                ax.bar(
                    r["year"] + off,
                    r["worst"] - r["best"] + 1,
                    step * 0.8,
                    bottom=r["best"] - 0.5,
                    color=c,
                    alpha=0.35,
                    label=series if exact.empty else None,
                )
            ax.annotate(
                r["label"],
                (r["year"] + off, r["best"]),
                textcoords="offset points",
                xytext=(12, 4),
                fontsize=SIZES["annot"],
                color=c,
                va="top",
            )
    worst = int(bands["worst"].max())
    bottom = worst + max(2, round(worst * 0.08))
    ax.set_ylim(bottom, 0.3)  # inverted: a better place is higher
    ticks = [t for t in MaxNLocator(integer=True, nbins=8).tick_values(1, worst) if 1 < t <= bottom]
    ax.set_yticks([1, *ticks])
    ax.set_ylabel("名次（越靠上越好）")
    _years_axis(ax, years)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.08), ncol=1)
    return finish(fig, note=note)


def league_chart(league: pd.DataFrame, title: str, percent: bool = False, note: str | None = None) -> Figure:
    """One year's league table (``views.league_table`` rows) as horizontal bars, first place on top, each
    bar labelled with its value and its change in place since last year (▲ up, ▼ down, — same, 新 new)."""
    if league.empty:
        return empty_chart(title, "没有达到样本量要求的单位", note=note)
    df = league.sort_values(["place", "bureau"], ascending=[False, False])
    fig, ax = new_chart(title)
    colors = bureau_colors(df["bureau"])
    labels = [f"{int(p)}. {b}" for p, b in zip(df["place"], df["bureau"], strict=True)]
    rects = ax.barh(labels, df["value"].astype(float), color=[colors[str(b)] for b in df["bureau"]])
    ax.bar_label(
        rects,
        labels=[
            f"{_num_label(float(v), percent)}  {place_change_label(c)}"
            for v, c in zip(df["value"], df["change"], strict=True)
        ],
        padding=6,
        fontsize=SIZES["annot"],
    )
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    if percent:
        _pct(ax, "x")
    ax.margins(x=0.2)
    return finish(fig, note=note)


def coverage_chart(
    grid: pd.DataFrame, title: str = "报告覆盖情况（单位 × 年度）", note: str | None = None
) -> Figure:
    """The bureau × year grid of ``views.coverage_grid``: a coloured cell per report by parse status."""
    if grid.empty:
        return empty_chart(title, "还没有读取任何报告", note=note)
    fig, ax = new_chart(title)
    ax.grid(False)
    for i, bureau in enumerate(grid.index):
        for j, year in enumerate(grid.columns):
            cell = str(grid.loc[bureau, year] or "")
            status = cell.split("×")[0]
            ax.add_patch(
                plt.Rectangle((j - 0.45, i - 0.4), 0.9, 0.8, color=STATUS_COLORS.get(status, "#f2f2f2"))
            )
            if cell:
                text = STATUS_LABELS.get(status, status) + (f"×{cell.split('×')[1]}" if "×" in cell else "")
                ax.text(j, i, text, ha="center", va="center", fontsize=SIZES["annot"])
    ax.set_xlim(-0.5, len(grid.columns) - 0.5)
    ax.set_ylim(len(grid.index) - 0.5, -0.5)
    ax.set_xticks(range(len(grid.columns)))
    ax.set_xticklabels([f"{y}年" for y in grid.columns])
    ax.set_yticks(range(len(grid.index)))
    ax.set_yticklabels(list(grid.index))
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return finish(fig, note=note)
