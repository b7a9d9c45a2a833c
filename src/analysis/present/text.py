"""Text for people: numbers as the reports print them and the sentences generated from the figures."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from analysis.model.labels import OUTCOME_LABELS
from analysis.views.headline import HEADLINES, headline_figures
from analysis.views.requests import other_rows_by_report, reasons, request_overview
from analysis.views.reviews import correction_rates
from analysis.views.shape import num

TEMPLATE_CHANGE_NOTE = (
    "注：2021年起（新版模板）第三部分“（六）其他处理”由一行拆分为三行（申请人无正当理由逾期不补正、"
    "行政机关不再处理其政府信息公开申请；申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请；其他），"
    "此前为一行。本图表按结果大类（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）比较，三行合并计入“其他处理”。"
)


def template_change_note(requests: pd.DataFrame) -> str:
    """The footnote on the (六) rows: the general rule plus, per bureau, the years printed with one row and
    the years with three (from the data, since some bodies switched a year early or late)."""
    layouts = other_rows_by_report(requests)
    parts = []
    for bureau, g in layouts.groupby("bureau"):
        one = sorted(g.loc[g["layout"] == "一行", "year"])
        three = sorted(g.loc[g["layout"] == "三行", "year"])
        if one and three:
            parts.append(f"{bureau}：{_years(one)}为一行，{_years(three)}为三行")
    detail = ("本数据中" + "；".join(parts) + "。") if parts else ""
    return TEMPLATE_CHANGE_NOTE + detail


def _years(years: Sequence[int]) -> str:
    return "、".join(f"{y}年" for y in years)


def place_change_label(change: object) -> str:
    """ "▲2" (up two places), "▼1", "—" (unchanged) or "新" (not ranked the year before)."""
    if change is None or change is pd.NA or (isinstance(change, float) and math.isnan(change)):
        return "新"
    change = int(change)
    return f"▲{change}" if change > 0 else (f"▼{-change}" if change < 0 else "—")


def fmt_count(v: float) -> str:
    """A count as the reports print it: ``3119`` (no separators); ``—`` when missing."""
    return "—" if v is None or math.isnan(v) else f"{int(round(v))}"


def fmt_rate(v: float) -> str:
    """A fraction as a percentage with one decimal: ``0.4463`` → ``44.6%``."""
    return "—" if v is None or math.isnan(v) else f"{v * 100:.1f}%"


def fmt_value(v: float, unit: str) -> str:
    """A headline value with its unit (件 counts, % rates, 万元 money)."""
    if unit == "%":
        return fmt_rate(v)
    if v is None or math.isnan(v):
        return "—"
    if unit == "件":
        return f"{fmt_count(v)}件"
    return f"{v:,.2f}{unit}".rstrip("0").rstrip(".") if unit else f"{v:g}"


def compare_phrase(value: float, prev: float, year: int, prev_year: int | None, unit: str = "件") -> str:
    """ "同比增长12.3%（2023年为2777件）", "比2021年提高1.1个百分点（…）", "同比增加3件（2020年为0件）",
    "与上年持平（…）", or "" when there is nothing to compare with."""
    if prev_year is None or prev is None or math.isnan(prev) or math.isnan(value):
        return ""
    base = "同比" if prev_year == year - 1 else f"比{prev_year}年"
    same = "与上年持平" if prev_year == year - 1 else f"与{prev_year}年持平"
    was = f"（{prev_year}年为{fmt_value(prev, unit)}）"
    if unit == "%":
        diff = (value - prev) * 100
        if abs(diff) < 0.05:
            return same + was
        return f"{base}{'提高' if diff > 0 else '下降'}{abs(diff):.1f}个百分点{was}"
    if value == prev:
        return same + was
    if abs(prev) < 10:  # a percentage of a tiny base says little: give the difference
        return f"{base}{'增加' if value > prev else '减少'}{fmt_value(abs(value - prev), unit)}{was}"
    return f"{base}{'增长' if value > prev else '下降'}{abs(value - prev) / prev * 100:.1f}%{was}"


def _clause(text: str, cmp: str) -> str:
    return f"{text}，{cmp}" if cmp else text


def brief_sentences(tables: dict[str, pd.DataFrame], name: str, year: int) -> list[str]:
    """A few plain Chinese sentences on one bureau/region-year, generated from the same figures as the
    charts (e.g. "2024年共收到政府信息公开申请3119件，同比增长…"). With no earlier year it says so once."""
    h = headline_figures(tables, name, year)
    if h.empty:
        return [f"{name}{year}年没有可用的申请数据。"]
    f = h.set_index("key")
    prev_year = f["prev_year"].dropna()
    py = int(prev_year.iloc[0]) if not prev_year.empty else None

    def v(key: str) -> float:
        return num(f.loc[key, "value"])

    def cmp(key: str) -> str:
        return compare_phrase(v(key), num(f.loc[key, "prev_value"]), year, py, unit=f.loc[key, "unit"])

    out = []
    if py is None:
        out.append(f"{name}没有{year}年以前的报告，没有可比较的往年数据，以下只列{year}年的数字。")
    elif py != year - 1:
        out.append(f"{name}没有{year - 1}年的报告，以下与最近的{py}年比较。")
    ov = request_overview(tables["requests"])
    ov = ov[(ov["bureau"] == name) & (ov["year"] == year)]
    if not math.isnan(v("new_received")):
        out.append(
            _clause(f"{year}年共收到政府信息公开申请{fmt_count(v('new_received'))}件", cmp("new_received"))
            + "。"
        )
    if not math.isnan(v("total_processed")) and not ov.empty:
        row = ov.iloc[0]
        out.append(
            _clause(
                f"全年办结{fmt_count(v('total_processed'))}件，其中予以公开{fmt_count(row['granted'])}件、"
                f"部分公开{fmt_count(row['partially_granted'])}件，公开率（含部分公开）{fmt_rate(v('grant_rate'))}",
                cmp("grant_rate"),
            )
            + "。"
        )
    rs = reasons(tables["requests"])
    rs = rs[(rs["bureau"] == name) & (rs["year"] == year)]
    bits = []
    for group in ("withheld", "unavailable"):
        total = v(group)
        if math.isnan(total) or total == 0:
            continue
        top = rs[(rs["group"] == group) & (rs["value"] > 0)]
        why = (
            f"，主要原因是“{top.iloc[0]['label']}”（{fmt_count(top.iloc[0]['value'])}件）"
            if not top.empty
            else ""
        )
        bits.append(f"{OUTCOME_LABELS[group]}{fmt_count(total)}件{why}")
    if bits:
        out.append("；".join(bits) + "。")
    cf = v("carried_forward")
    if not math.isnan(cf) and not ov.empty:
        co = num(ov.iloc[0]["carried_over"])
        if math.isnan(co):
            trend = ""
        else:
            trend = "，积压有所增加" if cf > co else ("，积压有所减少" if cf < co else "，与上年结转持平")
        out.append(f"结转下年度继续办理{fmt_count(cf)}件（上年结转{fmt_count(co)}件）{trend}。")
    rv, lt = v("review_total"), v("litigation_total")
    if not (math.isnan(rv) and math.isnan(lt)):
        cr = correction_rates(tables["reviews_litigation"])
        cr = cr[(cr["bureau"] == name) & (cr["year"] == year)]
        parts = cr[["upheld", "corrected", "other", "pending"]].sum(axis=1)
        mismatch = cr[(parts != cr["total"].fillna(0))]
        if (0 if math.isnan(rv) else rv) == 0 and (0 if math.isnan(lt) else lt) == 0 and mismatch.empty:
            out.append("全年未发生政府信息公开行政复议和行政诉讼案件。")
        else:
            rate = v("review_correction_rate")
            rate_txt = f"；复议被纠错率{fmt_rate(rate)}" if not math.isnan(rate) else ""
            out.append(
                _clause(f"因政府信息公开引发行政复议{fmt_count(rv)}件", cmp("review_total"))
                + f"{rate_txt}；行政诉讼{fmt_count(lt)}件。"
            )
        for _, m in mismatch.iterrows():
            if m["proceeding"] == "litigation":
                continue
            out.append(
                f"注意：{m['label']}的“总计”为{fmt_count(m['total'])}件，但各项结果合计"
                f"{fmt_count(m['upheld'] + m['corrected'] + m['other'] + m['pending'])}件，报告数字不一致。"
            )
    di = v("documents_issued")
    if not math.isnan(di):
        extra = [
            f"{HEADLINES[k][0]}{fmt_count(v(k))}件"
            for k in ("license_decisions", "penalty_decisions")
            if not math.isnan(v(k))
        ]
        out.append(
            f"本年制发规章和行政规范性文件{fmt_count(di)}件"
            + ("，作出" + "、".join(extra) if extra else "")
            + "。"
        )
    return out
