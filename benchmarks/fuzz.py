"""Fuzz the extractor with mutated real reports: it may raise ReadError, and nothing else.

For ``--seconds`` (default 60) it takes the bundled reports (``data/raw/``, ``tests/fixtures/``,
``tests/fixtures/extra/``, or the ``--corpus`` folders), mutates their bytes and runs
``analysis.report.extract_report`` on each mutant in a child process (one worker, restarted
when it dies). Mutations aim past the first magic-byte check: bit flips, byte and chunk
insert/delete/duplicate, truncation, splicing two files; digits, CJK labels, lines and
separators replaced in text and HTML (plus tags and colspan/rowspan); for .docx the XML
members are mutated (elements deleted, duplicated, moved, attributes and text changed) and
re-zipped so python-docx still opens the package; for PDF the header is kept and the
content streams (decompressed and recompressed), ToUnicode maps and object dictionaries are
mutated, sometimes on a ``qpdf --qdf`` copy repaired with ``fix-qdf`` afterwards.

An input fails when extraction

* raises anything but ReadError (**exception**),
* raises a ReadError that is not one line starting with the file's path (**message**),
* raises the catch-all ReadError of ``read_document`` ("could not read as …"), i.e. a reader
  bug or an uncaught library error hidden behind a one-line message (**masked**),
* reports a ``narrative.failed`` issue: the narrative step raised (**narrative**),
* takes longer than ``--timeout`` seconds (**hang**), or kills the worker (**crash**, e.g. a
  segfault in pdfium or the ``--mem-mb`` address-space limit hit in native code).

Each failing input is saved under ``fuzz-crashes/`` as ``<format>-seed<S>-<n>-<mutations>.<ext>``
(input n of ``--seed S`` is reproducible: it depends only on S, n and the corpus) with one line
printed per failure. ``--replay FILE ...`` runs saved inputs in this process and prints the
traceback. Exit status 1 when anything failed.

Usage: ``python benchmarks/fuzz.py [--seconds 60] [--seed N] [--timeout 10] [--formats pdf,docx]
[--corpus DIR ...]``
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.read import READERS  # noqa: E402

# suffix → the format fuzzed: every suffix the readers take but .doc/.wps (they need LibreOffice)
FORMATS = {
    suffix: {"text": "txt"}.get(mod, mod) for suffix, mod in READERS.items() if suffix not in (".doc", ".wps")
}
DEFAULT_CORPUS = (ROOT / "data" / "raw", ROOT / "tests" / "fixtures", ROOT / "tests" / "fixtures" / "extra")
CRASH_DIR = ROOT / "fuzz-crashes"
MAX_SAVED_PER_BUG = 10  # inputs kept per distinct failure (type and place), so one shallow bug fills no disk

# ===================================================================================== mutations

# labels the parsers look for: swapping them in and out moves rows between tables and templates
LABELS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理", "总计", "合计",
    "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
    "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "属于国家秘密",
    "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "尚未审结",
    "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项",
    "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "政府集中采购",
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "本年制发件数", "本年废止件数", "现行有效件数",
    "本年增/减", "处理决定数量", "本年收费金额", "采购总金额", "（单位：万元）", "信息内容",
    "政府信息公开工作年度报告", "人民政府办公室", "2021年", "年度报告", "（七）总计", "（三）不予公开",
    "申请人情况", "三、本年度办理结果", "政府网站", "政务微博", "政务新媒体", "排名第", "万元", "件", "条",
]  # fmt: skip
NUMBERS = [
    "0", "1", "-1", "7", "10", "99", "100", "1000", "65535", "99999999", "99999999999999999999", "2147483648",
    "1.5", "0.0001", "-0", "+3", "１２", "１，２３４", "1,234", "3万", "1e5", "NaN", "inf", "/", "—", "-",
    "无", "", " ", "12 34", "１２．５", "½", "٣", "Ⅻ", "1" * 400,
]  # fmt: skip
ODD_CHARS = [
    "\t", "\n", "\r", "\r\n", " ", "\u3000", "\xa0", "\u200b", "\ufeff", "\ufffd", "\x00", "\x0c", "|", "||",
    "（", "）", "、", "：", "\u2028", "\ue000", "𠀀", "——", "…", "**", "## ", "<", "&", "&amp;", "&#0;",
]  # fmt: skip
INTERESTING_BYTES = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x25, 0x2F, 0x30, 0x39, 0x3C, 0x3E, 0x7F, 0x80, 0xFF]


def _pos(rng: random.Random, n: int) -> int:
    return rng.randrange(n + 1) if n else 0


def _chunk(rng: random.Random, n: int, maxlen: int = 4096) -> tuple[int, int]:
    """A random [start, end) of a buffer of length n, lengths skewed small."""
    if n == 0:
        return 0, 0
    length = min(n, 1 + int(rng.expovariate(1 / 64)) if rng.random() < 0.8 else rng.randint(1, maxlen))
    start = rng.randrange(n - length + 1)
    return start, start + length


# ------------------------------------------------------------------------------------- bytes


def b_bitflip(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    buf = bytearray(data)
    if len(buf) <= lo:
        return data
    for _ in range(rng.randint(1, max(1, min(64, len(buf) // 2000)))):
        i = rng.randrange(lo, len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def b_setbyte(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    buf = bytearray(data)
    if len(buf) <= lo:
        return data
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(lo, len(buf))] = (
            rng.choice(INTERESTING_BYTES) if rng.random() < 0.7 else rng.randrange(256)
        )
    return bytes(buf)


def b_insert(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    i = max(lo, _pos(rng, len(data)))
    if rng.random() < 0.5:
        s, e = _chunk(rng, len(data))
        piece = data[s:e]
    else:
        piece = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return data[:i] + piece + data[i:]


def b_delete(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    s, e = _chunk(rng, len(data) - lo)
    return data[: lo + s] + data[lo + e :]


def b_duplicate(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    s, e = _chunk(rng, len(data) - lo)
    s, e = s + lo, e + lo
    return data[:e] + data[s:e] * rng.randint(1, 4) + data[e:]


def b_swap(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    (s1, e1), (s2, e2) = sorted([_chunk(rng, len(data) - lo, 512), _chunk(rng, len(data) - lo, 512)])
    if e1 > s2:
        return data
    s1, e1, s2, e2 = s1 + lo, e1 + lo, s2 + lo, e2 + lo
    return data[:s1] + data[s2:e2] + data[e1:s2] + data[s1:e1] + data[e2:]


def b_truncate(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    return data[: max(lo, 1, rng.randrange(len(data) + 1))]


BYTE_MUTATORS = {
    "bitflip": b_bitflip,
    "setbyte": b_setbyte,
    "insert": b_insert,
    "delete": b_delete,
    "dup": b_duplicate,
    "swap": b_swap,
    "truncate": b_truncate,
}


def splice(data: bytes, other: bytes, rng: random.Random, lo: int = 0) -> bytes:
    """The head of one file and the tail of another."""
    a = max(lo, _pos(rng, len(data)))
    b = _pos(rng, len(other))
    return data[:a] + other[b:]


# -------------------------------------------------------------------------------------- text


EXTREME_NUMBERS = ["1" * 400, "9" * 330, "9" * 30, "0" * 40, "9223372036854775808", "1" * 17, "4" * 60]


def t_digits(s: str, rng: random.Random) -> str:
    runs = list(re.finditer(r"[0-9０-９]+(?:[.．,，][0-9０-９]+)*", s))
    if not runs:
        return s
    r = rng.random()
    if r < 0.2:  # every number in a stretch of the text (a table row, a paragraph)
        lo, hi = _chunk(rng, len(s), 3000)
        picked = [m for m in runs if lo <= m.start() < hi] or [rng.choice(runs)]
    elif r < 0.5:  # numbers in prose (a counter, 年, 名 after them): the narrative's figures and dates
        prose = [m for m in runs if re.match(r"\s?[\u4e00-\u9fff]", s[m.end() : m.end() + 2])] or runs
        picked = rng.sample(prose, min(len(prose), rng.randint(1, 3)))
    else:
        picked = rng.sample(runs, min(len(runs), rng.randint(1, 6)))
    for m in sorted(picked, key=lambda m: -m.start()):
        if rng.random() < 0.15:
            new = rng.choice(EXTREME_NUMBERS)
        elif r < 0.6:
            new = rng.choice(NUMBERS)
        else:
            new = str(rng.randrange(10 ** rng.randint(1, 6)))
        s = s[: m.start()] + new + s[m.end() :]
    return s


def t_labels(s: str, rng: random.Random) -> str:
    runs = list(re.finditer(r"[\u4e00-\u9fff（）()、：]{2,}", s))
    if not runs:
        return s
    for m in sorted(rng.sample(runs, min(len(runs), rng.randint(1, 4))), key=lambda m: -m.start()):
        r = rng.random()
        if r < 0.5:
            new = rng.choice(LABELS)
        elif r < 0.65:
            new = ""
        elif r < 0.8:
            new = m.group() * 2
        else:
            cut = rng.randrange(len(m.group()) + 1)
            new = m.group()[:cut] + rng.choice(ODD_CHARS) + m.group()[cut:]
        s = s[: m.start()] + new + s[m.end() :]
    return s


def t_lines(s: str, rng: random.Random) -> str:
    lines = s.split("\n")
    if len(lines) < 2:
        return s
    for _ in range(rng.randint(1, 4)):
        n = len(lines)
        i, j = rng.randrange(n), rng.randrange(n)
        r = rng.random()
        if r < 0.3 and n > 1:
            del lines[i : i + rng.randint(1, 5)]
        elif r < 0.5:
            lines[j:j] = lines[i : i + rng.randint(1, 5)]
        elif r < 0.7:
            lines[i], lines[j] = lines[j], lines[i]
        elif r < 0.85 and i + 1 < n:
            lines[i : i + 2] = [lines[i] + rng.choice(["", " ", "\t"]) + lines[i + 1]]
        else:
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i : i + 1] = [lines[i][:cut], lines[i][cut:]]
        if not lines:
            return ""
    return "\n".join(lines)


def t_separators(s: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return re.sub(
            r"\t", lambda _m: rng.choice([" ", "  ", "", "\t\t", "|", "\u3000"]), s, count=rng.randint(1, 50)
        )
    if r < 0.5:
        return re.sub(
            r"(?<=\d) (?=\d)", lambda _m: rng.choice(["", "\t", "   "]), s, count=rng.randint(1, 50)
        )
    if r < 0.7:
        return re.sub(
            r"\n", lambda _m: rng.choice(["", " ", "\n\n", "\r", "\n|"]), s, count=rng.randint(1, 20)
        )
    return t_chars(s, rng)


def t_chars(s: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 8)):
        i = _pos(rng, len(s))
        s = s[:i] + rng.choice(ODD_CHARS) + s[i:]
    return s


def t_chunk(s: str, rng: random.Random) -> str:
    s1, e1 = _chunk(rng, len(s))
    r = rng.random()
    if r < 0.4:
        return s[:s1] + s[e1:]
    if r < 0.8:
        i = _pos(rng, len(s))
        return s[:i] + s[s1:e1] + s[i:]
    return s[: max(1, s1)]  # cut off in the middle


TEXT_MUTATORS = {
    "digits": t_digits,
    "labels": t_labels,
    "lines": t_lines,
    "seps": t_separators,
    "chars": t_chars,
    "chunk": t_chunk,
}
TEXT_WEIGHTS = {"digits": 4, "labels": 3, "lines": 3, "seps": 2, "chars": 1, "chunk": 1}


def h_tags(s: str, rng: random.Random) -> str:
    """HTML: spans, tags and charsets."""
    r = rng.random()
    if r < 0.35:
        spans = list(re.finditer(r"""(?i)(colspan|rowspan)\s*=\s*["']?([^"'\s>]*)""", s))
        if not spans:
            # give a random cell a span
            cells = list(re.finditer(r"(?i)<t[dh]\b", s))
            if not cells:
                return s
            m = rng.choice(cells)
            attr = f' {rng.choice(["colspan", "rowspan"])}="{rng.choice(NUMBERS)}"'
            return s[: m.end()] + attr + s[m.end() :]
        for m in rng.sample(spans, min(len(spans), rng.randint(1, 3))):
            s = s[: m.start(2)] + rng.choice(NUMBERS + ["1000000000", "0", "-5", "2x"]) + s[m.end(2) :]
            break  # offsets move: one per call
        return s
    if r < 0.55:
        tags = list(re.finditer(r"<[^<>]{0,200}>", s))
        if not tags:
            return s
        m = rng.choice(tags)
        return s[: m.start()] + s[m.end() :]
    if r < 0.75:
        blocks = list(re.finditer(r"(?is)<(tr|td|table|p)\b.*?</\1>", s))
        if not blocks:
            return s
        m = rng.choice(blocks)
        i = rng.choice([m.start(), m.end(), _pos(rng, len(s))])
        return s[:i] + m.group() * rng.randint(1, 3) + s[i:]
    if r < 0.9:
        junk = [
            "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td rowspan="3">', '<td colspan="9">',
            "<br>", "<p>", "<script>", "<!--", "-->", "<![CDATA[", "<title>", "</body>", "<html>", "<?xml ?>",
            '<meta charset="x-unknown">', '<meta charset="utf-16">', "<th>", "<tbody>", "<svg>", "<math>",
        ]  # fmt: skip
        i = _pos(rng, len(s))
        return s[:i] + rng.choice(junk) + s[i:]
    return re.sub(
        r"(?i)charset\s*=\s*[\"']?[A-Za-z0-9_\-]+",
        "charset=" + rng.choice(["utf-8", "gbk", "gb2312", "big5", "utf-16", "latin-1", "x-none", "utf-7"]),
        s,
        count=1,
    )


def decode_text(data: bytes) -> tuple[str, str] | None:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), ("utf-8" if enc == "utf-8-sig" else enc)
        except UnicodeDecodeError:
            continue
    return None


def mutate_text(data: bytes, rng: random.Random, ctx: Context, fmt: str) -> tuple[bytes, str]:
    r = rng.random()
    decoded = decode_text(data)
    if r < 0.25 or decoded is None:
        name = rng.choice(list(BYTE_MUTATORS))
        return BYTE_MUTATORS[name](data, rng), name
    if r < 0.32:
        return splice(data, ctx.pick_other(fmt, rng), rng), "splice"
    text, enc = decoded
    names = []
    for _ in range(rng.randint(1, 3)):
        if fmt == "html" and rng.random() < 0.4:
            text, name = h_tags(text, rng), "tags"
        else:
            name = rng.choices(list(TEXT_WEIGHTS), weights=list(TEXT_WEIGHTS.values()))[0]
            text = TEXT_MUTATORS[name](text, rng)
        names.append(name)
    if rng.random() < 0.1:
        enc = rng.choice(["utf-8", "gb18030", "utf-16"])
        names.append(enc.replace("-", ""))
    return text.encode(enc, errors="replace"), "+".join(names)


# -------------------------------------------------------------------------------------- docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ATTR_VALUES = [
    "0", "1", "2", "-1", "3", "9", "10", "1000000000", "99999999999999999999", "abc", "", " 2 ", "1.5",
    "restart", "continue", "٣", "decimal", "chineseCounting", "bullet", "upperRoman", "%1.%2", "%9", "%1、",
]  # fmt: skip
DOCX_SNIPPETS = [
    f'<w:gridSpan xmlns:w="{W_NS}" w:val="{{n}}"/>',
    f'<w:vMerge xmlns:w="{W_NS}"/>',
    f'<w:vMerge xmlns:w="{W_NS}" w:val="restart"/>',
    f'<w:hMerge xmlns:w="{W_NS}"/>',
    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{{n}}"/><w:numId w:val="{{m}}"/></w:numPr>',
    f'<w:trPr xmlns:w="{W_NS}"><w:gridBefore w:val="{{n}}"/><w:gridAfter w:val="{{m}}"/></w:trPr>',
    f'<w:tab xmlns:w="{W_NS}"/>',
    f'<w:br xmlns:w="{W_NS}"/>',
    f'<w:r xmlns:w="{W_NS}"><w:t>{{label}}</w:t></w:r>',
    f'<w:p xmlns:w="{W_NS}"><w:r><w:t>{{label}}</w:t></w:r></w:p>',
    f'<w:tbl xmlns:w="{W_NS}"><w:tr><w:tc><w:p><w:r><w:t>{{label}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
    f'<w:sdt xmlns:w="{W_NS}"><w:sdtContent><w:p><w:r><w:t>{{label}}</w:t></w:r></w:p></w:sdtContent></w:sdt>',
    f'<w:txbxContent xmlns:w="{W_NS}"><w:p><w:r><w:t>{{label}}</w:t></w:r></w:p></w:txbxContent>',
]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_mutate(xml: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Mutate one XML member; well-formed (through lxml) most of the time."""
    from lxml import etree

    if rng.random() < 0.1:  # raw text: may break the XML, as a damaged file would
        decoded = xml.decode("utf-8", errors="replace")
        name = rng.choice(["digits", "labels", "chunk"])
        return TEXT_MUTATORS[name](decoded, rng).encode("utf-8"), f"raw{name}"
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return b_bitflip(xml, rng), "bitflip"
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    if not elements:
        return xml, "none"
    names = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        el = rng.choice(elements)
        parent = el.getparent()
        if r < 0.3:  # text of w:t runs: digits and labels
            texts = [e for e in elements if e.text and e.text.strip()]
            if texts:
                t = rng.choice(texts)
                new = rng.choice([t_digits, t_labels, t_chars])(t.text, rng)
                t.text = _NOT_XML.sub("", new)
                names.append("text")
        elif r < 0.45 and parent is not None:
            parent.remove(el)
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
            names.append("del")
        elif r < 0.6 and parent is not None:
            for _ in range(rng.randint(1, 3)):
                parent.insert(parent.index(el) + 1, copy.deepcopy(el))
            names.append("dup")
        elif r < 0.7 and parent is not None:
            target = rng.choice(elements)
            if el not in target.iterancestors() and target is not el:
                parent.remove(el)
                target.insert(_pos(rng, len(target)), el)
                names.append("move")
        elif r < 0.88:
            if el.attrib:
                key = rng.choice(list(el.attrib))
                if rng.random() < 0.15:
                    del el.attrib[key]
                else:
                    el.set(key, rng.choice(ATTR_VALUES))
                names.append("attr")
        else:
            snippet = rng.choice(DOCX_SNIPPETS).format(
                n=rng.choice(ATTR_VALUES), m=rng.choice(ATTR_VALUES), label=rng.choice(LABELS)
            )
            new = etree.fromstring(snippet)
            target = rng.choice(elements)
            target.insert(_pos(rng, len(target)), new)
            names.append("insert")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), "+".join(
        names
    ) or "none"


def _zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [(info, z.read(info)) for info in z.infolist()]
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, NotImplementedError, ValueError):
        return None


def _zip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in members:
            z.writestr(info.filename, body)
    return out.getvalue()


def mutate_docx(data: bytes, rng: random.Random, ctx: Context, fmt: str) -> tuple[bytes, str]:
    members = _zip_members(data)
    r = rng.random()
    if members is None or r < 0.12:
        name = rng.choice(list(BYTE_MUTATORS))
        return BYTE_MUTATORS[name](data, rng), f"zip{name}"
    if r < 0.17:
        return splice(data, ctx.pick_other(fmt, rng), rng), "splice"
    names = [info.filename for info, _ in members]
    if r < 0.25:  # a member missing, or taken from another Word file
        k = rng.randrange(len(members))
        other = _zip_members(ctx.pick_other(fmt, rng)) or []
        same = [m for m in other if m[0].filename == members[k][0].filename]
        if same and rng.random() < 0.5:
            members[k] = same[0]
            return _zip(members), "swapmember"
        del members[k]
        return _zip(members), "dropmember"
    xml_names = [n for n in names if n.endswith((".xml", ".rels"))]
    if not xml_names:
        return data, "none"
    weights = [
        8 if n == "word/document.xml" else 2 if n in ("word/numbering.xml", "word/styles.xml") else 1
        for n in xml_names
    ]
    target = rng.choices(xml_names, weights=weights)[0]
    k = names.index(target)
    body, how = _xml_mutate(members[k][1], rng)
    members[k] = (members[k][0], body)
    short = target.rsplit("/", 1)[-1].split(".")[0].strip("[]_")
    out = _zip(members)
    if rng.random() < 0.05:  # and a damaged zip on top
        out = b_bitflip(out, rng)
        how += "+zipflip"
    return out, f"{short}.{how}"


# --------------------------------------------------------------------------------------- pdf

_STREAM = re.compile(rb"stream\r?\n")
_CONTENT_OPS = [
    "q", "Q", "BT", "ET", "0 0 0 0 0 0 cm", "1 0 0 1 0 0 cm", "0 0 0 0 0 0 Tm", "1000000000000000000000000000000 0 0 1000000000000000000000000000000 0 0 cm", "9999999999999999999999999999999999999999 0 0 1 0 0 cm",
    "-1 0 0 -1 0 0 cm", "0 1 -1 0 0 0 cm", "/F1 0 Tf", "/F1 1000 Tf", "3 Tr", "7 Tr", "0 0 m 600 0 l S",
    "0 0 m 0 800 l S", "10 10 500 0.5 re f", "10 10 0.5 700 re f", "0 0 0 0 re f", "0 0 m 1000000000 1000000000 l S", "0 0 m 9999999999999999999999999999999999999999 0 l S",
    "0 0 m 1 1 2 2 3 3 c S", "h", "W n", "0 w", "1000 w", "(\\000\\377) Tj", "<FFFF0000> Tj", "[(1) -99999 (2)] TJ",
    "/Fm0 Do", "/Im1 Do", "10 TL", "T*", "0 -100000000000000000000 Td", "BI /W 1 /H 1 ID x EI", "%", "/GS0 gs",
]  # fmt: skip
_CMAP_CODES = [
    "0030", "0031", "0039", "0009", "000A", "0020", "3000", "00A0", "D800", "DFFF", "FFFD", "E000", "0000",
    "FEFF", "4E00", "603B", "8BA1", "0030 0031", "00300031", "D840DC00", "",
] + [format(ord(c), "04X") for c in "总计合计自然人予以公开二十条第项（）、年万件"]  # fmt: skip


def _header_end(data: bytes) -> int:
    i = data.find(b"%PDF")
    j = data.find(b"\n", i)
    return (j + 1) if j >= 0 else len(data)


def _streams(data: bytes) -> list[tuple[int, int, int, int]]:
    """(dict start, data start, data end, endstream) of each stream object."""
    out = []
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 1) : m.start()] == b"d":  # "endstream"
            continue
        head = data.rfind(b"obj", max(0, m.start() - 4000), m.start())
        end = data.find(b"endstream", m.end())
        if head < 0 or end < 0:
            continue
        stop = end
        while stop > m.end() and data[stop - 1 : stop] in (b"\n", b"\r"):
            stop -= 1
        out.append((head, m.end(), stop, end))
    return out


def _pdf_number(x: float) -> str:
    """A number as PDF writes it: no exponent (pdfium would read "1e+30" as 1)."""
    if isinstance(x, int) or (abs(x) >= 1e6 and float(x).is_integer()):
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".") or "0"


def _mutate_content(text: str, rng: random.Random) -> tuple[str, str]:
    """A decompressed stream: content operators, ToUnicode maps, anything else."""
    if "beginbfchar" in text or "beginbfrange" in text:
        pairs = list(re.finditer(r"<([0-9A-Fa-f]+)>(\s*)<([0-9A-Fa-f ]*)>", text))
        if pairs:
            for m in sorted(rng.sample(pairs, min(len(pairs), rng.randint(1, 12))), key=lambda m: -m.start()):
                text = text[: m.start(3)] + rng.choice(_CMAP_CODES) + text[m.end(3) :]
            return text, "cmap"
    r = rng.random()
    if r < 0.35:
        nums = list(re.finditer(r"(?<![\w.])-?\d*\.?\d+(?![\w.])", text))
        if nums:
            for m in sorted(rng.sample(nums, min(len(nums), rng.randint(1, 8))), key=lambda m: -m.start()):
                v = float(m.group())
                new = rng.choice(
                    [
                        0,
                        -v,
                        v * 10,
                        v / 10,
                        v + rng.uniform(-20, 20),
                        1e6,
                        -1e6,
                        1e30,
                        1e40,
                        0.0001,
                        3.5,
                        round(v) + 1,
                    ]
                )
                text = text[: m.start()] + _pdf_number(new) + text[m.end() :]
            return text, "nums"
    if r < 0.6:
        lines = text.split("\n")
        for _ in range(rng.randint(1, 6)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            op = rng.random()
            if op < 0.4 and len(lines) > 1:
                del lines[i : i + rng.randint(1, 8)]
            elif op < 0.7:
                lines[j:j] = lines[i : i + rng.randint(1, 8)]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            if not lines:
                lines = [""]
        return "\n".join(lines), "oplines"
    if r < 0.8:
        for _ in range(rng.randint(1, 4)):
            i = _pos(rng, len(text))
            nl = text.rfind("\n", 0, i) + 1
            text = text[:nl] + rng.choice(_CONTENT_OPS) + "\n" + text[nl:]
        return text, "ops"
    strings = list(re.finditer(r"<([0-9A-Fa-f]{2,})>|\(((?:[^()\\]|\\.)*)\)", text))
    if not strings:
        return text, "none"
    for m in rng.sample(strings, min(len(strings), rng.randint(1, 10))):
        g = 1 if m.group(1) is not None else 2
        s, e = m.span(g)
        if e > s:
            i = rng.randrange(s, e)
            ch = rng.choice("0123456789ABCDEF") if g == 1 else rng.choice("0123456789\\()a\x00")
            text = text[:i] + ch + text[i + 1 :]
    return text, "strings"


def pdf_stream(data: bytes, rng: random.Random, fix_length: bool = True) -> tuple[bytes, str]:
    """Mutate one stream's decoded content; recompress it when it was Flate-encoded."""
    streams = _streams(data)
    if not streams:
        return b_bitflip(data, rng, _header_end(data)), "bitflip"
    # content streams and ToUnicode maps are what the reader sees: prefer them
    picks = []
    for head, s, e, end in streams:
        d = data[head:s]
        if b"/Image" in d or b"/XRef" in d or b"/ObjStm" in d:
            continue
        picks.append((head, s, e, end))
    if not picks:
        return b_bitflip(data, rng, _header_end(data)), "bitflip"
    head, s, e, end = rng.choice(picks)
    dct, raw = data[head:s], data[s:e]
    flate = b"/FlateDecode" in dct
    if b"/Filter" in dct and (not flate or b"/DecodeParms" in dct or b"[" in dct.split(b"/Filter", 1)[1][:8]):
        return data[:s] + b_bitflip(raw, rng) + data[e:], "streamflip"
    if flate:
        try:
            plain = zlib.decompressobj().decompress(raw)
        except zlib.error:
            return data[:s] + b_bitflip(raw, rng) + data[e:], "streamflip"
    else:
        plain = raw
    text, how = _mutate_content(plain.decode("latin-1"), rng)
    new = text.encode("latin-1", errors="replace")
    if flate:
        new = zlib.compress(new)
    if fix_length:
        dct = re.sub(rb"/Length\s+\d+(?!\s+\d+\s+R)", b"/Length %d" % len(new), dct, count=1)
    return data[:head] + dct + new + data[e:], how


_KEY_VALUES = {
    b"Rotate": [b"90", b"180", b"270", b"-90", b"45", b"1000000000", b"3600000090", b"/x"],
    b"MediaBox": [
        b"[0 0 0 0]",
        b"[0 0 -600 -800]",
        b"[0 0 1000000000000000000000000000000 1000000000000000000000000000000]",
        b"[0 0 9999999999999999999999999999999999999999 1]",
        b"[600 800 0 0]",
        b"[0 0 1]",
        b"[]",
        b"5",
    ],
    b"CropBox": [b"[0 0 0 0]", b"[100 100 101 101]", b"[-1000000000 -1000000000 1000000000 1000000000]"],
    b"Matrix": [
        b"[0 0 0 0 0 0]",
        b"[1000000000000000000000000000000 0 0 1000000000000000000000000000000 0 0]",
        b"[9999999999999999999999999999999999999999 0 0 1 0 0]",
        b"[-1 0 0 -1 0 0]",
        b"[1 2]",
    ],
    b"BBox": [b"[0 0 0 0]", b"[0 0 1000000000 1000000000]"],
    b"Count": [b"0", b"-1", b"99999", b"1"],
    b"FontMatrix": [b"[0 0 0 0 0 0]", b"[1 0 0 1 0 0]"],
    b"Widths": [b"[]", b"[0]", b"[-1000 1000000000]"],
    b"FirstChar": [b"0", b"-5", b"65535"],
    b"Length": [b"0", b"1", b"99999999"],
    b"Kids": [b"[]", b"[1 0 R 1 0 R]", b"null"],
    b"ToUnicode": [b"null", b"1 0 R"],
    b"Encoding": [b"/Identity-V", b"/WinAnsiEncoding", b"/Nope"],
}


def pdf_object(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Mutate the value of a page/font/form key, a number or a name outside the streams."""
    r = rng.random()
    if r < 0.6:
        keys = list(re.finditer(rb"/(" + b"|".join(_KEY_VALUES) + rb")\b\s*", data))
        if keys:
            m = rng.choice(keys)
            rest = data[m.end() :]
            val = re.match(rb"\[[^\]]*\]|\d+\s+\d+\s+R|[-+]?[\d.]+|/\w+|null", rest)
            if val:
                new = rng.choice(_KEY_VALUES[m.group(1)])
                return data[: m.end()] + new + data[m.end() + val.end() :], m.group(1).decode()
    regions = []
    prev = _header_end(data)
    for _head, s, _e, end in _streams(data):
        regions.append((prev, s))
        prev = end
    regions.append((prev, len(data)))
    lo, hi = rng.choice(regions)
    window = data[lo:hi]
    toks = list(re.finditer(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])|/[A-Za-z]\w*", window))
    if not toks:
        return b_bitflip(data, rng, _header_end(data)), "bitflip"
    m = rng.choice(toks)
    if m.group().startswith(b"/"):
        new = rng.choice(
            [b"/Page", b"/Pages", b"/Font", b"/Type0", b"/XObject", b"/Form", b"/Annot", b"", b"/Null"]
        )
    else:
        new = rng.choice(
            [
                b"0",
                b"-1",
                b"1",
                b"99999999",
                b"2147483648",
                b"9999999999999999999999999999999999999999",
                b"0.5",
                b"3",
            ]
        )
    return data[: lo + m.start()] + new + data[lo + m.end() :], "objtok"


def mutate_pdf(
    data: bytes, rng: random.Random, ctx: Context, fmt: str, path: Path | None = None
) -> tuple[bytes, str]:
    lo = _header_end(data)
    r = rng.random()
    if r < 0.15 and path is not None and ctx.qpdf:
        qdf = ctx.qdf(path)
        if qdf is not None:
            out, how = qdf, []
            for _ in range(rng.randint(1, 3)):
                out, h = (
                    pdf_stream(out, rng, fix_length=False) if rng.random() < 0.8 else pdf_object(out, rng)
                )
                how.append(h)
            if rng.random() < 0.7:
                out = ctx.fix_qdf(out) or out
                how.append("fixqdf")
            return out, "qdf." + "+".join(how)
    if r < 0.5:
        out, how = data, []
        for _ in range(rng.randint(1, 3)):
            out, h = pdf_stream(out, rng)
            how.append(h)
        return out, "stream." + "+".join(how)
    if r < 0.7:
        return pdf_object(data, rng)
    if r < 0.75:
        return splice(data, ctx.pick_other(fmt, rng), rng, lo), "splice"
    name = rng.choice(list(BYTE_MUTATORS))
    return BYTE_MUTATORS[name](data, rng, lo), name


# ======================================================================================= corpus


@dataclass
class Seed:
    path: Path
    fmt: str
    data: bytes


@dataclass
class Context:
    seeds: dict[str, list[Seed]]
    workdir: Path
    qpdf: str | None = shutil.which("qpdf")
    fixqdf: str | None = shutil.which("fix-qdf")
    _qdf: dict[Path, bytes | None] = field(default_factory=dict)

    def pick_other(self, fmt: str, rng: random.Random) -> bytes:
        pool = self.seeds.get(fmt) if rng.random() < 0.8 else None
        pool = pool or [s for v in self.seeds.values() for s in v]
        return rng.choice(pool).data

    def qdf(self, path: Path) -> bytes | None:
        """The PDF rewritten by ``qpdf --qdf`` (streams uncompressed, one object per line block)."""
        if path not in self._qdf:
            out = self.workdir / "qdf.pdf"
            try:
                subprocess.run(
                    [self.qpdf, "--qdf", "--object-streams=disable", str(path), str(out)],  # type: ignore[list-item]
                    capture_output=True,
                    timeout=60,
                )
                self._qdf[path] = out.read_bytes() if out.exists() else None
            except (OSError, subprocess.SubprocessError):
                self._qdf[path] = None
        return self._qdf[path]

    def fix_qdf(self, data: bytes) -> bytes | None:
        """Lengths and xref of a mutated QDF file made right again (so pdfium need not repair them)."""
        if not self.fixqdf:
            return None
        try:
            res = subprocess.run([self.fixqdf], input=data, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return res.stdout if res.returncode == 0 and res.stdout else None


def collect(dirs: list[Path]) -> dict[str, list[Seed]]:
    """Report files of every format in the folders (top level only), each content once."""
    seen: set[str] = set()
    out: dict[str, list[Seed]] = defaultdict(list)
    for folder in dirs:
        files = [folder] if folder.is_file() else sorted(p for p in folder.iterdir() if p.is_file())
        for p in files:
            fmt = FORMATS.get(p.suffix.lower())
            if fmt is None or p.name.upper().startswith(("SOURCES", "README")):
                continue
            data = p.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            out[fmt].append(Seed(p, fmt, data))
    return dict(out)


def make_input(ctx: Context, seed: int, n: int) -> tuple[Seed, bytes, str]:
    """Input n of a run: depends only on the seed, n and the corpus."""
    rng = random.Random(f"{seed}:{n}")
    fmt = rng.choice(sorted(ctx.seeds))
    base = rng.choice(ctx.seeds[fmt])
    if fmt == "pdf":
        data, how = mutate_pdf(base.data, rng, ctx, fmt, base.path)
    elif fmt == "docx":
        data, how = mutate_docx(base.data, rng, ctx, fmt)
    else:
        data, how = mutate_text(base.data, rng, ctx, fmt)
    return base, data, how


# ======================================================================================= worker


_MASKED = ": could not read as "


def _where(fr: traceback.FrameSummary) -> str:
    fn = fr.filename
    for marker in ("/src/analysis/", "/site-packages/", "/lib/python3"):
        if marker in fn:
            fn = fn.split(marker, 1)[1]
            if marker == "/src/analysis/":
                fn = "analysis/" + fn
            break
    return f"{fn}:{fr.lineno} in {fr.name}"


def describe(exc: BaseException) -> dict:
    """Type, first line of the message and the innermost frames (own code and overall)."""
    frames = traceback.extract_tb(exc.__traceback__)
    inner = _where(frames[-1]) if frames else "?"
    own = next((_where(f) for f in reversed(frames) if "/src/analysis/" in f.filename), inner)
    msg = str(exc).strip().splitlines()
    return {
        "type": type(exc).__name__,
        "message": (msg[0] if msg else "")[:300],
        "frame": own if own == inner else f"{own} (innermost {inner})",
    }


def run_one(path: Path, show: bool = False) -> dict:
    """Extract one file; classify what happened (as the worker reports it)."""
    from analysis.model.document import ReadError
    from analysis.parse import narrative
    from analysis.read import read_document
    from analysis.report import extract_report

    def fail(kind: str, exc: BaseException) -> dict:
        if show:
            traceback.print_exception(exc)
        return {"outcome": "fail", "kind": kind, **describe(exc)}

    try:
        report = extract_report(path)
    except ReadError as exc:
        msg = str(exc)
        if msg.splitlines() != [msg] or not msg.startswith(f"{path}: "):
            return fail("message", exc)
        if _MASKED in msg and exc.__cause__ is not None and not isinstance(exc.__cause__, ReadError):
            return fail("masked", exc.__cause__)
        return {"outcome": "readerror", "message": msg[:300]}
    except (Exception, RecursionError, MemoryError) as exc:
        return fail("exception", exc)
    if any(i["check"] == "narrative.failed" for i in report.issues):
        try:
            narrative.extract(read_document(path))
        except Exception as exc:
            return fail("narrative", exc)
        msg = next(i["message"] for i in report.issues if i["check"] == "narrative.failed")
        return {"outcome": "fail", "kind": "narrative", "type": "?", "message": msg, "frame": "?"}
    try:  # what was read must also be storable: Parquet refuses strings that are not UTF-8
        report.to_json(indent=None).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as exc:
        return fail("unstorable", exc)
    return {"outcome": "ok", "status": report.report["parse_status"]}


def worker_main(mem_mb: int) -> None:
    """Read paths from stdin, write one JSON result per line to the original stdout."""
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything a library prints goes to the log, not into the protocol
    if mem_mb > 0:
        limit = mem_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import analysis.read.docx  # noqa: F401 - warm up: imports are not the input's time
    import analysis.read.html  # noqa: F401
    import analysis.read.pdf  # noqa: F401
    import analysis.report  # noqa: F401

    proto.write("ready\n")
    for line in sys.stdin:
        proto.write(json.dumps(run_one(Path(line.rstrip("\n")))) + "\n")


class Worker:
    """The child process extraction runs in: restarted after a hang or a crash."""

    def __init__(self, workdir: Path, timeout: float, mem_mb: int) -> None:
        self.timeout, self.mem_mb = timeout, mem_mb
        self.log = workdir / "worker.log"
        self.proc: subprocess.Popen | None = None
        self.buf = b""

    def start(self) -> None:
        self.buf = b""
        log = open(self.log, "ab")  # noqa: SIM115 - the child holds it
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--mem-mb", str(self.mem_mb)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=ROOT)
        log.close()
        if self._readline(120.0) != "ready":
            raise SystemExit(f"fuzz: the worker did not start; see {self.log}:\n{self._log_tail(2000)}")

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None

    def _readline(self, timeout: float) -> str | None:
        """One line from the child, '' when it died, None on timeout."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return ""
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def _log_tail(self, n: int = 300) -> str:
        try:
            return self.log.read_bytes()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def run(self, path: Path) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        self.log.write_bytes(b"")  # the child appends: what is in it now is this input's
        try:
            self.proc.stdin.write(str(path).encode() + b"\n")
            self.proc.stdin.flush()
            line = self._readline(self.timeout)
        except BrokenPipeError:
            line = ""
        if line is None:
            self.stop()
            return {"outcome": "hang", "kind": "hang", "message": f"no result after {self.timeout:g} s"}
        if line == "":
            self.proc.wait()
            code = self.proc.returncode
            self.proc = None
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
            tail = " ".join(self._log_tail().split())[-200:]
            return {
                "outcome": "crash",
                "kind": "crash",
                "message": f"worker {how}" + (f": {tail}" if tail else ""),
            }
        return json.loads(line)


# ========================================================================================= main


@dataclass
class Stats:
    tried: Counter = field(default_factory=Counter)
    outcomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    bugs: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # (format, ReadError reason): how deep inputs got
    saved: Counter = field(default_factory=Counter)


def signature(res: dict) -> str:
    if res["outcome"] in ("hang", "crash"):
        return res["outcome"]
    return f"{res['kind']} {res['type']} @ {res['frame']}"


def report_failure(
    res: dict, fmt: str, name: str, data: bytes, stats: Stats, out_dir: Path, ext: str
) -> None:
    sig = signature(res)
    stats.bugs[(fmt, sig)] += 1
    saved = ""
    if stats.saved[sig] < MAX_SAVED_PER_BUG or res["outcome"] in ("hang", "crash"):
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{name}{ext}"
        target.write_bytes(data)
        stats.saved[sig] += 1
        saved = str(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    else:
        saved = f"not saved: {MAX_SAVED_PER_BUG} already for this failure"
    if res["outcome"] in ("hang", "crash"):
        line = f"{res['outcome'].upper()} {fmt}: {res['message']}"
    else:
        line = f"FAIL {fmt} {res['kind']}: {res['type']}: {res['message'][:160]} @ {res['frame']}"
    print(f"{line}  [{saved}]", flush=True)


def summary(stats: Stats, elapsed: float, seed: int) -> int:
    total = sum(stats.tried.values())
    fails = sum(stats.bugs.values())
    print(
        f"\nfuzz: seed {seed}, {elapsed:.1f} s, {total} inputs, {total / elapsed if elapsed > 0 else 0:.1f} exec/s"
    )
    cols = ("ok", "partial", "failed", "readerror", "fail", "hang", "crash")
    print(f"{'format':<8}{'inputs':>8}" + "".join(f"{c:>11}" for c in cols))
    for fmt in sorted(stats.tried):
        o = stats.outcomes[fmt]
        print(f"{fmt:<8}{stats.tried[fmt]:>8}" + "".join(f"{o[c]:>11}" for c in cols))
    allo = Counter()
    for o in stats.outcomes.values():
        allo.update(o)
    print(f"{'total':<8}{total:>8}" + "".join(f"{allo[c]:>11}" for c in cols))
    n_hang, n_crash = allo["hang"], allo["crash"]
    print(
        f"failures {fails} (exceptions and masked errors {allo['fail']}, hangs {n_hang}, crashes {n_crash})"
    )
    if stats.reasons:
        print("most frequent ReadError reasons:")
        for (fmt, reason), n in stats.reasons.most_common(10):
            print(f"  {n:>5} × {fmt:<5} {reason[:100]}")
    if stats.bugs:
        print("distinct failures:")
        for (fmt, sig), n in stats.bugs.most_common():
            print(f"  {n:>5} × {fmt:<5} {sig}")
    return 1 if fails else 0


def fuzz(args: argparse.Namespace) -> int:
    dirs = [Path(d) for d in args.corpus] if args.corpus else list(DEFAULT_CORPUS)
    seeds = collect([d for d in dirs if d.exists()])
    if args.formats:
        seeds = {f: v for f, v in seeds.items() if f in args.formats.split(",")}
    if not seeds:
        print("fuzz: no report files in the corpus", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    out_dir = Path(args.out)
    stats = Stats()
    with tempfile.TemporaryDirectory(prefix="govreport-fuzz-") as tmp:
        work = Path(tmp)
        worker = Worker(work, args.timeout, args.mem_mb)
        worker.start()
        # the unmutated reports first: they must read, and they are the corpus only if they do
        for fmt in list(seeds):
            kept = []
            for s in seeds[fmt]:
                res = worker.run(s.path)
                if res["outcome"] == "ok":
                    kept.append(s)
                elif res["outcome"] == "readerror":
                    print(f"fuzz: {s.path.relative_to(ROOT) if s.path.is_relative_to(ROOT) else s.path} "
                          f"is not a readable report, left out ({res['message'][:120]})")  # fmt: skip
                else:
                    stats.tried[fmt] += 1
                    stats.outcomes[fmt][res["outcome"]] += 1
                    report_failure(
                        res, fmt, f"{fmt}-original-{s.path.stem}", s.data, stats, out_dir, s.path.suffix
                    )
            if kept:
                seeds[fmt] = kept
            else:
                del seeds[fmt]
        if not seeds:
            worker.stop()
            print("fuzz: no report in the corpus reads unmutated: nothing to fuzz", file=sys.stderr)
            return summary(stats, 0.0, seed) or 2
        ctx = Context(seeds, work)
        print(f"fuzz: seed {seed}, {args.seconds:g} s, corpus "
              + ", ".join(f"{len(v)} {k}" for k, v in sorted(seeds.items()))
              + f"; qpdf {'yes' if ctx.qpdf else 'no'}; failures go to {out_dir}", flush=True)  # fmt: skip
        start = time.monotonic()
        n = 0
        try:
            while time.monotonic() - start < args.seconds:
                base, data, how = make_input(ctx, seed, n)
                fmt = base.fmt
                path = work / f"input{base.path.suffix}"
                path.write_bytes(data)
                res = worker.run(path)
                stats.tried[fmt] += 1
                key = res.get("status", res["outcome"]) if res["outcome"] == "ok" else res["outcome"]
                stats.outcomes[fmt][key] += 1
                if res["outcome"] == "readerror":
                    reason = res["message"][len(str(path)) + 2 :]
                    stats.reasons[(fmt, re.sub(r"\d+", "N", re.split(r" \(|: ", reason, maxsplit=1)[0]))] += 1
                if res["outcome"] in ("fail", "hang", "crash"):
                    name = f"{fmt}-seed{seed}-{n:06d}-{re.sub(r'[^A-Za-z0-9.+]', '', how)[:60]}"
                    report_failure(res, fmt, name, data, stats, out_dir, base.path.suffix)
                n += 1
        except KeyboardInterrupt:
            print("fuzz: interrupted", flush=True)
        finally:
            elapsed = time.monotonic() - start
            worker.stop()
    return summary(stats, elapsed, seed)


def replay(paths: list[str]) -> int:
    status = 0
    for p in paths:
        res = run_one(Path(p), show=True)
        print(f"{p}: {json.dumps(res, ensure_ascii=False)}")
        status |= res["outcome"] == "fail"
    return status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz (default 60)")
    ap.add_argument("--seed", type=int, default=None, help="seed of the run (default: random, printed)")
    ap.add_argument("--corpus", nargs="+", metavar="DIR", help="folders (or files) of reports to mutate")
    ap.add_argument("--formats", help="only these formats, e.g. pdf,docx (default: all)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take (default 10)")
    ap.add_argument("--mem-mb", type=int, default=2048, help="address-space limit of the worker, MB")
    ap.add_argument("--out", default=str(CRASH_DIR), help="where failing inputs are saved")
    ap.add_argument("--replay", nargs="+", metavar="FILE", help="run saved inputs here, with tracebacks")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker_main(args.mem_mb)
        return 0
    if args.replay:
        return replay(args.replay)
    return fuzz(args)


if __name__ == "__main__":
    sys.exit(main())
