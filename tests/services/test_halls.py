"""Opening state of a hall: weekly hours, the hall's exceptions and the public holidays."""

from __future__ import annotations

from datetime import date, datetime

from services.calendar import working_days as calendar
from services.catalogue import halls
from services.clock import city_zone
from services.models import Hall, HolidayKind

WEEKDAYS = {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}
SATURDAY = {"weekdays": [6], "opens": "09:00", "closes": "12:00"}
# 2031-03-03 is a Monday; the dates below are chosen in a year no fixture touches.
MONDAY = date(2031, 3, 3)


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=city_zone())


def make_hall(**fields) -> Hall:
    """A hall that is never saved: the opening rules need only its fields."""
    defaults = dict(
        slug="test-hall",
        name="测试大厅",
        opening_hours=[WEEKDAYS, SATURDAY],
        exceptions=[],
        settings={},
    )
    return Hall(**(defaults | fields))


def test_a_hall_is_open_within_its_weekly_hours_and_closed_outside_them(ctx):
    hall = make_hall()
    assert halls.is_open(hall, at(MONDAY, "09:00"))
    assert halls.is_open(hall, at(MONDAY, "16:59"))
    assert not halls.is_open(hall, at(MONDAY, "08:59"))
    assert not halls.is_open(hall, at(MONDAY, "17:00"))
    assert not halls.is_open(hall, at(date(2031, 3, 9), "10:00"))  # a Sunday


def test_a_naive_time_is_read_as_the_city_time(ctx):
    assert halls.is_open(make_hall(), datetime(2031, 3, 3, 9, 30))


def test_next_opening_after_saturday_noon_is_monday_morning(ctx):
    saturday_afternoon = at(date(2031, 3, 8), "12:30")
    assert halls.next_opening(make_hall(), saturday_afternoon) == at(date(2031, 3, 10), "09:00")


def test_next_opening_before_the_doors_open_is_the_same_morning(ctx):
    assert halls.next_opening(make_hall(), at(MONDAY, "07:00")) == at(MONDAY, "09:00")


def test_a_lunch_break_closes_the_hall_until_the_afternoon(ctx):
    hall = make_hall(
        opening_hours=[
            {"weekdays": [1], "opens": "09:00", "closes": "12:00"},
            {"weekdays": [1], "opens": "13:30", "closes": "17:00"},
        ]
    )
    assert not halls.is_open(hall, at(MONDAY, "12:30"))
    assert halls.next_opening(hall, at(MONDAY, "12:30")) == at(MONDAY, "13:30")


def test_an_exception_closes_the_hall_for_the_whole_day(ctx):
    hall = make_hall(exceptions=[{"on": "2031-03-03", "closed": True, "note": "设备检修"}])
    assert not halls.is_open(hall, at(MONDAY, "10:00"))
    assert halls.next_opening(hall, at(MONDAY, "08:00")) == at(date(2031, 3, 4), "09:00")
    assert halls.closures(hall, MONDAY, date(2031, 3, 9)) == [halls.Closure(MONDAY, "设备检修")]


def test_an_exception_can_give_one_day_its_own_hours(ctx):
    hall = make_hall(exceptions=[{"on": "2031-03-03", "opens": "13:00", "closes": "15:00"}])
    assert not halls.is_open(hall, at(MONDAY, "10:00"))
    assert halls.is_open(hall, at(MONDAY, "14:00"))
    assert [(p.opens, p.closes) for p in halls.hours_on(hall, MONDAY)] == [
        (at(MONDAY, "13:00"), at(MONDAY, "15:00"))
    ]


def test_a_public_holiday_closes_the_hall_unless_its_settings_say_otherwise(ctx):
    calendar.set_day(MONDAY, HolidayKind.HOLIDAY, "测试节")
    assert not halls.is_open(make_hall(), at(MONDAY, "10:00"))
    assert halls.closures(make_hall(), MONDAY, MONDAY) == [halls.Closure(MONDAY, "测试节")]
    always = make_hall(settings={"closed_on_public_holidays": False})
    assert halls.is_open(always, at(MONDAY, "10:00"))


def test_an_exception_that_keeps_the_hall_open_outranks_a_public_holiday(ctx):
    calendar.set_day(MONDAY, HolidayKind.HOLIDAY, "测试节")
    hall = make_hall(exceptions=[{"on": "2031-03-03", "closed": False, "note": "照常办公"}])
    assert halls.is_open(hall, at(MONDAY, "10:00"))


def test_an_adjusted_workday_opens_with_the_hours_of_a_working_day(ctx):
    sunday = date(2031, 3, 9)
    calendar.set_day(sunday, HolidayKind.WORKDAY, "调休上班")
    assert halls.is_open(make_hall(), at(sunday, "16:00"))
    assert not halls.is_open(
        make_hall(settings={"closed_on_public_holidays": False}), at(sunday, "16:00")
    )


def test_hours_to_midnight_run_on_into_the_next_day_without_a_new_opening(ctx):
    hall = make_hall(
        opening_hours=[{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]
    )
    assert halls.is_open(hall, at(MONDAY, "23:59"))
    assert halls.is_open(hall, at(date(2031, 3, 4), "00:00"))
    assert halls.next_opening(hall, at(MONDAY, "12:00")) is None


def test_a_hall_without_hours_never_opens(ctx):
    hall = make_hall(opening_hours=[])
    assert not halls.is_open(hall, at(MONDAY, "10:00"))
    assert halls.next_opening(hall, at(MONDAY, "10:00")) is None
