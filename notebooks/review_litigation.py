# ---
# jupyter:
#   kernelspec:
#     display_name: govreport (project)
#     language: python
#     name: govreport
# ---

# %% [markdown]
# # 行政复议和行政诉讼
#
# Table 4 of the reports over years: cases by result and the correction rate (纠错率 = 纠正 / 总计).
# 行政诉讼（合计） adds lawsuits filed directly and after review. Where a report's 总计 does not equal its
# results, the figures stay as printed and the data-quality notebook lists the report.

# %%
from IPython.display import display

from analysis import store, views
from analysis.briefs.files import export_tables
from analysis.model.labels import RESULT_LABELS
from analysis.present import charts
from analysis.present.tables import show

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
bureaus = []  # bureaus to compare; empty means every bureau
top = 8  # charts naming bureaus draw at most this many (largest by the stated measure); the footnote names the rest
output_dir = ""  # folder to save the charts in (PNG + SVG); empty means show only

# %%
# every parameter checked first: an unknown bureau, region, year or parameter name stops here
views.check_parameters(store.load_tables(data_dir, tables=["reports"])["reports"], bureaus=bureaus)

# %%
charts.setup_style()
# only the tables this notebook uses, and only the rows of `bureaus` when given
loaded = store.load_tables(
    data_dir, tables=["reports", "issues", "reviews_litigation"], bureaus=bureaus or None
)
tables = views.scope(loaded, bureau=bureaus or None)
rates = views.correction_rates(tables["reviews_litigation"])
display(show(rates, labels=RESULT_LABELS))

# %%
review = rates[rates["proceeding"] == "review"]
fig = charts.trend(review, "total", "政府信息公开行政复议案件数", ylabel="件", top=top)
charts.publish(fig, output_dir, "review_total")

# %%
fig = charts.trend(
    review, "correction_rate", "行政复议纠错率（纠正 / 总计）", ylabel="纠错率", percent=True, top=top
)
charts.publish(fig, output_dir, "review_correction_rate")

# %%
lit = rates[rates["proceeding"] == "litigation"]
fig = charts.trend(lit, "total", "政府信息公开行政诉讼案件数（直接起诉 + 复议后起诉）", ylabel="件", top=top)
charts.publish(fig, output_dir, "litigation_total")

# %%
fig = charts.trend(
    lit, "correction_rate", "行政诉讼纠错率（纠正 / 总计）", ylabel="纠错率", percent=True, top=top
)
charts.publish(fig, output_dir, "litigation_correction_rate")

# %%
# the `top` bureaus with the most cases (review + litigation) in their latest year; the footnote names the rest
latest = views.latest_per_bureau(rates)
cases = latest.groupby(["bureau", "year"], as_index=False)["total"].sum(min_count=1)
drawn, left_out = charts.top_bureaus(cases, "total", "bureau", top, "最近一年复议和诉讼案件数")
latest = latest[latest["bureau"].isin(set(drawn["bureau"]))]
both = latest[latest["proceeding"].isin(["review", "litigation"])].assign(
    what=lambda d: d["bureau"] + " " + d["year"].astype(str) + "年 " + d["label"].str[:4]
)
fig = charts.stacked_results_chart(both, "行政复议和行政诉讼结果（各单位最近一年）", x="what", note=left_out)
charts.publish(fig, output_dir, "results")

# %% [markdown]
# ## 导出
#
# 本笔记本比较的表格：每张一个 CSV 文件（UTF-8 带 BOM，Excel 直接打开中文不乱码），另有一个工作簿 tables.xlsx（每张表一个工作表）。

# %%
if output_dir:
    export_tables(
        output_dir,
        {"行政复议和行政诉讼": rates},  # computed above
    )
