"""The public record of published changes: per item, and city-wide since a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from services.administration.changes import changes_since as catalogue_changes_after
from services.catalogue.queries import PUBLIC_STATUSES
from services.clock import city_zone
from services.content.diff import FieldChange, diff, with_document_numbers
from services.db import db
from services.models import CatalogueChange, Item, LegalBasis, Revision, Utility
from services.publishing.revisions import public_chain


@dataclass
class PublishedChange:
    """One published revision with what it changed from the one before it."""

    revision: Revision
    previous: Revision | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return self.previous is None

    @property
    def changes_fees(self) -> bool:
        return any(c.is_fee for c in self.changes)

    @property
    def changes_time_limits(self) -> bool:
        return any(c.is_time_limit for c in self.changes)


def document_names() -> dict[str, str]:
    """Each legal basis's code → what residents know it by: its 文号, else its title."""
    rows = db.session.execute(select(LegalBasis.code, LegalBasis.doc_number, LegalBasis.title))
    return {code: number or title for code, number, title in rows}


def _changes_of(
    chain: list[Revision], names: dict[str, str] | None = None
) -> list[PublishedChange]:
    out = []
    if names is None:
        names = document_names() if len(chain) > 1 else {}
    for n, revision in enumerate(chain):
        previous = chain[n - 1] if n else None
        changes = diff(previous.content, revision.content) if previous else []
        changes = with_document_numbers(changes, names)
        out.append(PublishedChange(revision, previous, changes))
    return out


def item_history(item: Item) -> list[PublishedChange]:
    """Every published revision of the item, newest first, each with its diff."""
    return _changes_of(public_chain(item))[::-1]


def utc_start_of(day: date) -> datetime:
    """The start of a city date as naive UTC, as timestamps are stored."""
    # published_at is naive UTC; `day` is a date in the city.
    local = datetime.combine(day, time.min, tzinfo=city_zone())
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def published_revisions(since: datetime | None = None, utility: Utility | None = None) -> Select:
    """Published revisions (with item and utility loaded), from `since` (naive UTC) on and
    of one utility if given; unordered, so each caller orders and pages as it needs."""
    query = (
        select(Revision)
        .join(Item, Revision.item_id == Item.id)
        .where(
            Revision.status.in_(PUBLIC_STATUSES),
            Revision.effective_from.is_not(None),
            Revision.published_at.is_not(None),
        )
        .options(selectinload(Revision.item).selectinload(Item.utility))
    )
    if since is not None:
        query = query.where(Revision.published_at >= since)
    if utility is not None:
        query = query.where(Item.utility_id == utility.id)
    return query


def changes_since(since: date, limit: int = 200) -> list[PublishedChange]:
    """Changes published city-wide on or after `since` (a city date), newest first."""
    query = published_revisions(utc_start_of(since))
    recent = list(
        db.session.scalars(
            query.order_by(Revision.published_at.desc(), Revision.id.desc()).limit(limit)
        )
    )
    found: dict[int, PublishedChange] = {}
    names = document_names() if recent else {}
    for item in {r.item_id: r.item for r in recent}.values():
        for change in _changes_of(public_chain(item), names):
            found[change.revision.id] = change
    return [found[r.id] for r in recent]


def catalogue_changes_since(since: date, limit: int = 200) -> list[CatalogueChange]:
    """Changes residents can see that are not revisions (a hotline's phone, a hall's hours,
    a suspension), made on or after `since` (a city date), newest first."""
    return catalogue_changes_after(utc_start_of(since), limit)
