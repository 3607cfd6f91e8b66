"""A resident switches an item page to English where only part of it has been translated."""

import pytest

from tests.web.test_partial_translation import BANNER, make_page

pytestmark = pytest.mark.browser


@pytest.fixture
def partial(app) -> dict:
    return make_page(app, english="partial")


def test_an_english_page_with_parts_in_chinese_says_so_and_declares_them(
    kiosk_page, live_server, partial
):
    page = kiosk_page
    page.goto(live_server.url + partial["url"] + "?lang=zh_Hans")
    page.wait_for_selector("article.item-detail h1")
    assert page.locator(".note-partial").count() == 0
    page.locator("a[hreflang='en'], a[lang='en']").first.tap()
    page.wait_for_selector(".note-partial")
    assert page.locator(".note-partial").inner_text() == BANNER
    assert page.locator(".note-partial").is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    summary = page.locator("article.item-detail p.summary")
    assert summary.inner_text() == partial["content"]["summary"]
    # The browser itself reads the part as Simplified Chinese (fonts, speech, hyphenation).
    assert summary.evaluate("el => el.matches(':lang(zh-Hans)')")
    heading = page.locator("article.item-detail h1")
    assert heading.evaluate("el => el.matches(':lang(en)')")
    hours_note = page.locator(".location p.muted")
    assert hours_note.evaluate("el => el.matches(':lang(zh-Hans)')")
    # The fees were translated: they are English.
    assert page.locator("#fee-1 p.muted").last.evaluate("el => el.matches(':lang(en)')")
