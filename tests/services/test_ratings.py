"""Ratings and their rectification cases as the services keep them: the checks on what a
resident sends, due dates in working days over the holiday calendar, each step of a case
with its audit row, what is published, and the purge of phone numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services import clock
from services.calendar import working_days as calendar
from services.db import db
from services.models import AuditEvent, Role
from services.publishing import audit
from services.ratings import cases, contacts, taking
from services.ratings.models import CaseStatus, RatingContact
from tests.factories import make_bad_review, make_item, make_revision, make_user


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>材料</b>太多<script>alert(1)</script>", "材料 太多 alert(1)"),
        ("&lt;img src=x onerror=alert(1)&gt;窗口", "窗口"),
        ("  两个\t空格  ", "两个 空格"),
        ("ｆｕｌｌ\u200bwidth", "fullwidth"),
    ],
)
def test_text_is_stripped_of_markup_and_control_characters(raw, expected):
    assert taking.plain_text(raw) == expected


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0571-88886666", "057188886666"),
    ],
)
def test_phone_numbers_are_kept_as_digits(phone, stored):
    form = taking.read_form("1", ["other"], "", phone)
    assert not form.problems and form.phone == stored


@pytest.mark.parametrize("phone", ["12345", "23800138000", "138001380001", "电话"])
def test_a_phone_number_that_cannot_be_called_is_refused(phone):
    assert taking.read_form("1", ["other"], "", phone).problems == {"phone": "phone"}


def test_a_good_rating_carries_no_reasons_text_or_phone():
    form = taking.read_form("5", ["other"], "很好", "13800138000")
    assert (form.reasons, form.comment, form.phone, form.problems) == ([], "", "", {})


def test_unknown_reasons_are_dropped_and_levels_outside_five_refused():
    assert taking.read_form("2", ["evil", "attitude"], "", "").reasons == ["attitude"]
    assert taking.read_form("6", [], "", "").problems == {"level": "level"}
    assert taking.read_form("0", [], "", "").problems == {"level": "level"}


@pytest.fixture
def seeded(ctx):
    return calendar.seed_holidays(first_year=2026)


def test_a_bad_review_is_due_ten_working_days_later_across_the_national_day_holiday(
    seeded, monkeypatch
):
    # 2026-09-30 (Wed) 10:00: received that day; Oct 1–7 are off, Sep 27 and Oct 10 worked.
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-09-30T10:00:00")
    case = make_bad_review()
    assert case.working_days == 10 and case.status == CaseStatus.OPEN
    expected = calendar.due_date(clock.now(), {"value": 10, "unit": "working_days"}).on
    assert case.due_on == expected
    assert case.due_on > date(2026, 10, 14)  # more than 10 calendar days: the holiday is skipped


def test_the_city_sets_its_own_number_of_working_days(ctx, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-30T10:00:00")  # a Monday
    cases.set_case_working_days(5, "admin")
    case = make_bad_review()
    assert case.working_days == 5 and case.due_on == date(2026, 12, 7)
    with pytest.raises(cases.CaseError):
        cases.set_case_working_days(0, "admin")


def steps_of(case) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "rectification_case", AuditEvent.entity_id == str(case.id))
            .order_by(AuditEvent.id)
        )
    )


def test_a_valid_case_is_verified_called_back_put_right_closed_and_published(ctx):
    item = make_revision().item
    case = make_bad_review(item, phone="13800138000", reasons=["fees_differ"])
    editor = make_user(Role.EDITOR, item.utility)
    reviewer = make_user(Role.REVIEWER)
    cases.verify(case, editor, True, "")
    cases.record_call_back(case, editor, "已向评价人说明")
    changed = make_revision(item)
    cases.record_action(case, editor, "收费表已更正", changed.id)
    assert cases.published_for_item(item.id) == []
    cases.close(case, reviewer)
    assert case.status == CaseStatus.CLOSED and case.closed_by_id == reviewer.id
    assert steps_of(case) == ["open", "verify", "call_back", "act", "close"]
    (published,) = cases.published_for_item(item.id)
    assert published.reasons == ["fees_differ"] and published.action_taken == "收费表已更正"
    assert published.revision_id == changed.id and published.on_time
    # Anonymised: nothing of the resident's own is carried.
    assert "13800138000" not in repr(published)
    assert "窗口要求的材料和指南不一样" not in repr(published)
    assert audit.verify_chain().is_ok


def test_a_case_held_not_valid_needs_a_reason_and_a_reviewer(ctx):
    item = make_revision().item
    case = make_bad_review(item)
    editor, reviewer = make_user(Role.EDITOR, item.utility), make_user(Role.REVIEWER)
    with pytest.raises(cases.CaseError, match="reason"):
        cases.verify(case, editor, False, " ")
    cases.verify(case, editor, False, "评价人所说的窗口不属于本单位")
    assert case.status == CaseStatus.DISPUTED
    cases.close(case, reviewer, agree=False)
    assert case.status == CaseStatus.VALID and case.is_valid
    cases.record_action(case, editor, "已与窗口核对")
    cases.close(case, reviewer)
    assert [p.id for p in cases.published_for_item(item.id)] == [case.id]


def test_a_case_agreed_not_valid_is_closed_but_not_published(ctx):
    item = make_revision().item
    case = make_bad_review(item)
    cases.verify(case, make_user(Role.EDITOR, item.utility), False, "重复评价")
    cases.close(case, make_user(Role.REVIEWER), agree=True)
    assert case.status == CaseStatus.CLOSED and case.is_valid is False
    assert cases.published_for_item(item.id) == []


def test_steps_out_of_order_or_on_a_stale_version_are_refused(ctx):
    item = make_revision().item
    case = make_bad_review(item)
    editor, reviewer = make_user(Role.EDITOR, item.utility), make_user(Role.REVIEWER)
    with pytest.raises(cases.CaseError, match="state"):
        cases.record_action(case, editor, "已整改")
    with pytest.raises(cases.CaseError, match="state"):
        cases.close(case, reviewer)
    with pytest.raises(cases.CaseError, match="no_phone"):
        cases.record_call_back(case, editor, "")
    with pytest.raises(cases.CaseError, match="stale"):
        cases.verify(case, editor, True, "", version=case.version + 1)
    cases.verify(case, editor, True, "")
    with pytest.raises(cases.CaseError, match="action"):
        cases.close(case, reviewer)
    other_item = make_revision(make_item(item.utility))
    with pytest.raises(cases.CaseError, match="revision"):
        cases.record_action(case, editor, "已整改", other_item.id)


def test_open_cases_come_soonest_due_first_and_overdue_ones_are_flagged(ctx, monkeypatch):
    item = make_revision().item
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-02T10:00:00")
    early = make_bad_review(item)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-20T10:00:00")
    late = make_bad_review(item)
    listed = [c.id for c in cases.open_cases(item.utility)]
    assert listed.index(early.id) < listed.index(late.id)
    assert cases.is_overdue(early) and not cases.is_overdue(late)
    assert early.id not in [c.id for c in cases.open_cases(make_item().utility)]


def test_only_the_utilitys_staff_and_admins_may_see_a_phone_and_each_showing_is_audited(ctx):
    item = make_revision().item
    case = make_bad_review(item, phone="13800138000")
    editor = make_user(Role.EDITOR, item.utility)
    assert contacts.phone_of(case, editor) == "13800138000"
    assert contacts.phone_of(case, make_user(Role.ADMIN)) == "13800138000"
    for outsider in (make_user(Role.EDITOR), make_user(Role.REVIEWER)):
        assert not contacts.may_see_phone(outsider, case)
        with pytest.raises(PermissionError):
            contacts.phone_of(case, outsider)
    assert steps_of(case).count("view_phone") == 2
    # The audit rows never carry the number itself.
    assert not db.session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.after.is_not(None))
        .where(AuditEvent.entity.in_(("rating", "rectification_case")))
        .where(AuditEvent.after.cast(db.String).contains("13800138000"))
    )


def test_phone_numbers_are_purged_after_their_retention(ctx, monkeypatch):
    item = make_revision().item
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-01-05T10:00:00")
    old = make_bad_review(item, phone="13800138000")
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-06-01T10:00:00")
    recent = make_bad_review(item, phone="13900139000")
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-07-05T10:00:00")  # 181 days after the first
    assert contacts.purge_contacts(180) == 1
    db.session.expire_all()
    assert old.rating.contact is None and recent.rating.contact.phone == "13900139000"
    assert db.session.get(RatingContact, recent.rating_id) is not None
    # The review and its case stay; only the number is gone.
    assert old.rating.level == 2 and old.status == CaseStatus.OPEN
    assert contacts.purge_contacts(180) == 0
    assert clock.utcnow() - timedelta(days=180) > old.opened_at


def test_a_kiosk_taken_out_of_service_keeps_its_ratings(ctx):
    from services.devices import registry as devices
    from services.ratings.models import Rating
    from tests.factories import make_hall, unique

    made, token = devices.create_registration(make_hall(), "kiosk", "测试屏", actor="test")
    device, _secret = devices.register(token)
    item = make_revision().item
    form = taking.read_form("4", [], "", "")
    rating = taking.record_rating(item, item.revisions[-1], form, taking.KIOSK, unique("r"), device)
    devices.remove_device(device, actor="admin")
    db.session.flush()  # PostgreSQL checks the foreign key here
    db.session.expire_all()
    assert db.session.get(Rating, rating.id).level == 4
