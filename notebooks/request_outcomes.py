# ---
# jupyter:
#   kernelspec:
#     display_name: govreport (project)
#     language: python
#     name: govreport
# ---

# %% [markdown]
# # 依申请公开：收到、办理结果、原因、申请人、结转
#
# Did requests rise, what share were granted or refused and why, who asked, is the backlog growing —
# per bureau and year, bureaus side by side. Outcome shares use the six outcome groups, so years before
# and after the 2021 template change compare (see the footnote on the (六) rows).
#
# Definitions: outcome shares divide by the sum of all outcome rows; grant rate = (予以公开 + 部分公开) / outcomes.

# %%
from IPython.display import Markdown, display

from analysis import store, views
from analysis.briefs.files import export_tables
from analysis.present import charts, text
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
loaded = store.load_tables(data_dir, tables=["reports", "issues", "requests"], bureaus=bureaus or None)
tables = views.scope(loaded, bureau=bureaus or None)
ov = views.request_overview(tables["requests"])
note = text.template_change_note(tables["requests"])
display(show(ov))

# %% [markdown]
# ## 收到申请

# %%
fig = charts.trend(ov, "new_received", "本年新收政府信息公开申请", ylabel="件", templates=True, top=top)
charts.publish(fig, output_dir, "requests_new_received")

# %%
modern = views.without_legacy(ov, tables["requests"])  # before 2019 no carry-over was printed: not unread
fig = charts.trend(modern, "received_total", "收到申请总数（本年新收 + 上年结转）", ylabel="件", top=top)
charts.publish(fig, output_dir, "requests_received_total")

# %% [markdown]
# ## 办理结果构成

# %%
shares = views.outcome_shares(tables["requests"])
display(
    show(
        shares.pivot_table(index=["bureau", "year"], columns="label", values="share", observed=True),
        numbers="rate",
    )
)
fig = charts.outcome_shares_chart(
    shares, "申请办理结果构成（按结果大类）", by=("bureau", "year"), note=note, top=top
)
charts.publish(fig, output_dir, "outcome_shares")
display(Markdown(note))

# %%
fig = charts.trend(
    ov, "grant_rate", "公开率（予以公开 + 部分公开）走势", ylabel="占办理结果的比例", percent=True, top=top
)
charts.publish(fig, output_dir, "grant_rate")

# %% [markdown]
# ## 不予公开、无法提供的原因

# %%
rs = views.reasons(tables["requests"])
display(show(rs[rs["value"] > 0]))
# one chart per bureau (its latest year), for the `top` bureaus with the most new requests in their latest year
drawn, left_out = charts.top_bureaus(ov, "new_received", "bureau", top, "最近一年新收申请")
if left_out:
    display(Markdown(left_out.replace("未画出", "的原因图未画出")))
latest_rs = views.latest_per_bureau(rs[rs["bureau"].isin(set(drawn["bureau"]))])
for (bureau, year), g in latest_rs.groupby(["bureau", "year"]):
    fig = charts.reasons_chart(g, f"{bureau}：{year}年不予公开和无法提供的原因")
    charts.publish(fig, output_dir, f"reasons_{charts.safe_name(bureau)}_{year}")

# %% [markdown]
# ## 申请人构成

# %%
mix = views.applicant_mix(tables["requests"])
display(show(mix.pivot_table(index=["bureau", "year"], columns="label", values="value", observed=True)))
latest = views.latest_per_bureau(mix)
fig = charts.bars(
    latest[latest["value"] > 0],
    "label",
    "value",
    "申请人构成（各单位最近一年，本年新收）",
    hue="bureau",
    ylabel="件",
    top=top,
)
charts.publish(fig, output_dir, "applicants")

# %% [markdown]
# ## 结转：积压是否在增加
#
# 上年结转 (carried over into the year) against 结转下年度继续办理 (carried forward out of it).

# %%
display(show(modern[["bureau", "year", "carried_over", "carried_forward", "backlog_change"]]))
fig = charts.trend(modern, "carried_forward", "结转下年度继续办理的申请", ylabel="件", top=top)
charts.publish(fig, output_dir, "backlog")

# %% [markdown]
# ## 导出
#
# 本笔记本比较的表格：每张一个 CSV 文件（UTF-8 带 BOM，Excel 直接打开中文不乱码），另有一个工作簿 tables.xlsx（每张表一个工作表）。

# %%
if output_dir:
    export_tables(
        output_dir,
        {
            "申请和办理": ov,
            "办理结果构成": shares,
            "不予公开和无法提供的原因": rs,
            "申请人构成": mix,
        },
    )
