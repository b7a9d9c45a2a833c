"""A notebook's parameters checked before anything is drawn: the one call every notebook makes at its top.

An unknown bureau, region or year is a one-line error naming the closest names ("did you mean …") and what
the store holds; a selection without a readable report is an error, not a run of empty charts; and a
parameter *name* the notebook does not declare (papermill only logs "Passed unknown parameter") is an
error too, found by comparing papermill's injected cell with the ``parameters`` cell in the kernel's history.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.views.select import region_matches

SHOWN = 12  # names listed when saying what the store holds


class ParameterError(ValueError):
    """A notebook parameter that names nothing in the store, or a parameter the notebook does not declare."""


def check_parameters(
    reports: pd.DataFrame,
    *,
    bureaus: str | Sequence[str] | None = None,
    bureau: str | None = None,
    region: str | None = None,
    year: int | None = None,
    need_readable: bool = True,
) -> None:
    """Raise :class:`ParameterError` when a parameter is unknown or the selection has no readable report.

    ``bureaus`` is the set to compare (empty: all), ``bureau`` one of them shown in detail (or the brief's
    bureau), ``region`` a region instead of a bureau, ``year`` the year reported on (0 or None: any);
    ``need_readable=False`` accepts a store whose reports all failed (the data-quality notebook lists them).
    """
    unknown = unknown_injected_parameters()
    if unknown:
        declared = sorted(declared_parameters())
        close = difflib.get_close_matches(unknown[0], declared, n=2, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise ParameterError(
            f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
            f"{hint}this notebook declares {', '.join(declared)}"
        )
    if reports.empty:
        raise ParameterError("the store holds no report: run `python -m analysis ingest` first")
    readable = reports[reports["parse_status"].astype("string") != "failed"]
    if readable.empty and (need_readable or bureaus or bureau or region or year):
        raise ParameterError("the store holds no readable report: every report in it failed to read")
    selected = readable
    if region:
        _known("region", [region], _names(readable["region"]))
        selected = readable[region_matches(readable["region"], region)]
    else:
        chosen = [bureaus] if isinstance(bureaus, str) else list(bureaus or [])
        every = _names(readable["bureau"])
        _known("bureau", [*chosen, *([bureau] if bureau else [])], every)
        if chosen:
            if bureau and bureau not in chosen:
                raise ParameterError(
                    f"bureau {bureau} is not among bureaus {', '.join(chosen)}: name one of them (or none)"
                )
            selected = readable[readable["bureau"].astype("string").isin(chosen)]
        if bureau and not chosen:
            selected = readable[readable["bureau"].astype("string") == bureau]
    if year:
        if isinstance(year, bool) or not isinstance(year, int):
            raise ParameterError(f"year must be a whole number like 2024, not {year!r}")
        years = sorted(int(y) for y in selected["year"].dropna().unique())
        if year not in years:
            who = region or bureau or "the bureaus selected"
            raise ParameterError(
                f"no report for {who} in {year} (years with a report: {', '.join(map(str, years))})"
            )


def _names(column: pd.Series) -> list[str]:
    return sorted(column.dropna().astype(str).unique())


def _known(kind: str, wanted: Iterable[str], names: list[str]) -> None:
    """Raise for the first name that is not in ``names`` (for a region: that no region ends with)."""
    values = pd.Series(names, dtype="string")
    for name in wanted:
        found = region_matches(values, name).any() if kind == "region" else name in names
        if found:
            continue
        close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.4)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        shown = ", ".join(names[:SHOWN]) + (f" … ({len(names)} in all)" if len(names) > SHOWN else "")
        raise ParameterError(f"unknown {kind} {name}: {hint}the store holds {shown}")


def assigned_names(source: str) -> set[str]:
    """The names a cell assigns at its top level (``x = 1``, ``x: int = 1``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _history() -> tuple[list[str], int]:
    """The kernel's cell history (IPython's ``In``) and the index of papermill's injected cell (-1: none)."""
    try:
        from IPython import get_ipython
    except ImportError:  # not in a kernel
        return [], -1
    shell = get_ipython()
    history = list(shell.user_ns.get("In", [])) if shell is not None else []
    for i in range(len(history) - 1, 0, -1):
        if str(history[i]).lstrip().startswith("# Parameters\n"):  # papermill's injected cell
            return history, i
    return history, -1


def declared_parameters() -> set[str]:
    """The names the notebook's ``parameters`` cell assigns: the cell run just before papermill's."""
    history, i = _history()
    return assigned_names(history[i - 1]) if i > 0 else set()


def unknown_injected_parameters() -> list[str]:
    """Parameters papermill injected that the notebook's ``parameters`` cell does not declare."""
    history, i = _history()
    if i <= 0:
        return []
    return sorted(assigned_names(history[i]) - assigned_names(history[i - 1]))
