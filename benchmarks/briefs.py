"""How long the notebooks and the yearly briefs take on a store of 10,000 reports.

Builds a store of N distinct bureau-years (default 10,000, 811 bureaus reporting in 2024) from the
bundled real reports' frames (benchmarks/bigstore.py), then prints:

- each notebook's time with its default parameters (every bureau) and scoped to one bureau, and the
  kernel's peak memory (each run in a process of its own; the kernel is its child);
- one brief: ``brief`` (the notebook, papermill) and a brief rendered without a kernel;
- a year's briefs (``briefs --year 2024``): every brief, or with ``--sample K`` K of them timed and the
  whole year extrapolated (labelled so), with the peak memory of the parent and of a brief's process.

Prints numbers; asserts nothing.

    python benchmarks/briefs.py [--reports 10000] [--latest 811] [--sample 60] [--skip-notebooks]
                                [--store /tmp/kept-store]   # build once, reuse on the next runs
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bigstore  # noqa: E402

from analysis import store  # noqa: E402

YEAR = 2024
NOTEBOOKS = ["release_volumes", "request_outcomes", "rankings", "review_litigation", "data_quality", "audit"]


def build_store(folder: Path, n: int, latest: int) -> tuple[float, str]:
    """Ingest data/raw, then save the big store made from its frames into ``folder``; the seconds
    taken and one bureau of the last year (the one the scoped runs use)."""
    from analysis.ingest import ingest_folder

    t0 = time.perf_counter()
    small = folder / "small"
    ingest_folder(ROOT / "data" / "raw", small, jobs=1, progress=False)
    tables = bigstore.build(store.load_tables(small), bigstore.bureau_years(n, latest, last_year=YEAR))
    store.save(tables, folder / "big")
    reports = tables["reports"]
    one = str(reports[reports["year"] == YEAR]["bureau"].iloc[0])
    return time.perf_counter() - t0, one


def kept_store(folder: Path) -> tuple[None, str | None]:
    """The bureau the scoped runs use, when ``folder`` holds a store built by an earlier ``--store`` run."""
    one = folder / "one.txt"
    if (folder / "big").is_dir() and one.is_file():
        return None, one.read_text(encoding="utf-8").strip()
    return None, None


def run_notebook(notebook: Path, params: dict, timeout: float) -> dict:
    """Run one notebook in a fresh process; its seconds and the kernel's peak memory (MB), or why not."""
    code = (
        "import json, resource, sys, time\n"
        "from analysis.briefs.run import execute_notebook\n"
        "nb, out, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])\n"
        "t0 = time.perf_counter()\n"
        "execute_notebook(nb, out, params)\n"
        "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': time.perf_counter() - t0, 'cpu': ru.ru_utime + ru.ru_stime,\n"
        "  'kernel_mb': ru.ru_maxrss / 1024}))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / notebook.name
        try:
            done = subprocess.run(
                [sys.executable, "-c", code, str(notebook), str(out), json.dumps(params, ensure_ascii=False)],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"did not finish in {timeout:g} s"}
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children so far."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _fmt(r: dict) -> str:
    if "error" in r:
        return f"{'—':>8}   {r['error']}"
    return f"{r['seconds']:7.1f} s  (kernel CPU {r['cpu']:6.1f} s)  kernel peak {r['kernel_mb']:6.0f} MB"


def notebooks(
    big: Path, one: str, out: Path, timeout: float, only: list[str] | None = None, scoped_only: bool = False
) -> None:
    region = "江苏省" + next(c for c in bigstore.CITIES if one.startswith(c))
    print(f"\nnotebooks (defaults: every bureau; scoped: {one}, or its region for audit)")
    for name in only or NOTEBOOKS:
        nb = ROOT / "notebooks" / f"{name}.ipynb"
        base = {"data_dir": str(big), "output_dir": str(out / name)}
        default = dict(base, **({"bureau": one} if name == "release_volumes" else {}))
        scoped = {
            "release_volumes": {"bureaus": [one], "bureau": one},
            "request_outcomes": {"bureaus": [one]},
            "rankings": {"bureaus": [one]},
            "review_litigation": {"bureaus": [one]},
            "audit": {"region": region, "year": YEAR},
        }.get(name)
        if not scoped_only:
            print(f"  {name:18s} defaults  {_fmt(run_notebook(nb, default, timeout))}", flush=True)
        if scoped is not None:
            print(
                f"  {name:18s} scoped    {_fmt(run_notebook(nb, dict(base, **scoped), timeout))}", flush=True
            )
        else:
            print(f"  {name:18s} scoped    (no bureau parameter: the whole store's quality by design)")


def briefs(big: Path, one: str, out: Path, sample: int, timeout: float) -> None:
    from analysis.briefs import batch
    from analysis.briefs.run import BRIEF_NOTEBOOK

    out.mkdir(parents=True, exist_ok=True)
    reports = store.load_tables(big, tables=["reports"])["reports"]
    names = batch.views.bureaus_with_report(reports, YEAR)
    jobs = batch.available_cores()
    todo = names if sample <= 0 or sample >= len(names) else names[:: max(1, len(names) // sample)][:sample]
    cfg = out / "year.yml"
    cfg.write_text("briefs:\n" + "".join(f"  - bureau: {n}\n" for n in todo), encoding="utf-8")
    t0 = time.perf_counter()
    batch._PREPARED = batch.prepare(big.resolve(), [{"bureau": n, "year": YEAR} for n in todo])
    prep = time.perf_counter() - t0
    batch._PREPARED = None
    t0, cpu0 = time.perf_counter(), _cpu()
    results = batch.run_batch(YEAR, config=cfg, data_dir=big, out_dir=out / "year", jobs=jobs)
    total = time.perf_counter() - t0
    parent_cpu, child_cpu = (a - b for a, b in zip(_cpu(), cpu0, strict=True))
    ok = sum(r.ok for r in results)
    per = [r.seconds for r in results if r.ok]
    print(f"\na year's briefs ({len(names)} bureaus report in {YEAR}; {jobs} processes at a time)")
    print(f"  load + split once (prepare)        {prep:6.1f} s")
    print(
        f"  {len(todo)} briefs                         {total:6.1f} s  ({ok} ok; a brief {sum(per) / max(len(per), 1):.1f} s in its process)"
    )
    print(
        f"  CPU: prepare + parent {parent_cpu:.1f} s, briefs {child_cpu:.1f} s "
        f"({child_cpu / max(len(todo), 1):.2f} s a brief)"
    )
    dedicated = parent_cpu + child_cpu * len(names) / len(todo) / jobs
    print(
        f"  ESTIMATE for all {len(names)} on {jobs} cores of our own (CPU time / cores): {dedicated / 60:6.1f} min"
    )
    if len(todo) < len(names):
        est = prep + (total - prep) * len(names) / len(todo)
        print(
            f"  EXTRAPOLATED to all {len(names)}:        {est / 60:6.1f} min  (sample of {len(todo)}, linear)"
        )
    t0 = time.perf_counter()
    again = batch.run_batch(YEAR, config=cfg, data_dir=big, out_dir=out / "year", jobs=jobs)
    skipped = sum(r.skipped for r in again)
    print(f"  re-run, nothing changed            {time.perf_counter() - t0:6.1f} s  ({skipped} skipped)")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"  peak memory: this process {self_mb:.0f} MB, largest child (a brief or a kernel) {child_mb:.0f} MB"
    )
    print("\none brief")
    params = {"bureau": one, "region": "", "year": YEAR, "data_dir": str(big), "output_dir": str(out / "nb")}
    print(
        f"  brief (notebook, papermill)       {_fmt(run_notebook(Path(str(BRIEF_NOTEBOOK)), params, timeout))}"
    )
    cfg = out / "one.yml"
    cfg.write_text(f"briefs:\n  - bureau: {one}\n", encoding="utf-8")
    t0 = time.perf_counter()
    batch.run_batch(YEAR, config=cfg, data_dir=big, out_dir=out / "one", jobs=1)
    print(f"  briefs for that one (load + render, no kernel) {time.perf_counter() - t0:6.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=10_000, help="bureau-years in the store")
    ap.add_argument("--latest", type=int, default=811, help=f"bureaus reporting in {YEAR}")
    ap.add_argument("--sample", type=int, default=60, help="briefs timed for the year (0: all, no estimate)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds a notebook may run")
    ap.add_argument("--skip-notebooks", action="store_true")
    ap.add_argument("--skip-briefs", action="store_true")
    ap.add_argument("--notebooks", nargs="*", help=f"only these notebooks (default: {' '.join(NOTEBOOKS)})")
    ap.add_argument("--scoped-only", action="store_true", help="notebooks scoped to one bureau only")
    ap.add_argument(
        "--store",
        type=Path,
        help="keep the store in this folder and reuse it when it is there already (same --reports/--latest)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-briefs-") as tmp:
        folder = args.store.resolve() if args.store else Path(tmp)
        secs, one = kept_store(folder) if args.store else (None, None)
        if one is None:
            secs, one = build_store(folder, args.reports, args.latest)
            if args.store:
                (folder / "one.txt").write_text(one, encoding="utf-8")
        counts = store.load_tables(folder / "big", tables=["reports"])["reports"]
        print(
            f"store of {len(counts)} reports ({counts['bureau'].nunique()} bureaus, "
            f"{(counts['year'] == YEAR).sum()} reporting in {YEAR}) "
            + (f"built in {secs:.1f} s" if secs else f"reused from {folder}")
        )
        work = Path(tmp)  # outputs never go into a kept store's folder
        if not args.skip_briefs:  # first: the peak memory it prints is of the briefs only
            briefs(folder / "big", one, work / "briefs-out", args.sample, args.timeout)
        if not args.skip_notebooks:
            notebooks(folder / "big", one, work / "nb-out", args.timeout, args.notebooks, args.scoped_only)


if __name__ == "__main__":
    main()
