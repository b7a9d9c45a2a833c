"""How long the store takes to build, to merge a batch into, and to load a slice of, at national scale.

Builds a store of N copies of the bundled reports (new report_ids, bureaus and paths, a share of them
as second documents for a bureau-year, spread over 50 regions), then times ``store.save`` of a batch of
about 50 reports of one year into it (the other years' partitions are hard-linked, not rewritten), a full ``load_tables`` and ``load_all`` (with validation), and the slices an analyst asks
for — one year, one bureau, one region — through pandas (``store.load_tables``) and DuckDB
(``store.duckdb_connection``, every table's rows of the slice fetched into pandas). Prints numbers;
asserts nothing.

    python benchmarks/store.py [--reports 10000] [--keep DIR] [--only-loads] [--derive] [--profile]

``--derive`` runs the checks across reports on each save, as ``ingest`` does (``corpus.save_options``);
``--profile`` prints where the time of the add-50 save goes (cProfile) and its memory over time
(resident set sampled every 50 ms). Each save prints its wall time, CPU time and peak resident memory.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import pstats
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis import corpus, store  # noqa: E402
from analysis.ingest import process_file, reports_to_frames  # noqa: E402
from analysis.model.codes import TABLES  # noqa: E402

REGIONS = 50  # copies are spread over this many regions (about 2 % of the store each)


def _copies(frames: dict[str, pd.DataFrame], n: int, tag: str) -> dict[str, pd.DataFrame]:
    """n copies of every report in frames, each with its own report_id, path and bureau (every tenth
    copy shares its bureau with the one before: a second document for that bureau-year), copy k in
    region ``第{k % 50}市``."""
    base = frames["reports"]
    out: dict[str, list[pd.DataFrame]] = {t: [] for t in frames}
    for i in range(n):
        ids = {rid: hashlib.sha256(f"{tag}{i}{rid}".encode()).hexdigest()[:16] for rid in base["report_id"]}
        k = i - 1 if i % 10 == 1 else i
        for t, df in frames.items():
            df = df.copy()
            df["report_id"] = df["report_id"].map(ids)
            if "bureau" in df.columns:
                df["bureau"] = df["bureau"].astype("string") + f"#{tag}{k}"
            if t == "reports":
                df["source_path"] = df["source_path"].astype("string") + f".{tag}{i}"
                df["region"] = f"第{k % REGIONS}市"
            out[t].append(df)
    return {t: pd.concat(dfs, ignore_index=True) for t, dfs in out.items()}


def _one_year(frames: dict[str, pd.DataFrame], year: int, n: int) -> dict[str, pd.DataFrame]:
    """The reports of one year out of frames (a yearly run adds the new year's reports)."""
    ids = set(frames["reports"].loc[frames["reports"]["year"] == year, "report_id"])
    return {t: df[df["report_id"].isin(ids)].reset_index(drop=True) for t, df in frames.items()}


def _timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float, object]:
    """The best wall time of ``repeat`` runs (the first warms the file cache), the CPU time of that
    run (every thread: on a shared machine, wall time also counts waiting for a core) and its result."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - t0
        if wall < best:
            best, cpu = wall, time.process_time() - c0
    return best, cpu, result


class _Peak:
    """The peak resident memory of this process while the block runs (sampled every 50 ms), with the
    samples (seconds from the start, MB) for a profile of memory over time."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()

    def _sample(self) -> None:
        t0 = time.perf_counter()
        while True:
            self.samples.append((time.perf_counter() - t0, self.proc.memory_info().rss / 1e6))
            if self._stop.wait(0.05):
                return

    def __enter__(self) -> _Peak:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((self.samples[-1][0], self.proc.memory_info().rss / 1e6))

    @property
    def mb(self) -> float:
        return max(mb for _, mb in self.samples)


def _step(fn: Callable[[], object], profile: bool = False) -> tuple[float, float, float, object, _Peak]:
    """Wall time, CPU time, peak RSS (MB) and result of one call, optionally under cProfile."""
    prof = cProfile.Profile() if profile else None
    with _Peak() as peak:
        t0, c0 = time.perf_counter(), time.process_time()
        result = prof.runcall(fn) if prof else fn()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    if prof:
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(key).print_stats(30)
            print(f"--- profile of the add-50 save, by {key} ---")
            print("\n".join(out.getvalue().splitlines()[6:]))
        print("--- resident memory during the add-50 save (s: MB) ---")
        step = max(1, len(peak.samples) // 40)
        print("  " + ", ".join(f"{t:.1f}: {mb:.0f}" for t, mb in peak.samples[::step]))
    return wall, cpu, peak.mb, result, peak


def _duck_slice(con: object, where: str, params: list[object]) -> dict[str, pd.DataFrame]:
    """Every table's rows of the reports selected by ``where`` (on the reports table), as pandas."""
    ids = f"SELECT report_id FROM reports WHERE {where}"
    return {
        t: con.execute(f"SELECT * FROM {t} WHERE report_id IN ({ids})", params).df()  # type: ignore[attr-defined]
        for t in TABLES
    }


def _duck_year(con: object, year: int) -> dict[str, pd.DataFrame]:
    """Every table's rows of one year (its partition), as pandas."""
    return {t: con.execute(f"SELECT * FROM {t} WHERE year = ?", [year]).df() for t in TABLES}  # type: ignore[attr-defined]


def _rows(tables: dict[str, pd.DataFrame]) -> int:
    return sum(len(df) for df in tables.values())


def _build(
    clean: Path, size: int, derive: bool = False, profile: bool = False, only_add: bool = False
) -> None:
    """Build the store (N copies of the bundled reports), then save about 50 reports of one year into
    it (``only_add``: into the store already at ``clean``)."""
    files = sorted((ROOT / "data" / "raw").iterdir())
    frames = reports_to_frames([process_file(f) for f in files])
    n = max(1, size // len(files))
    checks = corpus.save_options(clean) if derive else {}  # as ingest runs them
    if not only_add:
        first = _copies(frames, n, "a")
        build, build_cpu, build_mb, _, _ = _step(lambda: store.save(first, clean, **checks))
        del first
    batch = _one_year(frames, 2024, 50)
    batch = _copies(batch, max(1, 50 // len(batch["reports"])), "c" if only_add else "b")
    merge, merge_cpu, merge_mb, counts, _ = _step(lambda: store.save(batch, clean, **checks), profile)
    gen = clean / (clean / "CURRENT").read_text().strip()
    linked = sum(p.stat().st_nlink > 1 for p in gen.rglob("*.parquet") if p.is_file())
    written = sum(p.stat().st_nlink == 1 for p in gen.rglob("*.parquet") if p.is_file())
    size_mb = sum(p.stat().st_size for p in gen.rglob("*.parquet") if p.is_file()) / 1e6
    print(
        f"store of {counts['reports']} reports, {sum(counts.values())} table rows "
        f"({counts['requests']} request cells), {size_mb:.1f} MB Parquet in {gen.name}"
    )
    load = ", ".join(f"{x:.1f}" for x in psutil.getloadavg())
    print(f"  ({'with' if derive else 'without'} the checks across reports; load average {load})")
    if not only_add:
        print(
            f"  first save (build)                 {build:7.2f} s  (cpu {build_cpu:.2f} s, peak RSS {build_mb:.0f} MB)"
        )
    print(
        f"  save ~50 more reports of 2024      {merge:7.2f} s  (cpu {merge_cpu:.2f} s, peak RSS {merge_mb:.0f} MB; "
        f"{written} partition files written, {linked} linked from the previous generation)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=10000, help="size of the store to build (about)")
    ap.add_argument(
        "--keep", type=Path, help="build the store here (and keep it) instead of a temporary folder"
    )
    ap.add_argument("--only-loads", action="store_true", help="time the loads of the store at --keep only")
    ap.add_argument(
        "--only-add",
        action="store_true",
        help="only save ~50 more reports into the store at --keep (no loads)",
    )
    ap.add_argument(
        "--derive", action="store_true", help="run the checks across reports on each save, as ingest does"
    )
    ap.add_argument("--profile", action="store_true", help="profile the add-50 save (time and memory)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clean = args.keep or Path(tmp) / "clean"
        if args.only_add and args.keep:
            _build(clean, args.reports, args.derive, args.profile, only_add=True)
            return
        if not (args.only_loads and args.keep):
            _build(clean, args.reports, args.derive, args.profile)
        reports = store.load_tables(clean, tables=["reports"])["reports"]
        year = int(reports["year"].value_counts().idxmax())
        bureau = str(reports["bureau"].value_counts().index[0])
        region = "第7市"
        t, c, everything = _timed(lambda: store.load_tables(clean), repeat=1)
        print(f"  load_tables, whole store           {t:7.2f} s  (cpu {c:.2f} s; {_rows(everything)} rows)")  # type: ignore[arg-type]
        t, c, _ = _timed(lambda: store.load_all(clean), repeat=1)
        print(f"  load_all (with validation)         {t:7.2f} s  (cpu {c:.2f} s)")
        del everything
        slices = {
            f"one year ({year})": ({"years": [year]}, "year = ?", [year]),
            f"one bureau ({bureau})": ({"bureaus": [bureau]}, "bureau = ?", [bureau]),
            f"one region ({region})": (
                {"regions": [region]},
                "region = ? OR (suffix(region, ?) AND length(region) > length(?))",
                [region] * 3,
            ),
        }
        for name, (kwargs, where, params) in slices.items():
            t, c, got = _timed(lambda kwargs=kwargs: store.load_tables(clean, **kwargs))
            tv, _, _ = _timed(lambda kwargs=kwargs: store.load_tables(clean, validate=True, **kwargs))
            print(f"  pandas  {name:26} {t:7.3f} s  (cpu {c:.3f} s; {_rows(got)} rows; validated {tv:.3f} s)")  # type: ignore[arg-type]
            t0 = time.perf_counter()
            con = store.duckdb_connection(clean)
            connect = time.perf_counter() - t0
            if "years" in kwargs:
                duck = partial(_duck_year, con, year)
            else:
                duck = partial(_duck_slice, con, where, params)
            t, c, got = _timed(duck)
            print(
                f"  duckdb  {name:26} {t:7.3f} s  (cpu {c:.3f} s; {_rows(got)} rows; connection {connect:.3f} s)"
            )  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
