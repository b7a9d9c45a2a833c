"""Copied text (雷同): how much of each report's narrative repeats the same body's previous report, or
another body's report of the same year; and identical tables 3 or 4 across bodies.

The narrative is the sections' text with the template wording removed: sentences holding a table's
labels (``template_phrases.csv``), sentences shorter than :data:`MIN_SENTENCE` characters (headings)
and sentences printed by :data:`BOILERPLATE_BODIES` or more bodies (wording every report copies from
the template or the instructions), digits masked (a copy with the year changed is still a copy).

Each report's text becomes a set of character shingles (:data:`SHINGLE` characters, hashed with a
rolling polynomial, vectorized). Candidates among the reports of one year come from MinHash LSH
(``datasketch.MinHashLSH``, Jaccard ≥ :data:`LSH_THRESHOLD`; the signatures are one-permutation
MinHash computed for all reports at once), so no year compares all pairs. For each candidate, and for
each report with the same body's previous report, ``share`` is the part of this report's shingles
found in the other's. ``text_reuse`` keeps the previous-report rows and the same-year rows with a
share of at least :data:`KEEP_SHARE`; a ``corpus.copied_text`` warning is raised at
:data:`COPIED_OTHER` (another body, same year) or :data:`COPIED_SELF` (the previous report).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd

from analysis.store.schema import COLUMNS

from .common import concat, issue_frame, name, used_reports

SHINGLE = 8  # characters per shingle: long enough that stock phrases alone rarely repeat
MIN_SENTENCE = 10  # characters: shorter sentences are headings or fragments
BOILERPLATE_BODIES = 5  # a sentence printed by this many bodies is template wording
NUM_PERM = 64  # MinHash signature length (LSH bands × rows)
LSH_THRESHOLD = 0.5  # Jaccard similarity from which a same-year pair is a candidate
KEEP_SHARE = 0.3  # same-year rows of text_reuse below this share are not kept
COPIED_OTHER = 0.5  # share of the narrative repeating another body's same-year report: 雷同
COPIED_SELF = 0.8  # share repeating the body's own previous report: 雷同 with itself
MIN_CELLS = 3  # non-zero cells for table 3 or 4 to count as non-trivial in copied_table
_ENDS = re.compile(r"[。；！？\n]")
_MERSENNE = np.uint64((1 << 61) - 1)


@lru_cache(maxsize=1)
def template_phrases() -> tuple[str, ...]:
    text = files("analysis.corpus").joinpath("template_phrases.csv").read_text(encoding="utf-8")
    return tuple(r["phrase"] for r in csv.DictReader(text.splitlines()))


def narrative_sentences(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each used report's narrative sentences with the template wording removed: report_id, bureau,
    year, sentence (as printed) and norm (whitespace, punctuation removed, digits as 0)."""
    r = used_reports(tables)
    s = tables["sections"]
    s = s[s["report_id"].isin(r["report_id"])][["report_id", "text"]].dropna()
    text = s["text"].astype("string")
    # normalized once per section (not per sentence): no spaces or punctuation but the sentence ends,
    # digits as 0; split at the same ends as the printed text, so the pieces stay aligned
    norm = text.str.replace(r"[^\S\n]+|[^\w。；！？\n]+|_", "", regex=True).str.replace(
        r"\d", "0", regex=True
    )
    s = s.assign(sentence=text.str.split(_ENDS), norm=norm.str.split(_ENDS))
    s = s[s["sentence"].str.len() == s["norm"].str.len()]  # a section whose pieces do not align is skipped
    s = s[["report_id", "sentence", "norm"]].explode(["sentence", "norm"])
    s = s[s["norm"].str.len() >= MIN_SENTENCE]
    s["sentence"] = s["sentence"].str.strip()
    s = s[~s["norm"].str.contains("|".join(map(re.escape, template_phrases())))]
    s = s.merge(r[["report_id", "bureau", "year"]], on="report_id")
    bodies = s.groupby("norm")["bureau"].transform("nunique")
    s = s[bodies < BOILERPLATE_BODIES].drop_duplicates(["report_id", "norm"])
    return s.reset_index(drop=True)


def shingles(sent: pd.DataFrame) -> dict[str, np.ndarray]:
    """report_id → the sorted unique 64-bit hashes of its sentences' shingles (none across sentences)."""
    if sent.empty:
        return {}
    text = "\x00".join(sent["norm"]) + "\x00"
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps) - SHINGLE + 1
    h = np.zeros(max(n, 0), dtype=np.uint64)
    broken = np.zeros(max(n, 0), dtype=bool)
    for k in range(SHINGLE):  # a polynomial hash of each window, wrapping at 2^64
        window = cps[k : k + n]
        h = h * np.uint64(1000003) + window
        broken |= window == 0
    starts = np.cumsum([0, *(sent["norm"].str.len() + 1).tolist()])[:-1]
    owner = np.searchsorted(starts, np.arange(n), side="right") - 1
    keep = ~broken
    doc_of_sentence, rids = pd.factorize(sent["report_id"])
    # one sort of (report, hash) packed in one integer (the hash cut to 44 bits) drops the repeats
    key = (doc_of_sentence[owner[keep]].astype(np.uint64) << np.uint64(44)) | (h[keep] >> np.uint64(20))
    key.sort()  # (np.unique's hash table is slower than a sort on millions of keys)
    key = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    doc, h = (key >> np.uint64(44)).astype(np.int64), key & np.uint64((1 << 44) - 1)
    cuts = np.flatnonzero(np.diff(doc)) + 1
    return {
        rids[d[0]]: part for d, part in zip(np.split(doc, cuts), np.split(h, cuts), strict=True) if len(d)
    }


def signatures(sets: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One-permutation MinHash: each shingle hash (mixed) falls in one of NUM_PERM bins by its top
    bits; a report's signature is the minimum of each bin (empty bins: a value of its own)."""
    if not sets:
        return {}
    rids = list(sets)
    lengths = np.array([len(sets[r]) for r in rids])
    h = np.concatenate([sets[r] for r in rids])
    h = (h ^ (h >> np.uint64(31))) * np.uint64(0x9E3779B97F4A7C15)
    doc = np.repeat(np.arange(len(rids)), lengths)
    bins = (h >> np.uint64(58)).astype(np.int64) % NUM_PERM
    value = (h & np.uint64((1 << 58) - 1)) % _MERSENNE
    sig = np.full((len(rids), NUM_PERM), np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(sig, (doc, bins), value)
    empty = sig == np.iinfo(np.uint64).max
    sig[empty] = (np.uint64(1) << np.uint64(60)) + np.nonzero(empty)[0].astype(np.uint64)  # never shared
    return {r: sig[i] for i, r in enumerate(rids)}


def _share(a: np.ndarray, b: np.ndarray) -> float:
    return float(len(np.intersect1d(a, b, assume_unique=True)) / len(a)) if len(a) else 0.0


def _candidates(reports: pd.DataFrame, sigs: dict[str, np.ndarray]) -> list[tuple[str, str]]:
    """Same-year pairs of different bodies whose MinHash signatures collide in LSH (both directions)."""
    pairs: list[tuple[str, str]] = []
    for _, group in reports[reports["report_id"].isin(list(sigs))].groupby("year"):
        if group["bureau"].nunique() < 2:
            continue
        # imported here: datasketch brings in scipy (~350 modules), which an ingest of one body never needs
        from datasketch import LeanMinHash, MinHashLSH

        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        mh = {rid: LeanMinHash(seed=1, hashvalues=sigs[rid], scheme="affine64") for rid in group["report_id"]}
        for rid, m in mh.items():
            lsh.insert(rid, m)
        body = dict(zip(group["report_id"], group["bureau"], strict=True))
        for rid, m in mh.items():
            pairs += [(rid, o) for o in sorted(lsh.query(m)) if body[o] != body[rid]]
    return pairs


def _examples(sent: pd.DataFrame, per_sentence: dict[str, np.ndarray], other: np.ndarray, k: int = 3) -> str:
    """Up to ``k`` of a report's sentences (``sent``: its rows) most of whose shingles the other holds."""
    out = []
    for i, sentence in zip(sent.index, sent["sentence"], strict=True):
        own = per_sentence.get(str(i))
        if own is not None and _share(own, other) >= 0.8:
            out.append(sentence if len(sentence) <= 80 else sentence[:79] + "…")
            if len(out) == k:
                break
    return "\n".join(out)


def text_reuse(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``text_reuse`` table: each report against its body's previous report, and against the
    same-year reports of other bodies that LSH finds, with the share of its narrative they repeat."""
    reports = used_reports(tables)
    sent = narrative_sentences(tables)
    sets = shingles(sent)
    info = reports.set_index("report_id")
    r = reports.sort_values(["bureau", "year"], kind="stable")
    prev = r.groupby("bureau", sort=False)["report_id"].shift(1)
    own = [(a, b, "previous_report") for a, b in zip(r["report_id"], prev, strict=True) if isinstance(b, str)]
    same = [(a, b, "same_year") for a, b in _candidates(reports, signatures(sets))]
    rows = []
    for a, b, relation in own + same:
        if a not in sets or b not in sets:
            continue
        share = _share(sets[a], sets[b])
        if relation == "same_year" and share < KEEP_SHARE:
            continue
        rows.append((a, b, relation, round(share, 4)))
    out = pd.DataFrame(rows, columns=["report_id", "other_report_id", "relation", "share"])
    # example sentences for the rows that make a warning: shingles per sentence, of those reports only
    limit = out["relation"].map({"same_year": COPIED_OTHER, "previous_report": COPIED_SELF})
    flagged = out[out["share"] >= limit]
    mine = sent[sent["report_id"].isin(set(flagged["report_id"]))]
    per_sentence = shingles(mine.assign(report_id=mine.index.astype(str)))
    by_report = {rid: mine.loc[idx] for rid, idx in mine.groupby("report_id").groups.items()}
    examples = {
        (a, b): _examples(by_report[a], per_sentence, sets[b])
        for a, b in zip(flagged["report_id"], flagged["other_report_id"], strict=True)
        if a in by_report
    }
    out["examples"] = [
        examples.get((a, b)) for a, b in zip(out["report_id"], out["other_report_id"], strict=True)
    ]
    for col, src in (
        ("bureau", "report_id"),
        ("year", "report_id"),
        ("other_bureau", "other_report_id"),
        ("other_year", "other_report_id"),
    ):
        out[col] = out[src].map(info[col.removeprefix("other_")])
    return out.reindex(columns=COLUMNS["text_reuse"])


def copied_text_issues(reuse: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``corpus.copied_text`` warnings for the text_reuse rows at or above their threshold."""
    limit = (
        reuse["relation"].astype("string").map({"same_year": COPIED_OTHER, "previous_report": COPIED_SELF})
    )
    hit = reuse[reuse["share"].astype(float) >= limit.astype(float)]
    path = reports.set_index("report_id")["source_path"]
    hit = hit.assign(
        location="narrative",
        expected=hit["other_report_id"],
        actual=hit["share"].map(lambda s: f"{s:.0%}"),
        message=[
            f"{s:.0%} of the narrative repeats {ob} {oy} ({name(path.get(o, o))})"
            + (
                " — its own previous report"
                if rel == "previous_report"
                else " — another body's report of the same year"
            )
            + (f": “{ex.splitlines()[0]}”" if isinstance(ex, str) and ex else "")
            for s, ob, oy, o, rel, ex in zip(
                hit["share"],
                hit["other_bureau"],
                hit["other_year"],
                hit["other_report_id"],
                hit["relation"],
                hit["examples"],
                strict=True,
            )
        ],
    )
    return issue_frame("corpus.copied_text", hit)


def _names(names: list[str], total: int) -> str:
    """Some of the other reports' names, and how many more there are."""
    return ", ".join(names) + (f" and {total - len(names)} more" if total > len(names) else "")


def copied_table_issues(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``corpus.copied_table`` warnings: table 3 or 4, with at least MIN_CELLS non-zero cells, identical
    cell for cell in two bodies' reports of one year (every cell read)."""
    reports = used_reports(tables)
    parts = []
    for table, keys, label in (
        ("requests", ["row", "applicant"], "table 3"),
        ("reviews_litigation", ["proceeding", "result"], "table 4"),
    ):
        t = tables[table]
        t = t[t["report_id"].isin(reports["report_id"])]
        cell = (
            t[keys[0]].astype("string")
            + "/"
            + t[keys[1]].astype("string")
            + "="
            + t["value"].astype("string")
        )
        h = pd.util.hash_pandas_object(cell.fillna("NA"), index=False).to_numpy() % np.uint64(1 << 40)
        t = t.assign(
            h=h.astype("int64"),
            nonzero=(t["value"].fillna(0) != 0).astype("int64"),
            unread=t["value"].isna().astype("int64"),
        )
        g = t.groupby("report_id", observed=True)
        # a table's key: the sum and number of its cells' hashes (the order of the rows does not matter)
        sig = pd.DataFrame(
            {
                "key": g["h"].sum().astype("string") + ":" + g["h"].size().astype("string"),
                "nonzero": g["nonzero"].sum(),
                "unread": g["unread"].sum() > 0,
            }
        ).reset_index()
        sig = sig[(sig["nonzero"] >= MIN_CELLS) & ~sig["unread"]].merge(reports, on="report_id")
        sig = sig[sig.groupby(["year", "key"])["bureau"].transform("nunique") > 1]
        if sig.empty:
            continue
        others = sig.groupby(["year", "key"])["report_id"].agg(lambda ids: list(ids[:6])).to_dict()
        sizes = sig.groupby(["year", "key"])["report_id"].size().to_dict()
        sig = sig.assign(
            others=[others[(y, k)] for y, k in zip(sig["year"], sig["key"], strict=True)],
            n_others=[sizes[(y, k)] - 1 for y, k in zip(sig["year"], sig["key"], strict=True)],
        )
        paths = dict(zip(reports["report_id"], reports["source_path"], strict=True))
        sig = sig.assign(
            location=label,
            expected=None,
            actual=None,
            message=[
                f"{label} is identical, cell for cell ({n} non-zero), to "
                + _names([name(paths[o]) for o in os if o != rid][:5], n_other)
                for rid, n, os, n_other in zip(
                    sig["report_id"], sig["nonzero"], sig["others"], sig["n_others"], strict=True
                )
            ],
        )
        parts.append(issue_frame("corpus.copied_table", sig))
    return concat(parts)
