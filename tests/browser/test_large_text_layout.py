"""Large text (适老化) and high contrast on real portrait and landscape kiosk screens: nothing
runs off the screen or is cut off, targets are big enough, and the nav switch works in one tap."""

from pathlib import Path

import pytest

from kiosk.display import Display
from tests.browser.kiosk_screens import (
    DISPLAYS,
    LANDSCAPE,
    LANGUAGES,
    PORTRAIT,
    display_name,
    open_context,
    screen_url,
)

pytestmark = pytest.mark.browser

LAYOUT_PROBLEMS = (Path(__file__).parent / "layout_problems.js").read_text(encoding="utf-8")
# High contrast with normal text changes colours only; its borders are covered with large text.
LAYOUT_DISPLAYS = [d for d in DISPLAYS if not (d.contrast == "high" and d.text_size == "normal")]


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("display", LAYOUT_DISPLAYS, ids=display_name)
def test_kiosk_screens_fit_without_cut_off_text_or_small_targets(
    browser, live_server, kiosk_paths, viewport, display
):
    large = display.text_size == "large"
    limits = {"large": large, "minTarget": 60 if large else 44}
    context = open_context(browser, live_server, display, viewport)
    page = context.new_page()
    problems = []
    try:
        for lang in LANGUAGES:
            for screen, path in kiosk_paths.items():
                page.goto(screen_url(live_server, path, lang))
                found = page.evaluate(LAYOUT_PROBLEMS, limits)
                problems += [f"{screen} ({lang}): {problem}" for problem in found]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def font_size(page) -> str:
    return page.evaluate("getComputedStyle(document.body).fontSize")


def test_one_tap_switches_to_large_text_and_back_on_the_same_page(
    browser, live_server, kiosk_paths
):
    context = open_context(browser, live_server, Display(), PORTRAIT)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        # htmx swaps the page: the nav comes with it
        page.locator(f".tile[href='{kiosk_paths['utility']}']").tap()
        page.wait_for_selector("#tariffs-heading")
        utility_url = page.url
        assert font_size(page) == "20px"

        page.locator("#nav-text-size").tap()
        page.wait_for_selector("html.text-large")
        assert page.url == utility_url
        assert font_size(page) == "24px"
        assert page.locator("h1").evaluate("h => parseFloat(getComputedStyle(h).fontSize)") >= 40
        switch = page.locator("#nav-text-size")
        assert "text_size=normal" in switch.get_attribute("href")
        assert switch.bounding_box()["height"] >= 60

        page.locator("#nav-contrast").tap()
        page.wait_for_selector("html.text-large.contrast-high")
        page.locator("#nav-text-size").tap()
        page.wait_for_selector("html.contrast-high:not(.text-large)")
        assert page.url == utility_url
        assert font_size(page) == "20px"
    finally:
        context.close()


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_no_page_is_wider_than_the_screen(browser, live_server, app, kiosk_paths):
    with app.app_context():
        from services.db import db
        from tests.factories import make_item, make_revision, service_content

        address = "https://www.chengzhou.gov.cn/zwfw/online/apply/water/new-connection?from=kiosk"
        long_url = make_revision(make_item(), content=service_content(online_url=address)).item
        paths = {"service with a long web address": f"/u/{long_url.utility.slug}/{long_url.slug}"}
        db.session.commit()
    paths |= {name: kiosk_paths[name] for name in ("service", "tariff", "calendar")}
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    wide = []
    try:
        for lang in LANGUAGES:
            for screen, path in paths.items():
                page.goto(screen_url(live_server, path, lang))
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    wide.append(f"{screen} ({lang}): {width} px")
    finally:
        context.close()
    assert not wide, "\n".join(wide)
