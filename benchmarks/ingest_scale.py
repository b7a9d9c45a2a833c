"""``ingest`` at scale: prints numbers, asserts nothing (run through ``benchmarks/ingest.py --n N``).

Builds a folder of N distinct reports from the bundled ones (or with ``--source synth`` from
``python -m analysis synth`` when that exists), mixed txt/html/pdf/docx, then runs the real command
line (``python -m analysis ingest``) on it and prints, per format and for the mix: reports/s, wall time,
peak memory (RSS of the ingest process and the sum of its workers', sampled every 0.1 s), and each
format's ratio to its floor: the library alone on the same files in one process (pypdfium2 extracting
every character with its box; lxml parsing the page; python-docx opening the file; decoding the text)
against read + parse + check in one process. Then the re-run over the unchanged folder, adding 50 files
of every year (each year's tables rewritten and checked again: the worst case), and adding 50 of the
latest year (a spring's new reports: the years before stay as stored).

Copies: text and HTML reports get another bureau name (``…k分局``, k spelt 甲乙丙…) so each is its own bureau-year;
DOCX the same inside word/document.xml; PDFs (whose text cannot be edited) get a comment appended after
``%%EOF``: their copies repeat the seed's bureau-year. Every kind of copy is read once and compared with
its seed before the run.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from ingest import bundled_documents  # noqa: E402

MIX = {"txt": 0.4, "html": 0.3, "pdf": 0.15, "docx": 0.15}
EXT = {"txt": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx"}


# ------------------------------------------------------------------------------------------ the copies


def _numeral(k: int) -> str:
    """k spelt with the ten heavenly stems as digits (甲乙丙…: 1025 is 乙甲丙己). Chosen when the reader cut
    a body's name at its last number (``…第12分局`` read as 分局, ``…第一〇二五分局`` as 二五分局), which made
    many copies one body; it now keeps the whole name (tests/parse/test_body_names.py), and the stems stay
    so that the copies, and the numbers measured on them, are those of earlier runs."""
    return "".join("甲乙丙丁戊己庚辛壬癸"[int(d)] for d in str(k))


def _variant(fmt: str, data: bytes, bureau: str | None, k: int) -> bytes:
    """Copy k of a seed: another bureau where the text can be edited, else bytes that readers ignore."""
    new = f"{bureau}{_numeral(k)}分局" if bureau else None
    if fmt in ("txt", "html") and new:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and bureau in text:
            return text.replace(bureau, new).encode("utf-8")
    if fmt == "docx":
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                body = src.read(item)
                if item.filename == "word/document.xml" and new and bureau.encode() in body:
                    body = body.replace(bureau.encode(), new.encode())
                dst.writestr(item, body)
            dst.comment = f"copy {k}".encode()
        return out.getvalue()
    if fmt == "pdf":
        return data + f"\n%copy {k}\n".encode()
    if fmt == "html":
        return data + f"\n<!-- copy {k} -->\n".encode()
    return data + b"\n" * (k + 1)  # a text whose bureau is not printed as read: trailing blank lines


def _seeds(fmts: list[str]) -> dict[str, list[tuple[Path, str | None, str]]]:
    """Per format, the bundled reports that read (path, bureau as printed, year from the name or text),
    keeping only those whose copy reads like the seed (same status and table rows)."""
    from analysis.report import extract_report

    docs = bundled_documents()
    out: dict[str, list[tuple[Path, str | None, str]]] = {}
    for fmt in fmts:
        for path in docs.get(fmt, []):
            try:
                rep = extract_report(path)
            except Exception:
                continue
            r = rep.report
            if r["parse_status"] == "failed" or r["year"] is None:
                continue
            bureau = r["bureau_as_printed"]
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / f"{r['year']}_check{EXT[fmt]}"
                copy.write_bytes(_variant(fmt, path.read_bytes(), bureau, 1))
                try:
                    again = extract_report(copy)
                except Exception:
                    continue
            if again.report["parse_status"] != r["parse_status"] or len(again.requests) != len(rep.requests):
                print(f"  (seed {path.name} dropped: its copy does not read like it)")
                continue
            out.setdefault(fmt, []).append((path, bureau, str(r["year"])))
    return out


def build(folder: Path, n: int, seeds: dict, weights: dict[str, float], start: int = 0) -> dict[str, int]:
    """N copies in ``folder`` (named YEAR_FMT-K.ext), by format in the mix's proportions."""
    folder.mkdir(parents=True, exist_ok=True)
    fmts = [f for f in weights if seeds.get(f)]
    total = sum(weights[f] for f in fmts)
    counts = {f: int(round(n * weights[f] / total)) for f in fmts}
    counts[fmts[0]] += n - sum(counts.values())
    k = start
    for fmt, count in counts.items():
        group = seeds[fmt]
        datas = [p.read_bytes() for p, _, _ in group]
        for j in range(count):
            s = j % len(group)
            k += 1
            _, bureau, year = group[s]
            (folder / f"{year}_{fmt}-{k:06d}{EXT[fmt]}").write_bytes(_variant(fmt, datas[s], bureau, k))
    return counts


def build_synth(folder: Path, n: int, fmts: list[str]) -> dict[str, int]:
    """The synthetic corpus (``python -m analysis synth``)."""
    cmd = [sys.executable, "-m", "analysis", "synth", "--n", str(n), "--out", str(folder)]
    subprocess.run([*cmd, "--formats", ",".join(fmts)], check=True, cwd=ROOT)
    counts: dict[str, int] = {}
    for p in folder.rglob("*"):
        for fmt, ext in EXT.items():
            if p.suffix == ext:
                counts[fmt] = counts.get(fmt, 0) + 1
    return counts


# ------------------------------------------------------------------------------------------ measuring


def run_ingest(raw: Path, out: Path, *extra: str) -> dict[str, float]:
    """The real command line on a folder: wall time and peak RSS of the process and of its workers."""
    import psutil

    cmd = [sys.executable, "-m", "analysis", "ingest", str(raw), "--out", str(out), "--quiet", *extra]
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = {"parent": 0, "children": 0, "total": 0}
    stop = threading.Event()

    def sample() -> None:
        try:
            me = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            try:
                parent = me.memory_info().rss
                kids = sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                break
            peak["parent"] = max(peak["parent"], parent)
            peak["children"] = max(peak["children"], kids)
            peak["total"] = max(peak["total"], parent + kids)
            stop.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the ingest process and its workers, all waited for
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stop.set()
    th.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({proc.returncode}): {stderr.strip()[-500:]}")
    lines = stdout.splitlines()
    first = lines[0] if lines else ""
    steps = "; ".join(x.strip() for x in lines if x.strip().startswith(("time: ", "peak memory")))
    return {
        "wall": wall,
        "cpu": cpu,
        **{k: v / 2**20 for k, v in peak.items()},
        "line": first,
        "steps": steps,
    }


def _floor_one(fmt: str, path: Path) -> None:
    """What the format's library alone does with a file."""
    data = path.read_bytes()
    if fmt == "txt":
        data.decode("utf-8", errors="replace")
    elif fmt == "html":
        import lxml.html

        lxml.html.document_fromstring(data)
    elif fmt == "docx":
        import docx

        docx.Document(io.BytesIO(data))
    elif fmt == "pdf":
        import ctypes

        import pypdfium2 as pdfium
        import pypdfium2.raw as c

        pdf = pdfium.PdfDocument(data)
        rect = c.FS_RECTF()
        ref = ctypes.byref(rect)
        for page in pdf:
            tp = page.get_textpage()
            n = tp.count_chars()
            if n > 0:
                tp.get_text_range(0, n)
                for i in range(n):
                    c.FPDFText_GetLooseCharBox(tp.raw, i, ref)
            tp.close()
            page.close()
        pdf.close()


def per_file_seconds(fmt: str, paths: list[Path], rounds: int = 4) -> tuple[float, float, float]:
    """Seconds per file in this process: (the floor, the reader, the parse layer: tables, narrative and
    checks on the documents read), each the best of ``rounds`` passes over the files, taken in turn so
    that a slower spell of the machine (a shared VM drifts by a third within minutes) meets all three;
    what is loaded out of the garbage collector's sight, as in an ingest worker (``worker_start``).
    Reader + parse layer is what ``extract_report`` does."""
    import gc

    from analysis.read import read_document
    from analysis.report import build_report

    docs = [read_document(p) for p in paths]
    fns = (
        (lambda i: _floor_one(fmt, paths[i])),
        (lambda i: read_document(paths[i])),
        (lambda i: build_report(docs[i])),
    )
    gc.freeze()
    try:
        for fn in fns:
            for i in range(min(3, len(paths))):
                fn(i)  # imports, caches
        best = [float("inf")] * len(fns)
        for _ in range(rounds):
            for k, fn in enumerate(fns):
                t0 = time.perf_counter()
                for i in range(len(paths)):
                    fn(i)
                best[k] = min(best[k], time.perf_counter() - t0)
    finally:
        gc.unfreeze()
    floor, reader, parse = (b / len(paths) for b in best)
    return floor, reader, parse


def _spread(items: list[Path], n: int) -> list[Path]:
    """``n`` of ``items`` evenly spaced from first to last (all of them when there are no more)."""
    k = min(n, len(items))
    return [items[i * len(items) // k] for i in range(k)]


def _row(label: str, n: int, r: dict[str, float], extra: str = "") -> str:
    """One run: reports/s of wall time, and per CPU-second (what one free core would do: the machine may
    be shared), wall and CPU seconds, peak RSS."""
    return (
        f"{label:<10}{n:>7}{n / r['wall']:>11.1f}{n / max(r['cpu'], 1e-9):>10.1f}{r['wall']:>9.1f}"
        f"{r['cpu']:>8.1f}{r['parent']:>10.0f}{r['children']:>11.0f}{r['total']:>10.0f}  {extra}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000, help="reports in the mixed folder (default 10000)")
    ap.add_argument("--per-format", type=int, default=400, help="reports in each one-format run")
    ap.add_argument("--memory-at", default="", help="also the mix at these sizes, e.g. 1000,3000")
    ap.add_argument("--formats", default="txt,html,pdf,docx")
    ap.add_argument("--source", choices=["bundled", "synth"], default="bundled")
    ap.add_argument("--jobs", type=int, default=None, help="ingest --jobs (default: every core)")
    ap.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    ap.add_argument(
        "--formats-only",
        action="store_true",
        help="only the per-format runs and their floors (no mix, re-run or adds); with a small --n, "
        "e.g. 2000, they still cover every seed",
    )
    args = ap.parse_args(argv)
    fmts = args.formats.split(",")
    weights = {f: MIX[f] for f in fmts}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    work = args.keep or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    import platform

    print(
        f"ingest at scale: {time.strftime('%Y-%m-%d')}, {platform.machine()} {os.cpu_count()} cores, "
        f"python {sys.version.split()[0]}, source {args.source}"
    )
    try:
        if args.source == "synth" and importlib.util.find_spec("analysis.synth") is None:
            print("  analysis.synth is not there: copies of the bundled reports instead")
            args.source = "bundled"
        raw = work / "mix"
        t0 = time.perf_counter()
        if args.source == "synth":
            counts = build_synth(raw, args.n, fmts)
            seeds = None
        else:
            seeds = _seeds(fmts)
            print("  seeds: " + ", ".join(f"{f} {len(v)}" for f, v in seeds.items()))
            counts = build(raw, args.n, seeds, weights)
        print(f"  built {sum(counts.values())} files in {time.perf_counter() - t0:.0f} s: {counts}")

        head = (
            f"{'run':<10}{'files':>7}{'reports/s':>11}{'per cpu-s':>10}{'wall s':>9}{'cpu s':>8}"
            f"{'parent MB':>10}{'workers MB':>11}{'total MB':>10}"
        )
        print(
            f"load average before: {os.getloadavg()[0]:.1f} (other work on the machine slows the wall times)"
        )
        print(head)
        # one format at a time: throughput and the floor
        for fmt in fmts:
            # every seed of the format in its share of the mix (the names sort by year, then by copy:
            # the first N by name would be the earliest year's seeds alone)
            every = sorted(raw.glob(f"*{EXT[fmt]}"))
            files = _spread(every, args.per_format)
            if not files:
                continue
            one = work / f"only-{fmt}"
            one.mkdir(exist_ok=True)
            for f in files:
                os.link(f, one / f.name)
            r = run_ingest(one, work / f"clean-{fmt}", *jobs)
            sample = _spread(files, 60)  # over the seeds, as the files are
            by_year: dict[str, list[Path]] = {}
            for f in sample:
                by_year.setdefault(f.name[:4], []).append(f)
            # each seed year's floor and reading apart (their sizes differ several times over), and the
            # format's as their mean over the sample
            each = {y: per_file_seconds(fmt, fs) for y, fs in by_year.items()}  # (floor, reader, parse)
            floor = sum(len(by_year[y]) * t[0] for y, t in each.items()) / len(sample)
            full = sum(len(by_year[y]) * (t[1] + t[2]) for y, t in each.items()) / len(sample)
            print(
                _row(
                    fmt,
                    len(files),
                    r,
                    f"one process: {1 / full:.0f}/s, floor {1 / floor:.0f}/s, x{full / floor:.1f} the floor; "
                    + r["steps"],
                )
            )
            print(
                "    by seed year (one process, floor, ratio; ms a file in the reader and in parsing the "
                "tables and narrative and checking them): "
                + ", ".join(
                    f"{y} {1 / (rd + ps):.0f}/s {1 / fl:.0f}/s x{(rd + ps) / fl:.1f} "
                    f"({1000 * rd:.1f} + {1000 * ps:.1f} ms)"
                    for y, (fl, rd, ps) in sorted(each.items())
                )
            )
        if args.formats_only:
            return 0
        for size in [int(s) for s in args.memory_at.split(",") if s.strip()]:
            part = work / f"mix-{size}"
            part.mkdir(exist_ok=True)
            for f in sorted(raw.iterdir())[:size]:
                os.link(f, part / f.name)
            r = run_ingest(part, work / f"clean-{size}", *jobs)
            print(_row(f"mix {size}", size, r, r["steps"]))
            shutil.rmtree(work / f"clean-{size}", ignore_errors=True)
        clean = work / "clean"
        r = run_ingest(raw, clean, *jobs)
        n = sum(counts.values())
        print(_row("mix", n, r, r["line"] + "; " + r["steps"]))
        again = run_ingest(raw, clean, *jobs)
        print(_row("re-run", n, again, "unchanged folder: " + again["line"] + "; " + again["steps"]))
        if seeds is not None:
            build(raw, 50, seeds, weights, start=10**6)
        else:
            build_synth(work / "more", 50, fmts)
            for f in (work / "more").rglob("*"):
                if f.suffix in EXT.values():
                    shutil.copy(f, raw / f"more-{f.name}")
        add = run_ingest(raw, clean, *jobs)
        print(_row("add 50", 50, add, add["line"] + "; " + add["steps"]))
        if seeds is not None:  # a spring's new reports: 50 of the latest year, the years before as stored
            latest = max(year for group in seeds.values() for _, _, year in group)
            spring = {f: [s for s in group if s[2] == latest] for f, group in seeds.items()}
            build(raw, 50, spring, weights, start=2 * 10**6)
            add = run_ingest(raw, clean, *jobs)
            print(_row(f"add 50 {latest}", 50, add, add["line"] + "; " + add["steps"]))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
