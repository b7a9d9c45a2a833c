"""Write a synthetic corpus: bodies over consecutive years, each report in one format, and beside it
``NAME.expected.json`` with every cell it should read as and the inconsistencies injected into it."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import inject, legacy, narrative, render_html, render_text
from .bureaus import Body, pick_body
from .layout import printed
from .values import ACTIVE, REQUESTS, REVIEWS, State, Tables, template_of, year_tables

FORMATS: tuple[str, ...] = ("txt", "html", "docx", "pdf")
TEMPLATES: tuple[str, ...] = ("2019", "2021", "legacy")
YEARS: dict[str, tuple[int, ...]] = {
    "legacy": tuple(range(2008, 2019)),
    "2019": (2019, 2020),
    "2021": tuple(range(2021, 2026)),
}
MAX_RUN = 6  # years of one body in a row
LEGACY_ODDS = 3  # a run starts in a 2019-2025 year this many times as often as in a given legacy year
BLANK_SHARE = 0.03  # zero cells printed blank (in layouts that keep cells apart)
EXPECTED_SUFFIX = ".expected.json"
GBK_SHARE = 0.25  # pasted text and web pages in GBK (GB18030) rather than UTF-8
NAMED_COPY_SHARE = 0.5  # copies whose copier puts its own full name into every sentence (for 我单位, 本机关…)
_SELF = re.compile("我单位|本机关|我们")  # how the narrative names its body when not by name
DATE_LAST_SHARE = 0.5  # crawled legacy pages dated after the 统计表 (the date runs into its last row)


@dataclass
class Planned:
    """One report to write: its body, year, format, layout and figures."""

    body: Body
    year: int
    fmt: str
    layout: str
    tables: Tables
    injection: inject.Injection | None = None


def years_allowed(templates: tuple[str, ...]) -> list[int]:
    return sorted(y for t in templates for y in YEARS[t])


def plan(
    n: int, formats: tuple[str, ...], templates: tuple[str, ...], seed: int, share: float
) -> Iterator[Planned]:
    """``n`` reports: bodies drawn one after another, each over a run of consecutive allowed years."""
    rng = random.Random(seed)
    allowed = years_allowed(templates)
    if not allowed:
        raise ValueError("no templates chosen")
    used: set[str] = set()
    made = 0
    while made < n:
        body = pick_body(rng, used)
        start = rng.choices(
            allowed, weights=[1 if template_of(y) == "legacy" else LEGACY_ODDS for y in allowed]
        )[0]
        run = [start]
        while len(run) < MAX_RUN and run[-1] + 1 in allowed and rng.random() < 0.75:
            run.append(run[-1] + 1)
        run = run[: n - made]
        state = State()
        crawled_before = False
        for i, year in enumerate(run):
            t = year_tables(rng, body.size, year, state)
            fmt = formats[made % len(formats)]
            lay = fmt
            if fmt == "txt":
                lay = "crawled" if rng.random() < 0.5 else "pasted"
            planned = Planned(body, year, fmt, lay, t)
            if t.template != "legacy" and rng.random() < share:
                previous = template_of(run[i - 1]) if i else None
                planned.injection = _inject(rng, planned, state, previous, crawled_before)
            if lay not in ("crawled",) and t.template != "legacy":
                _blanks(rng, t)
            made += 1
            crawled_before = lay == "crawled"
            yield planned


def _inject(
    rng: random.Random, p: Planned, state: State, previous: str | None, crawled_before: bool
) -> inject.Injection | None:
    """One inconsistency of a kind the report allows: continuity needs a modern report the year before;
    a crawled page's cells are cut by the sums, so its sums are not broken."""
    first = previous in (None, "legacy")
    kinds = [
        k
        for k in inject.KINDS
        if not (k == "continuity" and first) and not (k == "arithmetic" and p.layout == "crawled")
    ]
    kind = rng.choice(kinds)
    if kind == "arithmetic":
        return inject.arithmetic(rng, p.tables)
    if kind == "continuity":
        table2 = not crawled_before and p.layout != "crawled"
        return inject.continuity(rng, p.tables, state, previous or "", table2)
    if kind == "narrative":
        return inject.narrative(rng, p.tables)
    return inject.Injection("copied_text", ["corpus.copied_text"], "corpus", "sections", "")


def _blanks(rng: random.Random, t: Tables) -> None:
    """Print a few zero cells blank, as some bodies do (they read as 0, flagged ``cell.blank``)."""
    for table, cells in ((REQUESTS, t.requests), (REVIEWS, t.reviews), (ACTIVE, t.active)):
        for key, v in cells.items():
            if v == 0 and rng.random() < BLANK_SHARE:
                t.blank.add((table, *key))


def expected(p: Planned, name: str, doc: narrative.Document) -> dict:
    """What the report must read as: its body and year, every cell by code (value and raw), the
    narrative's stated figures, and the injected inconsistency with the checks that must report it."""
    t = p.tables

    def cell(table: str, key: tuple, money: bool = False) -> dict:
        blank = (table, *key) in t.blank
        source = {REQUESTS: t.requests, REVIEWS: t.reviews, ACTIVE: t.active}[table]
        if t.template == "legacy":  # raw is the whole table row or sentence read: not one cell's text
            return {"value": source[key], "raw": None}
        return {"value": source[key], "raw": "" if blank else printed(source[key], money)}

    return {
        "file": name,
        "format": p.fmt,
        "layout": p.layout,
        "bureau": p.body.canonical,
        "bureau_as_printed": p.body.printed,
        "region": p.body.region,
        "admin_level": p.body.admin_level,
        "year": p.year,
        "template": t.template,
        "requests": [{"row": r, "applicant": a, **cell(REQUESTS, (r, a))} for r, a in t.requests],
        "reviews_litigation": [
            {"proceeding": pr, "result": r, **cell(REVIEWS, (pr, r))} for pr, r in t.reviews
        ],
        "active_disclosure": [
            {"clause": c, "item": i, "metric": m, **cell(ACTIVE, (c, i, m), m.endswith("amount"))}
            for c, i, m in t.active
        ],
        "narrative": doc.stated,
        "injected": [p.injection.to_dict()] if p.injection else [],
    }


def render(p: Planned, doc: narrative.Document, rng: random.Random) -> bytes:
    """The report's file bytes in its format and layout."""
    url = f"https://www.example.gov.cn/zwgk/ndbg/{p.year + 1}01/t{p.year + 1}0120_{p.body.slug}.html"
    published = f"{p.year + 1}-01-{rng.randint(10, 31):02d}"
    if p.layout == "pasted":  # saved by Notepad on a Chinese Windows: GBK, else UTF-8
        return render_text.pasted(doc, rng).encode("gb18030" if rng.random() < GBK_SHARE else "utf-8")
    if p.layout == "crawled":
        return render_text.crawled(doc, rng, url, published).encode("utf-8")
    if p.fmt == "html":  # older portals serve GB2312 pages
        if rng.random() < GBK_SHARE:
            return render_html.page(doc, rng, url, published, "gb2312").encode("gb18030")
        return render_html.page(doc, rng, url, published).encode("utf-8")
    if p.fmt == "docx":
        from . import render_docx

        return render_docx.document(doc, rng)
    if p.fmt == "pdf":
        from . import render_pdf

        return render_pdf.document(doc, rng)
    raise ValueError(f"unknown format {p.fmt}")


def generate(
    n: int,
    out: str | Path,
    formats: tuple[str, ...] = FORMATS,
    templates: tuple[str, ...] = TEMPLATES,
    seed: int = 1,
    inject_share: float = 0.1,
    progress: bool = False,
) -> list[Path]:
    """Write ``n`` reports and their expected files into ``out``; the same seed writes the same bytes."""
    unknown = set(formats) - set(FORMATS) or set(templates) - set(TEMPLATES)
    if unknown:
        raise ValueError(f"unknown format or template: {', '.join(sorted(unknown))}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # year → reports (body, prose) not yet copied: each is copied once at most, since a sentence that
    # five bodies print is template wording to the project's reuse check, not a copy
    sources: dict[int, list[tuple[str, list[str]]]] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=n, unit="report", desc="synth")
    for k, p in enumerate(plan(n, formats, templates, seed, inject_share)):
        rng = random.Random(f"{seed}/{k}")
        stated = p.injection.stated if p.injection else None
        copied = None
        if p.injection and p.injection.kind == "copied_text":
            if sources.get(p.year):
                src_name, src_prose = sources[p.year].pop(rng.randrange(len(sources[p.year])))
                copied = [s.replace(src_name, p.body.printed) for s in src_prose]
                p.injection.detail = f"narrative copied from {src_name}'s {p.year} report"
                if rng.random() < NAMED_COPY_SHARE:
                    copied = [_SELF.sub(p.body.printed, s) for s in copied]
                    p.injection.detail += ", the copier's own name in every sentence"
            else:
                p.injection = None  # nothing of that year to copy from yet
        if p.tables.template == "legacy":
            date_last = p.layout == "crawled" and rng.random() < DATE_LAST_SHARE
            doc = legacy.document(rng, p.body, p.year, p.tables, date_last)
        else:
            doc = narrative.document(rng, p.body, p.year, p.tables, stated=stated, copied=copied)
        if not p.injection and p.tables.template != "legacy":
            sources.setdefault(p.year, []).append((p.body.printed, doc.prose))
        name = f"{p.year}_{p.body.slug}.{p.fmt}"
        data = render(p, doc, rng)
        (out / name).write_bytes(data)
        exp = expected(p, name, doc)
        (out / (name + EXPECTED_SUFFIX)).write_text(
            json.dumps(exp, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written.append(out / name)
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return written
