"""Signing up to attend a hearing: only until the announced deadline, never for a
consultation, throttled, read by staff with an audit entry, and erased after retention."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from services.clock import city_zone
from services.db import db
from services.hearings import publishing, signups
from services.hearings.models import HearingKind, HearingSignup, SignupRole
from services.models import AuditEvent
from tests.factories import make_hearing

NOW = datetime(2026, 9, 15, 9, 0, tzinfo=city_zone())


def take(hearing, when=NOW, source="src", **fields):
    values = {"name": "孙八", "contact": "13600000000", "represents": "居民用户"} | fields
    return signups.sign_up(
        hearing, SignupRole.PARTICIPANT, source=source, now=when, per_hour=3, **values
    )


def test_a_hearing_takes_signups_until_its_deadline_and_counts_them(ctx):
    hearing = make_hearing(now=NOW)  # sign-up closes on day 7, the meeting is on day 10
    take(hearing)
    signups.sign_up(hearing, SignupRole.OBSERVER, "周九", "zhou@example.cn", "", "b", NOW, 3)
    assert signups.signup_counts(hearing) == {SignupRole.PARTICIPANT: 1, SignupRole.OBSERVER: 1}
    with pytest.raises(signups.SignupError) as shut:
        take(hearing, when=NOW + timedelta(days=7))
    assert shut.value.code == "signup_shut"
    assert signups.signup_is_open(hearing, NOW + timedelta(days=6, hours=23))


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": " "}, "missing"),
        ({"contact": ""}, "missing"),
        ({"name": "张" * 81}, "too_long"),
        ({"contact": "136\x07"}, "control"),
    ],
)
def test_a_signup_needs_a_name_and_a_contact_that_can_be_stored(ctx, fields, code):
    hearing = make_hearing(now=NOW)
    with pytest.raises(signups.SignupError) as refused:
        take(hearing, **fields)
    assert refused.value.code == code
    assert db.session.scalar(select(HearingSignup)) is None


def test_one_source_cannot_fill_the_room(ctx):
    hearing = make_hearing(now=NOW)
    for _ in range(3):
        take(hearing, source="same")
    with pytest.raises(signups.SignupError) as refused:
        take(hearing, source="same")
    assert refused.value.code == "too_many"
    take(hearing, source="same", when=NOW + timedelta(hours=1, minutes=1))


def test_a_consultation_has_no_signup(ctx):
    hearing = make_hearing(now=NOW, kind=HearingKind.CONSULTATION, held_at=None, place="")
    assert hearing.signup_close_at is None and not signups.takes_signups(hearing)
    with pytest.raises(signups.SignupError):
        take(hearing)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"signup_close_at": None}, "signup_missing"),
        ({"signup_close_at": NOW + timedelta(days=11)}, "signup_window"),
        ({"signup_close_at": NOW - timedelta(hours=1)}, "signup_window"),
        ({"signup_places": 0}, "signup_places"),
    ],
)
def test_a_hearing_announces_a_signup_deadline_before_its_meeting(ctx, overrides, code):
    with pytest.raises(publishing.HearingError) as refused:
        make_hearing(now=NOW, **overrides)
    assert refused.value.code == code


def test_staff_reading_is_audited_and_contacts_are_erased_after_retention(ctx):
    hearing = make_hearing(now=NOW)
    take(hearing)
    (found,) = signups.signups_for_staff(hearing, "editor1")
    assert found.contact == "13600000000"
    read = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hearing.signups_read"))
    assert read.actor == "editor1"
    retention = timedelta(days=180)
    assert signups.purge_contacts(NOW + timedelta(days=10 + 179), retention) == 0
    assert signups.purge_contacts(NOW + timedelta(days=10 + 181), retention) == 1
    assert (found.name, found.contact, found.represents) == ("", "", "")
    assert found.role == SignupRole.PARTICIPANT  # the count survives the purge
