"""Accounts: who may be created, password checks, and the slow-down and lock after failures."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from services.clock import utcnow
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


def test_after_a_few_failures_each_attempt_must_wait_longer(ctx, monkeypatch):
    user = new_editor()
    moment = datetime(2026, 3, 2, 9, 0)  # city time
    move_clock(monkeypatch, moment)
    for _attempt in range(accounts.FREE_FAILURES - 1):
        assert accounts.attempt_login(user.username, "wrong").outcome == LoginOutcome.FAILED
    third = accounts.attempt_login(user.username, "wrong")
    assert third.outcome == LoginOutcome.LOCKED
    assert third.retry_at - utcnow() == accounts.FIRST_WAIT
    # While it waits, not even the right password is checked.
    assert accounts.attempt_login(user.username, PASSWORD).outcome == LoginOutcome.LOCKED
    assert last_event().action == "login.refused"
    move_clock(monkeypatch, moment + accounts.FIRST_WAIT)
    fourth = accounts.attempt_login(user.username, "wrong")
    assert fourth.retry_at - utcnow() == 2 * accounts.FIRST_WAIT


def test_a_run_of_failures_locks_the_account_for_a_while(ctx, monkeypatch):
    user = new_editor()
    moment = datetime(2026, 3, 2, 9, 0)
    for _attempt in range(accounts.LOCK_AFTER):
        move_clock(monkeypatch, moment)
        result = accounts.attempt_login(user.username, "wrong")
        moment += timedelta(hours=1)  # always past any short wait
    assert result.outcome == LoginOutcome.LOCKED
    assert result.retry_at - utcnow() == accounts.LOCK_FOR
    move_clock(monkeypatch, moment - timedelta(hours=1) + accounts.LOCK_FOR - timedelta(seconds=1))
    assert accounts.attempt_login(user.username, PASSWORD).outcome == LoginOutcome.LOCKED
    move_clock(monkeypatch, moment - timedelta(hours=1) + accounts.LOCK_FOR)
    assert accounts.attempt_login(user.username, PASSWORD).outcome == LoginOutcome.OK
    assert user.failed_logins == 0 and user.locked_until is None


def test_a_deactivated_account_cannot_sign_in(ctx):
    user = new_editor()
    user.is_active = False
    assert accounts.attempt_login(user.username, PASSWORD).outcome == LoginOutcome.FAILED
