"""Residents' comments on a hearing: taken only while its window is open, throttled per
source, shown with their contact to the utility's staff and admins only, and the contact
purged once its retention has passed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from services.content.text import has_control_characters
from services.db import db
from services.hearings.models import Hearing, HearingComment
from services.outages.publishing import as_utc
from services.publishing import audit
from services.throttling import sent_since

MAX_BODY = 2000


class CommentError(ValueError):
    """A comment that cannot be taken; `code` names why for the screen."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def window_is_open(hearing: Hearing, now: datetime) -> bool:
    """True while residents may comment."""
    return hearing.comments_open_at <= as_utc(now) < hearing.comments_close_at


def add_comment(
    hearing: Hearing,
    body: str,
    name: str,
    contact: str,
    source: str,
    now: datetime,
    per_hour: int,
) -> HearingComment:
    """Take a resident's comment; CommentError when the window is shut, the text is empty,
    too long or holds control characters, or this source sent `per_hour` comments in the
    last hour."""
    if not window_is_open(hearing, now):
        raise CommentError("window_shut")
    text = body.strip()
    # A NUL or other control character cannot be stored (PostgreSQL refuses it).
    if has_control_characters(text) or has_control_characters(name + contact, multiline=False):
        raise CommentError("control")
    if not text:
        raise CommentError("empty")
    if len(text) > MAX_BODY:
        raise CommentError("too_long")
    if sent_since(HearingComment, source, as_utc(now) - timedelta(hours=1)) >= per_hour:
        raise CommentError("too_many")
    comment = HearingComment(
        hearing=hearing,
        created_at=as_utc(now),
        body=text,
        name=name.strip()[:80],
        contact=contact.strip()[:120],
        source_hash=source,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def read_for_staff(model: type, hearing: Hearing, actor: str, action: str) -> list:
    """Every row of `model` (comments or sign-ups) left on `hearing`, oldest first, with its
    contact, for the utility's staff or an admin; the reading is audited as `action`, as it
    shows personal data."""
    found = list(
        db.session.scalars(
            select(model).where(model.hearing_id == hearing.id).order_by(model.created_at, model.id)
        )
    )
    audit.record(actor, action, "hearing", hearing.id, None, {"n": len(found)})
    return found


def comments_for_staff(hearing: Hearing, actor: str) -> list[HearingComment]:
    """Every comment with its contact, for the utility's staff or an admin; audited."""
    return read_for_staff(HearingComment, hearing, actor, "hearing.comments_read")


def purge_contacts(now: datetime, retention: timedelta, actor: str = audit.SYSTEM) -> int:
    """Erase the names and contacts of comments whose hearing's window closed more than
    `retention` ago; returns how many comments were purged."""
    cutoff = as_utc(now) - retention
    comments = list(
        db.session.scalars(
            select(HearingComment)
            .join(Hearing, HearingComment.hearing_id == Hearing.id)
            .where(
                Hearing.comments_close_at < cutoff,
                HearingComment.contact_purged_at.is_(None),
            )
        )
    )
    for comment in comments:
        comment.name, comment.contact = "", ""
        comment.contact_purged_at = as_utc(now)
    if comments:
        db.session.flush()
        audit.record(
            actor,
            "hearing.contacts_purged",
            "hearing_comment",
            "",
            None,
            {
                "comments": len(comments),
                "closed_before": cutoff,
            },
        )
    return len(comments)
