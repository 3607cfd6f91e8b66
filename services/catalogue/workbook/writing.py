"""An import plan written: reference records as they are in the file, item content as new
revisions, in review or published, and one audit event for the whole import."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from services.administration.changes import note_change
from services.catalogue.workbook.checking import REFERENCE_SHEETS, SLUGGED
from services.catalogue.workbook.importing import ImportPlan, PlannedItem, PlannedRecord
from services.clock import today, utcnow
from services.db import db
from services.models import (
    BasisStatus,
    Channel,
    ChannelRole,
    Hall,
    Item,
    ItemKind,
    ItemStatus,
    LegalBasis,
    Nature,
    Revision,
    RevisionStatus,
    Sector,
    User,
    Utility,
)
from services.publishing import audit
from services.publishing.revisions import last_day_before, next_number, public_chain
from services.search.index import index_item


def _fill_utility(utility: Utility, record: dict[str, Any]) -> None:
    utility.slug = record["slug"]
    utility.name = record["name"]
    utility.short_name = record["short_name"]
    utility.sector = Sector(record["sector"])
    utility.nature = Nature(record["nature"])
    utility.address = record["address"]
    utility.website = record["website"]
    utility.position = record["position"]
    utility.translations = record["translations"]


def _fill_hall(hall: Hall, record: dict[str, Any], utilities: dict[str, Utility]) -> None:
    hall.slug = record["slug"]
    hall.name = record["name"]
    hall.address = record["address"]
    hall.opening_hours = record["opening_hours"]
    hall.exceptions = record["exceptions"]
    hall.settings = record["settings"]
    hall.translations = record["translations"]
    hall.utilities = [utilities[slug] for slug in record["utilities"]]


def _fill_basis(basis: LegalBasis, record: dict[str, Any], utilities: dict[str, Utility]):
    for name in (
        "code",
        "title",
        "doc_number",
        "issuer",
        "issued_on",
        "effective_on",
        "repealed_on",
        "version_in_force",
        "rank",
        "url",
        "articles",
        "translations",
    ):
        setattr(basis, name, record[name])
    basis.status = BasisStatus(record["status"])
    proposed_for = utilities.get(record["proposed_for"])
    basis.proposed_for_id = proposed_for.id if proposed_for else None


def _fill_channel(channel: Channel, record: dict[str, Any], utilities: dict[str, Utility]):
    for name in ("code", "name", "kinds", "phone", "url", "hours", "translations"):
        setattr(channel, name, record[name])
    channel.utility = utilities.get(record["utility"])
    # A regulator's or a 主管部门's route, for a sector or (with a utility) for one utility.
    channel.role = ChannelRole(record["role"]) if record.get("role") else None
    channel.sector = Sector(record["sector"]) if record.get("sector") else None


def _note(planned: PlannedRecord, subject: str, thing: Any, name: str) -> None:
    if planned.state == "changed":
        note_change(subject, thing.id, "changed", name)


def _apply_records(plan: ImportPlan, summary: dict[str, list[str]]) -> dict[str, Utility]:
    utilities = {u.slug: u for u in db.session.scalars(select(Utility))}
    ordered = sorted(plan.records, key=lambda p: REFERENCE_SHEETS.index(p.sheet))
    for planned in ordered:
        if planned.state == "unchanged":
            continue
        record, sheet = planned.record, planned.sheet
        summary.setdefault(sheet, []).append(record[SLUGGED[sheet]])
        if sheet == "utilities":
            utility = planned.existing or Utility()
            _fill_utility(utility, record)
            db.session.add(utility)
            db.session.flush()
            utilities[utility.slug] = utility
            _note(planned, "utility", utility, utility.name)
        elif sheet == "halls":
            hall = planned.existing or Hall()
            _fill_hall(hall, record, utilities)
            db.session.add(hall)
            db.session.flush()
            _note(planned, "hall", hall, hall.name)
        elif sheet == "legal_bases":
            basis = planned.existing or LegalBasis()
            _fill_basis(basis, record, utilities)
            db.session.add(basis)
            db.session.flush()
            _note(planned, "basis", basis, basis.title)
        else:
            channel = planned.existing or Channel()
            _fill_channel(channel, record, utilities)
            db.session.add(channel)
            db.session.flush()
            _note(planned, "channel", channel, f"{channel.name} {channel.phone}".strip())
    return utilities


def _fill_item(item: Item, record: dict[str, Any], utilities: dict[str, Utility]) -> None:
    item.utility = utilities[record["utility"]]
    item.code = record["code"]
    item.slug = record["slug"]
    item.kind = ItemKind(record["kind"])
    item.category = record["category"]
    item.position = record["position"]
    item.status = ItemStatus(record["item_status"])
    item.status_reason = record["status_reason"]
    item.status_since = record["status_since"]


def _effective_from(item: Item, wanted: date | None) -> date:
    # The workbook's date when it is not in the future and keeps the item's revisions in
    # order; otherwise today.
    on = today()
    chain = public_chain(item) if item.id else []
    latest = max((r.effective_from for r in chain if r.effective_from), default=None)
    if wanted is None or wanted > on or (latest is not None and wanted <= latest):
        return on
    return wanted


def _new_revision(item: Item, content: dict[str, Any], user: User, change_summary: str) -> Revision:
    revision = Revision(
        item=item,
        number=next_number(item),
        status=RevisionStatus.IN_REVIEW,
        content=content,
        author=user,
        is_major=True,
        change_summary=change_summary,
        edited_by=[user.id],
    )
    db.session.add(revision)
    return revision


def _supersede(item: Item, newest: Revision) -> list[dict[str, Any]]:
    """Mark the revisions the new one replaces as superseded; like settle_schedule, but
    recorded in the import's one audit event instead of one event each."""
    replaced = []
    for older in public_chain(item):
        if older is newest or older.status != RevisionStatus.PUBLISHED:
            continue
        if older.effective_from <= newest.effective_from:
            older.status = RevisionStatus.SUPERSEDED
            older.effective_to = last_day_before(newest)
            replaced.append({"item": item.code, "number": older.number})
    db.session.flush()
    return replaced


def apply_import(plan: ImportPlan, user: User, source: str) -> dict[str, Any]:
    """Write the plan; one audit event describes the whole import. Returns what was done.
    The caller commits."""
    summary: dict[str, Any] = {}
    if plan.changes == 0:
        return summary
    utilities = _apply_records(plan, summary)
    items = {i.code: i for i in db.session.scalars(select(Item))}
    touched: list[tuple[PlannedItem, Item]] = []
    for planned in plan.items:
        item = planned.existing
        if item is None or planned.fields_state == "changed":
            if item is None:
                item = Item()
                db.session.add(item)
            _fill_item(item, planned.record, utilities)
            items[item.code] = item
        touched.append((planned, item))
    db.session.flush()
    for planned, item in touched:
        if planned.existing is None or planned.fields_state == "changed":
            successor = items.get(planned.record["successor"])
            item.successor_id = successor.id if successor else None
            summary.setdefault("items", []).append(item.code)
    revisions = []
    superseded: list[dict[str, Any]] = []
    for planned, item in touched:
        if planned.content_action == "unchanged":
            continue
        if planned.content_action == "publish_open":
            revision = planned.open
        else:
            summary_text = planned.record.get("change_summary") or ""
            revision = _new_revision(item, planned.record["content"], user, summary_text)
        if plan.publish and planned.record["status"] == "published":
            revision.status = RevisionStatus.PUBLISHED
            revision.effective_from = _effective_from(item, planned.record["effective_from"])
            revision.published_at = utcnow()
            revision.approver = user
            revision.content_hash = audit.content_hash(revision.content)
        db.session.flush()
        if revision.status == RevisionStatus.PUBLISHED:
            superseded += _supersede(item, revision)
            index_item(item)
        elif planned.fields_state == "changed":
            index_item(item)
        revisions.append(
            {"item": item.code, "number": revision.number, "status": str(revision.status)}
        )
    for planned, item in touched:
        if planned.content_action == "unchanged" and planned.fields_state == "changed":
            index_item(item)
    summary["revisions"] = revisions
    summary["superseded"] = superseded
    counts = {sheet: dict(counter) for sheet, counter in plan.counts.items()}
    audit.record(
        user.username,
        "catalogue.import",
        "catalogue",
        source[:64],
        None,
        {"published": plan.publish, "counts": counts} | summary,
    )
    return summary
