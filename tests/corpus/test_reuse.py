"""Copied text on real reports: the 2011 平潭县人民政府 and 平潭综合实验区 reports, near-identical, are
flagged (雷同); a department's report against its own previous one is measured and stays silent."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus.reuse import COPIED_OTHER, narrative_sentences, shingles, signatures

ZONE, COUNTY = "平潭综合实验区", "福州市平潭县人民政府"


def test_the_2011_pingtan_pair_is_flagged_both_ways(corpus_tables, found):
    tr = corpus_tables["text_reuse"]
    pair = tr[(tr["year"] == 2011) & (tr["relation"] == "same_year")].set_index("bureau")
    assert set(pair.index) == {ZONE, COUNTY}
    assert pair.loc[ZONE, "other_bureau"] == COUNTY and pair.loc[COUNTY, "other_bureau"] == ZONE
    assert (pair["share"] > 0.9).all()
    assert "政府信息公开工作专项经费" in pair.loc[ZONE, "examples"]
    for body in (ZONE, COUNTY):
        w = found(corpus_tables, "corpus.copied_text", body, 2011)
        assert len(w) == 1 and w.iloc[0]["severity"] == "warning"
        assert "another body's report of the same year" in w.iloc[0]["message"]


def test_own_previous_report_is_measured_below_the_threshold(corpus_tables, found):
    tr = corpus_tables["text_reuse"]
    body = "平潭综合实验区综合执法与应急管理局"
    row = tr[(tr["bureau"] == body) & (tr["year"] == 2024)]
    assert list(row["relation"]) == ["previous_report"] and list(row["other_year"]) == [2023]
    assert 0 < float(row["share"].iloc[0]) < COPIED_OTHER
    assert found(corpus_tables, "corpus.copied_text", body, 2024).empty
    # two bodies with different texts in one year are no candidates: no same-year row for 2024
    assert tr[(tr["year"] == 2024) & (tr["relation"] == "same_year")].empty


def test_template_wording_and_tables_are_not_narrative(corpus_tables):
    s = narrative_sentences(corpus_tables)
    assert not s["norm"].str.contains("本列数据的勾稽关系|申请人情况").any()
    assert not s["norm"].str.contains("[1-9]").any()  # digits masked: a copy with the year changed is a copy


def test_sentences_split_a_few_sections_at_a_time_are_the_same(corpus_tables, monkeypatch):
    """The text is split into sentences CHUNK sections at a time (memory bounded on a large year): in
    chunks of 3 sections, every sentence and its report come out as from all sections at once."""
    from analysis.corpus import reuse

    whole = narrative_sentences(corpus_tables)
    monkeypatch.setattr(reuse, "CHUNK", 3)
    chunked = narrative_sentences(corpus_tables)
    assert len(corpus_tables["sections"]) > 30 and len(whole) > 100
    pd.testing.assert_frame_equal(whole, chunked)


def test_names_are_left_out_as_a_regex_of_them_longest_first_would(corpus_tables):
    """A report's own names are removed by string search (no regex compiled per body): on every real
    sentence, and on random text over a few characters with overlapping names, the result is what
    ``re.sub`` with the names joined longest first gives (leftmost, then longest)."""
    import random
    import re

    from analysis.corpus import reuse

    def by_regex(text: str, names: tuple[str, ...]) -> str:
        return re.compile("|".join(map(re.escape, names))).sub(reuse.NAME_MASK, text) if names else text

    sent = narrative_sentences(corpus_tables)
    names = reuse.body_names(corpus_tables["reports"])
    changed = 0
    for rid, norm in zip(sent["report_id"], sent["norm"], strict=True):
        got = reuse.without_names(norm, names[rid])
        assert got == by_regex(norm, names[rid])
        changed += got != norm
    assert changed > 50
    rng = random.Random(5)
    chars = "平潭综合局我本区"
    for _ in range(3000):
        drawn = {"".join(rng.choices(chars, k=rng.randint(2, 4))) for _ in range(rng.randint(1, 6))}
        names_ = tuple(sorted(drawn, key=lambda n: (-len(n), n)))
        text = "".join(rng.choices(chars + "\x00", k=rng.randint(0, 40)))
        assert reuse.without_names(text, names_) == by_regex(text, names_), (text, names_)


def test_signatures_estimate_jaccard(corpus_tables):
    sets = shingles(narrative_sentences(corpus_tables))
    sig = signatures(sets)
    reports = corpus_tables["reports"].set_index("report_id")
    zone = next(r for r in sets if reports.at[r, "bureau"] == ZONE and reports.at[r, "year"] == 2011)
    county = next(r for r in sets if reports.at[r, "bureau"] == COUNTY and reports.at[r, "year"] == 2011)
    jaccard = len(np.intersect1d(sets[zone], sets[county])) / len(np.union1d(sets[zone], sets[county]))
    estimate = float(np.mean(sig[zone] == sig[county]))
    assert jaccard > 0.8 and abs(estimate - jaccard) < 0.15
    assert isinstance(pd.Series(sig[zone]).iloc[0], (int, np.integer))


def test_an_identical_table_3_in_two_bodies_of_one_year_is_flagged(corpus_tables):
    """The real 经济发展局 2022 table 3 given again as another body's: each report names the other;
    an all-zero table (综合执法 2023 and 2024) is trivial and never flagged."""
    from analysis.corpus.reuse import copied_table_issues

    t = {k: v.copy() for k, v in corpus_tables.items()}
    reports, requests = t["reports"], t["requests"]
    src = reports[(reports["bureau"] == "平潭综合实验区经济发展局") & (reports["year"] == 2022)].iloc[0]
    twin = src.copy()
    twin["report_id"], twin["bureau"], twin["source_path"] = "f" * 16, "某局", "twin.txt"
    t["reports"] = pd.concat([reports, twin.to_frame().T.astype(reports.dtypes)], ignore_index=True)
    cells = requests[requests["report_id"] == src["report_id"]].assign(report_id="f" * 16, bureau="某局")
    t["requests"] = pd.concat([requests, cells], ignore_index=True)
    got = copied_table_issues(t)
    assert sorted(got["bureau"]) == ["平潭综合实验区经济发展局", "某局"]
    assert set(got["location"]) == {"table 3"}
    assert "twin.txt" in got.set_index("bureau").at["平潭综合实验区经济发展局", "message"]
    assert copied_table_issues(corpus_tables).empty


def test_lsh_banding_is_datasketch_s(corpus_tables):
    """The bands grouped in pandas are the ones datasketch.MinHashLSH picks for the threshold, and find the
    same same-year pairs its index finds."""
    from datasketch import LeanMinHash, MinHashLSH
    from datasketch.lsh import _optimal_param

    from analysis.corpus import reuse
    from analysis.corpus.common import used_reports

    assert (reuse.BANDS, reuse.ROWS) == _optimal_param(reuse.LSH_THRESHOLD, reuse.NUM_PERM, 0.5, 0.5)
    reports = used_reports(corpus_tables)
    sets = reuse.shingle_sets(
        reuse.masked_sentences(narrative_sentences(corpus_tables))
    )  # as text_reuse pairs
    sig = reuse.signature_matrix(sets)
    ours = set(reuse._candidates(reports, sets, sig))
    theirs = set()
    for _, group in reports[reports["report_id"].isin(sets.index)].groupby("year"):
        lsh = MinHashLSH(threshold=reuse.LSH_THRESHOLD, num_perm=reuse.NUM_PERM)
        mh = {
            r: LeanMinHash(seed=1, hashvalues=sig[sets.index[r]], scheme="affine64")
            for r in group["report_id"]
        }
        for r, m in mh.items():
            lsh.insert(r, m)
        body = dict(zip(group["report_id"], group["bureau"], strict=True))
        theirs |= {(r, o) for r, m in mh.items() for o in lsh.query(m) if body[o] != body[r]}
    assert ours == theirs and len(ours) == 2  # the 2011 平潭 pair, both ways


def test_a_copy_that_names_its_own_body_in_every_sentence_is_found(corpus_tables):
    """The real 经济发展局 2023 narrative given again as 淮安市洪泽区交通运输局's, the copier's full name in
    every clause (for 我局 and the source's name, and before each clause that names no one): with each
    report's own names left out the copy is the source again, and is flagged both ways (before, LSH never
    paired them: no same-year row at all)."""
    from analysis.corpus.reuse import copied_text_issues, text_reuse

    copier, region = "淮安市洪泽区交通运输局", "江苏省淮安市洪泽区"
    t = {k: v.copy() for k, v in corpus_tables.items()}
    reports, sections = t["reports"], t["sections"]
    src = reports[(reports["bureau"] == "平潭综合实验区经济发展局") & (reports["year"] == 2023)].iloc[0]
    twin = src.copy()
    twin["report_id"], twin["source_path"] = "f" * 16, "copy.txt"
    twin["bureau"], twin["bureau_as_printed"], twin["region"] = copier, copier, region
    t["reports"] = pd.concat([reports, twin.to_frame().T.astype(reports.dtypes)], ignore_index=True)

    def named(text: str) -> str:
        for own_name in ("平潭综合实验区经济发展局", "区经济发展局", "我局"):
            text = text.replace(own_name, copier)
        return "，".join(p if not p or copier in p else copier + p for p in text.split("，"))

    own = sections[sections["report_id"] == src["report_id"]]
    copy = own.assign(report_id="f" * 16, bureau=copier, text=own["text"].map(named, na_action="ignore"))
    assert copy["text"].str.count(copier).sum() > 20
    t["sections"] = pd.concat([sections, copy], ignore_index=True)
    reuse = text_reuse(t)
    pair = reuse[(reuse["relation"] == "same_year") & (reuse["year"] == 2023)].set_index("report_id")
    assert set(pair.index) == {"f" * 16, src["report_id"]}
    assert pair.loc["f" * 16, "other_report_id"] == src["report_id"] and (pair["share"] >= 0.9).all()
    issues = copied_text_issues(reuse, t["reports"])
    assert set(issues[issues["year"] == 2023]["report_id"]) == {"f" * 16, src["report_id"]}


def test_text_reuse_a_few_reports_at_a_time_is_the_one_pass_reading(corpus_tables, monkeypatch):
    """Text reuse holds REPORTS_AT_ONCE reports' sentences at a time (two passes: template wording
    counted on hashes first, then the shingle sets): with two reports at a time or all at once, the
    rows are the same, and each share is the one the sentences of :func:`narrative_sentences` (all
    held at once) give."""
    from analysis.corpus import reuse

    monkeypatch.setattr(reuse, "REPORTS_AT_ONCE", 10**6)
    whole = reuse.text_reuse(corpus_tables)
    monkeypatch.setattr(reuse, "REPORTS_AT_ONCE", 2)
    few = reuse.text_reuse(corpus_tables)
    assert len(whole) >= 9 and whole["examples"].notna().any()
    pd.testing.assert_frame_equal(whole, few)
    sent = narrative_sentences(corpus_tables)
    own, other = shingles(sent), shingles(reuse.masked_sentences(sent))
    for a, b, relation, share in whole[["report_id", "other_report_id", "relation", "share"]].itertuples(
        index=False
    ):
        on = own if relation == "previous_report" else other
        assert share == round(reuse._share(on[a], on[b]), 4), (a, b, relation)
