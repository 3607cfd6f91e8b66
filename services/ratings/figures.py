"""The monthly handling figures a utility loads per item (办件情况): received, completed,
completed within the promised time, average working days; checked before they are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from services import clock
from services.db import db
from services.models import Item
from services.publishing import audit
from services.ratings.models import HandlingFigures

MAX_COUNT = 10_000_000
# The form's fields per item, in MonthFigures order after the month.
FIELDS = ("received", "completed", "completed_on_time", "average_working_days")
MAX_DAYS = Decimal("999.9")


class FiguresError(ValueError):
    """Figures that cannot be true; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class MonthFigures:
    month: date
    received: int
    completed: int
    completed_on_time: int
    average_working_days: Decimal | None


def check_figures(figures: MonthFigures) -> None:
    """Raise FiguresError unless the figures can be true of a month that has begun."""
    if figures.month.day != 1 or figures.month > clock.today():
        raise FiguresError("month")
    counts = (figures.received, figures.completed, figures.completed_on_time)
    if any(n < 0 or n > MAX_COUNT for n in counts):
        raise FiguresError("count")
    if figures.completed_on_time > figures.completed:
        raise FiguresError("on_time")
    days = figures.average_working_days
    if days is not None and not Decimal(0) <= days <= MAX_DAYS:
        raise FiguresError("days")


def figures_of(item: Item, month: date) -> HandlingFigures | None:
    """The item's figures for the month starting on `month`, if loaded."""
    return db.session.scalar(
        select(HandlingFigures).where(
            HandlingFigures.item_id == item.id, HandlingFigures.month == month
        )
    )


def save_figures(item: Item, figures: MonthFigures, actor: str) -> HandlingFigures:
    """Keep an item's figures for a month (replacing those loaded before), audited."""
    check_figures(figures)
    row = figures_of(item, figures.month)
    before = None
    if row is None:
        row = HandlingFigures(item_id=item.id, utility_id=item.utility_id, month=figures.month)
        db.session.add(row)
    else:
        before = _state(row)
    row.received = figures.received
    row.completed = figures.completed
    row.completed_on_time = figures.completed_on_time
    row.average_working_days = figures.average_working_days
    db.session.flush()
    after = _state(row) | {"item": item.code}
    audit.record(actor, "save", "handling_figures", row.id, before, after)
    return row


def _state(row: HandlingFigures) -> dict:
    return {
        "month": row.month,
        "received": row.received,
        "completed": row.completed,
        "completed_on_time": row.completed_on_time,
        "average_working_days": row.average_working_days,
    }
