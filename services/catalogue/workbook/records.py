"""The catalogue as it stands in the database, as one plain record per utility, hall,
legal basis, channel and item: the shape both export and import compare."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from services.catalogue.queries import current_revisions
from services.db import db
from services.models import (
    Channel,
    Hall,
    Item,
    LegalBasis,
    Revision,
    RevisionStatus,
    Utility,
)
from services.publishing.revisions import open_revision


def utility_record(utility: Utility) -> dict[str, Any]:
    """A utility as a record."""
    return {
        "slug": utility.slug,
        "name": utility.name,
        "short_name": utility.short_name,
        "sector": str(utility.sector),
        "nature": str(utility.nature),
        "address": utility.address or "",
        "website": utility.website or "",
        "position": utility.position or 0,
        "translations": copy.deepcopy(utility.translations or {}),
    }


def hall_record(hall: Hall) -> dict[str, Any]:
    """A hall as a record, its utilities by slug."""
    return {
        "slug": hall.slug,
        "name": hall.name,
        "address": hall.address or "",
        "utilities": [u.slug for u in hall.utilities],
        "opening_hours": copy.deepcopy(hall.opening_hours or []),
        "exceptions": copy.deepcopy(hall.exceptions or []),
        "settings": copy.deepcopy(hall.settings or {}),
        "translations": copy.deepcopy(hall.translations or {}),
    }


def basis_record(basis: LegalBasis, utility_slugs: dict[int, str]) -> dict[str, Any]:
    """A legal basis as a record."""
    return {
        "code": basis.code,
        "title": basis.title,
        "doc_number": basis.doc_number or "",
        "issuer": basis.issuer or "",
        "issued_on": basis.issued_on,
        "effective_on": basis.effective_on,
        "repealed_on": basis.repealed_on,
        "version_in_force": basis.version_in_force or "",
        "rank": basis.rank,
        "url": basis.url or "",
        "articles": basis.articles or "",
        "status": str(basis.status),
        "proposed_for": utility_slugs.get(basis.proposed_for_id) or "",
        "translations": copy.deepcopy(basis.translations or {}),
    }


def channel_record(channel: Channel, utility_slugs: dict[int, str]) -> dict[str, Any]:
    """A channel as a record, its utility by slug."""
    return {
        "code": channel.code,
        "name": channel.name,
        "kinds": list(channel.kinds or []),
        "phone": channel.phone or "",
        "url": channel.url or "",
        "hours": channel.hours or "",
        "utility": utility_slugs.get(channel.utility_id) or "",
        "role": channel.role.value if channel.role else None,
        "sector": channel.sector.value if channel.sector else None,
        "translations": copy.deepcopy(channel.translations or {}),
    }


def item_record(item: Item, revision: Revision | None, codes: dict[int, str]) -> dict[str, Any]:
    """An item with the content of `revision` (None: the item has no content yet)."""
    published = revision is not None and revision.status in (
        RevisionStatus.PUBLISHED,
        RevisionStatus.SUPERSEDED,
    )
    return {
        "utility": item.utility.slug,
        "code": item.code,
        "slug": item.slug,
        "kind": str(item.kind),
        "category": item.category or "",
        "position": item.position or 0,
        "item_status": str(item.status),
        "status_reason": item.status_reason or "",
        "status_since": item.status_since,
        "successor": codes.get(item.successor_id) or "",
        "status": "published" if published else "draft",
        "effective_from": revision.effective_from if published else None,
        "change_summary": revision.change_summary if revision is not None else "",
        "content": copy.deepcopy(revision.content) if revision is not None else None,
    }


def exported_revision(item: Item, current: Revision | None) -> Revision | None:
    """What the workbook carries for an item: the revision in force, or for an item never
    published its draft being worked on."""
    if current is not None:
        return current
    return open_revision(item)


def catalogue_records() -> dict[str, list[dict[str, Any]]]:
    """Every record of the catalogue, by sheet, in display order."""
    utilities = list(db.session.scalars(select(Utility).order_by(Utility.position, Utility.id)))
    slugs = {u.id: u.slug for u in utilities}
    halls = db.session.scalars(
        select(Hall).options(selectinload(Hall.utilities)).order_by(Hall.id)
    ).all()
    bases = db.session.scalars(select(LegalBasis).order_by(LegalBasis.id)).all()
    channels = db.session.scalars(select(Channel).order_by(Channel.id)).all()
    items = list(
        db.session.scalars(
            select(Item)
            .join(Utility)
            .options(selectinload(Item.utility))
            .order_by(Utility.position, Utility.id, Item.position, Item.id)
        )
    )
    codes = {item.id: item.code for item in items}
    current = current_revisions(items)
    item_records = []
    for item in items:
        revision = exported_revision(item, current.get(item.id))
        if revision is not None:
            item_records.append(item_record(item, revision, codes))
    return {
        "utilities": [utility_record(u) for u in utilities],
        "halls": [hall_record(h) for h in halls],
        "legal_bases": [basis_record(b, slugs) for b in bases],
        "channels": [channel_record(c, slugs) for c in channels],
        "items": item_records,
    }
