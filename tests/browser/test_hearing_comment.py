"""A resident comments on a water price consultation at the kiosk; after the window the
utility publishes the outcome, and the resident finds it from the list of hearings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.clock import city_zone
from services.db import db
from services.hearings.models import HearingKind
from services.models import ItemKind, Role
from tests.factories import PASSWORD, make_hearing, make_item, make_revision, make_user

pytestmark = pytest.mark.browser

MONDAY = datetime(2031, 3, 3, 10, 0, tzinfo=city_zone())


@pytest.fixture
def consultation(app) -> dict:
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item)
        hearing = make_hearing(
            item, now=MONDAY, kind=HearingKind.CONSULTATION, held_at=None, place=""
        )
        editor = make_user(Role.EDITOR, item.utility)
        db.session.commit()
        return {"id": hearing.id, "editor": editor.username}


def test_a_resident_comments_and_later_finds_the_published_outcome(
    desk, kiosk_page, live_server, consultation, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", MONDAY.isoformat())
    base, hearing_id = live_server.url, consultation["id"]
    kiosk = kiosk_page
    kiosk.goto(base + "/hearings")
    kiosk.click(f"#hearing-{hearing_id} .outage-title a")
    kiosk.wait_for_selector("#comment-form")
    assert "¥5.50" in kiosk.locator("#tariff-draft").inner_text()
    assert "¥990.00" in kiosk.locator("#bill-comparison").inner_text()
    kiosk.fill("#body", "建议给低收入家庭减免")
    kiosk.fill("#contact", "13600000000")
    kiosk.click("#send-comment")
    kiosk.wait_for_selector("#thanks")
    assert "13600000000" not in kiosk.content()

    # After the window the utility reads the comment, with its contact, and concludes.
    monkeypatch.setenv("GONGSHI_FAKE_NOW", (MONDAY + timedelta(days=15)).isoformat())
    desk.goto(base + "/editor/")
    desk.fill("#username", consultation["editor"])
    desk.fill("#password", PASSWORD)
    desk.click("#login-form button[type=submit]")
    desk.wait_for_selector("#dashboard")
    desk.goto(f"{base}/editor/hearings/{hearing_id}")
    assert "13600000000" in desk.locator("#comments").inner_text()
    desk.fill("#points", "意见集中在低收入家庭的负担")
    desk.fill("#accepted", "低保家庭每月免收5立方米水费")
    desk.click("#publish-summary")
    desk.wait_for_selector(".flashes")

    # The resident finds the outcome among past hearings.
    kiosk.goto(base + "/hearings")
    kiosk.click(f"#hearings-past ~ #hearing-{hearing_id} .outage-title a")
    summary = kiosk.locator("#hearing-summary")
    summary.wait_for()
    assert "共收到 1 条意见" in summary.inner_text()
    assert "低保家庭每月免收5立方米水费" in summary.inner_text()
    assert "13600000000" not in kiosk.content()


def test_a_resident_signs_up_to_watch_a_hearing_and_the_utility_sees_the_list(
    desk, kiosk_page, live_server, app, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", MONDAY.isoformat())
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item)
        hearing = make_hearing(item, now=MONDAY, signup_places=15)
        editor = make_user(Role.EDITOR, item.utility)
        db.session.commit()
        hearing_id, username = hearing.id, editor.username
    base, kiosk = live_server.url, kiosk_page
    kiosk.goto(f"{base}/hearings/{hearing_id}")
    kiosk.wait_for_selector("#signup-form")
    assert "2031年3月10日" in kiosk.locator("#signup-until").inner_text()
    kiosk.check("#signup_role-1")
    kiosk.fill("#signup_name", "冯二")
    kiosk.fill("#signup_contact", "13500000002")
    kiosk.click("#send-signup")
    kiosk.wait_for_selector("#signed")
    assert "13500000002" not in kiosk.content()

    desk.goto(base + "/editor/")
    desk.fill("#username", username)
    desk.fill("#password", PASSWORD)
    desk.click("#login-form button[type=submit]")
    desk.wait_for_selector("#dashboard")
    desk.goto(f"{base}/editor/hearings/{hearing_id}")
    listed = desk.locator("#signups").inner_text()
    assert "冯二" in listed and "13500000002" in listed and "旁听人" in listed
