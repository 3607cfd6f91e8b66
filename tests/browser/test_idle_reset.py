"""The kiosk's idle reset on a fast clock: a countdown, a touch that cancels it, and the
start screen in the default language and text size for the next resident."""

from __future__ import annotations

import pytest

from tests.browser.device_setup import register_device_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def warning(page):
    return page.locator("#idle-warning")


def test_a_registered_kiosk_left_alone_returns_to_the_start_in_the_default_settings(
    kiosk_page, live_server, register_device
):
    page = kiosk_page
    page.clock.install()
    register_device(page, "tianning-hall", "kiosk")  # the hall keeps the default 90 s
    page.wait_for_function("() => localStorage.getItem('gongshi.device') !== null")
    page.locator(".nav-langs a[lang=en]").tap()
    page.wait_for_url("**/?lang=en")
    page.context.add_cookies([{"name": "text_size", "value": "large", "url": live_server.url}])
    page.locator(".tile.sector-water").tap()
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
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert "lang" not in names and "text_size" not in names
    assert "gongshi_device" in names


def test_a_touch_during_the_countdown_keeps_the_resident_where_they_are(kiosk_page, live_server):
    page = kiosk_page
    page.clock.install()
    page.goto(live_server.url + "/?idle=30")
    page.locator(".tile.sector-water").tap()
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


def test_typed_text_is_gone_and_not_one_step_back_either(kiosk_page, live_server):
    page = kiosk_page
    page.clock.install()
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/search?idle=12")
    page.locator("main input[type=search], main input[name=q]").first.fill("水费")
    page.clock.run_for(13_000)
    page.wait_for_url(live_server.url + "/")
    # The reset replaced the page that held the typing: "back" cannot bring it again.
    page.go_back()
    assert "/search" not in page.url
    assert "水费" not in page.content()


def test_a_phone_that_is_not_a_registered_kiosk_is_never_reset(kiosk_page, live_server):
    page = kiosk_page
    page.clock.install()
    page.goto(live_server.url + "/")
    page.locator(".tile.sector-water").tap()
    page.wait_for_selector("#tariffs-heading")
    page.clock.run_for(300_000)
    assert "/u/" in page.url and not warning(page).is_visible()
