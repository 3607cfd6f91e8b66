"""Editor, reviewer and admin accounts: creation, password checks, and slowing down guessers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from services.clock import utcnow
from services.db import db
from services.models import Role, User, Utility
from services.publishing import audit

MIN_PASSWORD_LENGTH = 10
# The first few mistakes cost nothing; after that each failure makes the next attempt wait
# twice as long, and a run of failures locks the account for a while.
FREE_FAILURES = 3
LOCK_AFTER = 8
LOCK_FOR = timedelta(minutes=15)
FIRST_WAIT = timedelta(seconds=5)
# Compared against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """An account that cannot be created as asked; the message says why."""


class LoginOutcome(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    retry_at: datetime | None = None  # naive UTC, while the account must wait


def user_by_username(username: str) -> User | None:
    """The account with this username, or None."""
    return db.session.scalar(select(User).where(User.username == username))


def describe(user: User) -> dict[str, object]:
    """What the audit trail records about an account (never the password hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": str(user.role),
        "utility": user.utility.slug if user.utility else None,
        "is_active": user.is_active,
    }


def create_user(
    username: str,
    password: str,
    role: Role,
    utility: Utility | None = None,
    display_name: str = "",
    actor: str = audit.SYSTEM,
) -> User:
    """Add an account; an editor belongs to exactly one utility, other roles to none."""
    username = username.strip()
    if not username:
        raise AccountError("a username is required")
    if user_by_username(username):
        raise AccountError(f"the username {username!r} is taken")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if role == Role.EDITOR and utility is None:
        raise AccountError("an editor must belong to a utility")
    if role != Role.EDITOR and utility is not None:
        raise AccountError("only editors belong to a utility")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password),
        role=role,
        utility=utility,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, None, describe(user))
    return user


def wait_after(failures: int) -> timedelta:
    """How long an account waits before its next attempt after `failures` in a row."""
    if failures >= LOCK_AFTER:
        return LOCK_FOR
    if failures >= FREE_FAILURES:
        return FIRST_WAIT * 2 ** (failures - FREE_FAILURES)
    return timedelta(0)


def attempt_login(username: str, password: str) -> LoginResult:
    """Check a password, counting failures; a waiting or locked account is not even checked."""
    user = user_by_username(username.strip())
    now = utcnow()
    if user is None or not user.is_active:
        check_password_hash(_DUMMY_HASH, password)
        audit.record(username, "login.failed", "user", username, None, {"reason": "unknown"})
        return LoginResult(LoginOutcome.FAILED)
    if user.locked_until and user.locked_until > now:
        audit.record(username, "login.refused", "user", user.id, None, {"reason": "locked"})
        return LoginResult(LoginOutcome.LOCKED, retry_at=user.locked_until)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        wait = wait_after(user.failed_logins)
        user.locked_until = now + wait if wait else None
        audit.record(
            username,
            "login.failed",
            "user",
            user.id,
            None,
            {"failed_logins": user.failed_logins, "locked_until": user.locked_until},
        )
        if wait:
            return LoginResult(LoginOutcome.LOCKED, retry_at=user.locked_until)
        return LoginResult(LoginOutcome.FAILED)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(username, "login", "user", user.id)
    return LoginResult(LoginOutcome.OK, user=user)
