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
