"""The one Chinese label of every code of the data model: what views, charts, the CLI and briefs print.

Keyed by the codes of :mod:`analysis.model.codes` and the store's categories (docs/data-model.md), so a
code reads the same everywhere; imports nothing.
"""

from __future__ import annotations

# table 3: outcome groups (the part of a row code before the dot)
OUTCOME_LABELS: dict[str, str] = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}

# table 3: rows (requests.row)
ROW_LABELS: dict[str, str] = {
    "new_received": "本年新收",
    "carried_over": "上年结转",
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld.state_secret": "属于国家秘密",
    "withheld.prohibited_by_law": "法律行政法规禁止公开",
    "withheld.security_stability": "危及“三安全一稳定”",
    "withheld.third_party": "保护第三方合法权益",
    "withheld.internal_affairs": "三类内部事务信息",
    "withheld.process_info": "四类过程性信息",
    "withheld.enforcement_file": "行政执法案卷",
    "withheld.administrative_query": "行政查询事项",
    "unavailable.not_held": "本机关不掌握相关信息",
    "unavailable.needs_creation": "没有现成信息需另行制作",
    "unavailable.still_unclear": "补正后申请内容仍不明确",
    "not_processed.petition": "信访举报投诉类申请",
    "not_processed.duplicate": "重复申请",
    "not_processed.publication": "要求提供公开出版物",
    "not_processed.excessive": "无正当理由大量反复申请",
    "not_processed.confirmation": "要求确认或重新出具已获取信息",
    "other": "其他处理",
    "other.no_correction": "逾期不补正不再处理",
    "other.fee_unpaid": "逾期未缴费不再处理",
    "other.other": "其他",
    "total_processed": "办结总计",
    "carried_forward": "结转下年度继续办理",
    "withheld": "不予公开",
}

# table 3: columns (requests.applicant)
APPLICANT_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

# table 4: proceedings (reviews_litigation.proceeding); `litigation` is the views' sum of both lawsuits
PROCEEDING_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
    "litigation": "行政诉讼（合计）",
    "complaint": "行政申诉、举报（旧版）",
}

# table 4: results (reviews_litigation.result)
RESULT_LABELS: dict[str, str] = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# table 2: items (active_disclosure.item)
ITEM_LABELS: dict[str, str] = {
    "regulation": "规章",
    "normative_document": "行政规范性文件",
    "administrative_license": "行政许可",
    "other_management_service": "其他对外管理服务事项",
    "administrative_penalty": "行政处罚",
    "administrative_coercion": "行政强制",
    "administrative_fee": "行政事业性收费",
    "centralized_procurement": "政府集中采购",
    "proactive_releases": "主动公开信息数（旧版）",
    "disclosure_fee": "依申请公开收费（旧版）",
}

# table 2: metrics (active_disclosure.metric)
METRIC_LABELS: dict[str, str] = {
    "made": "本年新制作",
    "published": "本年新公开",
    "total_published": "对外公开总数",
    "issued": "本年制发",
    "repealed": "本年废止",
    "in_force": "现行有效",
    "prev_year_items": "上一年项目数",
    "change": "本年增减",
    "decisions": "处理决定数",
    "fee_amount": "收费金额（万元）",
    "procurement_items": "采购项目数",
    "procurement_amount": "采购金额（万元）",
    "released": "本年主动公开",
}

# narrative: channels (channel_volumes.channel)
CHANNEL_LABELS: dict[str, str] = {
    "website": "政府网站",
    "weibo": "政务微博",
    "wechat": "政务微信",
    "press": "报刊",
    "press_conference": "新闻发布会",
    "policy_interpretation": "政策解读",
    "gazette": "政府公报",
    "new_media_accounts": "新媒体账号",
    "douyin": "抖音",
    "other": "其他",
}

# reports.parse_status
STATUS_LABELS: dict[str, str] = {"ok": "已读取", "partial": "部分读取", "failed": "读取失败"}

# why cells were not read (issues.check of a partial check), as a brief says it after 未能读取
UNREAD_CHECK_LABELS: dict[str, str] = {
    "table.missing": "未找到该表或未读到数字",
    "row.missing": "未找到该行，或只印有行名而没有数字",
    "cell.merged": "该行数字与上一行合并为一格，未单独列出",
    "row.cells": "该行单元格数与列数不符，无法对应",
    "row.ambiguous": "数字连在一起，无法唯一拆分",
    "column.missing": "报告未列出该列",
    "template.legacy": "旧版（2019年前）报告中未找到统计表或所述数字",
    "page.no_text_layer": "该页为扫描图像，没有文字",
    "no_text_layer": "扫描件，没有文字层",
    "narrative.failed": "正文未能读取",
}

# rankings.rank_kind
# a bureau's administrative level (bureaus.csv ``admin_level``), for charts grouped by level
LEVEL_LABELS: dict[str, str] = {
    "province": "省级",
    "city": "市级",
    "prefecture": "地市级",
    "district": "区级",
    "county": "县级",
    "department": "部门",
}

RANK_KIND_LABELS: dict[str, str] = {"exact": "确切名次", "top_n": "前若干名"}

# issues.severity
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告"}

# the audit's kinds of finding (checks.csv ``kind``), in the order the audit lists them
FINDING_KIND_LABELS: dict[str, str] = {
    "relation": "关系不符",  # a relation fails, inside one report or across years
    "narrative": "叙述与表格不符",
    "copied": "雷同",
    "anomaly": "异常值",
    "unread": "未读取",  # a value or table not read
}
# text_reuse.relation, as the audit names a copied share (its ``check``: text_reuse.<relation>)
REUSE_RELATION_LABELS: dict[str, str] = {
    "same_year": "与同年其他单位报告雷同",
    "previous_report": "与本单位上一年报告雷同",
}

# the columns of the views' frames that are not codes of the tables above (headers of displayed tables)
COLUMN_LABELS: dict[str, str] = {
    "bureau": "单位",
    "region": "地区",
    "year": "年度",
    "label": "项目",
    "value": "数值",
    "unit": "计量单位",
    "share": "占比",
    "share_of_group": "占该类比例",
    "group": "结果大类",
    "row": "行",
    "applicant": "申请人类别",
    "proceeding": "程序",
    "result": "结果",
    "clause": "条款",
    "item": "事项",
    "metric": "指标",
    "channel": "渠道",
    "variable": "指标",
    "received_total": "收到申请总数（含上年结转）",
    "outcomes": "办理结果合计",
    "grant_rate": "公开率（含部分公开）",
    "full_grant_rate": "予以公开率",
    "backlog_change": "积压变化（结转下年度−上年结转）",
    "correction_rate": "纠错率",
    "place": "名次",
    "prev_place": "上次名次",
    "change": "变化",
    "change_label": "名次变化",
    "n": "参与排名单位数",
    "list_name": "榜单",
    "platform": "平台",
    "rank_kind": "排名方式",
    "rank": "名次",
    "best": "最好名次",
    "worst": "最差名次",
    "sentence": "原文",
    "prev_year": "上一份报告年度",
    "prev_value": "上一份报告数值",
    "pct_change": "变化率",
    "severity": "严重程度",
    "location": "位置",
    "expected": "应为",
    "actual": "实际",
    "message": "说明",
    "what_to_check": "需核对",
    "issues": "问题条数",
    "reports": "报告份数",
    "n_issues": "问题条数",
    "parse_status": "读取状态",
    "source_path": "文件",
    "source_format": "格式",
    "published": "发布日期",
    "used": "分析采用",
    "duplicate_paths": "相同内容的其他文件",
    "report_id": "报告编号",
    "table": "表",
    "key": "代码",
    # corpus.audit: a finding's kind, and the summary's counts
    "kind": "类别",
    "findings": "发现条数",
    "bureaus": "单位数",
    "of_bureaus": "单位总数",
    "of_reports": "报告总数",
    # corpus.peer_statistics: what the anomaly checks compare
    "figure": "数字",
    "level": "行政层级",
    "values": "有该数字的报告数",
    "changes": "可比的同比变化数",
    "median": "同级中位数",
    "compared": "是否比较",
    "relation": "对照",
    "num": "分子",
    "den": "分母",
    "prev_num": "上一份报告分子",
    "prev_den": "上一份报告分母",
    "reason": "未能读取的原因",
    "prev_reason": "上一份报告未能读取的原因",
    # views.league.fair_league (its ``n`` is a sample size: the notebook labels it 样本（件）)
    "successes": "公开或纠正件数",
    "rate": "比率",
    "lo": "95%区间下限",
    "hi": "95%区间上限",
    "eb_rate": "经验贝叶斯比率",
    "left_out": "未排名原因",
}
# issues.check (as a keyword: a dict literal with a "check" key is what the check scan takes for an issue)
COLUMN_LABELS.update(check="问题")

# the template changes a series over the years crosses: the first year of the new template → what changed
TEMPLATE_CHANGES: dict[int, str] = {
    2019: "2019年起为全国统一的年报模板；此前（旧版）只有统计表或正文中的总数：本年受理、答复、复议、诉讼，"
    "无申请人分类、无上年结转和结转下年度，不予公开不分原因",
    2021: "2021年起为新版模板：（六）其他处理分为三行，表二改为本年制发、废止和现行有效件数",
}
