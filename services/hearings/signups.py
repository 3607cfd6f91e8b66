"""Residents signing up to attend a hearing (听证参加人 or 旁听): taken only until the
announced sign-up deadline, throttled per source, read by the utility's staff and admins
only (audited), and the names and contacts erased once their retention has passed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from services.content.text import has_control_characters
from services.db import db
from services.hearings.comments import read_for_staff
from services.hearings.models import Hearing, HearingKind, HearingSignup, SignupRole
from services.outages.publishing import as_utc
from services.publishing import audit
from services.throttling import sent_since

MAX_NAME = 80
MAX_CONTACT = 120
MAX_REPRESENTS = 120


class SignupError(ValueError):
    """A sign-up that cannot be taken; `code` names why for the screen."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def takes_signups(hearing: Hearing) -> bool:
    """True for a hearing that announced a sign-up deadline (a consultation has none)."""
    return hearing.kind == HearingKind.HEARING and hearing.signup_close_at is not None


def signup_is_open(hearing: Hearing, now: datetime) -> bool:
    """True while residents may sign up to attend."""
    if not takes_signups(hearing):
        return False
    return hearing.published_at <= as_utc(now) < hearing.signup_close_at


def _clean(text: str, limit: int) -> str:
    text = (text or "").strip()
    if has_control_characters(text, multiline=False):
        raise SignupError("control")
    if len(text) > limit:
        raise SignupError("too_long")
    return text


def sign_up(
    hearing: Hearing,
    role: SignupRole,
    name: str,
    contact: str,
    represents: str,
    source: str,
    now: datetime,
    per_hour: int,
) -> HearingSignup:
    """Take a resident's sign-up; SignupError when sign-up is shut, the name or contact is
    missing or too long, or this source sent `per_hour` sign-ups in the last hour."""
    if not signup_is_open(hearing, now):
        raise SignupError("signup_shut")
    name = _clean(name, MAX_NAME)
    contact = _clean(contact, MAX_CONTACT)
    represents = _clean(represents, MAX_REPRESENTS)
    if not (name and contact):
        raise SignupError("missing")
    if sent_since(HearingSignup, source, as_utc(now) - timedelta(hours=1)) >= per_hour:
        raise SignupError("too_many")
    signup = HearingSignup(
        hearing=hearing,
        created_at=as_utc(now),
        role=role,
        name=name,
        contact=contact,
        represents=represents,
        source_hash=source,
    )
    db.session.add(signup)
    db.session.flush()
    return signup


def signup_counts(hearing: Hearing) -> dict[SignupRole, int]:
    """How many signed up in each role (no one's data)."""
    rows = db.session.execute(
        select(HearingSignup.role, func.count(HearingSignup.id))
        .where(HearingSignup.hearing_id == hearing.id)
        .group_by(HearingSignup.role)
    )
    counts = {role: 0 for role in SignupRole}
    counts.update({SignupRole(role): n for role, n in rows})
    return counts


def signups_for_staff(hearing: Hearing, actor: str) -> list[HearingSignup]:
    """Every sign-up with its contact, for the utility's staff or an admin; audited."""
    return read_for_staff(HearingSignup, hearing, actor, "hearing.signups_read")


def purge_contacts(now: datetime, retention: timedelta, actor: str = audit.SYSTEM) -> int:
    """Erase the names, contacts and affiliations of sign-ups to hearings held (or whose
    sign-up closed, if no meeting time) more than `retention` ago; returns how many."""
    cutoff = as_utc(now) - retention
    ended = func.coalesce(Hearing.held_at, Hearing.signup_close_at)
    found = list(
        db.session.scalars(
            select(HearingSignup)
            .join(Hearing, HearingSignup.hearing_id == Hearing.id)
            .where(ended < cutoff, HearingSignup.contact_purged_at.is_(None))
        )
    )
    for signup in found:
        signup.name, signup.contact, signup.represents = "", "", ""
        signup.contact_purged_at = as_utc(now)
    if found:
        db.session.flush()
        audit.record(
            actor,
            "hearing.signups_purged",
            "hearing_signup",
            "",
            None,
            {"signups": len(found), "held_before": cutoff},
        )
    return len(found)
