"""Text for people: numbers as the reports print them and the sentences generated from the figures."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.model.labels import FINDING_KIND_LABELS, OUTCOME_LABELS
from analysis.views.headline import HEADLINES, headline_figures
from analysis.views.requests import other_rows_by_report, reasons, request_overview
from analysis.views.reviews import correction_rates
from analysis.views.shape import num
from analysis.views.unread import UNREAD

TEMPLATE_CHANGE_NOTE = (
    "注：2021年起（新版模板）第三部分“（六）其他处理”由一行拆分为三行（申请人无正当理由逾期不补正、"
    "行政机关不再处理其政府信息公开申请；申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请；其他），"
    "此前为一行。本图表按结果大类（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）比较，三行合并计入“其他处理”。"
)


def template_change_note(requests: pd.DataFrame, max_named: int = 5) -> str:
    """The footnote on the (六) rows: the general rule plus, per bureau (at most ``max_named``, then how
    many more), the years printed with one row and the years with three (from the data, since some
    bodies switched a year early or late); "" unless the data (what is plotted) holds both layouts."""
    layouts = other_rows_by_report(requests)
    if set(layouts["layout"]) != {"一行", "三行"}:
        return ""  # only one template in the data: nothing changed
    parts = []
    for bureau, g in layouts.groupby("bureau"):
        one = sorted(g.loc[g["layout"] == "一行", "year"])
        three = sorted(g.loc[g["layout"] == "三行", "year"])
        if one and three:
            parts.append(f"{bureau}：{_years(one)}为一行，{_years(three)}为三行")
    more = f"；另有{len(parts) - max_named}个单位两种格式都有" if len(parts) > max_named else ""
    detail = ("本数据中" + "；".join(parts[:max_named]) + more + "。") if parts else ""
    return TEMPLATE_CHANGE_NOTE + detail


def _years(years: Sequence[int]) -> str:
    return "、".join(f"{y}年" for y in years)


def place_change_label(change: object) -> str:
    """ "▲2" (up two places), "▼1", "—" (unchanged) or "新" (not ranked the year before)."""
    if change is None or change is pd.NA or (isinstance(change, float) and math.isnan(change)):
        return "新"
    change = int(change)
    return f"▲{change}" if change > 0 else (f"▼{-change}" if change < 0 else "—")


# a change on a base smaller than this is shown as the two counts ("2件→36件"), not as a percentage:
# "+1700.0%" on 2 says less than the counts do
SMALL_BASE = 10


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def fmt_count(v: float) -> str:
    """A count as the reports print it: ``3119`` (no separators); ``—`` when missing."""
    return "—" if _missing(v) else f"{int(round(v))}"


def fmt_rate(v: float, num: float | None = None, den: float | None = None) -> str:
    """A fraction as a percentage with one decimal, with its counts when known: ``50.0%（1/2）``."""
    if _missing(v):
        return "—"
    counts = f"（{fmt_count(num)}/{fmt_count(den)}）" if not (_missing(num) or _missing(den)) else ""
    return f"{v * 100:.1f}%{counts}"


def fmt_unread(reason: str) -> str:
    """A value that was not read: ``未能读取（表二…（row.ambiguous））``, never a number."""
    return f"{UNREAD}（{reason}）" if reason else UNREAD


def fmt_value(v: float, unit: str, num: float | None = None, den: float | None = None) -> str:
    """A headline value with its unit (件 counts, % rates with their counts, 万元 money)."""
    if unit == "%":
        return fmt_rate(v, num, den)
    if _missing(v):
        return "—"
    if unit == "件":
        return f"{fmt_count(v)}件"
    return f"{v:,.2f}{unit}".rstrip("0").rstrip(".") if unit else f"{v:g}"


def figure_text(row: pd.Series | dict, prev: bool = False) -> str:
    """A key figure (a ``views.headline_figures`` row) as shown: its value, or 未能读取（why） when the
    value was not read; ``prev=True`` for the earlier report's value."""
    p = "prev_" if prev else ""
    reason = row.get(f"{p}reason") or ""
    value = row[f"{p}value"]
    if _missing(value) and reason:
        return fmt_unread(reason)
    return fmt_value(value, row["unit"], row.get(f"{p}num"), row.get(f"{p}den"))


def change_text(row: pd.Series | dict) -> str:
    """The change column of a key figure: "+12.3%", "-3件", "+1.1个百分点", the two counts on a small
    base ("2件→36件", "1/2→3/36"), "无法比较（2023年未能读取）" or "—"."""
    unit, value, pv = row["unit"], row["value"], row["prev_value"]
    if (row.get("reason") or row.get("prev_reason")) and (_missing(value) or _missing(pv)):
        which = row.get("prev_year") if row.get("prev_reason") else "本年"
        return f"无法比较（{which}{'年' if which != '本年' else ''}{UNREAD}）"
    change = row["change"]
    if _missing(change):
        return "—"
    sign = "+" if change > 0 else ("-" if change < 0 else "±")
    if unit == "%":
        pd_, d = row.get("prev_den"), row.get("den")
        if not (_missing(pd_) or _missing(d)) and min(pd_, d) < SMALL_BASE:
            return f"{fmt_count(row['prev_num'])}/{fmt_count(pd_)}→{fmt_count(row['num'])}/{fmt_count(d)}"
        return f"{sign}{abs(change) * 100:.1f}个百分点"
    if unit == "件" and abs(pv) < SMALL_BASE:
        return f"{fmt_value(pv, unit)}→{fmt_value(value, unit)}"
    pct = row.get("pct_change")
    if not _missing(pct):
        return f"{sign}{abs(pct) * 100:.1f}%"
    return f"{sign}{fmt_value(abs(change), unit)}"


def compare_phrase(
    value: float,
    prev: float,
    year: int,
    prev_year: int | None,
    unit: str = "件",
    prev_reason: str = "",
    counts: tuple[float, float, float, float] | None = None,
) -> str:
    """ "同比增长12.3%（2023年为2777件）", "比2021年提高1.1个百分点（…）", "同比由2件增至5件" (a base
    under SMALL_BASE), "与上年持平（…）", "2021年未能读取（…），不作比较", or "" when there is nothing
    to compare with. ``counts`` = (num, den, prev_num, prev_den) of a rate."""
    if prev_year is None:
        return ""
    if _missing(prev) and prev_reason:
        return f"{prev_year}年的数字{fmt_unread(prev_reason)}，不作比较"
    if _missing(prev) or _missing(value):
        return ""
    base = "同比" if prev_year == year - 1 else f"比{prev_year}年"
    same = "与上年持平" if prev_year == year - 1 else f"与{prev_year}年持平"
    num, den, pnum, pden = counts or (None, None, None, None)
    was = f"（{prev_year}年为{fmt_value(prev, unit, pnum, pden)}）"
    if unit == "%":
        diff = (value - prev) * 100
        if abs(diff) < 0.05:
            return same + was
        return f"{base}{'提高' if diff > 0 else '下降'}{abs(diff):.1f}个百分点{was}"
    if value == prev:
        return same + was
    if abs(prev) < SMALL_BASE:  # a percentage of a tiny base says little: give the two counts
        start = "同比" if prev_year == year - 1 else f"与{prev_year}年相比，"
        return f"{start}由{fmt_value(prev, unit)}{'增至' if value > prev else '减至'}{fmt_value(value, unit)}"
    return f"{base}{'增长' if value > prev else '下降'}{abs(value - prev) / prev * 100:.1f}%{was}"


def _clause(text: str, cmp: str) -> str:
    return f"{text}，{cmp}" if cmp else text


def brief_sentences(
    tables: dict[str, pd.DataFrame], name: str, year: int, headline: pd.DataFrame | None = None
) -> list[str]:
    """A few plain Chinese sentences on one bureau/region-year, generated from the same figures as the
    charts (e.g. "2024年共收到政府信息公开申请3119件，同比增长…"). With no earlier year it says so once;
    a figure not read is said to be 未能读取 with its reason, never given as a number or compared.
    ``headline``: ``headline_figures`` of the same tables, when already computed."""
    h = headline_figures(tables, name, year) if headline is None else headline
    if h.empty:
        return [f"{name}{year}年没有可用的申请数据。"]
    f = h.set_index("key")
    prev_year = f["prev_year"].dropna()
    py = int(prev_year.iloc[0]) if not prev_year.empty else None

    def v(key: str) -> float:
        return num(f.loc[key, "value"])

    def why(key: str) -> str:
        return str(f.loc[key, "reason"] or "")

    def say(key: str) -> str:
        """The figure as a sentence gives it: "3119件", "44.6%（1362/3050）" or "未能读取（…）"."""
        return figure_text(f.loc[key])

    def cmp(key: str) -> str:
        r = f.loc[key]
        counts = (num(r["num"]), num(r["den"]), num(r["prev_num"]), num(r["prev_den"]))
        return compare_phrase(
            v(key), num(r["prev_value"]), year, py, r["unit"], str(r["prev_reason"] or ""), counts
        )

    out = []
    if py is None:
        out.append(f"{name}没有{year}年以前的报告，没有可比较的往年数据，以下只列{year}年的数字。")
    elif py != year - 1:
        out.append(f"{name}没有{year - 1}年的报告，以下与最近的{py}年比较。")
    ov = request_overview(tables["requests"])
    ov = ov[(ov["bureau"] == name) & (ov["year"] == year)]
    if not math.isnan(v("new_received")):
        out.append(
            _clause(f"{year}年共收到政府信息公开申请{say('new_received')}", cmp("new_received")) + "。"
        )
    elif why("new_received"):
        out.append(f"{year}年收到的政府信息公开申请数{say('new_received')}。")
    if not ov.empty and not (math.isnan(v("total_processed")) and not why("total_processed")):
        row = ov.iloc[0]
        parts = "、".join(
            f"{OUTCOME_LABELS[g]}{fmt_count(row[g])}件"
            if not math.isnan(num(row[g]))
            else f"{OUTCOME_LABELS[g]}{UNREAD}"
            for g in ("granted", "partially_granted")
        )
        out.append(
            _clause(
                f"全年办结{say('total_processed')}，其中{parts}，公开率（含部分公开）{say('grant_rate')}",
                cmp("grant_rate"),
            )
            + "。"
        )
    rs = reasons(tables["requests"])
    rs = rs[(rs["bureau"] == name) & (rs["year"] == year)]
    bits = []
    for group in ("withheld", "unavailable"):
        total = v(group)
        if math.isnan(total):
            if why(group):
                bits.append(f"{OUTCOME_LABELS[group]}的申请数{say(group)}")
            continue
        if total == 0:
            continue
        top = rs[(rs["group"] == group) & (rs["value"] > 0)]
        why_top = (
            f"，主要原因是“{top.iloc[0]['label']}”（{fmt_count(top.iloc[0]['value'])}件）"
            if not top.empty
            else ""
        )
        bits.append(f"{OUTCOME_LABELS[group]}{fmt_count(total)}件{why_top}")
    if bits:
        out.append("；".join(bits) + "。")
    cf = v("carried_forward")
    if not math.isnan(cf) and not ov.empty:
        co = num(ov.iloc[0]["carried_over"])
        if math.isnan(co):
            trend = ""
        else:
            trend = "，积压有所增加" if cf > co else ("，积压有所减少" if cf < co else "，与上年结转持平")
        was = f"上年结转{fmt_count(co)}件" if not math.isnan(co) else f"上年结转{UNREAD}"
        out.append(f"结转下年度继续办理{fmt_count(cf)}件（{was}）{trend}。")
    elif why("carried_forward"):
        out.append(f"结转下年度继续办理的申请数{say('carried_forward')}。")
    rv, lt = v("review_total"), v("litigation_total")
    if not (math.isnan(rv) and math.isnan(lt)) or why("review_total") or why("litigation_total"):
        cr = correction_rates(tables["reviews_litigation"])
        cr = cr[(cr["bureau"] == name) & (cr["year"] == year)]
        parts = cr[["upheld", "corrected", "other", "pending"]].sum(axis=1, min_count=4)
        mismatch = cr[parts.notna() & cr["total"].notna() & (parts != cr["total"])]
        if rv == 0 and lt == 0 and mismatch.empty:
            out.append("全年未发生政府信息公开行政复议和行政诉讼案件。")
        else:
            rate = v("review_correction_rate")
            rate_txt = f"；复议被纠错率{say('review_correction_rate')}" if not math.isnan(rate) else ""
            review = f"因政府信息公开引发行政复议{say('review_total')}"
            out.append(
                _clause(review, cmp("review_total")) + f"{rate_txt}；行政诉讼{say('litigation_total')}。"
            )
        for _, m in mismatch.iterrows():
            if m["proceeding"] == "litigation":
                continue
            out.append(
                f"注意：{m['label']}的“总计”为{fmt_count(m['total'])}件，但各项结果合计"
                f"{fmt_count(m['upheld'] + m['corrected'] + m['other'] + m['pending'])}件，报告数字不一致。"
            )
    di = v("documents_issued")
    if not math.isnan(di) or why("documents_issued"):
        extra = [
            f"{HEADLINES[k][0]}{say(k)}"
            for k in ("license_decisions", "penalty_decisions")
            if not math.isnan(v(k)) or why(k)
        ]
        out.append(
            _clause(f"本年制发规章和行政规范性文件{say('documents_issued')}", cmp("documents_issued"))
            + ("，作出" + "、".join(extra) if extra else "")
            + "。"
        )
    return out


def audit_sentence(counts: Mapping[str, int], year: int) -> str:
    """The brief's 数据核对 line: findings by kind (codes of ``FINDING_KIND_LABELS``: 关系不符,
    叙述与表格不符, 雷同, 异常值, 未读取) in the year's report, or that the checks found nothing."""
    if not any(counts.values()):
        return f"数据核对：{year}年报告未发现勾稽关系不符、正文与表格不符、雷同、异常值或未能读取的数字。"
    parts = "、".join(f"{FINDING_KIND_LABELS.get(kind, kind)}{n}项" for kind, n in counts.items())
    return f"数据核对（{year}年报告）：{parts}；明细见下方“数据问题”。"
