# ---
# jupyter:
#   kernelspec:
#     display_name: govreport (project)
#     language: python
#     name: govreport
# ---

# %% [markdown]
# # 排名：报告中提到的榜单，以及数据支持的排行
#
# First the rankings the reports state (a WeChat account's place on an influence list …), drawn so a
# better place is higher and a "前20位" shows as a band. Then league tables of the bureaus in the data:
# requests received, grant rate, review correction rate (lower is better) and documents issued, with each
# bureau's change in place since the year before (▲ up, ▼ down, — same, 新 not ranked then).
# Rates rank only bureaus with a minimum number of cases.

# %%
from IPython.display import display

from analysis import store, views
from analysis.briefs.files import export_tables
from analysis.present import charts, text
from analysis.present.tables import show

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
bureaus = []  # bureaus to compare; empty means every bureau
year = 0  # league-table year; 0 means the latest year in which two or more bureaus can be ranked
min_requests = 30  # requests processed before a bureau is ranked on grant rate
min_reviews = 5  # reviews before a bureau is ranked on review correction rate
output_dir = ""  # folder to save the charts in (PNG + SVG); empty means show only

# %%
# every parameter checked first: an unknown bureau, region, year or parameter name stops here
views.check_parameters(store.load_tables(data_dir, tables=["reports"])["reports"], bureaus=bureaus, year=year)

# %% [markdown]
# ## 报告中提到的排名

# %%
charts.setup_style()
tables = views.scope(store.load_tables(data_dir), bureau=bureaus or None)
bands = views.ranking_bands(tables["rankings"])
display(show(bands.drop(columns=["sentence"])))
fig = charts.rank_chart(bands, "报告中提到的榜单排名（越靠上越好）")
charts.publish(fig, output_dir, "stated_rankings")

# %% [markdown]
# ## 排行榜

# %%
league = views.league_tables(tables, min_requests=min_requests, min_reviews=min_reviews)
league_year = year or views.default_league_year(league)
this = league[league["year"] == league_year]
units = this["metric"].map(lambda m: views.LEAGUE_METRICS[m]["unit"])  # rates print as percentages
display(
    show(
        this.assign(unit=units, change_label=this["change"].map(text.place_change_label)).drop(
            columns=["metric", "change"]
        ),
        not_applicable=True,
    )
)

# %%
for metric, meta in views.LEAGUE_METRICS.items():
    rows = this[this["metric"] == metric]
    fig = charts.league_chart(rows, f"{league_year}年{meta['label']}排行", percent=meta["unit"] == "%")
    charts.publish(fig, output_dir, f"league_{metric}")

# %% [markdown]
# ## 历年名次

# %%
display(
    show(league.pivot_table(index=["label", "bureau"], columns="year", values="place"), not_applicable=True)
)

# %% [markdown]
# ## 导出
#
# 本笔记本比较的表格：每张一个 CSV 文件（UTF-8 带 BOM，Excel 直接打开中文不乱码），另有一个工作簿 tables.xlsx（每张表一个工作表）。

# %%
if output_dir:
    export_tables(
        output_dir,
        {
            "排行榜": views.league_tables(tables, min_requests=min_requests, min_reviews=min_reviews),
            "报告中提到的排名": views.ranking_bands(tables["rankings"]),
        },
    )
