"""The kiosk's idle reset on a fast clock: a countdown, a touch that cancels it, and the
start screen in the default language and text size for the next resident. Each kiosk is
registered to a hall whose idle time is set as an admin sets it, in the hall's settings."""

from __future__ import annotations

import pytest

from services.db import db
from services.models import ItemKind
from tests.browser.device_setup import register_device_fixture  # noqa: F401  (fixture)
from tests.factories import make_hall, make_item, make_revision

pytestmark = pytest.mark.browser


def warning(page):
    return page.locator("#idle-warning")


@pytest.fixture
def utility_tile(app) -> str:
    """The start screen's tile of a new utility with a tariff."""
    with app.app_context():
        tariff = make_revision(make_item(kind=ItemKind.TARIFF)).item
        db.session.commit()
        return f".tile[href='/u/{tariff.utility.slug}']"


@pytest.fixture
def kiosk_of_a_hall(app, register_device):
    """Registers the page as a kiosk of a new hall whose idle time is `seconds` (None: the
    default), and waits until the heartbeat has told the page so."""

    def register(page, seconds: int | None = None) -> None:
        with app.app_context():
            hall = make_hall(settings={"idle_seconds": seconds} if seconds else {})
            db.session.commit()
            slug = hall.slug
        register_device(page, slug, "kiosk")
        page.wait_for_function("() => localStorage.getItem('gongshi.device') !== null")

    return register


def test_a_registered_kiosk_left_alone_returns_to_the_start_in_the_default_settings(
    kiosk_page, live_server, kiosk_of_a_hall, utility_tile
):
    page = kiosk_page
    page.clock.install()
    kiosk_of_a_hall(page)  # the hall keeps the default 90 s
    page.locator(".nav-langs a[lang=en]").tap()
    page.wait_for_url("**/?lang=en")
    page.context.add_cookies([{"name": "text_size", "value": "large", "url": live_server.url}])
    page.locator(utility_tile).tap()
    page.wait_for_selector("#tariffs-heading")

    # The fake clock also moves on with real time, so each step leaves some seconds spare.
    page.clock.run_for(70_000)
    assert not warning(page).is_visible()
    page.clock.run_for(12_000)
    assert warning(page).is_visible()
    assert any(str(n) in page.locator("#idle-message").inner_text() for n in range(1, 10))

    page.clock.run_for(10_000)
    page.wait_for_url(live_server.url + "/")
    page.wait_for_selector("ul.tiles")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".nav-langs a.is-current").inner_text() == "简体"
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies["lang"] == "zh_Hans"  # the hall's language, not the resident's choice
    assert "text_size" not in cookies and "gongshi_device" in cookies


def test_a_touch_during_the_countdown_keeps_the_resident_where_they_are(
    kiosk_page, live_server, kiosk_of_a_hall, utility_tile
):
    page = kiosk_page
    page.clock.install()
    kiosk_of_a_hall(page, 30)
    page.locator(utility_tile).tap()
    page.wait_for_selector("#tariffs-heading")
    here = page.url

    page.clock.run_for(15_000)
    assert not warning(page).is_visible()
    page.clock.run_for(7_000)
    assert warning(page).is_visible()
    warning(page).tap()
    assert not warning(page).is_visible()
    page.clock.run_for(15_000)
    assert page.url == here and not warning(page).is_visible()
    page.clock.run_for(20_000)
    page.wait_for_url(live_server.url + "/")


def test_typed_text_is_gone_and_not_one_step_back_either(kiosk_page, live_server, kiosk_of_a_hall):
    page = kiosk_page
    page.clock.install()
    kiosk_of_a_hall(page, 12)
    page.goto(live_server.url + "/search")
    page.locator("main input[type=search], main input[name=q]").first.fill("水费")
    page.clock.run_for(13_000)
    page.wait_for_url(live_server.url + "/")
    # The reset replaced the page that held the typing: "back" cannot bring it again.
    page.go_back()
    assert "/search" not in page.url
    assert "水费" not in page.content()


def test_a_phone_that_is_not_a_registered_kiosk_is_never_reset(
    kiosk_page, live_server, utility_tile
):
    page = kiosk_page
    page.clock.install()
    page.goto(live_server.url + "/")
    page.locator(utility_tile).tap()
    page.wait_for_selector("#tariffs-heading")
    page.clock.run_for(300_000)
    assert "/u/" in page.url and not warning(page).is_visible()
