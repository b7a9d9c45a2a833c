# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
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
from analysis.present import charts, text

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
bureaus = []  # bureaus to compare; empty means every bureau
output_dir = ""  # folder to save the charts in (PNG + SVG); empty means show only

# %%
charts.setup_style()
tables = views.scope(store.load_tables(data_dir), bureau=bureaus or None)
ov = views.request_overview(tables["requests"])
note = text.template_change_note(tables["requests"])
display(ov)

# %% [markdown]
# ## 收到申请

# %%
fig = charts.trend(ov, "new_received", "本年新收政府信息公开申请", ylabel="件", templates=True)
charts.publish(fig, output_dir, "requests_new_received")

# %%
fig = charts.trend(ov, "received_total", "收到申请总数（本年新收 + 上年结转）", ylabel="件")
charts.publish(fig, output_dir, "requests_received_total")

# %% [markdown]
# ## 办理结果构成

# %%
shares = views.outcome_shares(tables["requests"])
display(shares.pivot_table(index=["bureau", "year"], columns="label", values="share", observed=True).round(3))
fig = charts.outcome_shares_chart(shares, "申请办理结果构成（按结果大类）", by=("bureau", "year"), note=note)
charts.publish(fig, output_dir, "outcome_shares")
display(Markdown(note))

# %%
fig = charts.trend(
    ov, "grant_rate", "公开率（予以公开 + 部分公开）走势", ylabel="占办理结果的比例", percent=True
)
charts.publish(fig, output_dir, "grant_rate")

# %% [markdown]
# ## 不予公开、无法提供的原因

# %%
rs = views.reasons(tables["requests"])
display(rs[rs["value"] > 0])
for (bureau, year), g in rs.groupby(["bureau", "year"]):
    if year == rs[rs["bureau"] == bureau]["year"].max():  # each bureau's latest year
        fig = charts.reasons_chart(g, f"{bureau}：{year}年不予公开和无法提供的原因")
        charts.publish(fig, output_dir, f"reasons_{charts.safe_name(bureau)}_{year}")

# %% [markdown]
# ## 申请人构成

# %%
mix = views.applicant_mix(tables["requests"])
display(mix.pivot_table(index=["bureau", "year"], columns="label", values="value", observed=True))
latest = views.latest_per_bureau(mix)
fig = charts.bars(
    latest[latest["value"] > 0],
    "label",
    "value",
    "申请人构成（各单位最近一年，本年新收）",
    hue="bureau",
    ylabel="件",
)
charts.publish(fig, output_dir, "applicants")

# %% [markdown]
# ## 结转：积压是否在增加
#
# 上年结转 (carried over into the year) against 结转下年度继续办理 (carried forward out of it).

# %%
display(ov[["bureau", "year", "carried_over", "carried_forward", "backlog_change"]])
fig = charts.trend(ov, "carried_forward", "结转下年度继续办理的申请", ylabel="件")
charts.publish(fig, output_dir, "backlog")
