"""How long the checks across reports (analysis.corpus) take on a large store.

Builds a store of N reports (default 10,000: N/10 bodies × 10 years) from the bundled real reports:
each report takes the tables of a real 2019/2021-template report (new report_id, bureau, year) and a
narrative of sentences drawn at random from all real narratives (so texts differ as real ones do, and
a few bodies copy each other). Then times ``corpus.corpus_results`` and each check. Prints numbers;
asserts nothing.

    python benchmarks/corpus.py [--reports 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis import corpus  # noqa: E402
from analysis.ingest import process_file, reports_to_frames  # noqa: E402
from analysis.model import codes  # noqa: E402
from analysis.store.merge import finish  # noqa: E402
from analysis.store.schema import COLUMNS, typed  # noqa: E402


def _real() -> dict[str, pd.DataFrame]:
    files = sorted((ROOT / "data" / "raw").glob("*")) + sorted(
        (ROOT / "tests" / "fixtures" / "corpus").glob("*.txt")
    )
    seen: set[bytes] = set()
    unique = []
    for f in files:  # a fixture may repeat a bundled file byte for byte (the same report_id)
        if f.is_file() and (data := f.read_bytes()) not in seen:
            seen.add(data)
            unique.append(f)
    return reports_to_frames([process_file(f) for f in unique])


def build(n: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    real = _real()
    rep = real["reports"]
    sources = rep[rep["template"].isin(["2019", "2021"]) & (rep["parse_status"] != "failed")]
    pool = real["sections"]["text"].dropna().str.split("。").explode()
    pool = pool[pool.str.len() > 10].tolist()
    bodies, years = max(n // 10, 1), 10
    out: dict[str, list[pd.DataFrame]] = {t: [] for t in codes.TABLES if t != "text_reuse"}
    pick = rng.integers(0, len(sources), size=bodies * years)
    rows = []
    for k in range(bodies * years):
        b, y = divmod(k, years)
        src = sources.iloc[pick[k]]
        rid = f"{k:016x}"
        rows.append((src["report_id"], rid, f"单位{b:05d}", 2015 + y))
    ids = pd.DataFrame(rows, columns=["src", "report_id", "bureau", "year"])
    r = ids.merge(rep.drop(columns=["report_id", "bureau", "year"]).assign(src=rep["report_id"]), on="src")
    r["source_path"] = r["report_id"] + ".txt"
    r["admin_level"] = np.where(r.index % 3 == 0, "county", "department")
    r["superseded_by"] = None
    out["reports"] = [r.drop(columns="src")]
    for t in ("requests", "reviews_litigation", "active_disclosure", "issues"):
        df = real[t].rename(columns={"report_id": "src"}).drop(columns=["bureau", "year"])
        out[t] = [ids.merge(df, on="src").drop(columns="src")]
    # narratives like real ones: each body writes its own sentences (real ones with a third of their
    # characters changed), reuses about half of them the next year, and one report in a hundred
    # copies another body's of the same year
    chars = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 3000)])

    def mutate(sentence: str) -> str:
        a = np.array(list(sentence))
        hit = rng.random(len(a)) < 0.33
        a[hit] = rng.choice(chars, size=int(hit.sum()))
        return "".join(a)

    own = {b: [mutate(x) for x in rng.choice(pool, size=40)] for b in range(bodies)}
    texts = []
    for k in range(len(ids)):
        b = k // years
        texts.append("。".join(rng.choice(own[b], size=25, replace=False)) + "。")
    for k in rng.choice(len(ids), size=len(ids) // 100, replace=False):
        other = (k + years) % len(ids)  # the same year of the next body
        texts[k] = texts[other]
    out["sections"] = [
        ids.drop(columns="src").assign(
            section=1, heading="总体情况", heading_as_printed="一、总体情况", text=texts
        )
    ]
    tables = {t: typed(t, pd.concat(v, ignore_index=True)) for t, v in out.items() if v}
    for t in ("channel_volumes", "rankings", "text_reuse"):
        tables[t] = typed(t, pd.DataFrame(columns=COLUMNS[t]))
    return finish(tables)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    tables = build(args.reports)
    print(f"built a store of {len(tables['reports'])} reports in {time.perf_counter() - t0:.1f} s")
    # wall time and this process's CPU time: on a shared machine the wall time also counts others' work
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'check':28s} {'wall':>8s} {'cpu':>8s}")
    for name, fn in (
        ("continuity", corpus.continuity_issues),
        ("narrative vs table", corpus.narrative_table_issues),
        ("copied text (text_reuse)", corpus.text_reuse),
        ("copied tables", corpus.copied_table_issues),
        ("anomalies", corpus.anomaly_issues),
        ("all (corpus.apply)", corpus.apply),
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        got = fn(tables)
        rows = f"({len(got)} rows)" if isinstance(got, pd.DataFrame) else f"({len(got['issues'])} issues)"
        print(f"{name:28s} {time.perf_counter() - t0:6.2f} s {time.process_time() - c0:6.2f} s  {rows}")


if __name__ == "__main__":
    main()
