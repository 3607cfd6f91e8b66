"""Rectification cases (整改): opened by each bad review with a due date in working days,
verified by the item's utility, called back, put right, closed by a reviewer, and published
without anything that could name the resident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from services import clock
from services.calendar import working_days as calendar
from services.catalogue.queries import current_revision
from services.db import db
from services.models import Item, Revision, RevisionStatus, Setting, User, Utility
from services.publishing import audit
from services.ratings.models import CaseStatus, Rating, RectificationCase

WORKING_DAYS_KEY = "rating_case_working_days"
DEFAULT_WORKING_DAYS = 10
# Where the duty to verify and rectify each bad review comes from; local rules set the days.
DEADLINE_BASIS = "国办发〔2019〕51号"
NOTE_MAX = 2000


class CaseError(Exception):
    """A step the case cannot take in its present state; `code` says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def case_working_days() -> int:
    """The city's limit for rectifying a bad review, in working days."""
    setting = db.session.get(Setting, WORKING_DAYS_KEY)
    return int(setting.value) if setting else DEFAULT_WORKING_DAYS


def set_case_working_days(days: int, actor: str) -> None:
    """Set the city's limit for rectifying a bad review (applies to cases opened from now)."""
    if not 1 <= days <= 60:
        raise CaseError("working_days")
    setting = db.session.get(Setting, WORKING_DAYS_KEY) or Setting(key=WORKING_DAYS_KEY)
    before = setting.value
    setting.value = str(days)
    db.session.add(setting)
    audit.record(actor, "set", "setting", WORKING_DAYS_KEY, before=before, after=setting.value)
    db.session.flush()


def _local_date(moment: datetime) -> date:
    # Timestamps are naive UTC; dates people see are the city's.
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(clock.city_zone()).date()


def open_case(rating: Rating) -> RectificationCase:
    """Open the case of a bad review, due after the city's number of working days."""
    days = case_working_days()
    opened_at = clock.now()
    due = calendar.due_date(opened_at, {"value": days, "unit": "working_days"})
    case = RectificationCase(
        rating=rating,
        item_id=rating.item_id,
        utility_id=rating.utility_id,
        status=CaseStatus.OPEN,
        opened_at=clock.utcnow(),
        due_on=due.on,
        working_days=days,
    )
    db.session.add(case)
    db.session.flush()
    audit.record(audit.SYSTEM, "open", "rectification_case", case.id, after=_public_state(case))
    return case


def _public_state(case: RectificationCase) -> dict:
    return {
        "status": case.status.value,
        "due_on": case.due_on,
        "is_valid": case.is_valid,
        "action_revision_id": case.action_revision_id,
    }


def is_overdue(case: RectificationCase, on: date | None = None) -> bool:
    """True when the case was, or is still, not closed by its due date."""
    if case.closed_at is not None:
        return _local_date(case.closed_at) > case.due_on
    return (on or clock.today()) > case.due_on


def closed_on(case: RectificationCase) -> date | None:
    """The city date the case was closed."""
    return _local_date(case.closed_at) if case.closed_at else None


def open_cases(utility: Utility | None) -> list[RectificationCase]:
    """Cases not yet closed, of one utility (all if None), the soonest due first."""
    query = (
        select(RectificationCase)
        .where(RectificationCase.status != CaseStatus.CLOSED)
        .options(selectinload(RectificationCase.rating), selectinload(RectificationCase.item))
        .order_by(RectificationCase.due_on, RectificationCase.id)
    )
    if utility is not None:
        query = query.where(RectificationCase.utility_id == utility.id)
    return list(db.session.scalars(query))


def recently_closed(utility: Utility | None, limit: int = 20) -> list[RectificationCase]:
    """The latest closed cases, of one utility (all if None)."""
    query = (
        select(RectificationCase)
        .where(RectificationCase.status == CaseStatus.CLOSED)
        .options(selectinload(RectificationCase.rating), selectinload(RectificationCase.item))
        .order_by(RectificationCase.closed_at.desc())
        .limit(limit)
    )
    if utility is not None:
        query = query.where(RectificationCase.utility_id == utility.id)
    return list(db.session.scalars(query))


def _check_version(case: RectificationCase, version: int | None) -> None:
    if version is not None and version != case.version:
        raise CaseError("stale")


def _note(text: str) -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise CaseError("too_long")
    return text


def _step(case: RectificationCase, user: User, action: str, before: dict) -> None:
    db.session.flush()
    audit.record(user.username, action, "rectification_case", case.id, before, _public_state(case))


def verify(
    case: RectificationCase, user: User, is_valid: bool, reason: str, version: int | None = None
) -> None:
    """The utility's verdict: valid (it puts it right) or not valid, with a reason, which a
    reviewer then confirms."""
    _check_version(case, version)
    if case.status != CaseStatus.OPEN:
        raise CaseError("state")
    reason = _note(reason)
    if not is_valid and not reason:
        raise CaseError("reason")
    before = _public_state(case)
    case.is_valid = is_valid
    case.verdict_reason = reason
    case.verified_at = clock.utcnow()
    case.status = CaseStatus.VALID if is_valid else CaseStatus.DISPUTED
    _step(case, user, "verify", before)


def record_call_back(
    case: RectificationCase, user: User, note: str, version: int | None = None
) -> None:
    """Record that the resident who left a phone number was called back, and what was said."""
    _check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise CaseError("state")
    if case.rating.contact is None:
        raise CaseError("no_phone")
    before = _public_state(case)
    case.called_back_at = clock.utcnow()
    case.call_back_note = _note(note)
    _step(case, user, "call_back", before)


def revisions_to_link(case: RectificationCase) -> list[Revision]:
    """Published revisions of the case's item since it opened: a changed guide to link to."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(
                Revision.item_id == case.item_id,
                Revision.status.in_((RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED)),
                Revision.published_at >= case.opened_at,
            )
            .order_by(Revision.number.desc())
        )
    )


def record_action(
    case: RectificationCase,
    user: User,
    text: str,
    revision_id: int | None = None,
    version: int | None = None,
) -> None:
    """Write what was done to put a valid case right, linking the changed guide if any."""
    _check_version(case, version)
    if case.status != CaseStatus.VALID:
        raise CaseError("state")
    text = _note(text)
    if not text:
        raise CaseError("action")
    if revision_id is not None and revision_id not in {r.id for r in revisions_to_link(case)}:
        raise CaseError("revision")
    before = _public_state(case)
    case.action_taken = text
    case.action_revision_id = revision_id
    case.acted_at = clock.utcnow()
    _step(case, user, "act", before)


def close(
    case: RectificationCase, user: User, agree: bool = True, version: int | None = None
) -> None:
    """A reviewer's decision. A valid case that was put right is closed (and published). On
    a disputed case, agreeing closes it as not valid; disagreeing sends it back as valid."""
    _check_version(case, version)
    before = _public_state(case)
    if case.status == CaseStatus.VALID:
        if not case.action_taken:
            raise CaseError("action")
        case.status = CaseStatus.CLOSED
    elif case.status == CaseStatus.DISPUTED:
        if agree:
            case.status = CaseStatus.CLOSED
        else:
            case.status, case.is_valid = CaseStatus.VALID, True
    else:
        raise CaseError("state")
    if case.status == CaseStatus.CLOSED:
        case.closed_at = clock.utcnow()
        case.closed_by_id = user.id
    _step(case, user, "close" if case.status == CaseStatus.CLOSED else "overrule", before)


@dataclass(frozen=True)
class PublishedRectification:
    """A closed valid case as the public sees it: what was wrong, what was changed, when."""

    id: int
    item: Item
    item_content: dict  # the item's content in force, for its name in the reader's language
    reasons: list[str]
    action_taken: str
    closed_at: datetime  # naive UTC
    closed_on: date  # the city's date
    revision_id: int | None
    on_time: bool


def _published(case: RectificationCase) -> PublishedRectification:
    revision = current_revision(case.item)
    return PublishedRectification(
        id=case.id,
        item=case.item,
        item_content=revision.content if revision else {"name": case.item.code},
        reasons=list(case.rating.reasons),
        action_taken=case.action_taken,
        closed_at=case.closed_at,
        closed_on=_local_date(case.closed_at),
        revision_id=case.action_revision_id,
        on_time=not is_overdue(case),
    )


def _published_query():
    return (
        select(RectificationCase)
        .where(RectificationCase.status == CaseStatus.CLOSED, RectificationCase.is_valid.is_(True))
        .options(
            selectinload(RectificationCase.rating),
            selectinload(RectificationCase.item).selectinload(Item.utility),
        )
        .order_by(RectificationCase.closed_at.desc(), RectificationCase.id.desc())
    )


def published_for_item(item_id: int, limit: int = 10) -> list[PublishedRectification]:
    """The item's latest published rectifications, newest first."""
    query = _published_query().where(RectificationCase.item_id == item_id).limit(limit)
    return [_published(case) for case in db.session.scalars(query)]


def published_since(since: datetime, limit: int = 200) -> list[PublishedRectification]:
    """Rectifications published city-wide since `since` (naive UTC), newest first."""
    query = _published_query().where(RectificationCase.closed_at >= since).limit(limit)
    return [_published(case) for case in db.session.scalars(query)]
