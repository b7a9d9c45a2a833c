"""One chart style for every chart: a CJK font, slide sizes, one colour per outcome group, a source line.

``setup_style()`` registers Noto Sans CJK SC from the installed ``mplfonts`` package by path (so a fresh
machine needs no system fonts and no font-cache rebuild), falling back to a system "Noto Sans CJK SC"
(Debian's fonts-noto-cjk); sets ``axes.unicode_minus = False`` (CJK fonts and U+2212 warnings) and
``svg.fonttype = 'none'`` (editable SVG text). Charts are 16:9 and save as 1920×1080 PNG plus SVG.
Every chart function takes a shaped frame from ``analysis.views`` and returns a Figure.
"""

from __future__ import annotations

import io
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
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from analysis.model import codes
from analysis.model.labels import (
    LEVEL_LABELS,
    OUTCOME_LABELS,
    RESULT_LABELS,
    STATUS_LABELS,
    TEMPLATE_CHANGES,
)
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
# bureaus: 20 distinguishable colours (matplotlib's tab20, dark shades first); a bureau keeps its colour
# in every chart of a run (see bureau_color)
BUREAU_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
)
# a count series gets a log axis when most of its values would be bars under 1/SKEW_RATIO of the largest
# (and the largest is at least SKEW_MIN): one bureau's millions would flatten everyone else's tens
SKEW_RATIO = 50
SKEW_MIN = 1000
LOG_NOTE = "数值相差悬殊，数值轴为对数刻度（每一格是前一格的10倍），柱和点旁标注的是实际数值。"
NO_REPORT = "无报告"
MISSING_SHOWN = 8  # a footnote names at most this many values not read; the chart's data names them all
TOP = 8  # a chart naming bureaus draws at most this many by default (a parameter of each chart)
LEGEND_SIDE_MAX = 6  # a legend this short (and with short names) stands right of the plot, else below
UNREAD_MARK = "未能读取"
NOTHING_HANDLED = "无办结"  # a year whose outcomes were all read and all 0: no shares, nothing unread
NOTE_LINES = 8  # a chart's footnote shows at most this many lines
_BUREAUS: list[str] = []

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


def use_bureaus(names: Sequence[str]) -> None:
    """Fix the colours of a run: every bureau in the data (sorted) gets the next colour of
    BUREAU_PALETTE, so no two of the first 20 share one, whatever subset a chart shows."""
    _BUREAUS[:] = sorted(set(map(str, names)))


def bureau_color(name: str) -> str:
    """A bureau's colour, the same in every chart: its place in :func:`use_bureaus`' list, else a hash
    of its name (stable across runs and processes, unlike Python's ``hash``)."""
    import hashlib

    name = str(name)
    if name in _BUREAUS:
        return BUREAU_PALETTE[_BUREAUS.index(name) % len(BUREAU_PALETTE)]
    digest = int(hashlib.md5(name.encode("utf-8")).hexdigest()[:8], 16)  # noqa: S324 - not security
    return BUREAU_PALETTE[digest % len(BUREAU_PALETTE)]


def bureau_colors(names: Sequence[str]) -> dict[str, str]:
    """The colour of each name (:func:`bureau_color`), so a bureau looks the same in every chart; names
    outside the run list that would share a colour take the next free one, so a chart never draws two
    bureaus alike (up to 20)."""
    out: dict[str, str] = {}
    for n in dict.fromkeys(map(str, names)):
        c = bureau_color(n)
        if n not in _BUREAUS and c in out.values() and len(out) < len(BUREAU_PALETTE):
            i = BUREAU_PALETTE.index(c)
            while c in out.values():
                i += 1
                c = BUREAU_PALETTE[i % len(BUREAU_PALETTE)]
        out[n] = c
    return out


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
    noted = wrap_cjk(note, width) if note else []
    if len(noted) > NOTE_LINES:  # a footnote never crowds out the chart: the rest is in charts.json
        noted = noted[: NOTE_LINES - 1] + [noted[NOTE_LINES - 1][: width - 12] + "……（全文见 charts.json）"]
    lines = noted + [source]
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
    """Write ``<name>.png`` (1920×1080), ``<name>.svg`` and the data drawn (``<name>.csv``) into ``out_dir``
    and record them in ``charts.json`` (title, source, note, files, what is missing, log axis) so the
    brief can put each chart on a slide."""
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    image, pixels = _draw_png(fig)
    png.write_bytes(image)
    fig._govreport_png = image  # what ``publish`` shows: the file's image, not drawn again
    band = title_band(pixels)  # the slide crops the chart's own title away
    engine = fig.get_layout_engine()
    fig.set_layout_engine("none")  # laid out by the PNG's draw: the SVG keeps it (one layout, not two)
    fig.savefig(svg, facecolor="white")
    fig.set_layout_engine(engine)
    data = getattr(fig, "_govreport_data", None)
    csv = None
    if data is not None:
        csv = out / f"{name}.csv"  # what the chart shows; a value not read is an empty cell, never 0
        data.to_csv(csv, index=False, encoding="utf-8-sig")
    entry = {
        "name": name,
        "title": title or getattr(fig, "_govreport_title", name),
        "source": getattr(fig, "_govreport_source", SOURCE_LINE),
        "note": getattr(fig, "_govreport_note", None),
        "png": png.name,
        "svg": svg.name,
        "csv": csv.name if csv else None,
        "missing": getattr(fig, "_govreport_missing", []),
        "log_scale": getattr(fig, "_govreport_log", False),
        "bureaus": getattr(fig, "_govreport_bureaus", None),  # the bureaus the chart names (None: none)
        "title_band": band,  # share of the height its one-line title takes at the top (0: none)
    }
    manifest = out / MANIFEST
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    entries = [e for e in entries if e.get("name") != name] + [entry]
    manifest.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    if close:
        plt.close(fig)
    return entry


def _draw_png(fig: Figure):  # noqa: ANN202 - (bytes, numpy array)
    """The chart drawn once at :data:`DPI`: its PNG (RGB when every pixel is opaque, as on the white
    background: a quarter less to compress than RGBA) and its pixels (rows × columns × RGBA)."""
    import numpy as np
    from PIL import Image, PngImagePlugin

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=DPI, facecolor="white")
    w, h = (round(v * DPI) for v in fig.get_size_inches())
    pixels = np.frombuffer(raw.getbuffer(), dtype=np.uint8).reshape(h, w, 4)
    image = Image.frombuffer("RGBA", (w, h), raw.getbuffer(), "raw", "RGBA", 0, 1)
    if bool((pixels[:, :, 3] == 255).all()):
        image = image.convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/")
    out = io.BytesIO()
    image.save(out, format="png", dpi=(DPI, DPI), pnginfo=info, compress_level=3)  # fast, a little larger
    return out.getvalue(), pixels


def _ink_rows(rgba, start: int, stop: int):  # noqa: ANN001, ANN202 - numpy arrays
    """Which of the rows ``start:stop`` of an RGBA image hold ink: a grey level (PIL's "L") more than 24
    from the top-left pixel's."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.fromarray(np.ascontiguousarray(rgba[start:stop]), "RGBA").convert("L"))
    corner = int(np.asarray(Image.fromarray(np.ascontiguousarray(rgba[:1, :1]), "RGBA").convert("L"))[0, 0])
    return (np.abs(grey.astype(np.int16) - corner) > 24).any(axis=1)


def title_band(rgba) -> float:  # noqa: ANN001 - an RGBA image as a numpy array (rows, columns, 4)
    """The share of a chart image's height taken by its own one-line title at the top (a slide shows the
    title as text above it, so it crops this band away), or 0 when the top is not plainly one line
    followed by a blank band. Looks at the top fifth of the image (and below only when that is blank
    after the title)."""
    import numpy as np

    h = rgba.shape[0]
    top = int(h * 0.2)
    ink = _ink_rows(rgba, 0, top)
    rows = np.flatnonzero(ink)
    if rows.size == 0 or rows[0] > h * 0.04 or ink[rows[0] :].all():  # no title, or no blank row after it
        return 0.0
    end = rows[0] + int(np.argmin(ink[rows[0] :]))  # first blank row after the title's first ink
    if ink[end:].any():
        gap = int(np.argmax(ink[end:]))
    else:  # blank to the fifth's end: the gap is as tall as that (when anything is drawn below at all)
        gap = top - end if _ink_rows(rgba, top, h).any() else 0
    one_line = end - rows[0] < h * 0.065
    return float((end + min(gap, 12) / 2) / h) if one_line and gap >= 8 and end < h * 0.12 else 0.0


def publish(fig: Figure, output_dir: str | Path | None = None, name: str | None = None) -> None:
    """Show a chart in the notebook once and, when ``output_dir`` is set, save it (PNG + SVG + manifest);
    a saved chart is shown as its PNG file's image (drawn once, not again for the notebook)."""
    if output_dir:
        save_chart(fig, output_dir, name or "chart")
    try:
        from IPython import get_ipython
        from IPython.display import Image, display

        if get_ipython() is not None:
            png = getattr(fig, "_govreport_png", None)
            display(Image(data=png, format="png") if png else fig)
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


def _years_axis(ax, years: Sequence[int], present: Sequence[int] | None = None) -> None:  # noqa: ANN001
    """Year ticks; a year in ``years`` but not in ``present`` is labelled as having no report."""
    have = set(years if present is None else present)
    unit = "年" if len(years) <= 10 else ""  # many years: "2011" so the labels do not run together
    ax.set_xticks(list(years))
    ax.set_xticklabels([f"{y}{unit}" if y in have else f"{y}{unit}\n（{NO_REPORT}）" for y in years])


def year_range(years: Sequence[int]) -> list[int]:
    """Every year from the first to the last, so a year without a report is a gap, not closed up."""
    ys = sorted({int(y) for y in years})
    return list(range(ys[0], ys[-1] + 1)) if ys else []


def count_label(v: float, _pos: object = None) -> str:
    """A count on an axis: ``0``, ``850``, ``3,119``, ``12万``, ``398.6万`` — no "1e6" offset, no decimals."""
    if v is None or math.isnan(v):
        return ""
    if abs(v) >= 10_000:
        return f"{v / 10_000:,.1f}".rstrip("0").rstrip(".") + "万"
    return f"{v:,.0f}"


def is_skewed(values: Sequence[float]) -> bool:
    """Whether a count series spans orders of magnitude: more than half of its positive values are below
    1/SKEW_RATIO of the largest, which is at least SKEW_MIN (small counts like 1 and 81 are not skewed)."""
    pos = [float(v) for v in values if v is not None and not math.isnan(float(v)) and float(v) > 0]
    if len(pos) < 3 or max(pos) < SKEW_MIN:
        return False
    return sum(v < max(pos) / SKEW_RATIO for v in pos) > len(pos) / 2


def count_axis(fig: Figure, ax, axis: str, values: Sequence[float], label: str = "") -> bool:  # noqa: ANN001
    """A count axis: integer ticks in 万 beyond 10,000, starting at 0, or a log axis that says so
    (axis label and footnote) when the values span orders of magnitude; returns whether it is log."""
    a = ax.yaxis if axis == "y" else ax.xaxis
    vals = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    log = is_skewed(vals)
    set_label = ax.set_ylabel if axis == "y" else ax.set_xlabel
    if log:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
        lo = min(v for v in vals if v > 0) / 3
        (ax.set_ylim if axis == "y" else ax.set_xlim)(**bottom_or_left(axis, lo))
        a.set_major_locator(LogLocator(base=10))
        a.set_minor_locator(NullLocator())
        set_label((label + "（对数刻度）") if label else "对数刻度")
        fig._govreport_log = True  # type: ignore[attr-defined]
    else:
        a.set_major_locator(MaxNLocator(integer=True))
        if not vals or min(vals) >= 0:
            (ax.set_ylim if axis == "y" else ax.set_xlim)(**bottom_or_left(axis, 0))
            if not vals or max(vals) < 1:  # all zero: an axis to 1, not "0" repeated at fractional ticks
                (ax.set_ylim if axis == "y" else ax.set_xlim)(0, 1)
        set_label(label)
    a.set_major_formatter(FuncFormatter(count_label))
    return log


def bottom_or_left(axis: str, value: float) -> dict:
    """The keyword that fixes an axis' lower end: ``bottom=`` for y, ``left=`` for x."""
    return {"bottom": value} if axis == "y" else {"left": value}


def missing_note(missing: Sequence[str], note: str | None) -> str | None:
    """The footnote naming what is not drawn because it was not read (never drawn as 0), before ``note``."""
    parts = []
    items = list(dict.fromkeys(missing))
    if items:
        shown = "、".join(items[:MISSING_SHOWN])
        more = f"等{len(items)}项（见数据表）" if len(items) > MISSING_SHOWN else ""
        parts.append(f"{UNREAD_MARK}（空缺，不按0计）：{shown}{more}。")
    if note:
        parts.append(note)
    return "\n".join(parts) or None


def _mark_unread(ax, pos: float, horizontal: bool, base: float = 0.0, text: str = UNREAD_MARK) -> None:  # noqa: ANN001
    """Write 未能读取 (or another ``text``, e.g. 无办结) where a bar would stand."""
    xy = (base, pos) if horizontal else (pos, base)
    ax.annotate(
        text,
        xy,
        textcoords="offset points",
        xytext=(6, 0) if horizontal else (0, 6),
        ha="left" if horizontal else "center",
        va="center" if horizontal else "bottom",
        rotation=0 if horizontal else 90,
        fontsize=SIZES["annot"],
        color="#b35900" if text == UNREAD_MARK else "#666666",
    )


def top_bureaus(
    df: pd.DataFrame, y: str, hue: str = "bureau", top: int | None = TOP, measure: str = "最近一年数值"
) -> tuple[pd.DataFrame, str | None]:
    """The rows of the ``top`` bureaus (``hue`` values) with the largest value of ``y`` in their latest
    year with one read (ties by name), and the note saying what was left out; all rows when they fit."""
    names = sorted(set(df[hue].astype(str)))
    if top is None or len(names) <= top:
        return df, None
    read = df.assign(_v=pd.to_numeric(df[y], errors="coerce"), _h=df[hue].astype(str)).dropna(subset="_v")
    if "year" in read:
        read = read[read["year"] == read.groupby("_h")["year"].transform("max")]
    latest = read.groupby("_h")["_v"].max()
    rank = sorted(names, key=lambda n: (n not in latest.index, -float(latest.get(n, 0)), n))
    kept, left = rank[:top], rank[top:]
    shown = "、".join(left[:5]) + ("等" if len(left) > 5 else "")
    note = f"只画出{measure}最大的{top}个单位；其余{len(left)}个单位未画出（{shown}），数字见数据表。"
    return df[df[hue].astype(str).isin(kept)], note


def named(fig: Figure, names: Sequence[object]) -> Figure:
    """Record which bureaus a chart names (``charts.json`` lists them: the check that a chart stays
    readable however many bureaus the store holds)."""
    fig._govreport_bureaus = list(dict.fromkeys(map(str, names)))  # type: ignore[attr-defined]
    return fig


def join_notes(*notes: str | None) -> str | None:
    """Footnotes joined by line, the empty ones left out."""
    return "\n".join(n for n in notes if n) or None


def legend(fig: Figure, ax, reverse: bool = False) -> None:  # noqa: ANN001
    """A legend right of the plot when it is short, else in columns below the plot, so many or long
    entries never squeeze the plot away."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    if reverse:
        handles, labels = handles[::-1], labels[::-1]
    longest = max(sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in lab) for lab in labels)
    if len(labels) <= LEGEND_SIDE_MAX and longest <= 10:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return
    per_col = SIZES["legend"] * (longest + 3.5)  # text plus the handle, in points
    ncol = max(1, min(len(labels), int(fig.get_figwidth() * 72 * 0.95 // per_col)))
    rows = math.ceil(len(labels) / ncol)
    height = rows * SIZES["legend"] * 1.6 / 72  # inches
    # a row of its own under the plot: the layout sizes both, the legend never covers the footnote
    grid = fig.add_gridspec(2, 1, height_ratios=[max(fig.get_figheight() - 3.5 - height, 1.0), height])
    ax.set_subplotspec(grid[0])
    box = fig.add_subplot(grid[1])
    box.axis("off")
    box.legend(handles, labels, loc="center", ncol=ncol, borderaxespad=0)


def _label_of(v: object, x: str) -> str:
    return f"{v}年" if x == "year" else str(v)


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
    top: int | None = TOP,
) -> Figure:
    """Grouped bars of ``y`` by ``x`` (one bar per ``hue`` value), values written on the bars. Many or
    long category labels (``horizontal=None`` decides) turn the bars horizontal, first category on top;
    years stay left to right. Years run without gaps closed up (a year with no report is an empty,
    labelled slot); a value not read is no bar but 未能读取, named in the footnote; counts spanning orders
    of magnitude get a log axis. ``templates`` (bars by year) marks the template changes the years cross
    and says what changed. At most ``top`` bureaus (``hue`` or ``x`` "bureau"; None: all), the footnote
    naming the rest."""
    if df.empty:
        return empty_chart(title, note=note)
    what = "无法计算" if percent else UNREAD_MARK
    if df[y].dropna().empty:
        return empty_chart(title, f"数字{what}", note=note)
    full = df
    who = "bureau" if "bureau" in (hue, x) else None
    if who:
        df, left_out = top_bureaus(df, y, who, top)
        note = join_notes(left_out, note)
    fig, ax = new_chart(title)
    present = list(dict.fromkeys(df[x]))
    xs = year_range(present) if x == "year" else present
    many_years = x == "year" and len(xs) > 10  # "2011", not "2011年", so the labels do not run together
    names = [(x_labels or {}).get(v, str(v) if many_years else _label_of(v, x)) for v in xs]
    n_bars = len(xs) * max(1, len(set(df[hue])) if hue else 1)
    if horizontal is None:
        horizontal = n_bars > (60 if x == "year" else 12) or (
            x != "year" and len(xs) > 3 and max(len(n) for n in names) > 6
        )
    gap = f"\n{NO_REPORT}" if many_years else f"\n（{NO_REPORT}）"
    names = [n + ("" if v in present else gap) for n, v in zip(names, xs, strict=True)]
    if horizontal:
        xs, names = xs[::-1], names[::-1]
    hues = list(dict.fromkeys(df[hue])) if hue else [None]
    width = 0.8 / len(hues)
    colors = colors or (bureau_colors(hues) if hue else {None: ACCENT})
    by_bureau = hue is None and x == "bureau"  # one bar per bureau: each in its run colour
    missing: list[str] = []
    zeros: list[float] = []
    for i, h in enumerate(hues):
        sub = df if h is None else df[df[hue] == h]
        k = (len(hues) - 1 - i) if horizontal else i  # legend order top to bottom
        label = None if h is None else (hue_labels or {}).get(h, str(h))
        drawn_pos, drawn = [], []
        for j, xv in enumerate(xs):
            rows = sub[sub[x] == xv]
            if rows.empty:
                continue  # nothing there (no report that year): an empty slot, not a 0
            pos, v = j - 0.4 + width * (k + 0.5), _first(rows[y])
            if math.isnan(v):
                _mark_unread(ax, pos, horizontal)
                missing.append("·".join(n for n in (_label_of(xv, x), label) if n))
                continue
            drawn_pos.append(pos)
            drawn.append(v)
            if v == 0:
                zeros.append(pos)
        draw = ax.barh if horizontal else ax.bar
        drawn_x = [
            xv for xv in xs if not sub[sub[x] == xv].empty and not math.isnan(_first(sub[sub[x] == xv][y]))
        ]
        color = [bureau_color(xv) for xv in drawn_x] if by_bureau else colors.get(h, ACCENT)
        rects = draw(drawn_pos, drawn, width * 0.92, label=label, color=color)
        if annotate:
            ax.bar_label(
                rects, labels=[_num_label(v, percent) for v in drawn], fontsize=SIZES["annot"], padding=3
            )
    values = pd.to_numeric(df[y], errors="coerce").tolist()
    log = False
    if templates and x == "year":
        marked = mark_template_boundaries(ax, xs, {int(v): j for j, v in enumerate(xs)}, horizontal)
        note = "；".join(n for n in (note, marked) if n) or None
    if horizontal:
        ax.set_yticks(range(len(xs)))
        ax.set_yticklabels(names)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.margins(x=0.12)
        if percent:
            _pct(ax, "x")
            ax.set_xlabel(ylabel)
        else:
            log = count_axis(fig, ax, "x", values, ylabel)
    else:
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(names)
        ax.margins(y=0.12)
        if percent:
            _pct(ax)
            ax.set_ylabel(ylabel)
        else:
            log = count_axis(fig, ax, "y", values, ylabel)
    for pos in zeros if annotate and not percent and log else []:  # a 0 has no bar on a log axis: say 0
        xy, coords = (
            ((0, pos), ("axes fraction", "data")) if horizontal else ((pos, 0), ("data", "axes fraction"))
        )
        ax.annotate(
            "0", xy, xycoords=coords, textcoords="offset points", xytext=(6, 6), fontsize=SIZES["annot"]
        )
    if hue:
        legend(fig, ax)
    if who:
        named(fig, df[who])
    return _done(fig, full, missing, note)


def release_bars(summary: pd.DataFrame, keys: Sequence[str], title: str) -> Figure:
    """One bureau's release summary (``views.release_summary`` rows, one per year) as grouped bars of the
    columns ``keys`` (documents issued, licences, penalties …), each in its fixed colour and label."""
    from analysis.views import RELEASE_SUMMARY_LABELS

    long = summary.melt(id_vars=["year"], value_vars=list(keys))
    return bars(
        long,
        "year",
        "value",
        title,
        hue="variable",
        ylabel="件",
        hue_labels=RELEASE_SUMMARY_LABELS,
        colors=dict(zip(keys, PALETTE, strict=False)),
    )


def _done(fig: Figure, data: pd.DataFrame, missing: Sequence[str], note: str | None) -> Figure:
    """Finish a chart: footnotes (what is missing, a log axis, the caller's note) and the data it shows."""
    fig._govreport_data = data.reset_index(drop=True)  # type: ignore[attr-defined]
    fig._govreport_missing = list(dict.fromkeys(missing))  # type: ignore[attr-defined]
    log = LOG_NOTE if getattr(fig, "_govreport_log", False) else None
    return finish(fig, note=missing_note(missing, "\n".join(n for n in (log, note) if n) or None))


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
    top: int | None = TOP,
) -> Figure:
    """Lines over years (one per ``hue``), each point labelled; a single year still draws as points.
    A year without a report or a value not read breaks the line (never joined across, never 0); the
    latter is marked 未能读取 and named in the footnote. Counts spanning orders of magnitude get a log axis.
    ``templates`` marks the template changes (2019, 2021) the series crosses and says what changed.
    At most ``top`` lines (largest latest value; None: all), the footnote naming the rest."""
    full = df
    if df[y].notna().any():
        df, left_out = top_bureaus(df, y, hue, top)
        note = join_notes(left_out, note)
    data = df[df[y].notna()]
    if data.empty:
        return empty_chart(title, note=note)
    fig, ax = new_chart(title)
    years = year_range(df["year"])
    colors = bureau_colors(sorted(df[hue].astype(str).unique()))
    missing: list[str] = []
    for name, g in df.groupby(hue, sort=True):
        series = g.groupby("year")[y].first().reindex(years)  # NaN: no report or not read → a gap
        c = colors[str(name)]
        ax.plot(years, series.tolist(), marker="o", markersize=10, linewidth=3, color=c, label=str(name))
        for xv, yv in series.items():
            if not math.isnan(yv):
                ax.annotate(
                    _num_label(float(yv), percent),
                    (xv, yv),
                    textcoords="offset points",
                    xytext=(0, 12),
                    ha="center",
                    fontsize=SIZES["annot"],
                )
            elif int(xv) in set(g["year"].astype(int)) and not percent:
                missing.append(f"{name}·{xv}年")
                ax.annotate(
                    UNREAD_MARK,
                    (xv, 0.02),
                    xycoords=("data", "axes fraction"),
                    ha="center",
                    fontsize=SIZES["annot"],
                    color="#b35900",
                )
    _years_axis(ax, years, sorted(df["year"].astype(int).unique()))
    ax.margins(y=0.18)
    pad = 0.4 + 0.03 * (
        years[-1] - years[0]
    )  # every year on the axis, also one that is only 未能读取 (never off-plot)
    ax.set_xlim(years[0] - pad, years[-1] + pad)
    if templates:
        marked = mark_template_boundaries(ax, df["year"].astype(int).unique())
        note = "；".join(n for n in (note, marked) if n) or None
    if percent:
        _pct(ax)
        ax.set_ylabel(ylabel)
    else:
        count_axis(fig, ax, "y", data[y].tolist(), ylabel)
    legend(fig, ax)
    if hue == "bureau":
        named(fig, df[hue])
    return _done(fig, full, missing, note)


def outcome_shares_chart(
    shares: pd.DataFrame,
    title: str = "申请办理结果构成",
    by: Sequence[str] = ("year",),
    note: str | None = None,
    top: int | None = 5,
    last_years: int | None = 3,
) -> Figure:
    """Stacked 100 % bars of the outcome groups (``views.outcome_shares``) in the fixed outcome colours,
    shares ≥ 4 % written in; a year whose outcomes were not all read is 未能读取, a year without a report
    an empty slot. One column per year for one bureau (``by=("year",)``); one horizontal bar
    per bureau × year when comparing bureaus (``by=("bureau", "year")``), so long names stay readable:
    then at most ``top`` bureaus (most requests handled in their latest year) and each one's
    ``last_years`` latest years (None: all), the footnote saying what was left out."""
    if shares.empty:
        return empty_chart(title, note=note)
    df = shares.copy()
    horizontal = list(by) != ["year"]
    if horizontal and "bureau" in by:
        totals = df.groupby(["bureau", "year"], observed=True)["value"].sum(min_count=1).reset_index()
        kept, left_out = top_bureaus(totals, "value", "bureau", top, "最近一年办理结果件数")
        df = df[df["bureau"].isin(set(kept["bureau"]))]
        if last_years is not None and "year" in by:
            rank = df.groupby("bureau")["year"].rank(method="dense", ascending=False)
            if (rank > last_years).any():
                left_out = join_notes(left_out, f"每个单位只画出最近{last_years}个年度。")
            df = df[rank <= last_years]
        note = join_notes(left_out, note)
    fig, ax = new_chart(title)
    if horizontal:
        df["_x"] = df[list(by)].astype(str).agg(" ".join, axis=1) + ("年" if by[-1] == "year" else "")
        xs = list(dict.fromkeys(df.sort_values(list(by))["_x"]))[::-1]  # first bureau-year at the top
        ticks = xs
    else:
        df["_x"] = df["year"].astype(str) + "年"
        present = sorted(df["year"].astype(int).unique())
        years = year_range(present)
        xs = [f"{y}年" for y in years]
        ticks = [f"{y}年" if y in present else f"{y}年\n（{NO_REPORT}）" for y in years]
    # a bar whose shares are not known (an outcome group not read) is not drawn: 未能读取
    known = df.groupby("_x")["share"].apply(lambda v: v.notna().all())
    # every count read and none handled: no shares to show, but nothing unread either (无办结)
    nothing = df.groupby("_x")["value"].apply(lambda v: bool(v.notna().all()) and float(v.sum()) == 0)
    undrawn = [x for x in xs if x in known.index and not known[x]]
    unread = [x for x in undrawn if not nothing.get(x, False)]
    for x in undrawn:
        _mark_unread(ax, xs.index(x), horizontal, text=UNREAD_MARK if x in unread else NOTHING_HANDLED)
    bottom = [0.0] * len(xs)
    draw = ax.barh if horizontal else ax.bar
    for group in codes.OUTCOME_GROUPS:
        g = df[df["group"].astype(str) == group].set_index("_x")["share"]
        vals = [float(g[x]) if x in g.index and x not in undrawn and pd.notna(g[x]) else 0.0 for x in xs]
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
    xs = ticks
    if horizontal:
        ax.set_yticks(range(len(xs)))
        ax.set_yticklabels(xs)
        ax.set_xlim(0, 1)
        _pct(ax, "x")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("占办理结果的比例")
    else:
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(xs)
        ax.set_ylim(0, 1)
        _pct(ax)
        ax.set_ylabel("占办理结果的比例")
    legend(fig, ax, reverse=not horizontal)
    if horizontal and "bureau" in by:
        named(fig, df["bureau"])
    return _done(fig, shares, [x.replace("\n", "") for x in unread], note)


def reasons_chart(
    reasons: pd.DataFrame, title: str = "不予公开和无法提供的原因", note: str | None = None, top: int = 12
) -> Figure:
    """Horizontal bars of the reasons (``views.reasons`` for one bureau-year), coloured by outcome group,
    largest at the top; reasons with zero requests are left out, reasons not read named in the footnote."""
    values = pd.to_numeric(reasons["value"], errors="coerce")
    missing = [
        f"{OUTCOME_LABELS.get(g, g)}｜{lab}"
        for g, lab in zip(
            reasons.loc[values.isna(), "group"], reasons.loc[values.isna(), "label"], strict=True
        )
    ]
    df = reasons[values > 0]
    if df.empty:
        message = f"原因{UNREAD_MARK}" if missing else "没有不予公开或无法提供的申请"
        return empty_chart(title, message, note=missing_note(missing, note))
    df = df.groupby(["group", "row", "label"], observed=True)["value"].sum().reset_index()
    df = df.sort_values("value", ascending=True).tail(top)
    fig, ax = new_chart(title)
    labels = [f"{OUTCOME_LABELS.get(g, g)}｜{lab}" for g, lab in zip(df["group"], df["label"], strict=True)]
    rects = ax.barh(labels, df["value"], color=[outcome_color(g) for g in df["group"]])
    ax.bar_label(rects, labels=[_num_label(v) for v in df["value"]], padding=4, fontsize=SIZES["annot"])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.margins(x=0.1)
    count_axis(fig, ax, "x", df["value"].tolist(), "件")
    return _done(fig, df, missing, note)


def stacked_results_chart(
    rates: pd.DataFrame, title: str = "行政复议和行政诉讼结果", x: str = "label", note: str | None = None
) -> Figure:
    """Stacked bars of upheld / corrected / other / pending per ``x`` (``views.correction_rates`` rows),
    with the correction rate (and its counts) written beside each bar; rows without cases are left out,
    rows not read are named in the footnote (never drawn as 0). Many or long
    labels turn the bars horizontal so the labels stay readable."""
    parts = ["upheld", "corrected", "other", "pending"]
    df = rates[rates["proceeding"] != "litigation"] if x == "label" else rates
    unread_rows = df[df[[*parts, "total"]].isna().any(axis=1)]
    missing = list(dict.fromkeys(unread_rows[x].astype(str)))
    df = df[df[parts].notna().all(axis=1) & (df[parts].sum(axis=1) > 0)]
    if df.empty:
        message = f"复议诉讼数字{UNREAD_MARK}" if missing else "没有行政复议或行政诉讼案件"
        return empty_chart(title, message, note=missing_note(missing, note))
    fig, ax = new_chart(title)
    xs = list(dict.fromkeys(df[x].astype(str)))
    horizontal = len(xs) > 5 or max(len(v) for v in xs) > 10
    if horizontal:
        xs = xs[::-1]  # first row at the top
    draw = ax.barh if horizontal else ax.bar
    bottom = [0.0] * len(xs)
    for result in parts:
        vals = [float(df[df[x].astype(str) == xv][result].sum()) for xv in xs]
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
            text = f"纠错率 {corrected / total * 100:.1f}%（{corrected:.0f}/{total:.0f}）"
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
        ax.margins(x=0.18)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(count_label))
        ax.set_xlim(left=0)
        ax.set_xlabel("件")
    else:
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(xs)
        ax.margins(y=0.15)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(count_label))
        ax.set_ylim(bottom=0)
        ax.set_ylabel("件")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), reverse=not horizontal)
    if x != "label" and "bureau" in df.columns:
        named(fig, df["bureau"])
    return _done(fig, rates, missing, note)


def rank_chart(
    bands: pd.DataFrame, title: str = "榜单排名", note: str | None = None, top: int | None = TOP
) -> Figure:
    """Stated rankings over years (``views.ranking_bands``): place 1 at the top, an exact place as a point,
    a "前n位" statement as a band from 1 to n; one colour per list. At most ``top`` bureaus (the best
    place stated in their latest year; None: all), the footnote naming the rest."""
    if bands.empty:
        return empty_chart(title, "报告中没有提到排名", note=note)
    full = bands
    if top is not None and bands["bureau"].nunique() > top:
        best = bands.assign(_v=-pd.to_numeric(bands["best"], errors="coerce"))
        bands, left_out = top_bureaus(best, "_v", "bureau", top, "最近一年所述名次")
        left_out = (left_out or "").replace("最大的", "最靠前的")
        bands = bands.drop(columns="_v")
        note = join_notes(left_out, note)
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
    named(fig, bands["bureau"])
    return _done(fig, full, [], note)


def league_chart(
    league: pd.DataFrame, title: str, percent: bool = False, note: str | None = None, top: int | None = TOP
) -> Figure:
    """One year's league table (``views.league_table`` rows) as horizontal bars, first place on top, each
    bar labelled with its value and its change in place since last year (▲ up, ▼ down, — same, 新 new);
    each bureau in its run colour; counts spanning orders of magnitude on a log axis that says so. At
    most the first ``top`` places (None: all), the footnote saying how many were left out."""
    if league.empty:
        return empty_chart(title, "没有达到样本量要求的单位", note=note)
    df = league.sort_values(["place", "bureau"], ascending=[True, True])
    if top is not None and len(df) > top:
        note = join_notes(f"只画出前{top}名；其余{len(df) - top}个单位未画出，名次和数字见数据表。", note)
        df = df.head(top)
    df = df.iloc[::-1]
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
    ax.margins(x=0.2)
    if percent:
        _pct(ax, "x")
    else:
        count_axis(fig, ax, "x", df["value"].astype(float).tolist())
    named(fig, df["bureau"])
    return _done(fig, league, [], note)


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


COVERAGE_BY = {"region": "地区", "admin_level": "层级"}


def coverage_heatmap(
    counts: pd.DataFrame, title: str = "报告覆盖情况（份数）", note: str | None = None
) -> Figure:
    """Reports per group (region or level) × year as a heatmap (``views.coverage_counts``), each cell
    its count and how many were read only partly or not at all: a store of thousands of bureau-years
    on one chart, without a label per bureau."""
    if counts.empty:
        return empty_chart(title, "还没有读取任何报告", note=note)
    by = counts.attrs.get("by", "region")
    grid = counts.pivot_table(index="group", columns="year", values="reports", aggfunc="sum", fill_value=0)
    bad = counts.assign(bad=counts["partial"] + counts["failed"]).pivot_table(
        index="group", columns="year", values="bad", aggfunc="sum", fill_value=0
    )
    years = list(range(int(min(grid.columns)), int(max(grid.columns)) + 1))
    grid, bad = grid.reindex(columns=years, fill_value=0), bad.reindex(columns=years, fill_value=0)
    fig, ax = new_chart(title, f"按{COVERAGE_BY.get(by, by)}和年度统计")
    ax.grid(False)
    ax.imshow(grid.to_numpy(dtype=float), cmap="Blues", aspect="auto")
    top = float(grid.to_numpy().max() or 1)
    small = SIZES["annot"] if len(grid) <= 15 else max(10, SIZES["annot"] - 6)
    for i, g in enumerate(grid.index):
        for j, y in enumerate(years):
            n, b = int(grid.loc[g, y]), int(bad.loc[g, y])
            if n:
                label = f"{n}" + (f"\n({b}未全读)" if b else "")
                color = "white" if n > top * 0.6 else "#222222"
                ax.text(j, i, label, ha="center", va="center", fontsize=small, color=color)
    ax.set_xticks(range(len(years)))
    ax.set_xticklabels([str(y) for y in years])
    ax.set_yticks(range(len(grid.index)))
    ax.set_yticklabels([LEVEL_LABELS.get(str(g), str(g)) for g in grid.index])
    total = int(counts["reports"].sum())
    left = f"共{total}份报告、{int(counts['bureaus'].sum())}个单位年度；每格为份数，括号内为只读取了一部分或未能读取的份数。"
    return _done(fig, counts, [], join_notes(left, note))
