"""Table 4 shaped: results of administrative review and litigation, and the correction rate."""

from __future__ import annotations

import pandas as pd

from analysis.model import codes
from analysis.model.labels import PROCEEDING_LABELS
from analysis.views.shape import ratio
from analysis.views.unread import complete_reviews, read_sum


def correction_rates(reviews_litigation: pd.DataFrame) -> pd.DataFrame:
    """One row per (bureau, year, proceeding) with upheld/corrected/other/pending/total and the correction
    rate (纠正 / 总计); ``litigation`` adds the two kinds of lawsuit together. A cell not read is NA,
    and so is every sum or rate it is part of."""
    cols = [
        "bureau",
        "year",
        "proceeding",
        "label",
        "upheld",
        "corrected",
        "other",
        "pending",
        "total",
        "correction_rate",
    ]
    df = reviews_litigation
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = complete_reviews(df)
    wide = read_sum(df.groupby(["bureau", "year", "proceeding", "result"])["value"]).unstack("result")
    for col in codes.RESULTS:
        if col not in wide.columns:
            wide[col] = float("nan")
    wide = wide.reset_index()
    wide.columns.name = None
    lit = wide[wide["proceeding"].isin(["litigation_direct", "litigation_after_review"])]
    if not lit.empty:
        lit = read_sum(lit.groupby(["bureau", "year"])[list(codes.RESULTS)]).reset_index()
        lit["proceeding"] = "litigation"
        wide = pd.concat([wide, lit], ignore_index=True)
    wide["correction_rate"] = ratio(wide["corrected"], wide["total"])
    wide["label"] = wide["proceeding"].map(PROCEEDING_LABELS)
    order = {p: i for i, p in enumerate(PROCEEDING_LABELS)}
    wide = wide.sort_values(
        ["bureau", "year", "proceeding"], key=lambda s: s.map(order) if s.name == "proceeding" else s
    )
    return wide[cols].reset_index(drop=True)
