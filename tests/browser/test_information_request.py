"""A resident asks a utility for information at the kiosk and looks the request up by its
tracking number; staff stop the clock for a clarification and later extend the deadline,
and the resident sees the due date move across National Day."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import delete

from services.calendar import working_days as calendar
from services.clock import city_zone
from services.db import db
from services.models import Holiday, Role, Setting
from tests.factories import PASSWORD, make_user, make_utility

pytestmark = pytest.mark.browser


def at(monkeypatch, day: str) -> None:
    moment = datetime.fromisoformat(day + "T10:00").replace(tzinfo=city_zone())
    monkeypatch.setenv("GONGSHI_FAKE_NOW", moment.isoformat())


@pytest.fixture
def desk(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def water(app):
    """A water utility with an editor, and the official 2026 calendar (removed after)."""
    with app.app_context():
        calendar.seed_holidays(first_year=2026)
        utility = make_utility()
        editor = make_user(Role.EDITOR, utility)
        db.session.commit()
        made = {"slug": utility.slug, "editor": editor.username}
    yield made
    with app.app_context():
        db.session.execute(delete(Holiday))
        db.session.execute(delete(Setting).where(Setting.key == calendar.KNOWN_UNTIL_KEY))
        db.session.commit()


def step(desk, name: str, text: str = "") -> None:
    form = desk.locator(f"#step-{name}")
    if text:
        form.locator("textarea").fill(text)
    form.locator("button[type=submit]").click()
    desk.wait_for_selector(".flashes")


def test_a_request_is_filed_looked_up_and_its_deadline_moves(
    desk, kiosk_page, live_server, water, monkeypatch
):
    base, kiosk = live_server.url, kiosk_page
    at(monkeypatch, "2026-09-01")  # a Tuesday
    kiosk.goto(f"{base}/u/{water['slug']}")
    kiosk.click("#request-guide-link")
    kiosk.wait_for_selector("#request-deadline")
    kiosk.click("#request-new-link")
    kiosk.wait_for_selector("#request-form")
    kiosk.check("input[name=requester][value=person]")
    kiosk.fill("#name", "王五")
    kiosk.fill("#contact", "13700001111")
    kiosk.fill("#description", "2025年本市供水水质检测报告原件")
    kiosk.click("#request-send")
    number = kiosk.locator("#tracking-number").inner_text().strip()
    assert len(number) == 14
    assert kiosk.locator("#receipt-print").get_attribute("href").endswith("/receipt.pdf")

    # Looked up by its number, typed on the kiosk: due 29 September, nothing personal.
    kiosk.goto(f"{base}/requests")
    kiosk.fill("#request-number", number.replace("-", " ").lower())
    kiosk.click("#request-find button[type=submit]")
    kiosk.wait_for_selector("#request-lookup")
    assert "9月29日" in kiosk.locator("#request-due").inner_text()
    assert "王五" not in kiosk.content() and "13700001111" not in kiosk.content()
    lookup_url = kiosk.url

    # Staff ask for a clarification on 3 September: the clock stops.
    at(monkeypatch, "2026-09-03")
    desk.goto(base + "/editor/")
    desk.fill("#username", water["editor"])
    desk.fill("#password", PASSWORD)
    desk.click("#login-form button[type=submit]")
    desk.wait_for_selector("#dashboard")
    desk.goto(base + "/editor/requests")
    desk.click(f"#requests a:text('{number}')")
    desk.wait_for_selector("#request-detail")
    assert "13700001111" in desk.locator("#request-contact").inner_text()
    step(desk, "clarify", "请说明所需报告的月份")
    kiosk.goto(lookup_url)
    assert "请说明所需报告的月份" in kiosk.locator("#request-history").inner_text()
    kiosk.locator("#request-stopped").wait_for()

    # The answer comes on 8 September: three working days stood still, so the due date
    # moves past National Day to 9 October.
    at(monkeypatch, "2026-09-08")
    desk.reload()
    step(desk, "answer", "需要6月的报告")
    kiosk.goto(lookup_url)
    assert "10月9日" in kiosk.locator("#request-due").inner_text()

    # Extended once by 20 working days on 28 September, with the reason shown.
    at(monkeypatch, "2026-09-28")
    desk.reload()
    step(desk, "extend", "报告存于档案馆，需调取")
    kiosk.goto(lookup_url)
    assert "11月5日" in kiosk.locator("#request-due").inner_text()
    assert "报告存于档案馆" in kiosk.locator("#request-extended").inner_text()
    history = kiosk.locator("#request-history").inner_text()
    assert "9月29日" in history and "10月9日" in history
    assert "王五" not in kiosk.content()


def test_one_keyboard_types_into_the_field_last_tapped(kiosk_page, live_server, water):
    kiosk = kiosk_page
    kiosk.goto(f"{live_server.url}/requests/new?lang=en")
    keyboards = kiosk.locator("#request-form .keyboard")
    assert keyboards.count() == 1
    keys = keyboards.first
    keys.locator("[data-key=w]").tap()  # the first field until another is tapped
    kiosk.locator("#contact").tap()
    for key in "ab":
        keys.locator(f"[data-key={key}]").tap()
    kiosk.locator("#description").tap()
    keys.locator("[data-key=q]").tap()
    assert [kiosk.input_value(f) for f in ("#name", "#contact", "#description")] == ["w", "ab", "q"]
    # Fields as wide as the form and as tall as a finger.
    box = kiosk.locator("#contact").bounding_box()
    form = kiosk.locator("#request-form").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 0.8 * form["width"]
