"""Accounts: who may be created, usernames and passwords, and sign-in checks that never lock."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from services.db import db
from services.models import AuditEvent, Role
from services.publishing import accounts
from services.publishing.accounts import LoginOutcome
from tests.factories import make_utility, unique

PASSWORD = "correct horse battery"


def new_editor():
    return accounts.create_user(unique("ed"), PASSWORD, Role.EDITOR, make_utility())


def move_clock(monkeypatch, moment: datetime) -> None:
    monkeypatch.setenv("GONGSHI_FAKE_NOW", moment.isoformat())


def last_event() -> AuditEvent:
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))


def test_a_new_account_keeps_only_a_hash_of_its_password(ctx):
    user = new_editor()
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)
    event = last_event()
    assert (event.action, event.entity_id) == ("user.create", str(user.id))
    assert "password_hash" not in event.after and event.after["role"] == "editor"


@pytest.mark.parametrize(
    ("role", "with_utility", "password", "reason"),
    [
        (Role.EDITOR, False, PASSWORD, "utility"),
        (Role.REVIEWER, True, PASSWORD, "only editors"),
        (Role.ADMIN, False, "short", "at least"),
    ],
)
def test_accounts_that_break_the_rules_are_refused(ctx, role, with_utility, password, reason):
    utility = make_utility() if with_utility else None
    with pytest.raises(accounts.AccountError, match=reason):
        accounts.create_user(unique("user"), password, role, utility)


def test_a_taken_username_is_refused(ctx):
    user = new_editor()
    with pytest.raises(accounts.AccountError, match="taken"):
        accounts.create_user(user.username, PASSWORD, Role.REVIEWER)


def test_the_right_password_signs_in_and_is_audited(ctx):
    user = new_editor()
    result = accounts.attempt_login(user.username, PASSWORD)
    assert result.outcome == LoginOutcome.OK and result.user is user
    assert (last_event().action, last_event().actor) == ("login", user.username)


def test_an_unknown_username_fails_like_a_wrong_password(ctx):
    result = accounts.attempt_login(unique("nobody"), PASSWORD)
    assert result.outcome == LoginOutcome.FAILED and result.user is None
    assert last_event().action == "login.failed"


def test_failures_never_lock_an_account(ctx):
    # Guessers are slowed down per address by the web layer; a lock would let anyone keep
    # the account's owner out.
    user = new_editor()
    for _attempt in range(30):
        assert accounts.attempt_login(user.username, "wrong").outcome == LoginOutcome.FAILED
    assert user.failed_logins == 30
    assert accounts.attempt_login(user.username, PASSWORD).outcome == LoginOutcome.OK
    assert user.failed_logins == 0


def test_a_known_and_an_unknown_username_fail_alike(ctx):
    user = new_editor()
    known = [accounts.attempt_login(user.username, "wrong") for _ in range(10)]
    unknown = [accounts.attempt_login(unique("nobody"), "wrong") for _ in range(10)]
    assert known == unknown == [accounts.LoginResult(LoginOutcome.FAILED)] * 10


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("qwertyuiop", "common"),
        ("password2024!", "common"),
        ("1234567890", "common"),
        ("Sunshine12345", "common"),
        ("aaaaaaaaaaaa", "repeats"),
        ("abcabcabcabc", "repeats"),
        ("my-name-is-carol-x", "username"),
        ("short", "at least"),
    ],
)
def test_easily_guessed_passwords_are_refused(ctx, password, reason):
    with pytest.raises(accounts.AccountError, match=reason):
        accounts.create_user("carol-x", password, Role.REVIEWER)


def test_the_common_password_list_ships_with_the_package():
    assert len(accounts._common_passwords()) == 10_000
    assert accounts.password_problem("correct horse battery") is None


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("typing", [str.title, str.upper, full_width, lambda n: f" {n} "])
def test_usernames_are_stored_and_found_folded(ctx, typing):
    name = unique("alice.wu")
    user = accounts.create_user(name.upper(), PASSWORD, Role.REVIEWER)
    assert user.username == name
    assert accounts.user_by_username(typing(name)) is user


@pytest.mark.parametrize("name", ["аdmin", "admin\u200b", "ad min", "管理员", "a"])
def test_usernames_that_could_pass_for_another_are_refused(ctx, name):
    with pytest.raises(accounts.AccountError, match="username"):
        accounts.create_user(name, PASSWORD, Role.REVIEWER)


def test_a_new_password_ends_every_session_and_is_audited(ctx):
    user = new_editor()
    before = user.session_version
    with pytest.raises(accounts.AccountError, match="common"):
        accounts.set_password(user, "iloveyou123")
    accounts.set_password(user, "a much better passphrase", actor="admin")
    assert user.session_version == before + 1
    assert check_password_hash(user.password_hash, "a much better passphrase")
    event = last_event()
    assert (event.action, event.actor) == ("user.password", "admin")
    assert "password" not in str(event.after).replace("user.password", "")


def test_a_deactivated_account_cannot_sign_in(ctx):
    user = new_editor()
    user.is_active = False
    assert accounts.attempt_login(user.username, PASSWORD).outcome == LoginOutcome.FAILED
