"""Narrative against table: the figures a report's narrative states for table quantities (requests
received, carried over and forward, processed, outcomes, reviews and lawsuits, regulations and
normative documents, fees), compared with its own tables.

Precision first: a figure is tied to a quantity only by a wording in ``narrative_figures.csv`` that
states that quantity (a pattern per wording, whitespace removed before matching); everything else is
left alone, and :func:`narrative_coverage` counts the sentences tied and the ones skipped. A figure
that differs from the table is a ``corpus.narrative_table`` warning quoting the sentence; a table
figure not read (NA) is not compared.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.model import labels

from .common import (
    REPORTS_AT_ONCE,
    fmt,
    issue_frame,
    of_reports,
    printed,
    report_groups,
    sections_in_order,
    sum_read,
    used_reports,
)
from .kept import Kept

SENTENCE = re.compile(r"[^。；！？]+")  # not at line ends: a PDF wraps sentences over lines
_SPACE = re.compile(r"\s+")
# a sentence that states a figure about something tables count: the ones the coverage counts
CANDIDATE_WORDS = (
    "申请",
    "办结",
    "结转",
    "复议",
    "诉讼",
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "规章",
    "规范性文件",
    "收费",
)
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:件|条|起|份|万元|元)")

# quantity → what it is in the tables: (table, filter, how the value is taken)
QUANTITY_LABELS: dict[str, str] = {
    "new_received": "本年新收申请",
    "carried_over": "上年结转",
    "carried_forward": "结转下年度",
    "total_processed": "办理结果总计",
    "granted_or_partial": "予以公开 + 部分公开",
    "granted": labels.OUTCOME_LABELS["granted"],
    "partially_granted": labels.OUTCOME_LABELS["partially_granted"],
    "withheld": labels.OUTCOME_LABELS["withheld"],
    "unavailable": labels.OUTCOME_LABELS["unavailable"],
    "not_processed": labels.OUTCOME_LABELS["not_processed"],
    "other": labels.OUTCOME_LABELS["other"],
    "review": "行政复议总计",
    "litigation": "行政诉讼总计",
    "regulation_new": "规章（本年制发 / 新公开）",
    "normative_new": "规范性文件（本年制发 / 新公开）",
    "administrative_fee": "行政事业性收费（万元）",
}


@lru_cache(maxsize=1)
def wordings() -> pd.DataFrame:
    """The wordings that tie a narrative figure to a table quantity (``narrative_figures.csv``: the
    quantity, a literal every match holds, the pattern, a fixed figure for wordings such as 未收到)."""
    text = files("analysis.corpus").joinpath("narrative_figures.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    unknown = {r["quantity"] for r in rows} - set(QUANTITY_LABELS)
    if unknown:
        raise ValueError(f"narrative_figures.csv: unknown quantities {sorted(unknown)}")
    return pd.DataFrame(rows)


def sentences(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The narrative's sentences of the reports the views use (2019 and 2021 templates), one row each:
    report_id, bureau, year, template, sentence and flat (both with whitespace removed: a PDF wraps
    lines inside words; removed once per section, not per sentence, for speed)."""
    r = used_reports(tables)
    r = r[r["template"].isin(["2019", "2021"])]
    s = sections_in_order(tables)
    s = s[s["report_id"].isin(r["report_id"])][["report_id", "text"]].dropna()
    pieces = [SENTENCE.findall(_SPACE.sub("", t)) for t in s["text"].astype(str)]
    flat = list(chain.from_iterable(pieces))
    s = pd.DataFrame(
        {
            "report_id": np.repeat(s["report_id"].astype("string").to_numpy(), [len(p) for p in pieces]),
            "flat": pd.array(flat, dtype="string"),
        }
    )
    s["sentence"] = s["flat"]
    s = s.drop_duplicates(["report_id", "flat"])
    return s.merge(r[["report_id", "bureau", "year", "template"]], on="report_id").reset_index(drop=True)


def _starts(texts: list[str], sep: str) -> np.ndarray:
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return np.concatenate(([0], np.cumsum(lengths + len(sep))))[:-1]


def _holding(texts: list[str], words: tuple[str, ...]) -> np.ndarray:
    """Whether each of ``texts`` holds one of ``words`` (one compiled alternation searched per text,
    without pandas' per-element overhead)."""
    if len(words) == 1:
        return np.array([words[0] in t for t in texts], dtype=bool)
    pattern = re.compile("|".join(map(re.escape, words)))
    return np.array([pattern.search(t) is not None for t in texts], dtype=bool)


def _matches(texts: list[str], pattern: str, sep: str = "。") -> tuple[np.ndarray, list[re.Match[str]]]:
    """(text of each match, matches) of ``pattern`` (which never crosses ``sep``) in ``texts``: one
    regex pass over them all joined."""
    matches = list(re.finditer(pattern, sep.join(texts)))
    at = np.searchsorted(_starts(texts, sep), [m.start() for m in matches], side="right") - 1
    return at.astype(np.int64), matches


FIGURES = "figures"  # what :class:`.kept.Kept` keeps of each report's narrative figures, and its columns
_FIGURE_COLUMNS = {"sentence": pa.string(), "quantity": pa.string(), "figure": pa.float64()}
_FIGURE_ORDER = ["report_id", "bureau", "year", "template", "sentence", "quantity", "figure"]


def narrative_figures(
    tables: dict[str, pd.DataFrame], s: pd.DataFrame | None = None, kept: Kept | None = None
) -> pd.DataFrame:
    """Every narrative figure tied to a table quantity: report_id, bureau, year, template, sentence,
    quantity, figure (float). ``s``: the :func:`sentences` when already made; ``kept``: each report's
    figures kept between saves (a report's figures are of its own text alone)."""
    if kept is None or s is not None:
        return _narrative_figures(tables, s)
    sections = tables["sections"]
    r = used_reports(tables)
    # the reports whose sections were given (a group of :func:`report_groups` has the reports table
    # whole): asked of the others, their figures would be made from no text and kept as none
    r = r[r["template"].isin(["2019", "2021"]) & r["report_id"].isin(sections["report_id"].unique())]

    def make(ids: list[str]) -> pd.DataFrame:  # REPORTS_AT_ONCE reports' sentences held at a time
        made = [
            _narrative_figures({**tables, "sections": of_reports(sections, ids[at : at + REPORTS_AT_ONCE])})
            for at in range(0, len(ids), REPORTS_AT_ONCE)
        ] or [_narrative_figures({**tables, "sections": sections.iloc[0:0]})]
        return pd.concat(made, ignore_index=True) if len(made) > 1 else made[0]

    reports = tables["reports"]
    rows = kept.rows(
        FIGURES,
        of_reports(reports, r["report_id"]),
        make,
        _FIGURE_COLUMNS,
    )
    rows = rows.astype({"report_id": "string", "sentence": "string", "quantity": object, "figure": "float64"})
    out = rows.merge(r[["report_id", "bureau", "year", "template"]], on="report_id")
    return out[_FIGURE_ORDER]


def _narrative_figures(tables: dict[str, pd.DataFrame], s: pd.DataFrame | None = None) -> pd.DataFrame:
    s = sentences(tables) if s is None else s
    s = s[_holding(s["flat"].tolist(), CANDIDATE_WORDS)].reset_index(drop=True)
    flat = s["flat"].tolist()
    # each wording runs over the sentences holding its literal (``needs``), joined by 。 (which no
    # wording crosses): a match's position tells its sentence
    holding = {w: np.flatnonzero(_holding(flat, (w,))) for w in set(wordings()["needs"])}
    found = []
    for w in wordings().itertuples():
        rows = holding[w.needs]
        at, matches = _matches([flat[k] for k in rows], w.pattern)
        if not matches:
            continue
        if w.fixed != "":
            figures = [float(w.fixed)] * len(matches)
        else:  # money: 元 → 万元
            figures = [
                float(m.group("n")) / (1e4 if m.groupdict().get("unit") == "元" else 1.0) for m in matches
            ]
        found.append(s.iloc[rows[at]].assign(quantity=w.quantity, figure=figures))
    cols = _FIGURE_ORDER
    if not found:
        return pd.DataFrame(columns=cols)
    out = pd.concat([f[cols] for f in found], ignore_index=True)
    return out.drop_duplicates(["report_id", "sentence", "quantity", "figure"]).reset_index(drop=True)


def table_quantities(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each report's table figure of every quantity the narrative may state (long: report_id,
    quantity, table_value); a sum with an unread cell is NA."""
    q = tables["requests"]
    q = (
        q[q["applicant"] == "total"]
        .assign(value=printed)[["report_id", "row", "value"]]
        .astype({"row": "string"})
    )
    q["group"] = q["row"].map({r: r.split(".")[0] for r in q["row"].dropna().unique()})
    parts = []

    def add(frame: pd.DataFrame, quantity: str) -> None:
        v = sum_read(frame, "report_id")
        parts.append(pd.DataFrame({"report_id": v.index, "quantity": quantity, "table_value": v.values}))

    for row in ("new_received", "carried_over", "carried_forward", "total_processed"):
        add(q[q["row"] == row], row)
    for group in ("granted", "partially_granted", "withheld", "unavailable", "not_processed", "other"):
        add(q[q["group"] == group], group)
    add(q[q["group"].isin(["granted", "partially_granted"])], "granted_or_partial")
    rl = tables["reviews_litigation"]
    rl = rl[rl["result"] == "total"].assign(value=printed).astype({"proceeding": "string"})
    add(rl[rl["proceeding"] == "review"], "review")
    add(rl[rl["proceeding"] != "review"], "litigation")
    ad = tables["active_disclosure"].assign(value=printed).astype({"item": "string", "metric": "string"})
    new = ad["metric"].isin(["issued", "published"])
    add(ad[new & (ad["item"] == "regulation")], "regulation_new")
    add(ad[new & (ad["item"] == "normative_document")], "normative_new")
    add(ad[ad["metric"] == "fee_amount"], "administrative_fee")
    out = pd.concat(parts, ignore_index=True)
    out["table_value"] = pd.to_numeric(out["table_value"], errors="coerce").astype("Float64")
    return out


def compared(tables: dict[str, pd.DataFrame], kept: Kept | None = None) -> pd.DataFrame:
    """Narrative figures beside their table figures, with ``agrees`` (NA where the table's is not read).
    Requests received also agree when the narrative counts the carried-over ones in. ``kept``: see
    :func:`narrative_figures`."""
    return _compared(narrative_figures(tables, kept=kept), table_quantities(tables))


def _compared(f: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    """:func:`compared` of these narrative figures and table quantities."""
    df = f.merge(t, on=["report_id", "quantity"], how="left")
    close = (df["figure"] - df["table_value"]).abs() < 0.005 + 0.0005 * df["table_value"].abs()
    over = t[t["quantity"] == "carried_over"].rename(columns={"table_value": "carried"})[
        ["report_id", "carried"]
    ]
    df = df.merge(over, on="report_id", how="left")
    with_carried = (df["quantity"] == "new_received") & (df["figure"] == df["table_value"] + df["carried"])
    df["agrees"] = (close | with_carried.fillna(False)).astype("boolean")
    df.loc[df["table_value"].isna(), "agrees"] = pd.NA
    return df.drop(columns="carried")


def narrative_table_issues(tables: dict[str, pd.DataFrame], kept: Kept | None = None) -> pd.DataFrame:
    """A ``corpus.narrative_table`` warning for each narrative figure that differs from its table's:
    the figures found REPORTS_AT_ONCE reports at a time (each report's on its own), then compared with
    the tables at once. ``kept``: see :func:`narrative_figures`."""
    if kept is not None:  # the figures kept, those not kept made REPORTS_AT_ONCE reports at a time
        figures = narrative_figures(tables, kept=kept)
    else:
        found = [narrative_figures(group) for group in report_groups(tables, REPORTS_AT_ONCE)]
        found = [f for f in found if len(f)] or found[:1]
        figures = pd.concat(found, ignore_index=True) if len(found) > 1 else found[0]
    df = _compared(figures, table_quantities(tables))
    df = df[df["agrees"].eq(False).fillna(False)]
    label = df["quantity"].map(QUANTITY_LABELS)
    df = df.assign(
        location="narrative / " + df["quantity"],
        expected=df["table_value"].map(fmt),
        actual=df["figure"].map(fmt),
        message=[
            f"the narrative says {fmt(n)} for {lab}, the table {fmt(v)}: “{quote(s)}”"
            for n, lab, v, s in zip(df["figure"], label, df["table_value"], df["sentence"], strict=True)
        ],
    )
    return issue_frame("corpus.narrative_table", df)


def quote(sentence: str, width: int = 160) -> str:
    """A sentence as a message quotes it: at most ``width`` characters (a glued table can follow it)."""
    return sentence if len(sentence) <= width else sentence[: width - 1] + "…"


def narrative_coverage(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """How many narrative sentences state a figure about something the tables count (``candidates``),
    how many of those a wording ties to a table quantity (``tied``) and how many are skipped."""
    s = sentences(tables)
    flat = s["flat"].tolist()
    has_figure = np.zeros(len(s), dtype=bool)
    has_figure[_matches(flat, FIGURE.pattern)[0]] = True
    cand = s[_holding(flat, CANDIDATE_WORDS) & has_figure]
    tied = narrative_figures(tables, s)[["report_id", "sentence"]].drop_duplicates()
    n_tied = len(cand.merge(tied, on=["report_id", "sentence"]).drop_duplicates(["report_id", "sentence"]))
    return {
        "reports": int(s["report_id"].nunique()),
        "candidates": len(cand),
        "tied": n_tied,
        "skipped": len(cand) - n_tied,
    }
