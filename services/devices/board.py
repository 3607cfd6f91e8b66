"""What a hall's wall board shows, and the version string that tells a board to refresh.

Hall settings read here (opening hours and holidays: services.catalogue.halls):
- "board_slides": the kinds of slide in the order shown (default DEFAULT_ORDER); a kind
  left out is not shown.
  "ratings" (本月服务评价: this month's ratings of each of the hall's utilities) is shown
  only by a hall that lists it.
- "slide_seconds": how long each slide stays on screen (default 12).
- "notices": the hall's own notices, [{"text": "...", "translations": {"en": {"text": "..."}},
  "from": "YYYY-MM-DD", "until": "YYYY-MM-DD"}]; both dates optional and inclusive.
Closures in the next CLOSURE_NOTICE_DAYS days (the hall's exceptions, public holidays) are
announced on the notices slide as well. Ongoing and coming outages of the hall's utilities
come first, on slides of their own, whatever the hall's order; upcoming price hearings of
those utilities have slides of the kind "hearings".

The version is a digest of everything the board shows: the revision ids (in force and
upcoming), the next effective date, the hall's settings, notices and hotlines, and whether
the hall is open. It changes exactly when the screen would, so a board polls cheaply.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from services.catalogue import halls
from services.catalogue import queries as catalogue
from services.content.localize import has_fallback, localized_content
from services.db import db
from services.hearings.models import Hearing
from services.hearings.queries import Stage, hearings_for_hall, stage_at
from services.models import Channel, Hall, Item, ItemKind, ItemStatus, Revision, Utility
from services.outages.models import Outage
from services.outages.presenting import outage_views
from services.outages.queries import outages_for_hall, state_at

SLIDE_KINDS = ("notices", "tariffs", "fees", "upcoming", "hearings", "hotlines", "ratings")
# The 本月服务评价 slide shows only in halls that list it.
DEFAULT_ORDER = ("notices", "tariffs", "fees", "upcoming", "hearings", "hotlines")
DEFAULT_SLIDE_SECONDS = 12
# Rows that stay readable from 3 m on a 1920×1080 screen; longer lists go on more slides.
ROWS_PER_SLIDE = {
    "fees": 7,
    "hotlines": 7,
    "upcoming": 4,
    "notices": 5,
    "outages": 3,
    "hearings": 3,
    "ratings": 6,
}
CLOSURE_NOTICE_DAYS = 14


@dataclass(frozen=True)
class Notice:
    """A hall notice; `translations` as on the models: {"en": {"text": ...}}."""

    text: str
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FeeRow:
    item: Item
    name: str  # the item's name in the reader's language
    fee: dict[str, Any]


@dataclass(frozen=True)
class Change:
    item: Item
    name: str
    upcoming: Revision


@dataclass
class Slide:
    kind: str
    key: str  # unique on the board and stable between refreshes
    utility: Utility | None = None
    content: dict[str, Any] | None = None  # a tariff's content in the reader's language
    revision: Revision | None = None
    rows: list[Any] = field(default_factory=list)
    page: int = 1
    pages: int = 1

    @property
    def partly_in_chinese(self) -> bool:
        """Whether the slide shows some text in Simplified Chinese for want of a translation."""
        fees = [(row.name, row.fee) for row in self.rows if isinstance(row, FeeRow)]
        return has_fallback(self.content, fees)


@dataclass
class Selection:
    """The published revisions and the hotlines a hall's screens show on one day."""

    items: list[Item]
    current: dict[int, Revision]
    upcoming: dict[int, Revision]
    channels: list[Channel]

    @property
    def next_boundary(self) -> date | None:
        """The next day something shown changes by its effective date."""
        return min((r.effective_from for r in self.upcoming.values()), default=None)


@dataclass(frozen=True)
class Schedule:
    """What the board's header and closed screen show about opening times."""

    is_open: bool
    next_opening: datetime | None
    today_hours: list[halls.Period]

    def parts(self) -> tuple:
        """What the screen shows of it: today's hours by the clock, not by the date."""
        hours = [(f"{p.opens:%H:%M}", f"{p.closes:%H:%M}") for p in self.today_hours]
        return (self.is_open, self.next_opening, hours)


@dataclass
class Board:
    hall: Hall
    schedule: Schedule
    slide_seconds: int
    slides: list[Slide]
    version: str


def slide_order(hall: Hall) -> list[str]:
    """The hall's kinds of slide, in its order (unknown kinds are ignored)."""
    wanted = (hall.settings or {}).get("board_slides") or DEFAULT_ORDER
    return [kind for kind in wanted if kind in SLIDE_KINDS]


def slide_seconds(hall: Hall) -> int:
    """How long each slide stays on screen."""
    return int((hall.settings or {}).get("slide_seconds") or DEFAULT_SLIDE_SECONDS)


def select_for(hall: Hall, on: date) -> Selection:
    """What the hall shows on `on`: its utilities' items with a revision in force, their
    next scheduled revisions, and the city's and those utilities' hotlines."""
    positions = {utility.id: n for n, utility in enumerate(hall.utilities)}
    items = list(
        db.session.scalars(
            select(Item).where(
                Item.utility_id.in_(list(positions)), Item.status == ItemStatus.ACTIVE
            )
        )
    )
    items.sort(key=lambda item: (positions[item.utility_id], item.position, item.id))
    current = catalogue.current_revisions(items, on)
    items = [item for item in items if item.id in current]
    upcoming: dict[int, Revision] = {}
    for revision in db.session.scalars(
        select(Revision)
        .where(
            Revision.item_id.in_([item.id for item in items]),
            Revision.status.in_(catalogue.PUBLIC_STATUSES),
            Revision.effective_from > on,
        )
        .order_by(Revision.effective_from, Revision.number)
    ):
        upcoming.setdefault(revision.item_id, revision)
    channels = list(
        db.session.scalars(
            select(Channel)
            .where(Channel.utility_id.is_(None) | Channel.utility_id.in_(list(positions)))
            .order_by(Channel.id)
        )
    )
    channels.sort(key=lambda c: (c.utility_id is not None, positions.get(c.utility_id, 0)))
    return Selection(items, current, upcoming, channels)


def active_notices(hall: Hall, on: date) -> list[Notice]:
    """The hall's own notices that apply on `on`."""
    found = []
    for row in (hall.settings or {}).get("notices", []):
        starts, ends = row.get("from"), row.get("until")
        if (starts and date.fromisoformat(starts) > on) or (ends and date.fromisoformat(ends) < on):
            continue
        found.append(Notice(row["text"], row.get("translations") or {}))
    return found


def upcoming_closures(hall: Hall, on: date) -> list[halls.Closure]:
    """Days in the next two weeks on which the hall stays shut, with the reason."""
    return halls.closures(hall, on, on + timedelta(days=CLOSURE_NOTICE_DAYS))


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _catalogue_parts(hall: Hall, selection: Selection, on: date) -> tuple:
    return (
        sorted(r.id for r in selection.current.values()),
        sorted(r.id for r in selection.upcoming.values()),
        selection.next_boundary,
        [hall.name, hall.translations, hall.settings, hall.opening_hours, hall.exceptions],
        [(c.id, c.name, c.phone, c.hours, c.translations) for c in selection.channels],
        [(n.text, n.translations) for n in active_notices(hall, on)],
        [(c.on, c.note) for c in upcoming_closures(hall, on)],
    )


def catalogue_version(hall: Hall, on: date, at: datetime | None = None) -> str:
    """The version of what the hall's kiosks show on `on` (its pages and notices), and at
    the moment `at` if given (outages and hearings, which change by the clock)."""
    parts = _catalogue_parts(hall, select_for(hall, on), on)
    if at is None:
        return _digest(parts)
    return _digest(
        parts,
        _outage_parts(outages_for_hall(hall, at), at),
        _hearing_parts(hearings_for_hall(hall, at), at),
    )


def schedule_at(hall: Hall, at: datetime) -> Schedule:
    """Whether the hall is open at `at`, when it opens next if not, and today's hours."""
    is_open = halls.is_open(hall, at)
    return Schedule(
        is_open,
        None if is_open else halls.next_opening(hall, at),
        halls.hours_on(hall, at.date()),
    )


def _outage_parts(outages: list[Outage], at: datetime) -> list[tuple]:
    # An outage moves from coming to ongoing on the board by the clock alone.
    return [(o.id, o.version, state_at(o, at).value) for o in outages]


def _hearing_parts(hearings: list[Hearing], at: datetime) -> list[tuple]:
    # So does a hearing's window open and close.
    return [(h.id, h.version, stage_at(h, at).value) for h in hearings]


@dataclass(frozen=True)
class HearingRow:
    hearing: Hearing
    stage: Stage


@dataclass
class UtilityRatings:
    """A utility's ratings this month, for the board's 本月服务评价 slide."""

    utility: Utility
    figures: Any  # services.ratings.results.Figures


def month_ratings(hall: Hall, on: date) -> list[UtilityRatings]:
    """This month's ratings of each utility the hall shows (empty unless it shows the slide)."""
    if "ratings" not in slide_order(hall):
        return []
    from services.ratings.results import results

    return [
        UtilityRatings(utility, results(utility, on, months=1).this_month)
        for utility in hall.utilities
    ]


def _rating_parts(ratings: list[UtilityRatings]) -> list:
    return [
        (r.utility.id, sorted(r.figures.levels.items()), r.figures.rectified_on_time)
        for r in ratings
    ]


def content_version(hall: Hall, at: datetime | None = None) -> str:
    """The version of what the hall's board shows at `at` (default now)."""
    at = halls.local(at)
    selection = select_for(hall, at.date())
    return _digest(
        _catalogue_parts(hall, selection, at.date()),
        schedule_at(hall, at).parts(),
        _outage_parts(outages_for_hall(hall, at), at),
        _hearing_parts(hearings_for_hall(hall, at), at),
        _rating_parts(month_ratings(hall, at.date())),
    )


def _paged(kind: str, key: str, rows: list[Any], **extra: Any) -> list[Slide]:
    size = ROWS_PER_SLIDE[kind]
    pages = [rows[n : n + size] for n in range(0, len(rows), size)]
    return [
        Slide(kind, f"{key}-{n}", rows=page, page=n, pages=len(pages), **extra)
        for n, page in enumerate(pages, start=1)
    ]


def _localized(revision: Revision, locale: str) -> dict[str, Any]:
    return localized_content(revision.content, locale)[0]


def _fee_slides(selection: Selection, locale: str) -> list[Slide]:
    by_utility: dict[int, list[FeeRow]] = {}
    utilities: dict[int, Utility] = {}
    for item in selection.items:
        if item.kind != ItemKind.SERVICE:
            continue
        content = _localized(selection.current[item.id], locale)
        utilities[item.utility_id] = item.utility
        rows = by_utility.setdefault(item.utility_id, [])
        rows += [FeeRow(item, content["name"], fee) for fee in content.get("fees", [])]
    return [
        slide
        for utility_id, rows in by_utility.items()
        for slide in _paged("fees", f"fees-{utility_id}", rows, utility=utilities[utility_id])
    ]


def _slides_of(
    kind: str,
    hall: Hall,
    selection: Selection,
    on: date,
    locale: str,
    ratings: list[UtilityRatings],
) -> list[Slide]:
    if kind == "tariffs":
        return [
            Slide(
                "tariffs",
                f"tariff-{item.id}",
                utility=item.utility,
                revision=selection.current[item.id],
                content=_localized(selection.current[item.id], locale),
            )
            for item in selection.items
            if item.kind == ItemKind.TARIFF
        ]
    if kind == "fees":
        return _fee_slides(selection, locale)
    if kind == "upcoming":
        changes = [
            Change(item, _localized(selection.upcoming[item.id], locale)["name"], revision)
            for item in selection.items
            if (revision := selection.upcoming.get(item.id))
        ]
        changes.sort(key=lambda change: change.upcoming.effective_from)
        return _paged("upcoming", "upcoming", changes)
    if kind == "hotlines":
        return _paged("hotlines", "hotlines", selection.channels)
    if kind == "ratings":
        return _paged("ratings", "ratings", ratings)
    return _paged("notices", "notices", active_notices(hall, on) + upcoming_closures(hall, on))


def board_for(hall: Hall, at: datetime | None = None, locale: str = "zh_Hans") -> Board:
    """Everything the hall's board shows at `at` (default now), in `locale`."""
    at = halls.local(at)
    on = at.date()
    selection = select_for(hall, on)
    schedule = schedule_at(hall, at)
    outages = outages_for_hall(hall, at)
    hearings = hearings_for_hall(hall, at)
    # Read once: the ratings slide and the board's version both come from these.
    ratings = month_ratings(hall, on)
    hearing_slides = _paged(
        "hearings", "hearings", [HearingRow(h, stage_at(h, at)) for h in hearings]
    )
    slides = _paged("outages", "outages", outage_views(outages, locale, at)) + [
        slide
        for kind in slide_order(hall)
        for slide in (
            hearing_slides
            if kind == "hearings"
            else _slides_of(kind, hall, selection, on, locale, ratings)
        )
    ]
    return Board(
        hall=hall,
        schedule=schedule,
        slide_seconds=slide_seconds(hall),
        slides=slides,
        version=_digest(
            _catalogue_parts(hall, selection, on),
            schedule.parts(),
            _outage_parts(outages, at),
            _hearing_parts(hearings, at),
            _rating_parts(ratings),
        ),
    )
