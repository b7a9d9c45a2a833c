"""Compare a report as read (``analysis.report.Report``) with the generator's expected file."""

from __future__ import annotations

import json
import math
from pathlib import Path

KEYS = {
    "requests": ("row", "applicant"),
    "reviews_litigation": ("proceeding", "result"),
    "active_disclosure": ("clause", "item", "metric"),
}


def expected_of(path: Path) -> dict:
    return json.loads(Path(str(path) + ".expected.json").read_text(encoding="utf-8"))


def differences(rep, exp: dict) -> list[str]:
    """Every way the report read differs from the expected one: metadata, cells (value and raw), missing
    and extra cells; empty when it came back exactly as generated."""
    out = []
    r = rep.report
    for k in ("bureau", "year", "template", "region"):
        if r.get(k) != exp[k]:
            out.append(f"{k}: read {r.get(k)!r}, expected {exp[k]!r}")
    for table, keys in KEYS.items():
        got = {tuple(rec[k] for k in keys): rec for rec in getattr(rep, table)}
        want = {tuple(rec[k] for k in keys): rec for rec in exp[table]}
        for key, w in want.items():
            g = got.get(key)
            if g is None:
                out.append(f"{table}/{'/'.join(key)}: not read, expected {w['value']!r} ({w['raw']!r})")
                continue
            v = g["value"]
            same = (
                v is not None and not (isinstance(v, float) and math.isnan(v)) and abs(v - w["value"]) < 1e-6
            )
            raw_differs = w["raw"] is not None and (g.get("raw") or "").strip() != w["raw"]
            if not same or raw_differs:
                out.append(
                    f"{table}/{'/'.join(key)}: read {v!r} ({g.get('raw')!r}), expected {w['value']!r} ({w['raw']!r})"
                )
        for key in set(got) - set(want):
            out.append(f"{table}/{'/'.join(key)}: read {got[key]['value']!r} but not generated")
    return out
