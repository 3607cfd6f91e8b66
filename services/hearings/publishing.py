"""Announcing a hearing or consultation with its draft tariff, and publishing its summary
once the comment window has closed; each write is audited."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from services.catalogue import queries as catalogue
from services.content.schema import ContentError
from services.db import db
from services.fees.tariffs import check_tiers
from services.hearings.models import Hearing, HearingComment, HearingKind
from services.models import Item, ItemKind, Utility
from services.outages.publishing import as_utc
from services.publishing import audit

TIER_LINE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[-–~～至]\s*(\d+(?:\.\d+)?)?\s+(\d+(?:\.\d+)?)\s*")


class HearingError(ValueError):
    """Input that cannot be published; `code` names the problem for the screen."""

    def __init__(self, code: str, line: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.line = line


@dataclass
class HearingData:
    """What an editor enters; times are the city's local time, timezone-aware."""

    kind: HearingKind
    title: str
    draft_tiers: str  # one tier a line: "0-180 5.00", the last open: "260- 9.00"
    comments_open_at: datetime
    comments_close_at: datetime
    proposal: str = ""
    reasons: str = ""
    basis: str = ""
    held_at: datetime | None = None
    place: str = ""
    how_to_take_part: str = ""
    signup_close_at: datetime | None = None
    signup_places: int | None = None


def tiered_fee_index(content: dict[str, Any]) -> int | None:
    """The position of the tariff's first tiered fee, the one a hearing proposes to change."""
    for index, fee in enumerate(content.get("fees", [])):
        if fee["pricing"]["type"] == "tiers":
            return index
    return None


def tiers_text(pricing: dict[str, Any]) -> str:
    """A tiered pricing written as the editor's form reads it ("0-180 5", "260- 9")."""
    return "\n".join(
        f"{t['lower']}-{t.get('upper') or ''} {t['price']}" for t in pricing.get("tiers", [])
    )


def parse_tiers(text: str) -> list[dict[str, str | None]]:
    """Tiers from the form's lines; HearingError("tier_line", n) names a line it cannot read."""
    tiers = []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = TIER_LINE.fullmatch(line)
        if not match:
            raise HearingError("tier_line", number)
        lower, upper, price = match.groups()
        try:
            Decimal(price)
        except InvalidOperation as error:  # the pattern admits only numbers; kept for safety
            raise HearingError("tier_line", number) from error
        tiers.append({"lower": lower, "upper": upper, "price": price})
    if not tiers:
        raise HearingError("tiers_missing")
    return tiers


def draft_content(current: dict[str, Any], fee_index: int, tiers: list[dict]) -> dict[str, Any]:
    """The tariff's content with the proposed tiers in place of the fee's tiers."""
    draft = copy.deepcopy(current)
    pricing = draft["fees"][fee_index]["pricing"]
    pricing["tiers"] = tiers
    try:
        check_tiers(pricing, f"fees[{fee_index}].pricing")
    except ContentError as error:
        raise HearingError("tiers_invalid") from error
    return draft


def announce_hearing(
    data: HearingData, item: Item, actor: str, now: datetime, author_id: int | None = None
) -> Hearing:
    """Publish the announcement of a hearing on `item`'s tariff at `now`."""
    if item.kind != ItemKind.TARIFF:
        raise HearingError("not_a_tariff")
    current = catalogue.current_revision(item)
    index = tiered_fee_index(current.content) if current else None
    if index is None:
        raise HearingError("no_tiers")
    if not data.title.strip():
        raise HearingError("title_missing")
    if data.comments_close_at <= data.comments_open_at:
        raise HearingError("window_backwards")
    if data.comments_close_at <= now:
        raise HearingError("window_over")
    if data.kind == HearingKind.HEARING and (data.held_at is None or not data.place.strip()):
        raise HearingError("meeting_missing")
    signup_close_at = data.signup_close_at if data.kind == HearingKind.HEARING else None
    if data.kind == HearingKind.HEARING:
        # 政府制定价格听证办法: the announcement gives how and until when to sign up, and
        # participants are chosen from those who did, so the deadline comes before the meeting.
        if signup_close_at is None:
            raise HearingError("signup_missing")
        if not now < signup_close_at <= data.held_at:
            raise HearingError("signup_window")
    if data.signup_places is not None and not 1 <= data.signup_places <= 999:
        raise HearingError("signup_places")
    hearing = Hearing(
        utility_id=item.utility_id,
        item=item,
        kind=data.kind,
        title=data.title.strip(),
        proposal=data.proposal.strip(),
        reasons=data.reasons.strip(),
        basis=data.basis.strip(),
        held_at=as_utc(data.held_at) if data.held_at else None,
        place=data.place.strip(),
        how_to_take_part=data.how_to_take_part.strip(),
        comments_open_at=as_utc(data.comments_open_at),
        comments_close_at=as_utc(data.comments_close_at),
        signup_close_at=as_utc(signup_close_at) if signup_close_at else None,
        signup_places=data.signup_places if signup_close_at else None,
        draft_content=draft_content(current.content, index, parse_tiers(data.draft_tiers)),
        fee_index=index,
        published_at=as_utc(now),
        author_id=author_id,
    )
    db.session.add(hearing)
    db.session.flush()
    audit.record(actor, "hearing.announce", "hearing", hearing.id, None, hearing.summary())
    return hearing


def comment_count(hearing: Hearing) -> int:
    """How many residents commented."""
    query = select(func.count(HearingComment.id)).where(HearingComment.hearing_id == hearing.id)
    return db.session.scalar(query) or 0


def publish_summary(
    hearing: Hearing,
    points: str,
    accepted: str,
    not_accepted: str,
    actor: str,
    now: datetime,
    version: int,
) -> Hearing:
    """Publish the outcome once the window has closed: the count, main points, what was
    accepted and why the rest was not. A published summary is not rewritten."""
    if hearing.version != version:
        raise HearingError("stale")
    if hearing.summary_published_at is not None:
        raise HearingError("summary_published")
    if as_utc(now) < hearing.comments_close_at:
        raise HearingError("window_open")
    if not points.strip():
        raise HearingError("points_missing")
    before = hearing.summary()
    hearing.summary_points = points.strip()
    hearing.summary_accepted = accepted.strip()
    hearing.summary_not_accepted = not_accepted.strip()
    hearing.summary_comment_count = comment_count(hearing)
    hearing.summary_published_at = as_utc(now)
    db.session.flush()
    audit.record(actor, "hearing.summary", "hearing", hearing.id, before, hearing.summary())
    return hearing


def tariffs_of(utility: Utility) -> list[Item]:
    """The utility's tariffs with a tiered fee in force, which a hearing may propose to change."""
    found = []
    for item in db.session.scalars(
        select(Item).where(Item.utility_id == utility.id, Item.kind == ItemKind.TARIFF)
    ):
        current = catalogue.current_revision(item)
        if current is not None and tiered_fee_index(current.content) is not None:
            found.append(item)
    return found
