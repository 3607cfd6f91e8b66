"""Which outages are ongoing, coming or over at a moment, for a screen, a filter or a search."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from services.clock import city_zone
from services.db import db
from services.models import Hall, Utility
from services.outages.models import Outage
from services.outages.publishing import as_utc

# How far ahead the kiosk's start screen, a utility's page and the board look.
COMING_DAYS = 7
UTC = ZoneInfo("UTC")


class State(enum.StrEnum):
    ONGOING = "ongoing"
    COMING = "coming"
    ENDED = "ended"


def state_at(outage: Outage, now: datetime) -> State:
    """Whether the outage is coming, ongoing or over at `now` (by its times alone)."""
    moment = as_utc(now)
    if outage.cancelled_at is not None or outage.ends_at <= moment:
        return State.ENDED
    return State.ONGOING if outage.starts_at <= moment else State.COMING


def local_time(moment: datetime) -> datetime:
    """A naive UTC database time in the city's time, timezone-aware."""
    return moment.replace(tzinfo=UTC).astimezone(city_zone())


def _base() -> Select:
    return select(Outage).options(
        selectinload(Outage.utility), selectinload(Outage.channel), selectinload(Outage.updates)
    )


def _current(query: Select, now: datetime, days: int) -> Select:
    moment = as_utc(now)
    return query.where(
        Outage.cancelled_at.is_(None),
        Outage.ends_at > moment,
        Outage.starts_at <= moment + timedelta(days=days),
    ).order_by(Outage.starts_at, Outage.id)


def _in_district(outages: Iterable[Outage], district: str | None) -> list[Outage]:
    # Districts are a short JSON list per outage; filtering here reads the same on SQLite
    # and PostgreSQL, and current outages are few.
    return [o for o in outages if not district or district in (o.districts or [])]


def outages_for_hall(hall: Hall, now: datetime, days: int = COMING_DAYS) -> list[Outage]:
    """Current and coming outages of the utilities the hall shows."""
    ids = [utility.id for utility in hall.utilities]
    if not ids:
        return []
    return list(db.session.scalars(_current(_base(), now, days).where(Outage.utility_id.in_(ids))))


def listed_outages(
    now: datetime, state: State, district: str | None = None, utility: Utility | None = None
) -> list[Outage]:
    """Every outage in `state` at `now` (the ended ones newest first)."""
    moment = as_utc(now)
    query = _base()
    if utility is not None:
        query = query.where(Outage.utility_id == utility.id)
    if state == State.ENDED:
        query = query.where(
            (Outage.cancelled_at.is_not(None)) | (Outage.ends_at <= moment)
        ).order_by(Outage.ends_at.desc(), Outage.id.desc())
    else:
        query = query.where(Outage.cancelled_at.is_(None), Outage.ends_at > moment)
        if state == State.ONGOING:
            query = query.where(Outage.starts_at <= moment)
        else:
            query = query.where(Outage.starts_at > moment)
        query = query.order_by(Outage.starts_at, Outage.id)
    return _in_district(db.session.scalars(query), district)


def outage_query(utility: Utility | None = None) -> Select:
    """Every published outage of `utility` (or of all), newest start first."""
    query = select(Outage).order_by(Outage.starts_at.desc(), Outage.id.desc())
    if utility is not None:
        query = query.where(Outage.utility_id == utility.id)
    return query


def known_districts(now: datetime, days: int = 365) -> list[str]:
    """The districts named by outages not over more than `days` days ago, for the filter."""
    since = as_utc(now) - timedelta(days=days)
    rows = db.session.scalars(select(Outage.districts).where(Outage.ends_at > since))
    return sorted({name for names in rows for name in names or []})


def next_change(outages: Iterable[Outage], now: datetime) -> datetime | None:
    """The first moment after `now` at which one of these outages starts or ends (aware)."""
    moment = as_utc(now)
    times = [
        t for o in outages if o.cancelled_at is None for t in (o.starts_at, o.ends_at) if t > moment
    ]
    return local_time(min(times)) if times else None


def next_transition(now: datetime, lead_days: int = 0) -> datetime | None:
    """The first moment after `now` at which any outage starts, ends, or (with `lead_days`)
    comes within `lead_days` days of its start: when a list of outages next changes."""
    moment = as_utc(now)
    live = Outage.cancelled_at.is_(None)
    candidates = [
        select(func.min(Outage.starts_at)).where(live, Outage.starts_at > moment),
        select(func.min(Outage.ends_at)).where(live, Outage.ends_at > moment),
    ]
    lead = timedelta(days=lead_days)
    if lead_days:
        candidates.append(
            select(func.min(Outage.starts_at)).where(live, Outage.starts_at > moment + lead)
        )
    times = [db.session.scalar(query) for query in candidates]
    if lead_days and times[-1] is not None:
        times[-1] -= lead
    found = [t for t in times if t is not None and t > moment]
    return local_time(min(found)) if found else None


def latest_outages(limit: int) -> list[Outage]:
    """The most recently published outages, newest first (for the feed)."""
    query = _base().order_by(Outage.published_at.desc(), Outage.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def all_outages(
    now: datetime,
    state: State | None = None,
    district: str | None = None,
    utility: Utility | None = None,
) -> list[Outage]:
    """Every outage, or those in `state` at `now`, of a district or a utility if given."""
    if state is not None:
        return listed_outages(now, state, district, utility)
    query = _base().order_by(Outage.starts_at.desc(), Outage.id.desc())
    if utility is not None:
        query = query.where(Outage.utility_id == utility.id)
    return _in_district(db.session.scalars(query), district)
