"""The three statistical tables as printed grids: rows of cells with their row and column spans,
laid out as the national templates print them (every renderer draws from these grids)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.model import codes, labels

from .values import ACTIVE, REQUESTS, REVIEWS, Tables

HERE = Path(__file__).parent
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
RESULT_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
CLAUSE_HEADS = {"20.1": "（一）", "20.5": "（五）", "20.6": "（六）", "20.8": "（八）", "20.9": "（九）"}
ITEM_LABELS = labels.ITEM_LABELS  # as the 2021 template prints them
ITEM_LABELS_2019 = {**ITEM_LABELS, "normative_document": "规范性文件"}  # the 2019 template's wording
METRIC_HEADS = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prev_year_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "procurement_items": "采购项目数量",
    "procurement_amount": "采购总金额（单位：万元）",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "fee_amount": "本年收费金额（单位：万元）",
}
METRIC_HEADS_2021 = {**METRIC_HEADS, "decisions": "本年处理决定数量"}


@dataclass
class Cell:
    """One printed cell: its text, spans, and the data-model key of the value it prints (None: a label)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    key: tuple | None = None  # (table, *keys)


Grid = list[list[Cell]]  # rows of the cells that start in them (spanned positions are not repeated)


@lru_cache(maxsize=1)
def table3_rows() -> tuple[dict, ...]:
    """Table 3's printed rows (``table3_rows.csv``): code, template (blank: both), group, label."""
    with (HERE / "table3_rows.csv").open(encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def printed(value: float | int, money: bool = False) -> str:
    """A value as a report prints it: counts as integers, money with up to two decimals."""
    if money:
        return f"{value:.2f}".rstrip("0").rstrip(".") or "0"
    return str(int(value))


def value_cell(t: Tables, key: tuple, colspan: int = 1) -> Cell:
    table, *keys = key
    source = {REQUESTS: t.requests, REVIEWS: t.reviews, ACTIVE: t.active}[table]
    value = source[tuple(keys)]
    text = "" if key in t.blank else printed(value, money=keys[-1] in codes.MONEY_METRICS)
    return Cell(text, colspan=colspan, key=key)


def table2(t: Tables) -> Grid:
    """Table 2 (主动公开) of the template: a heading row per clause, a header row, its items."""
    grid: Grid = []
    layout = codes.ACTIVE_DISCLOSURE[t.template]
    heads = METRIC_HEADS if t.template == "2019" else METRIC_HEADS_2021
    items = ITEM_LABELS_2019 if t.template == "2019" else ITEM_LABELS
    for clause, by_item in layout.items():
        grid.append([Cell(f"第二十条第{CLAUSE_HEADS[clause]}项", colspan=4)])
        metrics = next(iter(by_item.values()))
        if clause == "20.8" and t.template == "2019":
            metrics = ("prev_year_items", "change")
        header = [Cell("信息内容")]
        span = 3 if len(metrics) == 1 else 1
        for i, m in enumerate(metrics):
            last = i == len(metrics) - 1
            header.append(
                Cell(heads[m], colspan=span if len(metrics) == 1 else (4 - len(metrics) if last else 1))
            )
        grid.append(header)
        for item, ms in by_item.items():
            row = [Cell(items[item])]
            for i, m in enumerate(ms):
                last = i == len(ms) - 1
                row.append(value_cell(t, (ACTIVE, clause, item, m), colspan=4 - len(ms) if last else 1))
            grid.append(row)
    return grid


def table3(t: Tables) -> Grid:
    """Table 3 (依申请公开): three header rows, then one row per template row with rowspan labels."""
    grid: Grid = [
        [Cell(BALANCE_NOTE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(h) for h in APPLICANT_HEADS],
    ]
    rows = [r for r in table3_rows() if r["template"] in ("", t.template)]
    outcomes = [r for r in rows if codes.outcome_group(r["code"])]
    seen_groups: set[str] = set()
    for r in rows:
        code, group = r["code"], r["group"]
        cells: list[Cell] = []
        if code in ("new_received", "carried_over", "carried_forward"):
            cells.append(Cell(r["label"], colspan=3))
        else:
            if r is outcomes[0] or code == "total_processed" and not outcomes:
                cells.append(Cell("三、本年度办理结果", rowspan=len(outcomes) + 1))
            if group:
                if group not in seen_groups:
                    seen_groups.add(group)
                    cells.append(Cell(group, rowspan=sum(1 for o in outcomes if o["group"] == group)))
                cells.append(Cell(r["label"]))
            else:
                cells.append(Cell(r["label"], colspan=2))
        cells += [value_cell(t, (REQUESTS, code, a)) for a in codes.APPLICANTS]
        grid.append(cells)
    return grid


def table4(t: Tables) -> Grid:
    """Table 4 (复议诉讼): 行政复议 | 行政诉讼 (direct, after review), then one row of 15 cells."""
    grid: Grid = [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(h, rowspan=2) for h in RESULT_HEADS]
        + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(h) for h in RESULT_HEADS * 2],
        [value_cell(t, (REVIEWS, p, r)) for p in codes.PROCEEDINGS for r in codes.RESULTS],
    ]
    return grid


def expand(grid: Grid) -> list[list[Cell | None]]:
    """The grid as a full matrix: each position holds its cell where the cell starts, None where spanned."""
    out: list[list[Cell | None]] = []
    taken: dict[tuple[int, int], bool] = {}
    for i, row in enumerate(grid):
        line: list[Cell | None] = []
        j = 0
        for cell in row:
            while taken.get((i, j)):
                line.append(None)
                j += 1
            line.append(cell)
            for di in range(cell.rowspan):
                for dj in range(cell.colspan):
                    if di or dj:
                        taken[(i + di, j + dj)] = True
            j += 1
            for _ in range(cell.colspan - 1):
                line.append(None)
                j += 1
        while taken.get((i, j)):
            line.append(None)
            j += 1
        out.append(line)
    return out
