"""With the network gone, a registered kiosk and a board go on from the service worker's copy
with an "offline" banner, never a browser error page, and recover by themselves."""

from __future__ import annotations

import re

import pytest

from tests.browser.device_setup import register_device_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

KEPT = "() => document.body.dataset.offlineVersion"  # set once the worker keeps the hall


def banner(page):
    return page.locator("#offline-banner")


def test_an_offline_kiosk_moves_between_kept_pages_with_a_banner_then_recovers(
    kiosk_page, live_server, register_device
):
    page = kiosk_page
    register_device(page, "tianning-hall", "kiosk")
    page.wait_for_function(KEPT, timeout=30_000)
    assert not banner(page).is_visible()

    page.context.set_offline(True)
    page.locator(".tile.sector-water").tap()
    page.wait_for_selector("#tariffs-heading")
    assert page.url == live_server.url + "/u/chengzhou-water"
    assert banner(page).is_visible()
    assert re.search(r"\d\d:\d\d", banner(page).inner_text())  # "offline — content as of <time>"

    page.locator("section[aria-labelledby=tariffs-heading] a.item-link").first.tap()
    page.wait_for_selector("table.tier-table")
    assert banner(page).is_visible()
    page.goto(live_server.url + "/search?q=never-kept")  # not kept: the start screen instead
    page.wait_for_selector("ul.tiles")
    assert banner(page).is_visible()

    page.context.set_offline(False)
    banner(page).wait_for(state="hidden", timeout=10_000)
    page.locator(".tile.sector-power").tap()
    page.wait_for_url("**/u/chengzhou-power")
    assert not banner(page).is_visible()


def test_an_offline_board_keeps_its_slides_and_reloads_from_its_copy(
    landscape_page, live_server, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")  # a Monday, open
    page = landscape_page
    page.goto(live_server.url + "/board/tianning-hall")
    page.wait_for_function(KEPT, timeout=30_000)

    page.context.set_offline(True)
    banner(page).wait_for(timeout=10_000)  # the next poll fails
    assert page.locator("#board-content .slide").count() > 3
    page.reload()
    page.locator(".slide.is-active").wait_for()
    assert banner(page).is_visible() and page.locator("#board-content .slide").count() > 3

    page.context.set_offline(False)
    banner(page).wait_for(state="hidden", timeout=10_000)
