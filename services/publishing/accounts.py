"""Editor, reviewer and admin accounts: creation, password checks, and slowing down guessers."""

from __future__ import annotations

import enum
import secrets
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


def all_users() -> list[User]:
    """Every account: active ones first, then by role and username."""
    return sorted(
        db.session.scalars(select(User)),
        key=lambda u: (not u.is_active, list(Role).index(u.role), u.username),
    )


def _active_admins() -> int:
    return len(
        list(db.session.scalars(select(User.id).where(User.role == Role.ADMIN, User.is_active)))
    )


def update_user(
    user: User,
    *,
    role: Role,
    utility: Utility | None,
    display_name: str,
    is_active: bool,
    actor: User,
) -> User:
    """Change an account's role, utility, name or whether it may sign in.

    Nobody deactivates or demotes themselves, and the last active admin stays one.
    """
    if role == Role.EDITOR and utility is None:
        raise AccountError("an editor must belong to a utility")
    if role != Role.EDITOR and utility is not None:
        raise AccountError("only editors belong to a utility")
    stays_admin = role == Role.ADMIN and is_active
    if user.id == actor.id and (not is_active or role != user.role):
        raise AccountError("you cannot deactivate yourself or change your own role")
    if user.role == Role.ADMIN and user.is_active and not stays_admin and _active_admins() <= 1:
        raise AccountError("the last active admin cannot be deactivated or given another role")
    before = describe(user)
    user.role = role
    user.utility = utility
    user.display_name = display_name.strip() or user.username
    user.is_active = is_active
    db.session.flush()
    audit.record(actor.username, "user.update", "user", user.id, before, describe(user))
    return user


def temporary_password() -> str:
    """A password to hand over once; the person must replace it at next sign-in."""
    return secrets.token_urlsafe(9)


def reset_password(user: User, actor: User) -> str:
    """Give the account a new temporary password and make its owner choose one at next
    sign-in; returns the temporary password, shown once."""
    password = temporary_password()
    user.password_hash = generate_password_hash(password)
    user.must_change_password = True
    db.session.flush()
    audit.record(actor.username, "user.reset_password", "user", user.id, None, describe(user))
    return password


def change_own_password(user: User, current: str, new: str) -> User:
    """Replace a password after checking the current one; clears a reset's demand."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("the current password is wrong")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if new == current:
        raise AccountError("choose a password different from the current one")
    user.password_hash = generate_password_hash(new)
    user.must_change_password = False
    db.session.flush()
    audit.record(user.username, "user.change_password", "user", user.id, None, describe(user))
    return user


def create_user_with_first_password(
    username: str,
    password: str,
    role: Role,
    utility: Utility | None,
    display_name: str,
    actor: str,
) -> User:
    """An account an admin opens with a first password, which its owner must replace at
    their first sign-in."""
    user = create_user(username, password, role, utility, display_name, actor)
    user.must_change_password = True
    db.session.flush()
    return user
