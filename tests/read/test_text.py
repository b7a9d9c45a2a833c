"""The text reader on damaged bytes. Found by ``benchmarks/fuzz.py`` (mutated real reports), minimized and built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.model.document import ReadError
from analysis.report import extract_report

FIXTURES = Path(__file__).parents[1] / "fixtures"


def damaged(data: bytes, near: str, byte: int = 0xFF) -> bytes:
    """The bytes with the first byte of the UTF-8 text ``near`` replaced."""
    at = data.index(near.encode("utf-8"))
    return data[:at] + bytes([byte]) + data[at + 1 :]


def test_utf8_report_with_one_damaged_byte_is_read(tmp_path: Path) -> None:
    """One byte invalid in UTF-8 and GB18030 made the whole report "not readable text"."""
    good = FIXTURES / "2020_luoyang-tongjiju.txt"
    path = tmp_path / good.name
    path.write_bytes(damaged(good.read_bytes(), "有章可循"))
    report, original = extract_report(path), extract_report(good)
    assert report.report["bureau"] == original.report["bureau"] == "洛阳市统计局"

    def values(r):  # noqa: ANN001, ANN202
        return [(v["row"], v["applicant"], v["value"]) for v in r.requests]

    assert values(report) == values(original) and len(values(report)) > 100
    assert [
        i["check"] for i in report.issues if i["severity"] == "warning" and "decoded" in i["message"]
    ] == ["encoding.damaged"]


def test_damaged_byte_does_not_make_a_report_of_other_text(tmp_path: Path) -> None:
    """The reader's warning about the damaged byte is no reason to take a news item for a report."""
    path = tmp_path / "news.txt"
    path.write_bytes(damaged("本局召开会议，研究部署下一阶段工作。\n".encode() * 20, "研究"))
    with pytest.raises(ReadError, match="not an information-disclosure annual report"):
        extract_report(path)


def test_utf16_text_cut_in_the_middle_of_a_character(tmp_path: Path) -> None:
    """An odd number of UTF-16 bytes raised UnicodeDecodeError."""
    good = FIXTURES / "2020_luoyang-tongjiju.txt"
    data = good.read_text(encoding="utf-8").encode("utf-16")[:-1]
    from analysis.read import text as read_text

    doc = read_text.read(tmp_path / "r.txt", data)
    assert doc.lines and [p["check"] for p in doc.problems] == ["encoding.damaged"]


def test_a_crawlers_header_gives_title_date_and_address_and_its_navigation_is_dropped() -> None:
    """平潭 2021 page.txt: 标题/发布时间/原文链接 lines above '==== 正文 ====', then the site's
    navigation (当前位置： 首页… 相关链接： -->) before the article; the page.html twin says the same."""
    from analysis.read import read_document
    from analysis.report import extract_report

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    doc = read_document(fixtures / "2021_pingtan-zongheshiyanqu.txt")
    assert doc.title == "平潭综合实验区2021年度政府信息公开工作年度报告"
    assert doc.published == "2022-02-08"
    assert doc.source_url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm"
    assert doc.lines[0].text == doc.title
    assert doc.lines[1].text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert not any(k in doc.text for k in ("发布机构", "本地目录", "links.tsv", "当前位置", "QQ空间"))
    text, html = (
        extract_report(fixtures / f"2021_pingtan-zongheshiyanqu.{ext}").report for ext in ("txt", "html")
    )
    for key in ("bureau", "year", "title", "published", "source_url"):
        assert text[key] == html[key], key


def test_text_that_only_looks_like_a_header_is_kept_whole(tmp_path: Path) -> None:
    from analysis.read.text import crawler_header

    text = "标题: 某局2020年报\n说明：这不是抓取的页头\n==================== 正文 ====================\n正文"
    assert crawler_header(text) == ({}, text)
    assert crawler_header("某局2020年报\n正文") == ({}, "某局2020年报\n正文")
