"""The editor offers a translation input for every text, beside the Chinese it translates,
and says when the Chinese has changed since a translation was written."""

from __future__ import annotations

import copy

from services.db import db
from services.models import ItemKind, Revision, RevisionStatus
from tests.factories import service_content, tariff_content
from tests.html import form_values, parse
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    accounts_fixture,
    sign_in,
    tariff_fixture,
)

NOTE = "translations.en.fees[0].note"


def content_with_notes() -> dict:
    # A service with a tariff's fee table: notes on fees, places and time limits.
    content = tariff_content()
    content.pop("price_notice", None)
    content["time_limits"] = copy.deepcopy(service_content()["time_limits"])
    content["fees"][0]["note"] = "含污水处理费"
    content["fees"][0]["reductions"] = [{"description": "低保家庭每月免收5立方米"}]
    content["locations"][0]["hours_note"] = "法定节假日休息"
    content["time_limits"]["promised"]["note"] = "自受理之日起"
    return content


def edit(app, accounts, revision_id):
    client = app.test_client()
    sign_in(client, accounts["editor"])
    response = client.get(f"/editor/revisions/{revision_id}/edit")
    assert response.status_code == 200
    return client, parse(response.data)


def save(client, revision_id, values):
    response = client.post(f"/editor/revisions/{revision_id}/edit", data=values)
    assert response.status_code == 302, response.data[:2000]
    return parse(client.get(f"/editor/revisions/{revision_id}/edit").data)


def stored(app, revision_id) -> dict:
    with app.app_context():
        return db.session.get(Revision, revision_id).content


def test_every_text_has_a_translation_input_beside_its_chinese(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, content_with_notes(), kind=ItemKind.SERVICE)
    _client, page = edit(app, accounts, fresh.revision_id)
    for name, chinese in (
        (NOTE, "含污水处理费"),
        ("translations.en.fees[0].reductions[0].description", "低保家庭每月免收5立方米"),
        ("translations.zh_Hant.fees[0].customer_class", "居民"),
        ("translations.en.locations[0].hours_note", "法定节假日休息"),
        ("translations.en.time_limits.promised.note", "自受理之日起"),
        ("translations.en.change_summary", None),
    ):
        field = page.soup.find(attrs={"name": name})
        assert field is not None, name
        if chinese:
            original = field.find_previous_sibling(class_="translation-original")
            assert original.get_text() == chinese and original["lang"] == "zh-Hans"


def test_a_translation_is_outdated_when_its_chinese_changes_until_confirmed(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, content_with_notes(), kind=ItemKind.SERVICE)
    client, page = edit(app, accounts, fresh.revision_id)
    values = form_values(str(page.soup), "revision-form")
    values[NOTE] = "Includes sewage treatment"
    page = save(client, fresh.revision_id, values)
    assert stored(app, fresh.revision_id)["translations"]["en"]["fees"][0]["note"] == (
        "Includes sewage treatment"
    )
    assert not page.soup.select(".field-outdated")

    values = form_values(str(page.soup), "revision-form")
    values["fees[0].note"] = "含污水处理费和水资源税"
    page = save(client, fresh.revision_id, values)
    outdated = page.soup.select(".field-outdated")
    assert [box.find("input")["value"] for box in outdated] == [NOTE]

    values = form_values(str(page.soup), "revision-form")
    values.add("translation_fits", NOTE)
    page = save(client, fresh.revision_id, values)
    assert not page.soup.select(".field-outdated")
