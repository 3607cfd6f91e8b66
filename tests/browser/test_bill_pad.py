"""A resident taps their yearly usage on the number pad under a tiered tariff and sees the bill."""

from decimal import Decimal

import pytest

from services.db import db
from services.fees.tariffs import bill_for_usage
from services.models import ItemKind
from tests.factories import make_item, make_revision

pytestmark = pytest.mark.browser


@pytest.fixture
def tiered_tariff(app):
    """(utility slug, item URL, pricing) of a new tariff whose first fee is tiered."""
    with app.app_context():
        revision = make_revision(make_item(kind=ItemKind.TARIFF))
        db.session.commit()
        item = revision.item
        return (
            item.utility.slug,
            f"/u/{item.utility.slug}/{item.slug}",
            revision.content["fees"][0]["pricing"],
        )


def test_tapping_a_usage_on_the_pad_shows_the_bill_tier_by_tier(
    kiosk_page, live_server, tiered_tariff
):
    utility, url, pricing = tiered_tariff
    expected = bill_for_usage(pricing, Decimal("200.5"))
    page = kiosk_page
    # Tapped through from the start screen: the pages arrive by htmx, not as full loads.
    page.goto(live_server.url + "/")
    page.locator(f'.tile[href="/u/{utility}"]').tap()
    page.locator(f'a.item-link[href="{url}"]').tap()
    estimator = page.locator("#fee-1-bill")
    pad = estimator.locator(".keyboard-numbers")
    pad.scroll_into_view_if_needed()
    box = pad.locator('button[data-key="7"]').bounding_box()
    assert box["width"] >= 60 and box["height"] >= 60

    for key in "2009":
        pad.locator(f'button[data-key="{key}"]').tap()
    pad.locator('button[data-action="backspace"]').tap()
    for key in ".5":
        pad.locator(f'button[data-key="{key}"]').tap()
    assert page.locator("#fee-1-usage").input_value() == "200.5"
    estimator.locator("button[type=submit]").tap()

    total = page.locator("#fee-1-bill-total")
    total.wait_for()
    assert total.inner_text() == f"¥{expected.total:,.2f}"
    rows = page.locator("#fee-1-bill-lines tbody tr")
    assert rows.count() == len(expected.lines)
    assert page.url.endswith(url)  # the estimator was swapped in place


def test_a_usage_that_is_too_large_is_explained_next_to_the_field(
    kiosk_page, live_server, tiered_tariff
):
    _, url, _ = tiered_tariff
    page = kiosk_page
    page.goto(live_server.url + url)
    pad = page.locator("#fee-1-bill .keyboard-numbers")
    for key in "99999999":
        pad.locator(f'button[data-key="{key}"]').tap()
    page.locator("#fee-1-bill button[type=submit]").tap()
    error = page.locator("#fee-1-usage-error")
    error.wait_for()
    assert "1,000,000" in error.inner_text()
    assert page.locator("#fee-1-bill-total").count() == 0
