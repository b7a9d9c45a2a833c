"""The audit notebook runs with papermill on the store of real reports and exports what it lists."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.briefs.run import execute_notebook
from analysis.corpus import narrative_coverage, peer_statistics
from analysis.corpus.audit import audit_findings, audit_summary
from analysis.views import region_matches

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "audit.ipynb"


def test_findings_name_each_kind_per_bureau_and_year(corpus_tables):
    f = audit_findings(corpus_tables)
    kinds = f.groupby(["bureau", "year"])["kind"].agg(lambda k: set(k.astype(str)))
    assert "relation" in kinds[("平潭综合实验区", 2020)]  # 规章 对外公开总数量 0 + 0 ≠ 7
    assert "narrative" in kinds[("平潭综合实验区经济发展局", 2023)]
    assert "copied" in kinds[("福州市平潭县人民政府", 2011)]
    assert "unread" in kinds[("平潭综合实验区", 2023)]  # 77132470: the row cannot be cut (44 cuts, no 2022)
    assert "unread" not in kinds.get(
        ("平潭综合实验区经济发展局", 2022), set()
    )  # its 505 is read as 5|0|5 now
    summary = audit_summary(f, corpus_tables["reports"]).set_index("check")
    assert summary.loc["corpus.copied_text", "bureaus"] == 2


def _markdown(notebook: Path) -> str:
    """Every markdown output of an executed notebook, joined."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join(
        "".join(o["data"]["text/markdown"])
        for c in cells
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    )


def test_the_audit_notebook_runs_and_exports_csv_and_xlsx(corpus_dir, corpus_tables, tmp_path):
    out = tmp_path / "audit"
    execute_notebook(
        NOTEBOOK,
        tmp_path / "audit.ipynb",
        {"data_dir": str(corpus_dir), "region": "平潭综合实验区", "year": 2011, "output_dir": str(out)},
    )
    # the notebook says how many narrative figures of its scope's reports it tied and skipped, and why no
    # anomaly fired (the peer groups of its year: every report of 2011, whatever its region)
    shown = _markdown(tmp_path / "audit.ipynb")
    r = corpus_tables["reports"]
    ids = set(r.loc[region_matches(r["region"], "平潭综合实验区") & (r["year"] == 2011), "report_id"])
    assert ids
    cov = narrative_coverage(
        {t: df[df["report_id"].isin(ids)] if "report_id" in df else df for t, df in corpus_tables.items()}
    )
    assert cov["reports"] == 0  # its one report (2011) is of the legacy template: no narrative compared
    assert (
        f"平潭综合实验区，2011年：{cov['reports']} 份报告的正文中，{cov['candidates']} 句陈述了表格所统计事项的数字："
        f"{cov['tied']} 句与表格单元格对应并核对" in shown
    )
    peers = peer_statistics(corpus_tables)
    assert f"异常值：0 条。0 组（共 {(peers['year'] == 2011).sum()} 组）有至少 8 个可比单位" in shown
    # exported as every table of the project: Chinese headers, codes as their labels
    found = pd.read_csv(out / "发现.csv", encoding="utf-8-sig")
    assert list(found.columns) == [
        "单位",
        "年度",
        "类别",
        "问题",
        "严重程度",
        "位置",
        "应为",
        "实际",
        "说明",
        "文件",
    ]
    assert set(found["单位"]) == {"平潭综合实验区"} and set(found["年度"]) == {2011}
    copied = found[found["问题"] == "正文雷同"]  # corpus.copied_text: its label in checks_zh.csv
    assert list(copied["类别"]) == ["雷同"] and list(copied["严重程度"]) == ["警告"]
    assert "福州市平潭县人民政府 2011" in copied["说明"].iloc[0]
    summary = pd.read_csv(out / "汇总.csv", encoding="utf-8-sig")
    assert list(summary.columns) == ["类别", "问题", "单位数", "报告份数", "发现条数", "单位总数", "报告总数"]
    row = summary.set_index("问题").loc["正文雷同"]
    assert row["类别"] == "雷同" and row["单位数"] == 1 and row["报告份数"] == 1
    xlsx = pd.read_excel(out / "tables.xlsx", sheet_name=None)
    assert set(xlsx) == {"汇总", "发现"} and len(xlsx["发现"]) == len(found)
    assert list(xlsx["发现"].columns) == list(found.columns)


def test_kinds_come_from_the_registry():
    """Every kind the audit lists is registered with a check in checks.csv and labelled in model/labels."""
    from analysis.corpus.audit import KIND_ORDER, KINDS
    from analysis.model.issues import PARTIAL_CHECKS
    from analysis.model.labels import FINDING_KIND_LABELS

    assert set(KINDS.values()) == set(KIND_ORDER) == set(FINDING_KIND_LABELS)
    assert KINDS["corpus.copied_text"] == "copied" and FINDING_KIND_LABELS["copied"] == "雷同"
    assert all(KINDS[c] == "unread" for c in PARTIAL_CHECKS)
