# ---
# jupyter:
#   kernelspec:
#     display_name: govreport (project)
#     language: python
#     name: govreport
# ---

# %% [markdown]
# # 数据质量：读了哪些报告，哪些只读了一部分或失败，发现了哪些问题
#
# Every report file in the store (not deduplicated): its parse status, the issues the checks found
# (by check, and per report), which bureau × year cells the data covers, and the schema validation of
# every table (pandera, all failures collected).

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis import store, views
from analysis.briefs.files import export_tables
from analysis.model.labels import STATUS_LABELS
from analysis.present import charts
from analysis.present.tables import issues_frame, show
from analysis.store.schema import SCHEMAS

# %% tags=["parameters"]
data_dir = ""  # folder of the clean tables; empty means the project's data/clean
coverage_rows = 40  # up to this many bureaus the coverage chart has a row each; more: reports per region (or level) × year
output_dir = ""  # folder to save the charts in (PNG + SVG); empty means show only

# %%
# every parameter checked first: an unknown bureau, region, year or parameter name stops here
views.check_parameters(store.load_tables(data_dir, tables=["reports"])["reports"], need_readable=False)

# %%
charts.setup_style()
tables = store.load_tables(data_dir)
reports, issues = tables["reports"], tables["issues"]
counts = views.status_counts(reports)
display(
    Markdown(
        f"共 {len(reports)} 份报告：" + "，".join(f"{r.label} {r.reports} 份" for r in counts.itertuples())
    )
)
fig = charts.bars(
    counts, "label", "reports", "报告读取情况", ylabel="份", colors={None: charts.STATUS_COLORS["ok"]}
)
charts.publish(fig, output_dir, "parse_status")

# %% [markdown]
# ## 部分读取或读取失败的报告

# %%
bad = reports[reports["parse_status"].astype("string") != "ok"]
display(show(bad[["bureau", "year", "source_path", "source_format", "parse_status", "n_issues"]]))
display(
    show(
        issues_frame(
            issues[
                issues["report_id"].isin(bad["report_id"]) & (issues["severity"].astype("string") == "error")
            ]
        )
    )
)

# %% [markdown]
# ## 问题（按检查项）

# %%
by_check = views.issues_by_check(issues)
display(show(by_check))
fig = charts.bars(
    by_check.assign(what=by_check["check"] + "（" + by_check["severity"] + "）"),
    "what",
    "issues",
    "发现的问题（按检查项）",
    ylabel="条",
)
charts.publish(fig, output_dir, "issues_by_check")

# %% [markdown]
# ## 覆盖情况（单位 × 年度）

# %%
grid = views.coverage_grid(reports)
display(show(grid.replace({"": "—", **STATUS_LABELS})))  # — : no report that year
if len(grid) <= coverage_rows:
    fig = charts.coverage_chart(grid)
else:  # thousands of bureau-years: counts per region (or level) and year, not a label per bureau
    fig = charts.coverage_heatmap(views.coverage_counts(reports))
charts.publish(fig, output_dir, "coverage")

# %% [markdown]
# ## 同一单位同一年度的多份文件
#
# 更正后重新发布的报告、同一报告的网页版和 PDF 版都保留；分析使用其中一份（`used`）：先选能读取的，再选发布较晚的，
# 再选错误较少的（规则见 `analysis/dedupe.py`）。字节完全相同的文件只读一次，其他路径记在 `duplicate_paths`。

# %%
display(show(views.duplicate_documents(reports, issues)))

# %% [markdown]
# ## 表结构校验

# %%
failures = []
for name, schema in SCHEMAS.items():
    try:
        schema.validate(tables[name], lazy=True)
    except Exception as exc:  # pandera SchemaErrors: keep every failure case
        cases = getattr(exc, "failure_cases", pd.DataFrame({"failure_case": [str(exc)]}))
        failures.append(cases.assign(table=name))
display(pd.concat(failures, ignore_index=True) if failures else Markdown("所有表都通过了结构校验。"))

# %% [markdown]
# ## 全部问题

# %%
display(show(issues_frame(views.report_issues(tables))))

# %% [markdown]
# ## 导出
#
# 本笔记本比较的表格：每张一个 CSV 文件（UTF-8 带 BOM，Excel 直接打开中文不乱码），另有一个工作簿 tables.xlsx（每张表一个工作表）。

# %%
if output_dir:
    export_tables(
        output_dir,
        {
            "读取情况": views.status_counts(tables["reports"]),
            "数据问题按检查项": views.issues_by_check(tables["issues"]),
            "单位和年度": views.coverage_grid(tables["reports"]),
        },
    )
