"""Every item page describes itself as a schema.org GovernmentService in its <head>."""

from __future__ import annotations

import json
import re

from tests.factories import make_item, make_revision, service_content

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
DURATION = re.compile(r"^P(\d+D|T\d+H|T0S)$")


def jsonld(client, url: str, **options) -> dict:
    html = client.get(url, **options).get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    blocks = LD_JSON.findall(head)
    assert len(blocks) == 1, url
    return json.loads(blocks[0])


def item_pages(client) -> list[str]:
    rows = client.get("/api/v1/items?per_page=100").get_json()["data"]
    return [row["links"]["page"] for row in rows]


def test_every_item_page_carries_a_government_service(client):
    for url in item_pages(client):
        data = jsonld(client, url)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "GovernmentService"
        assert data["url"] == url and data["name"]
        assert data["provider"]["name"]
        assert data["areaServed"] == {"@type": "City", "name": "澄州市"}
        phones = [c["servicePhone"]["telephone"] for c in data["availableChannel"]
                  if "servicePhone" in c]  # fmt: skip
        assert phones, url
        for offer in data["offers"]:
            assert offer["@type"] == "Offer" and offer["priceCurrency"] == "CNY"


def test_processing_time_is_the_promised_limit_as_an_iso_duration(client):
    data = jsonld(client, "/u/chengzhou-water/new-water-connection")
    times = {c["processingTime"] for c in data["availableChannel"] if "processingTime" in c}
    assert times and all(DURATION.match(t) for t in times)


def test_a_tiered_price_becomes_one_unit_price_per_tier(client):
    data = jsonld(client, "/u/chengzhou-water/residential-water-price")
    tiered = next(o for o in data["offers"] if isinstance(o.get("priceSpecification"), list))
    bands = tiered["priceSpecification"]
    assert bands[0]["eligibleQuantity"]["minValue"] == "0"
    assert "maxValue" not in bands[-1]["eligibleQuantity"]
    assert all(b["@type"] == "UnitPriceSpecification" for b in bands)


def test_a_free_service_offers_a_zero_price(client, ctx):
    item = make_item()
    fee = {"name": "开户", "kind": "charge", "pricing": {"type": "free"}, "basis": []}
    make_revision(item, content=service_content(fees=[fee]))
    data = jsonld(client, f"/u/{item.utility.slug}/{item.slug}")
    assert data["offers"] == [{"@type": "Offer", "name": "开户", "priceCurrency": "CNY",
                               "price": "0"}]  # fmt: skip


def test_text_that_looks_like_markup_cannot_close_the_data_block(client, ctx):
    item = make_item()
    name = "</script><script>alert(1)</script>"
    make_revision(item, content=service_content(name=name))
    html = client.get(f"/u/{item.utility.slug}/{item.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert jsonld(client, f"/u/{item.utility.slug}/{item.slug}")["name"] == name


def test_the_description_follows_the_page_language(client):
    data = jsonld(client, "/u/chengzhou-water/new-water-connection", query_string={"lang": "en"})
    assert data["name"].isascii()
    assert data["provider"]["name"] == "Chengzhou Water Supply Co., Ltd."


def test_an_old_version_describes_itself_at_its_permanent_address(client):
    history = client.get("/api/v1/items/CZ-WATER-T01/revisions").get_json()["data"]
    old = next(r for r in history if r["status"] == "superseded")
    data = jsonld(client, f"/r/{old['id']}")
    assert data["url"] == old["links"]["permalink"]
