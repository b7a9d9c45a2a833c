"""Narrative: metadata, channel volumes, rankings and sections, on the real reports.

How the manifest is compared (``test_manifest_metadata``): the manifest's ``bureau`` is the name as
the report prints it, so it must equal ``bureau_as_printed``, and it must be the canonical name or a
registry alias of ``bureau`` (洪泽区人民政府 → 淮安市洪泽区人民政府); ``region``, ``admin_level`` and
``year`` must equal the manifest's.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from analysis.model.cn import cn_to_int
from analysis.model.document import Document, Line
from analysis.parse import bureaus, narrative
from analysis.read import read_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


def _manifest() -> list[tuple[Path, dict]]:
    """Manifest rows with their files: the shared corpus when present, else the fixture copies."""
    if (CORPUS / "manifest.csv").is_file():
        base, manifest = CORPUS, CORPUS / "manifest.csv"
    else:
        base, manifest = None, FIXTURES / "manifest.csv"
    rows = []
    with manifest.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            path = base / row["file"] if base else FIXTURES / Path(row["file"]).name
            if path.is_file():
                rows.append((path, row))
    return rows


MANIFEST = _manifest()
_CACHE: dict[Path, narrative.Narrative] = {}


def story(path: Path) -> narrative.Narrative:
    if path not in _CACHE:
        _CACHE[path] = narrative.extract(read_document(path))
    return _CACHE[path]


def fixture(name: str) -> narrative.Narrative:
    return story(FIXTURES / name)


def volumes(n: narrative.Narrative) -> list[tuple]:
    return [(v["channel"], v["metric"], v["value"], v["unit"], v["approximate"]) for v in n.channel_volumes]


def ranks(n: narrative.Narrative) -> list[tuple]:
    return [(r["list_name"], r["platform"], r["rank"], r["rank_kind"], r["scope"]) for r in n.rankings]


# --------------------------------------------------------------------------- the seed


def test_seed_metadata():
    meta = fixture("2020_luoyang-tongjiju.txt").metadata
    assert meta == {
        "bureau": "洛阳市统计局",
        "bureau_as_printed": "洛阳市统计局",
        "region": "河南省洛阳市",
        "admin_level": "department",
        "year": 2020,
        "title": "洛阳市统计局 2020 年政府信息公开工作年度报告",
        "alias_matched": "洛阳市统计局",
        "published": None,  # the pasted text prints no 发布时间 and no signature date
        "year_source": "text",
    }


def test_seed_channel_volumes():
    n = fixture("2020_luoyang-tongjiju.txt")
    assert volumes(n) == [
        ("website", "items", 302, "条", False),
        ("website", "items", 218, "条", False),
        ("website", "items", 23, "条", False),
        ("weibo", "items", 160, "条", False),
        ("wechat", "articles", 209, "篇", False),
        ("press", "articles", 51, "篇", False),
    ]
    assert [v["label"] for v in n.channel_volumes[:3]] == [
        "主动公开信息",
        "工作动态信息",
        "数据发布及解读类信息",
    ]
    assert n.channel_volumes[0]["sentence"] == (
        "2020 年，通过洛阳统计信息网主动公开信息 302 条，其中，工作动态信息 218 条，数据发布及解读类信息 23 条。"
    )
    assert n.channel_volumes[5]["sentence"] == "在各类报刊杂志刊发文章 51 篇，扩大了统计影响力。"


def test_seed_rankings():
    n = fixture("2020_luoyang-tongjiju.txt")
    assert ranks(n) == [
        ("市级统计调查系统微信公众号综合影响力年榜", "wechat", 30, "exact", "市级"),
        ("全国统计调查系统微信公众号综合影响力年榜", "wechat", 73, "exact", "全国"),
        ("洛阳政务新媒体排行榜（周榜）", "wechat", 20, "top_n", "洛阳"),
    ]
    assert all(r["sentence"].endswith("同时稳居“洛阳政务新媒体排行榜（周榜）”前20位。") for r in n.rankings)


def test_seed_sections():
    sections = fixture("2020_luoyang-tongjiju.txt").sections
    assert [s["section"] for s in sections] == [1, 2, 3, 4, 5, 6]
    assert [s["heading"] for s in sections] == list(narrative.STANDARD_HEADINGS.values())
    assert sections[0]["text"].startswith("2020 年，市统计局认真学习贯彻落实")
    assert "位列“市级统计调查系统微信公众号综合影响力年榜”第30位" in sections[0]["text"]
    assert sections[1]["text"].startswith("第二十条第（一）项")
    assert sections[4]["text"].startswith("2020年，在市政务公开主管部门的关心指导")
    assert sections[5]["text"] == "无"


# --------------------------------------------------------------------------- other real reports


def test_huaian_pdf_volumes_without_rankings():
    n = fixture("2024_huaian-shizhengfu.pdf")
    assert volumes(n) == [
        ("website", "items", 5500, "条", True),  # 5500 余条
        ("policy_interpretation", "items", 21, "个", False),
        ("gazette", "issues", 6, "期", False),  # 《淮安市人民政府公报》6 期
        ("press_conference", "sessions", 12, "场", False),
        ("new_media_accounts", "accounts", 95, "个", False),
    ]
    assert n.channel_volumes[2]["label"] == "淮安市人民政府公报"
    assert n.rankings == []  # 合格率均为 100% is not a ranking
    assert n.metadata["bureau"] == "淮安市人民政府" and n.metadata["year"] == 2024


def test_hongze_pdf_canonical_name_is_region_qualified():
    n = fixture("2023_hongze-quzhengfu.pdf")
    assert volumes(n) == [("website", "items", 1136, "条", False)]
    meta = n.metadata
    assert (meta["bureau"], meta["bureau_as_printed"], meta["alias_matched"]) == (
        "淮安市洪泽区人民政府",
        "洪泽区人民政府",
        "洪泽区人民政府",
    )
    assert (meta["region"], meta["admin_level"], meta["year"]) == ("江苏省淮安市洪泽区", "district", 2023)


def test_pingtan_2025_html():
    n = fixture("2025_pingtan-zongheshiyanqu.html")
    assert volumes(n) == [
        ("website", "items", 7700, "条", True),
        ("website", "items", 2000, "条", True),
        ("wechat", "items", 672, "条", False),  # “平潭发布”公众号
        ("policy_interpretation", "articles", 82, "篇", False),
    ]


def test_legacy_new_media_accounts_and_items():
    n = fixture("2018_pingtan-zongheshiyanqu.txt")
    assert volumes(n) == [
        ("new_media_accounts", "accounts", 70, "个", False),
        ("weibo", "accounts", 29, "个", False),
        ("weibo", "items", 1992, "条", False),
        ("wechat", "accounts", 41, "个", False),
        ("wechat", "items", 3404, "条", False),
        ("new_media_accounts", "accounts", 70, "个", False),  # 目前，70个新媒体运行情况良好
    ]


def test_legacy_website_with_categories_and_weibo():
    n = fixture("2012_pingtan-zongheshiyanqu.txt")
    rows = volumes(n)
    assert rows[0] == ("website", "items", 3636, "条", False)  # “中国平潭网”门户网站公开政府信息3636条
    assert ("website", "items", 1913, "条", False) in rows
    assert ("other", "issues", 12, "期", False) in rows  # 刊出政务公开栏12期
    assert rows[-1] == (
        "weibo",
        "items",
        1288,
        "条",
        False,
    )  # 共发布微博1288条 (粉丝10659名 is not a release)
    assert all(v != 10659 for _, _, v, _, _ in rows)


def test_legacy_sections_map_to_the_six():
    sections = {s["section"]: s for s in fixture("2014_pingtan-zongheshiyanqu.txt").sections}
    assert sorted(sections) == [1, 2, 3, 5, 6]
    assert sections[1]["heading_as_printed"] == "一、概述"
    assert sections[5]["heading"] == "存在的主要问题及改进情况"
    assert sections[5]["heading_as_printed"] == "五、主要问题和改进措施"
    assert sections[6]["heading_as_printed"] == "四、政府信息公开的收费及减免情况"
    assert "指标名称" not in sections[5]["text"]  # 六、…统计表 is not one of the six
    dishui = {s["section"]: s["heading_as_printed"] for s in fixture("2013_pingtan-dishuiju.txt").sections}
    assert dishui == {
        1: "一、概述",
        2: "二、主动公开政府信息情况",
        3: "三、依申请公开、不予公开及咨询政府信息情况",
        4: "五、申请行政复议、提起行政诉讼和申诉的情况",
    }


def test_seed_as_docx_agrees_with_txt():
    docx, txt = fixture("2020_luoyang-tongjiju.docx"), fixture("2020_luoyang-tongjiju.txt")
    assert docx.metadata == txt.metadata
    assert docx.channel_volumes == txt.channel_volumes
    assert docx.rankings == txt.rankings
    assert [s["section"] for s in docx.sections] == [1, 2, 3, 4, 5, 6]
    assert docx.sections[0]["text"] == txt.sections[0]["text"]


def test_same_report_txt_and_html_agree():
    txt, html = fixture("2020_pingtan-zongheshiyanqu.txt"), fixture("2020_pingtan-zongheshiyanqu.html")
    assert txt.metadata == html.metadata
    assert [s["section"] for s in txt.sections] == [s["section"] for s in html.sections] == [1, 2, 3, 4, 5, 6]
    assert volumes(txt) == volumes(html)
    assert html.sections[5]["text"] == "无其他需要报告的事项"  # page chrome after the article is not kept


# --------------------------------------------------------------------------- every report in the manifest


def _printed_figure(value, unit: str) -> str:
    """The pattern of a figure as a report prints it: 302 条, 5500 余条, 18万余条."""
    forms = [re.escape(str(value))]
    if value >= 10_000 and value % 10_000 == 0:
        forms.append(re.escape(str(value // 10_000)) + r"\s*万")
    return rf"(?<![\d.])(?:{'|'.join(forms)})\s*(?:余|多)?\s*{re.escape(unit)}"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("path", "row"), MANIFEST, ids=[row["file"] for _, row in MANIFEST])
def test_manifest_metadata(path, row):
    meta = story(path).metadata
    assert meta["year"] == int(row["year"])
    assert meta["bureau_as_printed"] == row["bureau"]
    assert bureaus.identify(row["bureau"]).canonical == meta["bureau"]
    assert meta["region"] == row["region"]
    assert meta["admin_level"] == row["admin_level"]


@pytest.mark.parametrize(("path", "row"), MANIFEST, ids=[row["file"] for _, row in MANIFEST])
def test_manifest_figures_come_from_prose_sentences(path, row):
    doc = read_document(path)
    n = story(path)
    prose = _flat("".join(line.text for line in doc.lines if not line.is_row))
    table_rows = [_flat(line.text) for line in doc.lines if line.is_row]
    for rec in n.channel_volumes:
        sentence = rec["sentence"]
        assert re.search(_printed_figure(rec["value"], rec["unit"]), sentence), rec
        assert rec["channel"] in dict(narrative.CHANNEL_KEYWORDS)
        assert _flat(sentence) in prose, "a figure's sentence must be prose, not a table row"
        assert not any(_flat(sentence) in r for r in table_rows)
        assert not re.search(r"[\u4e00-\u9fff]\d{7,}", sentence), "cells run together: table residue"
    for rec in n.rankings:
        sentence = rec["sentence"]
        assert rec["list_name"] in sentence
        assert (
            str(rec["rank"]) in sentence
            or cn_to_int(re.search(r"[第前]([一二三四五六七八九十百]+)", sentence).group(1)) == rec["rank"]
        )
        assert _flat(sentence) in prose
    national = {s["section"]: s["text"] for s in n.sections if row["template"] != "legacy"}
    for rec in n.channel_volumes + n.rankings:
        for code in narrative.TABLE_SECTIONS:
            assert rec["sentence"] not in national.get(code, ""), "no figure from the statistical tables"


@pytest.mark.parametrize(("path", "row"), MANIFEST, ids=[row["file"] for _, row in MANIFEST])
def test_manifest_sections(path, row):
    sections = story(path).sections
    codes = [s["section"] for s in sections]
    assert codes == sorted(set(codes)) and codes[0] == 1
    if row["template"] != "legacy":
        assert codes == [1, 2, 3, 4, 5, 6]
    for s in sections:
        assert s["heading"] == narrative.STANDARD_HEADINGS[s["section"]]


def test_manifest_covers_every_format():
    formats = {row["format"] for _, row in MANIFEST}
    assert {"txt", "html", "pdf"} <= formats


# --------------------------------------------------------------------------- behaviour on made-up text


def _doc(paragraphs: list[str], rows: list[list[str]] = (), name: str = "report.txt", **kw) -> Document:
    lines = [Line([p]) for p in paragraphs] + [Line(r, is_row=True) for r in rows]
    return Document(path=Path(name), source_format="txt", sha256="0" * 64, lines=lines, **kw)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("通过政府网站发布信息18万余条。", [("website", "items", 180000, "条", True)]),
        ("通过微博发布信息近300条。", [("weibo", "items", 300, "条", True)]),
        ("在政府网站发布信息 300-400 条。", [("website", "items", 300, "条", True)]),
        ("发布抖音短视频 45 条。", [("douyin", "items", 45, "条", False)]),
        ("召开新闻发布会 3 次。", [("press_conference", "sessions", 3, "次", False)]),
        ("通过门户网站、微信公众号发布信息 500 条。", [("other", "items", 500, "条", False)]),
        # counts that are not release volumes
        ("截至目前我区政府网站共收到网友留言11条。", []),
        ("关停运营不规范的政府网站1个、政务新媒体2个。", []),
        ("共有9个单位的部门网站已迁移整合至门户网站集群。", []),
        ("2018年政府信息公开专栏访问量达108932人次。", []),
        ("全年组织 4 次政府信息公开栏目全覆盖检查。", []),
        ("发布第3期政府公报。", []),
    ],
)
def test_channel_volumes_sentences(sentence, expected):
    got = narrative.channel_volumes(sentence)
    assert [(v["channel"], v["metric"], v["value"], v["unit"], v["approximate"]) for v in got] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("在全省政府网站绩效评估中位列第5名。", [("全省政府网站绩效评估", "website", 5, "exact", "全省")]),
        (
            "“平潭发布”微信公众号位居全省政务新媒体影响力榜前十。",
            [("全省政务新媒体影响力榜", "wechat", 10, "top_n", "全省")],
        ),
        (
            "抖音号“平潭发布”在全国政务抖音号排行榜中位列第12位。",
            [("全国政务抖音号排行榜", "douyin", 12, "exact", "全国")],
        ),
        ("在第三方评估中获全省第2名。", [("第三方评估", "overall", 2, "exact", "全省")]),
        ("在省办四个季度政务新媒体检查抽查中，合格率均为 100%。", []),
        ("精心组织第十一届“中国统计开放日”。", []),
    ],
)
def test_rankings_sentences(sentence, expected):
    got = narrative.rankings(sentence)
    assert [(r["list_name"], r["platform"], r["rank"], r["rank_kind"], r["scope"]) for r in got] == expected


def test_table_rows_and_flattened_cells_never_give_figures():
    doc = _doc(
        [
            "洛阳市统计局2020年政府信息公开工作年度报告",
            "主动公开文件数条206912106其中：1.政府网站公开数条206912106",
        ],
        rows=[["通过微博发布信息", "160", "条"], ["“市级政务微博排行榜”", "第3位"]],
    )
    n = narrative.extract(doc)
    assert n.channel_volumes == [] and n.rankings == []
    residue = "指标名称计量单位2018年度 政府网站公开信息 120 条"
    assert narrative.extract(_doc([residue])).channel_volumes == []


def test_same_result_from_html_and_from_wrapped_pages(tmp_path):
    """The figures do not depend on the format: the seed as HTML and as wrapped PDF-like lines."""
    seed = read_document(FIXTURES / "2020_luoyang-tongjiju.txt")
    expected = narrative.extract(seed)
    html = "<html><head><title>t</title></head><body>" + "".join(
        "<table><tr>" + "".join(f"<td>{c}</td>" for c in ln.cells) + "</tr></table>"
        if ln.is_row
        else f"<p>{ln.text}</p>"
        for ln in seed.lines
    )
    (tmp_path / "seed.html").write_text(html + "</body></html>", encoding="utf-8")
    from_html = narrative.extract(read_document(tmp_path / "seed.html"))
    assert from_html.channel_volumes == expected.channel_volumes
    assert from_html.rankings == expected.rankings

    wrapped: list[Line] = []
    for i, ln in enumerate(seed.lines):
        page = 1 + i // 20
        if ln.is_row:
            wrapped.append(Line(ln.cells, is_row=True, page=page))
            continue
        text = ln.text
        wrapped += [Line([text[k : k + 27]], page=page) for k in range(0, len(text), 27)]
        if i % 20 == 19:
            wrapped.append(Line([f"- {page} -"], page=page))
    paged = Document(path=seed.path, source_format="pdf", sha256=seed.sha256, lines=wrapped)
    from_pages = narrative.extract(paged)
    assert volumes(from_pages) == volumes(expected)
    assert ranks(from_pages) == ranks(expected)
    assert from_pages.metadata == expected.metadata


def test_year_falls_back_to_the_statistics_period_then_the_filename():
    doc = _doc(["政府信息公开工作年度报告", "本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。"])
    assert narrative.extract(doc).metadata["year"] == 2018
    assert narrative.extract(_doc(["政府信息公开工作年度报告"], name="2017_x.txt")).metadata["year"] == 2017
    title = _doc(["平潭综合实验区二〇一九年度政府信息公开工作年度报告"])
    assert narrative.extract(title).metadata["year"] == 2019


def test_short_form_title_resolves_to_the_reporting_body():
    doc = _doc(["市统计局2020年政府信息公开工作年度报告", "2020 年，通过洛阳统计信息网主动公开信息 302 条。"])
    meta = narrative.extract(doc).metadata
    assert (meta["bureau"], meta["bureau_as_printed"], meta["region"]) == (
        "洛阳市统计局",
        "市统计局",
        "河南省洛阳市",
    )


def test_body_from_compiled_by_line_when_title_has_none():
    doc = _doc(
        ["2023 年政府信息公开工作年度报告", "本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。"]
    )
    meta = narrative.extract(doc).metadata
    assert (meta["bureau"], meta["year"], meta["region"]) == (
        "淮安市洪泽区人民政府",
        2023,
        "江苏省淮安市洪泽区",
    )


def test_breadcrumb_before_the_title_is_not_the_bureau(tmp_path):
    """A page printed to PDF keeps its breadcrumb, often without the arrows, in front of the title."""
    from analysis.report import extract_report

    page = tmp_path / "crumb.txt"
    page.write_text(
        "当前位置：首页政务公开政府信息公开政府信息公开年报平潭综合实验区2021年度政府信息公开工作年度报告\n"
        "一、总体情况\n2021年，我区认真贯彻落实《条例》。\n",
        encoding="utf-8",
    )
    report = extract_report(page).report
    assert (report["bureau"], report["bureau_as_printed"], report["year"]) == (
        "平潭综合实验区",
        "平潭综合实验区",
        2021,
    )


def test_year_first_titles_and_titles_wrapped_over_two_lines():
    doc = _doc(["2019年上海市人民政府办公厅政府信息公开工作年度报告", "一、总体情况"])
    meta = narrative.extract(doc).metadata
    assert (meta["bureau_as_printed"], meta["year"], meta["region"]) == (
        "上海市人民政府办公厅",
        2019,
        "上海市",
    )
    doc = _doc(
        [
            "2024 年上海市科委政府信息公开工作",
            "年度报告",
            "一、总体情况",
            "市科委编制了 2024 年度政务公开工作报告。",
        ]
    )
    meta = narrative.extract(doc).metadata
    assert (meta["bureau_as_printed"], meta["year"]) == ("上海市科委", 2024)
    assert meta["title"] == "2024 年上海市科委政府信息公开工作年度报告"


# ------------------------------------------------------------ fuzz regressions (benchmarks/fuzz.py)


def test_narrative_figure_of_hundreds_of_digits_is_skipped() -> None:
    """int(inf) in the figure of a release count raised OverflowError (narrative not read)."""
    from analysis.parse.narrative import channel_volumes, rankings

    figures = channel_volumes("通过政府网站主动公开信息" + "1" * 400 + "条，其中工作动态218条。")
    assert [f["value"] for f in figures] == [218]
    assert rankings("在全省政府网站绩效评估中排名第" + "9" * 30 + "名。") == []
