"""A pre-2019 (legacy) report: the narrative in the old seven parts and the 政府信息公开情况统计表
(指标名称 | 计量单位 | 本年度, rows as ``legacy_rows.csv`` lists them), whose figures the text repeats."""

from __future__ import annotations

import csv
import random
from functools import lru_cache
from pathlib import Path

from .bureaus import Body
from .layout import Cell, Grid
from .narrative import Block, Document, prose
from .values import Tables

HERE = Path(__file__).parent
HEADINGS = (
    "一、概述",
    "二、主动公开政府信息情况",
    "三、依申请公开政府信息情况",
    "四、政府信息公开的收费及减免情况",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "六、政府信息公开工作存在的主要问题及改进情况",
    "七、其他需要报告的事项",
)


@lru_cache(maxsize=1)
def rows() -> tuple[dict, ...]:
    with (HERE / "legacy_rows.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def figures(rng: random.Random, t: Tables) -> dict[str, int]:
    """Every row's figure: the year's codes from ``t`` and channels that add up to their totals."""
    r, v, a = t.requests, t.reviews, t.active
    released = int(a[("legacy", "proactive_releases", "released")])
    received = r[("new_received", "total")]
    website = released - rng.randint(0, min(released, 3))
    person = rng.randint(0, received)
    online = rng.randint(0, received - person)
    return {
        "proactive": released,
        "proactive.website": website,
        "proactive.gazette": released - website,
        "received": received,
        "received.in_person": person,
        "received.online": online,
        "received.mail": received - person - online,
        "answers": r[("total_processed", "total")],
        "granted": r[("granted", "total")],
        "partially_granted": r[("partially_granted", "total")],
        "withheld": r[("withheld", "total")],
        "unavailable.not_held": r[("unavailable.not_held", "total")],
        "fee": 0,
        "review": v[("review", "total")],
        "litigation": v[("litigation", "total")],
        "complaint": v[("complaint", "total")],
    }


def grid(year: int, f: dict[str, int], rng: random.Random) -> Grid:
    head = rng.choice(("本年度", f"{year}年度", "数量"))
    out: Grid = [[Cell("指标名称"), Cell("计量单位"), Cell(head)]]
    for r in rows():
        out.append([Cell(r["label"]), Cell(r["unit"]), Cell(str(f[r["key"]]), key=("legacy", r["key"]))])
    return out


def document(rng: random.Random, body: Body, year: int, t: Tables, date_last: bool = False) -> Document:
    """The legacy report of ``body`` for ``year``: narrative, then the statistics table; its date before
    the table, or after it with ``date_last`` (a crawled page then runs the date into the last row)."""
    f = figures(rng, t)
    doc = Document(f"{body.printed}{year}年政府信息公开工作年度报告")
    doc.stated = {"new_received": f["received"]}
    doc.prose = [prose(rng, s, body, year, k) for s, k in (("1", 2), ("2", 1), ("3", 1), ("7", 2), ("8", 1))]
    add = doc.blocks.append
    add(Block("title", doc.title))
    add(
        Block(
            "para",
            f"本报告根据《中华人民共和国政府信息公开条例》要求，由{body.printed}编制。本报告所列数据的统计期限自"
            f"{year}年1月1日起至{year}年12月31日止。",
        )
    )
    texts = (
        doc.prose[0],
        doc.prose[1] + f"全年主动公开政府信息{f['proactive']}条。",
        doc.prose[2] + f"全年共受理政府信息公开申请{f['received']}件。",
        "本年度未向申请人收取任何费用。",
        f"本年度因政府信息公开申请提起行政复议{f['review']}件，行政诉讼{f['litigation']}件。"
        if f["review"] or f["litigation"]
        else "本年度未发生因政府信息公开申请提起的行政复议、行政诉讼。",
        doc.prose[3],
        doc.prose[4],
    )
    for heading, text in zip(HEADINGS, texts, strict=True):
        add(Block("heading", heading))
        add(Block("para", text))
    add(Block("para", body.printed))
    date = Block("para", f"{year + 1}年1月{rng.randint(10, 31)}日")
    if not date_last:
        add(date)
    add(Block("heading", "附：政府信息公开情况统计表"))
    add(Block("table", "legacy", grid(year, f, rng)))
    if date_last:
        add(date)
    return doc
