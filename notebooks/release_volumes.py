# ---
# jupyter:
#   kernelspec:
#     display_name: govreport (project)
#     language: python
#     name: govreport
# ---

# %% [markdown]
# # 主动公开：规章和规范性文件、行政决定、收费，以及各渠道发布量
#
# Table 2 of the reports (二、主动公开政府信息情况) across years, per bureau and for a set of bureaus,
# and the volumes the narrative states per channel (website, 微博, 微信 …).
#
# The two templates count differently: 2019 counts documents *made* (本年新制作), 2021 documents *issued*
# (本年制发) — both are shown as 本年制发; 现行有效 and fees in 万元 exist only in the 2021 template.
# A narrative sentence often gives a total and its parts, so a channel's volume is the largest figure
# stated for it.

# %%
from IPython.display import display

from analysis import store, views
from analysis.briefs.files import export_tables
from analysis.present import charts
from analysis.present.tables import show

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
bureaus = []  # bureaus to compare; empty means every bureau
bureau = "平潭综合实验区"  # one bureau to show in detail; empty means the first of the set
top = 8  # charts naming bureaus draw at most this many (largest by the stated measure); the footnote names the rest
output_dir = ""  # folder to save the charts in (PNG + SVG); empty means show only

# %%
# every parameter checked first: an unknown bureau, region, year or parameter name stops here
views.check_parameters(
    store.load_tables(data_dir, tables=["reports"])["reports"], bureaus=bureaus, bureau=bureau
)

# %%
charts.setup_style()
# only the tables this notebook uses, and only the rows of `bureaus` when given
loaded = store.load_tables(
    data_dir, tables=["reports", "issues", "active_disclosure", "channel_volumes"], bureaus=bureaus or None
)
tables = views.scope(loaded, bureau=bureaus or None)
summary = views.release_summary(tables["active_disclosure"])
focus = bureau or (summary["bureau"].iloc[0] if len(summary) else "")
display(show(summary))

# %% [markdown]
# ## 规章和行政规范性文件

# %%
fig = charts.trend(summary, "documents_issued", "本年制发规章和行政规范性文件", ylabel="件", top=top)
charts.publish(fig, output_dir, "documents_issued")

# %%
fig = charts.trend(
    summary, "documents_in_force", "现行有效规章和行政规范性文件（2021版模板）", ylabel="件", top=top
)
charts.publish(fig, output_dir, "documents_in_force")

# %% [markdown]
# ## 行政许可、处罚、强制决定和收费

# %%
cols = ["license_decisions", "penalty_decisions", "coercion_decisions"]
fig = charts.release_bars(summary[summary["bureau"] == focus], cols, f"{focus}：行政许可、处罚、强制决定数量")
charts.publish(fig, output_dir, "decisions")

# %%
fig = charts.trend(summary, "penalty_decisions", "行政处罚决定数量", ylabel="件", top=top)
charts.publish(fig, output_dir, "penalty_decisions")

# %%
fig = charts.trend(summary, "fee_amount", "行政事业性收费金额（2021版模板）", ylabel="万元", top=top)
charts.publish(fig, output_dir, "fees")

# %%
detail = views.release_table(tables["active_disclosure"])
display(
    show(
        detail[detail["bureau"] == focus].pivot_table(
            index=["clause", "label"], columns="year", values="value"
        )
    )
)

# %% [markdown]
# ## 各渠道发布量（报告正文所述）

# %%
ch = views.channel_table(tables["channel_volumes"])
display(show(ch))
latest = views.latest_per_bureau(ch)
fig = charts.bars(
    latest.assign(what=latest["label"] + "（" + latest["unit"] + "）"),
    "what",
    "value",
    "各渠道发布量（各单位最近一年，报告正文所述）",
    hue="bureau",
    ylabel="数量",
    top=top,
)
charts.publish(fig, output_dir, "channels")

# %% [markdown]
# ## 导出
#
# 本笔记本比较的表格：每张一个 CSV 文件（UTF-8 带 BOM，Excel 直接打开中文不乱码），另有一个工作簿 tables.xlsx（每张表一个工作表）。

# %%
if output_dir:
    export_tables(
        output_dir,
        {
            "主动公开主要数字": summary,  # the tables computed above
            "主动公开明细": detail,
            "公开渠道": ch,
        },
    )
