"""Working days and promised dates, from the Holiday table and its "known until" date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from services import clock
from services.db import db
from services.models import Holiday, HolidayKind, Setting

KNOWN_UNTIL_KEY = "calendar_known_until"
PACKAGE, ADMIN = "package", "admin"
# The counting rule. An application is received on the day it is made if that is a working
# day and it comes before CLOSES_AT, otherwise on the next working day: nobody can accept it
# sooner (online applications outside office hours are treated the same way). The day of
# receipt is not counted, counting starts the next day (民法典 Art. 201: 开始的当日不计入), so
# N working days end on the Nth working day after receipt. Working days leave out weekends
# and statutory holidays (行政许可法 Art. 82) and include the adjusted workdays (调休). A
# calendar-day period whose last day is not a working day ends on the next working day
# (民法典 Art. 203). Clock hours run on through nights and holidays.
# 17:00 is when most service halls close; for a hall open later the date shown is on the
# safe side (never earlier than the real one).
CLOSES_AT = time(17, 0)
# The calendar is read from the database a year at a time while counting.
WINDOW = timedelta(days=366)


@dataclass(frozen=True)
class DueDate:
    on: date
    is_estimate: bool
    known_until: date | None = None


@dataclass(frozen=True)
class SeedResult:
    years: list[int]
    known_until: date | None


def known_until() -> date | None:
    """The last day of the officially published calendar, or None if none is stored."""
    setting = db.session.get(Setting, KNOWN_UNTIL_KEY)
    return date.fromisoformat(setting.value) if setting else None


def set_known_until(on: date) -> None:
    """Record the last day of the officially published calendar."""
    setting = db.session.get(Setting, KNOWN_UNTIL_KEY) or Setting(key=KNOWN_UNTIL_KEY)
    setting.value = on.isoformat()
    db.session.add(setting)
    db.session.flush()


def _is_working(day: date, kind: HolidayKind | None) -> bool:
    if kind is None:
        return day.weekday() < 5
    return kind == HolidayKind.WORKDAY


def is_working_day(day: date) -> bool:
    """True on Monday to Friday unless a holiday, and on adjusted workdays (调休)."""
    row = db.session.get(Holiday, day)
    return _is_working(day, row.kind if row else None)


def _working_days_after(day: date) -> Iterator[date]:
    first = day + timedelta(days=1)
    while True:
        last = first + WINDOW
        rows = db.session.execute(
            select(Holiday.on, Holiday.kind).where(Holiday.on.between(first, last))
        )
        kinds = {on: kind for on, kind in rows}
        for offset in range((last - first).days + 1):
            current = first + timedelta(days=offset)
            if _is_working(current, kinds.get(current)):
                yield current
        first = last + timedelta(days=1)


def _local(start: datetime) -> datetime:
    # A naive datetime is already the city's local time (as clock.now() gives it).
    return start.astimezone(clock.city_zone()) if start.tzinfo else start


def received_on(start: datetime) -> date:
    """The day an application made at `start` is received: that day if it is a working day
    and the hall is still open, otherwise the next working day."""
    local = _local(start)
    if local.time() < CLOSES_AT and is_working_day(local.date()):
        return local.date()
    return next(_working_days_after(local.date()))


def due_date(start: datetime, limit: dict[str, Any]) -> DueDate:
    """The date by which a time limit (value + unit) runs out for an application at `start`."""
    value, unit = limit["value"], limit["unit"]
    if unit == "hours":
        # A 24-hour repair promise means 24 hours: the calendar plays no part, so the date
        # is never an estimate.
        return DueDate((_local(start) + timedelta(hours=value)).date(), False, known_until())
    on = received_on(start)
    if unit == "working_days":
        days = _working_days_after(on)
        for _count in range(value):
            on = next(days)
    elif unit == "calendar_days":
        on += timedelta(days=value)
        if not is_working_day(on):
            on = next(_working_days_after(on))
    # Every day counted lies on or before `on`, so only `on` can pass the known calendar.
    known = known_until()
    return DueDate(on, known is None or on > known, known)


def promised_due_date(content: dict[str, Any], start: datetime) -> DueDate | None:
    """When a service applied for at `start` is promised to be done; None when it is done
    on the spot or has no promised time limit."""
    limit = (content.get("time_limits") or {}).get("promised")
    if not limit or limit["unit"] == "on_the_spot":
        return None
    return due_date(start, limit)


def due_date_changes_at(start: datetime, limit: dict[str, Any]) -> datetime:
    """The first moment after `start` at which due_date(…, limit) may give another date: the
    daily cut-off or midnight for days, the moment start + the hours passes a midnight for
    hours."""
    local = _local(start)
    if limit["unit"] == "hours":
        hours = timedelta(hours=limit["value"])
        day_after_end = (local + hours).date() + timedelta(days=1)
        return datetime.combine(day_after_end, time(), local.tzinfo) - hours
    if local.time() < CLOSES_AT:
        return datetime.combine(local.date(), CLOSES_AT, local.tzinfo)
    return datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)


def official_days(year: int) -> dict[date, tuple[HolidayKind, str]]:
    """The holidays and adjusted workdays of one year from the `holidays` package; empty
    for a year whose calendar the package only guesses.

    The package computes any year from its rules, but only the years transcribed from the
    State Council's notice carry adjusted workdays: their absence marks a guessed year.
    """
    # Imported here: it costs every web worker megabytes, and only the command line reads it.
    import holidays

    cn = holidays.China(years=year, language="zh_CN")
    workdays = sorted(day for day in cn.weekend_workdays if day.year == year)
    if not workdays:
        return {}
    days = {day: (HolidayKind.HOLIDAY, name) for day, name in cn.items() if day.year == year}
    for workday in workdays:
        # The package names each swapped day off "休息日（由 <workday ISO date> 调休）".
        swapped = [day for day, name in cn.items() if workday.isoformat() in name]
        name = f"调休上班（{swapped[0].isoformat()} 休息）" if swapped else "调休上班"
        days[workday] = (HolidayKind.WORKDAY, name)
    return days


def seed_holidays(first_year: int | None = None) -> SeedResult:
    """Store the official calendar of every year the package knows, from `first_year`
    (default: last year) on, keeping admin days, and move "known until" forward."""
    year = first_year or clock.today().year - 1
    years: list[int] = []
    wanted: dict[date, tuple[HolidayKind, str]] = {}
    while days := official_days(year):
        years.append(year)
        wanted |= days
        year += 1
    if not years:
        return SeedResult([], known_until())
    stored = {
        row.on: row
        for row in db.session.scalars(
            select(Holiday).where(Holiday.on.between(date(years[0], 1, 1), date(years[-1], 12, 31)))
        )
    }
    for day, row in stored.items():
        if row.source == PACKAGE and day not in wanted:
            db.session.delete(row)
    for day, (kind, name) in wanted.items():
        row = stored.get(day) or Holiday(on=day, source=PACKAGE)
        if row.source == PACKAGE:
            row.kind, row.name = kind, name
            db.session.add(row)
    # Never backwards: an admin may have recorded a newer calendar than the package has.
    last = date(years[-1], 12, 31)
    current = known_until()
    if current is None or current < last:
        set_known_until(last)
    db.session.flush()
    return SeedResult(years, known_until())


def set_day(on: date, kind: HolidayKind, name: str = "") -> Holiday:
    """Make a day a holiday or a workday by the admin's decision; a re-seed keeps it."""
    row = db.session.get(Holiday, on) or Holiday(on=on)
    row.kind, row.name, row.source = kind, name, ADMIN
    db.session.add(row)
    db.session.flush()
    return row


def remove_override(on: date) -> bool:
    """Drop the admin's decision for a day and put back what the official calendar says;
    False if the day had no admin decision."""
    row = db.session.get(Holiday, on)
    if row is None or row.source != ADMIN:
        return False
    official = official_days(on.year).get(on)
    if official:
        row.kind, row.name = official
        row.source = PACKAGE
    else:
        db.session.delete(row)
    db.session.flush()
    return True


def days_from(first: date) -> list[Holiday]:
    """Every holiday and adjusted workday from `first` on, in date order."""
    return list(db.session.scalars(select(Holiday).where(Holiday.on >= first).order_by(Holiday.on)))
