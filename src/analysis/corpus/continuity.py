"""Continuity between years: what one report carries forward or holds in force, the same body's next
report must start from.

Relations, on consecutive report years of one body (the reports the views use):

- table 3, per applicant column: 结转下年度 (``carried_forward``) of y−1 = 上年结转 (``carried_over``) of y;
- table 2, 2021 template both years: 现行有效件数 of y = 现行有效件数 of y−1 + 本年制发件数 of y −
  本年废止件数 of y, for regulations and normative documents;
- table 2, 2019 template both years: 对外公开总数量 of y = 对外公开总数量 of y−1 + 本年新公开数量 of y
  (regulations, normative documents), and 上一年项目数量 of y = 上一年项目数量 of y−1 + 本年增/减 of y−1
  (licences, other services, penalties, coercion, fees). Across the change of template (2020 → 2021)
  table 2 measures different stocks, so only the table-3 relation is checked there.

A failure is an error on the later report naming both reports and figures; a value not read (NA) on
either side leaves its relation unchecked. Where the previous year is missing but an earlier one is
stored, the later report gets a ``corpus.year_gap`` warning and nothing is checked across the gap.
"""

from __future__ import annotations

import pandas as pd

from analysis.model import labels

from .common import concat, fmt, issue_frame, name, used_reports

STATISTICAL = ("2019", "2021")  # templates whose tables are read (legacy reports' are not)


def consecutive(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs, gaps): each used report with the same body's previous used report — ``pairs`` where
    that is the year before, ``gaps`` where it is earlier. Columns: report_id, bureau, year, template,
    source_path and the same with ``prev_`` for the previous report."""
    r = used_reports(tables)
    r = r[r["template"].isin(STATISTICAL)].sort_values(["bureau", "year"], kind="stable")
    prev = r.groupby("bureau", sort=False)[["report_id", "year", "template", "source_path"]].shift(1)
    both = pd.concat([r, prev.add_prefix("prev_")], axis=1).dropna(subset=["prev_report_id"])
    both["prev_year"] = both["prev_year"].astype("int64")
    step = both["year"] - both["prev_year"]
    return both[step == 1].reset_index(drop=True), both[step > 1].reset_index(drop=True)


def _gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    g = gaps.assign(
        location="reports",
        expected=gaps["year"] - 1,
        actual=gaps["prev_year"],
        message=[
            f"no report of {b} for {y - 1} in the store (the one before is {p}, {name(pp)}): "
            f"continuity with {p} is not checked across the gap"
            for b, y, p, pp in zip(
                gaps["bureau"], gaps["year"], gaps["prev_year"], gaps["prev_source_path"], strict=True
            )
        ],
    )
    return issue_frame("corpus.year_gap", g)


def _carried(pairs: pd.DataFrame, requests: pd.DataFrame) -> pd.DataFrame:
    q = requests[requests["row"].isin(["carried_over", "carried_forward"])]
    q = q[["report_id", "row", "applicant", "value"]].astype({"row": "string", "applicant": "string"})
    fwd = q[q["row"] == "carried_forward"].rename(columns={"report_id": "prev_report_id", "value": "before"})
    over = q[q["row"] == "carried_over"].rename(columns={"value": "now"})
    df = pairs.merge(over[["report_id", "applicant", "now"]], on="report_id")
    df = df.merge(fwd[["prev_report_id", "applicant", "before"]], on=["prev_report_id", "applicant"])
    df = df[df["now"].notna() & df["before"].notna() & (df["now"] != df["before"])]
    col = df["applicant"].map(lambda a: labels.APPLICANT_LABELS.get(a, a))
    df = df.assign(
        location="table 3 / carried_over / " + df["applicant"],
        expected=df["before"],
        actual=df["now"],
        message=[
            f"上年结转 ({c}) {y} = {fmt(n)} in {name(p)}, but 结转下年度 ({c}) {py} = {fmt(b)} in {name(pp)}"
            for c, y, n, p, py, b, pp in zip(
                col,
                df["year"],
                df["now"],
                df["source_path"],
                df["prev_year"],
                df["before"],
                df["prev_source_path"],
                strict=True,
            )
        ],
    )
    return issue_frame("corpus.carried_over", df)


def _table2(pairs: pd.DataFrame, ad: pd.DataFrame) -> pd.DataFrame:
    """The table-2 stock relations on one wide frame of this and last year's cells per pair and item."""
    a = ad[["report_id", "item", "metric", "value"]].astype({"item": "string", "metric": "string"})
    wide = a.pivot_table(index=["report_id", "item"], columns="metric", values="value", aggfunc="first")
    wide = wide.reset_index()
    wide.columns.name = None
    cur = pairs.merge(wide, on="report_id")
    prev = wide.rename(columns={c: f"prev_{c}" for c in wide.columns if c != "item"})
    df = cur.merge(prev, on=["prev_report_id", "item"])
    df = df[df["template"] == df["prev_template"]]
    parts = [
        _stock(
            df, "corpus.in_force", "2021", "in_force", "prev_in_force", "issued", "repealed", "现行有效件数"
        ),
        _stock(
            df,
            "corpus.total_published",
            "2019",
            "total_published",
            "prev_total_published",
            "published",
            None,
            "对外公开总数量",
        ),
        _stock(
            df,
            "corpus.prev_year_items",
            "2019",
            "prev_year_items",
            "prev_prev_year_items",
            "prev_change",
            None,
            "上一年项目数量",
        ),
    ]
    return concat(parts)


def _stock(
    df: pd.DataFrame,
    check: str,
    template: str,
    metric: str,
    stock: str,
    plus: str,
    minus: str | None,
    label: str,
) -> pd.DataFrame:
    """Rows of ``df`` (one pair × item) where ``metric`` ≠ ``stock`` + ``plus`` − ``minus``, as issues."""
    need = [metric, stock, plus] + ([minus] if minus else [])
    if not set(need) <= set(df.columns):
        return issue_frame(check, df.iloc[0:0])
    d = df[df["template"] == template].dropna(subset=need)
    expected = d[stock] + d[plus] - (d[minus] if minus else 0)
    bad = (d[metric] - expected).abs() > 1e-9
    d, expected = d[bad], expected[bad]
    minus_v = d[minus] if minus else pd.Series(pd.NA, index=d.index)
    sums = [
        f"{fmt(s)} ({py}) + {fmt(p)}" + (f" − {fmt(m)}" if minus else "")
        for py, s, p, m in zip(d["prev_year"], d[stock], d[plus], minus_v, strict=True)
    ]
    item = d["item"].map(lambda i: labels.ITEM_LABELS.get(i, i))
    d = d.assign(
        location=f"table 2 / {metric} / " + d["item"],
        expected=expected,
        actual=d[metric],
        message=[
            f"{it} {label} {y} = {fmt(v)} in {name(p)}, but {s} = {fmt(e)} from {name(pp)}"
            for it, y, v, p, s, e, pp in zip(
                item,
                d["year"],
                d[metric],
                d["source_path"],
                sums,
                expected,
                d["prev_source_path"],
                strict=True,
            )
        ],
    )
    return issue_frame(check, d)


def continuity_issues(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every failed continuity relation and every gap, as issue rows on the later report."""
    pairs, gaps = consecutive(tables)
    parts = [_gaps(gaps), _carried(pairs, tables["requests"]), _table2(pairs, tables["active_disclosure"])]
    return concat(parts)
