"""Outages not over yet, read once into plain values that screens share between requests.

The kiosk's start screen, a utility's page and search ask for current outages on every page
they build; reading them once per catalogue change and day (the web layer keeps the
snapshot) costs those pages no query, and the state of each outage is still worked out from
the clock at every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from services.db import db
from services.models import Sector
from services.outages.models import Outage, OutageKind, UpdateKind
from services.outages.publishing import as_utc
from services.outages.queries import COMING_DAYS, local_time
from services.search.text import fold


@dataclass(frozen=True)
class UtilityRef:
    id: int
    slug: str
    name: str
    short_name: str
    sector: Sector
    translations: dict[str, Any]


@dataclass(frozen=True)
class ChannelRef:
    code: str
    name: str
    phone: str
    hours: str
    translations: dict[str, Any]


@dataclass(frozen=True)
class UpdateRef:
    kind: UpdateKind
    occurred_at: datetime
    ends_at: datetime
    note: str


@dataclass(frozen=True)
class LiveOutage:
    """An outage as it was read, with the fields the screens show (times naive UTC)."""

    id: int
    version: int
    utility: UtilityRef
    kind: OutageKind
    area: str
    districts: list[str]
    streets: list[str]
    starts_at: datetime
    ends_at: datetime
    reason: str
    advice: str
    channel: ChannelRef | None
    published_at: datetime
    required_notice_hours: int | None
    given_notice_hours: int | None
    cancelled_at: datetime | None
    updates: list[UpdateRef]

    @property
    def is_short_notice(self) -> bool:
        return (
            self.required_notice_hours is not None
            and self.given_notice_hours is not None
            and self.given_notice_hours < self.required_notice_hours
        )


def _snapshot(outage: Outage) -> LiveOutage:
    utility, channel = outage.utility, outage.channel
    return LiveOutage(
        id=outage.id,
        version=outage.version,
        utility=UtilityRef(
            utility.id,
            utility.slug,
            utility.name,
            utility.short_name,
            utility.sector,
            dict(utility.translations or {}),
        ),
        kind=outage.kind,
        area=outage.area,
        districts=list(outage.districts or []),
        streets=list(outage.streets or []),
        starts_at=outage.starts_at,
        ends_at=outage.ends_at,
        reason=outage.reason,
        advice=outage.advice,
        channel=None
        if channel is None
        else ChannelRef(
            channel.code, channel.name, channel.phone, channel.hours, dict(channel.translations)
        ),
        published_at=outage.published_at,
        required_notice_hours=outage.required_notice_hours,
        given_notice_hours=outage.given_notice_hours,
        cancelled_at=outage.cancelled_at,
        updates=[UpdateRef(u.kind, u.occurred_at, u.ends_at, u.note) for u in outage.updates],
    )


def live_outages(since: datetime) -> list[LiveOutage]:
    """Every outage not called off that ends after `since` (aware), soonest start first."""
    query = (
        select(Outage)
        .options(
            selectinload(Outage.utility),
            selectinload(Outage.channel),
            selectinload(Outage.updates),
        )
        .where(Outage.cancelled_at.is_(None), Outage.ends_at > as_utc(since))
        .order_by(Outage.starts_at, Outage.id)
    )
    return [_snapshot(outage) for outage in db.session.scalars(query)]


def current_of(
    outages: list[LiveOutage],
    now: datetime,
    utility_id: int | None = None,
    days: int = COMING_DAYS,
) -> list[LiveOutage]:
    """Those ongoing at `now` or starting within `days` days, of one utility if given."""
    moment = as_utc(now)
    horizon = moment + timedelta(days=days)
    return [
        o
        for o in outages
        if o.ends_at > moment
        and o.starts_at <= horizon
        and (utility_id is None or o.utility.id == utility_id)
    ]


def next_transition_of(outages: list[LiveOutage], now: datetime, days: int) -> datetime | None:
    """When the result of current_of(outages, now, days=days) next changes (aware)."""
    moment = as_utc(now)
    lead = timedelta(days=days)
    times = [t for o in outages for t in (o.starts_at - lead, o.starts_at, o.ends_at) if t > moment]
    return local_time(min(times)) if times else None


def matching_street_of(outages: list[LiveOutage], query: str, now: datetime) -> list[LiveOutage]:
    """Those not over at `now` whose streets, districts or area contain `query` (either
    script, two characters at least: one would name half the city's streets)."""
    text = query.strip()
    if len(text) < 2:
        return []
    wanted, moment = fold(text), as_utc(now)
    return [
        o
        for o in outages
        if o.ends_at > moment
        and any(wanted in fold(name) for name in (*o.streets, *o.districts, o.area))
    ]
