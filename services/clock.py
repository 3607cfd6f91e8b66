"""The city's local clock: every "now" and "today" in Gongshi comes from here."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


def city_zone() -> ZoneInfo:
    """The configured city time zone."""
    return ZoneInfo(os.environ.get("GONGSHI_TIMEZONE", DEFAULT_TIMEZONE))


def now() -> datetime:
    """The current local time of the city, timezone-aware.

    GONGSHI_FAKE_NOW (ISO 8601) moves the clock, so a scheduled change can be shown
    becoming effective without waiting for its date.
    """
    fake = os.environ.get("GONGSHI_FAKE_NOW")
    if fake:
        moment = datetime.fromisoformat(fake)
        return moment if moment.tzinfo else moment.replace(tzinfo=city_zone())
    return datetime.now(city_zone())


def today() -> date:
    """Today's date in the city."""
    return now().date()


def utcnow() -> datetime:
    """Naive UTC time for database timestamps (portable across SQLite and PostgreSQL)."""
    return now().astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
