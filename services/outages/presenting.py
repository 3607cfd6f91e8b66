"""An outage as a screen or a notice shows it: its state, its times in the city's time, and
its text in the reader's language (entered in Chinese; Traditional converted, English
falling back to Chinese, each marked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.content.localize import localized_content
from services.outages.models import Outage, OutageUpdate
from services.outages.queries import State, local_time, state_at

TEXT_FIELDS = ("area", "reason", "advice", "districts", "streets")


@dataclass(frozen=True)
class LogEntry:
    update: OutageUpdate
    at: datetime
    ends_at: datetime
    note: str


@dataclass(frozen=True)
class OutageView:
    outage: Outage
    state: State
    text: dict[str, Any]
    # "original", "converted" (Traditional made from Simplified) or "fallback" (English
    # readers see the Chinese text).
    mode: str
    starts_at: datetime
    ends_at: datetime
    published_at: datetime
    log: list[LogEntry]


def outage_view(outage: Outage, locale: str, now: datetime) -> OutageView:
    """What is shown of `outage` at `now` to a reader of `locale`."""
    original = {field: getattr(outage, field) or "" for field in TEXT_FIELDS}
    text, mode = localized_content(original, locale)
    notes, _mode = localized_content({"notes": [update.note for update in outage.updates]}, locale)
    log = [
        LogEntry(update, local_time(update.occurred_at), local_time(update.ends_at), note)
        for update, note in zip(outage.updates, notes["notes"], strict=True)
    ]
    return OutageView(
        outage=outage,
        state=state_at(outage, now),
        text=text,
        mode=mode,
        starts_at=local_time(outage.starts_at),
        ends_at=local_time(outage.ends_at),
        published_at=local_time(outage.published_at),
        log=log,
    )


def outage_views(outages: list[Outage], locale: str, now: datetime) -> list[OutageView]:
    """outage_view for each outage, in order."""
    return [outage_view(outage, locale, now) for outage in outages]
