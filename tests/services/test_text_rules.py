"""Text that breaks feeds and files, or reads other than it is stored, is refused at input;
spreadsheets the editor downloads never run a formula."""

from __future__ import annotations

import copy
import csv
import io

import pytest
from openpyxl import load_workbook

from services.content.checks import check_content
from services.content.text import (
    TextError,
    content_text_problem,
    from_inert,
    inert,
    is_web_address,
    without_invisible,
)
from services.fees.exporting import export_fee_sheet
from services.fees.importing import plan_fee_import
from services.fees.sheet import COLUMNS
from tests.factories import make_item, make_revision, tariff_content
from tests.services.test_fee_import import csv_bytes, problems, water_rows

NOTE = [c.key for c in COLUMNS].index("note")


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("name", "水价\x00", "control"),
        ("summary", "第一行\x0b第二行", "control"),
        ("fees[0].note", "说明\x1b[31m", "control"),
        ("name", "居民\u202e用水", "invisible"),
        ("fees[0].pricing.tiers[0].price", "5.0\u200b0", "invisible"),
        ("online_url", "javascript:alert(1)", "not_web_address"),
        ("online_url", "data:text/html,<b>x</b>", "not_web_address"),
        ("online_url", "//evil.example/", "not_web_address"),
    ],
)
def test_text_that_cannot_be_stored_is_refused_at_its_field(ctx, path, value, code):
    content = copy.deepcopy(tariff_content())
    target, key = content, path
    if path.startswith("fees"):
        target, key = content["fees"][0], path.split(".", 1)[1]
        if key.startswith("pricing"):
            target, key = target["pricing"]["tiers"][0], "price"
    target[key] = value
    assert content_text_problem(content) == (path, code)
    with pytest.raises(TextError) as refused:
        check_content(content)
    assert (refused.value.field, refused.value.code) == (path, code)


def test_line_breaks_and_web_addresses_are_fine():
    content = tariff_content() | {
        "summary": "第一行\n第二行\t缩进",
        "online_url": "https://e.gov.cn/x",
    }
    assert content_text_problem(content) is None
    assert is_web_address("HTTP://example.org") and not is_web_address("http://")


def test_direction_and_zero_width_marks_are_stripped():
    assert without_invisible("\u202e居民\u200b用水\ufeff") == "居民用水"


def test_a_control_character_in_an_imported_cell_is_named_with_its_row_and_column(ctx):
    item = make_revision(make_item()).item
    rows = water_rows(item.code)
    rows[1]["note"] = "备注\x01"  # a NUL makes the whole file refused as not text
    assert (3, "note", "control_character") in problems(plan_fee_import(csv_bytes(rows)))


def test_a_direction_override_in_an_imported_name_is_stripped(ctx):
    water = make_revision(make_item())
    rows = [row | {"fee_name": "居民\u202e生活用水"} for row in water_rows(water.item.code)]
    plan = plan_fee_import(csv_bytes(rows))
    assert plan.errors == [] and plan.items[0].fees[0]["name"] == "居民生活用水"


FORMULAS = ['=HYPERLINK("http://evil.example","点此")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_editor_fee_export_never_runs_a_formula_and_still_reimports(ctx, formula):
    content = tariff_content()
    content["fees"][0]["note"] = formula
    water = make_revision(make_item(), content=content)
    book = load_workbook(io.BytesIO(export_fee_sheet("xlsx", water.item.utility)))
    notes = [row[NOTE] for row in book.active.iter_rows(min_row=2) if row[NOTE].value]
    assert notes and all(cell.data_type == "s" for cell in notes)
    text = export_fee_sheet("csv", water.item.utility).decode("utf-8-sig")
    cells = [row[NOTE] for row in csv.reader(io.StringIO(text)) if len(row) > NOTE]
    assert f"'{formula}" in cells and formula not in cells
    if not formula.startswith("="):  # "=…" is refused on import whatever the file says
        plan = plan_fee_import(text.encode("utf-8-sig"))
        assert plan.errors == [] and plan.items[0].fees[0]["note"] == formula


def test_inert_and_back():
    for value in ["=1", "+1", "-1", "@x", "普通", "'引号", "'=1", "''"]:
        assert from_inert(inert(value)) == value
    assert inert("=1") == "'=1" and inert("普通") == "普通"
