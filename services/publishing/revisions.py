"""The editing workflow: draft → in review → approved → published → superseded (rejected → draft).

What is in force is decided by dates alone: catalogue.current_revision picks the published
revision with the latest effective_from not after today, so a revision published for a
future date becomes current on that date with nobody acting. Stored statuses never run
ahead of the dates: both revisions stay `published` until the new one's date arrives, and
then `settle_schedule` marks the old one `superseded`, with `effective_to` set to its last
day in force (the day before its successor's effective_from). Publishing settles at once what
is due today; `flask --app kiosk revisions settle`, run daily, settles the rest. Screens
that must be right to the day use `revision_state`, which computes the answer from dates.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from services.administration.bases import proposed_in
from services.catalogue.queries import PUBLIC_STATUSES, current_revision, current_revisions
from services.clock import today, utcnow
from services.content.checks import check_content
from services.content.diff import fee_or_limit_changes
from services.content.kinds import kind_fields
from services.content.schema import ContentError
from services.content.translations import stamp_sources
from services.db import db
from services.models import (
    AuditEvent,
    BasisStatus,
    Channel,
    Item,
    ItemKind,
    LegalBasis,
    Revision,
    RevisionStatus,
    User,
    Utility,
)
from services.publishing import audit
from services.publishing.drafts import DraftData, EditConflict
from services.search.index import index_item

OPEN_STATUSES = (
    RevisionStatus.DRAFT,
    RevisionStatus.REJECTED,
    RevisionStatus.IN_REVIEW,
    RevisionStatus.APPROVED,
)
EDITABLE_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.REJECTED)
# A date past the first bound is a typing mistake until the reviewer confirms it; past the
# second it is refused: a change scheduled for 9999 would freeze the item forever.
CONFIRM_AFTER = timedelta(days=366)
LATEST_AHEAD_YEARS = 5


def latest_effective_date(on: date) -> date:
    """The latest day a change published on `on` may take effect."""
    try:
        return on.replace(year=on.year + LATEST_AHEAD_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year + LATEST_AHEAD_YEARS, day=28)


def needs_confirmation(effective_from: date, on: date) -> bool:
    """True when a date is so far ahead that the reviewer must confirm it."""
    return effective_from > on + CONFIRM_AFTER


class WorkflowError(ValueError):
    """A step that the revision's state or the publishing rules do not allow.

    `code` says which rule (the editor words it in the reader's language); `params` fill in
    the details.
    """

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


def public_chain(item: Item) -> list[Revision]:
    """The item's published revisions (current, upcoming and superseded) in the order they apply."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(
                Revision.item_id == item.id,
                Revision.status.in_(PUBLIC_STATUSES),
                Revision.effective_from.is_not(None),
            )
            .order_by(Revision.effective_from, Revision.number)
        )
    )


def base_revision(revision: Revision) -> Revision | None:
    """What `revision` is compared with: its published predecessor, or for a draft the
    latest published revision, which it will replace."""
    chain = public_chain(revision.item)
    if revision in chain:
        position = chain.index(revision)
        return chain[position - 1] if position else None
    return chain[-1] if chain else None


def revision_state(revision: Revision, on: date | None = None) -> str:
    """draft, rejected, in_review or approved; or, computed from the dates, current,
    upcoming or superseded."""
    if revision.status not in PUBLIC_STATUSES:
        return str(revision.status)
    on = on or today()
    if current_revision(revision.item, on) is revision:
        return "current"
    return "upcoming" if revision.effective_from > on else "superseded"


def open_revision(item: Item) -> Revision | None:
    """The item's revision being worked on (draft, rejected, in review or approved), if any."""
    return db.session.scalar(
        select(Revision)
        .where(Revision.item_id == item.id, Revision.status.in_(OPEN_STATUSES))
        .order_by(Revision.number.desc())
        .limit(1)
    )


def blank_content(kind: ItemKind = ItemKind.SERVICE) -> dict[str, Any]:
    """The smallest content an item with nothing published starts from (a price notice has
    no time limits)."""
    if kind == ItemKind.TARIFF:
        return {"name": "", "summary": "", "audience": "both", "fees": [], "channels": []}
    return {
        "name": "",
        "summary": "",
        "audience": "person",
        "time_limits": {"promised": {"value": 0, "unit": "on_the_spot"}},
        "fees": [],
        "channels": [],
    }


def draft_data(revision: Revision) -> DraftData:
    """The editable part of a revision as it stands in this session."""
    return DraftData(
        content=revision.content,
        change_summary=revision.change_summary,
        is_major=revision.is_major,
        version=revision.version,
        saved_by=last_saved_by(revision.id),
    )


def last_saved_by(revision_id: int) -> str:
    """Who last saved or started the revision, from the audit trail."""
    return (
        db.session.scalar(
            select(AuditEvent.actor)
            .where(
                AuditEvent.entity == "revision",
                AuditEvent.entity_id == str(revision_id),
                AuditEvent.action.in_(("revision.start", "revision.save")),
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        or ""
    )


def _committed_draft(revision_id: int) -> DraftData:
    # After a failed flush this session cannot read; another connection sees what won.
    columns = (Revision.content, Revision.change_summary, Revision.is_major, Revision.version)
    with db.engine.connect() as connection:
        row = connection.execute(select(*columns).where(Revision.id == revision_id)).one()
        actor = connection.scalar(
            select(AuditEvent.actor)
            .where(AuditEvent.entity == "revision", AuditEvent.entity_id == str(revision_id))
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
    return DraftData(row.content, row.change_summary, row.is_major, row.version, actor or "")


def _audit_view(revision: Revision) -> dict[str, Any]:
    return {
        "item": revision.item.code,
        "number": revision.number,
        "status": str(revision.status),
        "version": revision.version,
        "effective_from": revision.effective_from,
        "change_summary": revision.change_summary,
        "is_major": revision.is_major,
    }


def _require(revision: Revision, statuses: tuple[RevisionStatus, ...]) -> None:
    if revision.status not in statuses:
        raise WorkflowError("wrong_state", status=str(revision.status))


def start_draft(item: Item, actor: User) -> Revision:
    """The item's open revision, or a new draft copied from its latest published revision.

    The copy is taken from the latest published revision, not the one in force: when a
    change is already scheduled, a draft made from the older text would undo it.
    """
    existing = open_revision(item)
    if existing is not None:
        return existing
    base = public_chain(item)[-1:] or [None]
    revision = Revision(
        item=item,
        number=next_number(item),
        status=RevisionStatus.DRAFT,
        content=kind_fields(copy.deepcopy(base[0].content), item.kind)
        if base[0]
        else blank_content(item.kind),
        author=actor,
        is_major=True,
        change_summary="",
        edited_by=[actor.id],
    )
    db.session.add(revision)
    db.session.flush()
    after = _audit_view(revision) | {"based_on": base[0].number if base[0] else None}
    audit.record(actor.username, "revision.start", "revision", revision.id, None, after)
    return revision


def stamped(
    revision: Revision,
    content: dict[str, Any],
    change_summary: str,
    confirmed: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """`content` as saving it over `revision` would store it, with what each translation
    was made from (see services.content.translations)."""
    before = revision.content
    return stamp_sources(before, revision.change_summary, content, change_summary, confirmed)


def save_draft(
    revision: Revision,
    content: dict[str, Any],
    *,
    base_version: int,
    change_summary: str,
    is_major: bool,
    actor: User,
    confirmed: frozenset[str] = frozenset(),
) -> Revision:
    """Save an editor's form over the draft, unless someone saved it since they opened it.

    `confirmed` names translations the editor checked against changed Chinese text.

    Raises EditConflict carrying both versions instead of overwriting; after a conflict
    found while flushing, the caller must roll the session back.
    """
    _require(revision, EDITABLE_STATUSES)
    mine = DraftData(content, change_summary.strip(), is_major, base_version, actor.username)
    if revision.version != base_version:
        raise EditConflict(revision.id, mine, draft_data(revision))
    before = _audit_view(revision) | {"content": revision.content}
    revision_id = revision.id  # a failed flush leaves the object unreadable
    content = stamped(revision, content, change_summary, confirmed)
    revision.content = content
    revision.change_summary = mine.change_summary
    revision.is_major = is_major
    revision.status = RevisionStatus.DRAFT
    _note_editor(revision, actor)
    try:
        db.session.flush()
    except StaleDataError:
        # Someone saved between our read and our write: the version check in the UPDATE
        # matched no row.
        raise EditConflict(revision_id, mine, _committed_draft(revision_id)) from None
    after = _audit_view(revision) | {"content": content}
    audit.record(actor.username, "revision.save", "revision", revision.id, before, after)
    return revision


def check_minor(base: Revision | None, content: dict[str, Any], is_major: bool) -> None:
    """Raise ContentError, naming the first such field, if a minor change to `base` alters
    fees or time limits."""
    if is_major or base is None:
        return
    changed = fee_or_limit_changes(base.content, content)
    if changed:
        raise ContentError(
            changed[0].path,
            "a minor change cannot alter fees or time limits; mark the change as major",
        )


def check_draft(revision: Revision, draft: DraftData) -> None:
    """Everything a draft must satisfy before review; raises ContentError naming the field."""
    if not draft.change_summary.strip():
        raise ContentError(
            "change_summary", "describe the change for the public history", "missing_summary"
        )
    check_content(draft.content, revision.item.kind, revision.item.utility.sector)
    check_minor(base_revision(revision), draft.content, draft.is_major)


def submit(revision: Revision, actor: User, seen_version: int) -> Revision:
    """Send a draft for review, if it is valid and still the version the editor saw."""
    _require(revision, EDITABLE_STATUSES)
    if revision.version != seen_version:
        raise WorkflowError("stale")
    check_draft(revision, draft_data(revision))
    before = _audit_view(revision)
    revision.status = RevisionStatus.IN_REVIEW
    revision.approver = None
    revision.review_comment = ""
    db.session.flush()
    audit.record(
        actor.username, "revision.submit", "revision", revision.id, before, _audit_view(revision)
    )
    return revision


def next_number(item: Item) -> int:
    """The number the item's next revision takes: one past its highest, whatever its state."""
    highest = select(func.max(Revision.number)).where(Revision.item_id == item.id)
    return (db.session.scalar(highest) or 0) + 1


def last_day_before(successor: Revision) -> date:
    """The last day a revision is in force when `successor` replaces it: ranges such as
    "2025年1月1日 – 2026年11月30日" include both ends, and two never share a day."""
    return successor.effective_from - timedelta(days=1)


def content_editors(revision: Revision) -> set[int]:
    """The ids of everyone who wrote the revision's content: its author and each person who
    saved it (by hand, by merging or through a fee sheet)."""
    return set(revision.edited_by or []) | ({revision.author_id} if revision.author_id else set())


def _note_editor(revision: Revision, actor: User) -> None:
    if actor.id not in (revision.edited_by or []):
        revision.edited_by = [*(revision.edited_by or []), actor.id]  # a new list is saved


def _flush_or_stale() -> None:
    # Two people acting on the same revision at once: the version check in the UPDATE
    # matched no row, so the other one's step went first. The caller rolls back.
    try:
        db.session.flush()
    except StaleDataError:
        raise WorkflowError("lost_race") from None


def _review(
    revision: Revision,
    actor: User,
    outcome: RevisionStatus,
    comment: str,
    seen_version: int | None,
) -> Revision:
    """Record a reviewer's decision on the version of a revision in review they read."""
    if seen_version is not None and revision.version != seen_version:
        raise WorkflowError("stale_review")
    before = _audit_view(revision)
    revision.status = outcome
    revision.approver = actor
    revision.review_comment = comment.strip()
    _flush_or_stale()
    after = _audit_view(revision) | {"comment": revision.review_comment}
    action = "revision.approve" if outcome == RevisionStatus.APPROVED else "revision.reject"
    audit.record(actor.username, action, "revision", revision.id, before, after)
    return revision


def approve(
    revision: Revision, actor: User, comment: str = "", seen_version: int | None = None
) -> Revision:
    """Approve a revision in review, as of `seen_version` (the version the reviewer read);
    nobody who wrote any of its content may approve it, whatever their role."""
    _require(revision, (RevisionStatus.IN_REVIEW,))
    if actor.id in content_editors(revision):
        raise WorkflowError("own_change")
    return _review(revision, actor, RevisionStatus.APPROVED, comment, seen_version)


def reject(
    revision: Revision, actor: User, comment: str, seen_version: int | None = None
) -> Revision:
    """Send a revision in review back to its editors with a comment saying why."""
    _require(revision, (RevisionStatus.IN_REVIEW,))
    if not comment.strip():
        raise WorkflowError("comment_required")
    return _review(revision, actor, RevisionStatus.REJECTED, comment, seen_version)


def publish(
    revision: Revision, actor: User, effective_from: date, far_date_confirmed: bool = False
) -> Revision:
    """Publish an approved revision, in force from today or a later date.

    A later date must also fall after any change already scheduled, so scheduled changes
    take effect in the order they were published. It may be at most LATEST_AHEAD_YEARS
    ahead, and more than a year ahead only with `far_date_confirmed`.
    """
    _require(revision, (RevisionStatus.APPROVED,))
    on = today()
    if effective_from < on:
        raise WorkflowError("past_date")
    latest_allowed = latest_effective_date(on)
    if effective_from > latest_allowed:
        raise WorkflowError(
            "too_far_ahead", years=LATEST_AHEAD_YEARS, date=latest_allowed.isoformat()
        )
    if needs_confirmation(effective_from, on) and not far_date_confirmed:
        raise WorkflowError("confirm_far_date", date=effective_from.isoformat())
    chain = public_chain(revision.item)
    if revision in chain:
        raise WorkflowError("lost_race")  # published by someone else since it was read
    latest = chain[-1] if chain else None
    if latest and latest.effective_from > on and effective_from <= latest.effective_from:
        raise WorkflowError(
            "after_scheduled", number=latest.number, date=latest.effective_from.isoformat()
        )
    check_content(revision.content, revision.item.kind, revision.item.utility.sector)
    check_minor(latest, revision.content, revision.is_major)
    check_bases_approved(revision.content)
    before = _audit_view(revision)
    revision.status = RevisionStatus.PUBLISHED
    revision.effective_from = effective_from
    revision.published_at = utcnow()
    # Kept with the revision and in the trail: `audit verify` finds content changed later.
    revision.content_hash = audit.content_hash(revision.content)
    _flush_or_stale()
    after = _audit_view(revision) | {"content_hash": revision.content_hash}
    audit.record(actor.username, "revision.publish", "revision", revision.id, before, after)
    settle_schedule(on, item=revision.item)
    index_item(revision.item)
    return revision


def withdraw(revision: Revision, actor: User, reason: str = "") -> Revision:
    """Take back a published revision that is not yet in force: it leaves every public
    page, and the revision in force before it stays in force."""
    on = today()
    if revision.status != RevisionStatus.PUBLISHED or revision_state(revision, on) != "upcoming":
        raise WorkflowError("not_scheduled")
    before = _audit_view(revision)
    revision.status = RevisionStatus.WITHDRAWN  # the reason is kept in the audit trail
    _flush_or_stale()
    after = _audit_view(revision) | {"reason": reason.strip()}
    audit.record(actor.username, "revision.withdraw", "revision", revision.id, before, after)
    index_item(revision.item)
    return revision


def settle_schedule(on: date | None = None, item: Item | None = None) -> list[Revision]:
    """Mark published revisions whose successor is now in force as superseded.

    Returns the revisions it changed. Safe to run any number of times.
    """
    on = on or today()
    in_force = select(Revision).where(
        Revision.status.in_(PUBLIC_STATUSES),
        Revision.effective_from.is_not(None),
        Revision.effective_from <= on,
    )
    if item is not None:
        in_force = in_force.where(Revision.item_id == item.id)
    else:
        # Only items with two or more `published` revisions in force have anything to settle.
        due_items = (
            select(Revision.item_id)
            .where(
                Revision.status == RevisionStatus.PUBLISHED,
                Revision.effective_from.is_not(None),
                Revision.effective_from <= on,
            )
            .group_by(Revision.item_id)
            .having(func.count() > 1)
        )
        in_force = in_force.where(Revision.item_id.in_(due_items))
    chains: dict[int, list[Revision]] = {}
    for revision in db.session.scalars(
        in_force.order_by(Revision.item_id, Revision.effective_from, Revision.number)
    ):
        chains.setdefault(revision.item_id, []).append(revision)
    settled = []
    for chain in chains.values():
        for older, newer in zip(chain, chain[1:], strict=False):
            if older.status != RevisionStatus.PUBLISHED:
                continue
            before = _audit_view(older)
            older.status = RevisionStatus.SUPERSEDED
            older.effective_to = last_day_before(newer)
            settled.append(older)
            db.session.flush()
            after = _audit_view(older) | {"effective_to": older.effective_to, "by": newer.number}
            audit.record(audit.SYSTEM, "revision.supersede", "revision", older.id, before, after)
    for touched in {r.item_id: r.item for r in settled}.values():
        index_item(touched)
    return settled


@dataclass
class ItemWork:
    """An item on an editor's list: what is in force, what is scheduled, what is open."""

    item: Item
    current: Revision | None
    upcoming: Revision | None
    open: Revision | None


def worklist(utility: Utility) -> list[ItemWork]:
    """The utility's items in display order, each with its current, upcoming and open revision."""
    items = list(
        db.session.scalars(
            select(Item).where(Item.utility_id == utility.id).order_by(Item.position, Item.id)
        )
    )
    on = today()
    current = current_revisions(items, on)
    upcoming: dict[int, Revision] = {}
    opened: dict[int, Revision] = {}
    ids = [i.id for i in items]
    for revision in db.session.scalars(
        select(Revision)
        .where(
            Revision.item_id.in_(ids),
            (Revision.status.in_(OPEN_STATUSES)) | (Revision.effective_from > on),
        )
        .order_by(Revision.number)
    ):
        if revision.status in OPEN_STATUSES:
            opened[revision.item_id] = revision
        elif revision.status in PUBLIC_STATUSES:
            upcoming.setdefault(revision.item_id, revision)
    return [ItemWork(i, current.get(i.id), upcoming.get(i.id), opened.get(i.id)) for i in items]


def review_queue() -> list[Revision]:
    """Revisions waiting for a reviewer: those in review, then those approved but not
    yet published, oldest first."""
    waiting = db.session.scalars(
        select(Revision)
        .where(Revision.status.in_((RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)))
        .options(selectinload(Revision.item).selectinload(Item.utility))
    )
    return sorted(waiting, key=lambda r: (r.status != RevisionStatus.IN_REVIEW, r.updated_at, r.id))


def reference_lists(utility: Utility) -> tuple[list[LegalBasis], list[Channel]]:
    """The legal bases and channels an item of this utility may cite: every approved basis
    and those proposed for the utility, and the city's channels plus the utility's own."""
    bases = list(
        db.session.scalars(
            select(LegalBasis)
            .where(LegalBasis.status == BasisStatus.APPROVED)
            .order_by(LegalBasis.rank, LegalBasis.code)
        )
    )
    bases += proposals_for(utility)
    channels = list(
        db.session.scalars(
            select(Channel)
            .where(Channel.utility_id.is_(None) | (Channel.utility_id == utility.id))
            .order_by(Channel.utility_id.is_(None), Channel.code)
        )
    )
    return bases, channels


def check_bases_approved(content: dict[str, Any]) -> None:
    """Raise WorkflowError if the content cites a legal basis that is only proposed."""
    waiting = proposed_in(content)
    if waiting:
        raise WorkflowError("unapproved_basis", title=waiting[0].title)


def proposals_for(utility: Utility) -> list[LegalBasis]:
    """Bases proposed for `utility` and not yet approved: its drafts may cite them."""
    return list(
        db.session.scalars(
            select(LegalBasis)
            .where(
                LegalBasis.status == BasisStatus.PROPOSED,
                LegalBasis.proposed_for_id == utility.id,
            )
            .order_by(LegalBasis.id)
        )
    )
