"""Taking a request and every step staff take on it; each step is audited, checked against
the version the editor saw, and logged with the due date as it stands after it."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from services import clock
from services.content.text import has_control_characters
from services.db import db
from services.models import User, Utility
from services.publishing import audit
from services.requests import deadlines
from services.requests.models import (
    InfoRequest,
    InfoRequestContact,
    InfoRequestStep,
    Outcome,
    ReplyForm,
    Requester,
    RequestStatus,
    StepKind,
)
from services.throttling import sent_since

# Crockford's base 32 without I, L, O, U: nothing to misread; 12 characters give 60 bits.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 12
MAX_DESCRIPTION = 4000
MAX_TEXT = 4000
MAX_NAME = 120
MAX_CONTACT = 200
OPEN = (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED, RequestStatus.WAITING)


class RequestError(ValueError):
    """A request or step that cannot be taken; `code` names why for the screen."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def new_tracking() -> str:
    """A fresh random tracking number (12 characters, unguessable)."""
    while True:
        number = "".join(secrets.choice(ALPHABET) for _ in range(TRACKING_LENGTH))
        if db.session.scalar(select(InfoRequest.id).where(InfoRequest.tracking == number)) is None:
            return number


def grouped(tracking: str) -> str:
    """The tracking number in groups of four, as printed: ABCD-EFGH-JKMN."""
    return "-".join(tracking[i : i + 4] for i in range(0, len(tracking), 4))


def normalise(text: str) -> str:
    """A typed tracking number as stored: upper case, without spaces or dashes, misread
    letters (O, I, L) taken for the digits they look like."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\u2010\u2011\u2012\u2013")
    return cleaned.translate(str.maketrans("OIL", "011"))


def find(tracking: str) -> InfoRequest | None:
    """The request with this tracking number, typed in any usual way, or None."""
    number = normalise(tracking)
    if len(number) != TRACKING_LENGTH or any(ch not in ALPHABET for ch in number):
        return None
    return db.session.scalar(select(InfoRequest).where(InfoRequest.tracking == number))


def _clean(text: str, limit: int, code: str, multiline: bool = True) -> str:
    text = (text or "").strip()
    if has_control_characters(text, multiline=multiline):
        raise RequestError("control")
    if len(text) > limit:
        raise RequestError(code)
    return text


def _written(text: str, missing: str = "text") -> str:
    """A step's text, cleaned; a step that says nothing is refused with `missing`."""
    text = _clean(text, MAX_TEXT, "too_long")
    if not text:
        raise RequestError(missing)
    return text


def _recount(request: InfoRequest) -> None:
    """Work the due date out again from receipt, the limits, the extension and the stops."""
    request.due_on = deadlines.due_date(
        request.received_on, request.working_days, request.extension_days, request.stopped_days
    )


def _log(request: InfoRequest, kind: StepKind, on: date, text: str, actor: str) -> None:
    request.steps.append(
        InfoRequestStep(kind=kind, on=on, text=text, due_on=request.due_on, actor=actor)
    )


def file_request(
    utility: Utility,
    requester: Requester,
    name: str,
    contact: str,
    description: str,
    reply_form: ReplyForm,
    source: str,
    now: datetime,
    per_hour: int,
) -> InfoRequest:
    """Take a resident's request; RequestError when a field is missing, too long or holds
    control characters, or this source filed `per_hour` requests in the last hour."""
    name = _clean(name, MAX_NAME, "too_long", multiline=False)
    contact = _clean(contact, MAX_CONTACT, "too_long", multiline=False)
    description = _clean(description, MAX_DESCRIPTION, "too_long")
    if not (name and contact and description):
        raise RequestError("missing")
    created = now.astimezone(clock.city_zone()).replace(tzinfo=None)
    created_utc = now.astimezone(UTC).replace(tzinfo=None)
    recent = sent_since(InfoRequest, source, created_utc - timedelta(hours=1))
    if recent >= per_hour:
        raise RequestError("too_many")
    days, _extension = deadlines.limits(utility)
    received = deadlines.received_on(created)
    request = InfoRequest(
        tracking=new_tracking(),
        utility=utility,
        requester=requester,
        description=description,
        reply_form=reply_form,
        created_at=created_utc,
        received_on=received,
        working_days=days,
        due_on=deadlines.due_date(received, days, 0, 0),
        source_hash=source,
    )
    db.session.add(request)
    _log(request, StepKind.RECEIVED, received, "", "")
    db.session.flush()
    db.session.add(InfoRequestContact(request_id=request.id, name=name, contact=contact))
    audit.record(audit.SYSTEM, "request.filed", "info_request", request.id, None, request.summary())
    db.session.flush()
    return request


def _check(request: InfoRequest, version: int | None, states: tuple) -> None:
    if version is not None and version != request.version:
        raise RequestError("stale")
    if request.status not in states:
        raise RequestError("state")


def _step(
    request: InfoRequest, user: User, kind: StepKind, on: date, text: str, before: dict
) -> None:
    _log(request, kind, on, text, user.username)
    db.session.flush()
    audit.record(
        user.username, f"request.{kind}", "info_request", request.id, before, request.summary()
    )


def acknowledge(request: InfoRequest, user: User, on: date, version: int | None = None) -> None:
    """Confirm to the applicant that the request was received and is being handled."""
    _check(request, version, (RequestStatus.RECEIVED,))
    before = request.summary()
    request.status = RequestStatus.ACKNOWLEDGED
    _step(request, user, StepKind.ACKNOWLEDGED, on, "", before)


def ask_clarification(
    request: InfoRequest, user: User, text: str, on: date, version: int | None = None
) -> None:
    """Ask the applicant to clarify (补正): the clock stops from the day after `on`."""
    _check(request, version, (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED))
    text = _written(text)
    before = request.summary()
    request.status = RequestStatus.WAITING
    request.stopped_on = on
    _step(request, user, StepKind.CLARIFICATION_ASKED, on, text, before)


def record_clarification(
    request: InfoRequest, user: User, text: str, on: date, version: int | None = None
) -> None:
    """Record the applicant's clarification received `on`: the clock runs again from the
    next day, and the due date moves by the working days it stood still."""
    _check(request, version, (RequestStatus.WAITING,))
    text = _written(text)
    if on < request.stopped_on:
        raise RequestError("date")
    before = request.summary()
    request.stopped_days += deadlines.working_days_between(request.stopped_on, on)
    request.stopped_on = None
    request.status = RequestStatus.ACKNOWLEDGED
    _recount(request)
    _step(request, user, StepKind.CLARIFICATION_ANSWERED, on, text, before)


def extend(
    request: InfoRequest, user: User, reason: str, on: date, version: int | None = None
) -> None:
    """Extend the deadline once, with a reason, by the utility's extension days."""
    _check(request, version, (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED))
    if request.extension_days:
        raise RequestError("extended")
    reason = _written(reason, "reason")
    before = request.summary()
    request.extension_days = deadlines.limits(request.utility)[1]
    request.extension_reason = reason
    _recount(request)
    _step(request, user, StepKind.EXTENDED, on, reason, before)


def reply(
    request: InfoRequest, user: User, text: str, on: date, version: int | None = None
) -> None:
    """Send the reply (its text is shown on the lookup page)."""
    _check(request, version, (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED))
    text = _written(text)
    before = request.summary()
    request.status = RequestStatus.REPLIED
    request.reply_text = text
    request.replied_on = on
    _step(request, user, StepKind.REPLIED, on, text, before)


def close(
    request: InfoRequest,
    user: User,
    outcome: Outcome,
    reason: str,
    on: date,
    version: int | None = None,
) -> None:
    """Close the request with its outcome; refusing (不予公开) needs a reason."""
    _check(request, version, OPEN + (RequestStatus.REPLIED,))
    reason = _clean(reason, MAX_TEXT, "too_long")
    if outcome in (Outcome.REFUSED, Outcome.OTHER) and not reason:
        raise RequestError("reason")
    before = request.summary()
    request.status = RequestStatus.CLOSED
    request.outcome = outcome
    request.outcome_reason = reason
    request.closed_on = on
    request.stopped_on = None
    if request.replied_on is None:
        request.replied_on = on
    _step(request, user, StepKind.CLOSED, on, reason, before)


def contact_for_staff(request: InfoRequest, actor: str) -> InfoRequestContact | None:
    """The applicant's name and contact, for the utility's staff or an admin; audited."""
    contact = db.session.get(InfoRequestContact, request.id)
    audit.record(actor, "request.contact_read", "info_request", request.id, None, None)
    return contact


def purge_contacts(now: datetime, retention: timedelta, actor: str = audit.SYSTEM) -> int:
    """Delete the names and contacts of requests closed more than `retention` ago; returns
    how many were deleted."""
    cutoff = now.astimezone(clock.city_zone()).date() - retention
    rows = list(
        db.session.scalars(
            select(InfoRequestContact)
            .join(InfoRequest, InfoRequestContact.request_id == InfoRequest.id)
            .where(InfoRequest.closed_on < cutoff)
        )
    )
    stamp = now.astimezone(UTC).replace(tzinfo=None)
    for row in rows:
        db.session.get(InfoRequest, row.request_id).contact_purged_at = stamp
        db.session.delete(row)
    db.session.flush()
    if rows:
        audit.record(
            actor,
            "request.contacts_purged",
            "info_request_contact",
            "",
            None,
            {"requests": len(rows), "closed_before": cutoff},
        )
    return len(rows)


def work_list(utility: Utility, today: date) -> list[tuple[InfoRequest, int | None]]:
    """The utility's requests, open ones first by due date, each with the working days left
    (None once replied or closed, or while the clock is stopped)."""
    rows = list(
        db.session.scalars(
            select(InfoRequest)
            .where(InfoRequest.utility_id == utility.id)
            .order_by(InfoRequest.closed_on.is_not(None), InfoRequest.due_on, InfoRequest.id)
        )
    )
    listed = []
    for row in rows:
        running = row.status in (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED)
        listed.append((row, deadlines.working_days_left(today, row.due_on) if running else None))
    return listed
