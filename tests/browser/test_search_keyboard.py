"""A resident searches on the kiosk by tapping the on-screen keyboard; results follow the taps."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from services.db import db
from services.models import Item, Revision, SearchEntry, Utility
from services.search.index import index_item
from tests.factories import make_item, make_revision, make_utility, service_content

pytestmark = pytest.mark.browser


@pytest.fixture
def valve_item(app):
    """An indexed item named 闸阀井盖更换, committed for the live server, removed afterwards."""
    with app.app_context():
        item = make_item(make_utility(name="澄州闸阀测试水务"))
        make_revision(item, content=service_content(name="闸阀井盖更换"))
        index_item(item)
        db.session.commit()
        ids = (item.id, item.utility_id)
    yield
    with app.app_context():
        db.session.execute(delete(SearchEntry).where(SearchEntry.item_id == ids[0]))
        db.session.execute(delete(Revision).where(Revision.item_id == ids[0]))
        db.session.execute(delete(Item).where(Item.id == ids[0]))
        db.session.execute(delete(Utility).where(Utility.id == ids[1]))
        db.session.commit()


def tap_keys(page, keys):
    for key in keys:
        page.locator(f'.keyboard-letters button[data-key="{key}"]').tap()


def test_tapping_initials_on_the_keyboard_brings_up_the_item(kiosk_page, live_server, valve_item):
    page = kiosk_page
    page.goto(live_server.url + "/")
    page.locator("#nav-search").tap()  # htmx brings the page in; the nav brought the script
    keyboard = page.locator(".keyboard-letters")
    keyboard.wait_for()

    box = keyboard.locator('button[data-key="q"]').bounding_box()
    assert box["width"] >= 60 and box["height"] >= 60
    tap_keys(page, "zfjg")
    assert page.locator("#search-q").input_value() == "zfjg"
    hit = page.locator("#search-results a.search-hit", has_text="闸阀井盖更换")
    hit.wait_for()
    # The hit shows from "zf" on; its mark grows with the answer to the last tap.
    expect(hit.locator("mark")).to_have_text("闸阀井盖")
    assert page.url.endswith("/search?q=zfjg")

    hit.tap()
    page.wait_for_selector("article.item-detail")
    assert page.locator("h1").inner_text() == "闸阀井盖更换"


def test_backspace_and_clear_edit_the_query_and_the_results_follow(
    kiosk_page, live_server, valve_item
):
    page = kiosk_page
    page.goto(live_server.url + "/search")
    tap_keys(page, "zfv")
    page.locator("#search-hotline").wait_for()  # no syllable starts with v: nothing found
    page.locator('.keyboard-letters button[data-action="backspace"]').tap()
    assert page.locator("#search-q").input_value() == "zf"
    page.locator("#search-results a.search-hit", has_text="闸阀井盖更换").wait_for()
    page.locator('.keyboard-letters button[data-action="clear"]').tap()
    assert page.locator("#search-q").input_value() == ""
    page.locator("#search-results .search-hint").wait_for()
