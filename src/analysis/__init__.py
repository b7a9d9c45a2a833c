"""Analytics for China's government information-disclosure annual reports.

The short public face: ``extract`` one report, ``load`` a tidy table from ``data/clean``.
"""

from __future__ import annotations

from analysis.model.document import ReadError

__all__ = ["extract", "load", "ReadError"]


def extract(path):  # noqa: ANN001, ANN201 - thin re-export, documented at the source
    """Read, parse and check one report file; returns an ``analysis.report.Report``."""
    from .report import extract_report

    return extract_report(path)


def load(table: str, data_dir=None, validate: bool = True, **slice_):  # noqa: ANN001, ANN003, ANN201
    """Load one tidy table (``"requests"``, ``"reports"`` …) from the Parquet store as a DataFrame;
    ``years=``, ``report_ids=``, ``bureaus=``, ``regions=`` read only that slice (``store.load_table``)."""
    from analysis.store import load_table

    return load_table(table, data_dir=data_dir, validate=validate, **slice_)
