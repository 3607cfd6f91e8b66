"""A resident opens a price notice at the kiosk and reads when and to whom the prices apply,
with no processing time anywhere on the screen."""

import pytest

from services.db import db
from services.models import ItemKind, Sector
from tests.factories import make_hall, make_item, make_revision, make_utility, tariff_content

pytestmark = pytest.mark.browser

NOTICE = {
    "document": {"code": "test-price-doc"},
    "effective_on": "2026-03-01",
    "published_on": "2026-02-06",
    "scope": "南岸区集中供热居民用户",
    "collector": "南岸热力有限公司",
}


@pytest.fixture
def heating(app) -> dict[str, str]:
    """A heating utility with one price notice, shown in a hall; committed."""
    with app.app_context():
        utility = make_utility(name="南岸热力有限公司", sector=Sector.HEATING)
        content = tariff_content(name="居民供热价格", price_notice=NOTICE)
        make_revision(make_item(utility, kind=ItemKind.TARIFF), content=content)
        make_hall([utility])
        db.session.commit()
        return {"utility": f"/u/{utility.slug}"}


def test_a_price_notice_opened_at_the_kiosk_shows_its_dates_scope_and_collector(
    kiosk_page, live_server, heating
):
    page = kiosk_page
    page.goto(live_server.url + heating["utility"])
    page.locator("section[aria-labelledby=tariffs-heading] a.item-link").first.tap()
    page.wait_for_selector("dl.facts .notice-effective")

    assert page.locator("h1").inner_text() == "居民供热价格"
    facts = page.locator("dl.facts")
    assert facts.locator(".notice-effective dt").inner_text() == "执行日期"
    assert facts.locator(".notice-effective dd").inner_text() == "2026年3月1日"
    assert facts.locator(".notice-published dd").inner_text() == "2026年2月6日"
    assert facts.locator(".notice-scope dd").inner_text() == "南岸区集中供热居民用户"
    assert "南岸热力有限公司" in facts.locator(".notice-collector dd").inner_text()
    assert "澄价〔2024〕1号" in facts.locator(".notice-document dd").inner_text()
    for row in (".notice-effective", ".notice-scope", ".notice-collector"):
        assert facts.locator(row).is_visible()
    text = page.locator("article.item-detail").inner_text()
    assert "办结时限" not in text and "到现场次数" not in text and "预计办结" not in text
