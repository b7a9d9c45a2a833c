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

# the template changes a series over the years crosses: the first year of the new template → what changed
TEMPLATE_CHANGES: dict[int, str] = {
    2019: "2019年起为全国统一的年报模板；此前（旧版）只有统计表或正文中的总数：本年受理、答复、复议、诉讼，"
    "无申请人分类、无上年结转和结转下年度，不予公开不分原因",
    2021: "2021年起为新版模板：（六）其他处理分为三行，表二改为本年制发、废止和现行有效件数",
}
