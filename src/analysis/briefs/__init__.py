"""Yearly briefs: run the ``yearly_brief`` notebook with papermill and turn it into things to hand out.

``run_brief`` executes the notebook for one bureau (or region) and year into ``<out>/<slug>/<year>/`` and
writes there the executed notebook, ``brief.html`` without code, every chart as 1920×1080 PNG and SVG,
and ``brief.pptx`` (title slide, key figures, one chart per slide). ``run_batch`` runs many briefs in
parallel, each in its own process with a time limit, so one failure or hang does not stop the rest; it
writes ``index.html`` and prints a summary. Pitfalls handled (docs/notebooks.md): absolute paths, output
folders created, the kernel named explicitly, unknown parameters rejected before a run.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import store, views
from analysis.store import PROJECT_ROOT

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
BRIEF_NOTEBOOK = NOTEBOOK_DIR / "yearly_brief.ipynb"
KEY_FIGURES = "key_figures.json"
RESULT = "result.json"
DEFAULT_KERNEL = "python3"
DEFAULT_TIMEOUT = 600  # seconds per brief in a batch
GLYPH_MARKERS = ("missing from font", "missing from current font")
CONFIG_KEYS = {"year", "data", "out", "jobs", "timeout", "kernel", "briefs"}
ENTRY_KEYS = {"bureau", "region", "year"}


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


# ------------------------------------------------------------------------------------------- helpers


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
            f"| {r['label']} | {views.fmt_value(r['value'], r['unit'])} | "
            f"{views.fmt_value(r['prev_value'], r['unit']) if py else '—'} | {change_text(r)} |"
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
    return f"{sign}{views.fmt_value(abs(change), unit)}"


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
                "text": views.fmt_value(r["value"], r["unit"]),
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


def check_parameters(notebook: str | Path, parameters: dict) -> None:
    """Reject a run whose notebook has no ``parameters`` cell or that passes a parameter the notebook
    does not declare (papermill would only log "Passed unknown parameter")."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    if not declared:
        raise ValueError(f"{notebook} has no cell tagged 'parameters'")
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(
            f"unknown parameters for {Path(notebook).name}: {', '.join(unknown)} "
            f"(it declares {', '.join(declared)})"
        )


def _package_env() -> dict[str, str]:
    """The environment for kernels and child processes: this package importable (PYTHONPATH)."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in parts:
        env["PYTHONPATH"] = os.pathsep.join([src, *parts])
    return env


def execute_notebook(
    notebook: str | Path,
    output: str | Path,
    parameters: dict,
    kernel_name: str = DEFAULT_KERNEL,
    cell_timeout: int | None = None,
    cwd: str | Path | None = None,
) -> None:
    """Run a notebook with papermill after checking its parameters; absolute paths, folder created."""
    import papermill

    notebook, output = Path(notebook).resolve(), Path(output).resolve()
    check_parameters(notebook, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    os.environ.update({k: v for k, v in _package_env().items() if k == "PYTHONPATH"})
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=kernel_name,
        cwd=str(cwd or notebook.parent),
        progress_bar=False,
        log_output=False,
        execution_timeout=cell_timeout,
    )


def glyph_warnings(notebook: str | Path) -> list[str]:
    """Lines in a notebook's outputs that report a glyph missing from the font (boxes in a chart)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") or "".join(
                str(v) for v in out.get("data", {}).values() if isinstance(v, str)
            )
            found += [ln.strip() for ln in str(text).splitlines() if any(m in ln for m in GLYPH_MARKERS)]
    return found


def export_html(notebook: str | Path, html_path: str | Path, title: str | None = None) -> Path:
    """The executed notebook as HTML without code cells or prompts (nbconvert's ``--no-input``)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [
        c for c in nb.cells if not ({"parameters", "injected-parameters"} & set(c.metadata.get("tags", [])))
    ]
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    path = Path(html_path)
    path.write_text(body, encoding="utf-8")
    return path


def build_pptx(folder: str | Path, path: str | Path | None = None) -> Path:
    """``brief.pptx`` from a brief folder: a title slide, a key-figures slide (table with the change on the
    earlier report), the generated sentences, and one slide per chart in ``charts.json`` (the 16:9 PNG fills the slide; SVGs stay beside the deck)."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    from analysis.present import charts

    folder = Path(folder)
    figures = json.loads((folder / KEY_FIGURES).read_text(encoding="utf-8"))
    manifest = folder / charts.MANIFEST
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    name, year = figures["name"], figures["year"]

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    margin = Inches(0.6)
    width = prs.slide_width - 2 * margin

    def titled(layout: int, title: str):  # noqa: ANN202 - a pptx slide
        slide = prs.slides.add_slide(prs.slide_layouts[layout])
        shape = slide.shapes.title
        shape.text = title
        shape.left, shape.width = margin, width  # the default template is 4:3: widen to 16:9
        return slide

    cover = titled(0, f"{name}\n{year}年政府信息公开工作年度报告简报")
    sub = cover.placeholders[1]
    sub.left, sub.width = margin, width
    sub.text = f"{charts.SOURCE_LINE}\n生成日期：{date.today():%Y-%m-%d}"

    slide = titled(5, "主要数字")
    rows = [f for f in figures["figures"] if f["value"] is not None]
    prev_years = [f["prev_year"] for f in rows if f["prev_year"]]
    shape = slide.shapes.add_table(
        len(rows) + 1, 4, margin, Inches(1.5), width, Inches(0.38 * (len(rows) + 1))
    )
    table = shape.table
    for j, w in enumerate((0.4, 0.2, 0.2, 0.2)):
        table.columns[j].width = int(width * w)
    head = ["指标", f"{year}年", f"{prev_years[0]}年" if prev_years else "上年", "变化"]
    for j, text in enumerate(head):
        table.cell(0, j).text = text
    for i, f in enumerate(rows, start=1):
        prev = views.fmt_value(f["prev_value"], f["unit"]) if f["prev_value"] is not None else "—"
        for j, text in enumerate([f["label"], f["text"], prev, f["change"]]):
            table.cell(i, j).text = text
    for cell in (c for r in table.rows for c in r.cells):
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(16)
    if not prev_years:
        slide.notes_slide.notes_text_frame.text = "没有往年报告，无法计算同比变化。"

    slide = titled(5, "要点")
    box = slide.shapes.add_textbox(margin, Inches(1.5), width, Inches(5.6)).text_frame
    box.word_wrap = True
    for k, sentence in enumerate(figures["sentences"]):
        para = box.paragraphs[0] if k == 0 else box.add_paragraph()
        para.text = sentence
        para.font.size = Pt(20)
        para.space_after = Pt(10)

    blank = prs.slide_layouts[6]
    for entry in entries:
        s = prs.slides.add_slide(blank)
        pic = s.shapes.add_picture(str(folder / entry["png"]), 0, 0, width=prs.slide_width)
        pic.height = Emu(int(prs.slide_width * charts.PNG_SIZE[1] / charts.PNG_SIZE[0]))
        pic.name = entry["title"]
        s.notes_slide.notes_text_frame.text = "\n".join(
            x
            for x in (
                entry["title"],
                entry.get("note"),
                entry.get("source", charts.SOURCE_LINE),
                f"SVG：{entry['svg']}",
            )
            if x
        )
    out = Path(path) if path else folder / "brief.pptx"
    prs.save(str(out))
    return out


# ------------------------------------------------------------------------------------------- one brief


def run_brief(
    year: int,
    bureau: str | None = None,
    region: str | None = None,
    data_dir: str | Path | None = None,
    out_dir: str | Path = "reports",
    kernel_name: str = DEFAULT_KERNEL,
    cell_timeout: int | None = None,
) -> BriefResult:
    """Run ``yearly_brief`` for one bureau or region and year; write notebook, HTML, PNG/SVG and PPTX.

    Never raises for a failing notebook: the result says what failed (the failing cell's error), and
    ``result.json`` in the brief folder records it for batch runs.
    """
    if bool(bureau) == bool(region):
        raise ValueError("give exactly one of bureau or region")
    name = str(region or bureau)
    from analysis.present import charts

    folder = brief_dir(out_dir, name, year)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [folder / charts.MANIFEST, folder / KEY_FIGURES, folder / RESULT]:
        stale.unlink(missing_ok=True)
    result = BriefResult(name=name, year=year, kind="region" if region else "bureau", out_dir=str(folder))
    params = {
        "bureau": bureau or "",
        "region": region or "",
        "year": int(year),
        "data_dir": str(store.resolve_data_dir(data_dir).resolve()),
        "output_dir": str(folder),
    }
    nb_out = folder / "brief.ipynb"
    start = time.monotonic()
    try:
        check_subject(params["data_dir"], bureau=bureau, region=region, year=int(year))
        execute_notebook(BRIEF_NOTEBOOK, nb_out, params, kernel_name=kernel_name, cell_timeout=cell_timeout)
        result.warnings = glyph_warnings(nb_out)
        export_html(nb_out, folder / "brief.html", title=f"{name} {year}年简报")
        build_pptx(folder)
        result.status = "ok"
    except Exception as exc:  # one brief's failure is reported, not raised (batch runs go on)
        result.error = _error_text(exc)
    result.seconds = round(time.monotonic() - start, 1)
    result.files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != RESULT)
    (folder / RESULT).write_text(json.dumps(asdict(result), ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def check_subject(data_dir: str | Path, bureau: str | None, region: str | None, year: int) -> None:
    """Fail fast, before a kernel starts, when the bureau or region has no report that year; suggest
    the names the store does hold (a typo like 洛阳统计局 for 洛阳市统计局 is the usual cause)."""
    import difflib

    reports = store.load_tables(data_dir, tables=["reports"])["reports"]
    column = "region" if region else "bureau"
    wanted = str(region or bureau)
    names = sorted(reports[column].dropna().astype(str).unique())
    mask = views._region_matches(reports["region"], wanted) if region else reports["bureau"] == wanted
    years = sorted(int(y) for y in reports.loc[mask, "year"].dropna().unique())
    if not years:
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
        hint = (
            f"; did you mean {' or '.join(close)}?"
            if close
            else f"; the store holds: {', '.join(names[:12])}"
        )
        raise ValueError(f"no reports for {column} {wanted} in {data_dir}{hint}")
    if year not in years:
        raise ValueError(
            f"no report for {wanted} in {year} (years with a report: {', '.join(map(str, years))})"
        )


def _error_text(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.cell_index} (execution {exc.exec_count}): {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


# ------------------------------------------------------------------------------------------- batches


def load_config(path: str | Path | None) -> dict:
    """A briefs.yml: optional ``year``, ``data``, ``out``, ``jobs``, ``timeout``, ``kernel`` and ``briefs``
    (a list of ``{bureau: …}`` / ``{region: …}``, each with an optional ``year``). Unknown keys are errors."""
    if not path:
        return {}
    import yaml

    cfg = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(cfg, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    unknown = set(cfg) - CONFIG_KEYS
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)} (allowed: {sorted(CONFIG_KEYS)})")
    for entry in cfg.get("briefs") or []:
        if (
            not isinstance(entry, dict)
            or set(entry) - ENTRY_KEYS
            or ("bureau" in entry) == ("region" in entry)
        ):
            raise ValueError(
                f"{path}: each brief needs exactly one of bureau/region (and optionally year): {entry}"
            )
    return cfg


def batch_entries(year: int, cfg: dict, data_dir: Path) -> list[dict]:
    """The briefs to run: the config's list, else every bureau with a report in ``year``."""
    if cfg.get("briefs"):
        return [{**e, "year": int(e.get("year", year))} for e in cfg["briefs"]]
    reports = store.load_tables(data_dir, tables=("reports",))["reports"]
    return [{"bureau": b, "year": year} for b in views.bureaus_with_report(reports, year)]


def _run_child(entry: dict, data_dir: Path, out_dir: Path, kernel: str, timeout: float) -> BriefResult:
    name = entry.get("bureau") or entry["region"]
    kind = "bureau" if entry.get("bureau") else "region"
    folder = brief_dir(out_dir, name, entry["year"])
    cmd = [
        sys.executable,
        "-m",
        "analysis",
        "brief",
        f"--{kind}",
        name,
        "--year",
        str(entry["year"]),
        "--data",
        str(data_dir),
        "--out",
        str(out_dir),
        "--kernel",
        kernel,
    ]
    start = time.monotonic()
    (folder / RESULT).unlink(missing_ok=True)
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_package_env(),
        start_new_session=True,
    )
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        return BriefResult(
            name=name,
            year=entry["year"],
            kind=kind,
            status="timeout",
            out_dir=str(folder),
            error=f"time limit of {timeout:g} s exceeded",
            seconds=round(time.monotonic() - start, 1),
        )
    if (folder / RESULT).exists():
        data = json.loads((folder / RESULT).read_text(encoding="utf-8"))
        return BriefResult(**data)
    tail = (stderr or "").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
    return BriefResult(
        name=name,
        year=entry["year"],
        kind=kind,
        status="failed",
        out_dir=str(folder),
        error=tail[0],
        seconds=round(time.monotonic() - start, 1),
    )


def _stop(proc: subprocess.Popen) -> None:
    """Stop a timed-out brief: SIGTERM to its process group (papermill shuts its kernel down), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_batch(
    year: int,
    config: str | Path | None = None,
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    jobs: int | None = None,
    timeout: float | None = None,
    kernel_name: str | None = None,
) -> list[BriefResult]:
    """Run every brief of the config (default: every bureau with a report in ``year``) in parallel, each in
    its own process with a time limit; write ``<out>/index.html`` and return the results."""
    cfg = load_config(config)
    data = store.resolve_data_dir(data_dir or cfg.get("data")).resolve()
    out = Path(out_dir or cfg.get("out") or "reports").expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    jobs = int(jobs or cfg.get("jobs") or max(1, min(4, (os.cpu_count() or 2) - 1)))
    timeout = float(timeout or cfg.get("timeout") or DEFAULT_TIMEOUT)
    kernel = kernel_name or cfg.get("kernel") or DEFAULT_KERNEL
    entries = batch_entries(int(cfg.get("year", year)), cfg, data)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda e: _run_child(e, data, out, kernel, timeout), entries))
    write_index(out, results + earlier_results(out, exclude=results))
    return results


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
            f"<td>{'成功' if r.ok else ('超时' if r.status == 'timeout' else '失败')}</td><td>{links}</td></tr>"
        )
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告简报</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left}}
tr.failed td,tr.timeout td{{color:#c2185b}}</style></head><body>
<h1>政府信息公开工作年度报告简报</h1>
<p>{sum(r.ok for r in results)} 份成功，{sum(not r.ok for r in results)} 份失败；生成日期 {date.today():%Y-%m-%d}。</p>
<table><tr><th>单位/地区</th><th>年度</th><th>状态</th><th>文件或错误</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _pad(text: str, width: int) -> str:
    """Left-align text in a fixed-width column, counting a Chinese character as two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def summary_table(results: Sequence[BriefResult]) -> str:
    """A plain-text table of what was made and what failed (with the failing cell's error)."""
    lines = [f"{_pad('brief', 26)} {'year':>4}  {'status':<7} {'secs':>6}  output / error"]
    for r in results:
        what = str(Path(r.out_dir) / "brief.html") if r.ok else r.error
        if r.ok and r.warnings:
            what += f"  [{len(r.warnings)} glyph warnings]"
        lines.append(f"{_pad(r.name, 26)} {r.year:>4}  {r.status:<7} {r.seconds:>6.1f}  {what}")
    lines.append(f"{sum(r.ok for r in results)} made, {sum(not r.ok for r in results)} failed")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- CLI

BRIEF_HELP = """\
Run notebooks/yearly_brief.ipynb with papermill for one bureau (or region) and year and write
<out>/<slug>/<year>/: brief.ipynb (executed), brief.html (no code), every chart as PNG (1920x1080)
and SVG, key_figures.json and brief.pptx (title, key figures, one chart per slide).

example:  python -m analysis brief --bureau 淮安市人民政府 --year 2024
"""
BRIEFS_HELP = """\
Run every brief for a year in parallel (each in its own process with a time limit), then write
<out>/index.html and print what was made and what failed. Exit code 1 when any brief failed.

config (YAML, all keys optional):
  jobs: 2            # parallel briefs
  timeout: 600       # seconds per brief
  briefs:            # default: every bureau with a report that year
    - bureau: 淮安市人民政府
    - region: 江苏省淮安市
    - bureau: 平潭综合实验区
      year: 2023     # overrides --year for this brief

example:  python -m analysis briefs --year 2024 --config briefs.yml
"""


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``brief`` and ``briefs`` sub-commands to the project's command line."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = subparsers.add_parser(
        "brief",
        help="run the yearly brief notebook for one bureau or region",
        description=BRIEF_HELP,
        formatter_class=fmt,
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--bureau", help="canonical bureau name, e.g. 洛阳市统计局")
    who.add_argument("--region", help="region name, e.g. 江苏省淮安市 (sums the region's reports)")
    p.add_argument("--year", type=int, required=True, help="the year reported on")
    _common(p)
    p.add_argument(
        "--cell-timeout", type=int, default=None, help="seconds a single cell may run (default: none)"
    )
    p.set_defaults(func=_cmd_brief)

    q = subparsers.add_parser(
        "briefs",
        help="run every brief for a year in parallel, with an index page",
        description=BRIEFS_HELP,
        formatter_class=fmt,
    )
    q.add_argument("--year", type=int, required=True, help="the year reported on")
    q.add_argument("--config", help="briefs.yml listing the briefs to run (default: every bureau that year)")
    _common(q, defaults=False)
    q.add_argument(
        "--jobs", type=int, help="briefs run at the same time (default: config, else CPUs-1, max 4)"
    )
    q.add_argument(
        "--timeout", type=float, help=f"seconds per brief (default: config, else {DEFAULT_TIMEOUT})"
    )
    q.set_defaults(func=_cmd_briefs)


def _common(p: argparse.ArgumentParser, defaults: bool = True) -> None:
    p.add_argument(
        "--data",
        default=None,
        metavar="DIR",
        help="clean tables built by `ingest` (default: data/clean of the project)",
    )
    p.add_argument(
        "--out",
        default="reports" if defaults else None,
        metavar="DIR",
        help="output folder (default: reports)",
    )
    p.add_argument(
        "--kernel",
        default=None if not defaults else DEFAULT_KERNEL,
        help=f"Jupyter kernel to run the notebook with (default: {DEFAULT_KERNEL}; "
        "`make lab` registers 'govreport')",
    )


def _cmd_brief(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _raise_exit)  # a batch timeout stops us: let papermill stop its kernel
    result = run_brief(
        args.year,
        bureau=args.bureau,
        region=args.region,
        data_dir=args.data,
        out_dir=args.out,
        kernel_name=args.kernel,
        cell_timeout=args.cell_timeout,
    )
    if result.ok:
        print(f"brief written to {result.out_dir}")
        for f in result.files:
            print(f"  {f}")
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
        return 0
    print(f"brief failed for {result.name} {result.year}: {result.error}", file=sys.stderr)
    return 1


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _cmd_briefs(args: argparse.Namespace) -> int:
    from analysis.store import StoreError

    try:
        results = run_batch(
            args.year,
            config=args.config,
            data_dir=args.data,
            out_dir=args.out,
            jobs=args.jobs,
            timeout=args.timeout,
            kernel_name=args.kernel,
        )
    except (FileNotFoundError, ValueError, StoreError) as exc:  # no or damaged store, bad config
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary_table(results))
    if results:
        print(f"index: {Path(results[0].out_dir).parents[1] / 'index.html'}")
    else:
        print("no briefs to run")
    return 0 if all(r.ok for r in results) else 1
