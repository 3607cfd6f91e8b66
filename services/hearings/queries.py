"""Which hearings are announced, open for comments, closed or concluded at a moment."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from services.db import db
from services.hearings.models import Hearing
from services.models import Hall, Utility
from services.outages.publishing import as_utc
from services.outages.queries import local_time


class Stage(enum.StrEnum):
    ANNOUNCED = "announced"  # the window has not opened yet
    OPEN = "open"  # residents may comment
    CLOSED = "closed"  # the window closed; the summary is still to come
    CONCLUDED = "concluded"  # the summary is published


def stage_at(hearing: Hearing, now: datetime) -> Stage:
    """Where the hearing stands at `now`, by its window and its summary."""
    if hearing.summary_published_at is not None:
        return Stage.CONCLUDED
    moment = as_utc(now)
    if moment < hearing.comments_open_at:
        return Stage.ANNOUNCED
    return Stage.OPEN if moment < hearing.comments_close_at else Stage.CLOSED


def _base():
    return select(Hearing).options(selectinload(Hearing.utility), selectinload(Hearing.item))


def all_hearings(utility: Utility | None = None) -> list[Hearing]:
    """Every hearing, the latest window first."""
    query = _base().order_by(Hearing.comments_close_at.desc(), Hearing.id.desc())
    if utility is not None:
        query = query.where(Hearing.utility_id == utility.id)
    return list(db.session.scalars(query))


def upcoming_hearings(now: datetime, utility_ids: Iterable[int] | None = None) -> list[Hearing]:
    """Hearings whose window has not closed or whose meeting is still to come, soonest first."""
    moment = as_utc(now)
    query = (
        _base()
        .where((Hearing.comments_close_at > moment) | (Hearing.held_at > moment))
        .order_by(Hearing.comments_close_at, Hearing.id)
    )
    if utility_ids is not None:
        query = query.where(Hearing.utility_id.in_(list(utility_ids)))
    return list(db.session.scalars(query))


def hearings_for_hall(hall: Hall, now: datetime) -> list[Hearing]:
    """Upcoming hearings of the utilities the hall shows."""
    ids = [utility.id for utility in hall.utilities]
    return upcoming_hearings(now, ids) if ids else []


def next_stage_change(hearings: Iterable[Hearing], now: datetime) -> datetime | None:
    """The first moment after `now` at which one of these hearings' window opens or closes,
    its sign-up closes or its meeting passes (aware)."""
    moment = as_utc(now)
    times = [
        t
        for h in hearings
        for t in (h.comments_open_at, h.comments_close_at, h.signup_close_at, h.held_at)
        if t is not None and t > moment
    ]
    return local_time(min(times)) if times else None


def concluded_by_item() -> dict[int, list[tuple[int, str, datetime]]]:
    """For each tariff, its hearings with a published summary: (id, title, window closed)."""
    found: dict[int, list[tuple[int, str, datetime]]] = {}
    query = (
        select(Hearing.item_id, Hearing.id, Hearing.title, Hearing.comments_close_at)
        .where(Hearing.summary_published_at.is_not(None))
        .order_by(Hearing.comments_close_at)
    )
    for item_id, hearing_id, title, closed in db.session.execute(query):
        found.setdefault(item_id, []).append((hearing_id, title, closed))
    return found
