"""Table 2 (主动公开) rows → active_disclosure records (clause × item × metric), and the template its
headers use."""

from __future__ import annotations

from analysis.model import codes
from analysis.model.document import Line
from analysis.model.issues import issue
from analysis.model.values import header_money_unit
from analysis.parse.templates import normalize_label

from . import templates
from .result import TableResult
from .rows import fit_values, split_label, values_under_headers


def parse_table2(rows: list[Line]) -> TableResult:
    """Table 2 → active_disclosure records (clause × item × metric) and the template its headers use."""
    out = TableResult()
    clause: str | None = None
    metrics: list[str] = []
    units: list[str | None] = []
    votes = {"2019": 0, "2021": 0}
    seen: set[tuple[str, str]] = set()
    blank_rows: dict[tuple[str, str], tuple[int, tuple]] = {}  # item -> (where in records, its row)
    spans: tuple[int | None, list[range]] = (None, [])  # (grid, the columns under each metric header)
    for line in rows:
        _, vals = split_label(line.cells, line.covered)
        item_labels: list[str] = []
        row_metrics_found: list[tuple[str, str | None]] = []
        header_spans: list[range] = []
        for col, cell in enumerate(line.cells[: len(line.cells) - len(vals)]):
            norm = normalize_label(cell)
            if not norm:
                continue
            found_clause = templates.match_clause(norm)
            metric = templates.match_first(templates.table2_metrics(), norm)
            if found_clause:
                clause, metrics, units = found_clause, [], []
            elif metric:
                row_metrics_found.append((metric.code, header_money_unit(cell)))
                end = col + 1
                while end in line.covered:
                    end += 1
                header_spans.append(range(col, end))
                if metric.extra.get("template"):
                    votes[metric.extra["template"]] += 1
            elif norm not in ("信息内容", "项目"):
                item_labels.append(norm)
        if row_metrics_found:  # a header row (or the header part of a row in one-cell-per-line text)
            metrics = [m for m, _ in row_metrics_found]
            units = [u for _, u in row_metrics_found]
            spans = (line.table, header_spans)
        label = "".join(item_labels)
        item = templates.match_first(templates.table2_items(), label) if label else None
        filled = any(v.strip() for _, v in vals)
        if item is None or not vals:
            continue
        item_clause = item.extra["clause"]
        if clause and clause != item_clause:
            clause = item_clause
        row_metrics = metrics or _default_metrics(votes, item_clause, item.code)
        fitted = None
        if line.table is not None and spans[0] == line.table and len(spans[1]) == len(row_metrics):
            fitted = values_under_headers(line, vals, spans[1])
        if fitted is None and row_metrics:
            fitted = fit_values(vals, len(row_metrics))
        if fitted is None:
            if filled:  # (a row of empty cells that does not fit is a label line, not a row of blanks)
                out.issues.append(
                    issue(
                        "error",
                        "row.cells",
                        f"table 2 / {item_clause} / {item.code}",
                        f"table 2 row {item.code}: expected {len(row_metrics)} cells, found {len(vals)}",
                        len(row_metrics),
                        len(vals),
                    )
                )
            continue
        if (item_clause, item.code) in seen:
            continue
        row_units = units if len(units) == len(row_metrics) else [None] * len(row_metrics)
        row = (item_clause, item.code, row_metrics, row_units, fitted)
        if not filled:  # every cell blank: read as blanks unless a row with figures for the item follows
            blank_rows.setdefault((item_clause, item.code), (len(out.records), row))
            continue
        seen.add((item_clause, item.code))
        out.records += table2_records(out, *row)
    for key, (at, row) in sorted(blank_rows.items(), key=lambda kv: -kv[1][0]):
        if key not in seen:
            out.records[at:at] = table2_records(out, *row)
    if votes["2019"] != votes["2021"]:
        out.template = "2019" if votes["2019"] > votes["2021"] else "2021"
    return out


def table2_records(
    out: TableResult,
    clause: str,
    item: str,
    metrics: list[str],
    units: list[str | None],
    fitted: list[tuple[int, str]],
) -> list[dict]:
    """The records of one table-2 row: a value per metric, money in 万元."""
    records = []
    for metric, unit, (_, raw) in zip(metrics, units, fitted, strict=True):
        money = metric in codes.MONEY_METRICS
        rec = out.cell(
            f"table 2 / {clause} / {item} / {metric}",
            {"clause": clause, "item": item, "metric": metric},
            raw,
            money=money,
            header_unit=unit,
        )
        rec["unit"] = "万元" if money else "件"
        records.append(rec)
    return records


def _default_metrics(votes: dict[str, int], clause: str, item: str) -> list[str]:
    """Metrics for a row printed without its header: the template's, when the template is known."""
    template = "2021" if votes["2021"] > votes["2019"] else "2019"
    return list(codes.ACTIVE_DISCLOSURE.get(template, {}).get(clause, {}).get(item, ()))
