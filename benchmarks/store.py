"""How long the store takes to merge a batch into a large store (validate, dedupe, stage, swap).

Builds a store of N copies of the bundled reports (new report_ids, bureaus and paths, a share of them
as second documents for a bureau-year), then times ``store.save`` of a 50-report batch into it and a
full ``load_all``. Prints numbers; asserts nothing.

    python benchmarks/store.py [--reports 5000]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis import store  # noqa: E402
from analysis.ingest import process_file, reports_to_frames  # noqa: E402
from analysis.store import load_all  # noqa: E402


def _copies(frames: dict[str, pd.DataFrame], n: int, tag: str) -> dict[str, pd.DataFrame]:
    """n copies of every report in frames, each with its own report_id, path and bureau (every tenth
    copy shares its bureau with the one before: a second document for that bureau-year)."""
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
            out[t].append(df)
    return {t: pd.concat(dfs, ignore_index=True) for t, dfs in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=5000, help="size of the store to merge into (about)")
    args = ap.parse_args()
    files = sorted((ROOT / "data" / "raw").iterdir())
    frames = reports_to_frames([process_file(f) for f in files])
    n = max(1, args.reports // len(files))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store.save(_copies(frames, n, "a"), tmp)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        counts = store.save(_copies(frames, max(1, 50 // len(files)), "b"), tmp)
        merge = time.perf_counter() - t0
        t0 = time.perf_counter()
        load_all(tmp)
        load = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).glob("*.parquet")) / 1e6
    print(f"store of {counts['reports']} reports, {counts['requests']} request cells, {size:.1f} MB Parquet")
    print(f"  first save (build)          {build:6.2f} s")
    print(f"  merge a batch of ~50 more   {merge:6.2f} s")
    print(f"  load_all (with validation)  {load:6.2f} s")


if __name__ == "__main__":
    main()
