"""Working days and promised dates, from the Holiday table and its "known until" date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from services import clock
from services.content.time_limits import CLOCK_UNITS
from services.db import db
from services.models import Holiday, HolidayKind, Setting

KNOWN_UNTIL_KEY = "calendar_known_until"
PACKAGE, ADMIN, ESTIMATE = "package", "admin", "estimate"
# Years past the official calendar for which the statutory holidays are estimated.
ESTIMATED_YEARS = 3
# The counting rule. An application is received on the day it is made if that is a working
# day and it comes before CLOSES_AT, otherwise on the next working day: nobody can accept it
# sooner (online applications outside office hours are treated the same way). The day of
# receipt is not counted, counting starts the next day (民法典 Art. 201: 开始的当日不计入), so
# N working days end on the Nth working day after receipt. Working days leave out weekends
# and statutory holidays (行政许可法 Art. 82) and include the adjusted workdays (调休). A
# calendar-day period whose last day is not a working day ends on the next working day
# (民法典 Art. 203). Hours and minutes are clock time: they run on through nights, weekends
# and holidays (a fault is repaired around the clock), counted from the minute the
# application or report is made, and the due moment carries its time of day.
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
    # The moment itself, for a limit in hours or minutes (local time); None for days.
    at: datetime | None = None


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
    if unit in CLOCK_UNITS:
        # A 24-hour repair promise means 24 hours: the calendar plays no part, so the date
        # is never an estimate.
        at = local_minute(start) + timedelta(**{unit: value})
        return DueDate(at.date(), False, known_until(), at=at)
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


def local_minute(start: datetime) -> datetime:
    """The city's local time of `start`, to the minute."""
    return _local(start).replace(second=0, microsecond=0)


def due_date_changes_at(start: datetime, limit: dict[str, Any]) -> datetime:
    """The first moment after `start` at which due_date(…, limit) may give another answer:
    the daily cut-off or midnight for days, the next minute for hours and minutes (whose
    due moment is shown to the minute)."""
    local = _local(start)
    if limit["unit"] in CLOCK_UNITS:
        return local_minute(start) + timedelta(minutes=1)
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


def _with_bridge(day: date) -> list[date]:
    """A one-day holiday and the working day it is usually bridged to a long weekend with.

    A Tuesday holiday takes Monday off too, a Thursday one Friday; one on a weekend is
    made up on Friday or Monday. Which of the two is not known before the State Council's
    notice, so both are kept free: an estimate must never fall before the real date.
    """
    return {
        0: [day],
        1: [day - timedelta(days=1), day],
        2: [day],
        3: [day, day + timedelta(days=1)],
        4: [day],
        5: [day - timedelta(days=1), day, day + timedelta(days=2)],
        6: [day - timedelta(days=2), day, day + timedelta(days=1)],
    }[day.weekday()]


def estimated_days(year: int) -> dict[date, str]:
    """The days off of `year` before its official calendar is published, on the safe side.

    Each festival gets the longest block it has had in recent calendars (Spring Festival
    from two days before 正月初一 to 初八, Labour Day 1–5 May, National Day 1–7 October,
    one more day when Mid-Autumn falls beside it); the weekend days usually worked in
    exchange are not assumed, so a date counted with these is never earlier than the real
    one will be. Lunar and solar-term dates come from the `holidays` package.
    """
    import holidays

    found: dict[date, str] = {}
    anchors: dict[str, date] = {}
    for day, names in sorted(holidays.China(years=year, language="zh_CN").items()):
        for name in names.split("; "):
            if "补假" not in name:
                anchors.setdefault(name, day)

    def off(days: list[date], name: str) -> None:
        for day in days:
            if day.year == year:
                found.setdefault(day, name)

    off(_with_bridge(date(year, 1, 1)) + _with_bridge(date(year + 1, 1, 1)), "元旦（预计）")
    if "春节" in anchors:
        first = anchors["春节"]  # 正月初一
        off([first + timedelta(days=n) for n in range(-2, 8)], "春节（预计）")
    for festival in ("清明节", "端午节"):
        if festival in anchors:
            off(_with_bridge(anchors[festival]), f"{festival}（预计）")
    off(
        _with_bridge(date(year, 5, 1)) + [date(year, 5, day) for day in range(1, 6)],
        "劳动节（预计）",
    )
    national_day = [date(year, 10, day) for day in range(1, 8)]
    mid_autumn = anchors.get("中秋节")
    if mid_autumn and date(year, 9, 28) <= mid_autumn <= date(year, 10, 8):
        national_day.append(date(year, 10, 8))  # the two run together, a day longer
        off([mid_autumn], "中秋节、国庆节（预计）")
    elif mid_autumn:
        off(_with_bridge(mid_autumn), "中秋节（预计）")
    off(national_day, "国庆节（预计）")
    # A weekend inside a block is off in any case; list only the weekdays it frees.
    return {day: name for day, name in found.items() if day.weekday() < 5}


def seed_holidays(first_year: int | None = None) -> SeedResult:
    """Store the official calendar of every year the package knows, from `first_year`
    (default: last year) on, keeping admin days, and move "known until" forward."""
    year = first_year or clock.today().year - 1
    years: list[int] = []
    wanted: dict[date, tuple[HolidayKind, str, str]] = {}
    while days := official_days(year):
        years.append(year)
        wanted |= {day: (kind, name, PACKAGE) for day, (kind, name) in days.items()}
        year += 1
    # Past the official calendar, the statutory holidays as they will at least be.
    for estimated_year in range(year, year + ESTIMATED_YEARS):
        wanted |= {
            day: (HolidayKind.HOLIDAY, name, ESTIMATE)
            for day, name in estimated_days(estimated_year).items()
        }
    first = date(years[0] if years else year, 1, 1)
    stored = {
        row.on: row
        for row in db.session.scalars(
            select(Holiday).where(Holiday.on.between(first, date(year + ESTIMATED_YEARS, 1, 1)))
        )
    }
    for day, row in stored.items():
        if row.source in (PACKAGE, ESTIMATE) and day not in wanted:
            db.session.delete(row)
    for day, (kind, name, source) in wanted.items():
        row = stored.get(day) or Holiday(on=day, source=source)
        if row.source in (PACKAGE, ESTIMATE):
            row.kind, row.name, row.source = kind, name, source
            db.session.add(row)
    if years:
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
    """Drop the admin's decision for a day and put back what the official calendar says, or
    past it the estimated day off; False if the day had no admin decision."""
    row = db.session.get(Holiday, on)
    if row is None or row.source != ADMIN:
        return False
    year = official_days(on.year)
    official = year.get(on)
    estimated = None if year else estimated_days(on.year).get(on)
    if official:
        row.kind, row.name = official
        row.source = PACKAGE
    elif estimated:
        row.kind, row.name, row.source = HolidayKind.HOLIDAY, estimated, ESTIMATE
    else:
        db.session.delete(row)
    db.session.flush()
    return True


def days_from(first: date) -> list[Holiday]:
    """Every holiday and adjusted workday from `first` on, in date order."""
    return list(db.session.scalars(select(Holiday).where(Holiday.on >= first).order_by(Holiday.on)))
