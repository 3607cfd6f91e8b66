"""A wall board in real Chromium: a publish shows within 10 s without a reload, and outside
opening hours the board is a dim closed screen that opens by itself."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from services.clock import today
from services.db import db
from services.models import Item, ItemKind, Role, User
from services.publishing import revisions
from tests.factories import make_hall, make_item, make_revision, make_user, tariff_content

pytestmark = pytest.mark.browser

MONDAY_MORNING = "2031-03-03T10:00:00"  # the hall opens 08:30-17:00 on weekdays
NEW_NAME = "居民生活用水价格（2031年起）"


@pytest.fixture
def tariff(app):
    """A hall open 08:30-17:00 on weekdays showing a water utility with a tariff, and an
    editor and a reviewer; committed for the live server."""
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item, effective_from=date(2024, 1, 1))
        hours = [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:00"}]
        hall = make_hall([item.utility], opening_hours=hours)
        editor = make_user(Role.EDITOR, item.utility)
        reviewer = make_user(Role.REVIEWER)
        db.session.commit()
        return {"item": item.id, "users": [editor.id, reviewer.id], "hall": hall.slug}


def publish_new_name(app, ids) -> None:
    """Draft, submit, approve and publish a renamed revision, as the editor and reviewer would."""
    with app.app_context():
        item = db.session.get(Item, ids["item"])
        editor, reviewer = (db.session.get(User, i) for i in ids["users"])
        draft = revisions.start_draft(item, editor)
        content = copy.deepcopy(draft.content) | {"name": NEW_NAME}
        revisions.save_draft(
            draft,
            content,
            base_version=draft.version,
            change_summary="名称调整",
            is_major=True,
            actor=editor,
        )
        revisions.submit(draft, editor, draft.version)
        revisions.approve(draft, reviewer)
        revisions.publish(draft, reviewer, today())
        db.session.commit()


def test_a_board_shows_a_publish_within_ten_seconds_without_reloading(
    landscape_page, live_server, app, tariff, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", MONDAY_MORNING)
    page = landscape_page
    page.goto(f"{live_server.url}/board/{tariff['hall']}")
    page.locator(".slide.is-active").wait_for()
    assert NEW_NAME not in page.locator("#board-content").inner_text()
    page.evaluate("window.boardWasNotReloaded = true")

    publish_new_name(app, tariff)

    page.wait_for_function(
        "name => document.getElementById('board-content').textContent.includes(name)",
        arg=NEW_NAME,
        timeout=10_000,
    )
    assert page.evaluate("window.boardWasNotReloaded === true")
    assert page.locator(".slide.is-active").count() == 1


def test_outside_hours_the_board_is_dim_and_names_the_next_opening_then_opens_by_itself(
    landscape_page, live_server, tariff, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T20:00:00")
    page = landscape_page
    page.goto(f"{live_server.url}/board/{tariff['hall']}?lang=en")
    closed = page.locator("#closed-screen")
    closed.wait_for()
    assert "tomorrow" in closed.inner_text().lower() and "08:30" in closed.inner_text()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in background[4:-1].split(", ")[:3])
    assert max(red, green, blue) < 40  # dim
    assert page.locator(".slide").count() == 0
    page.evaluate("window.boardWasNotReloaded = true")

    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-04T08:30:00")
    page.locator(".slide.is-active").wait_for(timeout=10_000)
    assert closed.count() == 0 and page.evaluate("window.boardWasNotReloaded === true")
    assert page.locator("#board-clock").inner_text() == "08:30"


def test_a_slide_longer_than_the_screen_is_shown_smaller_rather_than_cut_off(
    landscape_page, live_server, app, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", MONDAY_MORNING)
    with app.app_context():
        long_list = tariff_content()
        price = {"type": "flat", "amount": "30.00", "unit": "元/立方米"}
        basis = [{"code": "test-price-doc", "article": "第四条"}]
        long_list["fees"] += [
            {"name": f"特种用水第{n}类", "kind": "charge", "pricing": price, "basis": basis}
            for n in range(1, 9)
        ]
        long_item = make_item(kind=ItemKind.TARIFF)
        make_revision(long_item, content=long_list)
        short_item = make_item(kind=ItemKind.TARIFF)
        make_revision(short_item)
        slides = {"board_slides": ["tariffs"]}
        long_hall = make_hall([long_item.utility], settings=slides).slug
        short_hall = make_hall([short_item.utility], settings=slides).slug
        db.session.commit()
    page = landscape_page
    for hall, shrunk in ((long_hall, True), (short_hall, False)):
        page.goto(f"{live_server.url}/board/{hall}")
        slide = page.locator(".slide.is-active")
        slide.wait_for()
        fits = "s => s.scrollHeight <= s.clientHeight + 1"
        assert slide.evaluate(fits), hall
        zoom = float(slide.get_attribute("data-zoom"))
        assert (zoom < 1) is shrunk and zoom >= 0.6
        assert "is-cut" not in slide.get_attribute("class")
        assert "特种用水第8类" in slide.inner_text() or not shrunk
