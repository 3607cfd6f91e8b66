"""Publishing an outage, extending it and ending it early; each write is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.db import db
from services.models import Channel, Utility
from services.outages.models import Outage, OutageKind, OutageUpdate, UpdateKind
from services.outages.notice import NoticeCheck, check_notice
from services.publishing import audit

UTC = ZoneInfo("UTC")
# An outage announced for longer than this is surely a typing mistake in a date.
LONGEST = timedelta(days=60)
MAX_NAMES = 40


class OutageError(ValueError):
    """Input that cannot be published; `code` names the problem for the screen."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class StaleOutage(Exception):
    """The outage changed since the page that asked for this change was shown."""


@dataclass
class OutageData:
    """What an editor enters; times are the city's local time, timezone-aware."""

    kind: OutageKind
    area: str
    starts_at: datetime
    ends_at: datetime
    reason: str = ""
    advice: str = ""
    districts: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    channel_id: int | None = None


def as_utc(moment: datetime) -> datetime:
    """An aware moment as the database keeps it: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def split_names(text: str) -> list[str]:
    """Names typed one per line or separated by commas (，、,;；), without repeats."""
    for mark in "，、,;；":
        text = text.replace(mark, "\n")
    names = []
    for name in (part.strip() for part in text.splitlines()):
        if name and name not in names:
            names.append(name[:80])
    return names[:MAX_NAMES]


def validate(data: OutageData, utility: Utility, now: datetime) -> None:
    """Raise OutageError unless `data` can be published by `utility` at `now`."""
    if not data.area.strip():
        raise OutageError("area_missing")
    if data.ends_at <= data.starts_at:
        raise OutageError("end_before_start")
    if data.ends_at - data.starts_at > LONGEST:
        raise OutageError("too_long")
    if data.ends_at <= now:
        raise OutageError("already_over")
    if data.channel_id is not None:
        channel = db.session.get(Channel, data.channel_id)
        if channel is None or channel.utility_id not in (None, utility.id):
            raise OutageError("unknown_channel")


def notice_check(
    data: OutageData, utility: Utility, now: datetime, notice_hours: dict[str, int]
) -> NoticeCheck:
    """The notice that publishing `data` at `now` would give, and what is owed."""
    planned = data.kind == OutageKind.PLANNED
    return check_notice(planned, utility.sector.value, now, data.starts_at, notice_hours)


def publish_outage(
    data: OutageData,
    utility: Utility,
    actor: str,
    now: datetime,
    notice_hours: dict[str, int],
    author_id: int | None = None,
) -> Outage:
    """Publish an outage at `now`; short notice is allowed and kept in the public record."""
    validate(data, utility, now)
    check = notice_check(data, utility, now, notice_hours)
    outage = Outage(
        utility=utility,
        kind=data.kind,
        area=data.area.strip(),
        districts=data.districts,
        streets=data.streets,
        starts_at=as_utc(data.starts_at),
        ends_at=as_utc(data.ends_at),
        reason=data.reason.strip(),
        advice=data.advice.strip(),
        channel_id=data.channel_id,
        published_at=as_utc(now),
        required_notice_hours=check.required,
        given_notice_hours=check.given if check.required is not None else None,
        author_id=author_id,
    )
    outage.updates.append(
        OutageUpdate(kind=UpdateKind.PUBLISHED, occurred_at=as_utc(now), ends_at=outage.ends_at)
    )
    db.session.add(outage)
    db.session.flush()
    audit.record(actor, "outage.publish", "outage", outage.id, None, outage.summary())
    return outage


def _change(
    outage: Outage,
    version: int,
    kind: UpdateKind,
    ends_at: datetime,
    note: str,
    actor: str,
    now: datetime,
) -> Outage:
    if outage.version != version:
        raise StaleOutage()
    before = outage.summary()
    outage.ends_at = ends_at
    if kind == UpdateKind.CANCELLED:
        outage.cancelled_at = as_utc(now)
    outage.updates.append(
        OutageUpdate(kind=kind, occurred_at=as_utc(now), ends_at=ends_at, note=note.strip())
    )
    db.session.flush()
    audit.record(actor, f"outage.{kind.value}", "outage", outage.id, before, outage.summary())
    return outage


def is_over(outage: Outage, now: datetime) -> bool:
    """True once the outage has ended or was called off."""
    return outage.cancelled_at is not None or outage.ends_at <= as_utc(now)


def extend_outage(
    outage: Outage, new_end: datetime, note: str, actor: str, now: datetime, version: int
) -> Outage:
    """Move the expected end later (work takes longer); the change is logged with its time."""
    if outage.version != version:
        raise StaleOutage()
    if is_over(outage, now):
        raise OutageError("already_over")
    end = as_utc(new_end)
    if end <= outage.ends_at:
        raise OutageError("not_later")
    if end - outage.starts_at > LONGEST:
        raise OutageError("too_long")
    return _change(outage, version, UpdateKind.EXTENDED, end, note, actor, now)


def end_outage(outage: Outage, note: str, actor: str, now: datetime, version: int) -> Outage:
    """End the outage now: supply is back, or the work was called off before it began."""
    if outage.version != version:
        raise StaleOutage()
    if is_over(outage, now):
        raise OutageError("already_over")
    moment = as_utc(now)
    if moment < outage.starts_at:
        return _change(outage, version, UpdateKind.CANCELLED, moment, note, actor, now)
    return _change(outage, version, UpdateKind.ENDED, moment, note, actor, now)
