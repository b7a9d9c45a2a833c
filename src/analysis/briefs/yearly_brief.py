# ---
# jupyter:
#   kernelspec:
#     display_name: govreport (project)
#     language: python
#     name: govreport
# ---

# %% [markdown]
# # 政府信息公开工作年度报告简报
#
# 一个单位（或地区）一个年度：主要数字及与上一份报告相比的变化、自动生成的文字说明、六张图表，
# 以及核对报告时发现的数据问题。数据取自各单位政府信息公开工作年度报告。

# %%
from IPython.display import Markdown, display

from analysis import store, views
from analysis.briefs.files import brief_tables, change_text, export_tables, write_key_figures
from analysis.corpus.audit import audit_findings, kind_counts
from analysis.model import labels
from analysis.present import charts, text
from analysis.present.tables import KEY_TEXT_COLUMNS, issues_frame, key_figures_frame, show

# %% tags=["parameters"]
bureau = "淮安市人民政府"  # canonical bureau name (as in the reports table)
region = ""  # a region instead of a bureau (e.g. 江苏省淮安市): sums the region's reports
year = 2024  # the year reported on
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
output_dir = ""  # folder for charts (PNG + SVG) and key figures; empty means show only

# %%
# every parameter checked first: an unknown bureau, region, year or parameter name stops here
views.check_parameters(
    store.load_tables(data_dir, tables=["reports"])["reports"],
    bureau=None if region else bureau,
    region=region or None,
    year=year,
)

# %%
charts.setup_style()
name = region or bureau
everything = store.load_tables(data_dir)
charts.use_bureaus(everything["reports"]["bureau"].dropna().astype(str))  # one colour per bureau
tables = views.scope(everything, bureau=None if region else bureau, region=region or None)
years = sorted(int(y) for y in tables["reports"]["year"].dropna().unique())
if year not in years:
    raise ValueError(f"no report for {name} in {year} (years with a report: {years or 'none'})")
ov = views.request_overview(tables["requests"])
headline = views.headline_figures(tables, name, year)
sentences = text.brief_sentences(tables, name, year)
display(Markdown(f"## {name} {year}年政府信息公开工作年度报告简报\n\n报告年度：{'、'.join(map(str, years))}"))

# %% [markdown]
# ## 主要数字

# %%
key = key_figures_frame([dict(r, change=change_text(r)) for _, r in headline.iterrows()], year)
display(show(key, right=[c for c in key.columns if c not in KEY_TEXT_COLUMNS], empty="没有可用的数字。"))
display(Markdown("\n".join(f"- {s}" for s in sentences)))
if output_dir:
    write_key_figures(
        output_dir, name, year, headline, sentences, views.unread_values(tables, name, year, headline)
    )

# %% [markdown]
# ## 图表

# %%
# a legacy year (before 2019) prints no carry-over: only its new requests are drawn, nothing is 未能读取
flows = views.request_flows(
    tables["requests"][tables["requests"]["year"] <= year],
    ["new_received", "carried_over", "carried_forward"],
)
fig = charts.bars(
    flows,
    "year",
    "value",
    f"{name}：收到与结转的申请",
    hue="variable",
    ylabel="件",
    colors=dict(zip(["new_received", "carried_over", "carried_forward"], charts.PALETTE, strict=False)),
    hue_labels=labels.ROW_LABELS,
    templates=True,  # the series runs across the legacy → 2019 → 2021 templates: mark where and say what changed
)
charts.publish(fig, output_dir, "01_requests")

# %%
shares = views.outcome_shares(tables["requests"])
upto = tables["requests"][tables["requests"]["year"] <= year]
fig = charts.outcome_shares_chart(
    shares[shares["year"] <= year],
    f"{name}：申请办理结果构成",
    note=text.template_change_note(upto) or None,  # only when both templates are in the chart
)
charts.publish(fig, output_dir, "02_outcomes")

# %%
rs = views.reasons(tables["requests"])
fig = charts.reasons_chart(rs[rs["year"] == year], f"{name}：{year}年不予公开和无法提供的原因")
charts.publish(fig, output_dir, "03_reasons")

# %%
mix = views.applicant_mix(tables["requests"])
mix = mix[(mix["year"] == year) & (mix["value"] > 0)]
fig = charts.bars(mix, "label", "value", f"{name}：{year}年申请人构成（本年新收）", ylabel="件")
charts.publish(fig, output_dir, "04_applicants")

# %%
cr = views.correction_rates(tables["reviews_litigation"])
fig = charts.stacked_results_chart(cr[cr["year"] == year], f"{name}：{year}年行政复议和行政诉讼结果")
charts.publish(fig, output_dir, "05_review_litigation")

# %%
rel = views.release_summary(tables["active_disclosure"])
decisions = ["documents_issued", "license_decisions", "penalty_decisions", "coercion_decisions"]
rel = rel[rel["year"] <= year].melt(id_vars=["year"], value_vars=decisions)
fig = charts.bars(
    rel,
    "year",
    "value",
    f"{name}：制发规章和规范性文件，行政许可、处罚、强制决定数量",
    hue="variable",
    ylabel="件",
    hue_labels=views.RELEASE_SUMMARY_LABELS,
    colors=dict(zip(decisions, charts.PALETTE, strict=False)),
)
charts.publish(fig, output_dir, "06_release")

# %% [markdown]
# ## 数据核对
#
# 跨报告核对（与上一年报告的衔接、正文所述数字与表格、与其他单位报告雷同、异常值）和未能读取的数字，按类计数。

# %%
# the findings of this bureau's (or region's) reports only: the checks were run on the whole store at ingest
checked = kind_counts(audit_findings(tables), [name], year)
display(Markdown(text.audit_sentence(checked.to_dict(), year)))

# %% [markdown]
# ## 数据问题
#
# 核对报告时发现的问题：勾稽关系不成立的数字、按 0 计的空白单元格、未能读取的行等，以及需要核对什么。
# 数字均按报告原样保留；未能读取的数字不按 0 计。

# %%
issues = views.report_issues(tables, name, year)
display(
    Markdown(
        f"{year}年报告共发现数据问题 {len(issues)} 条。" if len(issues) else f"{year}年报告没有发现数据问题。"
    )
)
if len(issues):
    display(show(issues_frame(issues, keys=())))

# %%
# the tables this brief compares: a CSV file each (UTF-8 with BOM) and one workbook, tables.xlsx
if output_dir:
    export_tables(output_dir, brief_tables(tables, name, year))
