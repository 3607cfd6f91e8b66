"""The fee spreadsheet format: its columns, vocabularies, limits and structured errors.

One row is one flat fee or one tier of a tiered fee. A fee is identified by item code + fee
name + customer class; its tiers are the rows that share those three cells. The reading,
parsing, import and export modules all take their definitions from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; the web layer translates it when it shows the error."""
    return message


@dataclass(frozen=True)
class Column:
    """One column: its key, its Chinese and English names, how to fill it in (for the
    template), and other names a header may use."""

    key: str
    zh: str
    en: str
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def label(self) -> str:
        """The header written in templates and exports, e.g. "单价 (unit price)"."""
        return f"{self.zh} ({self.en})"


COLUMNS: tuple[Column, ...] = (
    Column(
        "item_code",
        "事项编码",
        "item code",
        "事项的公开编码，如 CZ-WATER-T01。",
        ("编码", "code"),
        required=True,
    ),
    Column(
        "fee_name",
        "收费项目",
        "fee name",
        "收费项目名称，如 居民生活用水。",
        ("项目名称", "费用名称", "name"),
        required=True,
    ),
    Column("kind", "费用类型", "kind", "收费、押金或违约金；不填即为收费。", ("类型",)),
    Column(
        "customer_class",
        "用户类别",
        "customer class",
        "适用的用户，如 居民、非居民；可不填。",
        ("用户分类", "class"),
    ),
    Column(
        "pricing",
        "计价方式",
        "pricing",
        "阶梯、固定、免费或文字；不填时，填了阶梯上下限或计费周期的为阶梯，否则为固定。",
        ("pricing type",),
    ),
    Column(
        "billing_period", "计费周期", "billing period", "月或年；阶梯价格必填。", ("周期", "period")
    ),
    Column(
        "tier_lower",
        "阶梯下限",
        "tier lower bound",
        "本档起点，第一档为0；也可在此格写整个区间，如 0-180(含) 或 260以上。",
        ("下限", "用量区间", "阶梯区间", "lower", "range"),
    ),
    Column(
        "tier_upper",
        "阶梯上限",
        "tier upper bound",
        "本档终点；最后一档不填或写“以上”。数字后写(含)表示端点属于本档（默认），"
        "写(不含)表示属于下一档。",
        ("上限", "upper"),
    ),
    Column(
        "unit_price",
        "单价",
        "unit price",
        "单价（元）；计价方式为文字的，填写收费标准的文字说明。",
        ("价格", "收费标准", "金额", "price", "amount"),
        required=True,
    ),
    Column(
        "components",
        "价格构成",
        "components",
        "阶梯单价的组成，可不填，如 水费 2.07；水资源费 1.57；污水处理费 1.36，合计须等于单价。",
        ("其中", "构成"),
    ),
    Column(
        "unit", "计价单位", "unit", "允许的计价单位之一，如 元/立方米。", ("单位",), required=True
    ),
    Column(
        "basis",
        "收费依据文号",
        "basis 文号",
        "收费依据文件的文号，可在后面写条款，如 澄发改价〔2024〕21号 第二条；多个用“；”分隔。"
        "免费项目可不填。",
        ("文号", "依据文号", "收费依据", "basis"),
        required=True,
    ),
    Column(
        "effective_from",
        "执行日期",
        "effective from",
        "建议的执行日期，如 2026-01-01，发布时由审核人确定；同一事项只能填一个日期。",
        ("生效日期", "执行时间", "effective date"),
    ),
    Column(
        "service_content",
        "服务内容",
        "service content",
        "这笔费用对应的服务，如 一户一表居民供电；可不填。",
        ("服务项目", "service"),
    ),
    Column(
        "payee",
        "收费单位",
        "payee",
        "收取这笔费用的单位；代收的写实际收费单位。可不填，不填即为本单位。",
        ("收款单位", "收费主体"),
    ),
    Column("note", "备注", "note", "显示在收费项目下方的说明。", ("说明", "notes")),
)

COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# Fee-level columns: blank on a later row of the same fee means "same as above".
FEE_COLUMNS = (
    "kind",
    "pricing",
    "billing_period",
    "unit",
    "basis",
    "service_content",
    "payee",
    "note",
)

# Each vocabulary maps a stored value to the words accepted for it; the first is the one
# templates and exports write.
KINDS = {
    "charge": ("收费", "费用", "charge", "fee"),
    "deposit": ("押金", "保证金", "deposit"),
    "penalty": ("违约金", "滞纳金", "penalty"),
}
PRICINGS = {
    "tiers": ("阶梯", "阶梯价格", "分档", "tiers", "tiered"),
    "flat": ("固定", "定额", "固定价格", "flat", "fixed"),
    "free": ("免费", "免收", "不收费", "free"),
    "text": ("文字", "文字说明", "text"),
}
PERIODS = {
    "month": ("月", "每月", "按月", "月度", "month", "monthly"),
    "year": ("年", "每年", "按年", "年度", "year", "yearly", "annual"),
}
UNITS = {
    "元/立方米": ("元/m3", "元/方", "元/立方"),
    "元/吨": ("元/t",),
    "元/千瓦时": ("元/kwh", "元/度", "元/千瓦·时", "元/kw·h"),
    "元/千伏安": ("元/kva",),
    "元/千瓦": ("元/kw",),
    "元/千伏安·月": ("元/kva·月",),
    "元/千瓦·月": ("元/kw·月",),
    "元/平方米": ("元/m2", "元/平米"),
    "元/平方米·月": ("元/m2·月",),
    "元/平方米·采暖季": ("元/m2·采暖季", "元/平方米·采暖期", "元/平米·采暖季"),
    "元/吉焦": ("元/gj",),
    "元/户": (),
    "元/户·月": (),
    "元/户·年": (),
    "元/月": (),
    "元/年": (),
    "元/日": ("元/天",),
    "元/小时": ("元/时",),
    "元/分钟": ("元/分",),
    "元/次": (),
    "元/人次": (),
    "元/人": (),
    "元/人·月": (),
    "元/生·学期": ("元/学生·学期",),
    "元/生·餐": ("元/学生·餐",),
    "元/学期": (),
    "元/处": (),
    "元/只": (),
    "元/个": (),
    "元/套": (),
    "元/台": (),
    "元/件": (),
    "元/张": (),
    "元/份": (),
    "元/页": (),
    "元/公里": ("元/km",),
    "元/米": ("元/m",),
    "元": ("元/项",),
}

MAX_FILE_BYTES = 2 * 1024 * 1024
# An XLSX is a ZIP; a small file can unpack to gigabytes, so its unpacked size is capped too.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 2000
MAX_ERRORS = 200

ERROR_MESSAGES = {
    "file_too_large": N_("The file is larger than %(limit)s."),
    "wrong_file_type": N_("The file is not an XLSX workbook or a CSV file."),
    "legacy_xls": N_("Old .xls workbooks cannot be read: save the file as .xlsx or CSV."),
    "unreadable": N_("The file could not be read; it may be damaged."),
    "too_many_rows": N_("The sheet has more than %(limit)s rows of fees."),
    "too_many_cells": N_("The workbook has more than %(limit)s filled cells."),
    "sheet_too_large": N_(
        "The sheet's used range %(range)s is far larger than a fee table; "
        "copy the table into a new workbook and import that."
    ),
    "merged_too_large": N_(
        "The sheet merges too many cells (%(range)s); unmerge the cells and import again."
    ),
    "long_text": N_("A cell holds more than %(limit)s characters."),
    "packed_too_tightly": N_(
        "The file unpacks to far more than it holds; it cannot be a fee table."
    ),
    "too_complex": N_(
        "The file needs more memory or time to read than allowed; "
        "save it as CSV, or split it, and import again."
    ),
    "no_header": N_("No header row found: one of the first rows must name the columns."),
    "missing_column": N_("This column is missing."),
    "duplicate_column": N_("This column appears twice (also column %(other)s)."),
    "empty_sheet": N_("The sheet has no fee rows."),
    "formula": N_("The cell holds a formula (%(formula)s); enter the value itself."),
    "required": N_("This cell must not be blank."),
    "not_a_number": N_("“%(value)s” is not a number."),
    "negative": N_("“%(value)s” is negative."),
    "too_precise": N_("“%(value)s” has too many digits."),
    "bad_range": N_("“%(value)s” is not a tier range such as 0-180(含) or 260以上."),
    "range_conflict": N_("The range in the lower bound cell disagrees with this cell."),
    "control_character": N_("The cell holds a control character (such as NUL); remove it."),
    "bad_date": N_("“%(value)s” is not a date such as 2026-01-01."),
    "date_too_far": N_(
        "The date is too far ahead: a change may take effect by %(latest)s at most."
    ),
    "not_allowed": N_("“%(value)s” is not one of: %(allowed)s."),
    "unknown_unit": N_("“%(value)s” is not an allowed unit; the template lists them all."),
    "too_long": N_("The text is longer than %(limit)s characters."),
    "bad_components": N_("“%(value)s” is not a list of parts such as 水费 2.07；污水处理费 1.36."),
    "unknown_item": N_("No item has the code “%(value)s”."),
    "retired_item": N_("Item %(value)s has been withdrawn and cannot be changed."),
    "other_utility": N_("Item %(value)s belongs to another utility."),
    "open_revision": N_(
        "Item %(value)s already has an unpublished revision (no. %(number)s); "
        "publish or discard it first."
    ),
    "missing_basis": N_("A charged fee must name the 文号 of its basis."),
    "unknown_basis": N_("No legal basis has the document number “%(value)s”."),
    "differs_within_fee": N_(
        "This differs from row %(other_row)s of the same fee; leave it blank or repeat that value."
    ),
    "differs_within_item": N_("This differs from row %(other_row)s of the same item."),
    "duplicate_fee": N_("This fee is already listed in row %(other_row)s."),
    "not_for_flat": N_("Tier bounds and billing periods apply only to tiered prices."),
    "free_with_price": N_("A free fee cannot have a price."),
    "too_many_tiers": N_("A fee may have at most %(limit)s tiers."),
    "tier_not_from_zero": N_("The first tier must start at 0, not %(lower)s."),
    "tier_overlap": N_(
        "This tier starts at %(lower)s, inside the tier in row %(other_row)s, "
        "which ends at %(upper)s."
    ),
    "tier_gap": N_(
        "This tier starts at %(lower)s but the tier in row %(other_row)s ends at %(upper)s; "
        "each tier must start where the one before it ends."
    ),
    "tier_open_before_last": N_("Only the last tier may be open-ended (以上 or blank)."),
    "tier_last_closed": N_("The last tier must be open-ended: leave it blank or write 以上."),
    "tier_upper_too_low": N_("The upper bound must be greater than the lower bound."),
    "mixed_inclusive": N_("All tiers of a fee must use the same (含) or (不含)."),
    "components_sum": N_("The parts add up to %(total)s, not the unit price %(price)s."),
    "invalid_content": N_("The fees do not fit the published format: %(detail)s"),
}


@dataclass(frozen=True)
class SheetError:
    """One problem: the spreadsheet row and column it sits in (None for the whole file)."""

    row: int | None
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English message; the web layer translates ERROR_MESSAGES[code] instead."""
        return ERROR_MESSAGES[self.code] % self.params

    @property
    def column_label(self) -> str:
        return COLUMN_BY_KEY[self.column].label if self.column else ""

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row else []
        where += [self.column_label] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


class SheetFailure(Exception):
    """The file cannot be used at all; `errors` says why."""

    def __init__(self, errors: list[SheetError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def allowed_words(vocabulary: dict[str, tuple[str, ...]]) -> str:
    """The words a cell may hold, for error messages: "收费 / 押金 / 违约金"."""
    return " / ".join(words[0] for words in vocabulary.values())
