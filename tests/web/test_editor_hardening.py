"""The editor under hostile or clumsy input: every refusal is a clear message and nothing is
written."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from services.db import db
from services.models import AuditEvent, Item, Revision
from tests.html import parse
from tests.services.test_hostile_sheets import small_workbook, with_merged
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)


def signed_in(app, accounts, role: str):
    client = app.test_client()
    sign_in(client, accounts[role])
    return client


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Revision)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def upload(client, data: bytes, name: str = "fees.xlsx"):
    return client.post("/editor/fees/import", data={"sheet": (io.BytesIO(data), name)})


# Spreadsheet uploads ---------------------------------------------------------------------------


def test_a_workbook_with_one_huge_merged_range_is_refused_with_a_message(app, accounts, tariff):
    tariff(None)
    before = counts(app)
    response = upload(signed_in(app, accounts, "editor"), with_merged("A1:XFD1048576"))
    assert response.status_code == 422
    assert "合并" in parse(response.data).text_of("import-errors")
    assert counts(app) == before


def test_a_workbook_the_child_cannot_read_within_its_limits_changes_nothing(
    app, accounts, tariff, monkeypatch
):
    tariff(None)
    monkeypatch.setitem(app.config, "SPREADSHEET_PARSE_MEMORY_MB", 1)
    before = counts(app)
    response = upload(signed_in(app, accounts, "editor"), small_workbook())
    assert response.status_code == 422
    assert "内存" in parse(response.data).text_of("import-errors")
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Item)) > 0
