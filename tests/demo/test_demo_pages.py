"""Every page of the demo city renders in every language, reached as a resident taps."""

import pytest

from tests.web.test_kiosk_pages import ITEM_LINK, LANGS, UTILITY_LINK, check_page


@pytest.mark.parametrize("lang", LANGS)
def test_every_utility_and_item_page_renders(client, lang):
    home = check_page(client, "/", lang)
    utilities = sorted({link for link in home.links if UTILITY_LINK.match(link)})
    assert len(utilities) >= 8
    items = set()
    for url in utilities:
        page = check_page(client, url, lang)
        items |= {link for link in page.links if ITEM_LINK.match(link)}
    assert len(items) >= 68
    for url in sorted(items):
        page = check_page(client, url, lang)
        assert "/r/" in " ".join(page.links), url
