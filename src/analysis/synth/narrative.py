"""A report as blocks (title, headings, paragraphs, the three tables): the six sections of the
national template, with sentences stating the tables' own figures as real reports do."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import layout
from .bureaus import Body
from .values import Tables

HERE = Path(__file__).parent
HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
SUBHEADINGS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障")


@dataclass
class Block:
    """A heading, a paragraph or a table (``grid`` set, ``text`` its name: table2/table3/table4)."""

    kind: str  # title, heading, para, table
    text: str = ""
    grid: layout.Grid | None = None


@dataclass
class Document:
    """A whole report as blocks, with the figures its narrative states (quantity → value)."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    stated: dict[str, float] = field(default_factory=dict)
    prose: list[str] = field(default_factory=list)  # the sentences without figures, in order


@lru_cache(maxsize=1)
def phrases() -> dict[str, tuple[str, ...]]:
    """Pieces of narrative sentences by slot (``phrases.csv``: open, act, how, result)."""
    out: dict[str, list[str]] = {}
    with (HERE / "phrases.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["slot"], []).append(r["text"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def topics() -> dict[str, tuple[str, ...]]:
    """What each section's sentences are about (``topics.csv``)."""
    out: dict[str, list[str]] = {}
    with (HERE / "topics.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["section"], []).append(r["topic"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def fillers() -> tuple[str, ...]:
    with (HERE / "fillers.csv").open(encoding="utf-8") as fh:
        return tuple(r["filler"] for r in csv.DictReader(fh))


def prose(rng: random.Random, section: str, body: Body, year: int, k: int = 2) -> str:
    """``k`` sentences of a section: an opening, the body, what it did about the section's topic and
    how, and the result, each piece drawn from ``phrases.csv`` (so two reports rarely share a sentence)."""
    p = phrases()
    out = []
    for _ in range(k):
        a1, a2, a3 = rng.sample(fillers(), 3)
        values = {
            "year": year,
            "place": body.place,
            "domain": body.domain,
            "a1": a1,
            "a2": a2,
            "a3": a3,
            "k1": rng.randint(2, 12),
            "k2": rng.randint(3, 40),
        }
        name = body.printed if rng.random() < 0.4 else rng.choice(("我单位", "本机关", "我们"))
        hows = "，".join(rng.sample(p["how"], 2))
        sentence = (
            f"{rng.choice(p['open'])}{name}{rng.choice(p['act'])}{rng.choice(topics()[section])}，"
            f"{hows}，{rng.choice(p['result'])}。"
        )
        out.append(sentence.format(**values))
    return "".join(out)


def figures(t: Tables) -> dict[str, float]:
    """The table quantities the narrative states (the names of corpus/narrative_figures.csv)."""
    r, v, a = t.requests, t.reviews, t.active
    out: dict[str, float] = {
        "new_received": r[("new_received", "total")],
        "carried_over": r[("carried_over", "total")],
        "total_processed": r[("total_processed", "total")],
        "granted": r[("granted", "total")],
        "partially_granted": r[("partially_granted", "total")],
        "carried_forward": r[("carried_forward", "total")],
        "review": v[("review", "total")],
        "litigation": v[("litigation_direct", "total")] + v[("litigation_after_review", "total")],
    }
    if t.template == "2021":
        out["normative_new"] = a[("20.1", "normative_document", "issued")]
        out["administrative_fee"] = a[("20.8", "administrative_fee", "fee_amount")]
    else:
        out["normative_new"] = a[("20.1", "normative_document", "published")]
    return out


def requests_sentence(f: dict[str, float]) -> str:
    return (
        f"本年度共收到政府信息公开申请{f['new_received']:g}件，上年结转申请{f['carried_over']:g}件，"
        f"办结{f['total_processed']:g}件，其中予以公开{f['granted']:g}件，部分公开{f['partially_granted']:g}件，"
        f"{f['carried_forward']:g}件结转下年度继续办理。"
    )


def reviews_sentence(f: dict[str, float]) -> str:
    return f"全年发生政府信息公开行政复议案件{f['review']:g}件，行政诉讼案件{f['litigation']:g}件。"


def disclosure_sentence(f: dict[str, float], template: str) -> str:
    verb = "制发" if template == "2021" else "主动公开"
    text = f"全年{verb}规范性文件{f['normative_new']:g}件。"
    if "administrative_fee" in f:
        text += f"本年度行政事业性收费金额为{layout.printed(f['administrative_fee'], money=True)}万元。"
    return text


def document(
    rng: random.Random,
    body: Body,
    year: int,
    t: Tables,
    stated: dict[str, float] | None = None,
    copied: list[str] | None = None,
) -> Document:
    """The report of ``body`` for ``year`` with tables ``t``; ``stated`` overrides the narrative's
    figures; ``copied`` is another report's prose to print instead of its own (雷同)."""
    f = {**figures(t), **(stated or {})}
    doc = Document(f"{body.printed}{year}年政府信息公开工作年度报告", stated=f)
    doc.prose = copied or [
        prose(rng, section, body, year, k)
        for section, k in (("1", 2), ("2", 2), ("3", 1), ("4", 1), ("5", 1), ("6", 1), ("7", 3), ("8", 1))
    ]
    p = doc.prose
    add = doc.blocks.append
    add(Block("title", doc.title))
    add(
        Block(
            "para",
            f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据统计期限自{year}年1月1日起至"
            f"{year}年12月31日止。",
        )
    )
    add(Block("heading", HEADINGS[0]))
    add(Block("para", p[0]))
    bodies = (
        p[1] + disclosure_sentence(f, t.template),
        p[2] + requests_sentence(f) + reviews_sentence(f),
        p[3],
        p[4],
        p[5],
    )
    for sub, text in zip(SUBHEADINGS, bodies, strict=True):
        add(Block("para", sub))
        add(Block("para", text))
    for heading, name, grid in (
        (HEADINGS[1], "table2", layout.table2(t)),
        (HEADINGS[2], "table3", layout.table3(t)),
        (HEADINGS[3], "table4", layout.table4(t)),
    ):
        add(Block("heading", heading))
        add(Block("table", name, grid))
    add(Block("heading", HEADINGS[4]))
    add(Block("para", p[6]))
    add(Block("heading", HEADINGS[5]))
    add(Block("para", p[7]))
    add(Block("para", body.printed))
    add(Block("para", f"{year + 1}年1月{rng.randint(10, 31)}日"))
    return doc
