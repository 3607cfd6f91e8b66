"""The workbook's sheets and their columns, declared once: export, import, the format
description and the checks all read this module.

Each column names where its value lives in a record (`path`), so a field added to the
revision content later is one more Column line here. A record's content that no column
covers is found by the export's own check (layout.uncovered) and refused, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.catalogue.workbook import cells
from services.catalogue.workbook.cells import Kind
from services.content.schema import LIMIT_SOURCES, TIME_UNITS
from services.models import BasisStatus, ChannelRole, ItemKind, ItemStatus, Nature, Sector

FORMAT_NAME = "gongshi-catalogue"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Column:
    """One column: its stable header, where its value sits in the record, its kind, the
    name people know it by (used in error messages) and an example."""

    name: str
    path: tuple[str, ...]
    kind: Kind
    label: str
    required: bool = False
    example: Any = None


@dataclass(frozen=True)
class SheetSpec:
    """One sheet. A top-level sheet has one record per row, identified by `key`; a child
    sheet lists the elements found at `within` inside each record of its `parent` sheet,
    one row per element, numbered by `position`."""

    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    parent: str | None = None
    within: tuple[str, ...] = ()
    # What every element holds even when its cells are blank (the content writes them so).
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def links(self) -> tuple[str, ...]:
        """The columns that say which parent a child row belongs to."""
        if self.parent is None:
            return ()
        return ("item", "fee") if self.parent == "fees" else ("item",)

    @property
    def header(self) -> list[str]:
        """The header row, in the order the export writes it."""
        leading = [*self.links, "position"] if self.parent else []
        return leading + [column.name for column in self.columns]


def _c(name, path, kind, label, required=False, example=None) -> Column:
    return Column(name, tuple(path.split(".")), kind, label, required, example)


def _time_limit(prefix: str, path: str, label: str) -> tuple[Column, ...]:
    units = cells.choice(*TIME_UNITS)
    return (
        _c(f"{prefix}_value", f"{path}.value", cells.WHOLE, label, example=10),
        _c(f"{prefix}_unit", f"{path}.unit", units, f"{label}单位", example="working_days"),
        _c(f"{prefix}_note", f"{path}.note", cells.TEXT, f"{label}说明"),
        # Where the limit comes from: a law (basis code and article) or the provider's promise.
        _c(
            f"{prefix}_source",
            f"{path}.source.kind",
            cells.choice(*LIMIT_SOURCES),
            f"{label}来源",
            example="law",
        ),
        _c(f"{prefix}_source_basis", f"{path}.source.code", cells.TEXT, f"{label}依据"),
        _c(f"{prefix}_source_article", f"{path}.source.article", cells.TEXT, f"{label}条款"),
        # A limit that depends on the case: one object per case, written as JSON.
        _c(
            f"{prefix}_cases",
            f"{path}.cases",
            cells.JSON,
            f"{label}分情形",
            example='[{"label": "无外线工程", "value": 8, "unit": "working_days"}]',
        ),
    )


UTILITIES = SheetSpec(
    "utilities",
    (
        _c("slug", "slug", cells.TEXT, "网址名", True, "chengzhou-water"),
        _c("name", "name", cells.TEXT, "单位名称", True, "澄州市自来水有限公司"),
        _c("short_name", "short_name", cells.TEXT, "简称", True, "澄州水务"),
        _c("sector", "sector", cells.choice(*Sector), "行业", True, "water"),
        _c("nature", "nature", cells.choice(*Nature), "主体性质", True, "public_enterprise"),
        _c("address", "address", cells.TEXT, "地址"),
        _c("website", "website", cells.TEXT, "网站"),
        _c("position", "position", cells.WHOLE, "排列顺序", example=1),
    ),
    key="slug",
)

HALLS = SheetSpec(
    "halls",
    (
        _c("slug", "slug", cells.TEXT, "网址名", True, "civic-centre"),
        _c("name", "name", cells.TEXT, "大厅名称", True, "澄州市民中心"),
        _c("address", "address", cells.TEXT, "地址"),
        _c(
            "utilities",
            "utilities",
            cells.CODES,
            "进驻单位",
            True,
            "chengzhou-water, chengzhou-power",
        ),
        _c(
            "opening_hours",
            "opening_hours",
            cells.HOURS,
            "开放时间",
            example="1-5 09:00-17:00; 6 09:00-12:00",
        ),
        _c("exceptions", "exceptions", cells.JSON, "闭馆与加开日"),
        _c("settings", "settings", cells.JSON, "屏幕设置"),
    ),
    key="slug",
)

LEGAL_BASES = SheetSpec(
    "legal_bases",
    (
        _c("code", "code", cells.TEXT, "依据编码", True, "price-law"),
        _c("title", "title", cells.TEXT, "名称", True, "中华人民共和国价格法"),
        _c("doc_number", "doc_number", cells.TEXT, "文号", example="澄发改价〔2024〕21号"),
        _c("issuer", "issuer", cells.TEXT, "发布机关"),
        _c("issued_on", "issued_on", cells.DATE, "发布日期", example="2024-01-15"),
        _c("effective_on", "effective_on", cells.DATE, "施行日期"),
        _c("repealed_on", "repealed_on", cells.DATE, "废止日期"),
        _c("version_in_force", "version_in_force", cells.TEXT, "现行版本", example="2018年修正"),
        _c("rank", "rank", cells.WHOLE, "效力层级", example=5),
        _c("url", "url", cells.TEXT, "原文链接"),
        _c("articles", "articles", cells.TEXT, "所引条文"),
        _c("status", "status", cells.choice(*BasisStatus), "状态", example="approved"),
        _c("proposed_for", "proposed_for", cells.TEXT, "提议单位"),
    ),
    key="code",
)

CHANNELS = SheetSpec(
    "channels",
    (
        _c("code", "code", cells.TEXT, "渠道编码", True, "hotline-12345"),
        _c("name", "name", cells.TEXT, "渠道名称", True, "12345政务服务便民热线"),
        _c("kinds", "kinds", cells.CODES, "渠道类别", True, "consult, complaint"),
        _c("phone", "phone", cells.TEXT, "电话", example="12345"),
        _c("url", "url", cells.TEXT, "网址"),
        _c("hours", "hours", cells.TEXT, "服务时间", example="24小时"),
        _c("utility", "utility", cells.TEXT, "所属单位"),
        _c(
            "role",
            "role",
            cells.choice(*ChannelRole),
            "投诉途径类别",
            example="regulator",
        ),
        _c("sector", "sector", cells.choice(*Sector), "所管行业", example="power"),
    ),
    key="code",
)

# The item's own columns, then one column per field of its content.
ITEMS = SheetSpec(
    "items",
    (
        _c("utility", "utility", cells.TEXT, "实施主体", True, "chengzhou-water"),
        _c("code", "code", cells.TEXT, "事项编码", True, "CZ-WATER-S01"),
        _c("slug", "slug", cells.TEXT, "网址名", True, "new-connection"),
        _c("kind", "kind", cells.choice(*ItemKind), "事项类型", True, "service"),
        _c("category", "category", cells.TEXT, "分类", example="用水报装"),
        _c("position", "position", cells.WHOLE, "排列顺序", example=1),
        _c("item_status", "item_status", cells.choice(*ItemStatus), "事项状态", example="active"),
        _c("status_reason", "status_reason", cells.TEXT, "暂停或停办原因"),
        _c("status_since", "status_since", cells.DATE, "暂停或停办日期"),
        _c("successor", "successor", cells.TEXT, "替代事项编码"),
        _c("status", "status", cells.choice("published", "draft"), "内容状态", example="published"),
        _c("effective_from", "effective_from", cells.DATE, "执行日期", example="2026-01-01"),
        _c("change_summary", "change_summary", cells.TEXT, "变更说明", example="首次公开"),
        _c("name", "content.name", cells.TEXT, "事项名称", True, "居民用水新装"),
        _c("summary", "content.summary", cells.TEXT, "事项简介"),
        _c(
            "audience",
            "content.audience",
            cells.choice("person", "legal_person", "both"),
            "服务对象",
            True,
            "person",
        ),
        _c("conditions", "content.conditions", cells.LINES, "受理条件"),
        *_time_limit("statutory", "content.time_limits.statutory", "法定办结时限"),
        *_time_limit("promised", "content.time_limits.promised", "承诺办结时限"),
        _c("visits", "content.visits", cells.WHOLE, "到现场次数", example=1),
        _c("payment_methods", "content.payment_methods", cells.LINES, "缴费方式"),
        _c(
            "basis",
            "content.basis",
            cells.REFS,
            "设定依据",
            example="water-supply-regulation: 第二十条",
        ),
        _c("channels", "content.channels", cells.CODES, "咨询投诉渠道", example="hotline-12345"),
        _c("online_url", "content.online_url", cells.TEXT, "网上办理地址"),
        _c("result", "content.result", cells.TEXT, "办理结果"),
        _c(
            "result_delivery",
            "content.result_delivery",
            cells.CODES,
            "结果送达方式",
            example="window, post",
        ),
        _c("verified_on", "content.verified_on", cells.DATE_TEXT, "最近核实日期"),
        _c("hearing_held_on", "content.hearing.held_on", cells.DATE_TEXT, "听证日期"),
        _c("hearing_body", "content.hearing.body", cells.TEXT, "听证组织机关"),
        _c("hearing_outcome", "content.hearing.outcome", cells.TEXT, "听证结果"),
        _c("hearing_url", "content.hearing.url", cells.TEXT, "听证公告链接"),
        # A price notice's facts (tariffs only): its document, dates, scope and collector.
        _c("price_document", "content.price_notice.document.code", cells.TEXT, "价格文件"),
        _c(
            "price_document_article",
            "content.price_notice.document.article",
            cells.TEXT,
            "价格文件条款",
        ),
        _c("price_effective_on", "content.price_notice.effective_on", cells.DATE_TEXT, "执行日期"),
        _c("price_published_on", "content.price_notice.published_on", cells.DATE_TEXT, "公布日期"),
        _c("price_scope", "content.price_notice.scope", cells.TEXT, "适用范围"),
        _c("price_collector", "content.price_notice.collector", cells.TEXT, "收费单位"),
        _c("price_collected_for", "content.price_notice.collected_for", cells.TEXT, "代收对象"),
        _c(
            "disclosure_value",
            "content.price_notice.disclosure.value",
            cells.WHOLE,
            "公开时限",
        ),
        _c(
            "disclosure_unit",
            "content.price_notice.disclosure.unit",
            cells.choice("working_days", "calendar_days"),
            "公开时限单位",
        ),
        _c(
            "disclosure_basis",
            "content.price_notice.disclosure.basis.code",
            cells.TEXT,
            "公开时限依据",
        ),
        _c(
            "disclosure_basis_article",
            "content.price_notice.disclosure.basis.article",
            cells.TEXT,
            "公开时限依据条款",
        ),
    ),
    key="code",
    defaults={"content": {"fees": [], "channels": []}},
)

MATERIALS = SheetSpec(
    "materials",
    (
        _c("name", "name", cells.TEXT, "材料名称", True, "申请人居民身份证"),
        _c(
            "form",
            "form",
            cells.choice("original", "copy", "electronic"),
            "材料形式",
            True,
            "original",
        ),
        _c("copies", "copies", cells.WHOLE, "份数", True, 1),
        _c("required", "required", cells.FLAG, "是否必需", True, "yes"),
        _c("note", "note", cells.TEXT, "材料说明"),
        # Uploaded PDFs by their SHA-256: the file itself must be in this server's uploads.
        _c("blank_form", "blank_form", cells.TEXT, "空白表格"),
        _c("sample", "sample", cells.TEXT, "示范文本"),
    ),
    parent="items",
    within=("content", "materials"),
)

STEPS = SheetSpec(
    "steps",
    (
        _c("title", "title", cells.TEXT, "环节名称", True, "申请受理"),
        _c("description", "description", cells.TEXT, "环节说明"),
        *_time_limit("time_limit", "time_limit", "环节时限"),
        _c("branches", "branches", cells.CODES, "可能的分支", example="correction, refusal"),
    ),
    parent="items",
    within=("content", "steps"),
    defaults={"time_limit": None},
)

FEES = SheetSpec(
    "fees",
    (
        _c("name", "name", cells.TEXT, "收费项目", True, "居民生活用水"),
        _c(
            "kind", "kind", cells.choice("charge", "deposit", "penalty"), "费用类型", True, "charge"
        ),
        _c("customer_class", "customer_class", cells.TEXT, "用户类别"),
        _c(
            "pricing",
            "pricing.type",
            cells.choice("free", "flat", "tiers", "text"),
            "计价方式",
            True,
            "tiers",
        ),
        _c("amount", "pricing.amount", cells.MONEY, "金额", example="5.00"),
        _c("unit", "pricing.unit", cells.TEXT, "计价单位", example="元/立方米"),
        _c("period", "pricing.period", cells.choice("month", "year"), "计费周期", example="year"),
        _c("upper_inclusive", "pricing.upper_inclusive", cells.FLAG, "上限含本数", example="yes"),
        _c("text", "pricing.text", cells.TEXT, "收费标准说明"),
        _c("basis", "basis", cells.REFS, "收费依据", example="water-price-2024: 第二条"),
        _c("valid_until", "valid_until", cells.DATE_TEXT, "有效期至"),
        _c("note", "note", cells.TEXT, "备注"),
        _c("service_content", "service_content", cells.TEXT, "服务内容"),
        _c("payee", "payee", cells.TEXT, "收费单位"),
        _c("valid_from", "valid_from", cells.DATE_TEXT, "有效期自"),
        _c("market_regulated", "market_regulated", cells.FLAG, "市场调节价", example="no"),
        _c("display_basis", "display_basis", cells.REFS, "明码标价依据"),
        _c(
            "household_above_persons",
            "pricing.household_allowance.above_persons",
            cells.WHOLE,
            "多人口户起算人数",
            example=4,
        ),
        _c(
            "household_per_person",
            "pricing.household_allowance.per_person",
            cells.QUANTITY,
            "每增加一人增加的阶梯用量",
            example="30",
        ),
        _c("household_note", "pricing.household_allowance.note", cells.TEXT, "多人口户说明"),
        _c(
            "low_income_quota",
            "pricing.low_income_quota.quantity",
            cells.QUANTITY,
            "低保特困户免费用量",
            example="3",
        ),
        _c("low_income_note", "pricing.low_income_quota.note", cells.TEXT, "免费用量说明"),
    ),
    parent="items",
    within=("content", "fees"),
    defaults={"basis": []},
)

TIERS = SheetSpec(
    "tiers",
    (
        _c("lower", "lower", cells.QUANTITY, "阶梯下限", True, "0"),
        _c("upper", "upper", cells.QUANTITY, "阶梯上限", example="180"),
        _c("price", "price", cells.MONEY, "单价", True, "5.00"),
        _c(
            "components",
            "components",
            cells.PARTS,
            "价格构成",
            example="水费 2.07; 污水处理费 1.36",
        ),
    ),
    parent="fees",
    within=("pricing", "tiers"),
    defaults={"upper": None},
)

REDUCTIONS = SheetSpec(
    "reductions",
    (
        _c("description", "description", cells.TEXT, "减免说明", True, "低保家庭每月减免5立方米"),
        _c("basis", "basis", cells.REFS, "减免依据"),
    ),
    parent="fees",
    within=("reductions",),
)

LOCATIONS = SheetSpec(
    "locations",
    (
        _c("name", "name", cells.TEXT, "办理地点", True, "澄州市民中心水务窗口"),
        _c("address", "address", cells.TEXT, "地址", True, "龙城大道1280号"),
        _c("hours", "hours", cells.HOURS, "办公时间", example="1-5 09:00-17:00"),
        _c("hours_note", "hours_note", cells.TEXT, "办公时间说明"),
        _c("phone", "phone", cells.TEXT, "电话"),
    ),
    parent="items",
    within=("content", "locations"),
    defaults={"hours": []},
)

FAQ = SheetSpec(
    "faq",
    (
        _c("question", "question", cells.TEXT, "问题", True),
        _c("answer", "answer", cells.TEXT, "回答", True),
    ),
    parent="items",
    within=("content", "faq"),
)

TRANSLATIONS = SheetSpec(
    "translations",
    (
        _c(
            "sheet",
            "sheet",
            cells.choice("utilities", "halls", "legal_bases", "channels", "items"),
            "表",
            True,
            "items",
        ),
        _c("key", "key", cells.TEXT, "编码或网址名", True, "CZ-WATER-S01"),
        _c("language", "language", cells.choice("zh_Hant", "en"), "语言", True, "en"),
        _c("field", "field", cells.TEXT, "字段", True, "materials[0].name"),
        _c("text", "text", cells.TEXT, "译文", True, "Applicant's ID card"),
    ),
)

# In the order they are written and read: a sheet's references point to sheets before it.
SHEETS: tuple[SheetSpec, ...] = (
    UTILITIES,
    HALLS,
    LEGAL_BASES,
    CHANNELS,
    ITEMS,
    MATERIALS,
    STEPS,
    FEES,
    TIERS,
    REDUCTIONS,
    LOCATIONS,
    FAQ,
    TRANSLATIONS,
)
SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
# Where each kind of record keeps its translations.
TRANSLATED = {
    "utilities": ("translations",),
    "halls": ("translations",),
    "legal_bases": ("translations",),
    "channels": ("translations",),
    "items": ("content", "translations"),
}


def children_of(parent: str) -> list[SheetSpec]:
    """The child sheets whose rows sit inside records of `parent`."""
    return [sheet for sheet in SHEETS if sheet.parent == parent]
