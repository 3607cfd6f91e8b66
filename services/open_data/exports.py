"""The published catalogue as tables (CSV/XLSX exports) and as an Open311 services list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from services.content.kinds import kind_fields
from services.content.localize import localized_content
from services.db import db
from services.models import Item, ItemKind, LegalBasis, Revision
from services.open_data.records import (
    approved_bases,
    day_text,
    items_in_force_query,
    items_with_revisions,
    utc_text,
)

ITEM_COLUMNS = [
    "utility",
    "utility_name",
    "code",
    "slug",
    "kind",
    "category",
    "status",
    "name",
    "summary",
    "audience",
    "statutory_limit",
    "statutory_unit",
    "promised_limit",
    "promised_unit",
    "visits",
    "fees",
    "revision_id",
    "revision_number",
    "effective_from",
    "published_at",
    "page_url",
]
FEE_COLUMNS = [
    "utility",
    "code",
    "item_name",
    "revision_id",
    "effective_from",
    "fee",
    "fee_name",
    "fee_kind",
    "customer_class",
    "pricing",
    "amount",
    "unit",
    "period",
    "tier",
    "tier_lower",
    "tier_upper",
    "upper_inclusive",
    "tier_price",
    "components",
    "text",
    "basis",
    "valid_from",
    "valid_until",
    "note",
    "service_content",
    "payee",
    "market_regulated",
    "display_basis",
]


def all_items_in_force(on: date) -> Iterator[tuple[Item, Revision]]:
    """Every item in force on `on` with its revision, a few hundred at a time."""
    query = items_in_force_query(on)
    offset, chunk = 0, 500
    while True:
        items = list(db.session.scalars(query.limit(chunk).offset(offset)))
        yield from items_with_revisions(items, on)
        if len(items) < chunk:
            return
        offset += chunk


def item_row(item: Item, revision: Revision, page_url: str) -> list[Any]:
    """One item of the catalogue export, in ITEM_COLUMNS order."""
    content = kind_fields(revision.content, item.kind)  # an old tariff's limits are no limits
    limits = content.get("time_limits") or {}
    statutory, promised = limits.get("statutory", {}), limits.get("promised", {})
    return [
        item.utility.slug,
        item.utility.name,
        item.code,
        item.slug,
        item.kind.value,
        item.category,
        item.status.value,
        content["name"],
        content.get("summary", ""),
        content.get("audience", ""),
        statutory.get("value"),
        statutory.get("unit", ""),
        promised.get("value"),
        promised.get("unit", ""),
        content.get("visits"),
        len(content.get("fees", [])),
        revision.id,
        revision.number,
        day_text(revision.effective_from),
        utc_text(revision.published_at),
        page_url,
    ]


def fee_rows(item: Item, revision: Revision, bases: dict[str, LegalBasis]) -> Iterator[list[Any]]:
    """The item's fees in FEE_COLUMNS order: one row per fee, or per tier of a tiered fee;
    each basis by its 文号 (the title for a document that has none)."""
    for number, fee in enumerate(revision.content.get("fees", []), start=1):
        pricing = fee["pricing"]
        head = [
            item.utility.slug,
            item.code,
            revision.content["name"],
            revision.id,
            day_text(revision.effective_from),
            number,
            fee["name"],
            fee["kind"],
            fee.get("customer_class", ""),
            pricing["type"],
            pricing.get("amount", ""),
            pricing.get("unit", ""),
            pricing.get("period", ""),
        ]
        tail = [
            pricing.get("text", ""),
            "; ".join(_basis_ref_text(ref, bases) for ref in fee["basis"]),
            fee.get("valid_from") or "",
            fee.get("valid_until") or "",
            fee.get("note", ""),
            fee.get("service_content", ""),
            fee.get("payee", ""),
            "yes" if fee.get("market_regulated") else "",
            "; ".join(_basis_ref_text(ref, bases) for ref in fee.get("display_basis", [])),
        ]
        tiers = pricing.get("tiers") or [None]
        for index, tier in enumerate(tiers, start=1):
            yield head + _tier_cells(pricing, tier, index) + tail


def _tier_cells(pricing: dict[str, Any], tier: dict[str, Any] | None, index: int) -> list[Any]:
    if tier is None:
        return ["", "", "", "", "", ""]
    components = "; ".join(f"{c['name']} {c['price']}" for c in tier.get("components", []))
    inclusive = pricing.get("upper_inclusive")
    return [
        index,
        tier["lower"],
        tier.get("upper") or "",
        "" if inclusive is None else ("yes" if inclusive else "no"),
        tier["price"],
        components,
    ]


def _basis_ref_text(ref: dict[str, str], bases: dict[str, LegalBasis]) -> str:
    basis = bases.get(ref["code"])
    name = (basis.doc_number or basis.title) if basis else ref["code"]
    return f"{name} {ref['article']}" if ref.get("article") else name


def catalogue_tables(on: date, page_url: Callable[[Item], str]):
    """The whole catalogue in force on `on` as two tables: (item rows, fee rows)."""
    items: list[list[Any]] = []
    fees: list[list[Any]] = []
    bases = approved_bases()
    for item, revision in all_items_in_force(on):
        items.append(item_row(item, revision, page_url(item)))
        fees.extend(fee_rows(item, revision, bases))
    return items, fees


def open311_services(on: date, locale: str, sector_name: Callable[[str], str]) -> list[dict]:
    """Service items in force as an Open311 GeoReport v2 `services` list.

    Residents cannot file requests through Gongshi, so every service is "blackbox" and has
    no attribute metadata; the list tells a city's complaint system which services exist.
    """
    services = []
    for item, revision in all_items_in_force(on):
        if item.kind != ItemKind.SERVICE:
            continue
        content, _mode = localized_content(revision.content, locale)
        services.append(
            {
                "service_code": item.code,
                "service_name": content["name"],
                "description": content.get("summary", ""),
                "metadata": False,
                "type": "blackbox",
                "keywords": ",".join(
                    k for k in (item.category, sector_name(item.utility.sector.value)) if k
                ),
                "group": (item.utility.translations or {}).get(locale, {}).get("short_name")
                or item.utility.short_name,
            }
        )
    return services
