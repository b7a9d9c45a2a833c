"""Shaping the tidy tables for analysis: outcome shares, year-on-year change, league tables, headline figures.

Pure pandas on the tables of the data model (docs/data-model.md), so every notebook, brief and test
computes a figure the same way. Counts are summed per ``(bureau, year)`` before any rate is taken, so a
region (several bureaus relabelled with the region's name by :func:`scope`) is shaped like one bureau.

Definitions used throughout (and stated in the notebooks):

- *received* = 本年新收 (``new_received``); *received incl. carried over* adds 上年结转.
- outcome shares divide each outcome group by the sum of all outcome rows (so they add up to 100 %),
  not by the printed (七)总计, which does not always agree with its rows.
- *grant rate* = (予以公开 + 部分公开) / outcomes; *full grant rate* = 予以公开 / outcomes.
- *correction rate* (纠错率) = 纠正 / 总计 of a proceeding.
- *release volume* = regulations and normative documents made/issued in the year (table 2, 20.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from analysis.model import codes
from analysis.store.choose import STATUS_RANK

TABLES: tuple[str, ...] = codes.TABLES
KEYS = ["report_id", "bureau", "year"]

# ---------------------------------------------------------------------------------------------- labels

OUTCOME_GROUPS: tuple[str, ...] = codes.OUTCOME_GROUPS
OUTCOME_LABELS: dict[str, str] = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
ROW_LABELS: dict[str, str] = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld.state_secret": "属于国家秘密",
    "withheld.prohibited_by_law": "法律行政法规禁止公开",
    "withheld.security_stability": "危及“三安全一稳定”",
    "withheld.third_party": "保护第三方合法权益",
    "withheld.internal_affairs": "三类内部事务信息",
    "withheld.process_info": "四类过程性信息",
    "withheld.enforcement_file": "行政执法案卷",
    "withheld.administrative_query": "行政查询事项",
    "unavailable.not_held": "本机关不掌握相关信息",
    "unavailable.needs_creation": "没有现成信息需另行制作",
    "unavailable.still_unclear": "补正后申请内容仍不明确",
    "not_processed.petition": "信访举报投诉类申请",
    "not_processed.duplicate": "重复申请",
    "not_processed.publication": "要求提供公开出版物",
    "not_processed.excessive": "无正当理由大量反复申请",
    "not_processed.confirmation": "要求确认或重新出具已获取信息",
    "other": "其他处理",
    "other.no_correction": "逾期不补正不再处理",
    "other.fee_unpaid": "逾期未缴费不再处理",
    "other.other": "其他",
    "total_processed": "办结总计",
    "carried_forward": "结转下年度继续办理",
}
APPLICANT_LABELS: dict[str, str] = dict(codes.APPLICANT_LABELS)
PROCEEDING_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
    "litigation": "行政诉讼（合计）",
}
RESULT_LABELS: dict[str, str] = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
ITEM_LABELS: dict[str, str] = {
    "regulation": "规章",
    "normative_document": "行政规范性文件",
    "administrative_license": "行政许可",
    "other_management_service": "其他对外管理服务事项",
    "administrative_penalty": "行政处罚",
    "administrative_coercion": "行政强制",
    "administrative_fee": "行政事业性收费",
    "centralized_procurement": "政府集中采购",
}
METRIC_LABELS: dict[str, str] = {
    "made": "本年新制作",
    "published": "本年新公开",
    "total_published": "对外公开总数",
    "issued": "本年制发",
    "repealed": "本年废止",
    "in_force": "现行有效",
    "prev_year_items": "上一年项目数",
    "change": "本年增减",
    "decisions": "处理决定数",
    "fee_amount": "收费金额（万元）",
    "procurement_items": "采购项目数",
    "procurement_amount": "采购金额（万元）",
}
CHANNEL_LABELS: dict[str, str] = {
    "website": "政府网站",
    "weibo": "政务微博",
    "wechat": "政务微信",
    "press": "报刊",
    "press_conference": "新闻发布会",
    "policy_interpretation": "政策解读",
    "gazette": "政府公报",
    "new_media_accounts": "新媒体账号",
    "douyin": "抖音",
    "other": "其他",
}
PLATFORM_LABELS: dict[str, str] = {
    "wechat": "微信",
    "weibo": "微博",
    "website": "网站",
    "douyin": "抖音",
    "overall": "综合",
}
STATUS_LABELS: dict[str, str] = {"ok": "已读取", "partial": "部分读取", "failed": "读取失败"}

TEMPLATE_CHANGE_NOTE = (
    "注：2021年起（新版模板）第三部分“（六）其他处理”由一行拆分为三行（申请人无正当理由逾期不补正、"
    "行政机关不再处理其政府信息公开申请；申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请；其他），"
    "此前为一行。本图表按结果大类（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）比较，三行合并计入“其他处理”。"
)


# ------------------------------------------------------------------------------------ choosing reports


def pick_reports(reports: pd.DataFrame, issues: pd.DataFrame | None = None) -> pd.DataFrame:
    """One report per (bureau, year): when several documents cover it, the one the rule prefers.

    The rule (``analysis.dedupe``): a readable document first, then the later publication, then fewer
    errors (counted from ``issues`` when given), a complete read, a format that keeps table cells,
    fewer issues, report_id. It is the choice the store records in ``reports.superseded_by``.
    """
    if reports.empty:
        return reports.copy()
    from analysis.store.choose import choose

    chosen = reports[choose(reports, issues).isna()]
    return chosen.sort_values(["bureau", "year"], kind="stable").reset_index(drop=True)


def select_reports(
    tables: dict[str, pd.DataFrame], reports: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Every table restricted to the chosen reports (default: :func:`pick_reports` of ``tables['reports']``)."""
    chosen = pick_reports(tables["reports"], tables.get("issues")) if reports is None else reports
    ids = set(chosen["report_id"].astype("string"))
    out = {}
    for name, df in tables.items():
        if name == "reports":
            out[name] = chosen.reset_index(drop=True)
        elif "report_id" in df.columns:
            out[name] = df[df["report_id"].astype("string").isin(ids)].reset_index(drop=True)
        else:
            out[name] = df
    return out


def _region_matches(series: pd.Series, region: str) -> pd.Series:
    s = series.astype("string").fillna("")
    return (s == region) | (s.str.endswith(region) & (s.str.len() > len(region)) & (region != ""))


def scope(
    tables: dict[str, pd.DataFrame],
    bureau: str | Sequence[str] | None = None,
    region: str | None = None,
    dedupe: bool = True,
) -> dict[str, pd.DataFrame]:
    """The tables for one bureau, a list of bureaus, or one region.

    A region keeps the reports whose ``region`` equals it (or ends with it: ``淮安市`` matches
    ``江苏省淮安市``, not ``江苏省淮安市洪泽区`` — sub-regions report separately, and a city report
    already covers the city) and relabels their ``bureau`` with the region's name, so the views sum
    them into one series. Reports are deduplicated per (bureau, year) first.
    """
    t = select_reports(tables) if dedupe else dict(tables)
    reports = t["reports"]
    if region:
        keep = reports[_region_matches(reports["region"], region)]
    elif bureau is not None:
        names = [bureau] if isinstance(bureau, str) else list(bureau)
        keep = reports[reports["bureau"].astype("string").isin(names)]
    else:
        keep = reports
    out = select_reports(t, keep)
    if region:
        for name, df in out.items():
            if "bureau" in df.columns:
                df = df.copy()
                df["bureau"] = pd.Series(region, index=df.index, dtype="string")
                out[name] = df
    return out


def latest_per_bureau(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of each bureau's most recent year: what "each bureau's latest report" charts show."""
    if df.empty:
        return df
    return df[df["year"] == df.groupby("bureau")["year"].transform("max")]


def bureaus_with_report(reports: pd.DataFrame, year: int) -> list[str]:
    """Bureaus that have a (readable or partly readable) report for ``year``, sorted."""
    r = reports[(reports["year"] == year) & (reports["parse_status"].astype("string") != "failed")]
    return sorted(r["bureau"].dropna().astype(str).unique())


# -------------------------------------------------------------------------------------------- requests


def _plain(df: pd.DataFrame, *text_cols: str) -> pd.DataFrame:
    """Plain dtypes for shaping: bureau and the given code columns as strings (a missing one as ""),
    year as int, value as float (NA kept) — categories and Int64 would get in the way of pivots."""
    out = df.assign(bureau=df["bureau"].astype("string"), year=df["year"].astype("int64"))
    if "value" in out.columns:
        out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    for col in text_cols:
        out[col] = (
            out[col].astype("string")
            if col in out.columns
            else pd.Series("", index=out.index, dtype="string")
        )
    return out


def _totals(requests: pd.DataFrame) -> pd.DataFrame:
    """The 总计 column of table 3 with the row's outcome group; values as float (NA kept)."""
    df = requests[requests["applicant"].astype("string") == "total"].copy()
    df = _plain(df, "row")
    df["group"] = df["row"].map(lambda r: codes.outcome_group(r) if isinstance(r, str) else None)
    return df


def _ratio(num: pd.Series | float, den: pd.Series | float) -> pd.Series | float:
    if isinstance(den, pd.Series):
        return num / den.where(den > 0)
    return num / den if den and den > 0 else float("nan")


def request_overview(requests: pd.DataFrame) -> pd.DataFrame:
    """One row per (bureau, year): received, carried over, processed, carried forward, each outcome group,
    grant rates and the change in backlog (carried forward minus carried over)."""
    cols = [
        "bureau",
        "year",
        "new_received",
        "carried_over",
        "received_total",
        "total_processed",
        "carried_forward",
        "outcomes",
        *OUTCOME_GROUPS,
        "grant_rate",
        "full_grant_rate",
        "backlog_change",
    ]
    t = _totals(requests)
    if t.empty:
        return pd.DataFrame(columns=cols)
    flows = t[t["group"].isna()].pivot_table(
        index=["bureau", "year"], columns="row", values="value", aggfunc="sum", observed=True
    )
    groups = t[t["group"].notna()].pivot_table(
        index=["bureau", "year"], columns="group", values="value", aggfunc="sum", observed=True
    )
    df = flows.join(groups, how="outer")
    for col in ("new_received", "carried_over", "total_processed", "carried_forward", *OUTCOME_GROUPS):
        if col not in df.columns:
            df[col] = float("nan")
    df["received_total"] = df["new_received"].fillna(0) + df["carried_over"].fillna(0)
    df["outcomes"] = df[list(OUTCOME_GROUPS)].sum(axis=1, min_count=1)
    df["grant_rate"] = _ratio(df["granted"].fillna(0) + df["partially_granted"].fillna(0), df["outcomes"])
    df["full_grant_rate"] = _ratio(df["granted"].fillna(0), df["outcomes"])
    df["backlog_change"] = df["carried_forward"] - df["carried_over"]
    return df.reset_index()[cols].sort_values(["bureau", "year"]).reset_index(drop=True)


def outcome_shares(requests: pd.DataFrame) -> pd.DataFrame:
    """Long table (bureau, year, group, label, value, share): each outcome group's count and share of all
    outcomes. Works across the 2019→2021 template change because the (六) rows all fall in ``other``."""
    t = _totals(requests)
    t = t[t["group"].notna()]
    cols = ["bureau", "year", "group", "label", "value", "share"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    g = t.groupby(["bureau", "year", "group"], observed=True)["value"].sum(min_count=1).reset_index()
    full = pd.MultiIndex.from_product(
        [g[["bureau", "year"]].drop_duplicates().itertuples(index=False), OUTCOME_GROUPS]
    )
    g = g.set_index(["bureau", "year", "group"])
    rows = [(b, y, grp) for (b, y), grp in full]
    g = g.reindex(pd.MultiIndex.from_tuples(rows, names=["bureau", "year", "group"])).reset_index()
    g["value"] = g["value"].fillna(0.0)
    den = g.groupby(["bureau", "year"])["value"].transform("sum")
    g["share"] = _ratio(g["value"], den)
    g["label"] = g["group"].map(OUTCOME_LABELS)
    g["group"] = pd.Categorical(g["group"], categories=list(OUTCOME_GROUPS))
    return g[cols].sort_values(["bureau", "year", "group"]).reset_index(drop=True)


def reasons(requests: pd.DataFrame, groups: Sequence[str] = ("withheld", "unavailable")) -> pd.DataFrame:
    """Long table (bureau, year, group, row, label, value, share_of_group): the reasons behind the chosen
    outcome groups, largest first within each (bureau, year, group)."""
    t = _totals(requests)
    t = t[t["group"].isin(list(groups))]
    cols = ["bureau", "year", "group", "row", "label", "value", "share_of_group"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    g = t.groupby(["bureau", "year", "group", "row"], observed=True)["value"].sum().reset_index()
    g["share_of_group"] = _ratio(g["value"], g.groupby(["bureau", "year", "group"])["value"].transform("sum"))
    g["label"] = g["row"].map(ROW_LABELS).fillna(g["row"])
    g = g.sort_values(
        ["bureau", "year", "group", "value"], ascending=[True, True, True, False], kind="stable"
    )
    return g[cols].reset_index(drop=True)


def applicant_mix(requests: pd.DataFrame, row: str = "new_received") -> pd.DataFrame:
    """Long table (bureau, year, applicant, label, value, share): who asked (one table-3 row by applicant)."""
    df = requests[
        (requests["row"].astype("string") == row) & (requests["applicant"].astype("string") != "total")
    ]
    cols = ["bureau", "year", "applicant", "label", "value", "share"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = _plain(df, "applicant")
    g = df.groupby(["bureau", "year", "applicant"])["value"].sum().reset_index()
    g["share"] = _ratio(g["value"], g.groupby(["bureau", "year"])["value"].transform("sum"))
    g["label"] = g["applicant"].map(APPLICANT_LABELS)
    order = {a: i for i, a in enumerate(codes.APPLICANTS)}
    g = g.sort_values(
        ["bureau", "year", "applicant"], key=lambda s: s.map(order) if s.name == "applicant" else s
    )
    return g[cols].reset_index(drop=True)


def other_rows_by_report(requests: pd.DataFrame) -> pd.DataFrame:
    """Which (六)其他处理 layout each (bureau, year) printed: ``one row`` (``other``) or ``three rows``."""
    rows = requests[requests["row"].astype("string").str.startswith("other")]
    cols = ["bureau", "year", "layout"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    g = rows.groupby([rows["bureau"].astype("string"), rows["year"].astype("int64")])["row"].agg(
        lambda s: "三行" if any(str(r).startswith("other.") for r in s) else "一行"
    )
    return g.rename("layout").reset_index().sort_values(["bureau", "year"]).reset_index(drop=True)


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


# --------------------------------------------------------------------------------- reviews, litigation


def correction_rates(reviews_litigation: pd.DataFrame) -> pd.DataFrame:
    """One row per (bureau, year, proceeding) with upheld/corrected/other/pending/total and the correction
    rate (纠正 / 总计); ``litigation`` adds the two kinds of lawsuit together."""
    cols = [
        "bureau",
        "year",
        "proceeding",
        "label",
        "upheld",
        "corrected",
        "other",
        "pending",
        "total",
        "correction_rate",
    ]
    df = reviews_litigation
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = _plain(df, "proceeding", "result")
    wide = df.pivot_table(
        index=["bureau", "year", "proceeding"], columns="result", values="value", aggfunc="sum"
    )
    for col in codes.RESULTS:
        if col not in wide.columns:
            wide[col] = float("nan")
    wide = wide.reset_index()
    wide.columns.name = None
    lit = wide[wide["proceeding"].isin(["litigation_direct", "litigation_after_review"])]
    if not lit.empty:
        lit = lit.groupby(["bureau", "year"])[list(codes.RESULTS)].sum(min_count=1).reset_index()
        lit["proceeding"] = "litigation"
        wide = pd.concat([wide, lit], ignore_index=True)
    wide["correction_rate"] = _ratio(wide["corrected"], wide["total"])
    wide["label"] = wide["proceeding"].map(PROCEEDING_LABELS)
    order = {p: i for i, p in enumerate(PROCEEDING_LABELS)}
    wide = wide.sort_values(
        ["bureau", "year", "proceeding"], key=lambda s: s.map(order) if s.name == "proceeding" else s
    )
    return wide[cols].reset_index(drop=True)


# -------------------------------------------------------------------------------- active disclosure


def release_table(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """Table 2 in long form with Chinese labels: bureau, year, clause, item, metric, label, value, unit."""
    cols = ["bureau", "year", "clause", "item", "metric", "label", "value", "unit"]
    df = active_disclosure
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = _plain(df, "clause", "item", "metric", "unit")
    g = (
        df.groupby(["bureau", "year", "clause", "item", "metric"], dropna=False)
        .agg(value=("value", "sum"), unit=("unit", "first"))
        .reset_index()
    )
    g["label"] = (
        g["item"].map(ITEM_LABELS).fillna(g["item"])
        + "·"
        + g["metric"].map(METRIC_LABELS).fillna(g["metric"])
    )
    return g[cols].sort_values(["bureau", "year", "clause", "item", "metric"]).reset_index(drop=True)


RELEASE_SUMMARY_LABELS: dict[str, str] = {
    "documents_issued": "本年制发规章和规范性文件",
    "regulations_issued": "本年制发规章",
    "normative_issued": "本年制发行政规范性文件",
    "documents_in_force": "现行有效规章和规范性文件",
    "license_decisions": "行政许可决定",
    "penalty_decisions": "行政处罚决定",
    "coercion_decisions": "行政强制决定",
    "fee_amount": "行政事业性收费（万元）",
}


def release_summary(active_disclosure: pd.DataFrame) -> pd.DataFrame:
    """One row per (bureau, year) with the table-2 figures that compare across templates: documents made
    or issued (2019 ``made`` = 2021 ``issued``), in force (2021 only), licensing / penalty / coercion
    decisions, and fees (2021 only: the 2019 template counts fee items, not money)."""
    cols = ["bureau", "year", *RELEASE_SUMMARY_LABELS]
    t = release_table(active_disclosure)
    if t.empty:
        return pd.DataFrame(columns=cols)

    def pick(mask: pd.Series) -> pd.Series:
        return t[mask].groupby(["bureau", "year"])["value"].sum(min_count=1)

    new = t["metric"].isin(["issued", "made"])
    parts = {
        "regulations_issued": pick(new & (t["item"] == "regulation")),
        "normative_issued": pick(new & (t["item"] == "normative_document")),
        "documents_issued": pick(new & t["item"].isin(["regulation", "normative_document"])),
        "documents_in_force": pick(t["metric"] == "in_force"),
        "license_decisions": pick((t["item"] == "administrative_license") & (t["metric"] == "decisions")),
        "penalty_decisions": pick((t["item"] == "administrative_penalty") & (t["metric"] == "decisions")),
        "coercion_decisions": pick((t["item"] == "administrative_coercion") & (t["metric"] == "decisions")),
        "fee_amount": pick(t["metric"] == "fee_amount"),
    }
    index = t[["bureau", "year"]].drop_duplicates().set_index(["bureau", "year"]).index
    df = pd.DataFrame({k: v.reindex(index) for k, v in parts.items()}, index=index).reset_index()
    return df[cols].sort_values(["bureau", "year"]).reset_index(drop=True)


def channel_table(channel_volumes: pd.DataFrame) -> pd.DataFrame:
    """Narrative channel volumes per (bureau, year, channel, metric, unit) with Chinese labels.

    A sentence often gives a total and then its parts ("公开信息302条，其中工作动态218条…"), so the
    largest figure stated for a channel and metric is taken as its volume, not the sum."""
    cols = ["bureau", "year", "channel", "label", "metric", "unit", "value"]
    df = channel_volumes
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = _plain(df, "channel", "metric", "unit")
    df[["metric", "unit"]] = df[["metric", "unit"]].fillna("")
    g = df.groupby(["bureau", "year", "channel", "metric", "unit"])["value"].max().reset_index()
    g["label"] = g["channel"].map(CHANNEL_LABELS).fillna(g["channel"])
    return g[cols].sort_values(["bureau", "year", "channel", "metric"]).reset_index(drop=True)


# -------------------------------------------------------------------------------------------- rankings


def ranking_bands(rankings: pd.DataFrame) -> pd.DataFrame:
    """Stated rankings ready to draw: ``best``..``worst`` is the place (equal for an exact rank; 1..n for
    a "前n位" statement) and ``label`` reads like the report ("第30位", "前20位")."""
    cols = [
        "bureau",
        "year",
        "list_name",
        "platform",
        "rank_kind",
        "rank",
        "best",
        "worst",
        "label",
        "sentence",
    ]
    df = rankings
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = _plain(df, "rank_kind", "platform", "list_name").assign(
        rank=pd.to_numeric(df["rank"], errors="coerce")
    )
    df = df[df["rank"].notna()].copy()
    top = df["rank_kind"] == "top_n"
    df["best"] = df["rank"].where(~top, 1).astype("int64")
    df["worst"] = df["rank"].astype("int64")
    df["label"] = ("第" + df["rank"].astype("int64").astype(str) + "位").where(
        ~top, "前" + df["rank"].astype("int64").astype(str) + "位"
    )
    if "sentence" not in df.columns:
        df["sentence"] = ""
    return df[cols].sort_values(["list_name", "bureau", "year"]).reset_index(drop=True)


LEAGUE_METRICS: dict[str, dict] = {
    "new_received": {"label": "收到申请数", "ascending": False, "unit": "件"},
    "grant_rate": {"label": "公开率（含部分公开）", "ascending": False, "unit": "%"},
    "review_correction_rate": {"label": "行政复议纠错率（越低越好）", "ascending": True, "unit": "%"},
    "documents_issued": {"label": "本年制发规章和规范性文件", "ascending": False, "unit": "件"},
}


def league_table(values: pd.DataFrame, ascending: bool = False) -> pd.DataFrame:
    """Places per year from a (bureau, year, value) frame: ``place`` 1 is the highest value (lowest when
    ``ascending``); ties share the best place. ``change`` is the gain in places since the bureau's place
    in the previous year (positive = moved up; NA = not ranked last year)."""
    cols = ["bureau", "year", "value", "place", "n", "prev_place", "change"]
    df = values.dropna(subset=["value"]).copy()
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["year"] = df["year"].astype("int64")
    df["place"] = df.groupby("year")["value"].rank(method="min", ascending=ascending).astype("int64")
    df["n"] = df.groupby("year")["value"].transform("size").astype("int64")
    prev = df[["bureau", "year", "place"]].assign(year=df["year"] + 1).rename(columns={"place": "prev_place"})
    df = df.merge(prev, on=["bureau", "year"], how="left")
    df["prev_place"] = df["prev_place"].astype("Int64")
    df["change"] = (df["prev_place"] - df["place"]).astype("Int64")
    return df[cols].sort_values(["year", "place", "bureau"]).reset_index(drop=True)


def league_tables(
    tables: dict[str, pd.DataFrame], min_requests: int = 30, min_reviews: int = 5
) -> pd.DataFrame:
    """League tables of the measures the data supports (see LEAGUE_METRICS), in one long frame with the
    columns of :func:`league_table` plus ``metric`` and ``label``. Rates need a minimum sample (requests
    processed, reviews) before a bureau is ranked on them."""
    ov = request_overview(tables["requests"])
    cr = correction_rates(tables["reviews_litigation"])
    rel = release_summary(tables["active_disclosure"])
    frames = {
        "new_received": ov[["bureau", "year", "new_received"]].rename(columns={"new_received": "value"}),
        "grant_rate": ov.loc[ov["outcomes"] >= min_requests, ["bureau", "year", "grant_rate"]].rename(
            columns={"grant_rate": "value"}
        ),
        "review_correction_rate": cr.loc[
            (cr["proceeding"] == "review") & (cr["total"] >= max(min_reviews, 1)),
            ["bureau", "year", "correction_rate"],
        ].rename(columns={"correction_rate": "value"}),
        "documents_issued": rel[["bureau", "year", "documents_issued"]].rename(
            columns={"documents_issued": "value"}
        ),
    }
    out = []
    for metric, frame in frames.items():
        meta = LEAGUE_METRICS[metric]
        lt = league_table(frame, ascending=meta["ascending"])
        if lt.empty:
            continue
        lt.insert(0, "label", meta["label"])
        lt.insert(0, "metric", metric)
        out.append(lt)
    if not out:
        return pd.DataFrame(
            columns=["metric", "label", "bureau", "year", "value", "place", "n", "prev_place", "change"]
        )
    return pd.concat(out, ignore_index=True)


def default_league_year(league: pd.DataFrame) -> int:
    """The year a league table means by default: the latest in which two or more bureaus are ranked
    (a table of one is no comparison), else the latest year; 0 when there is nothing to rank."""
    if league.empty:
        return 0
    counts = league.groupby("year")["bureau"].nunique()
    shared = counts[counts >= 2]
    return int((shared if len(shared) else counts).index.max())


def place_change_label(change: object) -> str:
    """ "▲2" (up two places), "▼1", "—" (unchanged) or "新" (not ranked the year before)."""
    if change is None or change is pd.NA or (isinstance(change, float) and math.isnan(change)):
        return "新"
    change = int(change)
    return f"▲{change}" if change > 0 else (f"▼{-change}" if change < 0 else "—")


# ------------------------------------------------------------------------------------------------- YoY


def yoy(
    df: pd.DataFrame, columns: Sequence[str], by: Sequence[str] = ("bureau",), time: str = "year"
) -> pd.DataFrame:
    """Add, for each column, the value of the previous available year of the same group (``prev_year``,
    ``<col>_prev``), the change and the relative change (``<col>_pct``, NaN when the previous value is 0)."""
    out = df.sort_values([*by, time]).copy()
    grouped = out.groupby(list(by), sort=False)
    out["prev_year"] = grouped[time].shift(1).astype("Int64")
    for col in columns:
        prev = grouped[col].shift(1)
        out[f"{col}_prev"] = prev
        out[f"{col}_change"] = out[col] - prev
        out[f"{col}_pct"] = (out[col] - prev) / prev.where(prev != 0)
    return out.reset_index(drop=True)


# -------------------------------------------------------------------------------- headline and sentences

HEADLINES: dict[str, tuple[str, str]] = {
    # key: (label, unit); "%" values are fractions
    "new_received": ("本年新收申请", "件"),
    "received_total": ("收到申请总数（含上年结转）", "件"),
    "total_processed": ("本年办结", "件"),
    "grant_rate": ("公开率（含部分公开）", "%"),
    "withheld": ("不予公开", "件"),
    "unavailable": ("无法提供", "件"),
    "carried_forward": ("结转下年度继续办理", "件"),
    "review_total": ("行政复议", "件"),
    "review_correction_rate": ("复议纠错率", "%"),
    "litigation_total": ("行政诉讼", "件"),
    "documents_issued": ("本年制发规章和规范性文件", "件"),
    "penalty_decisions": ("行政处罚决定", "件"),
    "license_decisions": ("行政许可决定", "件"),
}


def yearly_figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per (bureau, year) with every headline figure (columns = HEADLINES keys)."""
    ov = request_overview(tables["requests"])
    cr = correction_rates(tables["reviews_litigation"])
    rel = release_summary(tables["active_disclosure"])
    rev = cr[cr["proceeding"] == "review"][["bureau", "year", "total", "correction_rate"]].rename(
        columns={"total": "review_total", "correction_rate": "review_correction_rate"}
    )
    lit = cr[cr["proceeding"] == "litigation"][["bureau", "year", "total"]].rename(
        columns={"total": "litigation_total"}
    )
    pairs = {
        (str(b), int(y)) for f in (ov, rev, lit, rel) for b, y in zip(f["bureau"], f["year"], strict=True)
    }
    keys = pd.DataFrame(sorted(pairs), columns=["bureau", "year"]).astype(
        {"bureau": "string", "year": "int64"}
    )
    df = keys
    for f in (ov, rev, lit, rel):
        if not f.empty:
            df = df.merge(f.astype({"bureau": "string", "year": "int64"}), on=["bureau", "year"], how="left")
    for key in HEADLINES:
        if key not in df.columns:
            df[key] = float("nan")
    return df[["bureau", "year", *HEADLINES]].sort_values(["bureau", "year"]).reset_index(drop=True)


def headline_figures(tables: dict[str, pd.DataFrame], name: str, year: int) -> pd.DataFrame:
    """The brief's key figures for one scoped bureau/region and year: key, label, value, unit, prev_year,
    prev_value, change, pct_change (relative; for rates the change is in percentage points)."""
    cols = ["key", "label", "value", "unit", "prev_year", "prev_value", "change", "pct_change"]
    yf = yearly_figures(tables)
    yf = yf[yf["bureau"] == name]
    cur = yf[yf["year"] == year]
    if cur.empty:
        return pd.DataFrame(columns=cols)
    earlier = yf[yf["year"] < year]
    prev = earlier.iloc[-1] if not earlier.empty else None
    rows = []
    for key, (label, unit) in HEADLINES.items():
        value = _num(cur.iloc[0][key])
        pv = _num(prev[key]) if prev is not None else float("nan")
        change = value - pv if not (math.isnan(value) or math.isnan(pv)) else float("nan")
        pct = change / pv if unit != "%" and not math.isnan(change) and pv != 0 else float("nan")
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "unit": unit,
                "prev_year": int(prev["year"]) if prev is not None else None,
                "prev_value": pv,
                "change": change,
                "pct_change": pct,
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    df["prev_year"] = df["prev_year"].astype("Int64")
    return df


def _num(v: object) -> float:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return f


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
        return _num(f.loc[key, "value"])

    def cmp(key: str) -> str:
        return compare_phrase(v(key), _num(f.loc[key, "prev_value"]), year, py, unit=f.loc[key, "unit"])

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
        co = _num(ov.iloc[0]["carried_over"])
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


# ------------------------------------------------------------------------------------------ data quality


def status_counts(reports: pd.DataFrame) -> pd.DataFrame:
    """Reports per parse status (ok / partial / failed) with Chinese labels."""
    s = reports["parse_status"].astype("string").value_counts()
    df = pd.DataFrame({"parse_status": list(STATUS_LABELS)})
    df["label"] = df["parse_status"].map(STATUS_LABELS)
    df["reports"] = df["parse_status"].map(s).fillna(0).astype("int64")
    return df


def issues_by_check(issues: pd.DataFrame) -> pd.DataFrame:
    """Issue counts per (check, severity), with the number of reports affected, most frequent first."""
    cols = ["check", "severity", "issues", "reports"]
    if issues.empty:
        return pd.DataFrame(columns=cols)
    df = issues.assign(check=issues["check"].astype("string"), severity=issues["severity"].astype("string"))
    g = df.groupby(["check", "severity"]).agg(issues=("report_id", "size"), reports=("report_id", "nunique"))
    return (
        g.reset_index().sort_values(["issues", "check"], ascending=[False, True]).reset_index(drop=True)[cols]
    )


def coverage_grid(reports: pd.DataFrame) -> pd.DataFrame:
    """Bureau × year grid of the best parse status per cell (``ok`` / ``partial`` / ``failed``; empty when
    there is no report), with ``×n`` when several files hold the same report."""
    if reports.empty:
        return pd.DataFrame()
    df = reports.assign(
        bureau=reports["bureau"].astype("string").fillna("（未识别）"),
        status=reports["parse_status"].astype("string"),
    )
    df = df[df["year"].notna()]

    def cell(s: pd.Series) -> str:
        best = min(s, key=lambda x: STATUS_RANK.get(x, 9))
        return best if len(s) == 1 else f"{best}×{len(s)}"

    grid = df.pivot_table(index="bureau", columns="year", values="status", aggfunc=cell)
    years = range(int(df["year"].min()), int(df["year"].max()) + 1)
    return grid.reindex(columns=list(years)).fillna("")


def duplicate_documents(reports: pd.DataFrame, issues: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bureau-years that several documents cover: each document with its publication date, status and
    whether the views use it (the rule of :func:`pick_reports`), the used one first."""
    from analysis.store.choose import choose

    cols = [
        "bureau",
        "year",
        "used",
        "source_path",
        "published",
        "parse_status",
        "n_issues",
        "duplicate_paths",
    ]
    known = reports[reports["bureau"].notna() & reports["year"].notna()]
    several = known[known.duplicated(["bureau", "year"], keep=False)]
    if several.empty:
        return pd.DataFrame(columns=cols)
    df = several.assign(used=choose(several, issues).isna())
    df = df.sort_values(["bureau", "year", "used"], ascending=[True, True, False], kind="stable")
    return df[[c for c in cols if c in df.columns]].reset_index(drop=True)


def report_issues(
    tables: dict[str, pd.DataFrame], name: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """The issues of the (scoped) reports, optionally of one bureau/region and year, errors first."""
    df = tables["issues"]
    if name is not None:
        df = df[df["bureau"].astype("string") == name]
    if year is not None:
        df = df[df["year"] == year]
    cols = [
        c
        for c in ["bureau", "year", "severity", "check", "location", "expected", "actual", "message"]
        if c in df.columns
    ]
    df = df.assign(_sev=df["severity"].astype("string").map({"error": 0, "warning": 1}).fillna(2))
    return df.sort_values(["_sev", "year", "check"]).drop(columns="_sev")[cols].reset_index(drop=True)
