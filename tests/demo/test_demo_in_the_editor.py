"""Every revision of the demo city goes through the editor's form without losing a field."""

from __future__ import annotations

import json

from sqlalchemy import select

from kiosk.editor.content_form import read_content
from services.content.diff import flatten
from services.db import db
from services.models import ItemKind, Revision, RevisionStatus
from tests.html import form_values
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)


def demo_contents() -> list[dict]:
    return list(
        db.session.scalars(select(Revision.content).where(Revision.effective_from.is_not(None)))
    )


def test_the_form_reads_back_every_demo_revision_without_losing_a_field(app):
    with app.app_context():
        contents = demo_contents()
    assert len(contents) > 20
    for content in contents:
        assert flatten(read_content(form_data(app, content, 1))) == flatten(content)


def test_the_edit_page_holds_every_field_of_the_richest_demo_content(app, accounts, tariff):
    with app.app_context():
        richest = max(demo_contents(), key=lambda c: len(flatten(c)))
    kind = ItemKind.TARIFF if "price_notice" in richest else ItemKind.SERVICE
    fresh = tariff(RevisionStatus.DRAFT, content=richest, kind=kind)
    client = app.test_client()
    sign_in(client, accounts["editor"])
    response = client.get(f"/editor/revisions/{fresh.revision_id}/edit")
    assert response.status_code == 200
    form = form_values(response.data, "revision-form")
    assert flatten(read_content(form)) == flatten(richest)
    assert json.loads(form["base"])["version"] == fresh.version
