"""Working-day arithmetic over the official 2026 calendar (国办发明电〔2025〕7号)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from sqlalchemy import delete, select

from services.calendar import working_days as calendar
from services.db import db
from services.models import Holiday, HolidayKind, Setting

WORKING_DAYS = "working_days"


@pytest.fixture
def seeded(ctx):
    """The official calendars from 2026 on, as the package has them (rolled back)."""
    return calendar.seed_holidays(first_year=2026)


def due(start: str, value: int, unit: str = WORKING_DAYS) -> calendar.DueDate:
    return calendar.due_date(datetime.fromisoformat(start), {"value": value, "unit": unit})


def days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_spring_festival_2026_is_off_from_february_15_to_23(seeded):
    assert not any(calendar.is_working_day(day) for day in days("2026-02-15", "2026-02-23"))
    assert calendar.is_working_day(date(2026, 2, 24))


def test_spring_festival_2026_is_made_up_on_saturdays_february_14_and_28(seeded):
    assert calendar.is_working_day(date(2026, 2, 14))
    assert calendar.is_working_day(date(2026, 2, 28))
    assert db.session.get(Holiday, date(2026, 2, 14)).kind == HolidayKind.WORKDAY
    assert not calendar.is_working_day(date(2026, 2, 7))  # an ordinary Saturday


def test_national_day_2026_is_off_from_october_1_to_7_and_made_up_on_september_20_and_october_10(
    seeded,
):
    assert not any(calendar.is_working_day(day) for day in days("2026-10-01", "2026-10-07"))
    assert calendar.is_working_day(date(2026, 9, 20))  # a Sunday
    assert calendar.is_working_day(date(2026, 10, 10))  # a Saturday
    assert calendar.is_working_day(date(2026, 10, 8))


def test_seeding_stops_at_the_last_year_the_package_has_from_the_official_notice(seeded):
    assert seeded.years == [2026]
    assert seeded.known_until == calendar.known_until() == date(2026, 12, 31)


def test_a_year_the_package_only_guesses_is_not_stored(seeded):
    assert holidays.China(years=2027)  # the package would answer for 2027 ...
    assert calendar.official_days(2027) == {}
    stored = db.session.scalars(select(Holiday).where(Holiday.on >= date(2027, 1, 1)))
    assert [row for row in stored if row.source == "package"] == []  # ... but nothing is kept


def test_seeding_twice_changes_nothing(seeded):
    before = [(r.on, r.kind, r.name) for r in calendar.days_from(date(2026, 1, 1))]
    calendar.seed_holidays(first_year=2026)
    assert [(r.on, r.kind, r.name) for r in calendar.days_from(date(2026, 1, 1))] == before


def test_working_days_skip_the_spring_festival_but_count_its_adjusted_saturday(seeded):
    # Friday 13 Feb: day 1 is Saturday 14 (worked), days 2-5 are 24-27 Feb.
    assert due("2026-02-13T10:00", 5) == calendar.DueDate(
        date(2026, 2, 27), False, date(2026, 12, 31)
    )


def test_working_days_after_national_day_end_on_the_adjusted_saturday(seeded):
    assert due("2026-09-30T10:00", 3).on == date(2026, 10, 10)


def test_one_working_day_from_a_friday_before_national_day_is_the_adjusted_sunday(seeded):
    assert due("2026-09-18T10:00", 1).on == date(2026, 9, 20)


def test_an_application_made_on_a_holiday_is_counted_from_the_next_working_day(seeded):
    # Received Tuesday 24 Feb, the first working day after the festival; day 1 is 25 Feb.
    assert due("2026-02-18T10:00", 1).on == date(2026, 2, 25)
    assert due("2026-02-18T10:00", 4).on == date(2026, 2, 28)
    assert due("2026-10-03T09:00", 2).on == date(2026, 10, 10)


def test_an_application_made_after_hours_is_received_the_next_working_day(seeded):
    assert due("2026-02-13T16:59", 1).on == date(2026, 2, 14)
    assert due("2026-02-13T17:00", 1).on == date(2026, 2, 24)


def test_a_timezone_aware_start_is_read_in_the_city_time(seeded):
    # 08:30 UTC is 16:30 in Shanghai (still open); 09:30 UTC is 17:30 (closed).
    assert calendar.due_date(
        datetime.fromisoformat("2026-02-13T08:30+00:00"), {"value": 1, "unit": WORKING_DAYS}
    ).on == date(2026, 2, 14)
    assert calendar.due_date(
        datetime.fromisoformat("2026-02-13T09:30+00:00"), {"value": 1, "unit": WORKING_DAYS}
    ).on == date(2026, 2, 24)


def test_calendar_days_run_through_holidays_but_end_on_a_working_day(seeded):
    assert due("2026-03-02T10:00", 3, "calendar_days").on == date(2026, 3, 5)
    # Five days after 10 Feb is Sunday 15 Feb, inside the festival: it ends on 24 Feb.
    assert due("2026-02-10T10:00", 5, "calendar_days").on == date(2026, 2, 24)


def test_hours_run_through_nights_and_holidays(seeded):
    assert due("2026-09-30T20:00", 24, "hours").on == date(2026, 10, 1)
    late = due("2026-12-31T20:00", 24, "hours")
    assert late.on == date(2027, 1, 1)
    assert not late.is_estimate  # clock hours do not depend on the holiday calendar


def test_on_the_spot_is_today_on_a_working_day_and_the_next_working_day_otherwise(seeded):
    assert due("2026-03-02T10:00", 0, "on_the_spot").on == date(2026, 3, 2)
    assert due("2026-10-01T10:00", 0, "on_the_spot").on == date(2026, 10, 8)


def test_a_date_past_the_known_calendar_is_an_estimate_that_still_skips_new_year(seeded):
    # 1 Jan 2027 is not published yet, but it is a statutory holiday every year.
    result = due("2026-12-24T10:00", 10)
    assert result == calendar.DueDate(date(2027, 1, 8), True, date(2026, 12, 31))


@pytest.mark.parametrize("year", [y for y in range(2016, 2027)])
def test_the_estimate_of_a_year_frees_every_weekday_its_official_calendar_did(year):
    official = calendar.official_days(year)
    off = {day for day, (kind, _) in official.items() if kind == HolidayKind.HOLIDAY}
    # What the estimate must cover: every weekday the State Council's notice gave off.
    assert {day for day in off if day.weekday() < 5} <= set(calendar.estimated_days(year))


def test_years_past_the_official_calendar_get_estimated_holidays_marked_as_such(seeded):
    estimated = db.session.scalars(
        select(Holiday).where(Holiday.on.between(date(2027, 1, 1), date(2029, 12, 31)))
    ).all()
    assert {row.source for row in estimated} == {"estimate"}
    assert {row.on.year for row in estimated} == {2027, 2028, 2029}
    assert all(row.kind == HolidayKind.HOLIDAY and "预计" in row.name for row in estimated)
    # Adjusted workdays are never guessed: working on a Saturday would only make dates earlier.
    assert db.session.get(Holiday, date(2027, 2, 6)) is None  # a Saturday in the block


def test_an_estimate_across_the_spring_festival_2027_skips_the_whole_likely_block(seeded):
    # 正月初一 2027 is Saturday 6 February; the block runs from 4 to 13 February.
    result = due("2027-02-03T10:00", 5)
    assert result.on == date(2027, 2, 19) and result.is_estimate
    assert not any(calendar.is_working_day(day) for day in days("2027-02-04", "2027-02-14"))


def test_national_day_and_mid_autumn_together_are_estimated_as_eight_days(seeded):
    # Mid-Autumn 2028 is 3 October: the block runs to the 8th, as in 2020 and 2025.
    assert not any(calendar.is_working_day(day) for day in days("2028-10-01", "2028-10-08"))
    assert calendar.is_working_day(date(2028, 10, 9))


def test_an_admin_decision_on_an_estimated_day_survives_a_reseed(seeded):
    calendar.set_day(date(2027, 2, 12), HolidayKind.WORKDAY, "本市安排上班")
    calendar.seed_holidays(first_year=2026)
    row = db.session.get(Holiday, date(2027, 2, 12))
    assert (row.kind, row.source) == (HolidayKind.WORKDAY, "admin")


def test_a_date_on_the_last_known_day_is_not_an_estimate(seeded):
    assert due("2026-12-30T10:00", 1) == calendar.DueDate(
        date(2026, 12, 31), False, date(2026, 12, 31)
    )


def test_every_date_is_an_estimate_without_a_known_calendar(ctx):
    db.session.execute(delete(Setting).where(Setting.key == calendar.KNOWN_UNTIL_KEY))
    assert due("2026-03-02T10:00", 1) == calendar.DueDate(date(2026, 3, 3), True, None)


def test_an_admin_holiday_and_an_admin_workday_survive_a_reseed(seeded):
    calendar.set_day(date(2026, 10, 9), HolidayKind.HOLIDAY, "城市纪念日")
    calendar.set_day(date(2026, 10, 10), HolidayKind.HOLIDAY, "临时调整")
    calendar.seed_holidays(first_year=2026)
    assert db.session.get(Holiday, date(2026, 10, 9)).source == "admin"
    assert db.session.get(Holiday, date(2026, 10, 10)).kind == HolidayKind.HOLIDAY
    assert not calendar.is_working_day(date(2026, 10, 10))
    assert due("2026-09-30T10:00", 1).on == date(2026, 10, 8)
    assert due("2026-09-30T10:00", 2).on == date(2026, 10, 12)


def test_removing_an_override_puts_the_official_day_back(seeded):
    calendar.set_day(date(2026, 10, 10), HolidayKind.HOLIDAY)
    calendar.set_day(date(2026, 10, 9), HolidayKind.HOLIDAY)
    assert calendar.remove_override(date(2026, 10, 10))
    assert calendar.remove_override(date(2026, 10, 9))
    restored = db.session.get(Holiday, date(2026, 10, 10))
    assert (restored.kind, restored.source) == (HolidayKind.WORKDAY, "package")
    assert db.session.get(Holiday, date(2026, 10, 9)) is None
    assert not calendar.remove_override(date(2026, 10, 1))  # an official day, no override


def test_seeding_never_moves_the_known_date_back(seeded):
    calendar.set_known_until(date(2027, 12, 31))
    assert calendar.seed_holidays(first_year=2026).known_until == date(2027, 12, 31)


@pytest.mark.parametrize(
    ("start", "limit", "changes_at"),
    [
        ("2026-02-13T10:00", {"value": 5, "unit": "working_days"}, "2026-02-13T17:00"),
        ("2026-02-13T17:00", {"value": 5, "unit": "working_days"}, "2026-02-14T00:00"),
        ("2026-02-13T23:59", {"value": 5, "unit": "calendar_days"}, "2026-02-14T00:00"),
        # A moment in hours or minutes is shown to the minute: it moves with the next one.
        ("2026-02-13T10:30:20", {"value": 48, "unit": "hours"}, "2026-02-13T10:31"),
        ("2026-02-13T23:59", {"value": 45, "unit": "minutes"}, "2026-02-14T00:00"),
    ],
)
def test_a_due_date_holds_until_the_cut_off_midnight_or_the_next_minute(
    ctx, start, limit, changes_at
):
    moment = datetime.fromisoformat(start)
    later = calendar.due_date_changes_at(moment, limit)
    assert later == datetime.fromisoformat(changes_at)
    assert calendar.due_date(moment, limit) == calendar.due_date(
        later - timedelta(minutes=1), limit
    )


def test_removing_an_override_past_the_official_calendar_puts_the_estimate_back(seeded):
    national_day = date(2028, 10, 3)  # past the official calendar: an estimated day off
    assert db.session.get(Holiday, national_day).source == "estimate"
    calendar.set_day(national_day, HolidayKind.WORKDAY, "临时调整")
    assert calendar.is_working_day(national_day)
    assert calendar.remove_override(national_day)
    restored = db.session.get(Holiday, national_day)
    assert (restored.kind, restored.source) == (HolidayKind.HOLIDAY, "estimate")
    assert not calendar.is_working_day(national_day)
