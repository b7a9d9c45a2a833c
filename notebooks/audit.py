# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 数据核对：跨报告检查的结果
#
# Per bureau and year, every failed relation (inside a report and across years: 结转, 现行有效件数),
# every figure the narrative states that the tables contradict, every copied share (雷同), every
# anomaly against peers and the body's own history, and every value or table not read — with a summary
# of who fails what, exported as CSV and xlsx. The checks are `analysis.corpus` (computed on the whole
# store at every ingest); the anomaly thresholds and the copied share shown are parameters here.
#
# Only the scope's rows are read (its region and year): the findings are the ones ingest stored. With
# other anomaly thresholds than ingest's the anomalies are computed afresh, on the whole store (their
# peers are every same-level body). The narrative coverage counts the scope's reports, and with a `year`
# the peer groups shown are that year's.

# %%
from IPython.display import Markdown, display

from analysis import corpus, store, views
from analysis.briefs.files import export_tables
from analysis.corpus.anomalies import FIGURE_LABELS, FIGURE_TABLES, stored_thresholds
from analysis.corpus.audit import SCOPE_TABLES, audit_findings, audit_summary
from analysis.present.tables import show

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
region = ""  # e.g. 平潭综合实验区 or 淮安市; empty means every region
year = 0  # report year; 0 means every year
copied_share = 0.5  # list text_reuse shares from this share up (雷同)
z_threshold = 3.5  # robust z-score from which a year-over-year change is an outlier
min_peers = 8  # same-level peers needed before comparing a body with them
orders = 3.0  # orders of magnitude from the peers' median that make a value suspect
top = 8  # bureau-years shown one by one (most findings first); the summary and the exports hold all
output_dir = ""  # folder to write 汇总.csv, 发现.csv and tables.xlsx; empty means show only

# %%
# an unknown region or a year without reports stops here with what the store holds
views.check_parameters(
    store.load_tables(data_dir, tables=["reports"])["reports"], region=region or None, year=year or None
)
# the scope's rows only: its reports, their stored findings and what the narrative coverage compares
in_scope = {"regions": [region] if region else None, "years": [year] if year else None}
tables = store.load_tables(data_dir, tables=SCOPE_TABLES, **in_scope)
whole = tables if not (region or year) else None  # the whole store's figures, read when needed
if stored_thresholds(z_threshold, min_peers, orders):
    anomalies = None  # ingest's thresholds: the warnings it stored
else:  # other thresholds: every anomaly afresh, each body against all its same-level peers
    whole = whole or store.load_tables(data_dir, tables=FIGURE_TABLES)
    anomalies = corpus.anomaly_issues(whole, z=z_threshold, min_peers=min_peers, orders=orders)
findings = audit_findings(tables, copied_share=copied_share, anomalies=anomalies)
reports = tables["reports"]
keep = reports[["bureau", "year"]].astype({"bureau": "string"}).drop_duplicates()
findings = findings.merge(keep.astype({"year": "int64"}), on=["bureau", "year"])
summary = audit_summary(findings, reports)
scope_text = (region or "全部地区") + "，" + (f"{year}年" if year else "全部年份")
display(
    Markdown(
        f"**{scope_text}**：{summary['of_reports'].max() if len(summary) else len(keep)} 份报告中，"
        f"{findings[['bureau', 'year']].drop_duplicates().shape[0]} 份有发现，共 {len(findings)} 条。"
    )
)

# %% [markdown]
# ## 汇总：谁在哪一项上有问题

# %%
display(show(summary))

# %% [markdown]
# ## 逐个单位、逐年的发现

# %%
counts = (
    findings.groupby(["bureau", "year"], observed=True).size().sort_values(ascending=False, kind="stable")
)
shown = set(counts.head(top).index)
if len(counts) > top:
    display(
        Markdown(f"只列出发现最多的{top}个单位年度；其余{len(counts) - top}个见上面的汇总和导出的 发现.csv。")
    )
for (bureau, yr), grp in findings[findings.set_index(["bureau", "year"]).index.isin(shown)].groupby(
    ["bureau", "year"], sort=True, observed=True
):
    display(Markdown(f"### {bureau} {yr}"))
    display(show(grp[["kind", "check", "severity", "location", "expected", "actual", "message"]]))

# %% [markdown]
# ## 正文数字与表格的对照范围
#
# 正文所述数字只在句子明确说的是表格中的某一项时才与表格对照（宁缺毋滥）：下面是本次范围（地区、年度）的报告正文里
# 陈述了表格所统计事项数字的句子数，其中与表格单元格对应上的和未对应（跳过）的各有多少（只核对2019版和2021版模板的报告）。

# %%
coverage = corpus.narrative_coverage(tables)
display(
    Markdown(
        f"{scope_text}：{coverage['reports']} 份报告的正文中，{coverage['candidates']} 句陈述了表格所统计事项的数字："
        f"{coverage['tied']} 句与表格单元格对应并核对，{coverage['skipped']} 句未能明确对应而跳过。"
    )
)

# %% [markdown]
# ## 异常值检查比较了什么
#
# 异常值只在同级单位足够多时判断（每一数字、年度和层级至少 `min_peers` 个可比单位，不分地区）。下面是各组可比单位的
# 数量和中位数（给了 `year` 时是该年度的各组）；没有发现异常值时，这张表说明原因（可比单位不足，或数字都在同级单位的范围内）。

# %%
if year:  # that year's groups: every report of the year, and of the year before for the changes
    peers = corpus.peer_statistics(
        store.load_tables(data_dir, tables=FIGURE_TABLES, years=[year - 1, year]), min_peers=min_peers
    )
    peers = peers[peers["year"] == year].reset_index(drop=True)
else:
    peers = corpus.peer_statistics(
        whole or store.load_tables(data_dir, tables=FIGURE_TABLES), min_peers=min_peers
    )
peers = peers.assign(figure=peers["figure"].map(FIGURE_LABELS))
n_anomalies = int((findings["kind"] == "anomaly").sum())
display(
    Markdown(
        f"异常值：{n_anomalies} 条。{int(peers['compared'].sum())} 组（共 {len(peers)} 组）有至少 {min_peers} 个可比单位"
        + (
            f"，最多 {int(peers['values'].max())} 份报告、{int(peers['changes'].max())} 个同比变化。"
            if len(peers)
            else "。"
        )
    )
)
display(show(peers.head(20)))

# %% [markdown]
# ## 导出

# %%
if output_dir:
    # Chinese headers, codes as their labels (kind, check, severity), as every export of the project
    written = export_tables(output_dir, {"汇总": summary, "发现": findings})
    display(Markdown("已导出：" + "、".join(str(p) for p in written)))
