"""Column lists, dtypes and pandera schemas of the tidy tables (docs/data-model.md)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.model import codes

if TYPE_CHECKING:
    import pandera.pandas as pa

KEYS = ["report_id", "bureau", "year"]
COLUMNS: dict[str, list[str]] = {
    "reports": [
        "report_id",
        "bureau",
        "year",
        "bureau_as_printed",
        "region",
        "admin_level",
        "template",
        "title",
        "source_path",
        "source_format",
        "sha256",
        "pages",
        "parse_status",
        "n_issues",
        "alias_matched",
        # beyond the data model: when it was published (ISO date), other files with the same bytes
        # (newline-separated), and the document the views use instead for the same bureau and year
        "published",
        "duplicate_paths",
        "superseded_by",
        # …and the address the page was saved from, and the reader that read it (report.reader_version)
        "source_url",
        "reader",
    ],
    "requests": KEYS + ["row", "applicant", "value", "raw"],
    "reviews_litigation": KEYS + ["proceeding", "result", "value", "raw"],
    "active_disclosure": KEYS + ["clause", "item", "metric", "value", "unit", "raw"],
    # beyond the data model: `label` (what is counted, e.g. 工作动态信息) tells a total from its parts
    "channel_volumes": KEYS + ["channel", "metric", "value", "unit", "approximate", "label", "sentence"],
    "rankings": KEYS + ["list_name", "platform", "rank", "rank_kind", "scope", "sentence"],
    "sections": KEYS + ["section", "heading", "heading_as_printed", "text"],
    "issues": KEYS + ["severity", "check", "location", "expected", "actual", "message"],
    # derived on every write (analysis.corpus.reuse): how much of a report's narrative repeats another's
    "text_reuse": KEYS + ["other_report_id", "other_bureau", "other_year", "relation", "share", "examples"],
}

_ITEMS = sorted({i for t in codes.ACTIVE_DISCLOSURE.values() for c in t.values() for i in c})
_METRICS = sorted(
    {m for t in codes.ACTIVE_DISCLOSURE.values() for c in t.values() for ms in c.values() for m in ms}
)
_CLAUSES = sorted({c for t in codes.ACTIVE_DISCLOSURE.values() for c in t})
CATEGORIES: dict[str, dict[str, list[str]]] = {
    "reports": {
        "template": list(codes.TEMPLATES),
        "parse_status": ["ok", "partial", "failed"],
        "source_format": ["txt", "html", "pdf", "docx", "doc", "wps"],
    },
    "requests": {"row": list(codes.ALL_REQUEST_ROWS), "applicant": list(codes.APPLICANTS)},
    "reviews_litigation": {
        "proceeding": list(codes.PROCEEDINGS + codes.LEGACY_PROCEEDINGS),
        "result": list(codes.RESULTS),
    },
    "active_disclosure": {"clause": _CLAUSES, "item": _ITEMS, "metric": _METRICS},
    "channel_volumes": {
        "channel": [
            "website",
            "weibo",
            "wechat",
            "press",
            "press_conference",
            "policy_interpretation",
            "gazette",
            "new_media_accounts",
            "douyin",
            "other",
        ]
    },
    "rankings": {
        "platform": ["wechat", "weibo", "website", "douyin", "overall"],
        "rank_kind": ["exact", "top_n"],
    },
    "sections": {},
    "issues": {"severity": ["error", "warning"]},
    "text_reuse": {"relation": ["previous_report", "same_year"]},
}
INTEGERS: dict[str, list[str]] = {
    "reports": ["year", "pages", "n_issues"],
    "requests": ["year", "value"],
    "reviews_litigation": ["year", "value"],
    "active_disclosure": ["year"],
    "channel_volumes": ["year"],
    "rankings": ["year", "rank"],
    "sections": ["year", "section"],
    "issues": ["year"],
    "text_reuse": ["year", "other_year"],
}
FLOATS: dict[str, list[str]] = {
    "active_disclosure": ["value"],
    "channel_volumes": ["value"],
    "text_reuse": ["share"],
}
BOOLS: dict[str, list[str]] = {"channel_volumes": ["approximate"]}


STRING_COLUMNS: dict[str, set[str]] = {
    t: {
        c
        for c in cols
        if c not in CATEGORIES[t]
        and c not in INTEGERS[t]
        and c not in FLOATS.get(t, [])
        and c not in BOOLS.get(t, [])
    }
    for t, cols in COLUMNS.items()
}  # the columns ``typed`` makes ``string``


def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Give a table its columns (in order) and dtypes: categories for codes, Int64 counts, strings."""
    df = df.reindex(columns=COLUMNS[table]).copy()
    for col in COLUMNS[table]:
        if col in CATEGORIES[table].get(col, []) or col in CATEGORIES[table]:
            df[col] = pd.Categorical(df[col].astype("string"), categories=CATEGORIES[table][col])
        elif col in INTEGERS[table]:
            df[col] = pd.to_numeric(df[col], errors="coerce").round().astype("Int64")
        elif col in FLOATS.get(table, []):
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Float64")
        elif col in BOOLS.get(table, []):
            df[col] = df[col].astype("boolean")
        else:
            df[col] = df[col].astype("string")
    return df


def retyped(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``typed``, skipped when the frame already has the table's columns and dtypes (most of a large
    store, read back or concatenated from typed parts): the conversion is the costly part."""
    want = typed(table, pd.DataFrame(columns=COLUMNS[table])).dtypes
    if list(df.columns) == COLUMNS[table] and all(df[c].dtype == want[c] for c in COLUMNS[table]):
        return df
    return typed(table, df)


def _cat(values: list[str], nullable: bool = False) -> pa.Column:
    import pandera.pandas as pa

    return pa.Column("category", pa.Check.isin(values), nullable=nullable)


@cache
def schemas() -> dict[str, pa.DataFrameSchema]:
    """The pandera schema of each table, built on first use: pandera is imported only by what validates
    (ingest, ``store.save``, a load with ``validate=True``), not by every notebook and brief that reads."""
    import pandera.pandas as pa

    return {
        "reports": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string", pa.Check.str_matches(r"^[0-9a-f]{16}$"), unique=True),
                "year": pa.Column("Int64", pa.Check.in_range(1990, 2100), nullable=True),
                "template": _cat(list(codes.TEMPLATES), nullable=True),
                "parse_status": _cat(["ok", "partial", "failed"]),
                "n_issues": pa.Column("Int64", pa.Check.ge(0)),
                "published": pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"), nullable=True),
                "superseded_by": pa.Column("string", pa.Check.str_matches(r"^[0-9a-f]{16}$"), nullable=True),
                "source_url": pa.Column("string", pa.Check.str_matches(r"^https?://\S+$"), nullable=True),
            }
        ),
        "requests": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "row": _cat(list(codes.ALL_REQUEST_ROWS)),
                "applicant": _cat(list(codes.APPLICANTS)),
                "value": pa.Column("Int64", nullable=True),
                "raw": pa.Column("string", nullable=True),
            },
            unique=["report_id", "row", "applicant"],
        ),
        "reviews_litigation": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "proceeding": _cat(list(codes.PROCEEDINGS + codes.LEGACY_PROCEEDINGS)),
                "result": _cat(list(codes.RESULTS)),
                "value": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            },
            unique=["report_id", "proceeding", "result"],
        ),
        "active_disclosure": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "clause": _cat(_CLAUSES),
                "item": _cat(_ITEMS),
                "metric": _cat(_METRICS),
                "value": pa.Column("Float64", nullable=True),
            },
            unique=["report_id", "clause", "item", "metric"],
        ),
        "channel_volumes": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "channel": _cat(CATEGORIES["channel_volumes"]["channel"]),
                "value": pa.Column("Float64", pa.Check.ge(0), nullable=True),
                "sentence": pa.Column("string"),
            }
        ),
        "rankings": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "rank": pa.Column("Int64", pa.Check.ge(1), nullable=True),
                "rank_kind": _cat(["exact", "top_n"]),
                "sentence": pa.Column("string"),
            }
        ),
        "sections": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "section": pa.Column("Int64", pa.Check.in_range(1, 6)),
            }
        ),
        "issues": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "severity": _cat(["error", "warning"]),
                "check": pa.Column("string"),
                "message": pa.Column("string"),
            }
        ),
        "text_reuse": pa.DataFrameSchema(
            {
                "report_id": pa.Column("string"),
                "other_report_id": pa.Column("string"),
                "relation": _cat(["previous_report", "same_year"]),
                "share": pa.Column("Float64", pa.Check.in_range(0, 1)),
            },
            unique=["report_id", "other_report_id"],
        ),
    }


def __getattr__(name: str) -> object:  # ``schema.SCHEMAS`` as before, built when first asked for
    if name == "SCHEMAS":
        return schemas()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def changes(s: pd.Series) -> np.ndarray | None:
    """Which rows differ from the row before (the first does; NA equals NA), for an Int64 or string
    column without hashing it; None for other dtypes."""
    if isinstance(s.dtype, pd.Int64Dtype):
        values = s.to_numpy(dtype="int64", na_value=0)
    elif isinstance(s.dtype, pd.StringDtype):
        values = s.to_numpy(dtype=object, na_value="")
    else:
        return None
    na = s.isna().to_numpy()
    change = np.ones(len(s), dtype=bool)
    change[1:] = (na[1:] != na[:-1]) | (values[1:] != values[:-1])
    return change


def _codes(s: pd.Series) -> tuple[np.ndarray, int] | None:
    """A column as integer codes (equal values, NA included, equal codes) and how many codes there
    can be, without hashing its strings: a category's codes; a string column in runs of equal values
    (sorted tables: one run per report) numbered by run, when no value comes back in a later run."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(dtype="int64") + 1, len(s.cat.categories) + 1
    change = changes(s) if isinstance(s.dtype, pd.StringDtype) else None
    if (
        change is None or s[change].duplicated().any()
    ):  # a value in two runs: numbering runs would tell them apart
        return None
    return np.cumsum(change) - 1, int(change.sum())


def duplicated_keys(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    """``df.duplicated(cols, keep=False)``: the rows whose key another row has too, as one int64 key
    per row where the columns allow it (see ``_codes``), else by pandas."""
    key, size = np.zeros(len(df), dtype="int64"), 1
    for col in cols:
        got = _codes(df[col])
        if got is None or size * got[1] >= 2**62:
            return df.duplicated(cols, keep=False)
        key, size = key * got[1] + got[0], size * got[1]
    return pd.Series(pd.Series(key).duplicated(keep=False).to_numpy(), index=df.index)


def validate_rows(table: str, df: pd.DataFrame, rows: pd.Series | None = None) -> pd.DataFrame:
    """Validate a typed table with its pandera schema, only the ``rows`` marked (the others were
    validated when stored) and every row whose key another row has (the schema's unique columns and
    keys, checked on the whole table): the same failures as ``validate`` when the other rows pass."""
    if rows is None:
        return validate(table, df)
    schema = schemas()[table]
    keys = [[c] for c, col in schema.columns.items() if col.unique]
    if schema.unique:
        keys.append(list(schema.unique))
    for cols in keys:
        rows = rows | duplicated_keys(df, cols)
    validate(table, df[rows.to_numpy()])
    return df


def validate(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate a typed table with its pandera schema, collecting every failure (lazy)."""
    return schemas()[table].validate(df, lazy=True)
