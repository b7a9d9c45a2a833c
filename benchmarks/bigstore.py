"""A large store made from the bundled real reports' frames, for benchmarks/briefs.py and the notebook
tests: distinct bureau-years (each bureau-year the tables of a real report of a fitting template, with a
new report_id, bureau and year), ``latest`` bureaus reporting in the last year, the others years before;
its anomaly warnings judged on the store itself, as ingest would store them.
The expected counts come from here (``bureau_years``), never from what the notebooks compute."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from analysis.corpus.anomalies import anomaly_issues
from analysis.corpus.common import concat
from analysis.model import codes
from analysis.model.issues import FINDING_KINDS
from analysis.store.merge import finish
from analysis.store.schema import COLUMNS, typed

CITIES = [
    "南京市",
    "无锡市",
    "徐州市",
    "常州市",
    "苏州市",
    "南通市",
    "连云港市",
    "淮安市",
    "盐城市",
    "扬州市",
]
KINDS = ["人民政府", "财政局", "统计局", "公安局", "教育局", "卫生健康委员会", "自然资源局", "交通运输局"]
LEVELS = ["county", "department", "city", "district"]


def bureau_years(
    n: int, latest: int, last_year: int = 2024, first_year: int = 2015, seed: int = 0
) -> pd.DataFrame:
    """``n`` distinct (bureau, year, region, admin_level) rows: ``latest`` bureaus in ``last_year``, the rest
    spread over the years before, each bureau keeping one region and level."""
    rng = np.random.default_rng(seed)
    years = list(range(first_year, last_year + 1))
    bodies = max(latest, int(np.ceil(n / (len(years) * 0.85))))
    names = [f"{CITIES[b % len(CITIES)]}第{b:04d}{KINDS[b % len(KINDS)]}" for b in range(bodies)]
    in_last = set(rng.choice(bodies, size=min(latest, bodies), replace=False).tolist())
    earlier = [(b, y) for b in range(bodies) for y in years[:-1]]
    pick = rng.choice(len(earlier), size=min(len(earlier), n - len(in_last)), replace=False)
    cells = sorted([(b, last_year) for b in in_last] + [earlier[i] for i in pick])
    return pd.DataFrame(
        {
            "bureau": [names[b] for b, _ in cells],
            "year": [y for _, y in cells],
            "region": ["江苏省" + CITIES[b % len(CITIES)] for b, _ in cells],
            "admin_level": [LEVELS[b % len(LEVELS)] for b, _ in cells],
        }
    )


def _template_for(year: int) -> str:
    return "2021" if year >= 2021 else "2019" if year >= codes.MODERN_FROM else "legacy"


def build(real: dict[str, pd.DataFrame], cells: pd.DataFrame, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The store's tables: for each row of ``cells`` a copy of a real readable report of the template its
    year uses (2019 when none of that template is bundled), under a new report_id."""
    rng = np.random.default_rng(seed)
    rep = real["reports"]
    rep = rep[(rep["parse_status"].astype("string") != "failed") & rep["superseded_by"].isna()]
    by_template = {t: g["report_id"].tolist() for t, g in rep.groupby(rep["template"].astype("string"))}
    src = []
    for y in cells["year"]:
        pool = by_template.get(_template_for(int(y))) or by_template.get("2019") or rep["report_id"].tolist()
        src.append(pool[rng.integers(len(pool))])
    ids = cells.assign(
        src=src,
        report_id=[hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()[:16] for i in range(len(cells))],
    )
    out: dict[str, pd.DataFrame] = {}
    base = rep.drop(columns=["bureau", "year", "region", "admin_level"]).rename(columns={"report_id": "src"})
    r = ids.merge(base, on="src", how="left").drop(columns="src")
    r["source_path"] = r["report_id"] + "." + r["source_format"].astype("string").fillna("txt")
    r["superseded_by"] = pd.NA
    if "bureau_as_printed" in r.columns:
        r["bureau_as_printed"] = r["bureau"]
    if "duplicate_paths" in r.columns:
        r["duplicate_paths"] = pd.NA
    out["reports"] = r[COLUMNS["reports"]]
    keys = ids[["src", "report_id", "bureau", "year"]]
    for t in codes.TABLES:
        if t in ("reports", "text_reuse"):
            continue
        df = real[t].rename(columns={"report_id": "src"}).drop(columns=["bureau", "year"])
        out[t] = keys.merge(df, on="src").drop(columns="src")[COLUMNS[t]]
    out["text_reuse"] = pd.DataFrame(columns=COLUMNS["text_reuse"])
    out = {t: typed(t, df) for t, df in out.items()}
    # the anomaly warnings judged on this store (each body against its new peers), as ingest stores them;
    # the other findings are the source reports' own
    anomalous = out["issues"]["check"].astype("string").map(FINDING_KINDS) == "anomaly"
    out["issues"] = typed("issues", concat([out["issues"][~anomalous], anomaly_issues(out)]))
    return finish(out)
