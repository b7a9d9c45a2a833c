"""Many briefs at once: the YAML config; the shared data prepared once (one load of the briefs' slice of
the store, split by bureau); then one process per brief, forked from the prepared parent, with a time
limit (a failure or a hang stops only its brief); a fingerprint per brief so a re-run skips what did not
change; the index page, and a plain-text summary of what was made."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import store, views
from analysis.ingest import available_cores

from .defaults import DEFAULT_KERNEL, DEFAULT_TIMEOUT
from .files import RESULT, BriefResult, brief_dir, write_result
from .index import earlier_results, write_index

CONFIG_KEYS = {"year", "data", "out", "jobs", "timeout", "kernel", "notebook", "briefs"}
ENTRY_KEYS = {"bureau", "region", "year", "notebook"}


def load_config(path: str | Path | None) -> dict:
    """A briefs.yml: optional ``year``, ``data``, ``out``, ``jobs``, ``timeout``, ``kernel``, ``notebook``
    (true: every brief as an executed notebook) and ``briefs`` (a list of ``{bureau: …}`` / ``{region: …}``,
    each with an optional ``year`` and ``notebook``). Unknown keys are errors."""
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
                f"{path}: each brief needs exactly one of bureau/region (and optionally year, notebook): "
                f"{entry}"
            )
    return cfg


def batch_entries(year: int, cfg: dict, data_dir: Path, reports: pd.DataFrame | None = None) -> list[dict]:
    """The briefs to run: the config's list, else every bureau with a report in ``year``."""
    if cfg.get("briefs"):
        return [{**e, "year": int(e.get("year", year))} for e in cfg["briefs"]]
    if reports is None:
        reports = store.load_tables(data_dir, tables=("reports",))["reports"]
    return [{"bureau": b, "year": year} for b in views.bureaus_with_report(reports, year)]


@dataclass
class Prepared:
    """The data every brief of a batch draws on, made once before the briefs are forked: the store's
    reports (to check each brief's subject), and the briefs' slice of the store split by bureau."""

    data_dir: Path
    reports: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    by_bureau: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)

    def subject(self, entry: dict) -> dict[str, pd.DataFrame]:
        """The rows of one brief's bureau (all its years), or of the reports of its region."""
        if entry.get("bureau"):
            empty = {t: df.iloc[0:0] for t, df in self.tables.items()}
            return self.by_bureau.get(str(entry["bureau"]), empty)
        ids = self.tables["reports"]["report_id"][
            views.region_matches(self.tables["reports"]["region"], str(entry["region"]))
        ]
        return {t: df[df["report_id"].isin(ids)] for t, df in self.tables.items()}


def prepare(data_dir: Path, entries: Sequence[dict], reports: pd.DataFrame | None = None) -> Prepared:
    """One load for the whole batch: the bureaus' own histories (every year; the whole store when a
    region is asked for), split by bureau once so each brief takes its rows without a scan."""
    if reports is None:
        reports = store.load_tables(data_dir, tables=["reports"])["reports"]
    bureaus = None if any(e.get("region") for e in entries) else sorted({str(e["bureau"]) for e in entries})
    from .content import BRIEF_TABLES

    tables = store.load_tables(data_dir, tables=BRIEF_TABLES, bureaus=bureaus)
    by_bureau: dict[str, dict[str, pd.DataFrame]] = {}
    for name, df in tables.items():
        for b, g in df.groupby(df["bureau"].astype("string"), sort=False, observed=True):
            by_bureau.setdefault(str(b), {t: d.iloc[0:0] for t, d in tables.items()})[name] = g
    return Prepared(data_dir=data_dir, reports=reports, tables=tables, by_bureau=by_bureau)


_PREPARED: Prepared | None = None  # set in the parent before forking; the children read it


def _render_process(entry: dict, out_dir: str, kernel: str, log: str, force: bool) -> None:
    """One brief in its own process group, forked from the prepared parent: unchanged inputs skip it,
    else it is rendered from the prepared data (or run as a notebook when it asks for one)."""
    os.setsid()  # its own group: a time limit stops the brief and any kernel it started
    with open(log, "wb") as err, open(os.devnull, "wb") as null:
        os.dup2(err.fileno(), 2)
        os.dup2(null.fileno(), 1)
    signal.signal(signal.SIGTERM, _exit_on_signal)  # papermill then shuts its kernel down
    from . import content
    from .run import render_brief, run_brief

    prepared = _PREPARED
    assert prepared is not None
    bureau, region, year = entry.get("bureau"), entry.get("region"), int(entry["year"])
    folder = brief_dir(out_dir, str(bureau or region), year)
    rows = prepared.subject(entry)
    params = {"bureau": bureau or "", "region": region or "", "year": year}
    params["notebook"] = bool(entry.get("notebook"))
    made_from = content.fingerprint(rows, params)
    if not force and content.stored_fingerprint(folder) == made_from and (folder / RESULT).exists():
        done = BriefResult(**json.loads((folder / RESULT).read_text(encoding="utf-8")))
        if done.ok:  # inputs, parameters and package version as at its last good run: nothing to do
            done.skipped = True
            write_result(folder, done)
            sys.exit(0)
    (folder / content.FINGERPRINT).unlink(missing_ok=True)
    if entry.get("notebook"):
        result = run_brief(
            year,
            bureau=bureau,
            region=region,
            data_dir=prepared.data_dir,
            out_dir=out_dir,
            kernel_name=kernel,
        )
    else:
        result = render_brief(
            rows, year, bureau=bureau, region=region, out_dir=out_dir, reports=prepared.reports
        )
    if result.ok:
        content.save_fingerprint(folder, made_from, params)
    sys.exit(0 if result.ok else 1)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@dataclass
class _Running:
    proc: multiprocessing.process.BaseProcess
    entry: dict
    folder: Path
    log: Path
    start: float


def _finished(run: _Running, status: str | None = None, error: str = "") -> BriefResult:
    """The result of a brief whose process ended (its result.json), or why it has none."""
    if status is None and (run.folder / RESULT).exists():
        return BriefResult(**json.loads((run.folder / RESULT).read_text(encoding="utf-8")))
    if status is None:
        stderr = run.log.read_text(encoding="utf-8", errors="replace") if run.log.exists() else ""
        tail = stderr.strip().splitlines()[-1:] or [f"exit code {run.proc.exitcode}"]
        status, error = "failed", tail[0]
    return BriefResult(
        name=str(run.entry.get("bureau") or run.entry["region"]),
        year=int(run.entry["year"]),
        kind="bureau" if run.entry.get("bureau") else "region",
        status=status,
        out_dir=str(run.folder),
        error=error,
        seconds=round(time.monotonic() - run.start, 1),
    )


def _stop(proc: multiprocessing.process.BaseProcess) -> None:
    """Stop a timed-out brief: SIGTERM to its process group (papermill shuts its kernel down), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        proc.join(wait)
        if not proc.is_alive():
            break
    proc.join(1)


def _warm_up() -> None:
    """What every child would otherwise import and set up itself, done once in the parent before forking."""
    import pptx  # noqa: F401
    import xlsxwriter  # noqa: F401

    from analysis.present import charts

    from . import content, deck, run  # noqa: F401

    charts.setup_style()


def run_all(
    entries: Sequence[dict],
    out: Path,
    jobs: int,
    timeout: float,
    kernel: str,
    force: bool = False,
    progress: bool = True,
) -> list[BriefResult]:
    """Every brief of ``entries`` in a forked process of its own, ``jobs`` at a time, in the order given;
    a brief over ``timeout`` seconds is stopped. Needs ``_PREPARED`` set."""
    from tqdm import tqdm

    ctx = multiprocessing.get_context("fork")
    results: dict[int, BriefResult] = {}
    pending = deque(enumerate(entries))
    running: dict[int, _Running] = {}
    bar = tqdm(total=len(entries), unit="brief", disable=not progress, file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="briefs-") as tmp:
        while pending or running:
            while pending and len(running) < jobs:
                i, entry = pending.popleft()
                folder = brief_dir(out, str(entry.get("bureau") or entry["region"]), int(entry["year"]))
                folder.mkdir(parents=True, exist_ok=True)
                log = Path(tmp) / f"{i}.log"
                proc = ctx.Process(target=_render_process, args=(entry, str(out), kernel, str(log), force))
                proc.start()
                running[i] = _Running(proc, entry, folder, log, time.monotonic())
            multiprocessing.connection.wait([r.proc.sentinel for r in running.values()], timeout=0.5)
            for i, run in list(running.items()):
                if not run.proc.is_alive():
                    run.proc.join()
                    results[i] = _finished(run)
                elif time.monotonic() - run.start > timeout:
                    _stop(run.proc)
                    (run.folder / RESULT).unlink(missing_ok=True)
                    results[i] = _finished(run, "timeout", f"time limit of {timeout:g} s exceeded")
                else:
                    continue
                del running[i]
                bar.update(1)
    bar.close()
    return [results[i] for i in range(len(entries))]


def run_batch(
    year: int,
    config: str | Path | None = None,
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    jobs: int | None = None,
    timeout: float | None = None,
    kernel_name: str | None = None,
    notebook: bool | None = None,
    force: bool = False,
    progress: bool = False,
) -> list[BriefResult]:
    """Make every brief of the config (default: every bureau with a report in ``year``): the data is
    loaded and split once, then each brief is rendered from it in a forked process with a time limit,
    ``jobs`` at a time (default: every core); a brief whose inputs, parameters and package version did
    not change since its last good run is skipped unless ``force``; ``notebook`` (or the config's or an
    entry's ``notebook: true``) runs the yearly_brief notebook instead. Writes ``<out>/index.html``."""
    global _PREPARED
    cfg = load_config(config)
    data = store.resolve_data_dir(data_dir or cfg.get("data")).resolve()
    out = Path(out_dir or cfg.get("out") or "reports").expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    jobs = int(jobs or cfg.get("jobs") or available_cores())
    timeout = float(timeout or cfg.get("timeout") or DEFAULT_TIMEOUT)
    kernel = kernel_name or cfg.get("kernel") or DEFAULT_KERNEL
    every_notebook = bool(cfg.get("notebook")) if notebook is None else notebook
    reports = store.load_tables(data, tables=["reports"])["reports"]
    entries = batch_entries(int(cfg.get("year", year)), cfg, data, reports)
    entries = [{**e, "notebook": bool(e.get("notebook", every_notebook))} for e in entries]
    _PREPARED = prepare(data, entries, reports)
    _warm_up()
    try:
        results = run_all(entries, out, jobs, timeout, kernel, force=force, progress=progress)
    finally:
        _PREPARED = None
    write_index(out, results + earlier_results(out, exclude=results))
    return results


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
    skipped = sum(r.ok and r.skipped for r in results)
    made = sum(r.ok for r in results) - skipped
    unchanged = f", {skipped} unchanged (skipped; --force to redo)" if skipped else ""
    lines.append(f"{made} made{unchanged}, {sum(not r.ok for r in results)} failed")
    return "\n".join(lines)
