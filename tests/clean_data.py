"""The gold files of the shared corpus (hand-checked values) as tidy tables, for the view tests.

``gold_tables()`` gives the same tables ``ingest`` writes (typed by ``analysis.store.schema``), so views can be
tested on values a person checked against the documents, independent of the readers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from analysis.model import codes
from analysis.store.schema import typed

GOLD = Path(__file__).parent / "fixtures" / "gold"

# canonical names of the gold files' bureaus (the gold keeps the name as printed)
CANONICAL = {"洪泽区人民政府": "淮安市洪泽区人民政府"}
REGIONS = {
    "洛阳市统计局": "河南省洛阳市",
    "淮安市人民政府": "江苏省淮安市",
    "淮安市洪泽区人民政府": "江苏省淮安市洪泽区",
    "平潭综合实验区": "福建省平潭综合实验区",
}


def gold_tables(gold_dir: Path = GOLD) -> dict[str, pd.DataFrame]:
    """requests / reviews_litigation / active_disclosure / reports from the gold JSON files (one report per
    bureau-year; the ``-html`` twins are skipped)."""
    rows: dict[str, list[dict]] = {
        "reports": [],
        "requests": [],
        "reviews_litigation": [],
        "active_disclosure": [],
    }
    for path in sorted(gold_dir.glob("*.json")):
        if path.stem.endswith("-html"):
            continue
        g = json.loads(path.read_text(encoding="utf-8"))
        bureau = CANONICAL.get(g["bureau"], g["bureau"])
        rid = hashlib.sha256(path.stem.encode()).hexdigest()[:16]
        keys = {"report_id": rid, "bureau": bureau, "year": g["year"]}
        rows["reports"].append(
            {
                **keys,
                "region": REGIONS.get(bureau),
                "template": g["template"],
                "parse_status": "ok",
                "n_issues": 0,
                "source_format": Path(g["file"]).suffix[1:],
            }
        )
        for row, values in g["requests"].items():
            for applicant, value in zip(codes.APPLICANTS, values, strict=True):
                rows["requests"].append({**keys, "row": row, "applicant": applicant, "value": value})
        for proc, values in g["reviews_litigation"].items():
            for result, value in zip(codes.RESULTS, values, strict=True):
                rows["reviews_litigation"].append(
                    {**keys, "proceeding": proc, "result": result, "value": value}
                )
        for rec in g["active_disclosure"]:
            rows["active_disclosure"].append({**keys, **rec})
    out = {name: typed(name, pd.DataFrame(recs)) for name, recs in rows.items()}
    for name in ("channel_volumes", "rankings", "sections", "issues"):
        out[name] = typed(name, pd.DataFrame())
    return out


def requests_totals(rows: dict[tuple[str, int], dict[str, int]]) -> pd.DataFrame:
    """requests table from {(bureau, year): {row: total}} (only the 总计 column); every other row the
    template prints is there with 0, as a report prints it (a row left out would be one not read)."""
    recs = []
    for (bureau, year), given in rows.items():
        values = dict.fromkeys(codes.expected_request_rows(set(given)), 0) | given
        for row, value in values.items():
            recs.append(
                {
                    "report_id": f"{abs(hash((bureau, year))) % 16**16:016x}",
                    "bureau": bureau,
                    "year": year,
                    "row": row,
                    "applicant": "total",
                    "value": value,
                    "raw": str(value),
                }
            )
    return typed("requests", pd.DataFrame(recs))
