"""schema.org JSON-LD for an item page: a service is a GovernmentService (after EU CPSV-AP's
choices), a price notice an OfferCatalog of its prices."""

from __future__ import annotations

from typing import Any

from services.catalogue.price_notices import PriceNoticeView
from services.models import Channel, Item, LegalBasis, Nature, Utility

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# CPSV-AP (the EU's public service vocabulary) names what schema.org has no term for.
CONTEXT = ["https://schema.org", {"cv": "http://data.europa.eu/m8g/"}]
AUDIENCES = {
    "person": "individuals",
    "legal_person": "organisations",
    "both": "individuals and organisations",
}


def iso_duration(limit: dict[str, Any] | None) -> str | None:
    """A time limit as an ISO 8601 duration, or None when it cannot be one.

    ISO 8601 has no working-day unit: "20 working days" is not P20D (that would be about
    two weeks shorter), so a working-day limit gets no processing time at all.
    """
    if not limit or limit["unit"] == "working_days":
        return None
    value, unit = limit["value"], limit["unit"]
    if unit == "on_the_spot":
        return "PT0S"
    if unit == "hours":
        return f"PT{value}H"
    if unit == "minutes":
        return f"PT{value}M"
    return f"P{value}D"


def _legal_resource(basis: LegalBasis, article: str) -> dict[str, Any]:
    resource = {"@type": "Legislation", "name": basis.title}
    if basis.doc_number:
        resource["legislationIdentifier"] = basis.doc_number
    if basis.url:
        resource["url"] = basis.url
    if basis.issuer:
        resource["legislationPassedBy"] = {"@type": "Organization", "name": basis.issuer}
    if article:
        resource["description"] = article
    return resource


def _offer(fee: dict[str, Any]) -> dict[str, Any]:
    pricing = fee["pricing"]
    offer: dict[str, Any] = {"@type": "Offer", "name": fee["name"], "priceCurrency": "CNY"}
    if fee.get("customer_class"):
        offer["category"] = fee["customer_class"]
    if pricing["type"] == "free":
        offer["price"] = "0"
    elif pricing["type"] == "flat":
        offer["price"] = pricing["amount"]
        offer["priceSpecification"] = _unit_price(pricing["amount"], pricing["unit"])
    elif pricing["type"] == "tiers":
        offer["priceSpecification"] = [
            _unit_price(tier["price"], pricing["unit"])
            | {"eligibleQuantity": _quantity(tier, pricing["unit"])}
            for tier in pricing["tiers"]
        ]
    else:
        offer["description"] = pricing["text"]
    return offer


def _unit_price(price: str, unit: str) -> dict[str, Any]:
    return {
        "@type": "UnitPriceSpecification",
        "price": price,
        "priceCurrency": "CNY",
        "unitText": unit,
    }


def _quantity(tier: dict[str, Any], unit: str) -> dict[str, Any]:
    quantity = {"@type": "QuantitativeValue", "minValue": tier["lower"], "unitText": unit}
    if tier.get("upper") not in (None, ""):
        quantity["maxValue"] = tier["upper"]
    return quantity


def _place(location: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Place",
        "name": location["name"],
        "address": location["address"],
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [SCHEMA_DAYS[d - 1] for d in hours["weekdays"]],
                "opens": hours["opens"],
                "closes": hours["closes"],
            }
            for hours in location.get("hours", [])
        ],
    }


def _phone(number: str, contact_type: str = "") -> dict[str, Any]:
    phone = {"@type": "ContactPoint", "telephone": number}
    if contact_type:
        phone["contactType"] = contact_type
    return phone


def _provider(utility: Utility, name: str) -> dict[str, Any]:
    is_authority = utility.nature == Nature.STATUTORY
    provider = {"@type": "GovernmentOrganization" if is_authority else "Organization", "name": name}
    if utility.website:
        provider["url"] = utility.website
    if utility.address:
        provider["address"] = utility.address
    return provider


def offer_catalog(
    content: dict[str, Any],
    item: Item,
    provider_name: str,
    city: str,
    page_url: str,
    notice: PriceNoticeView,
) -> dict[str, Any]:
    """A price notice as a schema.org OfferCatalog: its prices are offers of the utility,
    valid from the date the notice takes effect, about which the price document is.

    A price notice is not a GovernmentService: nobody applies for it, so it has no channel
    with a processing time.
    """
    provider = _provider(item.utility, provider_name)
    area = {"@type": "City", "name": city}
    offers = []
    for fee in content.get("fees", []):
        offer = _offer(fee) | {"offeredBy": provider, "areaServed": area}
        if notice.effective_on:
            offer["validFrom"] = notice.effective_on.isoformat()
        if fee.get("valid_until"):
            offer["validThrough"] = fee["valid_until"]
        offers.append(offer)
    catalog: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "OfferCatalog",
        "@id": page_url,
        "url": page_url,
        "identifier": item.code,
        "name": content["name"],
        "description": content.get("summary", ""),
        "numberOfItems": len(offers),
        "itemListElement": offers,
    }
    if notice.document:
        catalog["subjectOf"] = _legal_resource(notice.document, notice.document_article)
    return catalog


def government_service(
    content: dict[str, Any],
    item: Item,
    channels: list[Channel],
    provider_name: str,
    city: str,
    page_url: str,
    legal_bases: list[tuple[LegalBasis, str]] = (),
) -> dict[str, Any]:
    """A schema.org GovernmentService (JSON-LD) for an item page, in the page's language.

    The provider's windows and online service carry the promised processing time when it
    is an ISO duration; the consultation and complaint lines are channels with a phone and
    no processing time. Audience, legal basis (schema.org Legislation), the documents to
    bring (CPSV-AP evidence) and the result (schema.org serviceOutput) follow.
    """
    utility = item.utility
    promised = iso_duration((content.get("time_limits") or {}).get("promised"))
    available = []
    for location in content.get("locations", []):
        channel = {"@type": "ServiceChannel", "name": location["name"]}
        channel["serviceLocation"] = _place(location)
        if location.get("phone"):
            channel["servicePhone"] = _phone(location["phone"])
        available.append(channel | ({"processingTime": promised} if promised else {}))
    if content.get("online_url"):
        online = {"@type": "ServiceChannel", "serviceUrl": content["online_url"]}
        available.append(online | ({"processingTime": promised} if promised else {}))
    for line in channels:
        channel = {"@type": "ServiceChannel", "name": line.name}
        if line.phone:
            channel["servicePhone"] = _phone(line.phone, line.kind.value)
        if line.url:
            channel["serviceUrl"] = line.url
        available.append(channel)
    provider = _provider(utility, provider_name)
    service: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "GovernmentService",
        "@id": page_url,
        "url": page_url,
        "identifier": item.code,
        "name": content["name"],
        "description": content.get("summary", ""),
        "serviceType": item.category,
        "provider": provider,
        "serviceOperator": provider,
        "areaServed": {"@type": "City", "name": city},
        "availableChannel": available,
        "offers": [_offer(fee) for fee in content.get("fees", [])],
    }
    if content.get("audience") in AUDIENCES:
        audience = AUDIENCES[content["audience"]]
        service["audience"] = {"@type": "Audience", "audienceType": audience}
    if legal_bases:
        service["cv:hasLegalResource"] = [_legal_resource(b, art) for b, art in legal_bases]
    materials = content.get("materials", [])
    if materials:
        service["cv:hasInput"] = [
            {"@type": "cv:Evidence", "name": material["name"]} for material in materials
        ]
    if content.get("result"):
        service["serviceOutput"] = {"@type": "Thing", "name": content["result"]}
    return service
