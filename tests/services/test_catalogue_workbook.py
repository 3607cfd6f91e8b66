"""The catalogue workbook: export, import as drafts or published, idempotence, the dry run,
who may import what, and hostile or clumsy files refused with the cell named and the
database left as it was."""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from services.catalogue.version import read_version
from services.catalogue.workbook.exporting import export_catalogue
from services.catalogue.workbook.layout import Uncovered
from services.catalogue.workbook.sheets import SHEETS
from services.clock import today
from services.db import db
from services.models import AuditEvent, Item, ItemKind, Revision, RevisionStatus, Role, Utility
from tests.factories import (
    make_hall,
    make_item,
    make_revision,
    make_user,
    make_utility,
    service_content,
)


@pytest.fixture(scope="module")
def city(app):
    """A small catalogue, an admin, a reviewer and an editor of its utility."""
    with app.app_context():
        utility = make_utility(slug="wb-water", translations={"en": {"name": "Test Water"}})
        make_revision(make_item(utility, code="WB-S01", slug="connection"))
        make_revision(make_item(utility, code="WB-T01", slug="price", kind=ItemKind.TARIFF))
        make_hall([utility], slug="wb-hall")
        make_user(Role.ADMIN, username="wb-admin")
        make_user(Role.REVIEWER, username="wb-reviewer")
        make_user(Role.EDITOR, utility, username="wb-editor")
        make_user(Role.EDITOR, make_utility(slug="wb-other"), username="wb-stranger")
        db.session.commit()


@pytest.fixture
def exported(app, city) -> bytes:
    with app.app_context():
        data = export_catalogue("xlsx")
        db.session.rollback()
    return data


def state(app) -> tuple:
    """What an import that changes nothing must leave as it was."""
    with app.app_context():
        out = (
            db.session.scalar(select(func.count()).select_from(Revision)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
            db.session.scalar(select(func.count()).select_from(Utility)),
            read_version()[0],
        )
        db.session.rollback()
    return out


def edited(data: bytes, change) -> bytes:
    """The workbook after `change(book)`."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell(book, sheet: str, column: str, row: int = 2):
    """The cell of `column` (by header name) in `row` of `sheet`."""
    names = [c.value for c in book[sheet][1]]
    return book[sheet].cell(row, names.index(column) + 1)


def run_import(app, tmp_path, data: bytes, *args: str, name: str = "city.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["catalogue", "import", str(path), *args])


def test_the_export_has_one_sheet_per_kind_with_its_stable_header(exported):
    book = load_workbook(io.BytesIO(exported))
    assert book.sheetnames == [spec.name for spec in SHEETS]
    for spec in SHEETS:
        assert [c.value for c in book[spec.name][1]] == spec.header
    codes = {row[1] for row in book["items"].iter_rows(min_row=2, values_only=True)}
    assert {"WB-S01", "WB-T01"} <= codes


def test_the_json_export_has_the_same_sheets_and_rows(app, city, exported):
    with app.app_context():
        document = json.loads(export_catalogue("json"))
        db.session.rollback()
    book = load_workbook(io.BytesIO(exported))
    assert document["format"] == "gongshi-catalogue"
    for spec in SHEETS:
        assert len(document["sheets"][spec.name]) == book[spec.name].max_row - 1


def test_importing_the_exported_file_changes_nothing(app, tmp_path, exported):
    before = state(app)
    result = run_import(app, tmp_path, exported, "--as", "wb-admin", "--publish")
    assert result.exit_code == 0, result.output
    assert "items: 0 new, 0 changed" in result.output
    assert "nothing to change" in result.output
    assert state(app) == before


def test_the_json_export_imports_unchanged_too(app, city, tmp_path):
    with app.app_context():
        data = export_catalogue("json")
        db.session.rollback()
    before = state(app)
    result = run_import(app, tmp_path, data, "--as", "wb-admin", name="city.json")
    assert result.exit_code == 0, result.output
    assert "nothing to change" in result.output
    assert state(app) == before


def test_a_field_no_column_carries_stops_the_export(app, city):
    with app.app_context():
        item = make_item(db.session.scalar(select(Utility).filter_by(slug="wb-water")))
        make_revision(item, content=service_content(leaflet="a new field"))
        with pytest.raises(Uncovered, match="content.leaflet"):
            export_catalogue("xlsx")
        db.session.rollback()


_edits = itertools.count(1)


def renamed(book) -> None:
    cell(book, "items", "name", 2).value = f"居民用水新装（第{next(_edits)}次修订）"


def test_a_change_arrives_in_review_and_the_same_file_again_changes_nothing(
    app, tmp_path, exported
):
    data = edited(exported, renamed)
    first = run_import(app, tmp_path, data, "--as", "wb-admin")
    assert first.exit_code == 0, first.output
    assert "items: 0 new, 1 changed, 1 unchanged" in first.output
    assert "0 revisions published, 1 in review" in first.output
    with app.app_context():
        item = db.session.scalar(select(Item).filter_by(code="WB-S01"))
        latest = item.revisions[-1]
        assert latest.status == RevisionStatus.IN_REVIEW
        assert latest.content["name"].startswith("居民用水新装（第")
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "catalogue.import")
        ).all()
        assert len(events) == 1
        db.session.rollback()
    before = state(app)
    second = run_import(app, tmp_path, data, "--as", "wb-admin")
    assert second.exit_code == 0, second.output
    assert "nothing to change" in second.output
    assert state(app) == before
    # Publishing the same file publishes the revision in review, with one audit entry.
    third = run_import(app, tmp_path, data, "--as", "wb-admin", "--publish")
    assert third.exit_code == 0, third.output
    with app.app_context():
        item = db.session.scalar(select(Item).filter_by(code="WB-S01"))
        assert item.revisions[-1].status == RevisionStatus.PUBLISHED
        assert item.revisions[-1].effective_from == today()
        assert item.revisions[0].status == RevisionStatus.SUPERSEDED
        assert len(item.revisions) == 2
        db.session.rollback()
    assert state(app)[1] == before[1] + 1
    fourth = run_import(app, tmp_path, data, "--as", "wb-admin", "--publish")
    assert "nothing to change" in fourth.output


def test_the_dry_run_counts_the_changes_and_writes_nothing(app, tmp_path, exported):
    def change(book):
        cell(book, "materials", "copies", 2).value = 3
        cell(book, "utilities", "address", 2).value = "澄州市新地址1号"

    before = state(app)
    result = run_import(app, tmp_path, edited(exported, change), "--as", "wb-admin", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "utilities: 0 new, 1 changed" in result.output
    assert "materials: 0 new, 1 changed" in result.output
    assert "dry run: nothing saved" in result.output
    assert state(app) == before


def test_only_an_admin_may_publish(app, tmp_path, exported):
    before = state(app)
    data = edited(exported, renamed)
    result = run_import(app, tmp_path, data, "--as", "wb-editor", "--publish", "--lang", "en")
    assert result.exit_code == 1
    assert "Only an administrator may publish" in result.output
    assert state(app) == before


def test_an_editor_changes_only_the_content_of_their_own_utilitys_items(app, tmp_path, exported):
    before = state(app)
    data = edited(exported, renamed)
    stranger = run_import(app, tmp_path, data, "--as", "wb-stranger", "--lang", "en")
    assert stranger.exit_code == 1
    assert "wb-stranger may not change items of wb-water" in stranger.output

    def address(book):
        cell(book, "utilities", "address", 2).value = "澄州市新地址1号"

    editor = run_import(
        app, tmp_path, edited(exported, address), "--as", "wb-editor", "--lang", "en"
    )
    assert editor.exit_code == 1
    assert "only an administrator may" in editor.output
    reviewer = run_import(app, tmp_path, edited(exported, renamed), "--as", "wb-reviewer")
    assert reviewer.exit_code == 1
    assert state(app) == before


def test_full_width_digits_are_read_as_numbers(app, tmp_path, exported):
    def change(book):
        cell(book, "items", "statutory_value", 2).value = "３０"

    result = run_import(app, tmp_path, edited(exported, change), "--as", "wb-admin", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "items: 0 new, 1 changed" in result.output


def _letter(book, sheet, column) -> str:
    return cell(book, sheet, column).column_letter


def _text_in_a_number_column(book):
    cell(book, "items", "statutory_value").value = "十个工作日"
    return (
        f"items!{_letter(book, 'items', 'statutory_value')}2: 法定办结时限 must be a whole number"
    )


def _unknown_basis(book):
    fees = [c.value for c in book["fees"][1]]
    cell(book, "fees", "basis").value = "no-such-document: 第一条"
    letter = book["fees"].cell(2, fees.index("basis") + 1).column_letter
    return f"fees!{letter}2: No legal basis has the code “no-such-document”."


def _duplicate_code(book):
    sheet = book["items"]
    sheet.append([c.value for c in sheet[2]])
    return f"items!{_letter(book, 'items', 'code')}{sheet.max_row}: 事项编码 “"


def _duplicate_slug(book):
    sheet = book["utilities"]
    sheet.append([c.value for c in sheet[2]])
    return f"utilities!A{sheet.max_row}: 网址名 “"


def _merged(book):
    book["items"].merge_cells("A2:B2")
    return "items: Cells A2:B2 are merged"


def _formula(book):
    cell(book, "materials", "copies").value = "=1+1"
    return f"materials!{_letter(book, 'materials', 'copies')}2: 份数 holds a formula (=1+1)"


def _missing_sheet(book):
    del book["tiers"]
    return "The sheet “tiers” is missing."


def _wrong_sheet(book):
    book["fees"].title = "收费"
    return "收费: The workbook has a sheet “收费” that is not part of a catalogue"


def _missing_column(book):
    book["steps"].delete_cols(cell(book, "steps", "title").column)
    return "steps!1: The column “title” is missing"


def _bad_date(book):
    cell(book, "legal_bases", "issued_on").value = "去年"
    return "发布日期 must be a date such as 2026-01-01, not “去年”."


def _unknown_channel_kind(book):
    cell(book, "channels", "kinds").value = "consult, gossip"
    letter = _letter(book, "channels", "kinds")
    return f"channels!{letter}2: 渠道类别 must be one of: consult / complaint"


def _bad_day_exceptions(book):
    cell(book, "halls", "exceptions").value = '[{"on": "someday", "closed": true}]'
    letter = _letter(book, "halls", "exceptions")
    return f"halls!{letter}2: 闭馆与加开日 does not have the form the admin screen writes"


def _bad_opening_hours(book):
    cell(book, "halls", "opening_hours").value = "周一至周五"
    letter = _letter(book, "halls", "opening_hours")
    return f"halls!{letter}2: 开放时间: “周一至周五” is not opening hours"


def _bad_item_code(book):
    sheet = book["items"]
    sheet.append([c.value for c in sheet[2]])
    cell(book, "items", "code", sheet.max_row).value = "WB S09"
    cell(book, "items", "slug", sheet.max_row).value = "another"
    return f"items!{_letter(book, 'items', 'code')}{sheet.max_row}: 事项编码 must be one of: A-Z"


HOSTILE = {
    "an item code with a space": _bad_item_code,
    "a channel of an unknown kind": _unknown_channel_kind,
    "day exceptions of another form": _bad_day_exceptions,
    "opening hours in words": _bad_opening_hours,
    "text in a number column": _text_in_a_number_column,
    "a fee citing an unknown basis": _unknown_basis,
    "a duplicate item code": _duplicate_code,
    "a duplicate utility slug": _duplicate_slug,
    "merged cells": _merged,
    "a formula": _formula,
    "a missing sheet": _missing_sheet,
    "a wrong sheet": _wrong_sheet,
    "a missing column": _missing_column,
    "a date that is not a date": _bad_date,
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_clumsy_workbook_is_refused_with_the_cell_named(app, tmp_path, exported, case):
    book = load_workbook(io.BytesIO(exported))
    expected = HOSTILE[case](book)
    out = io.BytesIO()
    book.save(out)
    before = state(app)
    result = run_import(app, tmp_path, out.getvalue(), "--as", "wb-admin", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "nothing imported" in result.output
    assert state(app) == before


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/media/image1.bin", b"\0" * (30 * 1024 * 1024))
    return out.getvalue()


FILES = {
    "a 50 MB file": (lambda: b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024), "larger than 20 MB"),
    "a zip bomb named .xlsx": (_zip_bomb, "unpacks to far more than it holds"),
    "a GBK CSV": (
        lambda: "事项编码,事项名称\nWB-S01,居民用水新装\n".encode("gbk"),
        "save the workbook as .xlsx, or use the JSON export",
    ),
    "an old .xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Old .xls"),
    "JSON of something else": (lambda: b'{"rows": []}', "not a catalogue export"),
}


@pytest.mark.parametrize("case", FILES)
def test_a_hostile_file_is_refused_before_it_is_read(app, city, tmp_path, case):
    make, expected = FILES[case]
    before = state(app)
    result = run_import(app, tmp_path, make(), "--as", "wb-admin", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert state(app) == before


def test_messages_come_in_the_chosen_language(app, tmp_path, exported):
    book = load_workbook(io.BytesIO(exported))
    _text_in_a_number_column(book)
    out = io.BytesIO()
    book.save(out)
    letter = _letter(book, "items", "statutory_value")
    default = run_import(app, tmp_path, out.getvalue(), "--as", "wb-admin")
    assert f"items!{letter}2: 法定办结时限必须是整数" in default.output
    traditional = run_import(app, tmp_path, out.getvalue(), "--as", "wb-admin", "--lang", "zh_Hant")
    assert f"items!{letter}2: 法定办结时限必須是整數" in traditional.output


def test_an_unknown_account_is_refused(app, city, tmp_path, exported):
    result = run_import(app, tmp_path, exported, "--as", "nobody", "--lang", "en")
    assert result.exit_code == 1
    assert "no active account “nobody”" in result.output


def test_a_new_item_and_utility_arrive_from_a_workbook(app, tmp_path, exported):
    def add(book):
        utilities = book["utilities"]
        row = [c.value for c in utilities[2]]
        row[0], row[1] = "wb-power", "澄州测试供电公司"
        utilities.append(row)
        items = book["items"]
        row = [c.value for c in items[2]]
        names = [c.value for c in items[1]]
        row[names.index("utility")] = "wb-power"
        row[names.index("code")] = "WB-P01"
        row[names.index("effective_from")] = date(2025, 5, 1)
        items.append(row)

    result = run_import(app, tmp_path, edited(exported, add), "--as", "wb-admin", "--publish")
    assert result.exit_code == 0, result.output
    assert "utilities: 1 new" in result.output
    assert "items: 1 new" in result.output
    with app.app_context():
        item = db.session.scalar(select(Item).filter_by(code="WB-P01"))
        assert item.utility.slug == "wb-power"
        assert item.revisions[0].status == RevisionStatus.PUBLISHED
        assert item.revisions[0].effective_from == date(2025, 5, 1)
        db.session.rollback()


def test_the_format_description_names_every_sheet_column_and_message():
    from pathlib import Path

    from services.catalogue.workbook.messages import MESSAGES

    text = (Path(__file__).parents[2] / "docs" / "catalogue-format.md").read_text()
    for spec in SHEETS:
        assert f"### `{spec.name}`" in text
        for name in spec.header:
            assert f"| `{name}` |" in text
    for code, message in MESSAGES.items():
        assert f"| `{code}` | {message} |" in text


def test_a_json_file_names_the_row_and_field_of_a_problem(app, city, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["catalogue", "export", "--out", str(tmp_path / "city.json")]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "city.json").read_text())
    document["sheets"]["items"][1]["statutory_value"] = "ten"
    data = json.dumps(document, ensure_ascii=False).encode()
    before = state(app)
    refused = run_import(app, tmp_path, data, "--as", "wb-admin", "--lang", "en", name="x.json")
    assert refused.exit_code == 1
    assert "items[1].statutory_value: 法定办结时限 must be a whole number" in refused.output
    assert state(app) == before


def test_a_changed_channel_is_listed_among_the_changes_residents_see(app, tmp_path, exported):
    from services.models import CatalogueChange

    def change(book):
        cell(book, "channels", "phone", 2).value = "96390"

    result = run_import(app, tmp_path, edited(exported, change), "--as", "wb-admin")
    assert result.exit_code == 0, result.output
    assert "channels: 0 new, 1 changed" in result.output
    with app.app_context():
        change_row = db.session.scalar(select(CatalogueChange).filter_by(subject="channel"))
        assert change_row is not None and "96390" in change_row.name
        db.session.rollback()


def test_publishing_an_item_that_cites_a_proposed_basis_is_refused(app, tmp_path, exported):
    def change(book):
        cell(book, "legal_bases", "status").value = "proposed"
        cell(book, "legal_bases", "proposed_for").value = "wb-water"

    data = edited(exported, change)
    before = state(app)
    result = run_import(app, tmp_path, data, "--as", "wb-admin", "--publish", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "is only proposed; it must be approved" in result.output
    assert state(app) == before


def test_a_statutory_limit_without_its_law_is_refused_as_in_the_editor(app, city, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["catalogue", "export", "--out", str(tmp_path / "city.json")]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "city.json").read_text())
    row = next(
        n for n, r in enumerate(document["sheets"]["items"]) if r.get("statutory_source") == "law"
    )
    document["sheets"]["items"][row]["statutory_source"] = "promise"
    document["sheets"]["items"][row]["statutory_source_basis"] = None
    document["sheets"]["items"][row]["statutory_source_article"] = None
    data = json.dumps(document, ensure_ascii=False).encode()
    before = state(app)
    refused = run_import(app, tmp_path, data, "--as", "wb-admin", "--lang", "en", name="x.json")
    assert refused.exit_code == 1
    assert f"items[{row}]" in refused.output and "time_limits.statutory" in refused.output
    assert state(app) == before
