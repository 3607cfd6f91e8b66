"""Editor, reviewer and admin accounts: creation, usernames and passwords, password checks,
and ending an account's sessions.

Guessing is slowed down per address by the web layer's rate limiter, never by locking an
account: a lock would tell a guesser which usernames exist and let anyone keep a reviewer out.
"""

from __future__ import annotations

import enum
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from services.db import db
from services.models import Role, User, Utility
from services.publishing import audit

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# After NFKC and case folding, which turn full-width letters into ASCII ones: only ASCII is
# left, so no username can look like another one written in another script.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
# Compared against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """An account that cannot be created as asked; the message says why."""


class LoginOutcome(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


def normalize_username(username: str) -> str:
    """A username as stored and compared: NFKC (full width to ASCII), case-folded, trimmed."""
    return unicodedata.normalize("NFKC", username).casefold().strip()


def user_by_username(username: str) -> User | None:
    """The account with this username, however its case or width was typed, or None."""
    name = normalize_username(username)
    if not USERNAME.fullmatch(name):
        return None
    return db.session.scalar(select(User).where(func.lower(User.username) == name))


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password is too easy to guess, or None: too short, a common password (also
    with digits or signs around it), one short run repeated, or the username inside it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    folded = unicodedata.normalize("NFKC", password).casefold()
    common = _common_passwords()
    core = folded.strip("0123456789!@#$%^&*()_+-=.,;:?~ ")
    if folded in common or (len(core) >= 4 and core in common):
        return "the password is one of the most common passwords"
    if any(folded == folded[:n] * (len(folded) // n) for n in range(1, 5)):
        return "the password repeats a few characters"
    name = normalize_username(username)
    if len(name) >= 3 and name in folded:
        return "the password must not contain the username"
    return None


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
    """Add an account; an editor belongs to exactly one utility, other roles to none.

    The username is stored normalised (see normalize_username); it must then be 2–80 of
    a–z, 0–9, dot, dash and underscore.
    """
    username = normalize_username(username)
    if not username:
        raise AccountError("a username is required")
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "a username may hold only letters a-z, digits, dots, dashes and underscores"
        )
    if user_by_username(username):
        raise AccountError(f"the username {username!r} is taken")
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
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


def attempt_login(username: str, password: str) -> LoginResult:
    """Check a password; an unknown username costs the same time and gets the same answer.

    Failures are counted for the audit trail only: no account is ever locked.
    """
    user = user_by_username(username)
    if user is None or not user.is_active:
        check_password_hash(_DUMMY_HASH, password)
        audit.record(username, "login.failed", "user", username, None, {"reason": "unknown"})
        return LoginResult(LoginOutcome.FAILED)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        audit.record(
            user.username,
            "login.failed",
            "user",
            user.id,
            None,
            {"failed_logins": user.failed_logins},
        )
        return LoginResult(LoginOutcome.FAILED)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(user.username, "login", "user", user.id)
    return LoginResult(LoginOutcome.OK, user=user)


def end_sessions(user: User) -> None:
    """End every session of the account, on every device (signing out does this)."""
    user.session_version = (user.session_version or 0) + 1


def set_password(user: User, password: str, actor: str = audit.SYSTEM) -> None:
    """Give the account a new password, if it is hard enough to guess, and end its sessions."""
    problem = password_problem(password, user.username)
    if problem:
        raise AccountError(problem)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)
    db.session.flush()
    audit.record(actor, "user.password", "user", user.id, None, {"username": user.username})


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
