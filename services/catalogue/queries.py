"""Read-side queries of the published catalogue: utilities, items and their revisions."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, contains_eager, defer, selectinload

from services.clock import today
from services.db import db
from services.models import (
    BasisStatus,
    Channel,
    Item,
    ItemKind,
    ItemStatus,
    LegalBasis,
    Revision,
    RevisionStatus,
    Utility,
)

PUBLIC_STATUSES = (RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED)
# The languages a revision's content may carry a translated name in.
LISTED_LANGS = ("zh_Hant", "en")


def list_utilities() -> list[Utility]:
    """Every utility in display order."""
    return list(db.session.scalars(select(Utility).order_by(Utility.position, Utility.id)))


def utility_by_slug(slug: str) -> Utility | None:
    """The utility with this slug, or None."""
    return db.session.scalar(select(Utility).where(Utility.slug == slug))


def find_item(utility_slug: str, item_slug: str) -> Item | None:
    """The item at /u/<utility_slug>/<item_slug>, or None."""
    return db.session.scalar(
        select(Item)
        .join(Utility, Item.utility_id == Utility.id)
        .where(Utility.slug == utility_slug, Item.slug == item_slug)
    )


def _in_force_from(item_id, on):
    # The effective date of the revision in force on `on`, for the item of the outer query.
    earlier = aliased(Revision)
    return (
        select(func.max(earlier.effective_from))
        .where(
            earlier.item_id == item_id,
            earlier.status.in_(PUBLIC_STATUSES),
            earlier.effective_from <= on,
        )
        .scalar_subquery()
    )


# Built once: putting a statement of this size together costs several times running it.
_IN_FORCE_AND_NEXT = (
    select(Revision)
    .join(Revision.item)
    .join(Item.utility)
    .where(
        Utility.slug == bindparam("utility_slug"),
        Item.slug == bindparam("item_slug"),
        Revision.status.in_(PUBLIC_STATUSES),
        Revision.effective_from >= _in_force_from(Revision.item_id, bindparam("on")),
    )
    .options(contains_eager(Revision.item).contains_eager(Item.utility))
    .order_by(Revision.effective_from, Revision.number)
)


def item_in_force(
    utility_slug: str, item_slug: str, on: date | None = None
) -> tuple[Item, Revision, Revision | None] | None:
    """The item at /u/<utility_slug>/<item_slug> with its revision in force on `on` (default
    today) and the next one scheduled, or None when nothing is in force; one query."""
    on = on or today()
    params = {"utility_slug": utility_slug, "item_slug": item_slug, "on": on}
    revisions = list(db.session.scalars(_IN_FORCE_AND_NEXT, params))
    in_force = [r for r in revisions if r.effective_from <= on]
    if not in_force:
        return None
    upcoming = next((r for r in revisions if r.effective_from > on), None)
    return in_force[-1].item, in_force[-1], upcoming


def public_revision(revision_id: int) -> Revision | None:
    """A revision that has been published with a date (current, upcoming or superseded)."""
    return db.session.scalar(
        select(Revision)
        .where(
            Revision.id == revision_id,
            Revision.status.in_(PUBLIC_STATUSES),
            Revision.effective_from.is_not(None),
        )
        .options(selectinload(Revision.item).selectinload(Item.utility))
    )


def _published(item_ids: list[int]):
    return select(Revision).where(
        Revision.item_id.in_(item_ids),
        Revision.status.in_(PUBLIC_STATUSES),
        Revision.effective_from.is_not(None),
    )


def current_revisions(items: list[Item], on: date | None = None) -> dict[int, Revision]:
    """For each item id, the published revision in force on `on` (default today)."""
    on = on or today()
    found: dict[int, Revision] = {}
    if not items:
        return found
    query = _published([i.id for i in items]).where(Revision.effective_from <= on)
    for revision in db.session.scalars(query.order_by(Revision.effective_from, Revision.number)):
        found[revision.item_id] = revision  # later effective dates overwrite earlier ones
    return found


def current_revision(item: Item, on: date | None = None) -> Revision | None:
    """The published revision in force on `on`: the latest effective_from not after it."""
    return current_revisions([item], on).get(item.id)


def upcoming_revision(item: Item, on: date | None = None) -> Revision | None:
    """The next published revision that takes effect after `on`, if one is scheduled."""
    on = on or today()
    return db.session.scalar(
        _published([item.id])
        .where(Revision.effective_from > on)
        .order_by(Revision.effective_from, Revision.number)
        .limit(1)
    )


def successor_of(revision: Revision, on: date | None = None) -> Revision | None:
    """The revision in force now when `revision` no longer is, else None."""
    current = current_revision(revision.item, on)
    if current is None or current.id == revision.id:
        return None
    if (current.effective_from, current.number) < (revision.effective_from, revision.number):
        return None  # `revision` is still upcoming, not replaced
    return current


def scheduled_dates(after: date) -> dict[int, date]:
    """For each item with a published revision taking effect after `after`, the first such day."""
    rows = db.session.execute(
        select(Revision.item_id, func.min(Revision.effective_from))
        .where(Revision.status.in_(PUBLIC_STATUSES), Revision.effective_from > after)
        .group_by(Revision.item_id)
    )
    return {item_id: on for item_id, on in rows}


def items_by_category(utility: Utility, on: date | None = None):
    """The utility's visible items with their current revisions.

    Returns (services grouped by category in display order, tariffs); an item with nothing
    in force yet is left out, and suspended or retired items are never shown.
    """
    on = on or today()
    rows = db.session.execute(
        select(Item, Revision)
        .join(Revision, Revision.item_id == Item.id)
        .where(
            Item.utility_id == utility.id,
            Item.status == ItemStatus.ACTIVE,
            Revision.status.in_(PUBLIC_STATUSES),
            Revision.effective_from == _in_force_from(Item.id, on),
        )
        .order_by(Item.position, Item.id, Revision.number)
    )
    current: dict[int, tuple[Item, Revision]] = {}
    for item, revision in rows:
        current[item.id] = (item, revision)  # of two on one day, the later number is in force
    services: OrderedDict[str, list[tuple[Item, Revision]]] = OrderedDict()
    tariffs: list[tuple[Item, Revision]] = []
    for item, revision in current.values():
        if item.kind == ItemKind.TARIFF:
            tariffs.append((item, revision))
        else:
            services.setdefault(item.category, []).append((item, revision))
    return services, tariffs


def _listed_where(utility: Utility, on: date) -> tuple:
    # An item is listed while it is active (not suspended or retired) and has a public
    # revision in force; the addresses of the others still answer.
    return (
        Item.utility_id == utility.id,
        Item.status == ItemStatus.ACTIVE,
        Revision.status.in_(PUBLIC_STATUSES),
        Revision.effective_from == _in_force_from(Item.id, on),
    )


def services_per_category(utility: Utility, on: date | None = None) -> list[tuple[str, int]]:
    """(category, number of listed services) of the utility, in the order its page lists them."""
    # An item has a revision in force as soon as one of its public revisions has taken effect.
    in_force = (
        select(Revision.id)
        .where(
            Revision.item_id == Item.id,
            Revision.status.in_(PUBLIC_STATUSES),
            Revision.effective_from <= (on or today()),
        )
        .exists()
    )
    rows = db.session.execute(
        select(Item.category, func.count(Item.id))
        .where(
            Item.utility_id == utility.id,
            Item.status == ItemStatus.ACTIVE,
            Item.kind != ItemKind.TARIFF,
            in_force,
        )
        .group_by(Item.category)
        .order_by(func.min(Item.position), func.min(Item.id))
    )
    return [(category, number) for category, number in rows]


def items_listed(
    utility: Utility,
    on: date | None = None,
    *,
    category: str | None = None,
    services: bool = True,
):
    """What the utility's page lists, as items_by_category, but each revision with only the
    content a list shows (its names and promised time limit) and the rest left unread.

    Returns (services by category, tariffs), each entry (item, revision, listed content);
    reading every revision's whole content cost most of a page of 500 items. With
    `category`, only that category's services (no tariffs); with `services` false, only tariffs.
    """
    on = on or today()
    where = list(_listed_where(utility, on))
    if category is not None:
        where += [Item.kind != ItemKind.TARIFF, Item.category == category]
    elif not services:
        where.append(Item.kind == ItemKind.TARIFF)
    listed = [Revision.content[("name",)].as_string()]
    listed += [
        Revision.content[("translations", lang, "name")].as_string() for lang in LISTED_LANGS
    ]
    listed.append(Revision.content[("time_limits", "promised")].as_json())
    rows = db.session.execute(
        select(Item, Revision, *listed)
        .join(Revision, Revision.item_id == Item.id)
        .where(*where)
        .options(defer(Revision.content, raiseload=True))
        .order_by(Item.position, Item.id, Revision.number)
    )
    current: dict[int, tuple[Item, Revision, dict]] = {}
    for item, revision, name, *names, promised in rows:
        translated = zip(LISTED_LANGS, names, strict=True)
        shown = {
            "name": name,
            "translations": {lang: {"name": n} for lang, n in translated if n},
            "time_limits": {"promised": promised},
        }
        current[item.id] = (item, revision, shown)  # of two on one day, the later is in force
    by_category: OrderedDict[str, list[tuple[Item, Revision, dict]]] = OrderedDict()
    tariffs: list[tuple[Item, Revision, dict]] = []
    for entry in current.values():
        if entry[0].kind == ItemKind.TARIFF:
            tariffs.append(entry)
        else:
            by_category.setdefault(entry[0].category, []).append(entry)
    return by_category, tariffs


def bases_by_code(codes: list[str]) -> dict[str, LegalBasis]:
    """Legal bases keyed by code."""
    if not codes:
        return {}
    return {
        b.code: b
        for b in db.session.scalars(
            select(LegalBasis).where(
                LegalBasis.code.in_(codes), LegalBasis.status == BasisStatus.APPROVED
            )
        )
    }


def ranked_bases(refs: list[dict], bases: dict[str, LegalBasis]) -> list[tuple[LegalBasis, str]]:
    """The referenced bases with their articles, highest rank (law first) first."""
    found = [(bases[r["code"]], r.get("article", "")) for r in refs if r["code"] in bases]
    return sorted(found, key=lambda pair: pair[0].rank)


def basis_by_code(code: str) -> LegalBasis | None:
    """One approved legal basis, or None (a proposed one is not public)."""
    return db.session.scalar(
        select(LegalBasis).where(LegalBasis.code == code, LegalBasis.status == BasisStatus.APPROVED)
    )


def channels_for(codes: list[str]) -> list[Channel]:
    """The channels a revision names, in its order."""
    if not codes:
        return []
    found = {c.code: c for c in db.session.scalars(select(Channel).where(Channel.code.in_(codes)))}
    return [found[c] for c in codes if c in found]
