"""What the narrative says: channel volumes, rankings and the six sections; :func:`extract` also
hands the paragraphs to :mod:`.metadata` for the report's title, bureau, year and dates.

Works on the Document's normalized lines only (paragraphs vs table rows), so it behaves the same
for every format. Table rows never produce channel or ranking rows; paragraphs that are a
flattened table (cells run together, as in crawled page text) are recognised and skipped too.
The patterns (headings, channel keywords, counter words, list words) are the module-level tables
below, so a new wording is a new table entry, not new code.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from analysis.model.cn import CN_DIGITS, CN_ENUM, ENUMERATED, HAN, PAGE_NUMBER, cn_to_int
from analysis.model.document import Document
from analysis.model.values import MAX_VALUE

from . import bureaus, metadata

# --------------------------------------------------------------------------- pattern tables

# The six sections of the national format, with the wordings of older reports that map to them.
# Code 0: a part that is none of the six (its text ends the previous section but is not kept).
SECTION_HEADINGS: tuple[tuple[int, str], ...] = (
    (1, r"总体情况|概述|概况|基本情况"),
    (2, r"主动公开政府信息(?:的)?(?:工作)?情况"),
    (
        3,
        r"收到和处理政府信息公开申请(?:的)?情况|依申请公开、不予公开及咨询政府信息(?:的)?情况"
        r"|(?:政府信息)?依申请公开(?:政府信息)?(?:的)?(?:工作|办理)?(?:的)?情况",
    ),
    (
        4,
        r"政府信息公开行政复议、?行政诉讼(?:的)?情况"
        r"|(?:因政府信息公开)?(?:申请)?(?:提起)?行政复议、?(?:提起)?行政诉讼(?:和申诉)?(?:的)?情况",
    ),
    (
        5,
        r"(?:政府信息公开工作)?存在的?主要问题(?:及|和|与)改进(?:情况|措施)|主要问题(?:及|和|与)改进(?:情况|措施)",
    ),
    (6, r"其他需要报告的事项|(?:政府信息公开的?)?收费(?:及|和)减免(?:的)?情况"),
    (
        0,
        rf"重点领域政府信息公开(?:工作)?情况|[{HAN}]{{0,16}}政府信息公开情况统计表|审批事项及处理情况"
        r"|工作人员及信息公开事务支出情况",
    ),
)
STANDARD_HEADINGS: dict[int, str] = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
# Section 3's heading in the 2019+ national format: its sections 二–四 are the statistical tables.
NATIONAL_FORMAT_MARK = "收到和处理政府信息公开申请"
TABLE_SECTIONS = (2, 3, 4)
# Unnumbered boundaries that end a section (attachments with the statistics table).
SECTION_BOUNDARIES: tuple[str, ...] = (r"附件\s*\d*\s*[:：]",)
# Web-page chrome after the article: a paragraph starting with these ends the last section.
PAGE_CHROME = re.compile(
    r"^\s*(?:附件下载|相关附件|扫一扫|【?打印|【?关闭|相关链接|网站标识码|版权所有|主办单位|分享到|上一篇|下一篇)"
)

# Where something was released: channel code → keywords (longest match wins).
CHANNEL_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("press_conference", "新闻发布会|发布会|新闻通气会|吹风会"),
    ("policy_interpretation", "政策解读|解读材料|解读文章|解读稿件|解读稿|图解"),
    ("gazette", "政府公报|公报|政报"),
    ("new_media_accounts", "政务新媒体|新媒体"),
    ("wechat", "微信公众号|微信公众平台|公众号|微信号|微信"),
    ("weibo", "政务微博|微博"),
    ("douyin", "抖音号|抖音|快手|短视频|视频号"),
    ("website", "门户网站|政府网站|网站|信息网|政府网|官网|门户网|互联网|网页"),
    ("press", "报刊|报纸|杂志|日报|晚报|时报|报社|刊物"),
    (
        "other",
        "政务公开栏|公开栏(?!目)|宣传栏|公示栏|电子屏|显示屏|LED屏|客户端|APP|头条号|今日头条|简报|在线访谈"
        "|电视|广播",
    ),
)
# Counter word → what is counted, and which counters each channel may use (others are not volumes).
COUNTER_METRICS: dict[str, str] = {
    "条": "items",
    "则": "items",
    "篇": "articles",
    "期": "issues",
    "场": "sessions",
    "次": "sessions",
    "个": "items",
    "部": "items",
}
CHANNEL_METRICS: dict[tuple[str, str], str] = {  # (channel, counter) → metric where it differs
    ("new_media_accounts", "个"): "accounts",
    ("weibo", "个"): "accounts",
    ("wechat", "个"): "accounts",
    ("douyin", "个"): "accounts",
    ("website", "个"): "sites",
    ("douyin", "部"): "videos",
}
CHANNEL_COUNTERS: dict[str, str] = {
    "website": "条则篇个",
    "weibo": "条则篇个",
    "wechat": "条则篇个期",
    "douyin": "条则篇个部",
    "press": "篇条则期",
    "press_conference": "场次期",
    "policy_interpretation": "篇条则个期部",
    "gazette": "期",
    "new_media_accounts": "个条则篇",
    "other": "条则篇期场个",
}
# A figure: optional approximation word, number (range, 万), approximation, counter word.
FIGURE = re.compile(
    r"(?:(?P<pre>近|约|超过|超|逾|大约)\s*)?(?<![\d.．第])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?:\s*(?P<range>[-~～—至到])\s*(?P<num2>\d+(?:\.\d+)?))?"
    r"\s*(?P<mult>万|千|亿)?\s*(?P<approx>余|多)?\s*(?P<counter>[条则篇期场次个部])(?P<post>左右|以上)?"
)
MULTIPLIERS = {"万": 10_000, "千": 1_000, "亿": 100_000_000}
# What may follow a counter word in a release figure (punctuation, or what was released).
FOLLOWERS = re.compile(
    r"(?:$|[\s，。；、,.;：:）)」”’\"《“]|(?:政府|政务|各类|相关|原创)?(?:信息|新闻|文章|稿件|动态|政策|解读|视频|作品"
    r"|推文|图文|内容|消息|公告|微博|新媒体|账号|帐号|公众号|网站|发布会|简报)|中|等)"
)
# A clause with these words counts something other than releases (messages received, closures …).
NOT_RELEASES = re.compile(
    r"收到|留言|咨询|投诉|访问|浏览|点击|阅读量|阅读数|粉丝|关注|申请|受理|办结|关停|注销|关闭|下线|清理"
    r"|整改|迁移|整合|检查|抽查|巡查|监测|错误|错情|错别字|新开设|新开通|新增|回复|答复|转办"
)
CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
SENTENCE_END = "。！？!?"
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_END)}]")

# Rankings: the rank, and the words a list's name carries.
RANK = re.compile(
    r"(?:(?P<verb>排名|排行|位列|位居|名列|居于|稳居|荣获|获得|获评|获|居|列)\s*(?P<vscope>全国|全省|全市|全区|全县|同级|同类|省级|市级)?\s*)?"
    rf"(?P<kind>第|前)\s*(?P<n>\d+|[{CN_DIGITS}]+)\s*(?P<unit>位|名)?"
)
LIST_WORDS = "榜|排行|排名|评估|评价|测评|评比|考核|考评|评选|指数|检测|排序"
QUOTED = re.compile(r"“([^“”]{2,60})”|《([^《》]{2,60})》|「([^「」]{2,60})」|\"([^\"]{2,60})\"")
UNQUOTED_LIST = re.compile(
    rf"(?P<name>[^，。；、“”《》\s]{{2,40}}?(?:{LIST_WORDS})(?:[（(][^）)]{{1,8}}[）)]|结果|名单|榜单)?)(?:中|上|里|内)?\s*$"
)
# Words before an unquoted list name that are not part of it (subject and verb: 公众号位居|在)
LIST_NAME_LEAD = re.compile(
    r".*(?:在|于|从|位居|位列|名列|稳居|荣获|获得|获评|入选|进入|跻身|列入|排名|居于)"
)
# A rank with neither 位/名 nor a verb counts only right after a list's name (影响力榜前十)
LIST_END = re.compile(
    rf"(?:{LIST_WORDS})(?:[（(][^）)]{{1,8}}[）)]|结果|名单|榜单)?(?:中|上|里|内)?[”》」\"]?\s*$"
)
PLATFORM_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("wechat", "微信|公众号"),
    ("weibo", "微博"),
    ("douyin", "抖音|短视频|视频号"),
    ("website", "网站|门户"),
)
CHANNEL_PLATFORM = {"website": "website", "weibo": "weibo", "wechat": "wechat", "douyin": "douyin"}
SCOPE_WORDS = re.compile(r"全国|全省|全市|全区|全县|省级|市级|县级|区级|省直|市直|中央|国家级|同级|同类")

# A paragraph (or sentence) that is table residue: header labels or cells run together.
TABLE_SIGNATURES = re.compile(
    r"指标名称|计量单位|第二十条第|信息内容\s*本年|本年新制作数量|本年制发件数|申请人情况|勾稽关系"
    r"|结果维持\s*结果纠正"
)
# …or seven digits or more right after a character (cells run together): searched for from the digits
# (a pattern opening with a class of every character is tried at every position; one opening with a
# digit lets the engine skip to the next digit, so the character before it is looked at from there)
TABLE_DIGITS = re.compile(rf"\d(?<=[{HAN}]\d)\d{{6}}")


@dataclass
class Narrative:
    """What the narrative says: metadata for the reports row and the narrative tables."""

    metadata: dict = field(default_factory=dict)  # the reports row's fields: see metadata.extract
    channel_volumes: list[dict] = field(default_factory=list)
    rankings: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)


@dataclass
class _Block:
    text: str
    is_row: bool
    start: int  # offset in the stream


@dataclass
class _Sentence:
    text: str
    start: int
    section: int | None  # 0–6, None before the first heading


# --------------------------------------------------------------------------- entry point


def extract(doc: Document) -> Narrative:
    """Read metadata, channel volumes, rankings and sections from a Document's lines."""
    blocks, stream = _blocks(doc)
    headings = _headings(blocks)
    sentences = _sentences(blocks, headings)
    national = any(NATIONAL_FORMAT_MARK in h[3] for h in headings)
    usable = [
        s for s in sentences if not (national and s.section in TABLE_SECTIONS) and not _is_residue(s.text)
    ]
    return Narrative(
        metadata=metadata.extract(doc, [b.text for b in blocks if not b.is_row]),
        channel_volumes=[v for s in usable for v in channel_volumes(s.text)],
        rankings=[r for s in usable for r in rankings(s.text)],
        sections=_sections(stream, headings),
    )


# --------------------------------------------------------------------------- text stream


def _blocks(doc: Document) -> tuple[list[_Block], str]:
    """Paragraphs and rows in order; a paginated source's wrapped lines are joined into paragraphs."""
    paginated = any(line.page is not None for line in doc.lines)
    texts: list[tuple[str, bool]] = []
    for line in doc.lines:
        if line.is_row:
            text = line.text
            if text.strip():
                texts.append((text, True))
            continue
        text = line.text.strip()
        if not text:
            continue
        if paginated and PAGE_NUMBER.match(text):
            continue
        if paginated and texts and not texts[-1][1] and _continues(texts[-1][0], text):
            texts[-1] = (_join(texts[-1][0], text), False)
        else:
            texts.append((text, False))
    blocks, pos = [], 0
    for text, is_row in texts:
        blocks.append(_Block(text, is_row, pos))
        pos += len(text) + 1
    return blocks, "\n".join(t for t, _ in texts)


def _continues(prev: str, line: str) -> bool:
    """Does ``line`` continue the paragraph ``prev`` (a wrapped line) rather than start a new one?"""
    if prev[-1] in SENTENCE_END + "；;：:" or ENUMERATED.match(line):
        return False
    if ENUMERATED.match(prev) and len(prev) <= 30:  # a heading on its own line
        return False
    return not _HEADING_LINE.fullmatch(prev)


# a numbered section heading alone on its line
_HEADING_LINE = re.compile(
    rf"[{CN_ENUM}]{{1,2}}\s*[、．.]\s*(?:" + "|".join(f"(?:{p})" for _, p in SECTION_HEADINGS) + r")\s*"
)


def _join(a: str, b: str) -> str:
    sep = " " if a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha() else ""
    return a + sep + b


# --------------------------------------------------------------------------- sections


_HEADING = re.compile(
    rf"(?<![{CN_ENUM}])(?P<num>[{CN_ENUM}]{{1,2}})\s*[、．.]\s*(?P<topic>"
    + "|".join(f"(?:{p})" for _, p in SECTION_HEADINGS)
    + ")"
)
# what every _HEADING match holds (a numeral, then its mark): a quick test before the slow search
_NUMERAL_MARK = re.compile(rf"[{CN_ENUM}]\s*[、．.]")


def _may_number(text: str) -> bool:
    """Could ``_HEADING`` find a numbered heading in the text?"""
    return _NUMERAL_MARK.search(text) is not None


_BARE_HEADING = re.compile(
    r"^\s*(?P<topic>" + "|".join(f"(?:{p})" for _, p in SECTION_HEADINGS) + r")\s*[:：]?\s*$"
)
_BOUNDARY = re.compile("|".join(SECTION_BOUNDARIES))


_SECTION_PATTERNS = tuple((code, re.compile(pattern)) for code, pattern in SECTION_HEADINGS)


def _section_code(topic: str) -> int:
    for code, pattern in _SECTION_PATTERNS:
        if pattern.fullmatch(topic):
            return code
    return 0


def _headings(blocks: list[_Block]) -> list[tuple[int, int, int, str]]:
    """Section headings as (stream start, stream end, code, printed heading), numerals increasing."""
    found: list[tuple[int, int, int, str, int]] = []
    for b in blocks:
        if b.is_row:
            continue
        for m in _HEADING.finditer(b.text) if _may_number(b.text) else ():
            found.append(
                (
                    b.start + m.start(),
                    b.start + m.end(),
                    _section_code(m.group("topic")),
                    m.group(0),
                    cn_to_int(m.group("num")) or 0,
                )
            )
        m = _BARE_HEADING.match(b.text)
        if m and not any(f[0] == b.start for f in found):
            found.append(
                (
                    b.start,
                    b.start + len(b.text),
                    _section_code(m.group("topic")),
                    m.group("topic").strip(),
                    -1,
                )
            )
        for m in _BOUNDARY.finditer(b.text):
            found.append((b.start + m.start(), b.start + m.end(), 0, m.group(0), -1))
        if PAGE_CHROME.match(b.text):
            found.append((b.start, b.start + len(b.text), 0, b.text, -1))
    found.sort()
    kept, last = [], 0
    for start, end, code, printed, num in found:
        if num == -1 or num > last:  # numbered headings go up: 一、二、三 … (table rows restart at 一)
            kept.append((start, end, code, printed))
            last = max(last, num)
    return kept


def _sections(stream: str, headings: list[tuple[int, int, int, str]]) -> list[dict]:
    """The six sections' text, each under its normalized heading (legacy wordings mapped to the six)."""
    out: dict[int, dict] = {}
    for i, (_start, end, code, printed) in enumerate(headings):
        if not code:
            continue
        stop = headings[i + 1][0] if i + 1 < len(headings) else len(stream)
        text = stream[end:stop].strip(" \n\t:：")
        if code in out:
            out[code]["text"] = (out[code]["text"] + "\n" + text).strip()
            continue
        out[code] = {
            "section": code,
            "heading": STANDARD_HEADINGS[code],
            "heading_as_printed": re.sub(r"\s+", "", printed),
            "text": text,
        }
    return [out[k] for k in sorted(out)]


# --------------------------------------------------------------------------- sentences


def _sentences(blocks: list[_Block], headings: list[tuple[int, int, int, str]]) -> list[_Sentence]:
    """Paragraph sentences (split at 。！？ and at section headings), each with its section code."""
    cuts = sorted({h[0] for h in headings} | {h[1] for h in headings})
    starts = [h[0] for h in headings]  # (the headings come in order of their start)
    out: list[_Sentence] = []
    for b in blocks:
        if b.is_row:
            continue
        text, first = b.text, b.start
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]  # (increasing, each > 0)
        inside = cuts[bisect_right(cuts, first) : bisect_left(cuts, first + len(text))]
        if inside:
            edges = sorted({0, len(text), *(c - first for c in inside), *ends})
        elif ends and ends[-1] == len(text):
            edges = [0, *ends]
        else:
            edges = [0, *ends, len(text)]
        for a, z in zip(edges, edges[1:], strict=False):
            sentence = text[a:z].strip()
            if sentence:
                start = first + a
                under = bisect_right(starts, start)  # the last heading starting at or before it
                section = headings[under - 1][2] if under else None
                out.append(_Sentence(sentence, start, section))
    return out


def _is_residue(text: str) -> bool:
    """A sentence that is (part of) a flattened statistics table, not prose."""
    return bool(TABLE_SIGNATURES.search(text) or TABLE_DIGITS.search(text))


# --------------------------------------------------------------------------- channel volumes

_KEYWORDS = sorted(
    ((kw, ch) for ch, kws in CHANNEL_KEYWORDS for kw in kws.split("|")), key=lambda t: -len(t[0])
)
_KEYWORD_RE = re.compile("|".join(f"(?:{kw})" for kw, _ in _KEYWORDS))
_KEYWORD_CHANNEL = {re.sub(r"\(\?!.*?\)", "", kw): ch for kw, ch in _KEYWORDS}


def _keyword_channel(word: str) -> str:
    return _KEYWORD_CHANNEL.get(word, "other")


def channel_volumes(sentence: str) -> list[dict]:
    """Every release figure in one sentence: channel, metric, value, unit, approximate, label.

    A figure needs a counter word right after the number (302 条, 5500 余条, 18万余条) and a channel
    named in its clause before it (or right after it: 70个新媒体); a clause without a channel
    continues the previous figure's channel (其中，工作动态信息 218 条).
    """
    out: list[dict] = []
    if not _MAY_COUNT.search(sentence):  # no figure without a number and a counter word (a quick test
        return out  # before the slow search)
    current: str | None = None
    for clause in _clauses(sentence):
        seg_start = 0
        for m in FIGURE.finditer(clause) if _MAY_COUNT.search(clause) else ():
            counter = m.group("counter")
            after = clause[m.end() :]
            if not FOLLOWERS.match(after):
                continue
            segment = clause[seg_start : m.start()]
            seg_start = m.end()
            channel, keyword = _segment_channel(segment)
            if channel is None:
                tail = re.match(r"[^，。；、,;]{0,12}", after).group(0)
                hit = _KEYWORD_RE.search(tail)
                if hit and hit.start() <= 4:
                    channel, keyword = _keyword_channel(hit.group(0)), hit
            channel = channel or current
            if channel is None or counter not in CHANNEL_COUNTERS[channel]:
                continue
            if NOT_RELEASES.search(clause[: m.start()]):
                continue
            current = channel
            figure = _figure_value(m)
            if figure is None:
                continue
            value, approximate = figure
            out.append(
                {
                    "channel": channel,
                    "metric": CHANNEL_METRICS.get((channel, counter), COUNTER_METRICS[counter]),
                    "value": value,
                    "unit": counter,
                    "approximate": approximate,
                    "label": _label(segment, keyword, after),
                    "sentence": sentence,
                }
            )
    return out


# what every FIGURE holds: a digit, then what may come between a number and its counter word, then the
# counter (a quick test before the slow search: FIGURE opens with an optional word)
_MAY_COUNT = re.compile(r"\d[\d,.\s万千亿余多\-~～—至到]*[条则篇期场次个部]")


def _clauses(sentence: str) -> list[str]:
    return CLAUSE_SPLIT.split(sentence)


def _segment_channel(segment: str) -> tuple[str | None, re.Match | None]:
    """The channel named nearest before a figure; a list of two channels (网站、微信) is ``other``."""
    hits = list(_KEYWORD_RE.finditer(segment))
    if not hits:
        return None, None
    last = hits[-1]
    channel = _keyword_channel(last.group(0))
    if len(hits) > 1:
        prev = hits[-2]
        gap = segment[prev.end() : last.start()]
        if re.fullmatch(r"[、和及与或\s]*", gap) and _keyword_channel(prev.group(0)) != channel:
            channel = "other"
    return channel, last


def _figure_value(m: re.Match) -> tuple[int | float, bool] | None:
    """(value, approximate) of a figure; None for a run of digits no count reaches (MAX_VALUE)."""
    value = float(m.group("num").replace(",", ""))
    value *= MULTIPLIERS.get(m.group("mult") or "", 1)
    if not value < MAX_VALUE:  # hundreds of digits are inf as a float: int() of it raised
        return None
    value = int(value) if value == int(value) else value
    approximate = bool(m.group("pre") or m.group("approx") or m.group("post") or m.group("range"))
    return value, approximate


_LABEL_LEAD = re.compile(r"^(?:[上中里内等》”」\s]|平台|其中|通过|依托|利用|在|共|累计|全年|今年)+")
_LABEL_TRAIL = re.compile(r"(?:共计|共|累计|数量|数为|数|达到|达|为|约|近|超过|超|逾|\s)+$")
_CONTENT_NOUN = re.compile(
    r"(?:政府|政务|各类|相关)?(?:信息|新闻|文章|稿件|动态|政策|解读|视频|作品|推文|图文|消息|公告)"
)


def _label(segment: str, keyword: re.Match | None, after: str) -> str | None:
    """What the figure counts, in the report's words (主动公开信息, 工作动态信息, 发布信息 …)."""
    if keyword is not None and keyword.end() <= len(segment):
        text = segment[keyword.end() :]
    else:
        text = segment
    text = _LABEL_LEAD.sub("", _LABEL_TRAIL.sub("", text.strip(" ，、,")))
    noun = _CONTENT_NOUN.match(after)
    if text.endswith("的") and noun:  # 主动公开的425条政府信息
        return text + noun.group(0)
    if text:
        return text
    if noun:
        return noun.group(0)
    if keyword is not None:
        quoted = re.search(r"《([^《》]*)》?$", segment[: keyword.end() + 1])
        return quoted.group(1) if quoted and keyword.group(0) in quoted.group(1) else keyword.group(0)
    return None


# --------------------------------------------------------------------------- rankings


def rankings(sentence: str) -> list[dict]:
    """Every ranking in one sentence: list name, platform, rank, rank kind (exact/top_n), scope."""
    out: list[dict] = []
    if "第" not in sentence and "前" not in sentence:  # no rank without one of them
        return out
    for m in RANK.finditer(sentence):
        if not (m.group("unit") or m.group("verb") or LIST_END.search(sentence[: m.start()])):
            continue
        rank = cn_to_int(m.group("n"))
        if not rank or rank >= MAX_VALUE:
            continue
        name = _list_name(sentence, m.start())
        if not name:
            continue
        out.append(
            {
                "list_name": name,
                "platform": _platform(name, sentence, m.start()),
                "rank": rank,
                "rank_kind": "exact" if m.group("kind") == "第" else "top_n",
                "scope": _scope(name) or m.group("vscope"),
                "sentence": sentence,
            }
        )
    return out


def _list_name(sentence: str, at: int) -> str | None:
    """The list a rank belongs to: a quoted name just before it, or a phrase ending in a list word."""
    before = sentence[:at]
    quoted = [q for q in QUOTED.finditer(before)]
    if quoted:
        q = quoted[-1]
        gap = before[q.end() :]
        name = next(g for g in q.groups() if g)
        if len(gap) <= 8 and not re.search(r"[，。；,;]", gap) and re.search(LIST_WORDS, name):
            return name
    clause = re.split(r"[，。；,;“”《》]", before)[-1]
    clause = re.sub(r"(?:排名|排行|位列|位居|名列|居于|稳居|居|列)\s*$", "", clause)
    clause = LIST_NAME_LEAD.sub("", clause)
    m = UNQUOTED_LIST.search(clause)
    return m.group("name") if m else None


def _platform(name: str, sentence: str, at: int) -> str:
    """The platform ranked: named in the list's name, else the sentence's subject, else overall."""
    for platform, words in PLATFORM_KEYWORDS:
        if re.search(words, name):
            return platform
    subject = QUOTED.sub(lambda q: "" if re.search(LIST_WORDS, q.group(0)) else q.group(0), sentence[:at])
    for hit in _KEYWORD_RE.finditer(subject):
        platform = CHANNEL_PLATFORM.get(_keyword_channel(hit.group(0)))
        if platform:
            return platform
    return "overall"


def _scope(name: str) -> str | None:
    """The reach of a list as its name says it: 全国, 市级, 全省 … or the place it opens with (洛阳)."""
    m = SCOPE_WORDS.search(name)
    if m:
        return m.group(0)
    place, rest = bureaus.split_place(name)
    if place is not None:
        return name[: len(name) - len(rest)] or None
    return None
