"""The audit notebook runs with papermill on the store of real reports and exports what it lists."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.briefs.run import execute_notebook
from analysis.corpus.audit import audit_findings, audit_summary

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "audit.ipynb"


def test_findings_name_each_kind_per_bureau_and_year(corpus_tables):
    f = audit_findings(corpus_tables)
    kinds = f.groupby(["bureau", "year"])["kind"].agg(lambda k: set(k.astype(str)))
    assert "关系不符" in kinds[("平潭综合实验区", 2020)]  # 规章 对外公开总数量 0 + 0 ≠ 7
    assert "叙述与表格不符" in kinds[("平潭综合实验区经济发展局", 2023)]
    assert "雷同" in kinds[("福州市平潭县人民政府", 2011)]
    assert "未读取" in kinds[("平潭综合实验区", 2023)]  # 77132470: the row cannot be cut (44 cuts, no 2022)
    assert "未读取" not in kinds.get(
        ("平潭综合实验区经济发展局", 2022), set()
    )  # its 505 is read as 5|0|5 now
    summary = audit_summary(f, corpus_tables["reports"]).set_index("check")
    assert summary.loc["corpus.copied_text", "bureaus"] == 2


def test_the_audit_notebook_runs_and_exports_csv_and_xlsx(corpus_dir, tmp_path):
    out = tmp_path / "audit"
    execute_notebook(
        NOTEBOOK,
        tmp_path / "audit.ipynb",
        {"data_dir": str(corpus_dir), "region": "平潭综合实验区", "year": 2011, "output_dir": str(out)},
    )
    csv = pd.read_csv(out / "audit.csv", encoding="utf-8-sig")
    assert set(csv["bureau"]) == {"平潭综合实验区"} and set(csv["year"]) == {2011}
    assert "corpus.copied_text" in set(csv["check"])
    xlsx = pd.read_excel(out / "audit.xlsx", sheet_name=None)
    assert set(xlsx) == {"汇总", "发现"} and len(xlsx["发现"]) == len(csv)
