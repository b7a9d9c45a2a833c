"""Body names that print a number (第12分局, 第3派出所, 第一〇二五分局, 第十二中学, 12345热线): the whole
name is the bureau, the year is still the title's, and two bodies differing only in the number stay two.

Each case is a real report (data/raw, tests/fixtures) with only its body's name changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import Report, extract_report

ROOT = Path(__file__).resolve().parents[2]
# a crawled 平潭 department report (its text run together on one line) and the Luoyang seed (tables tab-separated)
CRAWLED = ROOT / "data" / "raw" / "2020_pingtan-caizhengjinrongju.txt"
CRAWLED_BODY = "平潭综合实验区财政金融局"
SEED = ROOT / "tests" / "fixtures" / "2020_luoyang-tongjiju.txt"
SEED_BODY = "洛阳市统计局"
# the 沭阳 report (markdown), signed on its own last lines: body, then date
SIGNED = ROOT / "tests" / "fixtures" / "extra" / "2025_shuyang-xianzhengfu-md.txt"
SIGNED_BODY = "沐阳县人民政府"  # (printed 沐阳, SOURCES.md)

PINGTAN_NAMES = [
    "平潭综合实验区公安局第12分局",
    "平潭综合实验区第3派出所",
    "平潭综合实验区公安局第一〇二五分局",
    "平潭综合实验区第十二中学",
    "平潭综合实验区12345政务服务热线办公室",
    "平潭综合实验区公安局第2019分局",  # four digits that are no year: 年 does not follow
]


def renamed(source: Path, body: str, name: str, tmp_path: Path) -> Report:
    """The report at ``source`` with every ``body`` in its text replaced by ``name``, read (from a file
    whose name has no year: the year must come from the text)."""
    text = source.read_text(encoding="utf-8")
    assert body in text
    path = tmp_path / name / f"report{source.suffix}"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace(body, name), encoding="utf-8")
    return extract_report(path)


@pytest.fixture(scope="module")
def crawled() -> Report:
    return extract_report(CRAWLED)


@pytest.mark.parametrize("name", PINGTAN_NAMES)
def test_a_number_in_a_pingtan_bodys_name_is_kept(name: str, crawled: Report, tmp_path: Path) -> None:
    rep = renamed(CRAWLED, CRAWLED_BODY, name, tmp_path)
    r = rep.report
    assert (r["bureau"], r["bureau_as_printed"]) == (name, name)
    assert (r["region"], r["admin_level"]) == ("福建省平潭综合实验区", "department")
    assert r["year"] == 2020
    assert r["title"] == f"{name}2020年度政府信息公开工作年度报告"
    # the rest of the report reads as before: same status, same cells
    assert r["parse_status"] == crawled.report["parse_status"]
    assert [x["value"] for x in rep.requests] == [x["value"] for x in crawled.requests]


@pytest.mark.parametrize("name", ["洛阳市公安局第12分局", "洛阳市第3派出所", "洛阳市第一〇二五中学"])
def test_a_number_in_a_city_departments_name_is_kept(name: str, tmp_path: Path) -> None:
    """The seed's title prints spaces around its year: 洛阳市统计局 2020 年政府信息公开工作年度报告."""
    r = renamed(SEED, SEED_BODY, name, tmp_path).report
    assert (r["bureau"], r["bureau_as_printed"], r["region"]) == (name, name, "河南省洛阳市")
    assert (r["year"], r["parse_status"]) == (2020, "ok")


@pytest.mark.parametrize(
    "pair",
    [
        ("平潭综合实验区公安局第12分局", "平潭综合实验区公安局第13分局"),
        ("平潭综合实验区公安局第一〇二五分局", "平潭综合实验区公安局第一〇二六分局"),
        ("平潭综合实验区第3派出所", "平潭综合实验区第4派出所"),
        ("平潭综合实验区第十二中学", "平潭综合实验区第十三中学"),
    ],
)
def test_two_bodies_differing_only_in_their_number_are_two_bureaus(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    bureaus = [renamed(CRAWLED, CRAWLED_BODY, name, tmp_path).report["bureau"] for name in pair]
    assert bureaus == list(pair)


def test_a_signature_line_with_a_number_in_its_name_dates_the_report(tmp_path: Path) -> None:
    """The 沭阳 report signed on one line ("<body> 2026年1月23日"), its body with a number in its name:
    the date is still read as when it was published (it prints no 发布时间)."""
    name = "沐阳县公安局第12分局"
    text = SIGNED.read_text(encoding="utf-8").rstrip()
    signature = f"{SIGNED_BODY}\n2026年1月23日"
    assert text.endswith(signature)
    path = tmp_path / "report.txt"
    path.write_text(
        text[: -len(signature)].replace(SIGNED_BODY, name) + f"{name} 2026年1月23日\n", encoding="utf-8"
    )
    r = extract_report(path).report
    assert (r["bureau"], r["year"], r["published"]) == (name, 2025, "2026-01-23")


@pytest.mark.parametrize(
    ("text", "body"),
    [
        # a time run together with the title (a crawled page's header) is not part of the name
        ("时间：2021-01-28 09:43平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", CRAWLED_BODY),
        # nor a label and number run together with it
        ("网站标识码3501280001平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", CRAWLED_BODY),
        ("浏览次数：123平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", CRAWLED_BODY),
        # nor is a date before it, in digits or in Chinese numerals, nor what precedes the date
        ("2021年1月28日平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", CRAWLED_BODY),
        ("二〇二一年一月二十八日平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", CRAWLED_BODY),
        ("发布于2021年1月28日平潭综合实验区财政金融局2020年度政府信息公开工作年度报告", CRAWLED_BODY),
        # …while a year-first title's body keeps its number
        ("2020年平潭综合实验区公安局第12分局政府信息公开工作年度报告", "平潭综合实验区公安局第12分局"),
    ],
)
def test_numbers_around_the_name_are_not_part_of_it(text: str, body: str, tmp_path: Path) -> None:
    source = CRAWLED.read_text(encoding="utf-8")
    title = f"{CRAWLED_BODY}2020年度政府信息公开工作年度报告"
    path = tmp_path / "report.txt"
    path.write_text(source.replace(f"标题: {title}", f"标题: {text}"), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(CRAWLED_BODY, body), encoding="utf-8")
    r = extract_report(path).report
    assert (r["bureau_as_printed"], r["year"]) == (body, 2020)


def test_a_body_named_only_by_who_compiled_the_report_keeps_its_number(tmp_path: Path) -> None:
    """The 淮安 report (tests/fixtures/bad/thousands.txt: the city's PDF as text) without its title's first
    line, so that only "本报告由<body>办公室根据…" names the body; that name with a number in it."""
    name = "淮安市公安局第12分局"
    source = ROOT / "tests" / "fixtures" / "bad" / "thousands.txt"
    text = source.read_text(encoding="utf-8")
    assert text.startswith(
        "淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室根据"
    )
    path = tmp_path / "report.txt"
    path.write_text(text.split("\n", 1)[1].replace("淮安市人民政府", name), encoding="utf-8")
    r = extract_report(path).report
    assert (r["bureau"], r["bureau_as_printed"], r["region"]) == (name, name, "江苏省淮安市")
    assert (r["year"], r["parse_status"]) == (2024, "ok")
