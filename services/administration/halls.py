"""Service halls: address, weekly hours and exceptions, the utilities they show, and the
settings their kiosks and boards read (the JSON shapes services.catalogue.halls and
services.devices.board document)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from services.administration.changes import note_change
from services.administration.problems import Refused, columns
from services.administration.utilities import SLUG
from services.db import db
from services.devices.board import SLIDE_KINDS
from services.models import Hall, Utility
from services.publishing import audit

IDLE_SECONDS = (30, 3600)
SLIDE_SECONDS = (5, 120)
# Keys of Hall.settings that residents see the effect of (the others tune the screens).
PUBLIC_SETTINGS = ("notices", "closed_on_public_holidays")


@dataclass(frozen=True)
class Period:
    opens: str  # "HH:MM"
    closes: str  # "HH:MM", "24:00" for midnight at the day's end


@dataclass(frozen=True)
class DayException:
    on: date
    closed: bool
    period: Period | None = None
    note: str = ""


@dataclass(frozen=True)
class HallNotice:
    text: str
    text_en: str = ""
    starts: date | None = None
    ends: date | None = None


@dataclass
class HallData:
    """What the hall form holds, already typed and checked field by field."""

    slug: str
    name: str
    address: str = ""
    # weekday (1 = Monday) → its periods, in order
    weekly: dict[int, list[Period]] = field(default_factory=dict)
    exceptions: list[DayException] = field(default_factory=list)
    utilities: list[Utility] = field(default_factory=list)
    closed_on_public_holidays: bool = True
    idle_seconds: int = 90
    slide_seconds: int = 12
    board_slides: list[str] = field(default_factory=lambda: list(SLIDE_KINDS))
    notices: list[HallNotice] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def weekly_rows(weekly: dict[int, list[Period]]) -> list[dict[str, Any]]:
    """Opening hours as stored: one row per set of weekdays sharing the same period."""
    rows: dict[tuple[str, str], list[int]] = {}
    for weekday in sorted(weekly):
        for period in weekly[weekday]:
            rows.setdefault((period.opens, period.closes), []).append(weekday)
    ordered = sorted(rows.items(), key=lambda pair: (pair[1][0], pair[0]))
    return [
        {"weekdays": days, "opens": opens, "closes": closes} for (opens, closes), days in ordered
    ]


def weekly_periods(hall: Hall) -> dict[int, list[Period]]:
    """The hall's stored opening hours, per weekday."""
    found: dict[int, list[Period]] = {}
    for row in hall.opening_hours or []:
        for weekday in row.get("weekdays", []):
            found.setdefault(weekday, []).append(Period(row["opens"], row["closes"]))
    return {day: sorted(periods, key=lambda p: p.opens) for day, periods in found.items()}


def exception_rows(exceptions: list[DayException]) -> list[dict[str, Any]]:
    rows = []
    for exception in sorted(exceptions, key=lambda e: e.on):
        row: dict[str, Any] = {"on": exception.on.isoformat(), "closed": exception.closed}
        if not exception.closed and exception.period:
            row |= {"opens": exception.period.opens, "closes": exception.period.closes}
        if exception.note:
            row["note"] = exception.note
        rows.append(row)
    return rows


def notice_rows(notices: list[HallNotice]) -> list[dict[str, Any]]:
    rows = []
    for notice in notices:
        row: dict[str, Any] = {"text": notice.text}
        if notice.text_en:
            row["translations"] = {"en": {"text": notice.text_en}}
        if notice.starts:
            row["from"] = notice.starts.isoformat()
        if notice.ends:
            row["until"] = notice.ends.isoformat()
        rows.append(row)
    return rows


def _check(data: HallData, hall: Hall | None) -> None:
    if not SLUG.fullmatch(data.slug):
        raise Refused("bad_slug", "slug")
    taken = db.session.scalar(select(Hall.id).where(Hall.slug == data.slug))
    if taken is not None and (hall is None or taken != hall.id):
        raise Refused("slug_taken", "slug", slug=data.slug)
    if not data.utilities:
        raise Refused("no_utility", "utilities")
    if not data.board_slides or any(kind not in SLIDE_KINDS for kind in data.board_slides):
        raise Refused("no_slide", "slides")
    if not IDLE_SECONDS[0] <= data.idle_seconds <= IDLE_SECONDS[1]:
        raise Refused("out_of_range", "idle_seconds", low=IDLE_SECONDS[0], high=IDLE_SECONDS[1])
    if not SLIDE_SECONDS[0] <= data.slide_seconds <= SLIDE_SECONDS[1]:
        raise Refused("out_of_range", "slide_seconds", low=SLIDE_SECONDS[0], high=SLIDE_SECONDS[1])
    days = [e.on for e in data.exceptions]
    if len(days) != len(set(days)):
        raise Refused("duplicate_day", "exceptions")


def _describe(hall: Hall) -> dict[str, Any]:
    return columns(
        hall, ("slug", "name", "address", "opening_hours", "exceptions", "settings", "translations")
    ) | {"utilities": [u.slug for u in hall.utilities]}


def _public(described: dict[str, Any]) -> dict[str, Any]:
    settings = described["settings"] or {}
    return {
        "name": described["name"],
        "address": described["address"],
        "opening_hours": described["opening_hours"],
        "exceptions": described["exceptions"],
        "utilities": described["utilities"],
        "translations": described["translations"],
    } | {key: settings.get(key) for key in PUBLIC_SETTINGS}


def save_hall(data: HallData, actor: str, hall: Hall | None = None) -> Hall:
    """Create a hall, or update `hall`; keeps settings keys this form does not edit."""
    _check(data, hall)
    before = _describe(hall) if hall else None
    if hall is None:
        hall = Hall(slug=data.slug, settings={})
        db.session.add(hall)
    hall.slug = data.slug
    hall.name = data.name.strip()
    hall.address = data.address.strip()
    hall.opening_hours = weekly_rows(data.weekly)
    hall.exceptions = exception_rows(data.exceptions)
    hall.utilities = list(data.utilities)
    hall.settings = dict(hall.settings or {}) | {
        "closed_on_public_holidays": data.closed_on_public_holidays,
        "idle_seconds": data.idle_seconds,
        "slide_seconds": data.slide_seconds,
        "board_slides": list(data.board_slides),
        "notices": notice_rows(data.notices),
    }
    hall.translations = {
        lang: {"name": texts["name"].strip()}
        for lang, texts in data.translations.items()
        if texts.get("name", "").strip()
    }
    db.session.flush()
    after = _describe(hall)
    audit.record(
        actor, "hall.create" if before is None else "hall.update", "hall", hall.id, before, after
    )
    old, new = (_public(audit.plain(before)) if before else None), _public(audit.plain(after))
    changed = [key for key in new if old is not None and old[key] != new[key]]
    if before is None or changed:
        note_change(
            "hall", hall.id, "created" if before is None else "changed", hall.name, fields=changed
        )
    return hall
