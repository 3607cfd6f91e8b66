"""The life of an item: created empty by its utility's editor, suspended, resumed, retired."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from services.administration.changes import note_change
from services.administration.problems import Refused, columns
from services.administration.utilities import SLUG
from services.catalogue.queries import current_revision
from services.clock import today
from services.db import db
from services.models import Item, ItemKind, ItemStatus, User, Utility
from services.publishing import audit, revisions
from services.search.index import index_item

CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_.]{0,63}")
AUDITED = (
    "code",
    "slug",
    "kind",
    "category",
    "status",
    "status_reason",
    "status_since",
    "successor_id",
)


def _describe(item: Item) -> dict[str, Any]:
    return columns(item, AUDITED) | {"utility": item.utility.slug}


def create_item(
    utility: Utility, kind: ItemKind, slug: str, code: str, category: str, actor: User
) -> Item:
    """A new item of `utility` with an empty draft, which then goes through review."""
    if not SLUG.fullmatch(slug):
        raise Refused("bad_slug", "slug")
    if not CODE.fullmatch(code):
        raise Refused("bad_code", "code")
    if db.session.scalar(select(Item.id).where(Item.utility_id == utility.id, Item.slug == slug)):
        raise Refused("slug_taken", "slug", slug=slug)
    if db.session.scalar(select(Item.id).where(Item.code == code)):
        raise Refused("code_taken", "code", code=code)
    last = db.session.scalar(select(func.max(Item.position)).where(Item.utility_id == utility.id))
    item = Item(
        utility=utility,
        kind=kind,
        slug=slug,
        code=code,
        category=category.strip(),
        position=(last or 0) + 1,
        status=ItemStatus.ACTIVE,
    )
    db.session.add(item)
    db.session.flush()
    audit.record(actor.username, "item.create", "item", item.id, None, _describe(item))
    revisions.start_draft(item, actor)
    return item


def _item_name(item: Item) -> str:
    revision = current_revision(item)
    return revision.content["name"] if revision else item.code


def _link(item: Item) -> dict[str, str]:
    return {"utility": item.utility.slug, "item": item.slug}


def suspend_item(item: Item, reason: str, actor: str) -> Item:
    """Take an item off lists, search and boards for now; its page shows the reason."""
    if item.status == ItemStatus.RETIRED:
        raise Refused("already_retired")
    if not reason.strip():
        raise Refused("reason_required", "reason")
    before = _describe(item)
    item.status = ItemStatus.SUSPENDED
    item.status_reason = reason.strip()
    item.status_since = today()
    db.session.flush()
    audit.record(actor, "item.suspend", "item", item.id, before, _describe(item))
    note_change(
        "item", item.id, "suspended", _item_name(item), link=_link(item), note=item.status_reason
    )
    index_item(item)
    return item


def resume_item(item: Item, actor: str) -> Item:
    """Offer a suspended item again."""
    if item.status != ItemStatus.SUSPENDED:
        raise Refused("not_suspended")
    before = _describe(item)
    item.status = ItemStatus.ACTIVE
    item.status_reason = ""
    item.status_since = today()
    db.session.flush()
    audit.record(actor, "item.resume", "item", item.id, before, _describe(item))
    note_change("item", item.id, "resumed", _item_name(item), link=_link(item))
    index_item(item)
    return item


def retire_item(item: Item, reason: str, successor: Item | None, actor: str) -> Item:
    """No longer offered, for good; its addresses keep answering and name the successor."""
    if item.status == ItemStatus.RETIRED:
        raise Refused("already_retired")
    if successor is not None and (
        successor.id == item.id or successor.status == ItemStatus.RETIRED
    ):
        raise Refused("bad_successor", "successor")
    before = _describe(item)
    item.status = ItemStatus.RETIRED
    item.status_reason = reason.strip()
    item.status_since = today()
    item.successor = successor
    db.session.flush()
    audit.record(actor, "item.retire", "item", item.id, before, _describe(item))
    note_change(
        "item", item.id, "retired", _item_name(item), link=_link(item), note=item.status_reason
    )
    index_item(item)
    return item


def successor_choices(item: Item) -> list[Item]:
    """Items that may replace `item`: those of any utility that are not retired."""
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.id != item.id, Item.status != ItemStatus.RETIRED)
            .order_by(Item.utility_id, Item.position, Item.id)
        )
    )


def all_items(utility: Utility | None = None) -> list[Item]:
    """Every item (of one utility if given), by utility and position."""
    query = select(Item).order_by(Item.utility_id, Item.position, Item.id)
    if utility is not None:
        query = query.where(Item.utility_id == utility.id)
    return list(db.session.scalars(query))
