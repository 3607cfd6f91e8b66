"""Every item page describes itself in its <head>: a service as a schema.org
GovernmentService, a price notice as an OfferCatalog of its prices."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from services.db import db
from services.models import ItemKind, RevisionStatus
from tests.factories import (
    make_item,
    make_revision,
    make_utility,
    service_content,
    tariff_content,
)
from tests.html import parse

DURATION = re.compile(r"^P(\d+D|T\d+H|T0S)$")
ENGLISH_NAME = "Chengzhou Test Water Co., Ltd."


def jsonld(client, url: str, **options) -> dict:
    response = client.get(url, **options)
    assert response.status_code == 200, url
    head = parse(response.data).soup.head
    blocks = head.find_all("script", type="application/ld+json")
    assert len(blocks) == 1, url
    return json.loads(blocks[0].string)


@pytest.fixture(scope="module")
def pages(app) -> dict[str, str]:
    """A utility with an English name, a service with an English name and a tariff with a
    superseded version, committed for this module."""
    with app.app_context():
        utility = make_utility(translations={"en": {"name": ENGLISH_NAME}})
        english = {"en": {"name": "New water connection"}}
        service = make_revision(make_item(utility), content=service_content(translations=english))
        tariff = make_item(utility, kind=ItemKind.TARIFF)
        old = make_revision(tariff, status=RevisionStatus.SUPERSEDED, effective_to=date(2025, 1, 1))
        make_revision(tariff, effective_from=date(2025, 1, 1))
        db.session.commit()
        return {
            "service": f"/u/{utility.slug}/{service.item.slug}",
            "tariff": f"/u/{utility.slug}/{tariff.slug}",
            "tariff code": tariff.code,
            "old": f"/r/{old.id}",
        }


def test_a_service_page_carries_a_government_service(client, pages):
    url = pages["service"]
    data = jsonld(client, url)
    assert data["@context"][0] == "https://schema.org"
    assert data["@type"] == "GovernmentService"
    assert data["url"] == "http://localhost" + url and data["name"]
    assert data["provider"]["name"]
    assert data["areaServed"] == {"@type": "City", "name": "澄州市"}
    phones = [
        c["servicePhone"]["telephone"] for c in data["availableChannel"] if "servicePhone" in c
    ]
    assert phones, url
    for offer in data["offers"]:
        assert offer["@type"] == "Offer" and offer["priceCurrency"] == "CNY"


def test_a_price_notice_is_an_offer_catalogue_not_a_service_with_a_processing_time(client, pages):
    url = pages["tariff"]
    data = jsonld(client, url)
    assert data["@type"] == "OfferCatalog" and data["url"] == "http://localhost" + url
    assert "GovernmentService" not in json.dumps(data)
    assert "processingTime" not in json.dumps(data) and "availableChannel" not in data
    assert data["numberOfItems"] == len(data["itemListElement"]) == 1
    (offer,) = data["itemListElement"]
    assert offer["@type"] == "Offer" and offer["priceCurrency"] == "CNY"
    assert offer["validFrom"] == "2024-01-01"  # the notice's own effective date
    assert offer["offeredBy"]["name"] and offer["areaServed"]["name"] == "澄州市"
    document = data["subjectOf"]
    assert document["@type"] == "Legislation" and document["legislationIdentifier"]


def test_an_old_price_notice_with_time_limits_still_has_no_processing_time(client, app):
    limits = {
        "statutory": {"value": 3, "unit": "calendar_days"},
        "promised": {"value": 24, "unit": "hours"},
    }
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        legacy = tariff_content(time_limits=limits)
        del legacy["price_notice"]
        make_revision(item, content=legacy)
        db.session.commit()
        url = f"/u/{item.utility.slug}/{item.slug}"
    data = jsonld(client, url)
    assert data["@type"] == "OfferCatalog" and "processingTime" not in json.dumps(data)


def processing_times(data: dict) -> set[str]:
    return {c["processingTime"] for c in data["availableChannel"] if "processingTime" in c}


def test_a_working_day_limit_is_no_iso_duration_and_gives_no_processing_time(client, pages):
    # The service promises 5 working days: "P5D" would tell machines five calendar days.
    assert processing_times(jsonld(client, pages["service"])) == set()


@pytest.mark.parametrize(
    ("limit", "duration"),
    [
        ({"value": 15, "unit": "calendar_days"}, "P15D"),
        ({"value": 24, "unit": "hours"}, "PT24H"),
        ({"value": 0, "unit": "on_the_spot"}, "PT0S"),
    ],
)
def test_other_limits_are_the_processing_time_as_an_iso_duration(client, app, limit, duration):
    limits = {"statutory": {"value": 20, "unit": "working_days"}, "promised": limit}
    with app.app_context():
        revision = make_revision(content=service_content(time_limits=limits))
        url = f"/u/{revision.item.utility.slug}/{revision.item.slug}"
        db.session.commit()
    times = processing_times(jsonld(client, url))
    assert times == {duration} and DURATION.match(duration)


def test_audience_legal_basis_documents_and_result_are_described(client, pages):
    data = jsonld(client, pages["service"])
    assert "https://schema.org" in data["@context"]
    assert data["audience"] == {"@type": "Audience", "audienceType": "individuals"}
    (basis,) = data["cv:hasLegalResource"]
    assert basis["@type"] == "Legislation" and basis["name"]
    assert [doc["name"] for doc in data["cv:hasInput"]] == ["居民身份证", "不动产权证书"]
    assert data["serviceOutput"]["name"] == "通水并建立用水账户"


def test_a_tiered_price_becomes_one_unit_price_per_tier(client, pages):
    data = jsonld(client, pages["tariff"])
    offers = data["itemListElement"]
    tiered = next(o for o in offers if isinstance(o.get("priceSpecification"), list))
    bands = tiered["priceSpecification"]
    assert bands[0]["eligibleQuantity"]["minValue"] == "0"
    assert "maxValue" not in bands[-1]["eligibleQuantity"]
    assert all(b["@type"] == "UnitPriceSpecification" for b in bands)


def test_a_free_service_offers_a_zero_price(client, app):
    fee = {"name": "开户", "kind": "charge", "pricing": {"type": "free"}, "basis": []}
    with app.app_context():
        item = make_revision(content=service_content(fees=[fee])).item
        db.session.commit()
        url = f"/u/{item.utility.slug}/{item.slug}"
    data = jsonld(client, url)
    assert data["offers"] == [
        {"@type": "Offer", "name": "开户", "priceCurrency": "CNY", "price": "0"}
    ]


def test_text_that_looks_like_markup_cannot_close_the_data_block(client, app):
    name = "</script><script>alert(1)</script>"
    with app.app_context():
        item = make_revision(content=service_content(name=name)).item
        db.session.commit()
        url = f"/u/{item.utility.slug}/{item.slug}"
    html = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert jsonld(client, url)["name"] == name


def test_the_description_follows_the_page_language(client, pages):
    data = jsonld(client, pages["service"], query_string={"lang": "en"})
    assert data["name"] == "New water connection"
    assert data["provider"]["name"] == ENGLISH_NAME


def test_an_old_version_describes_itself_at_its_permanent_address(client, pages):
    history = client.get(f"/api/v1/items/{pages['tariff code']}/revisions").get_json()["data"]
    old = next(r for r in history if r["status"] == "superseded")
    data = jsonld(client, f"/r/{old['id']}")
    assert data["url"] == old["links"]["permalink"]
