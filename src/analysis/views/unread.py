"""Values not read: every cell a report's template prints but that was not read becomes NA (never 0),
and the issue that says why (``row.ambiguous``, ``row.missing``, ``table.missing``…) is found for it.

One mechanism for tables 2, 3 and 4: :func:`complete` adds an NA record for each expected cell that is
absent, :func:`sum_read` is the sum that is NA when a part is, and :func:`unread_reasons` names the
issues behind a missing figure, in Chinese, from the issue's ``location`` ("table 2 / 20.1 / normative_document").
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from analysis.model import codes
from analysis.model.issues import PARTIAL_CHECKS
from analysis.model.labels import (
    APPLICANT_LABELS,
    ITEM_LABELS,
    PROCEEDING_LABELS,
    RESULT_LABELS,
    ROW_LABELS,
    UNREAD_CHECK_LABELS,
)
from analysis.views.shape import plain

UNREAD = "未能读取"
TABLE_LABELS: dict[str, str] = {"2": "表二（主动公开）", "3": "表三（依申请公开）", "4": "表四（复议诉讼）"}
# the table each stored table is, as issues' locations name it ("table 3 / …")
TABLE_OF: dict[str, str] = {"active_disclosure": "2", "requests": "3", "reviews_litigation": "4"}

# which dimension a code in an issue's location belongs to, so it is matched against the same dimension
_DIMENSION: dict[str, str] = {
    **{r: "row" for r in codes.REQUEST_ROWS},
    **{a: "applicant" for a in codes.APPLICANTS if a != "total"},
    **{p: "proceeding" for p in codes.PROCEEDINGS},
    **{i: "item" for t in codes.ACTIVE_DISCLOSURE.values() for c in t.values() for i in c},
    **{c: "clause" for t in codes.ACTIVE_DISCLOSURE.values() for c in t},
}
_CODE_LABELS: dict[str, str] = {
    **ROW_LABELS,
    **APPLICANT_LABELS,
    **PROCEEDING_LABELS,
    **RESULT_LABELS,
    **ITEM_LABELS,
}


def sum_read(values: pd.Series) -> float:
    """The sum of the parts; NaN when any part was not read (or there are none): missing is never 0."""
    v = pd.to_numeric(values, errors="coerce")
    return float(v.sum()) if len(v) and v.notna().all() else float("nan")


def read_sum(grouped: object, transform: bool = False) -> pd.Series | pd.DataFrame:
    """:func:`sum_read` of every group of a pandas groupby (``df.groupby(keys)["value"]``), vectorised:
    the sum, NaN when any part was not read or the group is empty; ``transform`` gives it per row."""
    if transform:
        total, read, size = grouped.transform("sum"), grouped.transform("count"), grouped.transform("size")
    else:
        total, read, size = grouped.sum(), grouped.count(), grouped.size()
    if isinstance(read, pd.DataFrame):
        whole = read.eq(size, axis=0) & pd.DataFrame({c: size > 0 for c in read.columns})
    else:
        whole = (read == size) & (size > 0)
    return total.where(whole).astype("float64")


_LAST: dict[str, tuple[weakref.ref, int, pd.DataFrame]] = {}


def reuse_last(name: str, frame: pd.DataFrame, make: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """``make(frame)``, remembered for the last ``frame`` given (the same object, same length): a notebook
    asks several views of one table in a row, and each would complete it again. Callers never modify
    the result in place (views return new frames)."""
    last = _LAST.get(name)
    if last is not None and last[0]() is frame and last[1] == len(frame):
        return last[2]
    out = make(frame)
    try:
        _LAST[name] = (weakref.ref(frame), len(frame), out)
    except TypeError:  # pragma: no cover - a frame that takes no weak reference
        pass
    return out


def complete(
    df: pd.DataFrame,
    keys: Sequence[str],
    expected: Callable[[pd.DataFrame], Iterable[tuple]],
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """``df`` (one stored table, plain dtypes) plus a record with value NA for each cell that
    ``expected(one report's records)`` lists (as tuples over ``keys``) and the report does not hold.
    ``by``: columns whose sets of values per report determine ``expected`` (it is then asked once per
    distinct combination, not once per report)."""
    if df.empty:
        return df
    keys = list(keys)
    # what each report should hold, asked once per report; reports expecting the same cells share one
    # list (a template), and what is missing is found by one anti-join, not a set per report
    templates: dict[tuple, int] = {}
    owner: list[tuple[object, int]] = []
    groups = df.groupby("report_id", sort=False, observed=True)
    if by:  # expected depends only on the sets of these columns' values: ask once per distinct set
        found: list[dict] = []
        for c in by:
            pairs = df[["report_id", c]].drop_duplicates()
            values: dict = {}
            for r, v in zip(pairs["report_id"].to_numpy(object), pairs[c].to_numpy(object), strict=True):
                values.setdefault(r, set()).add(v)
            found.append(values)
        where, memo = groups.indices, {}
        for rid in where:
            sig = tuple(frozenset(values[rid]) for values in found)
            if sig not in memo:
                cells = tuple(tuple(c) for c in expected(df.iloc[where[rid]]))
                memo[sig] = templates.setdefault(cells, len(templates))
            owner.append((rid, memo[sig]))
    else:
        for rid, g in groups:
            cells = tuple(tuple(c) for c in expected(g))
            owner.append((rid, templates.setdefault(cells, len(templates))))
    cells = pd.DataFrame(
        [(t, i, *c) for c_all, t in templates.items() for i, c in enumerate(c_all)],
        columns=["_t", "_i", *keys],
    )
    if cells.empty:
        return df
    firsts = df.drop_duplicates("report_id").set_index("report_id")[["bureau", "year"]]
    reps = pd.DataFrame(owner, columns=["report_id", "_t"])
    want = reps.merge(cells, on="_t", sort=False)
    want = want.join(firsts, on="report_id")
    have = df[["report_id", *keys]].astype(str).drop_duplicates().assign(_have=True)
    probe = want[["report_id", *keys]].astype(str)
    found = probe.merge(have, on=["report_id", *keys], how="left", sort=False)["_have"].notna().to_numpy()
    add = want.loc[~found, ["report_id", "bureau", "year", *keys]]
    if add.empty:
        return df
    extra = add.reset_index(drop=True)
    extra["value"] = float("nan")
    if "raw" in df.columns:
        extra["raw"] = ""  # nothing printed that could be read
    for col in df.columns:
        if col not in extra.columns:
            extra[col] = pd.Series(pd.NA, index=extra.index, dtype=object)
        try:
            extra[col] = extra[col].astype(df[col].dtype)
        except (TypeError, ValueError):  # a dtype that holds no NA (int): keep the column as it is
            pass
    return pd.concat([df, extra[df.columns]], ignore_index=True)


def legacy_reports(requests: pd.DataFrame) -> set[str]:
    """The report ids whose table 3 is a legacy (pre-2019) one: only a 总计 column and no 上年结转, before
    2019. Its rows vary by report, and the parser keeps a row it printed but could not read as NA."""
    modern = requests.loc[
        (requests["applicant"].astype("string") != "total")
        | (requests["row"].astype("string") == "carried_over")
        | (pd.to_numeric(requests["year"], errors="coerce") >= codes.MODERN_FROM),
        "report_id",
    ]
    return set(requests["report_id"].astype(str)) - set(modern.astype(str))


def complete_requests(requests: pd.DataFrame) -> pd.DataFrame:
    """Table 3 with plain dtypes and an NA cell for every (row, applicant) the report's template prints
    but that was not read (a row missing or ambiguous, a column not printed). A legacy report has no
    fixed template: the 2019/2021 rows it does not print are not its cells, so none is added."""
    return reuse_last("requests", requests, _complete_requests)


def _complete_requests(requests: pd.DataFrame) -> pd.DataFrame:
    df = plain(requests, "row", "applicant")
    legacy = legacy_reports(df) if not df.empty else set()
    return complete(
        df,
        ["row", "applicant"],
        lambda g: (
            []
            if str(g["report_id"].iloc[0]) in legacy
            else [
                (r, a)
                for r in codes.expected_request_rows(set(g["row"].astype(str)))
                for a in codes.APPLICANTS
            ]
        ),
        by=["row", "applicant", "year"],  # legacy or not, and the rows printed, come from these
    )


def complete_reviews(reviews_litigation: pd.DataFrame) -> pd.DataFrame:
    """Table 4 with plain dtypes and an NA cell for every (proceeding, result) not read. A legacy report
    (before 2019, no lawsuits told apart by kind) has no table 4: the cells it does not print are not added."""
    return reuse_last("reviews", reviews_litigation, _complete_reviews)


def _complete_reviews(reviews_litigation: pd.DataFrame) -> pd.DataFrame:
    df = plain(reviews_litigation, "proceeding", "result")
    cells = [(p, r) for p in codes.PROCEEDINGS for r in codes.RESULTS]
    modern = {p for p in codes.PROCEEDINGS if p.startswith("litigation_")}

    def expected(g: pd.DataFrame) -> list[tuple[str, str]]:
        legacy = int(g["year"].iloc[0]) < codes.MODERN_FROM and not set(g["proceeding"].astype(str)) & modern
        return [] if legacy else cells

    return complete(df, ["proceeding", "result"], expected, by=["proceeding", "year"])


# ------------------------------------------------------------------------------------------- reasons


def unread_issues(issues: pd.DataFrame | None) -> pd.DataFrame:
    """The issues that mean table cells were not read (a partial check whose location is a table), with
    ``table`` ("2"/"3"/"4") and ``parts`` (the codes after it) parsed from ``location``."""
    cols = ["report_id", "bureau", "year", "check", "location", "message", "table", "parts"]
    if issues is None or issues.empty:
        return pd.DataFrame(columns=cols)
    df = issues[issues["check"].astype(str).isin(PARTIAL_CHECKS)].copy()
    loc = df["location"].astype("string").fillna("")
    df["table"] = loc.str.extract(r"^table (\d)", expand=False)
    df = df[df["table"].notna()]
    df["parts"] = [tuple(p.strip() for p in str(x).split("/")[1:]) for x in df["location"]]
    df = df.assign(bureau=df["bureau"].astype("string"), year=df["year"].astype("int64"))
    return df[cols].reset_index(drop=True)


def explains(parts: Sequence[str], spec: Mapping[str, Sequence[str]]) -> bool:
    """Whether an issue located at ``parts`` (codes after "table N") touches a cell the ``spec`` picks
    (dimension → accepted codes or code prefixes; a dimension the spec leaves out accepts any code)."""
    for part in parts:
        dim = _DIMENSION.get(part)
        if dim is None or dim not in spec:
            continue
        if not any(part == c or part.startswith(c + ".") for c in spec[dim]):
            return False
    return True


def reason_text(check: str, table: str, parts: Sequence[str]) -> str:
    """An issue as a reader's reason: "表二（主动公开）·行政规范性文件：数字连在一起，无法唯一拆分（row.ambiguous）"."""
    names = [_CODE_LABELS.get(p, p) for p in parts if _DIMENSION.get(p) != "clause"]
    where = "·".join([TABLE_LABELS.get(table, f"表{table}"), *names])
    return f"{where}：{UNREAD_CHECK_LABELS.get(check, check)}（{check}）"


def unread_reasons(
    unread: pd.DataFrame, bureau: str, year: int, table: str, spec: Mapping[str, Sequence[str]]
) -> list[str]:
    """The reasons (see :func:`reason_text`) why the cells ``spec`` picks in ``table`` of the bureau's
    report(s) for ``year`` were not read; empty when no issue explains them."""
    if unread.empty:
        return []
    u = unread[(unread["bureau"] == bureau) & (unread["year"] == year) & (unread["table"] == table)]
    return list(
        dict.fromkeys(
            reason_text(r.check, r.table, r.parts) for r in u.itertuples() if explains(r.parts, spec)
        )
    )
