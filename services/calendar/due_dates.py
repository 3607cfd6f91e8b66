"""The due dates a service's time limits give for an application made at a moment: the
promised one and the statutory one side by side, one line per case where a limit depends
on the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.calendar import working_days as calendar
from services.content.time_limits import cases_of


@dataclass(frozen=True)
class DueLine:
    """One case's due dates (label None when the limits do not depend on the case); a date
    is None where that limit is met on the spot or not given."""

    label: str | None
    promised: calendar.DueDate | None
    statutory: calendar.DueDate | None
    # The minute the application counted from was made (local time).
    made_at: datetime

    @property
    def dues(self) -> list[calendar.DueDate]:
        return [due for due in (self.promised, self.statutory) if due is not None]

    @property
    def is_clock_time(self) -> bool:
        """True when a date of the line is a moment counted in hours or minutes."""
        return any(due.at is not None for due in self.dues)


def _case_limits(limit: dict[str, Any] | None) -> dict[str | None, dict[str, Any]] | None:
    return dict(cases_of(limit)) if limit else None


def _pick(cases: dict[str | None, dict[str, Any]] | None, label: str | None):
    if not cases:
        return None
    # A limit without cases holds for every case of the other one.
    return cases.get(label) if None not in cases else cases[None]


def limits_by_case(content: dict[str, Any]) -> list[tuple[str | None, dict | None, dict | None]]:
    """(label, promised limit, statutory limit) for each case, promised cases first."""
    limits = content.get("time_limits") or {}
    promised = _case_limits(limits.get("promised"))
    statutory = _case_limits(limits.get("statutory"))
    labels = [label for label in promised or {} if label is not None]
    labels += [label for label in statutory or {} if label is not None and label not in labels]
    return [(label, _pick(promised, label), _pick(statutory, label)) for label in labels or [None]]


def _due(start: datetime, limit: dict[str, Any] | None) -> calendar.DueDate | None:
    if not limit or limit["unit"] == "on_the_spot":
        return None
    return calendar.due_date(start, limit)


def due_lines(content: dict[str, Any], start: datetime) -> list[DueLine]:
    """The due dates of a service applied for at `start`, per case; no line for a case
    that is done on the spot, none at all for a service done on the spot."""
    lines = []
    for label, promised, statutory in limits_by_case(content):
        made_at = calendar.local_minute(start)
        line = DueLine(label, _due(start, promised), _due(start, statutory), made_at)
        if line.promised is not None or (line.statutory is not None and promised is None):
            lines.append(line)
    return lines


def due_lines_change_at(content: dict[str, Any], start: datetime) -> datetime | None:
    """The first moment after `start` at which due_lines(content, …) may give another
    answer; None if they never change with the clock (nothing to count)."""
    moments = [
        calendar.due_date_changes_at(start, limit)
        for _label, *limits in limits_by_case(content)
        for limit in limits
        if limit and limit["unit"] != "on_the_spot"
    ]
    return min(moments, default=None)
