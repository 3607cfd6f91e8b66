"""The published catalogue as plain data: what the API, the exports and Open311 hand out.

Only published and superseded revisions that have an effective date are ever shown;
drafts and revisions under review stay inside the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from services.catalogue import queries as catalogue
from services.content.kinds import kind_fields
from services.content.time_limits import limits_of
from services.db import db
from services.models import (
    BasisStatus,
    CatalogueChange,
    Channel,
    Hall,
    Item,
    ItemKind,
    LegalBasis,
    Revision,
    Utility,
)
from services.publishing import history

PUBLIC = catalogue.PUBLIC_STATUSES


@dataclass(frozen=True)
class Page:
    """One page of a longer list, and how long the whole list is."""

    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_of(query: Select, page: int, per_page: int) -> Page:
    """Run `query` for one page (1-based), counting the whole result as well."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(rows, total or 0, page, per_page)


def utc_text(moment: datetime | None) -> str | None:
    """A naive UTC database timestamp as RFC 3339 text ("2024-02-20T01:00:00Z")."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def day_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def utilities_query() -> Select:
    """Every utility in display order."""
    return select(Utility).order_by(Utility.position, Utility.id)


def items_in_force_query(on: date, utility: Utility | None = None, kind: str | None = None):
    """Items with a published revision in force on `on`, in display order."""
    in_force = exists().where(
        Revision.item_id == Item.id,
        Revision.status.in_(PUBLIC),
        Revision.effective_from.is_not(None),
        Revision.effective_from <= on,
    )
    query = (
        select(Item)
        .join(Utility, Item.utility_id == Utility.id)
        .where(in_force)
        .options(selectinload(Item.utility))
        .order_by(Utility.position, Utility.id, Item.position, Item.id)
    )
    if utility is not None:
        query = query.where(Item.utility_id == utility.id)
    if kind is not None:
        query = query.where(Item.kind == ItemKind(kind))
    return query


def item_by_code(code: str) -> Item | None:
    """The item with this code, or None."""
    return db.session.scalar(select(Item).where(Item.code == code))


def public_revisions_query(item: Item) -> Select:
    """An item's public revisions, oldest first."""
    return (
        select(Revision)
        .where(
            Revision.item_id == item.id,
            Revision.status.in_(PUBLIC),
            Revision.effective_from.is_not(None),
        )
        .order_by(Revision.number)
    )


def public_revision(revision_id: int) -> Revision | None:
    """A published or superseded revision with an effective date, or None."""
    revision = catalogue.public_revision(revision_id)
    return revision if revision is not None and revision.effective_from else None


def bases_query() -> Select:
    # A basis a utility proposed is public only once the transparency office approved it.
    return (
        select(LegalBasis)
        .where(LegalBasis.status == BasisStatus.APPROVED)
        .order_by(LegalBasis.rank, LegalBasis.code)
    )


def channels_query() -> Select:
    return select(Channel).options(selectinload(Channel.utility)).order_by(Channel.code)


def halls_query() -> Select:
    return select(Hall).options(selectinload(Hall.utilities)).order_by(Hall.slug)


def changes_query(since: datetime | None, utility: Utility | None = None) -> Select:
    """Published revisions in the order they were published, from `since` (naive UTC) on."""
    return history.published_revisions(since, utility).order_by(Revision.published_at, Revision.id)


def catalogue_changes_query(
    since: datetime | None, utility: Utility | None = None, subject: str | None = None
) -> Select:
    """Changes residents can see that are not revisions (a hotline's phone, a hall's hours,
    an item suspended or retired), oldest first, from `since` (naive UTC) on."""
    query = select(CatalogueChange).order_by(CatalogueChange.occurred_at, CatalogueChange.id)
    if since is not None:
        query = query.where(CatalogueChange.occurred_at >= since)
    if utility is not None:
        query = query.where(CatalogueChange.link["utility"].as_string() == utility.slug)
    if subject is not None:
        query = query.where(CatalogueChange.subject == subject)
    return query


def item_codes_of(changes: list[CatalogueChange]) -> dict[int, str]:
    """The codes of the items these changes are about, in one query."""
    ids = [c.subject_id for c in changes if c.subject == "item"]
    if not ids:
        return {}
    return dict(db.session.execute(select(Item.id, Item.code).where(Item.id.in_(ids))).all())


def catalogue_change_data(change: CatalogueChange, item_codes: dict[int, str]) -> dict[str, Any]:
    """One catalogue change: what it was about, what happened and which public fields moved;
    `item_codes` from `item_codes_of`."""
    return {
        "id": change.id,
        "occurred_at": utc_text(change.occurred_at),
        "subject": change.subject,
        "action": change.action,
        "name": change.name,
        "utility": change.link.get("utility"),
        # Integrators know items by their code; the log keeps the page's slug.
        "item": item_codes.get(change.subject_id) if change.subject == "item" else None,
        "fields": list(change.fields or []),
        "note": change.note,
    }


def lookup(model: type, key: str, value: str) -> Any:
    """One row of `model` whose unique `key` column equals `value`, or None."""
    query = select(model).where(getattr(model, key) == value)
    if model is LegalBasis:
        query = query.where(LegalBasis.status == BasisStatus.APPROVED)
    return db.session.scalar(query)


def utility_data(utility: Utility) -> dict[str, Any]:
    return {
        "slug": utility.slug,
        "name": utility.name,
        "short_name": utility.short_name,
        "sector": utility.sector.value,
        "nature": utility.nature.value,
        "address": utility.address,
        "website": utility.website,
        "channels": sorted(c.code for c in utility.channels),
        "translations": utility.translations or {},
    }


def revision_summary(revision: Revision) -> dict[str, Any]:
    return {
        "id": revision.id,
        "number": revision.number,
        "status": revision.status.value,
        "effective_from": day_text(revision.effective_from),
        "effective_to": day_text(revision.effective_to),
        "published_at": utc_text(revision.published_at),
        "change_summary": revision.change_summary,
        "is_major": revision.is_major,
    }


def revision_data(revision: Revision) -> dict[str, Any]:
    """A revision with its whole content (which follows services.content.schema); a
    tariff's with its notice facts resolved, and without leftover service fields."""
    kind = revision.item.kind
    return revision_summary(revision) | {
        "item": revision.item.code,
        "utility": revision.item.utility.slug,
        "content": kind_fields(revision.content, kind),
        "price_notice": price_notice_data(revision) if kind == ItemKind.TARIFF else None,
        "time_limit_sources": time_limit_sources(revision.content)
        if kind == ItemKind.SERVICE
        else [],
    }


def _document(ref: dict[str, str], basis: LegalBasis | None) -> dict[str, Any]:
    found = basis_data(basis) if basis else {}
    return {
        "code": ref["code"],
        "article": ref.get("article", ""),
        "doc_number": found.get("doc_number", ""),
        "title": found.get("title", ""),
        "issuer": found.get("issuer", ""),
        "issued_on": found.get("issued_on"),
    }


def price_notice_data(revision: Revision) -> dict[str, Any]:
    """A tariff's notice facts, the price document and disclosure rule named by their 文号."""
    notice = revision.content.get("price_notice", {})
    disclosure = notice.get("disclosure")
    refs = [r for r in (notice.get("document"), disclosure and disclosure["basis"]) if r]
    codes = [r["code"] for r in refs]
    bases = catalogue.bases_by_code(codes)  # a basis only proposed is not public
    document = notice.get("document")
    return {
        "document": _document(document, bases.get(document["code"])) if document else None,
        # Before these fields existed, the revision's own date was when the prices applied.
        "effective_on": notice.get("effective_on") or day_text(revision.effective_from),
        "published_on": notice.get("published_on"),
        "scope": notice.get("scope", ""),
        "collector": notice.get("collector", ""),
        "collected_for": notice.get("collected_for", ""),
        "disclosure": {
            "value": disclosure["value"],
            "unit": disclosure["unit"],
            "basis": _document(disclosure["basis"], bases.get(disclosure["basis"]["code"])),
        }
        if disclosure
        else None,
    }


def time_limit_sources(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Where each time limit of the content comes from, the legal basis named by its title
    and 文号 as residents read it; kind None for a limit published before sources were
    recorded (nothing is made up for it)."""
    limits = list(limits_of(content))
    codes = {(limit.get("source") or {}).get("code") for _path, _slot, limit in limits}
    bases = catalogue.bases_by_code(sorted(code for code in codes if code))
    out = []
    for path, _slot, limit in limits:
        source = limit.get("source") or {}
        basis = bases.get(source.get("code"))
        out.append(
            {
                "field": path,
                "kind": source.get("kind"),
                "basis": basis.code if basis else None,
                "title": basis.title if basis else None,
                "doc_number": basis.doc_number if basis else None,
                "article": source.get("article") if basis else None,
            }
        )
    return out


def item_data(item: Item, revision: Revision) -> dict[str, Any]:
    """An item with the revision in force, in brief."""
    return {
        "code": item.code,
        "slug": item.slug,
        "kind": item.kind.value,
        "category": item.category,
        "status": item.status.value,
        "utility": item.utility.slug,
        "name": revision.content["name"],
        "revision": revision_summary(revision),
    }


def cited_ref(ref: dict[str, Any], bases: dict[str, LegalBasis]) -> dict[str, Any]:
    """A basis reference with the document's 文号 and title beside its code."""
    basis = bases.get(ref["code"])
    return ref | {
        "doc_number": basis.doc_number if basis else "",
        "title": basis.title if basis else "",
    }


def cited_fees(fees: list[dict[str, Any]], bases: dict[str, LegalBasis]) -> list[dict[str, Any]]:
    """Fees with every basis reference carrying its 文号 and title, as integrators read them."""
    out = []
    for fee in fees:
        fee = dict(fee)
        for key in ("basis", "display_basis"):
            if key in fee:
                fee[key] = [cited_ref(ref, bases) for ref in fee[key]]
        if "reductions" in fee:
            fee["reductions"] = [
                r
                | ({"basis": [cited_ref(ref, bases) for ref in r["basis"]]} if "basis" in r else {})
                for r in fee["reductions"]
            ]
        out.append(fee)
    return out


def approved_bases() -> dict[str, LegalBasis]:
    """Every approved legal basis by code."""
    return {basis.code: basis for basis in db.session.scalars(bases_query())}


def fee_table_data(
    item: Item, revision: Revision, bases: dict[str, LegalBasis] | None = None
) -> dict[str, Any]:
    """An item's fees as published in the revision in force, each basis with its 文号."""
    bases = approved_bases() if bases is None else bases
    return item_data(item, revision) | {
        "fees": cited_fees(revision.content.get("fees", []), bases),
        "payment_methods": revision.content.get("payment_methods", []),
    }


def basis_data(basis: LegalBasis) -> dict[str, Any]:
    return {
        "code": basis.code,
        "title": basis.title,
        "doc_number": basis.doc_number,
        "issuer": basis.issuer,
        "issued_on": day_text(basis.issued_on),
        "effective_on": day_text(basis.effective_on),
        "rank": basis.rank,
        "url": basis.url,
        "translations": basis.translations or {},
    }


def channel_data(channel: Channel) -> dict[str, Any]:
    return {
        "code": channel.code,
        "kind": channel.kind.value,
        "kinds": list(channel.kinds),
        "name": channel.name,
        "phone": channel.phone,
        "url": channel.url,
        "hours": channel.hours,
        "utility": channel.utility.slug if channel.utility else None,
        # A regulator's or 主管部门's complaint route, and the sector it serves.
        "role": channel.role.value if channel.role else None,
        "sector": channel.sector.value if channel.sector else None,
        "translations": channel.translations or {},
    }


def hall_data(hall: Hall) -> dict[str, Any]:
    return {
        "slug": hall.slug,
        "name": hall.name,
        "address": hall.address,
        "opening_hours": hall.opening_hours or [],
        "exceptions": hall.exceptions or [],
        "utilities": [u.slug for u in hall.utilities],
        "translations": hall.translations or {},
    }


def change_data(revision: Revision) -> dict[str, Any]:
    """One published change: which item, which version, when and why."""
    return revision_summary(revision) | {
        "item": revision.item.code,
        "utility": revision.item.utility.slug,
        "name": revision.content["name"],
    }


def items_with_revisions(items: list[Item], on: date) -> list[tuple[Item, Revision]]:
    """Each item beside its revision in force on `on` (items without one are left out)."""
    current = catalogue.current_revisions(items, on)
    return [(item, current[item.id]) for item in items if item.id in current]
