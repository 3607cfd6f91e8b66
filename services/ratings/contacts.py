"""The phone numbers residents leave for a call back: shown to whoever may see them with an
audit row for each showing, and deleted once their retention period has passed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from services import clock
from services.db import db
from services.models import Role, User
from services.publishing import audit
from services.ratings.models import RatingContact, RectificationCase

DEFAULT_RETENTION_DAYS = 180


def may_see_phone(user: User, case: RectificationCase) -> bool:
    """Only the responsible utility's staff and admins see a resident's phone number."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.EDITOR and user.utility_id == case.utility_id


def phone_of(case: RectificationCase, user: User) -> str | None:
    """The phone left with the case's rating, for `user` who may see it; each showing is
    audited. None when no phone was left (or it was purged)."""
    if not may_see_phone(user, case):
        raise PermissionError("not this user's to see")
    contact = case.rating.contact
    if contact is None:
        return None
    audit.record(user.username, "view_phone", "rectification_case", case.id)
    return contact.phone


def purge_contacts(retention_days: int = DEFAULT_RETENTION_DAYS) -> int:
    """Delete phone numbers left more than `retention_days` ago; returns how many."""
    cutoff = clock.utcnow() - timedelta(days=retention_days)
    count = db.session.scalar(
        select(func.count()).select_from(RatingContact).where(RatingContact.left_at < cutoff)
    )
    if count:
        db.session.execute(delete(RatingContact).where(RatingContact.left_at < cutoff))
        audit.record(
            audit.SYSTEM,
            "purge",
            "rating_contact",
            "",
            after={"deleted": count, "left_before": cutoff},
        )
    db.session.flush()
    return count
