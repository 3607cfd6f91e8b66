"""An item's life: an editor creates it as a draft; an admin suspends, resumes or retires it.
A suspended or retired item leaves lists, search and boards, but every address of it keeps
answering, so printed QR codes never break."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from services.clock import today as city_today
from services.db import db
from services.devices import board
from services.models import (
    AuditEvent,
    Hall,
    Item,
    ItemStatus,
    RevisionStatus,
    Role,
)
from services.search.index import index_item
from tests.factories import (
    committed,
    make_hall,
    make_item,
    make_revision,
    make_user,
    make_utility,
    service_content,
)
from tests.html import form_values, parse
from tests.web.editor_pages import sign_in


@dataclass(frozen=True)
class Published:
    item_id: int
    utility_slug: str
    url: str
    old_revision_id: int
    revision_id: int
    successor_id: int
    successor_url: str
    hall_slug: str
    hall_id: int


@pytest.fixture
def published(app) -> Published:
    """A service with two published versions, another that may replace it, and a hall."""

    def made() -> Published:
        utility = make_utility()
        item = make_item(utility, slug="meter-swap")
        old = make_revision(item, content=service_content(name="水表更换旧规"))
        new = make_revision(
            item, content=service_content(name="水表更换"), effective_from=date(2025, 1, 1)
        )
        old.status = RevisionStatus.SUPERSEDED
        successor = make_item(utility, slug="meter-swap-online")
        make_revision(successor, content=service_content(name="水表更换网上办"))
        for each in (item, successor):
            index_item(each)
        hall = make_hall([utility])
        return Published(
            item.id,
            utility.slug,
            f"/u/{utility.slug}/{item.slug}",
            old.id,
            new.id,
            successor.id,
            f"/u/{utility.slug}/{successor.slug}",
            hall.slug,
            hall.id,
        )

    return committed(app, made)


@pytest.fixture
def admin(app, client) -> int:
    admin_id = committed(app, lambda: make_user(Role.ADMIN).id)
    sign_in(client, admin_id)
    return admin_id


def board_items(app, hall_id: int) -> set[int]:
    with app.app_context():
        hall = db.session.get(Hall, hall_id)
        return {item.id for item in board.select_for(hall, date(2026, 6, 1)).items}


def test_a_suspended_item_leaves_lists_search_and_board_but_its_page_says_why(
    app, client, admin, published
):
    assert published.url in parse(client.get(f"/u/{published.utility_slug}").data).links
    assert published.item_id in board_items(app, published.hall_id)
    refused = client.post(f"/admin/items/{published.item_id}/suspend", data={"reason": ""})
    assert refused.status_code == 400
    assert "此项必填。" in parse(refused.data).text_of("reason-field")

    response = client.post(
        f"/admin/items/{published.item_id}/suspend", data={"reason": "系统升级，6月10日恢复"}
    )
    assert response.status_code == 302

    page = client.get(published.url)
    assert page.status_code == 200
    assert "系统升级，6月10日恢复" in parse(page.data).text_of("item-suspended")
    listed = parse(client.get(f"/u/{published.utility_slug}").data).links
    assert published.url not in listed and published.successor_url in listed
    found = parse(client.get("/search?q=水表更换").data).links
    assert published.url not in found and published.successor_url in found
    assert published.item_id not in board_items(app, published.hall_id)
    changes = parse(client.get("/changes").data).text_of("catalogue-changes")
    assert "暂停办理：水表更换" in changes
    assert "暂停办理：水表更换" in client.get("/changes.atom").get_data(as_text=True)

    integrators = client.get(f"/api/v1/catalogue-changes?utility={published.utility_slug}")
    (entry,) = integrators.get_json()["data"]
    with app.app_context():
        code = db.session.get(Item, published.item_id).code
    assert (entry["subject"], entry["action"], entry["item"]) == ("item", "suspended", code)
    assert entry["note"] == "系统升级，6月10日恢复"
    assert entry["links"]["page"].endswith(published.url)
    assert client.get("/api/v1/catalogue-changes?subject=hall").get_json()["data"] == []

    assert client.post(f"/admin/items/{published.item_id}/resume").status_code == 302
    resumed = client.get(f"/api/v1/catalogue-changes?since={city_today().isoformat()}")
    assert [e["action"] for e in resumed.get_json()["data"]] == ["suspended", "resumed"]
    assert published.url in parse(client.get("/search?q=水表更换").data).links
    assert published.item_id in board_items(app, published.hall_id)


def test_a_retired_items_addresses_keep_answering_with_its_successor(app, client, admin, published):
    form = form_values(client.get(f"/admin/items/{published.item_id}").data, "retire-form")
    form["reason"] = "改为网上办理"
    form["successor"] = str(published.successor_id)
    assert client.post(f"/admin/items/{published.item_id}/retire", data=form).status_code == 302
    with app.app_context():
        item = db.session.get(Item, published.item_id)
        assert item.status == ItemStatus.RETIRED and item.successor_id == published.successor_id
        since = item.status_since

    for url in (
        published.url,
        f"/r/{published.revision_id}",
        f"/r/{published.old_revision_id}",
        f"{published.url}?lang=en",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response.data)
        assert page.by_id("item-retired") is not None, url
        assert page.by_id("successor-link")["href"] == published.successor_url
    zh = parse(client.get(f"{published.url}?lang=zh_Hans").data).text_of("item-retired")
    assert f"自{since.year}年{since.month}月{since.day}日起停止办理" in zh
    assert "No longer offered since" in parse(client.get(f"{published.url}?lang=en").data).text
    assert published.url not in parse(client.get("/search?q=水表更换").data).links
    assert published.item_id not in board_items(app, published.hall_id)
    assert "停止办理：水表更换" in parse(client.get("/changes?lang=zh_Hans").data).text


def test_a_retired_item_cannot_be_retired_or_suspended_again(app, client, admin, published):
    client.post(f"/admin/items/{published.item_id}/retire", data={"reason": "", "successor": ""})
    page = client.get(f"/admin/items/{published.item_id}")
    assert parse(page.data).by_id("retire-form") is None
    again = client.post(f"/admin/items/{published.item_id}/suspend", data={"reason": "再停"})
    assert again.status_code == 409
    assert "该事项已停止办理。" in parse(again.data).text


def test_an_item_cannot_succeed_itself(app, client, admin, published):
    response = client.post(
        f"/admin/items/{published.item_id}/retire",
        data={"reason": "", "successor": str(published.item_id)},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Item, published.item_id).status == ItemStatus.ACTIVE


def test_an_editor_creates_an_item_of_their_utility_as_an_empty_draft(app, client):
    def made():
        editor = make_user(Role.EDITOR)
        return editor.id, editor.utility.slug, editor.utility_id

    editor_id, utility_slug, utility_id = committed(app, made)
    sign_in(client, editor_id)
    response = client.post(
        "/editor/items/new",
        data={
            "utility": utility_slug,
            "kind": "tariff",
            "slug": "non-resident-water",
            "code": "CZ-WATER-099",
            "category": "水价",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/edit")
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.code == "CZ-WATER-099"))
        assert item.utility_id == utility_id and item.kind.value == "tariff"
        assert [r.status for r in item.revisions] == [RevisionStatus.DRAFT]
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "item.create", AuditEvent.entity_id == str(item.id)
            )
        )
    # Nothing is public until the draft is reviewed and published.
    assert client.get(f"/u/{utility_slug}/non-resident-water").status_code == 404

    taken = client.post(
        "/editor/items/new",
        data={"utility": utility_slug, "kind": "service", "slug": "other", "code": "CZ-WATER-099"},
    )
    assert taken.status_code == 422
    assert "代码“CZ-WATER-099”已被使用，请另选。" in parse(taken.data).text_of("code-field")
    assert form_values(taken.data, "item-new-form")["slug"] == "other"


def test_a_reviewer_cannot_create_items(app, client):
    sign_in(client, committed(app, lambda: make_user(Role.REVIEWER).id))
    assert client.get("/editor/items/new").status_code == 403


def test_the_new_item_walks_through_review_to_the_kiosk(app, client):
    """The empty draft is filled, sent, approved and published like any change."""
    from tests.web.editor_pages import form_data

    def made():
        editor = make_user(Role.EDITOR)
        reviewer = make_user(Role.REVIEWER)
        return editor.id, reviewer.id, editor.utility.slug

    editor_id, reviewer_id, utility_slug = committed(app, made)
    sign_in(client, editor_id)
    created = client.post(
        "/editor/items/new",
        data={"utility": utility_slug, "kind": "service", "slug": "new-tap", "code": "NEW-TAP-1"},
    )
    revision_id = int(created.location.split("/")[-2])
    form = form_data(app, service_content(name="新装水龙头"), 1, change_summary="首次公开")
    assert client.post(f"/editor/revisions/{revision_id}/edit", data=form).status_code == 302
    assert (
        client.post(f"/editor/revisions/{revision_id}/submit", data={"version": "2"}).status_code
        == 302
    )
    reviewer = app.test_client()
    sign_in(reviewer, reviewer_id)
    review = parse(reviewer.get(f"/editor/revisions/{revision_id}").data)
    seen = review.soup.select_one("#review-form input[name=version]")["value"]
    approve = {"comment": "", "version": seen}  # the version the reviewer read
    assert (
        reviewer.post(f"/editor/revisions/{revision_id}/approve", data=approve).status_code == 302
    )
    published = reviewer.post(
        f"/editor/revisions/{revision_id}/publish",
        data={"effective_from": city_today().isoformat()},
    )
    assert published.status_code == 302
    assert "新装水龙头" in parse(client.get(f"/u/{utility_slug}/new-tap").data).text
