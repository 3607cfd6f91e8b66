"""Information requests: tracking numbers, the working-day deadline across the Spring
Festival and National Day, the clock stopped for clarification, one extension, the steps,
throttling and the purge of applicants' contacts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from services.calendar import working_days as calendar
from services.clock import city_zone
from services.db import db
from services.models import AuditEvent, Role
from services.requests import deadlines, files, handling
from services.requests.handling import RequestError
from services.requests.models import InfoRequestContact, Outcome, RequestStatus, StepKind
from tests.factories import make_info_request, make_user, make_utility


@pytest.fixture
def seeded(ctx):
    """The official calendars from 2026 on, as the package has them (rolled back)."""
    return calendar.seed_holidays(first_year=2026)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=city_zone())


def test_tracking_numbers_are_long_random_and_typed_in_any_usual_way(ctx):
    request = make_info_request()
    assert len(request.tracking) == 12
    assert set(request.tracking) <= set(handling.ALPHABET)
    printed = handling.grouped(request.tracking)
    assert printed.count("-") == 2
    assert handling.find(printed.lower()) is request
    assert handling.find(" " + printed + " ") is request
    assert handling.find("0000-0000-0000") is None
    assert handling.find("short") is None
    assert make_info_request().tracking != request.tracking


def test_twenty_working_days_run_over_the_spring_festival_2026(seeded):
    request = make_info_request(now=at("2026-02-02T09:00"))
    assert request.received_on == date(2026, 2, 2)
    # 14 and 28 February are worked Saturdays; 15 to 23 February are off.
    assert request.due_on == date(2026, 3, 6)


def test_a_request_after_hours_is_received_the_next_working_day(seeded):
    request = make_info_request(now=at("2026-09-30T18:00"))
    assert request.received_on == date(2026, 10, 8)


def test_national_day_2026_and_the_extension_once_only(seeded):
    request = make_info_request(now=at("2026-09-15T09:00"))
    # 20 September is a worked Sunday; 25 September and 1 to 7 October are off.
    assert request.due_on == date(2026, 10, 19)
    staff = make_user(Role.EDITOR, request.utility)
    with pytest.raises(RequestError) as refused:
        handling.extend(request, staff, "  ", date(2026, 10, 9))
    assert refused.value.code == "reason"
    handling.extend(request, staff, "需要调取档案", date(2026, 10, 9))
    assert request.due_on == date(2026, 11, 16)
    with pytest.raises(RequestError) as again:
        handling.extend(request, staff, "还要再查", date(2026, 10, 12))
    assert again.value.code == "extended"


def test_the_clock_stops_for_clarification_and_the_due_date_moves(seeded):
    request = make_info_request(now=at("2026-09-15T09:00"))
    staff = make_user(Role.EDITOR, request.utility)
    handling.acknowledge(request, staff, date(2026, 9, 16))
    handling.ask_clarification(request, staff, "请说明所指年份", date(2026, 9, 18))
    assert request.status == RequestStatus.WAITING
    with pytest.raises(RequestError):
        handling.reply(request, staff, "答复", date(2026, 9, 21))
    handling.record_clarification(request, staff, "指2025年", date(2026, 9, 24))
    # 20 (worked Sunday), 21, 22, 23 and 24 September did not count: five working days.
    assert request.stopped_days == 5
    assert request.due_on == date(2026, 10, 26)
    handling.extend(request, staff, "需要调取档案", date(2026, 10, 20))
    assert request.due_on == date(2026, 11, 23)
    kinds = [step.kind for step in request.steps]
    assert kinds == [
        StepKind.RECEIVED,
        StepKind.ACKNOWLEDGED,
        StepKind.CLARIFICATION_ASKED,
        StepKind.CLARIFICATION_ANSWERED,
        StepKind.EXTENDED,
    ]
    assert [step.due_on for step in request.steps][-2:] == [date(2026, 10, 26), date(2026, 11, 23)]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "info_request")
    ).all()
    assert "request.clarification_asked" in actions and "request.extended" in actions


def test_a_utility_sets_its_own_limits(seeded):
    utility = make_utility()
    deadlines.set_limits(utility, 15, 15, "admin")
    request = make_info_request(utility, now=at("2026-09-15T09:00"))
    assert request.working_days == 15
    assert request.due_on == date(2026, 10, 12)
    with pytest.raises(deadlines.LimitError):
        deadlines.set_limits(utility, 0, 15, "admin")


def test_refusing_needs_a_reason_and_a_stale_version_is_refused(ctx):
    request = make_info_request()
    staff = make_user(Role.EDITOR, request.utility)
    with pytest.raises(RequestError) as stale:
        handling.acknowledge(request, staff, date(2026, 9, 16), version=request.version + 1)
    assert stale.value.code == "stale"
    with pytest.raises(RequestError) as no_reason:
        handling.close(request, staff, Outcome.REFUSED, "", date(2026, 9, 20))
    assert no_reason.value.code == "reason"
    handling.reply(request, staff, "所申请信息见附件", date(2026, 9, 20))
    handling.close(request, staff, Outcome.DISCLOSED, "", date(2026, 9, 20))
    assert request.status == RequestStatus.CLOSED and request.replied_on == date(2026, 9, 20)


def test_missing_fields_control_characters_and_throttling(ctx):
    utility = make_utility()
    with pytest.raises(RequestError) as missing:
        make_info_request(utility, name="")
    assert missing.value.code == "missing"
    with pytest.raises(RequestError) as control:
        make_info_request(utility, description="信息\x00")
    assert control.value.code == "control"
    for _ in range(2):
        make_info_request(utility, source="kiosk-1", per_hour=2)
    with pytest.raises(RequestError) as throttled:
        make_info_request(utility, source="kiosk-1", per_hour=2)
    assert throttled.value.code == "too_many"


def test_contacts_of_long_closed_requests_are_purged_and_audited(ctx):
    old = make_info_request()
    recent = make_info_request(old.utility)
    staff = make_user(Role.EDITOR, old.utility)
    handling.close(old, staff, Outcome.NOT_EXIST, "", date(2026, 1, 5))
    handling.close(recent, staff, Outcome.NOT_EXIST, "", date(2026, 9, 1))
    assert handling.contact_for_staff(old, staff.username).name == "张三"
    purged = handling.purge_contacts(at("2026-09-30T12:00"), timedelta(days=180))
    assert purged == 1
    assert db.session.get(InfoRequestContact, old.id) is None
    assert db.session.get(InfoRequestContact, recent.id) is not None
    assert old.contact_purged_at is not None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "request.contact_read" in actions and "request.contacts_purged" in actions


@pytest.mark.parametrize(
    ("uploads", "code", "name"),
    [
        ([("a.pdf", b"")], "empty", "a.pdf"),
        ([("big.pdf", b"%PDF-" + b"x" * 100)], "too_large", "big.pdf"),
        ([("page.html", b"<html><script>")], "kind", "page.html"),
        ([("svg.png", b"<svg onload=alert(1)>")], "kind", "svg.png"),
        ([(f"{n}.pdf", b"%PDF-1") for n in range(11)], "too_many", ""),
    ],
)
def test_reply_files_are_judged_by_their_content_before_any_is_kept(uploads, code, name):
    with pytest.raises(files.FileProblem) as refused:
        files.check_files(uploads, max_bytes=50)
    assert (refused.value.code, refused.value.name) == (code, name)


def test_a_reply_files_name_keeps_no_path_or_control_characters_and_tells_its_kind():
    (checked,) = files.check_files([("C:\\scan\\..\\回复\x07.exe", b"\xff\xd8\xff\xe0")], 50)
    assert (checked.name, checked.media_type) == ("回复_.jpg", "image/jpeg")
    assert files.clean_name("", ".pdf") == "file.pdf"
