"""With the network gone, a registered kiosk and a board go on from the service worker's copy
with an "offline" banner, never a browser error page, and recover by themselves."""

from __future__ import annotations

import re

import pytest

from services.db import db
from services.models import ItemKind, Sector
from tests.browser.device_setup import register_device_fixture  # noqa: F401  (fixture)
from tests.factories import make_hall, make_item, make_revision, make_utility

pytestmark = pytest.mark.browser

KEPT = "() => document.body.dataset.offlineVersion"  # set once the worker keeps the hall


def banner(page):
    return page.locator("#offline-banner")


@pytest.fixture
def hall(app) -> dict[str, str]:
    """A hall showing a water utility with four tariffs and a power utility with a service;
    committed. Returns the hall's slug and the two utilities' addresses."""
    with app.app_context():
        water, power = make_utility(), make_utility(sector=Sector.POWER)
        for _ in range(4):
            make_revision(make_item(water, kind=ItemKind.TARIFF))
        make_revision(make_item(power))
        hall = make_hall([water, power])
        db.session.commit()
        return {"hall": hall.slug, "water": f"/u/{water.slug}", "power": f"/u/{power.slug}"}


def test_an_offline_kiosk_moves_between_kept_pages_with_a_banner_then_recovers(
    kiosk_page, live_server, register_device, hall
):
    page = kiosk_page
    register_device(page, hall["hall"], "kiosk")
    page.wait_for_function(KEPT, timeout=30_000)
    assert not banner(page).is_visible()

    page.context.set_offline(True)
    page.locator(f".tile[href='{hall['water']}']").tap()
    page.wait_for_selector("#tariffs-heading")
    assert page.url == live_server.url + hall["water"]
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
    page.locator(f".tile[href='{hall['power']}']").tap()
    page.wait_for_url("**" + hall["power"])
    assert not banner(page).is_visible()


def test_an_offline_board_keeps_its_slides_and_reloads_from_its_copy(
    landscape_page, live_server, hall, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")  # a Monday, open
    page = landscape_page
    page.goto(f"{live_server.url}/board/{hall['hall']}")
    page.wait_for_function(KEPT, timeout=30_000)

    page.context.set_offline(True)
    banner(page).wait_for(timeout=10_000)  # the next poll fails
    assert page.locator("#board-content .slide").count() > 3
    page.reload()
    page.locator(".slide.is-active").wait_for()
    assert banner(page).is_visible() and page.locator("#board-content .slide").count() > 3

    page.context.set_offline(False)
    banner(page).wait_for(state="hidden", timeout=10_000)
