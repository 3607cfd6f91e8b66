"""Hall staff print a notice from the item page; a resident's phone scans it and follows it."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from services.models import ItemKind, RevisionStatus
from tests.factories import committed, make_item, make_revision
from tests.services.test_notices import first_page_image, read_qr

pytestmark = pytest.mark.browser


def test_scanning_a_replaced_notice_leads_the_phone_to_the_version_in_force(
    browser, live_server, app
):
    def replaced_tariff() -> tuple[int, int]:
        item = make_item(kind=ItemKind.TARIFF)
        old = make_revision(item, status=RevisionStatus.SUPERSEDED, effective_to=date(2025, 1, 1))
        current = make_revision(item, effective_from=date(2025, 1, 1))
        return old.id, current.id

    old_id, current_id = committed(app, replaced_tariff)

    staff = browser.new_context(locale="zh-CN")
    page = staff.new_page()
    page.goto(f"{live_server.url}/r/{old_id}")
    link = page.locator("#print-choice a", has_text="A4 简体")
    assert link.is_visible()
    # The PDF opens in the browser's own viewer; fetch it with the same browser context.
    response = staff.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    staff.close()
    scanned = urlsplit(read_qr(first_page_image(pdf)).text)
    assert (scanned.path, scanned.query) == (f"/r/{old_id}", "lang=zh_Hans")

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, locale="en-US"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}{scanned.path}?{scanned.query}")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"  # the notice's language
    replaced = page.locator("section.superseded")
    assert replaced.is_visible()
    replaced.locator("a.button").tap()
    page.wait_for_url(f"**/r/{current_id}")
    page.wait_for_selector("article.item-detail")
    assert page.locator("section.superseded").count() == 0
    phone.close()
