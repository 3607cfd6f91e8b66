"""Fee spreadsheets: what real sheets contain is read, every error names its row and column,
a failing import changes nothing, and an export re-imports to the same fees."""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from services.catalogue.queries import current_revision
from services.db import db
from services.fees.exporting import export_fee_sheet, fee_template
from services.fees.importing import DEFAULT_CHANGE_SUMMARY, apply_fee_import, plan_fee_import
from services.fees.sheet import COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from services.models import (
    AuditEvent,
    Channel,
    Item,
    ItemKind,
    ItemStatus,
    LegalBasis,
    Revision,
    RevisionStatus,
    Role,
    User,
    Utility,
)
from services.spreadsheets.files import read_sheet
from tests.factories import (
    make_item,
    make_legal_basis,
    make_revision,
    make_utility,
    service_content,
    unique,
)

HEADER = [column.label for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]
BASIS = "澄价〔2024〕1号"  # the doc number of the factories' test-price-doc


def water_rows(code: str) -> list[dict]:
    """The factory tariff (Beijing's residential water prices) as spreadsheet rows."""
    fee = {
        "item_code": code,
        "fee_name": "居民生活用水",
        "kind": "收费",
        "customer_class": "居民",
        "pricing": "阶梯",
        "billing_period": "年",
        "unit": "元/立方米",
        "basis": BASIS,
    }
    return [
        fee
        | {
            "tier_lower": "0",
            "tier_upper": "180",
            "unit_price": "5.00",
            "components": "水费 2.07；水资源费 1.57；污水处理费 1.36",
        },
        fee | {"tier_lower": "180", "tier_upper": "260", "unit_price": "7.00"},
        fee | {"tier_lower": "260", "tier_upper": "", "unit_price": "9.00"},
    ]


def cells(row) -> list:
    return [row.get(key) for key in KEYS] if isinstance(row, dict) else list(row)


def xlsx(rows, header=HEADER, above=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in [*above, header, *rows]:
        sheet.append(cells(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in [header, *rows]:
        writer.writerow(["" if c is None else c for c in cells(line)])
    return out.getvalue().encode(encoding)


def problems(plan) -> set[tuple]:
    return {(e.row, e.column, e.code) for e in plan.errors}


def with_cells(rows: list[dict], **by_row: dict) -> list[dict]:
    """`rows` with some cells replaced; keys are spreadsheet row numbers ("r2" = first row)."""
    out = copy.deepcopy(rows)
    for name, changes in by_row.items():
        out[int(name[1:]) - 2].update(changes)
    return out


def every_row(rows: list[dict], **changes) -> list[dict]:
    return [row | changes for row in rows]


@pytest.fixture
def water(ctx) -> Revision:
    """A tariff item with one published revision holding the factory's tiered water fee."""
    return make_revision(make_item(kind=ItemKind.TARIFF))


def make_user(utility: Utility | None = None, role: Role = Role.EDITOR) -> User:
    user = User(username=unique("importer"), password_hash="-", role=role, utility=utility)
    db.session.add(user)
    db.session.flush()
    return user


def only_plan(data: bytes, revision: Revision):
    plan = plan_fee_import(data)
    assert plan.errors == []
    assert [p.item for p in plan.items] == [revision.item]
    return plan.items[0]


# Round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_fee_table_reimports_to_identical_content(water, fmt):
    planned = only_plan(export_fee_sheet(fmt, water.item.utility), water)
    assert planned.content == water.content
    assert planned.fees == water.content["fees"]
    assert not planned.is_changed
    assert planned.effective_from == water.effective_from


def test_edited_export_becomes_a_draft_with_exactly_the_sheet_fees(water):
    book = load_workbook(io.BytesIO(export_fee_sheet("xlsx", water.item.utility)))
    price = book.active.cell(row=3, column=KEYS.index("unit_price") + 1)
    assert price.value == "7.00"
    price.value = 7.5
    out = io.BytesIO()
    book.save(out)
    user = make_user(water.item.utility)

    plan = plan_fee_import(out.getvalue(), water.item.utility)
    [draft] = apply_fee_import(plan, user)

    expected = copy.deepcopy(water.content["fees"])
    expected[0]["pricing"]["tiers"][1]["price"] = "7.5"
    assert draft.content["fees"] == expected
    assert {k: v for k, v in draft.content.items() if k != "fees"} == {
        k: v for k, v in water.content.items() if k != "fees"
    }
    assert draft.status == RevisionStatus.DRAFT
    assert draft.number == water.number + 1
    assert draft.author == user
    assert draft.change_summary == DEFAULT_CHANGE_SUMMARY
    assert current_revision(water.item) == water
    assert water.status == RevisionStatus.PUBLISHED
    assert water.content["fees"][0]["pricing"]["tiers"][1]["price"] == "7.00"
    last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert (last.action, last.actor) == ("fees.import", user.username)
    assert last.after["drafts"] == {water.item.code: draft.number}


def test_unchanged_items_get_no_draft(water):
    plan = plan_fee_import(export_fee_sheet("csv", water.item.utility))
    assert apply_fee_import(plan, make_user(water.item.utility)) == []
    assert [r.id for r in water.item.revisions] == [water.id]


# What real spreadsheets contain -------------------------------------------------------------


def test_full_width_digits_and_punctuation_are_read(water):
    rows = with_cells(
        water_rows(water.item.code),
        r2={
            "tier_lower": "０",
            "tier_upper": "１８０（含）",
            "unit_price": "５．００",
            "components": "水费：２．０７；水资源费：１．５７；污水处理费：１．３６",
            "unit": "元／立方米",
            "basis": "澄价［２０２４］１号",
        },
        r3={"tier_lower": "１８０", "tier_upper": "２６０", "unit_price": "７．００"},
        r4={"tier_lower": "２６０", "unit_price": "９．００"},
    )
    assert only_plan(xlsx(rows), water).content == water.content


def test_thousands_separators_and_currency_signs_are_dropped(water):
    rows = with_cells(
        water_rows(water.item.code),
        r2={"tier_upper": "2,760", "unit_price": "￥1,005.00", "components": ""},
        r3={"tier_lower": "2,760", "tier_upper": "4，800", "unit_price": "7.00元"},
        r4={"tier_lower": "4,800"},
    )
    tiers = only_plan(csv_bytes(rows), water).fees[0]["pricing"]["tiers"]
    assert [(t["lower"], t["upper"], t["price"]) for t in tiers] == [
        ("0", "2760", "1005.00"),
        ("2760", "4800", "7.00"),
        ("4800", None, "9.00"),
    ]


@pytest.mark.parametrize("written", ["以上", "", None, " 以上 ", "无上限"])
def test_open_upper_bound_may_be_以上_or_blank(water, written):
    rows = with_cells(water_rows(water.item.code), r4={"tier_upper": written})
    assert only_plan(xlsx(rows), water).content == water.content


def test_ranges_may_share_one_cell(water):
    rows = with_cells(
        water_rows(water.item.code),
        r2={"tier_lower": "0-180(含)", "tier_upper": None},
        r3={"tier_lower": " 180－260（含） ", "tier_upper": None},
        r4={"tier_lower": "260以上", "tier_upper": None},
    )
    assert only_plan(xlsx(rows), water).content == water.content


def test_a_bound_marked_不含_belongs_to_the_tier_above(water):
    rows = with_cells(
        water_rows(water.item.code),
        r2={"tier_lower": "0~180（不含）", "tier_upper": None},
        r3={"tier_upper": "260(不含)"},
    )
    pricing = only_plan(xlsx(rows), water).fees[0]["pricing"]
    assert pricing["upper_inclusive"] is False
    assert [t["upper"] for t in pricing["tiers"]] == ["180", "260", None]


def test_title_rows_blank_rows_and_stray_spaces_are_skipped(water):
    rows = with_cells(
        water_rows(water.item.code),
        r2={
            "item_code": f"  {water.item.code} ",
            "fee_name": " 居民生活用水\u3000",
            "unit_price": " 5.00 ",
            "unit": "\u3000元/立方米",
            "customer_class": "居民 ",
        },
    )
    rows.insert(1, {})
    rows.append({key: "  " for key in KEYS})
    data = xlsx(rows, above=[["澄州市居民生活用水价格表"], []])
    planned = only_plan(data, water)
    assert planned.content == water.content
    assert planned.rows == [4, 6, 7]


def test_traditional_characters_match_names_units_and_classes(ctx):
    revision = make_revision(make_item(), content=service_content())
    row = {
        "item_code": revision.item.code,
        "fee_name": "水錶安裝費",
        "kind": "收費",
        "pricing": "固定",
        "unit_price": "380.00",
        "unit": "元/戶",
        "basis": "澄價〔2024〕1號 第三條",
    }
    assert only_plan(xlsx([row]), revision).content == revision.content


def test_traditional_customer_class_and_words_match_the_current_ones(ctx):
    fee = {
        "name": "非居民用水",
        "kind": "charge",
        "customer_class": "工商业用户",
        "pricing": {"type": "flat", "amount": "7.50", "unit": "元/立方米"},
        "basis": [{"code": "test-price-doc"}],
    }
    revision = make_revision(make_item(), content=service_content(fees=[fee]))
    row = {
        "item_code": revision.item.code,
        "fee_name": "非居民用水",
        "kind": "費用",
        "customer_class": "工商業用戶",
        "pricing": "固定",
        "unit_price": "7.50",
        "unit": "元/立方米",
        "basis": "澄價〔2024〕1號",
    }
    assert only_plan(csv_bytes([row]), revision).content == revision.content


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "utf-16"])
def test_csv_in_utf8_with_or_without_bom_gb18030_or_utf16_is_read(water, encoding):
    data = csv_bytes(water_rows(water.item.code), encoding=encoding)
    assert only_plan(data, water).content == water.content


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_or_semicolon_separated_text_is_read(water, delimiter):
    data = csv_bytes(water_rows(water.item.code)).decode("utf-8-sig").replace(",", delimiter)
    assert only_plan(data.encode(), water).content == water.content


def test_a_document_number_may_use_other_brackets(water):
    rows = every_row(water_rows(water.item.code), basis="澄价(2024)1号")
    assert only_plan(xlsx(rows), water).content == water.content


def test_xlsx_named_csv_is_read_by_its_content(water, tmp_path):
    path = tmp_path / "fees.csv"
    path.write_bytes(xlsx(water_rows(water.item.code)))
    assert only_plan(path.read_bytes(), water).content == water.content


def test_merged_cells_count_for_every_row_they_cover(water):
    rows = water_rows(water.item.code)
    for row in rows[1:]:
        for key in ("item_code", "fee_name", "basis", "customer_class"):
            row[key] = None
    book = load_workbook(io.BytesIO(xlsx(rows)))
    for key in ("item_code", "fee_name", "basis", "customer_class"):
        column = KEYS.index(key) + 1
        book.active.merge_cells(start_row=2, end_row=4, start_column=column, end_column=column)
    out = io.BytesIO()
    book.save(out)
    assert only_plan(out.getvalue(), water).content == water.content


def test_fee_columns_left_blank_repeat_the_row_above(water):
    rows = water_rows(water.item.code)
    for row in rows[1:]:
        for key in ("kind", "pricing", "billing_period", "unit", "basis"):
            row[key] = ""
    assert only_plan(csv_bytes(rows), water).content == water.content


@pytest.mark.parametrize(
    "written", ["2026-01-01", "2026/1/1", "2026年1月1日", "２０２６．０１．０１", date(2026, 1, 1)]
)
def test_effective_dates_are_read_in_common_forms(water, written):
    rows = every_row(water_rows(water.item.code), effective_from=written)
    assert only_plan(xlsx(rows), water).effective_from == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("元/m³", "元/立方米"),
        ("元/立方", "元/立方米"),
        (" 元／立方米 ", "元/立方米"),
        ("元/M3", "元/立方米"),
        ("元/㎡", "元/平方米"),
        ("元/kWh", "元/千瓦时"),
        ("元/度", "元/千瓦时"),
        ("元/平方米·采暖期", "元/平方米·采暖季"),
        ("元/平方米•采暖季", "元/平方米·采暖季"),
    ],
)
def test_unit_spellings_become_the_allowed_unit(water, written, stored):
    rows = every_row(water_rows(water.item.code), unit=written)
    assert only_plan(xlsx(rows), water).fees[0]["pricing"]["unit"] == stored


def test_numbers_typed_into_xlsx_cells_are_read(water):
    rows = with_cells(
        water_rows(water.item.code),
        r2={"tier_lower": 0, "tier_upper": 180, "unit_price": 5.25, "components": ""},
        r3={"tier_lower": 180, "tier_upper": 260, "unit_price": 7},
        r4={"tier_lower": 260.0},
    )
    tiers = only_plan(xlsx(rows), water).fees[0]["pricing"]["tiers"]
    assert [(t["lower"], t["upper"], t["price"]) for t in tiers] == [
        ("0", "180", "5.25"),
        ("180", "260", "7"),
        ("260", None, "9.00"),
    ]


def test_new_fees_may_be_flat_free_or_in_words(water):
    code = water.item.code
    rows = [
        *water_rows(code),
        {
            "item_code": code,
            "fee_name": "水表押金",
            "kind": "押金",
            "unit_price": "200",
            "unit": "元/只",
            "basis": f"{BASIS} 第五条",
            "note": "销户时退还",
        },
        {"item_code": code, "fee_name": "开户费", "unit_price": "免费"},
        {
            "item_code": code,
            "fee_name": "滞纳金",
            "kind": "违约金",
            "pricing": "文字",
            "unit_price": "按日加收欠费的万分之五",
            "basis": BASIS,
        },
    ]
    planned = only_plan(xlsx(rows), water)
    assert planned.is_changed
    assert planned.fees[1:] == [
        {
            "name": "水表押金",
            "kind": "deposit",
            "note": "销户时退还",
            "pricing": {"type": "flat", "amount": "200", "unit": "元/只"},
            "basis": [{"code": "test-price-doc", "article": "第五条"}],
        },
        {"name": "开户费", "kind": "charge", "pricing": {"type": "free"}, "basis": []},
        {
            "name": "滞纳金",
            "kind": "penalty",
            "pricing": {"type": "text", "text": "按日加收欠费的万分之五"},
            "basis": [{"code": "test-price-doc"}],
        },
    ]


def test_translated_fee_names_follow_their_fees(ctx):
    fees = [
        {"name": "甲费", "kind": "charge", "pricing": {"type": "free"}, "basis": []},
        {"name": "乙费", "kind": "charge", "pricing": {"type": "free"}, "basis": []},
    ]
    content = service_content(fees=fees, translations={"en": {"fee_names": ["Fee A", "Fee B"]}})
    revision = make_revision(make_item(), content=content)
    code = revision.item.code
    rows = [{"item_code": code, "fee_name": name, "pricing": "免费"} for name in ("乙费", "甲费")]
    planned = only_plan(csv_bytes(rows), revision)
    assert [fee["name"] for fee in planned.fees] == ["乙费", "甲费"]
    assert planned.content["translations"]["en"]["fee_names"] == ["Fee B", "Fee A"]


def test_a_basis_cited_by_the_item_wins_over_a_duplicate_document_number(water):
    db.session.add(
        LegalBasis(
            code=unique("dup"), title="重复录入", doc_number=BASIS, issued_on=date(2030, 1, 1)
        )
    )
    db.session.flush()
    assert only_plan(xlsx(water_rows(water.item.code)), water).content == water.content


def test_a_document_number_followed_by_more_digits_is_another_document(water):
    make_legal_basis(code=unique("jjg"), doc_number="JJG 162")
    rows = every_row(water_rows(water.item.code), basis="JJG 1620")
    assert (2, "basis", "unknown_basis") in problems(plan_fee_import(xlsx(rows)))
    rows = every_row(water_rows(water.item.code), basis="JJG 162 第5条")
    assert only_plan(xlsx(rows), water).fees[0]["basis"][0]["article"] == "第5条"


# Errors, each named by row and column -------------------------------------------------------

CELL_ERRORS = {
    "overlapping tiers": ({"r3": {"tier_lower": "150"}}, (3, "tier_lower", "tier_overlap")),
    "gapped tiers": ({"r3": {"tier_lower": "182"}}, (3, "tier_lower", "tier_gap")),
    "negative price": ({"r2": {"unit_price": "-5.00"}}, (2, "unit_price", "negative")),
    "non-numeric price": ({"r4": {"unit_price": "九元"}}, (4, "unit_price", "not_a_number")),
    "too many decimals": ({"r3": {"unit_price": "7.00001"}}, (3, "unit_price", "too_precise")),
    "blank price": ({"r3": {"unit_price": ""}}, (3, "unit_price", "required")),
    "first tier not at zero": (
        {"r2": {"tier_lower": "10"}},
        (2, "tier_lower", "tier_not_from_zero"),
    ),
    "last tier closed": ({"r4": {"tier_upper": "400"}}, (4, "tier_upper", "tier_last_closed")),
    "open tier before the last": (
        {"r3": {"tier_upper": "以上"}},
        (3, "tier_upper", "tier_open_before_last"),
    ),
    "upper below lower": ({"r3": {"tier_upper": "170"}}, (3, "tier_upper", "tier_upper_too_low")),
    "not a range": ({"r3": {"tier_lower": "180-260-300"}}, (3, "tier_lower", "bad_range")),
    "range disagrees with upper cell": (
        {"r2": {"tier_lower": "0-180", "tier_upper": "200"}},
        (2, "tier_upper", "range_conflict"),
    ),
    "mixed (含) and (不含)": (
        {"r2": {"tier_upper": "180(含)"}, "r3": {"tier_upper": "260(不含)"}},
        (3, "tier_upper", "mixed_inclusive"),
    ),
    "parts not adding up": (
        {"r2": {"components": "水费 2.00；污水处理费 1.36"}},
        (2, "components", "components_sum"),
    ),
    "unreadable parts": (
        {"r2": {"components": "水费；污水处理费"}},
        (2, "components", "bad_components"),
    ),
    "unit changing within a fee": ({"r3": {"unit": "元/吨"}}, (3, "unit", "differs_within_fee")),
    "basis changing within a fee": (
        {"r4": {"basis": "澄价〔2024〕2号"}},
        (4, "basis", "differs_within_fee"),
    ),
    "two dates for one item": (
        {"r2": {"effective_from": "2026-01-01"}, "r3": {"effective_from": "2026-02-01"}},
        (3, "effective_from", "differs_within_item"),
    ),
    "not a date": ({"r2": {"effective_from": "下个月"}}, (2, "effective_from", "bad_date")),
    "no such day": ({"r2": {"effective_from": "2026-02-30"}}, (2, "effective_from", "bad_date")),
    "blank fee name": ({"r3": {"fee_name": ""}}, (3, "fee_name", "required")),
    "unknown kind": ({"r2": {"kind": "赠送"}}, (2, "kind", "not_allowed")),
    "unknown period": ({"r2": {"billing_period": "季"}}, (2, "billing_period", "not_allowed")),
}

WHOLE_FEE_ERRORS = {
    "unknown item code": ({"item_code": "NO-SUCH-ITEM"}, (2, "item_code", "unknown_item")),
    "missing basis": ({"basis": ""}, (2, "basis", "missing_basis")),
    "unknown basis": ({"basis": "澄价〔2099〕9号"}, (2, "basis", "unknown_basis")),
    "a similar 文号": ({"basis": "澄价〔2024〕12号"}, (2, "basis", "unknown_basis")),
    "unknown unit": ({"unit": "元/桶"}, (2, "unit", "unknown_unit")),
    "no billing period": ({"billing_period": ""}, (2, "billing_period", "required")),
    "no unit": ({"unit": ""}, (2, "unit", "required")),
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("case", CELL_ERRORS, ids=list(CELL_ERRORS))
def test_cell_errors_name_their_row_and_column(water, case, fmt):
    changes, expected = CELL_ERRORS[case]
    rows = with_cells(water_rows(water.item.code), **changes)
    plan = plan_fee_import(xlsx(rows) if fmt == "xlsx" else csv_bytes(rows))
    assert expected in problems(plan)
    assert plan.items == []


@pytest.mark.parametrize("case", WHOLE_FEE_ERRORS, ids=list(WHOLE_FEE_ERRORS))
def test_fee_errors_name_the_fee_row_and_column(water, case):
    changes, expected = WHOLE_FEE_ERRORS[case]
    plan = plan_fee_import(xlsx(every_row(water_rows(water.item.code), **changes)))
    assert expected in problems(plan)
    assert plan.items == []


def test_error_text_reads_row_column_and_message(water):
    rows = with_cells(water_rows(water.item.code), r3={"unit_price": "abc"})
    [error] = plan_fee_import(xlsx(rows)).errors
    assert str(error) == "row 3, 单价 (unit price): “abc” is not a number."
    assert (error.params, error.column_label) == ({"value": "abc"}, "单价 (unit price)")


def test_a_flat_fee_with_tier_bounds_is_refused(ctx):
    revision = make_revision(make_item(), content=service_content())
    row = {
        "item_code": revision.item.code,
        "fee_name": "水表安装费",
        "pricing": "固定",
        "tier_lower": "0",
        "unit_price": "380.00",
        "unit": "元/户",
        "basis": BASIS,
    }
    assert (2, "tier_lower", "not_for_flat") in problems(plan_fee_import(xlsx([row])))


def test_a_flat_fee_listed_twice_is_refused(ctx):
    revision = make_revision(make_item(), content=service_content())
    row = {
        "item_code": revision.item.code,
        "fee_name": "水表安装费",
        "pricing": "固定",
        "unit_price": "380.00",
        "unit": "元/户",
        "basis": BASIS,
    }
    assert (3, "fee_name", "duplicate_fee") in problems(plan_fee_import(xlsx([row, row])))


def test_a_free_fee_with_a_price_is_refused(ctx):
    revision = make_revision(make_item(), content=service_content())
    row = {
        "item_code": revision.item.code,
        "fee_name": "水表安装费",
        "pricing": "免费",
        "unit_price": "380.00",
    }
    assert (2, "unit_price", "free_with_price") in problems(plan_fee_import(xlsx([row])))


def test_formula_cells_are_refused_in_xlsx(water):
    book = load_workbook(io.BytesIO(xlsx(water_rows(water.item.code))))
    book.active.cell(row=3, column=KEYS.index("unit_price") + 1).value = "=5+2"
    out = io.BytesIO()
    book.save(out)
    plan = plan_fee_import(out.getvalue())
    assert problems(plan) == {(3, "unit_price", "formula")}
    assert plan.errors[0].params == {"formula": "=5+2"}


def test_formula_cells_are_refused_in_csv(water):
    rows = with_cells(water_rows(water.item.code), r4={"unit_price": "=SUM(I2:I3)"})
    assert problems(plan_fee_import(csv_bytes(rows))) == {(4, "unit_price", "formula")}


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def docx_like_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


FILE_ERRORS = {
    "picture": (png_bytes, "wrong_file_type"),
    "zip that is no workbook": (docx_like_bytes, "wrong_file_type"),
    "old binary xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy_xls"),
    "damaged xlsx": (lambda: b"PK\x03\x04" + b"broken" * 50, "unreadable"),
    "oversized": (lambda: csv_bytes([{"note": "备注" * (MAX_FILE_BYTES // 4)}]), "file_too_large"),
    "too many rows": (lambda: csv_bytes([{"item_code": "X"}] * (MAX_ROWS + 1)), "too_many_rows"),
    "no header": (lambda: "一封信，\n不是收费表。\n".encode(), "no_header"),
}


@pytest.mark.parametrize("name", ["picture.xlsx", "picture.csv"])
def test_file_type_is_judged_by_content_not_name(ctx, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(png_bytes())
    assert problems(plan_fee_import(path.read_bytes())) == {(None, None, "wrong_file_type")}


@pytest.mark.parametrize("case", FILE_ERRORS, ids=list(FILE_ERRORS))
def test_unusable_files_are_refused_whole(ctx, case):
    make, code = FILE_ERRORS[case]
    plan = plan_fee_import(make())
    assert [(e.code, e.column) for e in plan.errors] == [(code, None)]
    assert plan.items == []


def test_sheet_with_a_header_and_no_rows_is_refused(ctx):
    assert problems(plan_fee_import(xlsx([]))) == {(1, None, "empty_sheet")}


def test_missing_columns_are_named(ctx):
    header = [c.label for c in COLUMNS if c.key not in ("basis", "unit")]
    assert problems(plan_fee_import(csv_bytes([], header=header))) == {
        (1, "basis", "missing_column"),
        (1, "unit", "missing_column"),
    }


def test_other_utilities_items_are_refused(water):
    plan = plan_fee_import(xlsx(water_rows(water.item.code)), make_utility())
    assert problems(plan) == {(2, "item_code", "other_utility")}


def test_items_in_review_are_refused(water):
    make_revision(water.item, status=RevisionStatus.IN_REVIEW, effective_from=None)
    plan = plan_fee_import(xlsx(water_rows(water.item.code)))
    assert problems(plan) == {(2, "item_code", "open_revision")}


def test_withdrawn_items_are_refused(water):
    water.item.status = ItemStatus.RETIRED
    plan = plan_fee_import(xlsx(water_rows(water.item.code)))
    assert problems(plan) == {(2, "item_code", "retired_item")}


# All or nothing -----------------------------------------------------------------------------


def snapshot(items: list[Item]) -> list:
    db.session.expire_all()
    revisions = db.session.scalars(
        select(Revision).where(Revision.item_id.in_([i.id for i in items])).order_by(Revision.id)
    )
    return [
        [(r.id, r.status, r.content, r.version, r.effective_from) for r in revisions],
        db.session.scalar(select(func.count()).select_from(Revision)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    ]


def test_failing_import_leaves_the_database_unchanged(water):
    other = make_revision(make_item(water.item.utility), content=service_content())
    user = make_user(water.item.utility)
    good = with_cells(water_rows(water.item.code), r4={"unit_price": "9.50"})
    bad = {
        "item_code": other.item.code,
        "fee_name": "水表安装费",
        "unit_price": "三百八",
        "unit": "元/户",
        "basis": BASIS,
    }
    before = snapshot([water.item, other.item])

    plan = plan_fee_import(xlsx([*good, bad]))

    assert problems(plan) == {(5, "unit_price", "not_a_number")}
    assert plan.items == []
    assert not (db.session.new or db.session.dirty or db.session.deleted)
    with pytest.raises(ValueError):
        apply_fee_import(plan, user)
    assert snapshot([water.item, other.item]) == before


def test_import_puts_fees_into_an_open_draft_and_keeps_its_other_edits(water):
    content = copy.deepcopy(water.content) | {"summary": "编辑中的新说明"}
    draft = make_revision(
        water.item,
        status=RevisionStatus.DRAFT,
        content=content,
        effective_from=None,
        change_summary="说明更新",
    )
    rows = with_cells(water_rows(water.item.code), r4={"unit_price": "9.90"})

    plan = plan_fee_import(xlsx(rows))
    assert plan.items[0].base == draft
    [saved] = apply_fee_import(plan, make_user(water.item.utility))

    assert saved == draft
    assert saved.content["summary"] == "编辑中的新说明"
    assert saved.content["fees"][0]["pricing"]["tiers"][2]["price"] == "9.90"
    assert saved.change_summary == "说明更新"
    assert saved.status == RevisionStatus.DRAFT


def test_effective_date_is_proposed_on_the_draft(water):
    rows = every_row(
        with_cells(water_rows(water.item.code), r4={"unit_price": "9.10"}),
        effective_from="2027-01-01",
    )
    [draft] = apply_fee_import(plan_fee_import(csv_bytes(rows)), make_user(water.item.utility))
    assert draft.effective_from == date(2027, 1, 1)
    assert draft.status == RevisionStatus.DRAFT
    assert current_revision(water.item, date(2027, 6, 1)) == water


# Templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_templates_have_a_header_row_and_an_example_row(fmt):
    data = fee_template(fmt)
    sheet = read_sheet(data)
    assert sheet.header_row == 1
    [example] = sheet.rows
    assert example.cells["item_code"] == "CZ-WATER-T01"
    assert example.cells["unit"] == "元/立方米"


def test_xlsx_template_explains_every_column():
    book = load_workbook(io.BytesIO(fee_template("xlsx")))
    assert book.sheetnames == ["收费标准", "填写说明"]
    assert [c.value for c in book["收费标准"][1]] == HEADER
    explained = [row[0] for row in book["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert explained[: len(COLUMNS)] == HEADER


def test_csv_template_starts_with_a_byte_order_mark_for_excel():
    data = fee_template("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)


# Command line -------------------------------------------------------------------------------


def test_cli_export_refuses_other_file_names(app, ctx, tmp_path):
    result = app.test_cli_runner().invoke(args=["fees", "export", "--out", str(tmp_path / "x.ods")])
    assert result.exit_code != 0
    assert ".xlsx or .csv" in result.output


def test_cli_dry_run_reports_the_changes_and_saves_nothing(app, water, tmp_path):
    user = make_user(water.item.utility)
    path = tmp_path / "fees.xlsx"
    path.write_bytes(xlsx(with_cells(water_rows(water.item.code), r4={"unit_price": "9.20"})))
    result = app.test_cli_runner().invoke(
        args=["fees", "import", str(path), "--as", user.username, "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert f"{water.item.code}: 1 fees, changed" in result.output
    assert "dry run: nothing saved" in result.output
    assert [r.id for r in water.item.revisions] == [water.id]


def test_cli_import_lists_errors_by_row_and_column(app, water, tmp_path):
    user = make_user(water.item.utility)
    path = tmp_path / "fees.csv"
    path.write_bytes(csv_bytes(with_cells(water_rows(water.item.code), r3={"unit_price": "-7"})))
    result = app.test_cli_runner().invoke(args=["fees", "import", str(path), "--as", user.username])
    assert result.exit_code == 1
    assert "row 3, 单价 (unit price): “-7” is negative." in result.output
    assert "nothing imported (1 errors)" in result.output


def test_cli_import_without_dry_run_commits_drafts(app, tmp_path):
    with app.app_context():
        refs_before = {
            "basis": db.session.scalar(select(LegalBasis.id).filter_by(code="test-price-doc")),
            "channel": db.session.scalar(select(Channel.id).filter_by(code="test-12345")),
        }
        revision = make_revision(make_item(kind=ItemKind.TARIFF))
        user = make_user(revision.item.utility)
        ids = {"item": revision.item.id, "utility": revision.item.utility_id, "user": user.id}
        code, username = revision.item.code, user.username
        db.session.commit()
    try:
        path = tmp_path / "fees.csv"
        path.write_bytes(csv_bytes(with_cells(water_rows(code), r4={"unit_price": "9.30"})))
        result = app.test_cli_runner().invoke(args=["fees", "import", str(path), "--as", username])
        assert result.exit_code == 0, result.output
        assert "1 drafts saved, nothing published" in result.output
        with app.app_context():
            drafts = db.session.scalars(
                select(Revision).where(
                    Revision.item_id == ids["item"], Revision.status == RevisionStatus.DRAFT
                )
            ).all()
            assert [d.content["fees"][0]["pricing"]["tiers"][2]["price"] for d in drafts] == [
                "9.30"
            ]
    finally:
        with app.app_context():
            db.session.execute(Revision.__table__.delete().where(Revision.item_id == ids["item"]))
            db.session.execute(User.__table__.delete().where(User.id == ids["user"]))
            db.session.execute(Item.__table__.delete().where(Item.id == ids["item"]))
            db.session.execute(Utility.__table__.delete().where(Utility.id == ids["utility"]))
            # The factories' shared basis and channel go too, if this test is what made them.
            if refs_before["basis"] is None:
                db.session.execute(LegalBasis.__table__.delete().filter_by(code="test-price-doc"))
            if refs_before["channel"] is None:
                db.session.execute(Channel.__table__.delete().filter_by(code="test-12345"))
            db.session.commit()


def test_an_effective_date_years_ahead_is_refused(water):
    rows = every_row(water_rows(water.item.code), effective_from="9999-12-31")
    assert (2, "effective_from", "date_too_far") in problems(plan_fee_import(xlsx(rows)))
