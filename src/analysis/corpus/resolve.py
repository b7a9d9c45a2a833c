"""Resolving flattened cells across years: a table-2 row of regulations or normative documents whose
digits ran together so that several cuts fit (``row.ambiguous``, 2021 template) is read with the one
cut that makes 现行有效件数 continue exactly from the same body's report of the year before, or into
its report of the year after — when exactly one cut does.

Candidates are every cut of the printed digits into the three cells (本年制发, 本年废止, 现行有效), and
— only where the parser said a cell may have been printed blank — into fewer numbers with the other
cells blank (read as 0, as the template's blank cells are); as in the parser, a cut with fewer in
force than issued is no candidate (the template's 现行有效件数 ≥ 本年制发件数). Every
relation available (a neighbouring report with the cells read) must hold for a candidate; a row is
resolved only when exactly one candidate passes, never when every candidate fails. The cells taken
keep the printed digits as ``raw`` and get a ``corpus.resolved_cell`` warning naming the relation; the
parser's ``row.ambiguous`` error stays (the text is ambiguous; the tables use the cut continuity
chose). Cells taken earlier are dropped before every run, so a neighbour that arrives or changes
re-runs the resolution, whatever order reports arrived in.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.parse.flattened import TooManyWays, splits

from .common import concat, fmt, issue_frame, name, printed, used_reports

CHECK = "row.ambiguous"
PREFIX = "table 2 / 20.1 / "
METRICS = ("issued", "repealed", "in_force")
_RUN = re.compile(r"digits '([^']*)'")
_BLANK = "a cell printed blank"  # the parser's words when a reading with fewer numbers fits too


def ambiguous_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ambiguous 20.1 rows of used 2021-template reports: report_id, bureau, year, source_path,
    location, item, run (the digits as printed)."""
    r = used_reports(tables)
    r = r[r["template"] == "2021"]
    i = tables["issues"]
    i = i[(i["check"].astype("string") == CHECK) & i["location"].astype("string").str.startswith(PREFIX)]
    i = i[["report_id", "location", "message"]].astype("string").merge(r, on="report_id")
    i["item"] = i["location"].str.removeprefix(PREFIX)
    i["run"] = i["message"].str.extract(_RUN)[0]
    i["blank"] = i["message"].str.contains(_BLANK, regex=False)
    return i.dropna(subset=["run"]).drop(columns="message").reset_index(drop=True)


@lru_cache(maxsize=4096)
def candidates(run: str, blanks: bool = True) -> tuple[tuple[int, int, int], ...]:
    """Every reading of the digits as (issued, repealed, in_force); with ``blanks``, also readings of
    fewer numbers, the blank cells as 0."""
    groups = run.split()
    out: set[tuple[int, int, int]] = set()
    try:
        for k in (1, 2, 3) if blanks else (3,):
            for cut in splits(groups, k):
                if not all(c.isdigit() for c in cut):
                    continue
                for places in itertools.combinations(range(3), k):
                    cells = [0, 0, 0]
                    for p, c in zip(places, cut, strict=True):
                        cells[p] = int(c)
                    out.add((cells[0], cells[1], cells[2]))
    except TooManyWays:
        return ()
    return tuple(sorted(out))


def resolved_cells(tables: dict[str, pd.DataFrame]) -> np.ndarray:
    """Which active_disclosure rows are cells an earlier run took: in a row the parser left ambiguous,
    the cells whose raw text is the whole run of digits (the parser's own cells there, the ones every
    reading agreed on, keep their one number as raw)."""
    i = tables["issues"]
    amb = i[i["check"].astype("string") == CHECK][["report_id", "location", "message"]].astype("string")
    amb = amb.assign(run=amb["message"].str.extract(_RUN)[0]).dropna(subset=["run"])
    ad = tables["active_disclosure"]
    out = ad["report_id"].isin(set(amb["report_id"])).to_numpy(dtype=bool)  # keys made for these rows only
    ad = ad[out]
    loc = "table 2 / " + ad["clause"].astype("string") + " / " + ad["item"].astype("string")
    key = ad["report_id"].astype("string") + "|" + loc + "|" + ad["raw"].astype("string").fillna("")
    out[out] = key.isin(set(amb["report_id"] + "|" + amb["location"] + "|" + amb["run"])).to_numpy(dtype=bool)
    return out


def _stocks(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Read 20.1 cells of used 2021-template reports, wide: bureau, year, item, issued, repealed, in_force."""
    r = used_reports(tables)
    r = r[r["template"] == "2021"]
    ad = tables["active_disclosure"]
    ad = ad[(ad["clause"] == "20.1") & ad["report_id"].isin(r["report_id"])]
    ad = ad.assign(value=printed(ad)).astype({"item": "string", "metric": "string", "report_id": "string"})
    wide = ad.pivot_table(index=["report_id", "item"], columns="metric", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(METRICS)).reset_index()
    wide.columns.name = None
    return wide.merge(r[["report_id", "bureau", "year", "source_path"]], on="report_id")


def resolve(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells, warnings): the active_disclosure records of the rows resolved, and their warnings."""
    rows = ambiguous_rows(tables)
    if rows.empty:
        return pd.DataFrame(), issue_frame("corpus.resolved_cell", rows.iloc[0:0])
    # each report's read cells by (bureau, year, item): plain dicts, not a pandas look-up per row
    stocks = {
        (b, y, i): {"source_path": p, **dict(zip(METRICS, v, strict=True))}
        for b, y, i, p, *v in _stocks(tables)[["bureau", "year", "item", "source_path", *METRICS]].itertuples(
            index=False
        )
    }
    ad = tables["active_disclosure"]
    own = {  # the cells the parser read in an ambiguous row (every reading agreed on them)
        (str(r.report_id), str(r.item), str(r.metric)): r.value
        for r in ad[ad["clause"].astype("string") == "20.1"].itertuples()
    }
    cells, notes = [], []
    for row in rows.itertuples():
        read = {m: own[(row.report_id, row.item, m)] for m in METRICS if (row.report_id, row.item, m) in own}
        prev = stocks.get((row.bureau, row.year - 1, row.item))
        nxt = stocks.get((row.bureau, row.year + 1, row.item))
        prev = prev if prev is not None and pd.notna(prev["in_force"]) else None
        nxt = nxt if nxt is not None and all(pd.notna(nxt[m]) for m in METRICS) else None
        if prev is None and nxt is None:
            continue
        fits = []
        for c in candidates(row.run, blanks=bool(row.blank)):
            if c[2] < c[0] or any(c[METRICS.index(m)] != v for m, v in read.items()):
                continue  # fewer in force than issued (no reading of the template), or not the parser's
            ok_prev = prev is None or prev["in_force"] + c[0] - c[1] == c[2]
            ok_next = nxt is None or c[2] + nxt["issued"] - nxt["repealed"] == nxt["in_force"]
            if ok_prev and ok_next:
                fits.append(c)
        if len(fits) != 1:
            continue
        c = fits[0]
        used = []
        if prev is not None:
            used.append(
                f"{fmt(prev['in_force'])} in force ({row.year - 1}, {name(prev['source_path'])}) "
                f"+ {c[0]} − {c[1]} = {c[2]}"
            )
        if nxt is not None:
            used.append(
                f"{c[2]} + {fmt(nxt['issued'])} − {fmt(nxt['repealed'])} = {fmt(nxt['in_force'])} in force "
                f"({row.year + 1}, {name(nxt['source_path'])})"
            )
        for metric, v in zip(METRICS, c, strict=True):
            if metric in read:
                continue
            cells.append(
                {
                    "report_id": row.report_id,
                    "bureau": row.bureau,
                    "year": row.year,
                    "clause": "20.1",
                    "item": row.item,
                    "metric": metric,
                    "value": v,
                    "unit": "件",
                    "raw": row.run,
                }
            )
        notes.append(
            {
                "report_id": row.report_id,
                "bureau": row.bureau,
                "year": row.year,
                "location": row.location,
                "expected": " | ".join(map(str, c)),
                "actual": row.run,
                "message": f"digits '{row.run}' read as {c[0]} | {c[1]} | {c[2]} (本年制发 | 本年废止 | 现行有效), the only "
                "cut for which 现行有效件数 continues across years: " + "; ".join(used),
            }
        )
    warnings = issue_frame(
        "corpus.resolved_cell",
        pd.DataFrame(
            notes, columns=["report_id", "bureau", "year", "location", "expected", "actual", "message"]
        ),
    )
    return pd.DataFrame(cells), concat([warnings])
