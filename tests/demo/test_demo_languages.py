"""The demo city read in Traditional and English: standard characters only, and the note
about parts in Chinese exactly where some part is."""

import pytest

from tests.web.test_kiosk_pages import ITEM_LINK, UTILITY_LINK, check_page
from tests.web.test_partial_translation import BANNER, CHINESE_PARTS

VARIANT_FORMS = set("覈爲衆")


def pages(client, lang):
    home = check_page(client, "/", lang)
    utilities = sorted({link for link in home.links if UTILITY_LINK.match(link)})
    items = set()
    for url in utilities:
        page = check_page(client, url, lang)
        items |= {link for link in page.links if ITEM_LINK.match(link)}
        yield url, page
    bases = set()
    for url in sorted(items):
        page = check_page(client, url, lang)
        bases |= {link for link in page.links if link.startswith("/basis/")}
        yield url, page
    for url in sorted(bases):
        yield url, check_page(client, url, lang)


def test_no_traditional_page_of_the_demo_city_has_a_variant_form(client):
    seen = 0
    for url, page in pages(client, "zh_Hant"):
        assert not set(page.text) & VARIANT_FORMS, (url, set(page.text) & VARIANT_FORMS)
        seen += 1
    assert seen > 100  # utilities, items and the legal bases they cite


@pytest.mark.parametrize("lang", ["en", "zh_Hant"])
def test_the_banner_shows_exactly_where_a_part_is_in_simplified_chinese(client, lang):
    with_banner = 0
    for url, page in pages(client, lang):
        article = page.soup.select_one("article.item-detail")
        if article is None:
            continue
        marked = article.select(CHINESE_PARTS)
        assert (BANNER in page.text) == bool(marked), (url, marked[:3])
        with_banner += BANNER in page.text
    assert (with_banner > 0) == (lang == "en")
