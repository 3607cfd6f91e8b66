"""A 低保 household ticks its box under a power tariff that has a free quota and sees the
free kilowatt-hours taken off its bill, with a line saying so."""

from decimal import Decimal

import pytest

from services.db import db
from services.fees.tariffs import Household, bill_for_usage
from services.models import ItemKind, Sector
from tests.factories import make_item, make_revision, make_utility, tariff_content

pytestmark = pytest.mark.browser

PRICING = {
    "type": "tiers",
    "unit": "元/千瓦时",
    "period": "month",
    "upper_inclusive": True,
    "tiers": [
        {"lower": "0", "upper": "180", "price": "0.5500"},
        {"lower": "180", "upper": "350", "price": "0.6000"},
        {"lower": "350", "upper": None, "price": "0.8500"},
    ],
    "low_income_quota": {"quantity": "15"},
}


@pytest.fixture
def power_tariff(app) -> str:
    """The URL of a power tariff whose tiered fee gives 低保 / 特困 households 15 kWh free."""
    with app.app_context():
        utility = make_utility(sector=Sector.POWER)
        fee = tariff_content()["fees"][0] | {"name": "居民生活用电", "pricing": PRICING}
        revision = make_revision(
            make_item(utility, kind=ItemKind.TARIFF), content=tariff_content(fees=[fee])
        )
        db.session.commit()
        return f"/u/{utility.slug}/{revision.item.slug}"


def test_a_low_income_household_sees_its_free_quota_taken_off(
    kiosk_page, live_server, power_tariff
):
    expected = bill_for_usage(PRICING, Decimal(200), Household(is_low_income=True))
    assert expected.free_amount == Decimal("8.25")
    page = kiosk_page
    page.goto(live_server.url + power_tariff)
    estimator = page.locator("#fee-1-bill")
    pad = estimator.locator(".keyboard-numbers")
    for key in "200":
        pad.locator(f'button[data-key="{key}"]').tap()
    estimator.locator("#fee-1-low-income").check()
    estimator.locator("button[type=submit]").tap()

    total = page.locator("#fee-1-bill-total")
    total.wait_for()
    assert total.inner_text() == f"¥{expected.total:,.2f}"
    assert "−15 千瓦时" in page.locator("#fee-1-bill-free").inner_text()
    assert "前15千瓦时免费" in page.locator("#fee-1-bill-applied").inner_text()
    # Swapped in place, and the box stays ticked for the next figure.
    assert page.url.endswith(power_tariff)
    assert page.locator("#fee-1-low-income").is_checked()
