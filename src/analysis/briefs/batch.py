"""Many briefs at once: the YAML config, one child process per brief with a time limit (a failure or
hang stops only its brief), the index page, and a plain-text summary of what was made. The children are
forked from a server that has the briefs' imports loaded once (PRELOAD), which makes a year's briefs cheaper."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.context
import multiprocessing.process
import os
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis import store, views
from analysis.ingest import available_cores

from .defaults import DEFAULT_KERNEL, DEFAULT_TIMEOUT
from .files import RESULT, BriefResult, brief_dir
from .index import earlier_results, write_index

CONFIG_KEYS = {"year", "data", "out", "jobs", "timeout", "kernel", "briefs"}
ENTRY_KEYS = {"bureau", "region", "year"}


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


# What every brief imports, loaded once into the batch's fork server so each brief's process starts with
# them in memory (about a third of a brief's CPU on a 2-core machine went into these imports).
PRELOAD = (
    "pandas",
    "matplotlib.pyplot",
    "papermill",
    "nbformat",
    "nbclient",
    "nbconvert",
    "jupyter_client",
    "pptx",
    "analysis.views",
    "analysis.present.charts",
    "analysis.briefs.run",
    "analysis.briefs.deck",
)
_CONTEXT: multiprocessing.context.BaseContext | None = None


def _context() -> multiprocessing.context.BaseContext:
    """Processes for briefs: forked from a server that has PRELOAD imported (each brief still runs in a
    process of its own, so a crash or a time limit stops only that brief); spawn where fork is missing."""
    global _CONTEXT
    if _CONTEXT is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            _CONTEXT = multiprocessing.get_context("forkserver")
            _CONTEXT.set_forkserver_preload(list(PRELOAD))
        else:
            _CONTEXT = multiprocessing.get_context("spawn")
    return _CONTEXT


def _brief_process(
    entry: dict, data_dir: str, out_dir: str, kernel: str, log: str, env: dict[str, str], cwd: str
) -> None:
    """One brief in its own process and process group, exactly as ``python -m analysis brief`` runs it
    (the batch's environment and folder, not the fork server's); stderr goes to ``log`` (the batch
    reports its last line when the brief fails without a result)."""
    os.setsid()  # its own group: a time limit stops the brief and the kernel it started
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    with open(log, "wb") as err, open(os.devnull, "wb") as null:
        os.dup2(err.fileno(), 2)
        os.dup2(null.fileno(), 1)
    signal.signal(signal.SIGTERM, _exit_on_signal)  # papermill then shuts its kernel down
    from .run import run_brief

    result = run_brief(
        entry["year"],
        bureau=entry.get("bureau"),
        region=entry.get("region"),
        data_dir=data_dir,
        out_dir=out_dir,
        kernel_name=kernel,
    )
    sys.exit(0 if result.ok else 1)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _run_child(entry: dict, data_dir: Path, out_dir: Path, kernel: str, timeout: float) -> BriefResult:
    name = entry.get("bureau") or entry["region"]
    folder = brief_dir(out_dir, name, entry["year"])
    start = time.monotonic()

    def without_result(status: str, error: str) -> BriefResult:
        kind = "bureau" if entry.get("bureau") else "region"
        seconds = round(time.monotonic() - start, 1)
        return BriefResult(
            name=name,
            year=entry["year"],
            kind=kind,
            status=status,
            out_dir=str(folder),
            error=error,
            seconds=seconds,
        )

    (folder / RESULT).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        log = Path(tmp) / "stderr.log"
        proc = _context().Process(
            target=_brief_process,
            args=(entry, str(data_dir), str(out_dir), kernel, str(log), dict(os.environ), os.getcwd()),
        )
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            _stop(proc)
            return without_result("timeout", f"time limit of {timeout:g} s exceeded")
        if (folder / RESULT).exists():
            return BriefResult(**json.loads((folder / RESULT).read_text(encoding="utf-8")))
        stderr = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    tail = stderr.strip().splitlines()[-1:] or [f"exit code {proc.exitcode}"]
    return without_result("failed", tail[0])


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
    jobs = int(jobs or cfg.get("jobs") or available_cores())
    timeout = float(timeout or cfg.get("timeout") or DEFAULT_TIMEOUT)
    kernel = kernel_name or cfg.get("kernel") or DEFAULT_KERNEL
    entries = batch_entries(int(cfg.get("year", year)), cfg, data)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda e: _run_child(e, data, out, kernel, timeout), entries))
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
    lines.append(f"{sum(r.ok for r in results)} made, {sum(not r.ok for r in results)} failed")
    return "\n".join(lines)
