"""The kiosk screens the accessibility and large-text tests walk, and how they open them."""

from __future__ import annotations

from kiosk.display import CONTRAST_COOKIE, TEXT_SIZE_COOKIE, Display
from services.models import ItemKind
from services.ratings import taking
from tests.factories import make_item, make_revision, make_utility, service_content, tariff_content

# One of each kind of kiosk screen.
SCREENS = (
    "home",
    "utility",
    "service",
    "tariff",
    "not found",
    "search",
    "search, nothing found",
    "calendar",
    "rating, bad review",
    "results",
)
LANGUAGES = ("zh_Hans", "zh_Hant", "en")
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
DISPLAYS = (
    Display(),
    Display(text_size="large"),
    Display(contrast="high"),
    Display(text_size="large", contrast="high"),
)


def make_screens() -> dict[str, str]:
    """A water utility with a service and a tiered tariff, named in Chinese and English;
    the address of each screen in SCREENS. The caller commits."""
    english = {"en": {"name": "Chengzhou Water Supply Co., Ltd.", "short_name": "Water"}}
    utility = make_utility(translations=english)
    service = make_revision(
        make_item(utility),
        content=service_content(translations={"en": {"name": "New water connection"}}),
    ).item
    tariff = make_revision(
        make_item(utility, kind=ItemKind.TARIFF),
        content=tariff_content(translations={"en": {"name": "Residential water price"}}),
    ).item
    for level in (5, 4, 2):  # this month's results have bars and figures to show
        form = taking.read_form(str(level), ["other"], "", "")
        taking.record_rating(service, service.revisions[-1], form, taking.PHONE, f"screens-{level}")
    return {
        "home": "/",
        "utility": f"/u/{utility.slug}",
        "service": f"/u/{utility.slug}/{service.slug}",
        "tariff": f"/u/{utility.slug}/{tariff.slug}",
        "not found": f"/u/{utility.slug}/no-such-item",
        "search": "/search",
        "search, nothing found": "/search?q=qqqq",
        "calendar": "/calendar",
        "rating, bad review": f"/u/{utility.slug}/{service.slug}/rate?level=1",
        "results": f"/u/{utility.slug}/results",
    }


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
