"""Deadlines of information requests: the utility's working days (by default 20 under 政府信息
公开条例 Art. 33, which utilities follow through their own rules under Art. 55), one extension,
and the working days the clock stood still waiting for the applicant's clarification."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from services.calendar import working_days as calendar
from services.db import db
from services.models import Setting, Utility
from services.publishing import audit

DEFAULT_DAYS = 20
DEFAULT_EXTENSION = 20
BASIS = "《中华人民共和国政府信息公开条例》第三十三条、第五十五条"
SOON = 3  # working days: "due soon" in the editor's list


class LimitError(ValueError):
    """Limits outside 1–60 working days."""


def _key(utility: Utility, name: str) -> str:
    return f"requests.{name}.{utility.id}"


def limits(utility: Utility) -> tuple[int, int]:
    """The utility's working days to answer and to extend once by."""
    values = []
    for name, default in (("days", DEFAULT_DAYS), ("extension", DEFAULT_EXTENSION)):
        setting = db.session.get(Setting, _key(utility, name))
        values.append(int(setting.value) if setting else default)
    return values[0], values[1]


def set_limits(utility: Utility, days: int, extension: int, actor: str) -> None:
    """Set the utility's own limits (for requests received from now on); audited."""
    if not (1 <= days <= 60 and 1 <= extension <= 60):
        raise LimitError("limits")
    for name, value in (("days", days), ("extension", extension)):
        key = _key(utility, name)
        setting = db.session.get(Setting, key) or Setting(key=key)
        before = setting.value
        setting.value = str(value)
        db.session.add(setting)
        audit.record(actor, "set", "setting", key, before=before, after=setting.value)
    db.session.flush()


def received_on(moment: datetime) -> date:
    """The day a request made at `moment` is received (next working day after hours)."""
    return calendar.received_on(moment)


def nth_working_day(received: date, count: int) -> date:
    """The `count`th working day after the day of receipt."""
    start = datetime.combine(received, time(9, 0))
    return calendar.due_date(start, {"value": count, "unit": "working_days"}).on


def working_days_between(first: date, last: date) -> int:
    """Working days after `first` up to and including `last` (0 if last <= first)."""
    count, day = 0, first + timedelta(days=1)
    while day <= last:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def due_date(received: date, days: int, extension: int, stopped: int) -> date:
    """The due date: `days` plus any extension plus the stopped working days after receipt."""
    return nth_working_day(received, days + extension + stopped)


def working_days_left(today: date, due: date) -> int:
    """Working days from today up to the due date (negative once overdue)."""
    if due < today:
        return -working_days_between(due, today)
    return working_days_between(today, due)
