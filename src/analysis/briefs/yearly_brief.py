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
from analysis.briefs import content
from analysis.briefs.files import export_tables
from analysis.present import charts
from analysis.present.tables import KEY_TEXT_COLUMNS, issues_frame, show

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
# only this bureau's (or region's) reports are read; the brief's content is made by the package
# (analysis.briefs.content), the same as `python -m analysis briefs` makes it without a kernel
charts.setup_style()
name = region or bureau
sliced = store.load_tables(
    data_dir,
    tables=content.BRIEF_TABLES,
    bureaus=None if region else [bureau],
    regions=[region] if region else None,
)
tables = content.subject_tables(sliced, bureau=bureau, region=region)
brief = content.make_brief(tables, name, year)
display(Markdown(f"## {brief.title}\n\n报告年度：{'、'.join(map(str, brief.years))}"))

# %% [markdown]
# ## 主要数字

# %%
key = brief.key
display(show(key, right=[c for c in key.columns if c not in KEY_TEXT_COLUMNS], empty="没有可用的数字。"))
display(Markdown("\n".join(f"- {s}" for s in brief.sentences)))
if output_dir:
    content.save_key_figures(brief, output_dir)

# %% [markdown]
# ## 图表

# %%
# the six charts (收到与结转、办理结果构成、原因、申请人、复议诉讼、主动公开), in slide order
for chart_name, draw in brief.charts:
    charts.publish(draw(), output_dir, chart_name)

# %% [markdown]
# ## 数据核对
#
# 跨报告核对（与上一年报告的衔接、正文所述数字与表格、与其他单位报告雷同、异常值）和未能读取的数字，按类计数。

# %%
# the findings of this bureau's (or region's) reports only: the checks were run on the whole store at ingest
display(Markdown(brief.audit_text))

# %% [markdown]
# ## 数据问题
#
# 核对报告时发现的问题：勾稽关系不成立的数字、按 0 计的空白单元格、未能读取的行等，以及需要核对什么。
# 数字均按报告原样保留；未能读取的数字不按 0 计。

# %%
display(Markdown(brief.issues_text))
if len(brief.issues):
    display(show(issues_frame(brief.issues, keys=())))

# %%
# the tables this brief compares: a CSV file each (UTF-8 with BOM) and one workbook, tables.xlsx
if output_dir:
    export_tables(output_dir, brief.tables)
