"""The slice of the store a load asks for: years, report_ids, bureaus, regions (filters combine with *and*).

Years pick partition folders; report_ids, bureaus and regions pick reports from the ``reports`` table,
and then every other table is read for those reports only, with their years' partitions and a filter
on ``bureau`` and ``report_id`` pushed down to the Parquet row groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pyarrow.dataset as ds


def region_matches(series: pd.Series, region: str) -> pd.Series:
    """Which ``region`` values are the region or end with it (``淮安市`` matches ``江苏省淮安市``).

    Sub-regions are not included (``淮安市`` does not match ``江苏省淮安市洪泽区``): they report
    separately, and a city's report already covers the city."""
    s = series.astype("string").fillna("")
    return (s == region) | (s.str.endswith(region) & (s.str.len() > len(region)) & (region != ""))


def _names(values: Iterable[object] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):  # one name given where a list is expected
        return (values,)
    return tuple(dict.fromkeys(str(v) for v in values))


def _years(values: Iterable[object] | int | None) -> frozenset[int] | None:
    if values is None:
        return None
    if isinstance(values, (int, str)):
        values = [values]
    try:
        return frozenset(int(v) for v in values)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"years must be whole numbers like 2024, not {values!r}") from None


@dataclass(frozen=True)
class Slice:
    """What to read: None means no filter on that key."""

    years: frozenset[int] | None = None
    report_ids: tuple[str, ...] | None = None
    bureaus: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None

    @classmethod
    def of(
        cls,
        years: Iterable[object] | None = None,
        report_ids: Iterable[object] | None = None,
        bureaus: Iterable[object] | None = None,
        regions: Iterable[object] | None = None,
    ) -> Slice:
        """A slice from a load's arguments (a single name or year is taken as a list of one)."""
        return cls(_years(years), _names(report_ids), _names(bureaus), _names(regions))

    @property
    def by_report(self) -> bool:
        """Whether reports must be chosen from the reports table first."""
        return self.report_ids is not None or self.bureaus is not None or self.regions is not None

    def keeps_partition(self, year: int | None) -> bool:
        """Whether a partition folder (its year; None: unknown) may hold rows of the slice."""
        return self.years is None or year in self.years

    def reports_filter(self) -> ds.Expression | None:
        """The push-down filter for reading the reports table (regions are matched after reading)."""
        return _all(
            None if self.report_ids is None else ds.field("report_id").isin(list(self.report_ids)),
            None if self.bureaus is None else ds.field("bureau").isin(list(self.bureaus)),
        )

    def choose(self, reports: pd.DataFrame) -> pd.DataFrame:
        """The reports of the slice, out of reports read with :meth:`reports_filter` (and its years)."""
        keep = pd.Series(True, index=reports.index)
        if self.report_ids is not None:
            keep &= reports["report_id"].astype("string").isin(self.report_ids)
        if self.bureaus is not None:
            keep &= reports["bureau"].astype("string").isin(self.bureaus)
        if self.regions is not None:
            in_region = pd.Series(False, index=reports.index)
            for region in self.regions:
                in_region |= region_matches(reports["region"], region)
            keep &= in_region
        if self.years is not None:
            keep &= reports["year"].isin(list(self.years)).fillna(False).astype(bool)
        return reports[keep.to_numpy(dtype=bool)].reset_index(drop=True)


@dataclass(frozen=True)
class Chosen:
    """The reports a slice chose: what every other table is read for."""

    report_ids: list[str]
    bureaus: list[str] | None  # None: some chosen report has no bureau (no push-down on it)
    years: frozenset[int | None]  # partitions holding their rows (None: unknown)

    @classmethod
    def of(cls, reports: pd.DataFrame) -> Chosen:
        """What ``reports`` (chosen by a slice) mean for reading the other tables."""
        bureau = reports["bureau"].astype("string")
        years = {None if pd.isna(y) else int(y) for y in reports["year"]}
        return cls(
            reports["report_id"].astype(str).tolist(),
            None if bureau.isna().any() else sorted(set(bureau)),
            frozenset(years),
        )

    def keeps_partition(self, year: int | None) -> bool:
        """Whether a partition folder may hold rows of the chosen reports."""
        return year in self.years

    def row_filter(self, columns: Iterable[str]) -> ds.Expression:
        """Rows of the chosen reports; ``bureau`` too where the table has it, for row-group skipping."""
        ids = ds.field("report_id").isin(self.report_ids)
        if self.bureaus is not None and "bureau" in set(columns):
            return ds.field("bureau").isin(self.bureaus) & ids
        return ids


def _all(*exprs: ds.Expression | None) -> ds.Expression | None:
    out = None
    for e in exprs:
        if e is not None:
            out = e if out is None else out & e
    return out
