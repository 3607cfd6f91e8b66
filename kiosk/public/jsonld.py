"""The schema.org description that every item page carries in its <head>."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from kiosk.filters import translated
from services.open_data.schema_org import government_service, offer_catalog


def government_service_jsonld(view) -> dict[str, Any]:
    """JSON-LD for the revision an item page shows (a RevisionView), in the page's language:
    a price notice's prices as an offer catalogue, a service as a government service."""
    if view.successor is not None:  # an old version, seen through its permanent link
        page_url = url_for(
            "public.revision_permalink", revision_id=view.revision.id, _external=True
        )
    else:
        page_url = url_for(
            "public.item_detail",
            utility_slug=view.utility.slug,
            item_slug=view.item.slug,
            _external=True,
        )
    if view.price_notice is not None:
        return offer_catalog(
            content=view.content,
            item=view.item,
            provider_name=translated(view.utility, "name"),
            city=current_app.config["CITY_NAME"],
            page_url=page_url,
            notice=view.price_notice,
        )
    return government_service(
        content=view.content,
        item=view.item,
        channels=view.channels,
        provider_name=translated(view.utility, "name"),
        city=current_app.config["CITY_NAME"],
        page_url=page_url,
        legal_bases=view.legal_bases,
    )
