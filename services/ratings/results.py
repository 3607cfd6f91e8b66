"""Published results (办事结果公开): per month and per item, the ratings by level, the
satisfaction rate, bad reviews and how their cases went, beside the handling figures the
utilities load; and the bars of the charts drawn from them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from services import clock
from services.catalogue.queries import current_revisions
from services.db import db
from services.models import Item, Utility
from services.ratings.cases import is_overdue
from services.ratings.models import CaseStatus, HandlingFigures, Rating, RectificationCase
from services.ratings.taking import BAD_LEVELS, LEVELS, SATISFIED_LEVELS

DEFAULT_MONTHS = 12


def month_of(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def months_until(last: date, count: int) -> list[date]:
    """The first days of `count` months ending with `last`'s, oldest first."""
    months, month = [], month_of(last)
    for _n in range(count):
        months.append(month)
        month = (month.replace(day=1) - date.resolution).replace(day=1)
    return months[::-1]


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole as a percentage with one decimal, None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """One month's figures, of one item or of all items together."""

    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    rectified_on_time: int = 0
    overdue: int = 0
    cases_open: int = 0
    received: int | None = None
    completed: int | None = None
    completed_on_time: int | None = None
    average_working_days: Decimal | None = None

    @property
    def total(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return sum(n for level, n in self.levels.items() if level in SATISFIED_LEVELS)

    @property
    def bad(self) -> int:
        return sum(n for level, n in self.levels.items() if level in BAD_LEVELS)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.total)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Bad reviews put right by their due date, of those that were due or closed."""
        return percent(self.rectified_on_time, self.rectified_on_time + self.overdue)

    @property
    def handled_on_time_rate(self) -> Decimal | None:
        return percent(self.completed_on_time or 0, self.completed or 0)

    def add_handling(self, row: HandlingFigures) -> None:
        self.received = (self.received or 0) + row.received
        self.completed = (self.completed or 0) + row.completed
        self.completed_on_time = (self.completed_on_time or 0) + row.completed_on_time
        self.average_working_days = row.average_working_days


@dataclass
class ItemLine:
    month: date
    item: Item
    utility: Utility
    name: str
    figures: Figures


@dataclass
class Results:
    """Month totals, oldest first, and the lines per item and month (`month` the one asked
    for)."""

    months: list[tuple[date, Figures]]
    month: date
    lines: list[ItemLine]

    @property
    def this_month(self) -> Figures:
        return dict(self.months)[self.month]

    @property
    def items(self) -> list[ItemLine]:
        """The lines of the month asked for."""
        return [line for line in self.lines if line.month == self.month]


def _scoped(query, column, utility: Utility | None):
    return query if utility is None else query.where(column == utility.id)


def results(
    utility: Utility | None, month: date | None = None, months: int = DEFAULT_MONTHS
) -> Results:
    """The results of one utility (city-wide if None) for `months` months up to `month`
    (default this month), with per-item lines for `month`."""
    month = month_of(month or clock.today())
    window = months_until(month, months)
    first, after = window[0], _next_month(month)
    totals = {m: Figures() for m in window}
    per_item: dict[tuple[date, int], Figures] = defaultdict(Figures)

    counted = _scoped(
        select(Rating.item_id, Rating.rated_on, Rating.level, func.count())
        .where(Rating.rated_on >= first, Rating.rated_on < after)
        .group_by(Rating.item_id, Rating.rated_on, Rating.level),
        Rating.utility_id,
        utility,
    )
    for item_id, rated_on, level, count in db.session.execute(counted):
        totals[month_of(rated_on)].levels[level] += count
        per_item[month_of(rated_on), item_id].levels[level] += count

    case_rows = _scoped(
        select(RectificationCase, Rating.rated_on)
        .join(Rating, RectificationCase.rating_id == Rating.id)
        .where(Rating.rated_on >= first, Rating.rated_on < after),
        RectificationCase.utility_id,
        utility,
    )
    today = clock.today()
    for case, rated_on in db.session.execute(case_rows):
        for figures in (totals[month_of(rated_on)], per_item[month_of(rated_on), case.item_id]):
            if is_overdue(case, today):
                figures.overdue += 1
            elif case.status == CaseStatus.CLOSED:
                figures.rectified_on_time += 1
            else:
                figures.cases_open += 1

    handling = _scoped(
        select(HandlingFigures).where(
            HandlingFigures.month >= first, HandlingFigures.month < after
        ),
        HandlingFigures.utility_id,
        utility,
    )
    for row in db.session.scalars(handling):
        totals[row.month].add_handling(row)
        per_item[row.month, row.item_id].add_handling(row)
    # A city or utility average of averages would mislead: only items carry one.
    for figures in totals.values():
        figures.average_working_days = None

    ids = {item_id for _month, item_id in per_item}
    items = {i.id: i for i in db.session.scalars(select(Item).where(Item.id.in_(ids)))}
    revisions = current_revisions(list(items.values()))
    names = {
        item_id: revisions[item_id].content.get("name", item.code)
        if item_id in revisions
        else item.code
        for item_id, item in items.items()
    }
    lines = [
        ItemLine(line_month, items[item_id], items[item_id].utility, names[item_id], figures)
        for (line_month, item_id), figures in per_item.items()
    ]
    lines.sort(
        key=lambda line: (
            line.month,
            line.utility.position,
            line.utility.id,
            line.item.position,
            line.item.id,
        )
    )
    return Results(months=list(totals.items()), month=month, lines=lines)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    x: float
    y: float
    width: float
    height: float


CHART_WIDTH, CHART_HEIGHT = 720.0, 240.0


def percent_bars(points: list[tuple[str, Decimal | None]]) -> list[Bar]:
    """Bars of percentages 0–100 for a chart CHART_WIDTH wide and CHART_HEIGHT high; a
    month without figures gets no bar (its value None), not a bar of zero."""
    slot = CHART_WIDTH / max(len(points), 1)
    width = slot * 0.6
    bars = []
    for n, (label, value) in enumerate(points):
        height = float(value) / 100 * CHART_HEIGHT if value is not None else 0.0
        bars.append(
            Bar(label, value, n * slot + (slot - width) / 2, CHART_HEIGHT - height, width, height)
        )
    return bars


COLUMNS = [
    "month",
    "utility",
    "item_code",
    "item",
    "very_satisfied",
    "satisfied",
    "fairly_satisfied",
    "dissatisfied",
    "very_dissatisfied",
    "ratings",
    "satisfaction_rate_percent",
    "bad_reviews",
    "rectified_on_time",
    "overdue",
    "received",
    "completed",
    "completed_on_time",
    "average_working_days",
]


def result_rows(found: Results) -> list[list]:
    """One row per item and month, in COLUMNS order: for CSV and XLSX downloads."""
    rows = []
    for line in found.lines:
        f = line.figures
        rows.append(
            [
                line.month.strftime("%Y-%m"),
                line.utility.name,
                line.item.code,
                line.name,
                *(f.levels[level] for level in LEVELS),
                f.total,
                f.satisfaction_rate,
                f.bad,
                f.rectified_on_time,
                f.overdue,
                f.received,
                f.completed,
                f.completed_on_time,
                f.average_working_days,
            ]
        )
    return rows
