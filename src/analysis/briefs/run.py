"""Run a notebook with papermill (parameters checked first), export it as HTML without code, find glyph
warnings, and ``run_brief``: the ``yearly_brief`` notebook for one bureau or region and year, end to end."""

from __future__ import annotations

import os
import site
import sysconfig
import time
from collections.abc import Mapping, Sequence
from importlib.resources import as_file, files
from pathlib import Path

import pandas as pd

from analysis import store, views
from analysis.present.webfont import with_font

from .content import GLYPH_MARKERS
from .deck import build_pptx
from .defaults import DEFAULT_KERNEL
from .files import KEY_FIGURES, RESULT, BriefResult, brief_dir, unread_in, write_result

# package data, found through the import system (a wheel, an editable install or a checkout alike)
BRIEF_NOTEBOOK = files("analysis.briefs") / "yearly_brief.ipynb"
NOT_LISTED = {RESULT, "fingerprint.json"}  # a brief's bookkeeping, not among the files it made
# nbconvert's lab template without what it loads from the network (require.js, MathJax, Mermaid, widgets):
# a brief is charts (embedded PNG), tables and text, and must render the same offline
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


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


def package_env() -> dict[str, str]:
    """The environment for kernels and child processes: this one, with the folder holding this package put
    first on PYTHONPATH when it runs from a source tree (an installed package is importable already)."""
    env = dict(os.environ)
    src = Path(__file__).resolve().parents[2]  # …/src for src/analysis/briefs/run.py
    installed = {Path(p).resolve() for k, p in sysconfig.get_paths().items() if k in ("purelib", "platlib")}
    if src in installed or src == Path(site.getusersitepackages()).resolve():
        return env
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(src) not in parts:
        env["PYTHONPATH"] = os.pathsep.join([str(src), *parts])
    return env


def kernel_manager(env: dict[str, str]) -> type:
    """nbclient's kernel manager class, starting the kernel with ``env``: the kernel gets this package on
    its path without this process's ``os.environ`` being changed (papermill passes the class to nbclient)."""
    from jupyter_client import AsyncKernelManager

    class KernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: object) -> None:
            kw.setdefault("env", env)
            await super().start_kernel(**kw)

    return KernelManager


def execute_notebook(
    notebook: str | Path,
    output: str | Path,
    parameters: dict,
    kernel_name: str = DEFAULT_KERNEL,
    cell_timeout: int | None = None,
    cwd: str | Path | None = None,
) -> None:
    """Run a notebook with papermill after checking its parameters; absolute paths, folder created. The
    kernel gets ``package_env()`` through its kernel manager; this process's environment is not changed.
    ``output`` is written when the run ends or a cell fails (a run stopped from outside leaves none)."""
    import papermill

    notebook, output = Path(notebook).resolve(), Path(output).resolve()
    check_parameters(notebook, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=kernel_name,
        cwd=str(cwd or notebook.parent),
        progress_bar=False,
        log_output=False,
        # written once at the end (and on a failing cell), not twice per cell: rewriting the notebook with
        # every chart so far took longer than some cells (the kernel waits for it)
        request_save_on_cell_execute=False,
        execution_timeout=cell_timeout,
        kernel_manager_class=kernel_manager(package_env()),
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
    """The executed notebook as HTML without code cells or prompts (nbconvert's ``--no-input``), in Chinese
    (``lang="zh-CN"``) and self-contained: nothing is loaded from the network."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [
        c for c in nb.cells if not ({"parameters", "injected-parameters"} & set(c.metadata.get("tags", [])))
    ]
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="zh",
        extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
    )
    body, _ = exporter.from_notebook_node(nb)
    body = body.replace('<html lang="zh">', '<html lang="zh-CN">', 1)  # nbconvert takes ISO 639-1 codes only
    path = Path(html_path)
    path.write_text(with_font(body), encoding="utf-8")
    return path


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
    folder = brief_dir(out_dir, name, year)
    _start(folder)
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
        with as_file(BRIEF_NOTEBOOK) as notebook:  # the file itself, or a temporary copy from a zip
            execute_notebook(
                notebook, nb_out, params, kernel_name=kernel_name, cell_timeout=cell_timeout, cwd=folder
            )
        result.warnings = glyph_warnings(nb_out)
        result.unread = unread_in(folder)
        export_html(nb_out, folder / "brief.html", title=f"{name} {year}年简报")
        build_pptx(folder)
        result.status = "ok"
    except Exception as exc:  # one brief's failure is reported, not raised (batch runs go on)
        result.error = _error_text(exc)
    return _finish(result, folder, start)


def _finish(result: BriefResult, folder: Path, start: float) -> BriefResult:
    result.seconds = round(time.monotonic() - start, 1)
    result.files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in NOT_LISTED)
    write_result(folder, result)
    return result


def _start(folder: Path, stale: Sequence[str] = ()) -> None:
    """A brief folder ready for a new run: created, and what the run rewrites (or must not keep) removed."""
    from analysis.present import charts

    folder.mkdir(parents=True, exist_ok=True)
    for name in [charts.MANIFEST, KEY_FIGURES, RESULT, "fingerprint.json", *stale]:
        (folder / name).unlink(missing_ok=True)


def render_brief(
    tables: Mapping[str, pd.DataFrame],
    year: int,
    bureau: str | None = None,
    region: str | None = None,
    out_dir: str | Path = "reports",
    reports: pd.DataFrame | None = None,
) -> BriefResult:
    """One brief without a kernel, from tables holding the bureau's (or region's) rows: the same
    key_figures.json, charts, CSV/xlsx and deck as ``run_brief``, and brief.html from the package's page
    template instead of an executed notebook (no brief.ipynb). ``reports`` (the store's) checks the
    subject first, with suggestions for a misspelt name. Never raises for a failing brief."""
    from . import content

    if bool(bureau) == bool(region):
        raise ValueError("give exactly one of bureau or region")
    name = str(region or bureau)
    folder = brief_dir(out_dir, name, year)
    _start(folder, stale=["brief.ipynb"])  # a notebook of an earlier run would not match this brief
    result = BriefResult(name=name, year=year, kind="region" if region else "bureau", out_dir=str(folder))
    start = time.monotonic()
    try:
        if reports is not None:
            views.check_parameters(reports, bureau=bureau or None, region=region or None, year=int(year))
        brief = content.make_brief(content.subject_tables(tables, bureau=bureau, region=region), name, year)
        result.warnings = content.write_brief(brief, folder)
        result.unread = unread_in(folder)
        content.render_html(brief, folder)
        build_pptx(folder)
        result.status = "ok"
    except Exception as exc:  # one brief's failure is reported, not raised (batch runs go on)
        result.error = _error_text(exc)
    return _finish(result, folder, start)


def check_subject(data_dir: str | Path, bureau: str | None, region: str | None, year: int) -> None:
    """Fail fast, before a kernel starts, when the bureau or region has no report that year; suggest
    the names the store does hold (a typo like 洛阳统计局 for 洛阳市统计局 is the usual cause)."""
    subject = {"regions": [region]} if region else {"bureaus": [bureau]} if bureau else {}
    try:  # the subject's reports only (a slice of the store) are enough when they pass
        views.check_parameters(
            store.load_tables(data_dir, tables=["reports"], **subject)["reports"],
            bureau=bureau or None,
            region=region or None,
            year=year,
        )
    except views.ParameterError:  # say it with every name the store holds
        reports = store.load_tables(data_dir, tables=["reports"])["reports"]
        views.check_parameters(reports, bureau=bureau or None, region=region or None, year=year)


def _error_text(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.cell_index} (execution {exc.exec_count}): {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"
