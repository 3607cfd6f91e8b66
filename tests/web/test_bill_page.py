"""The bill estimator under a tiered fee: the form and pad, the bill, and answers to bad usage."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from services.db import db
from services.models import Item, ItemKind
from tests.factories import make_item, make_revision, tariff_content
from tests.html import parse

HTMX = {"HX-Request": "true", "HX-Target": "fee-1-bill"}


@pytest.fixture
def water_tariff(app) -> Item:
    """A tariff item on Beijing's water tiers, committed; read back with its revisions."""
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item, content=tariff_content())
        db.session.commit()
        item = db.session.scalars(
            select(Item)
            .where(Item.id == item.id)
            .options(joinedload(Item.utility), selectinload(Item.revisions))
        ).one()
    return item


def item_url(item):
    return f"/u/{item.utility.slug}/{item.slug}"


def test_tiered_fee_has_an_estimator_with_a_number_pad(client, water_tariff):
    page = parse(client.get(item_url(water_tariff)).data)
    form = page.find_all("form", class_="bill-form")[0]
    assert form["action"] == item_url(water_tariff) + "/bill"
    assert form["hx-target"] == "#fee-1-bill"
    assert page.find_all("input", name="fee")[0]["value"] == "1"
    assert page.find_all("input", id="fee-1-usage")[0]["name"] == "usage"
    pad = page.find_all("div", class_="keyboard-numbers")[0]
    assert pad["data-keyboard-for"] == "fee-1-usage"
    keys = {b["data-key"] for b in page.find_all("button", class_="key") if b.get("data-key")}
    assert keys == set("0123456789.")


def test_200_cubic_metres_are_billed_tier_by_tier(client, water_tariff):
    response = client.get(item_url(water_tariff) + "/bill?fee=1&usage=200")
    assert response.status_code == 200
    page = parse(response.data)
    assert page.lang == "zh-Hans" and page.title and not page.duplicate_ids
    assert page.ids["fee-1-bill-total"] == 1
    assert "180 立方米 ¥5.00 ¥900.00 第2档 20 立方米 ¥7.00 ¥140.00" in page.text
    assert "¥1,040.00" in page.text
    assert page.find_all("input", id="fee-1-usage")[0]["value"] == "200"


def test_the_estimator_answers_htmx_with_its_own_next_state(client, water_tariff):
    response = client.get(item_url(water_tariff) + "/bill?fee=1&usage=300", headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and "kiosk-nav" not in html
    page = parse(html)
    assert page.ids["fee-1-bill"] == 1 and page.ids["fee-1-bill-total"] == 1
    assert "¥1,820.00" in page.text


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        ("-5", "negative"),
        ("abc", "such as 200"),
        ("1e5", "such as 200"),
        ("99999999", "1,000,000"),
        ("", "Enter your usage"),
    ],
)
def test_bad_usage_gets_a_message_by_the_field(client, water_tariff, usage, message):
    url = item_url(water_tariff) + "/bill"
    response = client.get(url, query_string={"fee": 1, "usage": usage, "lang": "en"}, headers=HTMX)
    assert response.status_code == 200
    page = parse(response.data)
    assert page.ids["fee-1-usage-error"] == 1 and message in page.text
    field = page.find_all("input", id="fee-1-usage")[0]
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"] == "fee-1-usage-error"
    assert "fee-1-bill-total" not in page.ids


def test_a_fee_that_is_not_tiered_or_not_there_is_not_found(client, app, water_tariff):
    base = item_url(water_tariff) + "/bill"
    assert client.get(base + "?fee=2&usage=1").status_code == 404
    assert client.get(base + "?fee=x&usage=1").status_code == 404
    with app.app_context():
        service = item_url(make_revision().item)  # its one fee is a flat amount
        db.session.commit()
    assert client.get(service + "/bill?fee=1&usage=1").status_code == 404


def test_a_permanent_revision_page_estimates_with_its_own_tiers(client, water_tariff):
    revision = water_tariff.revisions[0]
    page = parse(client.get(f"/r/{revision.id}").data)
    assert page.find_all("form", class_="bill-form")[0]["action"] == f"/r/{revision.id}/bill"
    response = client.get(f"/r/{revision.id}/bill?fee=1&usage=200")
    assert "¥1,040.00" in parse(response.data).text


def test_the_comparison_with_upcoming_rates_has_no_estimator(client, app, water_tariff):
    with app.app_context():
        make_revision(db.session.get(Item, water_tariff.id), effective_from=date(2099, 1, 1))
        db.session.commit()
    page = parse(client.get(item_url(water_tariff)).data)
    assert page.ids["now-fee-1"] == 1 and page.ids["next-fee-1"] == 1
    assert "now-fee-1-bill" not in page.ids and "next-fee-1-bill" not in page.ids
    assert page.ids["fee-1-bill"] == 1


def test_an_english_bill_counts_in_cubic_metres(client, water_tariff):
    page = parse(client.get(item_url(water_tariff) + "/bill?fee=1&usage=200&lang=en").data)
    assert "Bill for 200 m³" in page.text
    assert "立方米" not in page.text
