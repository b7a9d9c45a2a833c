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
from IPython.display import Markdown, display

from analysis import store, views
from analysis.briefs.files import export_tables
from analysis.present import charts, text
from analysis.present.tables import show
from analysis.views.league import FAIR_RATES, fair_league, left_out_counts

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
bureaus = []  # bureaus to compare; empty means every bureau
year = 0  # league-table year; 0 means the latest year in which two or more bureaus can be ranked
min_requests = 30  # requests processed before a bureau is ranked on grant rate
min_reviews = 5  # reviews before a bureau is ranked on review correction rate
top = 8  # charts naming bureaus draw at most this many (largest by the stated measure); the footnote names the rest
output_dir = ""  # folder to save the charts in (PNG + SVG); empty means show only

# %%
# every parameter checked first: an unknown bureau, region, year or parameter name stops here
views.check_parameters(store.load_tables(data_dir, tables=["reports"])["reports"], bureaus=bureaus, year=year)

# %% [markdown]
# ## 报告中提到的排名

# %%
charts.setup_style()
# only the tables this notebook uses, and only the rows of `bureaus` when given
loaded = store.load_tables(
    data_dir,
    tables=["reports", "issues", "requests", "reviews_litigation", "active_disclosure", "rankings"],
    bureaus=bureaus or None,
)
tables = views.scope(loaded, bureau=bureaus or None)
bands = views.ranking_bands(tables["rankings"])
display(show(bands.drop(columns=["sentence"])))
fig = charts.rank_chart(bands, "报告中提到的榜单排名（越靠上越好）", top=top)
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
    fig = charts.league_chart(
        rows, f"{league_year}年{meta['label']}排行", percent=meta["unit"] == "%", top=top
    )
    charts.publish(fig, output_dir, f"league_{metric}")

# %% [markdown]
# ## 比率的公平排名
#
# 公开率和行政复议纠错率按 95% Wilson 区间排名：公开率按区间下限（越高越好），纠错率按区间上限（越低越好），
# 所以几件申请的 100% 不会排在几百件的 90% 前面。办理结果不足 `min_requests` 件、复议不足 `min_reviews` 件，
# 或数字未能读取的单位不排名，下面说明有几个、为什么。

# %%
for metric, min_n in (("grant_rate", min_requests), ("review_correction_rate", min_reviews)):
    fair = fair_league(tables, metric, min_n=min_n)
    fair = fair[fair["year"] == league_year]
    left = fair[fair["left_out"].notna()]
    display(
        Markdown(
            f"**{FAIR_RATES[metric]['label']}**（{league_year}年）：排名 {int(fair['ranked'].sum())} 个单位，"
            f"未排名 {len(left)} 个"
            + "".join(f"；{r.why} {r.n} 个" for r in left_out_counts(left).itertuples())
        )
    )
    display(
        show(
            fair.drop(columns=["metric", "label", "score", "ranked"]),
            labels={"n": "样本（件）"},
            kinds=dict.fromkeys(["rate", "lo", "hi", "eb_rate"], "rate"),
            not_applicable=True,
        )
    )

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
            "排行榜": league,  # computed above, every year
            "报告中提到的排名": bands,
        },
    )
