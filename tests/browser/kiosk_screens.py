"""The kiosk screens the accessibility and large-text tests walk, and how they open them."""

from __future__ import annotations

from kiosk.display import CONTRAST_COOKIE, TEXT_SIZE_COOKIE, Display

# One of each kind of kiosk screen in the demo city.
KIOSK_PATHS = {
    "home": "/",
    "utility": "/u/chengzhou-water",
    "service": "/u/chengzhou-water/new-water-connection",
    "tariff": "/u/chengzhou-water/residential-water-price",
    "not found": "/u/chengzhou-water/no-such-item",
    "search": "/search",
    "search, nothing found": "/search?q=qqqq",
    "calendar": "/calendar",
}
LANGUAGES = ("zh_Hans", "zh_Hant", "en")
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
DISPLAYS = (
    Display(),
    Display(text_size="large"),
    Display(contrast="high"),
    Display(text_size="large", contrast="high"),
)


def display_name(display: Display) -> str:
    return f"{display.text_size} text, {display.contrast} contrast"


def screen_url(live_server, path: str, lang: str) -> str:
    joiner = "&" if "?" in path else "?"
    return f"{live_server.url}{path}{joiner}lang={lang}"


def open_context(browser, live_server, display: Display, viewport: dict, **options):
    """A touchscreen browser context with `display`'s cookies already set."""
    context = browser.new_context(viewport=viewport, has_touch=True, locale="zh-CN", **options)
    context.add_cookies(
        [
            {"name": TEXT_SIZE_COOKIE, "value": display.text_size, "url": live_server.url},
            {"name": CONTRAST_COOKIE, "value": display.contrast, "url": live_server.url},
        ]
    )
    context.set_default_timeout(10_000)
    return context
