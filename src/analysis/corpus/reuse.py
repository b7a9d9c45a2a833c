"""Copied text (雷同): how much of each report's narrative repeats the same body's previous report, or
another body's report of the same year; and identical tables 3 or 4 across bodies.

The narrative is the sections' text with the template wording removed: sentences holding a table's
labels (``template_phrases.csv``), sentences shorter than :data:`MIN_SENTENCE` characters (headings)
and sentences printed by :data:`BOILERPLATE_BODIES` or more bodies of the same year (wording every
report copies from that year's template or instructions; counted per year, so that a store checked a
year at a time finds the same), digits masked (a copy with the year changed is still a copy).
Against other bodies' reports each report's own names are left out too (its bureau's names and
aliases, its region's places, 我局 and the like: ``self_names.csv``), so a copier that puts its own
name into every sentence still repeats its source; a sentence that BOILERPLATE_BODIES or more bodies
print in a year once their names are left out is template wording there. Against its own previous report, where
the names are the same, the text is compared as printed.

Every step runs on all reports at once in numpy (no Python loop per character or sentence): the text
is normalized by a code-point table; each report's text becomes a set of character shingles
(:data:`SHINGLE` characters, a polynomial hash); candidates among the reports of one year come from
MinHash LSH (one-permutation MinHash signatures; the :data:`BANDS` × :data:`ROWS` banding
``datasketch.MinHashLSH`` chooses for Jaccard ≥ :data:`LSH_THRESHOLD`, grouped in pandas), so no year
compares all pairs. For each candidate, and for
each report with the same body's previous report, ``share`` is the part of this report's shingles
found in the other's. ``text_reuse`` keeps the previous-report rows and the same-year rows with a
share of at least :data:`KEEP_SHARE`; a ``corpus.copied_text`` warning is raised at
:data:`COPIED_OTHER` (another body, same year) or :data:`COPIED_SELF` (the previous report).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Collection
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.parse import bureaus
from analysis.store.schema import COLUMNS

from .common import (
    REPORTS_AT_ONCE,
    concat,
    issue_frame,
    name,
    of_reports,
    report_groups,
    sections_in_order,
    used_reports,
)
from .kept import Kept

SHINGLE = 8  # characters per shingle: long enough that stock phrases alone rarely repeat
MIN_SENTENCE = 10  # characters: shorter sentences are headings or fragments
BOILERPLATE_BODIES = 5  # a sentence printed by this many bodies is template wording
_BIN_BITS = 6
NUM_PERM = 1 << _BIN_BITS  # MinHash signature length (a shingle's bin: its mixed hash's top bits)
LSH_THRESHOLD = 0.5  # Jaccard similarity from which a same-year pair is a candidate
BANDS, ROWS = 14, 4  # LSH banding: datasketch.MinHashLSH's choice for LSH_THRESHOLD and NUM_PERM
KEEP_SHARE = 0.3  # same-year rows of text_reuse below this share are not kept
COPIED_OTHER = 0.5  # share of the narrative repeating another body's same-year report: 雷同
COPIED_SELF = 0.8  # share repeating the body's own previous report: 雷同 with itself
NAME_MASK = ""  # a report's own names are left out: a name put in where the source had none leaves no trace
MIN_CELLS = 3  # non-zero cells for table 3 or 4 to count as non-trivial in copied_table
_BASE = 1000003  # the shingles' polynomial hash
CHUNK = 2000  # sections whose text is split into sentences at once (what that holds is bounded)
_SETS = "shingle sets"  # memo: the shingle sets (as printed) of the last year a call checked
_END_CHARS = "。；！？\n"
_ENDS = re.compile(f"[{_END_CHARS}]")


@lru_cache(maxsize=1)
def self_names() -> tuple[str, ...]:
    """How a report names its own body without its name (我局, 本机关, 我们…): ``self_names.csv``."""
    text = files("analysis.corpus").joinpath("self_names.csv").read_text(encoding="utf-8")
    return tuple(r["name"] for r in csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def template_phrases() -> tuple[str, ...]:
    text = files("analysis.corpus").joinpath("template_phrases.csv").read_text(encoding="utf-8")
    return tuple(r["phrase"] for r in csv.DictReader(text.splitlines()))


# removed from the normalized text, character by character (whitespace but line ends, punctuation but
# sentence ends)
_DROPPED = re.compile(r"[^\S\n]|[^\w。；！？\n]|_")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _bmp_normalizer() -> np.ndarray:
    """:func:`_normalized` of every code point of the Basic Multilingual Plane (built once)."""
    return np.array([_normalized(c) for c in range(0x10000)], dtype=np.uint32)


def _normalized(c: int) -> int:
    """A code point as the normalized text holds it: 0 where it is removed (whitespace but line ends,
    punctuation but sentence ends), "0" for a digit, else itself."""
    ch = chr(c)
    if _DROPPED.fullmatch(ch):
        return 0
    return ord("0") if _DIGIT.fullmatch(ch) else c


def _normalize(cps: np.ndarray) -> np.ndarray:
    """The code points normalized (removed ones left out), by table look-up rather than by regex."""
    out = _bmp_normalizer()[np.minimum(cps, 0xFFFF)]
    beyond = np.flatnonzero(cps > 0xFFFF)
    if len(beyond):  # rare: each distinct one classified on its own
        values, inverse = np.unique(cps[beyond], return_inverse=True)
        out[beyond] = np.array([_normalized(int(v)) for v in values], dtype=np.uint32)[inverse]
    return out[out != 0]


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def narrative_sentences(
    tables: dict[str, pd.DataFrame], memo: dict | None = None, complete: Collection[int] = ()
) -> pd.DataFrame:
    """Each used report's narrative sentences with the template wording removed: report_id, sentence
    (as printed, surrounding whitespace included), norm (whitespace, punctuation removed, digits as 0),
    bureau, year, and masked (norm with the report's own names as :data:`NAME_MASK`; NA where the
    masked sentence is template wording).

    Template wording is counted among the bodies of a year. A caller that checks a year at a time keeps
    ``memo``: the template wording of the years ``complete`` (``tables`` holds all their reports) is
    remembered there, and a year remembered is read from it (``tables`` may hold a few of its reports)."""
    r = used_reports(tables)
    s = sections_in_order(tables)
    out = _raw_sentences(s[s["report_id"].isin(r["report_id"])], r)
    if out.empty:
        return out.assign(masked=pd.Series(dtype="string"))
    # wording printed by BOILERPLATE_BODIES or more bodies of a year is template wording; a report's
    # repeats go
    repeat = _repeats(out)
    template = _template_wording(out["norm"], out["bureau"], out["year"], (memo, complete, "norm"))
    out = out[~template & ~repeat].reset_index(drop=True)
    masked = pd.Series(_masked(out, tables["reports"]), dtype="string")
    # a sentence that many bodies print but for their names is template wording too (…局坚持以…为指导)
    template = _template_wording(masked, out["bureau"], out["year"], (memo, complete, "masked"))
    return out.assign(masked=masked.where(~template))


def _raw_sentences(sections: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """The sentences of these sections (in order) before the template wording is known: report_id,
    sentence, norm, bureau, year (table labels and short sentences already left out)."""
    return _of_reports(_split(sections), reports)


def _split(sections: pd.DataFrame) -> pd.DataFrame:
    """The sentences of these sections (in order): report_id, sentence, norm."""
    s = sections[["report_id", "text"]].dropna()
    texts = s["text"].astype(str).tolist()
    found = [_sentences(texts[i : i + CHUNK], i) for i in range(0, len(texts), CHUNK)]
    at = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.int64)
    return pd.DataFrame(
        {
            "report_id": s["report_id"].to_numpy()[at],
            "sentence": [x for f in found for x in f[1]],
            "norm": [x for f in found for x in f[2]],
        }
    )


def _of_reports(rows: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Rows of sentences with their report's bureau and year (from ``reports``) as the last columns."""
    info = reports[["report_id", "bureau", "year"]].drop_duplicates("report_id")
    ids = rows[["report_id"]].reset_index(drop=True)
    got = ids.merge(info, on="report_id", how="left")  # as the sections' rows were merged before
    return rows.reset_index(drop=True).assign(bureau=got["bureau"].to_numpy(), year=got["year"].to_numpy())


def _repeats(sent: pd.DataFrame) -> np.ndarray:
    """Which sentences repeat an earlier one of the same report (norm for norm)."""
    if sent.empty:
        return np.zeros(0, dtype=bool)
    report_code = pd.factorize(sent["report_id"])[0].astype(np.int64)
    norm_code = pd.factorize(sent["norm"])[0].astype(np.int64)
    return pd.Series(report_code * (norm_code.max() + 1) + norm_code).duplicated().to_numpy()


def _hashed(text: pd.Series) -> pd.Series:
    """Each text as a 64-bit hash (NA stays NA): what the template wording is counted on when the
    sentences are not all held at once."""
    known = text.notna().to_numpy()
    out = np.zeros(len(text), dtype=np.uint64)
    out[known] = pd.util.hash_array(text[known].astype(str).to_numpy(dtype=object))
    return pd.Series(pd.arrays.IntegerArray(out, ~known), index=text.index)


def _sentences(texts: list[str], first: int) -> tuple[np.ndarray, list[str], list[str]]:
    """(section, sentence as printed, norm) of the sentences of these sections (numbered from
    ``first``) at least MIN_SENTENCE long and holding no table label: the sections joined by a line
    end (a sentence end, so no sentence crosses sections), normalized by a code-point table, and split
    at the same ends as the printed text (which the normalization keeps), so the pieces stay aligned."""
    joined = "\n".join(texts)
    norm = _ENDS.split(_normalize(_codepoints(joined)).tobytes().decode("utf-32-le", "surrogatepass"))
    printed = _ENDS.split(joined)
    pieces = [sum(map(t.count, _END_CHARS)) + 1 for t in texts]
    section = np.repeat(np.arange(first, first + len(texts)), pieces)
    length = np.fromiter(map(len, norm), dtype=np.int64, count=len(norm))
    keep = np.flatnonzero(length >= MIN_SENTENCE)
    norm = [norm[k] for k in keep]
    # template wording: one regex pass over every sentence joined (no phrase holds the separator)
    starts = np.concatenate(([0], np.cumsum(length[keep] + 1)))
    hits = [m.start() for m in _template_pattern().finditer("\x00".join(norm))]
    keep_mask = np.ones(len(keep), dtype=bool)
    keep_mask[np.searchsorted(starts, hits, side="right") - 1] = False
    keep = keep[keep_mask]
    norm = [x for x, k in zip(norm, keep_mask, strict=True) if k]
    return section[keep], [printed[k] for k in keep], norm


def _template_wording(
    text: pd.Series, bureau: pd.Series, year: pd.Series, memo: tuple[dict | None, Collection[int], str]
) -> np.ndarray:
    """Which sentences are template wording: printed (``text``; NA never is) by BOILERPLATE_BODIES or
    more bodies of their year. ``memo``: (the memo, the complete years, which text) as
    :func:`narrative_sentences` says."""
    known, complete, kind = memo
    frame = pd.DataFrame({"t": text.to_numpy(), "b": bureau.to_numpy(), "y": year.to_numpy()})
    bodies = frame.groupby(["t", "y"], dropna=False)["b"].transform("nunique").to_numpy()
    out = (bodies >= BOILERPLATE_BODIES) & frame["t"].notna().to_numpy()
    if known is None:
        return out
    for y in frame["y"].dropna().unique():
        at = (frame["y"] == y).to_numpy()
        key = (kind, int(y))
        if int(y) in complete:
            known[key] = frozenset(frame["t"][at & out])
        elif key in known:
            out[at] = frame["t"][at].isin(known[key]).to_numpy()
    return out


def _masked(sent: pd.DataFrame, reports: pd.DataFrame) -> list[str]:
    """Each sentence's norm with its report's own names (:func:`body_names`) as NAME_MASK: one pass
    per set of names, over all the sentences of the reports that share it joined."""
    names = body_names(reports[reports["report_id"].isin(set(sent["report_id"]))])
    out = sent["norm"].tolist()
    own = sent["report_id"].map(names)
    for key, at in own.groupby(own, sort=False).groups.items():
        idx = sent.index.get_indexer(at)
        parts = without_names("\x00".join(out[i] for i in idx), key).split("\x00")
        for i, m in zip(idx, parts, strict=True):
            out[i] = m
    return out


def without_names(text: str, names: tuple[str, ...]) -> str:
    """``text`` with every occurrence of ``names`` as NAME_MASK, scanning left to right and taking the
    longest name at each place (what a regex of the names, longest first, does with ``sub``), by
    string search: compiling a regex for each of a store's thousands of bodies took seconds."""
    found = []
    for n in names:
        at = text.find(n)
        while at >= 0:
            found.append((at, -len(n)))
            at = text.find(n, at + 1)
    if not found:
        return text
    found.sort()
    pieces, pos = [], 0
    for at, minus in found:
        if at >= pos:  # the first found at a place is the longest there
            pieces += [text[pos:at], NAME_MASK]
            pos = at - minus
    return "".join([*pieces, text[pos:]])


def masked_sentences(sent: pd.DataFrame) -> pd.DataFrame:
    """The sentences with their names masked as ``norm`` (template wording left out): what reports of
    different bodies are compared on."""
    m = sent[sent["masked"].notna()]
    return m.assign(norm=m["masked"].astype(str)).drop_duplicates(["report_id", "norm"])


def _normal(name: str) -> str:
    """A name normalized as the narrative is (spaces and punctuation removed, digits as 0)."""
    return _DIGIT.sub("0", _DROPPED.sub("", name))


def body_names(reports: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """report_id → the names a report calls its own body by: the canonical name, the name as printed,
    the registry's aliases, the places of its region (福建省, 福州市 and 福州…) and ``self_names.csv``,
    longest first, normalized as the narrative is."""
    out: dict[str, tuple[str, ...]] = {}
    for rid, bureau, printed, region in zip(
        reports["report_id"], reports["bureau"], reports["bureau_as_printed"], reports["region"], strict=True
    ):
        out[str(rid)] = _body_names(*(x if isinstance(x, str) else None for x in (bureau, printed, region)))
    return out


@lru_cache(maxsize=1 << 16)  # one per body (and region): a store's bodies all fit
def _body_names(bureau: str | None, printed: str | None, region: str | None) -> tuple[str, ...]:
    names = {*self_names(), *(n for n in (bureau, printed) if n)}
    entry = bureaus.load_registry().match(bureau) if bureau else None
    names.update(entry[0].names if entry else ())
    if region:
        names.update(_places(region))
    return tuple(sorted({n for n in map(_normal, names) if len(n) >= 2}, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=4096)
def _places(region: str) -> tuple[str, ...]:
    """The region's places by rank and their short forms: 江苏省淮安市洪泽区 → 江苏省, 江苏, 淮安市, 淮安, 洪泽区."""
    place, _rest = bureaus.split_place(region)
    parts = [p for p in (place.province, place.city, place.county) if p] if place else [region]
    return tuple(n for p in parts for n in bureaus.short_names(p))


@lru_cache(maxsize=1)
def _template_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, template_phrases())))


class Sets:
    """Reports' shingle sets packed in one array: ``rids[i]``'s sorted unique 44-bit hashes are
    ``hashes[offsets[i]:offsets[i + 1]]``."""

    def __init__(self, rids: list[str], offsets: np.ndarray, hashes: np.ndarray) -> None:
        self.rids, self.offsets, self.hashes = rids, offsets, hashes
        self.index = {r: i for i, r in enumerate(rids)}

    def __len__(self) -> int:
        return len(self.rids)

    def __contains__(self, rid: object) -> bool:
        return rid in self.index

    def __getitem__(self, rid: str) -> np.ndarray:
        i = self.index[rid]
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]

    def share(self, a: str, b: str) -> float:
        """The part of ``a``'s shingles found in ``b``'s."""
        return _share(self[a], self[b])

    def only(self, rids: Collection[str]) -> Sets:
        """These reports' sets (those of them held here)."""
        keep = [r for r in rids if r in self.index]
        return _packed(keep, [self[r] for r in keep])

    def plus(self, other: Sets) -> Sets:
        """These sets and those of ``other``'s reports not held here."""
        more = [r for r in other.rids if r not in self.index]
        return _packed(self.rids + more, [self[r] for r in self.rids] + [other[r] for r in more])


def _packed(rids: list[str], arrays: list[np.ndarray]) -> Sets:
    offsets = np.concatenate(([0], np.cumsum([len(a) for a in arrays], dtype=np.int64)))
    return Sets(rids, offsets, np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.uint64))


def _window_hashes(norms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(hash, sentence) of every SHINGLE-character window inside one of ``norms``: the polynomial hash
    sum c[i + k]·B^(SHINGLE − 1 − k) wrapping at 2^64, cut to 44 bits, built by doubling the window
    (three passes for eight characters) for all sentences at once."""
    cps = _codepoints("\x00".join(norms) + "\x00").astype(np.uint64)
    h, width = cps, 1
    while width < SHINGLE:  # windows of 2·width characters from two of width
        step = min(width, SHINGLE - width)
        h = h[:-step] * np.uint64(pow(_BASE, step, 1 << 64)) + h[step:]
        width += step
    lengths = np.fromiter(map(len, norms), dtype=np.int64, count=len(norms))
    valid = np.maximum(lengths - SHINGLE + 1, 0)  # windows that stay inside their sentence
    keep = np.repeat(np.tile([True, False], len(norms)), np.stack([valid, lengths + 1 - valid], 1).ravel())
    h = h[keep[: len(h)]] >> np.uint64(20)
    return h, np.repeat(np.arange(len(norms)), valid)


def _unique(h: np.ndarray) -> np.ndarray:
    """Sorted unique values (a sort and a mask: several times faster than np.unique on small arrays)."""
    h = np.sort(h)
    return h[np.concatenate(([True], h[1:] != h[:-1]))] if len(h) else h


def shingle_sets(sent: pd.DataFrame) -> Sets:
    """Each report's shingle set: the hashes of its sentences' ``SHINGLE``-character windows (none
    across sentences), sorted and unique, one small sort per report (faster than one large sort)."""
    if sent.empty:
        return Sets([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint64))
    doc_of_sentence, rids = pd.factorize(sent["report_id"])
    order = np.argsort(doc_of_sentence, kind="stable")  # a report's sentences together
    h, sentence = _window_hashes(sent["norm"].to_numpy()[order].tolist())
    owner = doc_of_sentence[order][sentence]
    cuts = np.searchsorted(owner, np.arange(len(rids) + 1))
    parts = [_unique(h[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes[sizes > 0])))
    hashes = np.concatenate(parts) if len(parts) else np.zeros(0, dtype=np.uint64)
    return Sets([str(r) for r, n in zip(rids, sizes, strict=True) if n], offsets, hashes)


def shingles(sent: pd.DataFrame) -> dict[str, np.ndarray]:
    """report_id → the sorted unique 44-bit hashes of its sentences' shingles (none across sentences)."""
    sets = shingle_sets(sent)
    return {r: sets[r] for r in sets.rids}


def signature_matrix(sets: Sets) -> np.ndarray:
    """One-permutation MinHash, one row per report of ``sets``: each shingle hash (mixed) falls in one
    of NUM_PERM bins by its top bits; a report's signature is the minimum of each bin (empty bins: a
    value of its own, never shared)."""
    h = sets.hashes
    h = (h ^ (h >> np.uint64(31))) * np.uint64(0x9E3779B97F4A7C15)
    doc = np.repeat(np.arange(len(sets)), np.diff(sets.offsets))
    bins = (h >> np.uint64(64 - _BIN_BITS)).astype(np.int64)
    value = h & np.uint64((1 << (64 - _BIN_BITS)) - 1)
    sig = np.full((len(sets), NUM_PERM), np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(sig, (doc, bins), value)
    empty = sig == np.iinfo(np.uint64).max
    sig[empty] = (np.uint64(1) << np.uint64(60)) + np.nonzero(empty)[0].astype(np.uint64)
    return sig


def signatures(sets: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """report_id → its one-permutation MinHash signature (:func:`signature_matrix`)."""
    if not sets:
        return {}
    rids = list(sets)
    offsets = np.concatenate(([0], np.cumsum([len(sets[r]) for r in rids])))
    sig = signature_matrix(Sets(rids, offsets, np.concatenate([sets[r] for r in rids])))
    return {r: sig[i] for i, r in enumerate(rids)}


def _share(a: np.ndarray, b: np.ndarray) -> float:
    """The part of sorted unique ``a`` found in sorted unique ``b`` (a binary search per element)."""
    if not len(a) or not len(b):
        return 0.0
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return float(np.count_nonzero(b[at] == a) / len(a))


def _candidates(reports: pd.DataFrame, sets: Sets, sig: np.ndarray) -> list[tuple[str, str]]:
    """Same-year pairs of different bodies whose MinHash signatures agree on at least one LSH band
    (:data:`BANDS` bands of :data:`ROWS` values: the banding ``datasketch.MinHashLSH`` chooses for
    LSH_THRESHOLD and NUM_PERM), both directions; every year's bands grouped at once."""
    r = reports[reports["report_id"].isin(sets.index)]
    if r.empty:
        return []
    row = np.array([sets.index[x] for x in r["report_id"]])
    parts = []
    for band in range(BANDS):
        cols = sig[row, band * ROWS : (band + 1) * ROWS]
        key = pd.DataFrame(cols, columns=[f"v{k}" for k in range(ROWS)]).assign(year=r["year"].to_numpy())
        group = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
        shared = pd.Series(group).duplicated(keep=False).to_numpy()
        parts.append(pd.DataFrame({"g": group[shared] + band * len(r), "i": np.flatnonzero(shared)}))
    if not any(len(p) for p in parts):
        return []
    members = pd.concat(parts, ignore_index=True)
    pairs = members.merge(members, on="g", suffixes=("", "_o"))[["i", "i_o"]].drop_duplicates()
    ids, body = r["report_id"].to_numpy(), r["bureau"].to_numpy()
    pairs = pairs[body[pairs["i"].to_numpy()] != body[pairs["i_o"].to_numpy()]]
    pairs = pairs.sort_values(["i", "i_o"])
    return list(zip(ids[pairs["i"].to_numpy()], ids[pairs["i_o"].to_numpy()], strict=True))


def _examples(sent: pd.DataFrame, sets: Sets, pairs: pd.DataFrame, k: int = 3) -> dict[tuple[str, str], str]:
    """(report, other) → up to ``k`` of the report's sentences most of whose shingles (80 %) the
    other's narrative holds, for each of ``pairs``; the sentences' shingles hashed all at once."""
    mine = sent[sent["report_id"].isin(set(pairs["report_id"]))]
    mine = mine.iloc[np.argsort(pd.factorize(mine["report_id"])[0], kind="stable")].reset_index(drop=True)
    h, at = _window_hashes(mine["norm"].tolist())
    if not len(h):
        return {}
    owner = mine["report_id"].to_numpy()[at]
    cuts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1], [True])))
    windows = {}  # report → (sentence, hash) of its sentences' shingles, each once
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        key = _unique(((at[a:b] - at[a]).astype(np.uint64) << np.uint64(44)) | h[a:b])
        windows[owner[a]] = ((key >> np.uint64(44)).astype(np.int64) + at[a], key & np.uint64((1 << 44) - 1))
    out = {}
    for a, b in zip(pairs["report_id"], pairs["other_report_id"], strict=True):
        if a not in windows:
            continue
        at_a, h_a = windows[a]
        other = sets[b]
        found = other[np.minimum(np.searchsorted(other, h_a), len(other) - 1)] == h_a
        ids, first, size = np.unique(at_a, return_index=True, return_counts=True)
        share = np.add.reduceat(found, first) / size
        texts = [mine.at[int(i), "sentence"].strip() for i in ids[share >= 0.8][:k]]
        out[(a, b)] = "\n".join(t if len(t) <= 80 else t[:79] + "…" for t in texts)
    return out


def text_reuse(
    tables: dict[str, pd.DataFrame],
    memo: dict | None = None,
    complete: Collection[int] = (),
    kept: Kept | None = None,
) -> pd.DataFrame:
    """The ``text_reuse`` table: each report against its body's previous report, and against the
    same-year reports of other bodies that LSH finds, with the share of its narrative they repeat
    (``memo``, ``complete``: see :func:`narrative_sentences`; the memo keeps the shingle sets of the
    last year complete, so that the next call, a year later, need not be given that year's sections)."""
    reports = used_reports(tables)
    known = memo.get(_SETS) if memo is not None else None
    if known is not None:  # reports a call before this one checked: their sets as it made them
        s = tables["sections"]
        tables = {**tables, "sections": s[~s["report_id"].isin(known.rids).to_numpy(dtype=bool)]}
    # the used reports' sections, REPORTS_AT_ONCE reports at a time, each report's in order
    groups = [
        sections_in_order(g).dropna(subset=["text"])
        for g in report_groups({t: tables[t] for t in ("reports", "sections")}, REPORTS_AT_ONCE)
    ]
    keep, open_, last, owners = _template_masks(groups, tables["reports"], memo, complete, kept)
    sets_parts, masked_parts = [], []
    # second pass, each group's shingle sets: the last group first, its first pass still held
    for i in reversed(range(len(groups))):
        if kept is None:
            sent = _kept_sentences(groups[i], tables["reports"], keep[i], open_[i], last)
            got = shingle_sets(sent), shingle_sets(masked_sentences(sent))
            del sent
        else:
            got = _kept_sets(groups[i], tables["reports"], keep[i], open_[i], owners[i], kept, last)
        last = None
        sets_parts.append(got[0])
        masked_parts.append(got[1])
        del got
    sets = _joined(sets_parts[::-1])  # against the body's own previous report: the same names, as printed
    masked = _joined(masked_parts[::-1])  # against other bodies: each report's own names left out
    del sets_parts, masked_parts
    if known is not None:
        sets = sets.plus(known)
    if memo is not None and complete:  # for the next call, whose year before is this call's last year
        memo[_SETS] = sets.only(reports.loc[reports["year"] == max(complete), "report_id"].tolist())
    info = reports.set_index("report_id")
    r = reports.sort_values(["bureau", "year"], kind="stable")
    prev = r.groupby("bureau", sort=False)["report_id"].shift(1)
    own = [(a, b, "previous_report") for a, b in zip(r["report_id"], prev, strict=True) if isinstance(b, str)]
    same = [(a, b, "same_year") for a, b in _candidates(reports, masked, signature_matrix(masked))]
    rows = []
    for a, b, relation in own + same:
        on = sets if relation == "previous_report" else masked
        if a not in on or b not in on:
            continue
        share = on.share(a, b)
        if relation == "same_year" and share < KEEP_SHARE:
            continue
        rows.append((a, b, relation, round(share, 4)))
    out = pd.DataFrame(rows, columns=["report_id", "other_report_id", "relation", "share"])
    # example sentences for the rows that make a warning: shingles per sentence, of those reports only
    limit = out["relation"].map({"same_year": COPIED_OTHER, "previous_report": COPIED_SELF})
    flagged = out[out["share"] >= limit]
    examples = {}
    wanted = set(flagged["report_id"])
    for group, k, o, w in zip(groups, keep, open_, owners, strict=True):  # the flagged reports' sentences
        if wanted.isdisjoint(group["report_id"]):
            continue
        rows = pd.Series(w).isin(wanted).to_numpy()  # by hash: np.isin sorts the strings
        mine = of_reports(group, wanted)
        sent = _kept_sentences(mine, tables["reports"], k[rows], o[rows])
        for relation, rows_of, on in (
            ("previous_report", sent, sets),
            ("same_year", masked_sentences(sent), masked),
        ):
            got = _examples(rows_of, on, flagged[flagged["relation"] == relation])
            examples |= {(a, b, relation): ex for (a, b), ex in got.items()}
    out["examples"] = [
        examples.get(k) for k in zip(out["report_id"], out["other_report_id"], out["relation"], strict=True)
    ]
    for col, src in (
        ("bureau", "report_id"),
        ("year", "report_id"),
        ("other_bureau", "other_report_id"),
        ("other_year", "other_report_id"),
    ):
        out[col] = out[src].map(info[col.removeprefix("other_")])
    return out.reindex(columns=COLUMNS["text_reuse"])


Pass1 = tuple[pd.DataFrame, pd.Series]  # a group's sentences before the template wording, their masked text


HASHES = "sentence-hashes"  # what :class:`.kept.Kept` keeps of each report's first pass, and its columns
_HASH_COLUMNS = {"norm": pa.uint64(), "masked": pa.uint64()}


def _first_pass(group: pd.DataFrame, reports: pd.DataFrame) -> Pass1:
    """A group's sentences (:func:`_raw_sentences`) and the masked text of those that do not repeat
    an earlier one of their report (NA on the repeats)."""
    raw = _raw_sentences(group, reports)
    return raw, _masked_first(raw, reports)


def _hashes(pass1: Pass1) -> pd.DataFrame:
    """What the template wording is counted on: each sentence's norm and masked text hashed (masked
    NA exactly on the repeats), with its report_id."""
    raw, masked = pass1
    return pd.DataFrame(
        {"report_id": raw["report_id"], "norm": _hashed(raw["norm"]), "masked": _hashed(masked)}
    )


def _first_hashes(
    group: pd.DataFrame, reports: pd.DataFrame, kept: Kept | None
) -> tuple[pd.DataFrame, Pass1 | None]:
    """A group's :func:`_hashes`, a report's as ``kept`` holds them if it does (a report's sentences are
    its own alone), and the first pass of the reports it was made for (all of the group's without
    ``kept``)."""
    if kept is None:
        first = _first_pass(group, reports)
        return _hashes(first), first
    made: list[Pass1] = []

    def make(ids: list[str]) -> pd.DataFrame:
        made.append(_first_pass(of_reports(group, ids), reports))
        return _hashes(made[-1])

    ids = pd.unique(group["report_id"])
    mine = of_reports(reports, ids)
    return kept.rows(HASHES, mine, make, _HASH_COLUMNS), made[0] if made else None


def _masked_first(raw: pd.DataFrame, reports: pd.DataFrame) -> pd.Series:
    """The masked text of the sentences that do not repeat an earlier one of their report (NA on the
    repeats)."""
    repeat = _repeats(raw)
    values = np.full(len(raw), None, dtype=object)
    values[~repeat] = _masked(raw[~repeat], reports)
    return pd.Series(values, index=raw.index, dtype="string")


def _template_masks(
    groups: list[pd.DataFrame],
    reports: pd.DataFrame,
    memo: dict | None,
    complete: Collection[int],
    kept: Kept | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray], Pass1 | None, list[np.ndarray]]:
    """First pass over the groups: which of each group's sentences (as :func:`_raw_sentences` gives
    them) stay in the narrative (not a repeat nor template wording) and which of those stay against
    other bodies (their masked text not template wording either), as :func:`narrative_sentences`
    decides, counted on the sentences' hashes so that a year's sentences are never all held; the
    last group's first pass, which the second need not make again; and each sentence's report_id."""
    rows, last = [], None
    for group in groups:
        last = None  # one group's sentences held at a time
        hashes, last = _first_hashes(group, reports, kept)
        hashes = _of_reports(hashes, reports)
        rows.append(hashes.assign(repeat=hashes["masked"].isna().to_numpy()))  # NA exactly on the repeats
        del hashes
    if not rows:
        return [], [], None, []
    sizes = [len(r) for r in rows]
    k = pd.concat(rows, ignore_index=True)
    del rows
    template = _template_wording(k["norm"], k["bureau"], k["year"], (memo, complete, "norm"))
    keep = ~template & ~k["repeat"].to_numpy()
    on = k[keep].reset_index(drop=True)
    masked_template = _template_wording(on["masked"], on["bureau"], on["year"], (memo, complete, "masked"))
    open_ = np.zeros(len(k), dtype=bool)
    open_[np.flatnonzero(keep)] = ~masked_template & on["masked"].notna().to_numpy()
    cuts = np.cumsum([0, *sizes])
    owner = k["report_id"].astype(str).to_numpy(dtype=object)
    return (
        [keep[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)],
        [open_[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)],
        last,
        [owner[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)],
    )


def _kept_sentences(
    group: pd.DataFrame,
    reports: pd.DataFrame,
    keep: np.ndarray,
    open_: np.ndarray,
    first: Pass1 | None = None,
) -> pd.DataFrame:
    """Second pass: a group's sentences as :func:`narrative_sentences` gives them, from the masks the
    first pass made (masked: NA where the masked text is template wording); ``first``: the group's
    first pass where it is still held."""
    raw, masked = first if first is not None else (_raw_sentences(group, reports), None)
    out = raw[keep].reset_index(drop=True)
    if masked is None:
        masked = pd.Series(_masked(out, reports), dtype="string")
    else:
        masked = masked[keep].reset_index(drop=True)
    return out.assign(masked=masked.where(open_[keep]))


SETS = "shingle-sets"  # what :class:`.kept.Kept` keeps of each report's second pass, and its columns
_SET_COLUMNS = {"sets": pa.list_(pa.uint64()), "masked": pa.list_(pa.uint64())}


def _kept_sets(
    group: pd.DataFrame,
    reports: pd.DataFrame,
    keep: np.ndarray,
    open_: np.ndarray,
    owner: np.ndarray,
    kept: Kept,
    first: Pass1 | None = None,
) -> tuple[Sets, Sets]:
    """Second pass through ``kept``: a group's shingle sets, as printed and with the names left out
    (what :func:`_kept_sentences` and :func:`shingle_sets` make), each report's kept under which of its
    sentences the first pass kept (``keep``, ``open_``; ``owner``: each sentence's report_id), so that
    a report is split again only when the year's template wording changed for one of its sentences;
    ``first``: the first pass of some of the group's reports, where it is still held."""
    if not len(owner):
        return _joined([]), _joined([])
    code = (keep.astype(np.uint8) + 2 * open_.astype(np.uint8)).tobytes()
    starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    ends = np.append(starts[1:], len(owner))
    ids = owner[starts].tolist()
    salt = pd.Series(
        [hashlib.blake2b(code[a:b], digest_size=8).hexdigest() for a, b in zip(starts, ends, strict=True)],
        index=ids,
        dtype=object,
    )

    def make(wanted: list[str]) -> pd.DataFrame:
        chosen = set(wanted)
        rows = np.repeat([i in chosen for i in ids], ends - starts)  # each report's sentences, a run
        mine = of_reports(group, wanted)
        held = None
        if first is not None and set(wanted) <= set(first[0]["report_id"]):  # not split again
            at = first[0]["report_id"].isin(wanted).to_numpy(dtype=bool)
            held = first[0][at].reset_index(drop=True), first[1][at].reset_index(drop=True)
        sent = _kept_sentences(mine, reports, keep[rows], open_[rows], held)
        sets, masked = shingle_sets(sent), shingle_sets(masked_sentences(sent))
        none = np.zeros(0, dtype=np.uint64)
        return pd.DataFrame(
            {
                "report_id": wanted,
                "sets": [sets[r] if r in sets else none for r in wanted],
                "masked": [masked[r] if r in masked else none for r in wanted],
            }
        )

    mine = of_reports(reports, ids)
    got = kept.rows(SETS, mine, make, _SET_COLUMNS, salt)
    return _listed(got["report_id"], got["sets"]), _listed(got["report_id"], got["masked"])


def _listed(rids: pd.Series, arrays: pd.Series) -> Sets:
    """Sets from each report's array of hashes (a report with none left out, as :func:`shingle_sets`
    leaves it out)."""
    pairs = [(str(r), np.asarray(a, dtype=np.uint64)) for r, a in zip(rids, arrays, strict=True) if len(a)]
    return _packed([r for r, _ in pairs], [a for _, a in pairs]) if pairs else _joined([])


def _joined(parts: list[Sets]) -> Sets:
    """The shingle sets of groups of different reports, as one."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Sets([], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint64))
    return _packed([r for p in parts for r in p.rids], [p[r] for p in parts for r in p.rids])


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


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: a uint64 array's values scrambled (wrapping at 2^64)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _sum_by(group: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Integer ``values`` summed per ``group`` code (0 … n − 1), exactly."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, group, values)
    return out


def _names(names: list[str], total: int) -> str:
    """Some of the other reports' names, and how many more there are."""
    return ", ".join(names) + (f" and {total - len(names)} more" if total > len(names) else "")


TABLE_KEYS = "table_keys"  # what a save gives the checks under this name: :func:`table_keys` of tables 3, 4
_KEYED = (
    ("requests", ["row", "applicant"], "table 3"),
    ("reviews_litigation", ["proceeding", "result"], "table 4"),
)
_NA_CELL = 0x7FF8_DEAD_BEEF_0001  # an unread cell's value in a key (no number's bits)


def _label_hash(labels: pd.Series) -> np.ndarray:
    """A stable 64-bit hash of each label (a row or column code), the same in every call: of the few
    categories where the column is categorical, else of every value."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        cats = pd.util.hash_array(labels.cat.categories.astype(str).to_numpy(dtype=object))
        codes_ = labels.cat.codes.to_numpy()
        return np.where(codes_ >= 0, cats[codes_], np.uint64(_NA_CELL))
    return pd.util.hash_array(labels.astype("string").fillna("\x00").to_numpy(dtype=object))


def table_keys(table: str, t: pd.DataFrame) -> pd.DataFrame:
    """Each report's table 3 (``requests``) or 4 (``reviews_litigation``) summed up for
    :func:`copied_table_issues`: report_id, table, key (the sum of its cells' hashes, so the order of
    the rows does not matter; a cell hashed from its row's, column's and value's codes in numpy),
    cells, nonzero, unread. A few numbers per report, so that a year's large table 3 need not be held
    while its other checks run."""
    keys = dict((name, cols) for name, cols, _ in _KEYED)[table]
    value = pd.to_numeric(t["value"], errors="coerce").astype("Float64")
    # hashed from the cell's own row, column and value (not from codes of the rows at hand), so that
    # keys summed up a year or a few reports at a time compare
    number = value.to_numpy(dtype=np.float64, na_value=np.nan).view(np.uint64)
    number = np.where(value.isna().to_numpy(), np.uint64(_NA_CELL), number)
    h = _mix(_mix(_mix(_label_hash(t[keys[0]])) ^ _label_hash(t[keys[1]])) ^ number) % np.uint64(1 << 40)
    doc, ids = pd.factorize(t["report_id"])
    return pd.DataFrame(
        {
            "report_id": pd.array(ids, dtype="string"),
            "table": table,
            "key": _sum_by(doc, h.astype(np.int64), len(ids)),
            "cells": np.bincount(doc, minlength=len(ids)),
            "nonzero": _sum_by(doc, (value.fillna(0) != 0).to_numpy(dtype=np.int64), len(ids)),
            "unread": _sum_by(doc, value.isna().to_numpy(dtype=np.int64), len(ids)) > 0,
        }
    )


def copied_table_issues(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``corpus.copied_table`` warnings: table 3 or 4, with at least MIN_CELLS non-zero cells, identical
    cell for cell in two bodies' reports of one year (every cell read). The tables' keys are
    ``tables["table_keys"]`` where a save summed them up already (:func:`table_keys`), else made here."""
    reports = used_reports(tables)
    given = tables.get(TABLE_KEYS)
    parts = []
    for table, _cols, label in _KEYED:
        if given is not None:
            sig = given[given["table"] == table]
            sig = sig[sig["report_id"].isin(reports["report_id"])]
        else:
            t = tables[table]
            sig = table_keys(table, t[t["report_id"].isin(reports["report_id"])])
        sig = (
            sig[(sig["nonzero"] >= MIN_CELLS) & ~sig["unread"]]
            .drop(columns="table")
            .merge(reports, on="report_id")
        )
        same = ["year", "key", "cells"]
        sig = sig[sig.groupby(same)["bureau"].transform("nunique") > 1]
        if sig.empty:
            continue
        others = sig.groupby(same)["report_id"].agg(lambda ids: list(ids[:6])).to_dict()
        sizes = sig.groupby(same)["report_id"].size().to_dict()
        at = list(zip(sig["year"], sig["key"], sig["cells"], strict=True))
        sig = sig.assign(others=[others[k] for k in at], n_others=[sizes[k] - 1 for k in at])
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
