"""A yearly brief's content, made once from a bureau's (or region's) tables: key figures, sentences, the
charts (drawn on demand), the audit counts, the data issues and the tables it compares. The
``yearly_brief`` notebook displays it; ``write_brief`` and ``render_html`` write the brief folder without
a kernel (bulk briefs), so both give the same key_figures.json, charts and CSV/xlsx files."""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from analysis import views
from analysis.corpus.audit import audit_findings, kind_counts
from analysis.model import labels
from analysis.present import charts, text
from analysis.present.tables import KEY_TEXT_COLUMNS, issues_frame, key_figures_frame, show
from analysis.present.webfont import with_font

from .files import brief_tables, change_text, export_tables, write_key_figures

GLYPH_MARKERS = ("missing from font", "missing from current font")  # a glyph drawn as a box
# the tables a brief reads (the notebook and the bulk run load only these, of its bureau or region)
BRIEF_TABLES = ("reports", "requests", "reviews_litigation", "active_disclosure", "issues", "text_reuse")
FINGERPRINT = "fingerprint.json"  # what a brief was made from: a re-run with the same inputs skips it
DECISIONS = ["documents_issued", "license_decisions", "penalty_decisions", "coercion_decisions"]
PAGE_TEMPLATE = "brief.html.j2"  # the page of a brief made without a kernel (package data)
FLOWS = ["new_received", "carried_over", "carried_forward"]


@dataclass
class Brief:
    """One brief's content: what the notebook shows and the brief folder holds."""

    name: str
    year: int
    years: list[int]
    headline: pd.DataFrame
    sentences: list[str]
    unread: list[str]
    key: pd.DataFrame
    charts: list[tuple[str, Callable[[], object]]] = field(default_factory=list)  # (file name, draw)
    audit_text: str = ""
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.name} {self.year}年政府信息公开工作年度报告简报"

    @property
    def issues_text(self) -> str:
        n = len(self.issues)
        return f"{self.year}年报告共发现数据问题 {n} 条。" if n else f"{self.year}年报告没有发现数据问题。"


def subject_tables(
    tables: Mapping[str, pd.DataFrame], bureau: str | None = None, region: str | None = None
) -> dict[str, pd.DataFrame]:
    """The tables of one bureau or region (deduplicated; a region's reports summed under its name); the
    colours of the run fixed on the bureaus of these tables, as a brief draws them."""
    scoped = views.scope(dict(tables), bureau=None if region else bureau, region=region or None)
    charts.use_bureaus(scoped["reports"]["bureau"].dropna().astype(str))
    return scoped


def make_brief(tables: Mapping[str, pd.DataFrame], name: str, year: int) -> Brief:
    """The brief of ``name`` for ``year`` from its scoped tables (``subject_tables``); raises ValueError
    naming the years with a report when ``year`` has none."""
    years = sorted(int(y) for y in tables["reports"]["year"].dropna().unique())
    if year not in years:
        raise ValueError(f"no report for {name} in {year} (years with a report: {years or 'none'})")
    headline = views.headline_figures(tables, name, year)
    sentences = list(text.brief_sentences(tables, name, year, headline))
    key = key_figures_frame([dict(r, change=change_text(r)) for _, r in headline.iterrows()], year)
    checked = kind_counts(audit_findings(tables), [name], year)
    compared = brief_tables(dict(tables), name, year, headline)
    return Brief(
        name=name,
        year=year,
        years=years,
        headline=headline,
        sentences=sentences,
        unread=list(views.unread_values(tables, name, year, headline)),
        key=key,
        charts=brief_charts(tables, name, year, compared),
        audit_text=text.audit_sentence(checked.to_dict(), year),
        issues=views.report_issues(tables, name, year),
        tables=compared,
    )


def brief_charts(
    tables: Mapping[str, pd.DataFrame],
    name: str,
    year: int,
    compared: Mapping[str, pd.DataFrame] | None = None,
) -> list[tuple[str, Callable]]:
    """The brief's six charts as (file name, draw) in slide order; each draw returns a new figure.
    ``compared``: the brief's tables (``brief_tables``), whose views the charts draw instead of
    computing them again (the views of the years up to ``year``: a view of a year looks back only)."""
    req = tables["requests"]
    upto = req[req["year"] <= year]
    done = compared or {}

    def view(sheet: str, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        return done[sheet] if sheet in done else make()

    def requests() -> object:
        # a legacy year (before 2019) prints no carry-over: only its new requests are drawn
        return charts.bars(
            views.request_flows(upto, FLOWS),
            "year",
            "value",
            f"{name}：收到与结转的申请",
            hue="variable",
            ylabel="件",
            colors=dict(zip(FLOWS, charts.PALETTE, strict=False)),
            hue_labels=labels.ROW_LABELS,
            templates=True,  # the series crosses the legacy → 2019 → 2021 templates: say where
        )

    def outcomes() -> object:
        shares = view("办理结果构成", lambda: views.outcome_shares(req))
        return charts.outcome_shares_chart(
            shares[shares["year"] <= year],
            f"{name}：申请办理结果构成",
            note=text.template_change_note(upto) or None,  # only when both templates are in the chart
        )

    def reasons() -> object:
        rs = view("不予公开和无法提供的原因", lambda: views.reasons(req))
        return charts.reasons_chart(rs[rs["year"] == year], f"{name}：{year}年不予公开和无法提供的原因")

    def applicants() -> object:
        mix = view("申请人构成", lambda: views.applicant_mix(req))
        mix = mix[(mix["year"] == year) & (mix["value"] > 0)]
        return charts.bars(mix, "label", "value", f"{name}：{year}年申请人构成（本年新收）", ylabel="件")

    def reviews() -> object:
        cr = view("行政复议和行政诉讼", lambda: views.correction_rates(tables["reviews_litigation"]))
        return charts.stacked_results_chart(cr[cr["year"] == year], f"{name}：{year}年行政复议和行政诉讼结果")

    def release() -> object:
        rel = view("主动公开", lambda: views.release_summary(tables["active_disclosure"]))
        return charts.release_bars(
            rel[rel["year"] <= year], DECISIONS, f"{name}：制发规章和规范性文件，行政许可、处罚、强制决定数量"
        )

    return [
        ("01_requests", requests),
        ("02_outcomes", outcomes),
        ("03_reasons", reasons),
        ("04_applicants", applicants),
        ("05_review_litigation", reviews),
        ("06_release", release),
    ]


def save_key_figures(brief: Brief, output_dir: str | Path) -> Path:
    """``key_figures.json`` of the brief (the slides' figures and sentences, what was not read)."""
    return write_key_figures(
        output_dir, brief.name, brief.year, brief.headline, brief.sentences, brief.unread
    )


def write_brief(brief: Brief, output_dir: str | Path) -> list[str]:
    """Write what a brief folder holds besides the HTML and the deck: key_figures.json, every chart
    (PNG, SVG, data CSV, charts.json) and the tables (CSV + tables.xlsx). Returns the glyph warnings."""
    import matplotlib.pyplot as plt

    save_key_figures(brief, output_dir)
    found: list[str] = []
    for name, draw in brief.charts:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = draw()
            charts.save_chart(fig, output_dir, name)
            plt.close(fig)
        found += [str(w.message) for w in caught if any(m in str(w.message) for m in GLYPH_MARKERS)]
    export_tables(output_dir, brief.tables)
    return list(dict.fromkeys(found))


def _table_html(df: pd.DataFrame, **kw: object) -> str:
    shown = show(df, **kw)
    return shown.to_html() if hasattr(shown, "to_html") else f"<p>{shown}</p>"


def render_html(brief: Brief, folder: str | Path) -> Path:
    """``brief.html`` from a written brief folder: the notebook's sections, text and tables, and its
    charts as the saved PNGs (embedded, so the page is one file and loads nothing from the network)."""
    import base64
    from importlib.resources import files

    from jinja2 import Environment

    folder = Path(folder)
    manifest = json.loads((folder / charts.MANIFEST).read_text(encoding="utf-8"))
    images = [
        {
            "title": e["title"],
            "src": "data:image/png;base64," + base64.b64encode((folder / e["png"]).read_bytes()).decode(),
        }
        for e in manifest
    ]
    key_right = [c for c in brief.key.columns if c not in KEY_TEXT_COLUMNS]
    template = (files("analysis.briefs") / PAGE_TEMPLATE).read_text(encoding="utf-8")
    page = (
        Environment(autoescape=True)
        .from_string(template)
        .render(
            title=f"{brief.name} {brief.year}年简报",
            heading=brief.title,
            years="、".join(map(str, brief.years)),
            key_table=_table_html(brief.key, right=key_right, empty="没有可用的数字。"),
            sentences=brief.sentences,
            charts=images,
            audit_text=brief.audit_text,
            issues_text=brief.issues_text,
            issues_table=_table_html(issues_frame(brief.issues, keys=())) if len(brief.issues) else "",
        )
    )
    path = folder / "brief.html"
    path.write_text(with_font(page), encoding="utf-8")
    return path


def package_version() -> str:
    """The installed version of this package (part of every brief's fingerprint)."""
    try:
        return version("analysis")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def fingerprint(tables: Mapping[str, pd.DataFrame], params: Mapping[str, object]) -> str:
    """A hash of a brief's input rows (every scoped table, row order ignored), its parameters and the
    package version: equal fingerprints mean a re-run would make the same brief."""
    h = hashlib.sha256()
    h.update(json.dumps({**params, "version": package_version()}, sort_keys=True, default=str).encode())
    for name in sorted(tables):
        df = tables[name]
        h.update(f"{name}:{len(df)}:{','.join(map(str, df.columns))}".encode())
        if len(df):
            rows = pd.util.hash_pandas_object(df.astype("string"), index=False).sort_values()
            h.update(rows.to_numpy().tobytes())
    return h.hexdigest()


def stored_fingerprint(folder: str | Path) -> str | None:
    """The fingerprint a brief folder was made from (None: none recorded)."""
    path = Path(folder) / FINGERPRINT
    try:
        return json.loads(path.read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError):
        return None


def save_fingerprint(folder: str | Path, value: str, params: Mapping[str, object]) -> Path:
    """Record what the brief in ``folder`` was made from (written last, after every other file)."""
    path = Path(folder) / FINGERPRINT
    body = {"fingerprint": value, "params": dict(params), "version": package_version()}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
