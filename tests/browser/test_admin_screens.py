"""The transparency office's screens on a tablet (touch, no hover): creating a utility,
editing a hall's hours, a channel of several kinds, retiring an item whose printed QR code
keeps answering, and a password reset that the person completes at next sign-in."""

from __future__ import annotations

import pytest

from services.clock import today as city_today
from services.db import db
from services.models import Hall, Role
from tests.factories import (
    PASSWORD,
    committed,
    make_hall,
    make_item,
    make_revision,
    make_user,
    make_utility,
    service_content,
)

pytestmark = pytest.mark.browser
# Fingers need room: every control a person taps is at least this tall and wide.
MIN_TARGET = 44


@pytest.fixture
def tablet(browser, live_server):
    """A landscape tablet with touch, in its own browser context."""
    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, has_touch=True, is_mobile=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def admin_name(app) -> str:
    return committed(app, lambda: make_user(Role.ADMIN).username)


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/editor/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")


def assert_large(page, selector: str) -> None:
    for box in [
        page.locator(selector).nth(n).bounding_box() for n in range(page.locator(selector).count())
    ]:
        assert box["height"] >= MIN_TARGET and box["width"] >= MIN_TARGET, (selector, box)


def test_an_admin_adds_a_utility_by_touch_and_a_mistake_is_shown_where_it_was_made(
    app, tablet, live_server, admin_name
):
    base = live_server.url
    sign_in(tablet, base, admin_name)
    tablet.goto(base + "/admin/")
    tablet.tap("a[href='/admin/utilities/']")
    tablet.tap("#new-utility")
    tablet.fill("#name", "澄湖供水有限公司")
    tablet.fill("#short_name", "澄湖供水")
    tablet.fill("#slug", "lake-water-tablet")
    tablet.select_option("#nature", "public_enterprise")
    tablet.fill("#website", "javascript:alert(1)")
    assert_large(tablet, "#utility-form button[type=submit]")
    tablet.tap("#utility-form button[type=submit]")

    problem = tablet.locator("#website-problem")
    assert problem.inner_text() == "请填写以 http:// 或 https:// 开头的网址。"
    assert tablet.locator("#website").get_attribute("aria-invalid") == "true"
    assert tablet.input_value("#name") == "澄湖供水有限公司"

    tablet.fill("#website", "https://lake-water.example.org")
    tablet.tap("#utility-form button[type=submit]")
    tablet.wait_for_selector("#utility-table")
    assert "澄湖供水有限公司" in tablet.locator("#utility-table").inner_text()
    assert "公共企事业单位" in tablet.locator("#utility-table").inner_text()


def test_an_admin_changes_a_halls_hours_and_adds_a_closure(app, tablet, live_server, admin_name):
    def made():
        return make_hall(
            name="澄湖便民服务中心",
            opening_hours=[{"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}],
            settings={"idle_seconds": 90},
        ).id

    hall_id = committed(app, made)
    base = live_server.url
    sign_in(tablet, base, admin_name)
    tablet.goto(f"{base}/admin/halls/{hall_id}/edit")
    tablet.fill("#days-5-opens", "09:00")
    tablet.fill("#days-5-closes", "12:00")
    tablet.fill("#exceptions-0-on", "2027-01-01")
    tablet.tap("#exceptions-0-closed")
    tablet.fill("#exceptions-0-note", "元旦闭馆")
    tablet.fill("#notices-0-text", "一楼大厅装修，请走东门")
    assert_large(tablet, "#hall-form .check-label")
    tablet.tap("#hall-form button[type=submit]")
    tablet.wait_for_selector("#hall-table")
    assert "12:00" in tablet.locator(f"#hall-{hall_id}").inner_text()
    with app.app_context():
        hall = db.session.get(Hall, hall_id)
        assert {"weekdays": [6], "opens": "09:00", "closes": "12:00"} in hall.opening_hours
        assert hall.exceptions == [{"on": "2027-01-01", "closed": True, "note": "元旦闭馆"}]
        assert hall.settings["notices"] == [{"text": "一楼大厅装修，请走东门"}]


def test_a_channel_is_given_two_kinds_by_touch_and_the_item_page_shows_both(
    app, tablet, kiosk_page, live_server, admin_name
):
    def made():
        item = make_item()
        make_revision(item, content=service_content(channels=["lake-line"]))
        return f"/u/{item.utility.slug}/{item.slug}"

    item_url = committed(app, made)
    base = live_server.url
    sign_in(tablet, base, admin_name)
    tablet.goto(base + "/admin/channels/new")
    tablet.fill("#name", "澄湖供水热线")
    tablet.fill("#code", "lake-line")
    tablet.tap("label:has(input[value=consult])")
    tablet.tap("label:has(input[value=repair])")
    tablet.fill("#phone", "0519-86661234")
    tablet.tap("#channel-form button[type=submit]")
    tablet.wait_for_selector("#channel-table")

    kiosk_page.goto(base + item_url)
    badges = kiosk_page.locator("li.channel:has-text('澄湖供水热线') .badge").all_inner_texts()
    assert badges == ["咨询", "报修"]


def test_a_retired_items_printed_qr_code_leads_to_its_successor(
    app, tablet, kiosk_page, live_server, admin_name
):
    def made():
        utility = make_utility()
        item = make_item(utility, slug="paper-bill")
        revision = make_revision(item, content=service_content(name="纸质账单寄送"))
        successor = make_item(utility, slug="e-bill")
        make_revision(successor, content=service_content(name="电子账单"))
        return item.id, revision.id, successor.id

    item_id, revision_id, successor_id = committed(app, made)
    base = live_server.url
    sign_in(tablet, base, admin_name)
    tablet.goto(f"{base}/admin/items/{item_id}")
    tablet.fill("#retire-form textarea", "改为电子账单")
    tablet.select_option("#successor", str(successor_id))
    tablet.tap("#retire-form button[type=submit]")
    tablet.wait_for_selector("#item-state")
    assert "已取消" in tablet.locator("#item-state").inner_text()

    kiosk_page.goto(f"{base}/r/{revision_id}")
    notice = kiosk_page.locator("#item-retired")
    since = city_today()
    assert f"自{since.year}年{since.month}月{since.day}日起停止办理" in notice.inner_text()
    kiosk_page.tap("#successor-link")
    kiosk_page.wait_for_selector("h1:has-text('电子账单')")
    assert kiosk_page.url.endswith("/e-bill")


def test_a_person_whose_password_was_reset_chooses_a_new_one_at_sign_in(
    app, browser, tablet, live_server, admin_name
):
    user_id, username = committed(
        app, lambda: (u := make_user(Role.REVIEWER)) and (u.id, u.username)
    )
    base = live_server.url
    sign_in(tablet, base, admin_name)
    tablet.goto(f"{base}/admin/users/{user_id}/edit")
    tablet.tap("#reset-password button")
    temporary = tablet.input_value("#temporary-password-value")

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    desk = context.new_page()
    sign_in(desk, base, username, temporary)
    assert desk.url.endswith("/editor/password")
    desk.fill("#current", temporary)
    desk.fill("#new", "my own new password")
    desk.fill("#repeat", "my own new password")
    desk.click("#password-form button[type=submit]")
    desk.wait_for_selector("#dashboard")
    context.close()


@pytest.fixture
def axe_tablet(browser, live_server):
    """A touch tablet with axe-core in every document (the strict CSP is bypassed for it)."""
    from tests.browser.test_accessibility import AXE

    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, has_touch=True, locale="zh-CN", bypass_csp=True
    )
    context.add_init_script(AXE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_axe_finds_no_serious_problem_on_the_admin_screens(
    app, axe_tablet, live_server, admin_name
):
    from tests.browser.test_accessibility import BLOCKING, RUN_AXE

    def made():
        hall = make_hall()
        item = make_item()
        make_revision(item)
        return hall.id, item.id

    hall_id, item_id = committed(app, made)
    base = live_server.url
    sign_in(axe_tablet, base, admin_name)
    for path in (
        "/admin/",
        "/admin/utilities/new",
        "/admin/legal-bases/new",
        "/admin/channels/new",
        "/admin/users/new",
        f"/admin/halls/{hall_id}/edit",
        f"/admin/items/{item_id}",
        "/editor/items/new",
    ):
        axe_tablet.goto(base + path)
        violations = axe_tablet.evaluate(RUN_AXE, list(BLOCKING))
        assert violations == [], (path, violations)
    # A form sent back with problems stays accessible too.
    axe_tablet.goto(base + "/admin/utilities/new")
    axe_tablet.fill("#website", "ftp://x")
    axe_tablet.click("#utility-form button[type=submit]")
    axe_tablet.wait_for_selector("#website-problem")
    assert axe_tablet.evaluate(RUN_AXE, list(BLOCKING)) == []
