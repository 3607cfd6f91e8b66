"""When a hall is open: its weekly hours, its own exceptions, and the city's public holidays.

How a day's hours are decided, first rule that applies:
1. The hall's exception for that day. `{"on": day, "closed": true}` closes it all day;
   `{"on": day, "opens": "09:00", "closes": "12:00"}` gives the day its own hours;
   `{"on": day, "closed": false}` keeps the usual hours, even on a public holiday.
2. The city's public calendar, unless the hall's settings say
   `"closed_on_public_holidays": false`. Service halls close on statutory holidays, so this
   is the default: closed on a public holiday, and on an adjusted workday (调休, a weekend
   day that is worked) open with the hours of a regular working day (Monday's).
3. The weekly hours of that weekday (1 = Monday). "24:00" means midnight at the day's end.
Times are the city's local time (services.clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from services import clock
from services.db import db
from services.models import Hall, Holiday, HolidayKind

# The weekday whose hours an adjusted workday borrows.
WORKDAY_TEMPLATE = 1
# How far ahead next_opening looks before it gives up (a hall closed for good).
LOOK_AHEAD = timedelta(days=366)
# How long a kiosk waits untouched before it returns to the start (a hall setting).
DEFAULT_IDLE_SECONDS = 90


@dataclass(frozen=True)
class Period:
    """One stretch of opening: from `opens` (included) to `closes` (excluded)."""

    opens: datetime
    closes: datetime

    def contains(self, at: datetime) -> bool:
        return self.opens <= at < self.closes


@dataclass(frozen=True)
class Closure:
    """A day a hall stays shut though its weekly hours would open it, and why."""

    on: date
    note: str


def local(at: datetime | None = None) -> datetime:
    """`at` (default now) as an aware datetime in the city's time zone; naive means local."""
    at = at or clock.now()
    zone = clock.city_zone()
    return at.astimezone(zone) if at.tzinfo else at.replace(tzinfo=zone)


def follows_public_holidays(hall: Hall) -> bool:
    """Whether the hall closes on public holidays and opens on adjusted workdays (default yes)."""
    return bool((hall.settings or {}).get("closed_on_public_holidays", True))


def _moment(day: date, text: str) -> datetime:
    hours, minutes = (int(part) for part in text.split(":"))
    start = datetime.combine(day, time(0), tzinfo=clock.city_zone())
    return start + timedelta(hours=hours, minutes=minutes)


def _weekly(hall: Hall, weekday: int) -> list[dict[str, Any]]:
    return [row for row in hall.opening_hours or [] if weekday in row.get("weekdays", [])]


def _calendar(first: date, last: date) -> dict[date, Holiday]:
    rows = db.session.scalars(select(Holiday).where(Holiday.on.between(first, last)))
    return {row.on: row for row in rows}


def _exceptions(hall: Hall) -> dict[date, dict[str, Any]]:
    return {date.fromisoformat(row["on"]): row for row in hall.exceptions or []}


def _rows_for(hall: Hall, day: date, exception: dict | None, holiday: Holiday | None) -> list:
    if exception is not None:
        if exception.get("closed"):
            return []
        if exception.get("opens") and exception.get("closes"):
            return [exception]
    elif holiday is not None and follows_public_holidays(hall):
        return [] if holiday.kind == HolidayKind.HOLIDAY else _weekly(hall, WORKDAY_TEMPLATE)
    return _weekly(hall, day.isoweekday())


def open_periods(hall: Hall, first: date, last: date) -> list[Period]:
    """Every opening period of the days `first` to `last` (inclusive), in time order."""
    exceptions = _exceptions(hall)
    holidays = _calendar(first, last)
    periods = []
    day = first
    while day <= last:
        for row in _rows_for(hall, day, exceptions.get(day), holidays.get(day)):
            periods.append(Period(_moment(day, row["opens"]), _moment(day, row["closes"])))
        day += timedelta(days=1)
    return _merged(sorted(periods, key=lambda period: period.opens))


def _merged(periods: list[Period]) -> list[Period]:
    # 08:00-24:00 followed by 00:00-08:00 is one stretch: the hall does not open at midnight.
    merged: list[Period] = []
    for period in periods:
        if merged and period.opens <= merged[-1].closes:
            last = merged.pop()
            period = Period(last.opens, max(last.closes, period.closes))
        merged.append(period)
    return merged


def current_period(hall: Hall, at: datetime | None = None) -> Period | None:
    """The opening period that `at` (default now) falls in, or None when the hall is closed."""
    at = local(at)
    periods = open_periods(hall, at.date() - timedelta(days=1), at.date() + timedelta(days=1))
    return next((period for period in periods if period.contains(at)), None)


def is_open(hall: Hall, at: datetime | None = None) -> bool:
    """True when the hall is open at `at` (default now)."""
    return current_period(hall, at) is not None


def next_opening(hall: Hall, at: datetime | None = None) -> datetime | None:
    """When the hall next opens after `at` (default now), or None if not within a year."""
    at = local(at)
    periods = open_periods(hall, at.date() - timedelta(days=1), (at + LOOK_AHEAD).date())
    return next((period.opens for period in periods if period.opens > at), None)


def hours_on(hall: Hall, day: date) -> list[Period]:
    """The periods the hall is open on `day` (those running into it from the day before too)."""
    start = datetime.combine(day, time(0), tzinfo=clock.city_zone())
    end = start + timedelta(days=1)
    periods = open_periods(hall, day - timedelta(days=1), day)
    return [period for period in periods if period.closes > start and period.opens < end]


def closures(hall: Hall, first: date, last: date) -> list[Closure]:
    """Days from `first` to `last` on which the hall is shut though it usually opens."""
    exceptions = _exceptions(hall)
    holidays = _calendar(first, last)
    found = []
    day = first
    while day <= last:
        exception, holiday = exceptions.get(day), holidays.get(day)
        if _weekly(hall, day.isoweekday()) and not _rows_for(hall, day, exception, holiday):
            note = (exception or {}).get("note") or (holiday.name if holiday else "")
            found.append(Closure(day, note))
        day += timedelta(days=1)
    return found


def all_halls() -> list[Hall]:
    """Every hall, by name."""
    return list(db.session.scalars(select(Hall).order_by(Hall.name)))
