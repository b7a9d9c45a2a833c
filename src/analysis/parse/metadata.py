"""Report metadata: who reported (bureau, region, level), for which year, its title, when published.

Read from the paragraphs at the head of the Document (and its title, file name and dates).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.model.cn import CN_DIGITS, CN_ENUM, CN_YEAR_DIGITS, HAN, cn_to_int
from analysis.model.document import Document

from . import bureaus

# A year as a title prints it: a four-digit run of its own (2020, 二〇二〇), followed by 年.
YEAR = rf"(?<!\d)(?:19|20)\d{{2}}|[{CN_YEAR_DIGITS}]{{4}}"
# A number followed by 年, 月 or 日 (2021年, 二〇二〇年, 1月28日) is a date, never part of a body's name;
# any other number is (第12分局, 第一〇二五分局, 第十二中学, 12345热线): two bodies differing in it stay two.
DATE_PART = rf"[\d{CN_DIGITS}]+\s*[年月日]"
NAME_CHARS = rf"{HAN}\d〇○"  # (〇 and ○ are not in the Han block)
# one character of a body's name where no date starts
BODY_CHAR = rf"(?:(?!{DATE_PART})[{NAME_CHARS}（）()、·])"
# a name starts with a Han character or a bracket, neither inside a number (a time or code run together
# with it: "09:43平潭综合实验区…") nor at the end of a date ("1月28日平潭综合实验区…")
BODY_START = rf"(?![\d〇○]|(?<=[\d{CN_DIGITS}])[年月日])"

# Title: "<body> 2020 年(度)政府信息公开工作年度报告"
TITLE = re.compile(
    rf"(?P<body>(?:{BODY_START}{BODY_CHAR}+?)?)\s*(?P<year>{YEAR})\s*年\s*度?\s*(?:的)?\s*"
    r"(?P<kind>(?:政府)?(?:信息|政务)公开(?:工作)?(?:年度)?报告)"
)
# …or year first: "2019年上海市人民政府办公厅政府信息公开工作年度报告"
TITLE_YEAR_FIRST = re.compile(
    rf"^\s*(?:标题\s*[:：]?\s*)?(?P<year>{YEAR})\s*年\s*度?\s*"
    rf"(?!政府信息|政务公开|信息公开)(?P<body>{BODY_START}{BODY_CHAR}{{2,40}}?)\s*"
    r"(?P<kind>(?:政府)?(?:信息|政务)公开(?:工作)?(?:年度)?报告)"
)
# a sentence about the report ("市科委编制了2024年度…报告"), not its title
NOT_A_BODY = re.compile(r"(?:编制了?|制定了?|发布了?|印发了?|形成了?|根据|按照|依据|现将|特此|公布|向社会)$")
TITLE_PREFIXES = ("标题", "关于")
STAT_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|期间|区间)[^。]{0,12}?(?P<y1>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
    r"|(?P<y2>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-)\s*(?P=y2)\s*年\s*12\s*月\s*31\s*日"
)
COMPILED_BY = re.compile(
    rf"本报告由(?P<body>(?:(?!{DATE_PART})[{NAME_CHARS}]){{2,30}}?)(?:办公室)?(?:根据|依据|按照|编制|负责)"
)


def extract(doc: Document, paragraphs: list[str]) -> dict:
    """The reports row's bureau, bureau_as_printed, region, admin_level, alias_matched, year (with its
    year_source: text or filename), title and published date; None for what the report does not say.

    ``paragraphs`` are the Document's paragraph texts in order (wrapped lines joined, no table rows).
    """
    meta: dict = {
        "bureau": None,
        "bureau_as_printed": None,
        "region": None,
        "admin_level": None,
        "year": None,
        "title": None,
        "alias_matched": None,
        "published": None,
        "year_source": None,
    }
    head = paragraphs[:80]
    candidates: list[str] = []
    for i, p in enumerate(head):  # a title may be wrapped over two short lines: try the pair after both
        candidates.append(p[:300])
        if i and len(p) <= 40 and len(head[i - 1]) <= 40:
            candidates.append(head[i - 1] + p)
    if doc.title:
        candidates.append(re.split(r"[_|｜]| - ", doc.title)[0])
    printed = None
    for text in candidates:
        if "报告" not in text:  # (what both title patterns end with: a quick test before the slow search)
            continue
        m = TITLE.search(text)
        if not (m and _clean_body(m.group("body"))):
            m = TITLE_YEAR_FIRST.search(text) or m
        if m:
            meta["year"] = cn_to_int(m.group("year"))
            printed = _clean_body(m.group("body"))
            if m.re is TITLE:  # the title without whatever the body's cleaning took off (a breadcrumb)
                cut = m.group("body").find(printed) if printed else -1
                meta["title"] = text[m.start("body") + max(cut, 0) : m.end()].strip()
                meta["title"] = re.sub(r"^(?:标题)\s*[:：]?\s*", "", meta["title"])
            else:
                meta["title"] = text[m.start("year") : m.end()].strip()
            if printed:
                break
    context = "\n".join(([doc.title] if doc.title else []) + paragraphs[:60])[:5000]
    if meta["year"] is None:
        m = STAT_PERIOD.search(context)
        if m:
            meta["year"] = int(m.group("y1") or m.group("y2"))
    meta["year_source"] = "text" if meta["year"] is not None else None
    if meta["year"] is None:
        meta["year"] = filename_year(doc.path)
        meta["year_source"] = "filename" if meta["year"] is not None else None
    meta["published"] = doc.published or _published(paragraphs, doc.created)
    if not printed:
        m = COMPILED_BY.search(context)
        printed = m.group("body") if m else None
    if printed:
        who = bureaus.identify(printed, context)
        meta.update(
            bureau=who.canonical,
            bureau_as_printed=printed,
            region=who.region,
            admin_level=who.admin_level,
            alias_matched=who.alias_matched,
        )
    return meta


# a year in a file name: four digits standing alone, not part of a date (2021-01-29, 20210129) or a number
_NAME_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?!\d|\s*[-_./]\s*\d{1,2}\s*[-_./]\s*\d{1,2}|\s*月)")


def filename_year(path: Path) -> int | None:
    """The one year a file name states (``2020_luoyang.txt``, ``2020年度报告.pdf``), None if none or several."""
    years = {int(y) for y in _NAME_YEAR.findall(Path(path).stem)}
    return years.pop() if len(years) == 1 else None


# "发布时间：2024-03-08 15:34", "发布日期：2020-01-31", "时间：2020-01-20" printed by the page around the report
_PUBLISHED = re.compile(
    r"(?:发布|发表|公开|成文|更新)?(?:日期|时间)\s*[:：]\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
# the date the report is signed with, on a line of its own at the end: "2021年1月29日"
_SIGNED = re.compile(
    rf"^\s*(?:(?:(?!{DATE_PART})[{NAME_CHARS}（）()]){{2,40}}\s*)?({YEAR})\s*年\s*"
    rf"(\d{{1,2}}|[{CN_ENUM}]{{1,3}})\s*月\s*(\d{{1,2}}|[{CN_ENUM}]{{1,3}})\s*日\s*$"
)


def _published(paragraphs: list[str], created: str | None = None) -> str | None:
    """When the report was published (ISO): the page's 发布时间 line, else the date the file says it was
    made (a PDF's metadata: a corrected re-publication is made later), else the date it is signed with."""
    for text in paragraphs[:60]:
        if "日期" not in text and "时间" not in text:  # (a quick test before the slow search)
            continue
        m = _PUBLISHED.search(text)
        if m:
            return _iso(*m.groups())
    if created:
        return created
    for text in reversed(paragraphs[-15:]):
        m = _SIGNED.match(text)
        if m:
            return _iso(*m.groups())
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    y, mo, d = (cn_to_int(x) for x in (year, month, day))
    if not (y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# a breadcrumb printed before the title ("当前位置：首页 > 政务公开 > … > 年报"), its arrows often lost
BREADCRUMB = re.compile(
    r"^(?:(?:当前位置|您的位置|您现在的位置|所在位置)[:：]?)?(?:首页|主页|网站首页)"
    r"(?:[>›»/|｜\s]|政务公开|政府信息公开|信息公开|法定主动公开内容|主动公开|(?:政府信息)?公开年报|年度报告|工作年报|年报)*"
)


# …or just the last links of it, which end in the column's name (…政府信息公开年报)
BREADCRUMB_TAIL = re.compile(
    r"^(?:政务公开|政府信息公开|信息公开|法定主动公开内容|主动公开)*(?:政府信息)?(?:公开)?年报"
)


def _clean_body(body: str) -> str | None:
    body = BREADCRUMB_TAIL.sub("", BREADCRUMB.sub("", body.strip(" _-—、")))
    body = body.strip(" _-—、")
    for prefix in TITLE_PREFIXES:
        if body.startswith(prefix):
            body = body[len(prefix) :]
    body = re.sub(r"关于$", "", body).strip()
    if NOT_A_BODY.search(body):
        return None
    return _from_place(body) or None


# a number in a body's name (what digits and 〇 are; 一二三 are Han and always were part of names)
NUMBER = re.compile(r"[\d〇○]+")


def _from_place(body: str) -> str:
    """The name without a label and number run together before it ("浏览次数123平潭综合实验区财政金融局"):
    what follows a number when that starts with a place and the whole does not (第12分局 keeps its number)."""
    if not NUMBER.search(body) or bureaus.split_place(body)[0] is not None:
        return body
    for m in NUMBER.finditer(body):
        rest = body[m.end() :]
        if rest and bureaus.split_place(rest)[0] is not None:
            return rest
    return body
