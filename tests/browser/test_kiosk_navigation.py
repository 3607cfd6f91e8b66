"""A resident taps from the start screen to a tariff on a real touchscreen browser."""

import pytest

from services.db import db
from services.models import ItemKind
from tests.factories import make_hall, make_item, make_revision, make_utility

pytestmark = pytest.mark.browser


@pytest.fixture
def water(app) -> dict[str, str]:
    """A water utility with a tiered tariff and a service, and a hall that shows it;
    committed. Returns the addresses of their pages."""
    with app.app_context():
        utility = make_utility()
        tariff = make_revision(make_item(utility, kind=ItemKind.TARIFF)).item
        service = make_revision(make_item(utility)).item
        hall = make_hall([utility])
        db.session.commit()
        return {
            "tile": f".tile[href='/u/{utility.slug}']",
            "utility": f"/u/{utility.slug}",
            "tariff": f"/u/{utility.slug}/{tariff.slug}",
            "service": f"/u/{utility.slug}/{service.slug}",
            "board": f"/board/{hall.slug}",
        }


def test_tap_from_home_to_a_tariff_shows_tier_table_and_chart(kiosk_page, live_server, water):
    page = kiosk_page
    page.goto(live_server.url + "/")
    page.locator(water["tile"]).tap()
    page.wait_for_selector("#tariffs-heading")
    assert "/u/" in page.url

    tariffs = page.locator("section[aria-labelledby=tariffs-heading] a.item-link")
    name = tariffs.first.locator(".item-name").inner_text()
    tariffs.first.tap()
    page.wait_for_selector("table.tier-table")

    assert page.locator("h1").inner_text() == name
    rows = page.locator("table.tier-table").first.locator("tbody tr")
    assert rows.count() >= 3
    bars = page.locator("figure.tier-chart").first.locator("svg rect")
    assert bars.count() == rows.count()
    heights = [float(bars.nth(i).get_attribute("height")) for i in range(bars.count())]
    assert heights == sorted(heights) and heights[0] > 0
    # htmx swapped the content in place: the document title followed, the nav stayed.
    assert name in page.title()
    assert page.locator("#kiosk-nav a", has_text="返回").is_visible()


def test_home_and_back_stay_on_screen_and_work(kiosk_page, live_server, water):
    page = kiosk_page
    page.goto(live_server.url + "/")
    page.locator(water["tile"]).tap()
    page.locator("a.item-link").first.tap()
    page.wait_for_selector("article.item-detail")
    page.mouse.wheel(0, 5000)
    back = page.locator("#kiosk-nav a", has_text="返回")
    assert back.is_visible()
    box = back.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48
    back.tap()
    page.wait_for_selector("ul.item-list")
    page.locator("#kiosk-nav a", has_text="首页").tap()
    page.wait_for_selector("ul.tiles")
    assert page.url.rstrip("/") == live_server.url


def test_tapping_a_basis_opens_the_document_in_place(kiosk_page, live_server, water):
    page = kiosk_page
    page.goto(live_server.url + "/")
    page.locator(water["tile"]).tap()
    page.locator("section[aria-labelledby=tariffs-heading] a.item-link").first.tap()
    page.locator(".fee-basis a.basis-link").first.tap()
    panel = page.locator("#basis-panel")
    panel.locator("dt", has_text="文号").wait_for()
    assert "发布机关" in panel.inner_text()


@pytest.mark.parametrize(
    "screen",
    ["/", "utility", "service", "tariff", "/search?q=水", "/calendar", "board", "/editor/login"],
)
def test_pages_fit_landscape_screens_without_sideways_scrolling(
    landscape_page, live_server, water, screen
):
    page = landscape_page
    response = page.goto(live_server.url + water.get(screen, screen))
    assert response.status == 200
    page.wait_for_selector("main, #board-screen")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1920


def test_zoom_gestures_are_disabled(kiosk_page, live_server):
    page = kiosk_page
    page.goto(live_server.url + "/")
    viewport = page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable=no" in viewport
    assert page.evaluate("getComputedStyle(document.documentElement).touchAction") == "manipulation"
